package behaviours_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/behaviours"
	"github.com/parrot-platform/parrot/testkit"
)

const (
	within = 5 * time.Second
	quiet  = 100 * time.Millisecond
)

var errBoom = errors.New("boom")

// The counter's protocol.
type (
	get        struct{}               // call: the count
	add        struct{ n int }        // call: add n, answer the new count
	awaitCount struct{ n int }        // call: answered once the count reaches n
	stopCall   struct{}               // call: answer "bye" and stop normally
	panicCall  struct{ v any }        // call: panic with v
	inc        struct{}               // cast: add one
	failCast   struct{ err error }    // cast: stop with err
	reset      struct{}               // info: back to zero
	waiting    struct{ n int }        // reported: a caller waits for n
	terminated struct{ reason error } // reported by Terminate
)

// counter is a Server over an int. Requests it does not know go to
// BaseServer.
type counter struct {
	behaviours.BaseServer
	report  actors.Ref
	n       int
	waiters map[int][]actors.From
}

func newCounter(report actors.Ref) *counter { return &counter{report: report} }

func (c *counter) Init(*actors.Context) error {
	c.waiters = make(map[int][]actors.From)
	return nil
}

func (c *counter) HandleCall(ctx *actors.Context, req any, from actors.From) (any, error) {
	switch r := req.(type) {
	case get:
		return c.n, nil
	case add:
		c.set(c.n + r.n)
		return c.n, nil
	case awaitCount:
		if c.n >= r.n {
			return c.n, nil
		}
		c.waiters[r.n] = append(c.waiters[r.n], from)
		actors.Send(c.report, waiting(r))
		return behaviours.NoReply, nil
	case stopCall:
		return "bye", actors.ErrNormal
	case panicCall:
		panic(r.v)
	}
	return c.BaseServer.HandleCall(ctx, req, from)
}

func (c *counter) HandleCast(ctx *actors.Context, msg any) error {
	switch m := msg.(type) {
	case inc:
		c.set(c.n + 1)
		return nil
	case failCast:
		return m.err
	}
	return c.BaseServer.HandleCast(ctx, msg)
}

func (c *counter) HandleInfo(ctx *actors.Context, msg any) error {
	if _, ok := msg.(reset); ok {
		c.set(0)
		return nil
	}
	return c.BaseServer.HandleInfo(ctx, msg)
}

func (c *counter) Terminate(_ *actors.Context, reason error) {
	actors.Send(c.report, terminated{reason})
}

// set changes the count and answers the callers waiting for it.
func (c *counter) set(n int) {
	c.n = n
	for at, froms := range c.waiters {
		if n >= at {
			for _, from := range froms {
				from.Reply(n)
			}
			delete(c.waiters, at)
		}
	}
}

func call(ref actors.Ref, req any) (any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	return actors.Call(ctx, ref, req)
}

func mustCall(t *testing.T, ref actors.Ref, req any) any {
	t.Helper()
	v, err := call(ref, req)
	if err != nil {
		t.Fatalf("Call(%T): %v", req, err)
	}
	return v
}

func startCounter(t *testing.T, sys *actors.System, report actors.Ref) actors.Ref {
	t.Helper()
	ref, err := sys.Spawn(behaviours.NewServer(newCounter(report)))
	if err != nil {
		t.Fatalf("Spawn: %v", err)
	}
	return ref
}

func TestServerCounter(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	ref := startCounter(t, sys, actors.Ref{})

	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"starts at zero", func() {}, 0},
		{"casts", func() {
			for range 3 {
				actors.Cast(ref, inc{})
			}
		}, 3},
		{"call", func() {
			if got := mustCall(t, ref, add{10}); got != 13 {
				t.Errorf("add answered %v; want 13", got)
			}
		}, 13},
		{"info", func() { actors.Send(ref, reset{}) }, 0},
	}
	for _, s := range steps {
		s.do()
		if got := mustCall(t, ref, get{}); got != s.want {
			t.Fatalf("%s: count %v; want %d", s.name, got, s.want)
		}
	}
}

func TestServerReplyLater(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	ref := startCounter(t, sys, probe.Ref())

	answer := make(chan any, 1)
	go func() {
		v, err := call(ref, awaitCount{2})
		if err != nil {
			answer <- err
			return
		}
		answer <- v
	}()
	if w := testkit.ExpectMsg[waiting](probe, within); w.n != 2 {
		t.Fatalf("waiting for %d", w.n)
	}
	// The server goes on serving while the caller waits.
	actors.Cast(ref, inc{})
	if got := mustCall(t, ref, get{}); got != 1 {
		t.Fatalf("count %v; want 1", got)
	}
	select {
	case v := <-answer:
		t.Fatalf("answered %v before the count was reached", v)
	default:
	}
	actors.Cast(ref, inc{})
	select {
	case v := <-answer:
		if v != 2 {
			t.Fatalf("later reply %v; want 2", v)
		}
	case <-time.After(within):
		t.Fatal("no later reply")
	}
}

// logBuffer is a buffer a logger writes into while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestBaseServerDefaults(t *testing.T) {
	testkit.CheckLeaks(t)
	buf := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sys := testkit.NewSystem(t, actors.WithLogger(logger))

	type bare struct{ behaviours.BaseServer }
	servers := []struct {
		name string
		s    behaviours.Server
	}{
		{"bare BaseServer", bare{}},
		{"counter falling back", newCounter(actors.Ref{})},
	}
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			ref, err := sys.Spawn(behaviours.NewServer(srv.s))
			if err != nil {
				t.Fatalf("Spawn: %v", err)
			}
			actors.Cast(ref, "stray cast")
			actors.Send(ref, 3.5)
			v, err := call(ref, struct{ odd bool }{})
			if err == nil || !strings.Contains(err.Error(), "behaviours: unexpected call struct { odd bool }") || v != nil {
				t.Fatalf("unexpected call answered %v, %v; want an error naming its type", v, err)
			}
			if errors.Is(err, actors.ErrNoProc) || !ref.Alive() {
				t.Fatal("an unexpected request stopped the server")
			}
			logs := buf.String()
			for _, want := range []string{
				`msg="behaviours: unexpected cast" actor=` + ref.String() + " type=string",
				`msg="behaviours: unexpected info" actor=` + ref.String() + " type=float64",
				`msg="behaviours: unexpected call" actor=` + ref.String(),
			} {
				if !strings.Contains(logs, want) {
					t.Errorf("no debug line %q in:\n%s", want, logs)
				}
			}
			actors.Stop(ref)
		})
	}
}

func TestServerStops(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	isCrash := func(cause error) func(error) bool {
		return func(r error) bool {
			var crash *actors.CrashError
			return errors.As(r, &crash) && errors.Is(r, cause)
		}
	}
	tests := []struct {
		name   string
		stop   func(t *testing.T, ref actors.Ref)
		reason func(error) bool
	}{
		{"Stop", func(_ *testing.T, ref actors.Ref) { actors.Stop(ref) },
			func(r error) bool { return r == actors.ErrNormal }},
		{"Exit", func(_ *testing.T, ref actors.Ref) { actors.Exit(ref, actors.ErrShutdown) },
			func(r error) bool { return r == actors.ErrShutdown }},
		{"HandleCall returns a reply and ErrNormal", func(t *testing.T, ref actors.Ref) {
			if v := mustCall(t, ref, stopCall{}); v != "bye" {
				t.Errorf("reply %v; want bye", v)
			}
		}, func(r error) bool { return r == actors.ErrNormal }},
		{"HandleCast returns an error", func(_ *testing.T, ref actors.Ref) { actors.Cast(ref, failCast{errBoom}) },
			isCrash(errBoom)},
		{"HandleCall panics", func(t *testing.T, ref actors.Ref) {
			_, err := call(ref, panicCall{errBoom})
			if !errors.Is(err, actors.ErrNoProc) || !errors.Is(err, errBoom) {
				t.Errorf("the caller got %v; want ErrNoProc wrapping the panic", err)
			}
		}, func(r error) bool {
			var pe *actors.PanicError
			return isCrash(errBoom)(r) && errors.As(r, &pe)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probe := testkit.NewProbe(t, sys)
			// Under a supervisor, as in an application.
			ref := testkit.Spawn(t, sys, behaviours.NewServer(newCounter(probe.Ref())))
			probe.Watch(ref)
			tt.stop(t, ref)
			term := testkit.ExpectMsg[terminated](probe, within)
			if !tt.reason(term.reason) {
				t.Fatalf("Terminate got %v", term.reason)
			}
			if down := probe.ExpectDown(ref, within); down != term.reason {
				t.Fatalf("Down reason %v; Terminate got %v", down, term.reason)
			}
		})
	}
}

func TestServerInitFailure(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	ref, err := sys.Spawn(behaviours.NewServer(failingInit{}))
	if !errors.Is(err, errBoom) || !ref.IsZero() {
		t.Fatalf("Spawn = %v, %v; want the Init error", ref, err)
	}
}

type failingInit struct{ behaviours.BaseServer }

func (failingInit) Init(*actors.Context) error { return errBoom }
