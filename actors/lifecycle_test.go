package actors_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/testkit"
)

func TestExitReasons(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	asCrash := func(t *testing.T, reason error) *actors.CrashError {
		t.Helper()
		var crash *actors.CrashError
		if !errors.As(reason, &crash) {
			t.Fatalf("reason %v (%T) is not a *CrashError", reason, reason)
		}
		if actors.IsNormal(reason) {
			t.Fatalf("IsNormal(%v) = true for a crash", reason)
		}
		return crash
	}
	asPanic := func(t *testing.T, reason error) *actors.PanicError {
		t.Helper()
		crash := asCrash(t, reason)
		var pe *actors.PanicError
		if !errors.As(reason, &pe) || crash.Err != pe {
			t.Fatalf("reason %v does not wrap a *PanicError", reason)
		}
		if len(pe.Stack) == 0 {
			t.Fatal("PanicError has no stack")
		}
		return pe
	}

	tests := []struct {
		name  string
		cause any // sent to the worker
		check func(t *testing.T, reason error)
	}{
		{"panic with a value", explode{"kaput"}, func(t *testing.T, reason error) {
			if pe := asPanic(t, reason); pe.Value != "kaput" || pe.Error() != "panic: kaput" {
				t.Fatalf("PanicError = %v (value %v)", pe, pe.Value)
			}
		}},
		{"panic with an error", explode{errBoom}, func(t *testing.T, reason error) {
			asPanic(t, reason)
			if !errors.Is(reason, errBoom) {
				t.Fatalf("errors.Is(%v, errBoom) = false", reason)
			}
		}},
		{"returned error", fail{errBoom}, func(t *testing.T, reason error) {
			if crash := asCrash(t, reason); crash.Err != errBoom {
				t.Fatalf("CrashError.Err = %v; want errBoom", crash.Err)
			}
			var pe *actors.PanicError
			if !errors.Is(reason, errBoom) || errors.As(reason, &pe) {
				t.Fatalf("reason %v: Is(errBoom) false or is a panic", reason)
			}
		}},
		{"returned wrapped error", fail{fmt.Errorf("reading: %w", errBoom)}, func(t *testing.T, reason error) {
			asCrash(t, reason)
			if !errors.Is(reason, errBoom) {
				t.Fatalf("errors.Is(%v, errBoom) = false", reason)
			}
		}},
		{"returned ErrNormal", fail{actors.ErrNormal}, func(t *testing.T, reason error) {
			if reason != actors.ErrNormal || !actors.IsNormal(reason) {
				t.Fatalf("reason = %v; want ErrNormal, normal", reason)
			}
		}},
		{"returned ErrShutdown", fail{actors.ErrShutdown}, func(t *testing.T, reason error) {
			if reason != actors.ErrShutdown || !actors.IsNormal(reason) {
				t.Fatalf("reason = %v; want ErrShutdown, normal", reason)
			}
		}},
		{"returned wrapped ErrNormal", fail{fmt.Errorf("done: %w", actors.ErrNormal)}, func(t *testing.T, reason error) {
			var crash *actors.CrashError
			if !actors.IsNormal(reason) || errors.As(reason, &crash) {
				t.Fatalf("reason %v: want a normal exit", reason)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probe := testkit.NewProbe(t, sys)
			ref := spawn(t, sys, worker{})
			probe.Watch(ref)
			actors.Send(ref, tt.cause)

			reason := probe.ExpectDown(ref, within)
			tt.check(t, reason)
			if ref.Alive() || ref.ExitReason() != reason {
				t.Fatalf("after Down: Alive %v, ExitReason %v; want false, %v", ref.Alive(), ref.ExitReason(), reason)
			}
		})
	}
}

func TestIsNormal(t *testing.T) {
	tests := []struct {
		reason error
		want   bool
	}{
		{nil, true},
		{actors.ErrNormal, true},
		{actors.ErrShutdown, true},
		{fmt.Errorf("wrapped: %w", actors.ErrShutdown), true},
		{errBoom, false},
		{actors.ErrKilled, false},
		{&actors.CrashError{Err: errBoom}, false},
		// A panic is a crash whatever its value.
		{&actors.CrashError{Err: &actors.PanicError{Value: actors.ErrNormal}}, false},
	}
	for _, tt := range tests {
		if got := actors.IsNormal(tt.reason); got != tt.want {
			t.Errorf("IsNormal(%v) = %v; want %v", tt.reason, got, tt.want)
		}
	}
}

func TestInitFailure(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	tests := []struct {
		name  string
		init  func(*actors.Context) error
		check func(t *testing.T, err error)
	}{
		{"returns an error", func(*actors.Context) error { return errBoom }, func(t *testing.T, err error) {
			var crash *actors.CrashError
			if !errors.Is(err, errBoom) || !errors.As(err, &crash) {
				t.Fatalf("Spawn error %v; want a *CrashError wrapping errBoom", err)
			}
		}},
		{"panics", func(*actors.Context) error { panic("init kaput") }, func(t *testing.T, err error) {
			var pe *actors.PanicError
			if !errors.As(err, &pe) || pe.Value != "init kaput" {
				t.Fatalf("Spawn error %v; want a *PanicError", err)
			}
		}},
		{"returns ErrNormal", func(*actors.Context) error { return actors.ErrNormal }, func(t *testing.T, err error) {
			if err != actors.ErrNormal {
				t.Fatalf("Spawn error %v; want ErrNormal", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live := sys.Live()
			var terminated atomic.Bool
			ref, err := sys.Spawn(scripted{
				init:      tt.init,
				terminate: func(*actors.Context, error) { terminated.Store(true) },
			}, actors.WithName("failing"))
			tt.check(t, err)
			if !ref.IsZero() {
				t.Fatalf("Spawn returned %v with its error", ref)
			}
			if terminated.Load() {
				t.Fatal("Terminate ran after a failed Init")
			}
			if n := sys.Live(); n != live {
				t.Fatalf("Live() = %d after a failed spawn; want %d", n, live)
			}
			if r, ok := sys.Whereis("failing"); ok {
				t.Fatalf("the name of a failed spawn is still registered to %v", r)
			}
		})
	}
}

func TestTerminateReason(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	errDone := errors.New("done here")

	tests := []struct {
		name  string
		stop  func(actors.Ref)
		check func(reason error) bool
	}{
		{"Stop", actors.Stop, func(r error) bool { return r == actors.ErrNormal }},
		{"Exit with a reason", func(r actors.Ref) { actors.Exit(r, errDone) }, func(r error) bool { return r == errDone }},
		{"Exit with ErrShutdown", func(r actors.Ref) { actors.Exit(r, actors.ErrShutdown) }, func(r error) bool { return r == actors.ErrShutdown }},
		{"first Exit wins", func(r actors.Ref) { actors.Exit(r, errDone); actors.Stop(r) }, func(r error) bool { return r == errDone }},
		{"crash", func(r actors.Ref) { actors.Send(r, fail{errBoom}) }, func(r error) bool {
			var crash *actors.CrashError
			return errors.As(r, &crash) && errors.Is(r, errBoom)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probe := testkit.NewProbe(t, sys)
			ref := spawn(t, sys, worker{report: probe.Ref()})
			tt.stop(ref)
			got := testkit.ExpectMsg[terminated](probe, within)
			if !tt.check(got.Reason) {
				t.Fatalf("Terminate got %v", got.Reason)
			}
			if reason := awaitExit(t, ref); reason != got.Reason {
				t.Fatalf("ExitReason = %v; Terminate got %v", reason, got.Reason)
			}
		})
	}
}

// watcher watches and unwatches the refs it is called with, and reports
// the Downs it gets.
type watcher struct{ report actors.Ref }

type (
	watch   struct{ ref actors.Ref }
	unwatch struct{ ref actors.Ref }
)

func (watcher) Init(*actors.Context) error { return nil }

func (w watcher) Receive(ctx *actors.Context, m actors.Message) error {
	switch b := m.Body.(type) {
	case watch:
		ctx.Watch(b.ref)
	case unwatch:
		ctx.Unwatch(b.ref)
	case actors.Down:
		actors.Send(w.report, b)
	}
	m.From.Reply(true)
	return nil
}

func (watcher) Terminate(*actors.Context, error) {}

func TestWatch(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	t.Run("Down carries the reason", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		w := spawn(t, sys, watcher{report: probe.Ref()})
		ref := spawn(t, sys, worker{})
		mustCall(t, w, watch{ref})
		actors.Send(ref, fail{errBoom})
		down := testkit.ExpectMsg[actors.Down](probe, within)
		if down.Ref != ref || !errors.Is(down.Reason, errBoom) {
			t.Fatalf("Down = %+v; want %v with errBoom", down, ref)
		}
	})

	t.Run("an actor that has already exited", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		ref := spawn(t, sys, worker{})
		actors.Send(ref, fail{errBoom})
		awaitExit(t, ref)
		probe.Watch(ref)
		reason := probe.ExpectDown(ref, within)
		if !errors.Is(reason, errBoom) || errors.Is(reason, actors.ErrNoProc) {
			t.Fatalf("Down reason = %v; want the real reason", reason)
		}
	})

	t.Run("twice is one watch", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		w := spawn(t, sys, watcher{report: probe.Ref()})
		ref := spawn(t, sys, worker{})
		mustCall(t, w, watch{ref})
		mustCall(t, w, watch{ref})
		actors.Stop(ref)
		if down := testkit.ExpectMsg[actors.Down](probe, within); down.Reason != actors.ErrNormal {
			t.Fatalf("Down = %+v; want ErrNormal", down)
		}
		probe.ExpectNoMsg(quiet)
	})

	t.Run("Unwatch", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		w := spawn(t, sys, watcher{report: probe.Ref()})
		forgotten, kept := spawn(t, sys, worker{}), spawn(t, sys, worker{})
		mustCall(t, w, watch{forgotten})
		mustCall(t, w, watch{kept})
		mustCall(t, w, unwatch{forgotten})
		mustCall(t, w, unwatch{actors.Ref{}}) // not watched: nothing happens

		actors.Stop(forgotten)
		awaitExit(t, forgotten)
		actors.Stop(kept)
		if down := testkit.ExpectMsg[actors.Down](probe, within); down.Ref != kept {
			t.Fatalf("Down of %v; want only the Down of %v", down.Ref, kept)
		}
		probe.ExpectNoMsg(quiet)
	})

	t.Run("zero Ref", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		w := spawn(t, sys, watcher{report: probe.Ref()})
		mustCall(t, w, watch{actors.Ref{}})
		probe.ExpectNoMsg(quiet)
	})
}

func mustCall(t *testing.T, ref actors.Ref, req any) any {
	t.Helper()
	v, err := call(ref, req)
	if err != nil {
		t.Fatalf("Call(%v, %T): %v", ref, req, err)
	}
	return v
}

func TestNames(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	t.Run("Register, Whereis, Unregister", func(t *testing.T) {
		ref := spawn(t, sys, worker{})
		if err := sys.Register("alpha", ref); err != nil {
			t.Fatalf("Register: %v", err)
		}
		if got, ok := sys.Whereis("alpha"); !ok || got != ref {
			t.Fatalf("Whereis = %v, %v; want %v", got, ok, ref)
		}
		if v := mustCall(t, ref, "ping"); v != "pong" {
			t.Fatalf("ping = %v", v)
		}
		sys.Unregister("alpha")
		sys.Unregister("never registered")
		if got, ok := sys.Whereis("alpha"); ok || !got.IsZero() {
			t.Fatalf("Whereis after Unregister = %v, %v", got, ok)
		}
		// Free again, for the same actor or another.
		if err := sys.Register("alpha", ref); err != nil {
			t.Fatalf("Register again: %v", err)
		}
		sys.Unregister("alpha")
	})

	t.Run("refused", func(t *testing.T) {
		a := spawn(t, sys, worker{}, actors.WithName("taken"))
		b := spawn(t, sys, worker{})
		dead := spawn(t, sys, worker{})
		actors.Stop(dead)
		awaitExit(t, dead)

		tests := []struct {
			name string
			reg  func() error
			want error
		}{
			{"name in use", func() error { return sys.Register("taken", b) }, actors.ErrNameTaken},
			{"second name for an actor", func() error { return sys.Register("other", a) }, actors.ErrNameTaken},
			{"exited actor", func() error { return sys.Register("ghost", dead) }, actors.ErrNoProc},
			{"zero Ref", func() error { return sys.Register("nobody", actors.Ref{}) }, actors.ErrNoProc},
		}
		for _, tt := range tests {
			if err := tt.reg(); !errors.Is(err, tt.want) {
				t.Errorf("%s: Register = %v; want %v", tt.name, err, tt.want)
			}
		}
		if err := sys.Register("", b); err == nil {
			t.Error("Register of the empty name succeeded")
		}
		if got, _ := sys.Whereis("taken"); got != a {
			t.Fatalf("Whereis(taken) = %v; want %v", got, a)
		}
		for _, name := range []string{"other", "ghost", "nobody"} {
			if _, ok := sys.Whereis(name); ok {
				t.Errorf("refused name %q is registered", name)
			}
		}
	})

	t.Run("WithName", func(t *testing.T) {
		ref := spawn(t, sys, worker{}, actors.WithName("svc"))
		if got, ok := sys.Whereis("svc"); !ok || got != ref {
			t.Fatalf("Whereis = %v, %v; want %v", got, ok, ref)
		}
		live := sys.Live()
		var started atomic.Bool
		dup, err := sys.Spawn(scripted{init: func(*actors.Context) error { started.Store(true); return nil }}, actors.WithName("svc"))
		if !errors.Is(err, actors.ErrNameTaken) || !dup.IsZero() {
			t.Fatalf("second Spawn WithName = %v, %v; want ErrNameTaken", dup, err)
		}
		if started.Load() || sys.Live() != live {
			t.Fatal("a spawn refused its name started an actor")
		}
	})

	t.Run("released when the actor exits", func(t *testing.T) {
		ref := spawn(t, sys, worker{}, actors.WithName("phoenix"))
		actors.Send(ref, fail{errBoom})
		awaitExit(t, ref)
		if got, ok := sys.Whereis("phoenix"); ok {
			t.Fatalf("Whereis after exit = %v", got)
		}
		again := spawn(t, sys, worker{}, actors.WithName("phoenix"))
		if got, _ := sys.Whereis("phoenix"); got != again || got == ref {
			t.Fatalf("Whereis = %v; want the new actor %v", got, again)
		}
	})

	t.Run("found as soon as it can be sent to", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		spawned := make(chan error, 1)
		go func() {
			_, err := sys.Spawn(scripted{receive: func(_ *actors.Context, m actors.Message) error {
				actors.Send(probe.Ref(), m.Body)
				return nil
			}}, actors.WithName("eager"))
			spawned <- err
		}()
		// Look the name up as early as possible, while the spawn is under way.
		deadline := time.Now().Add(within)
		for {
			if ref, ok := sys.Whereis("eager"); ok {
				actors.Send(ref, "first")
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the name was never registered")
			}
			runtime.Gosched()
		}
		if err := <-spawned; err != nil {
			t.Fatalf("Spawn: %v", err)
		}
		if got := testkit.ExpectMsg[string](probe, within); got != "first" {
			t.Fatalf("got %q", got)
		}
	})

	t.Run("found and sent to while in Init", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		inInit, release := make(chan struct{}), make(chan struct{})
		spawned := make(chan error, 1)
		go func() {
			_, err := sys.Spawn(scripted{
				init: func(*actors.Context) error {
					close(inInit)
					<-release
					return nil
				},
				receive: func(_ *actors.Context, m actors.Message) error {
					actors.Send(probe.Ref(), m.Body)
					return nil
				},
			}, actors.WithName("starting"))
			spawned <- err
		}()
		select {
		case <-inInit:
		case <-time.After(within):
			t.Fatal("Init did not run")
		}
		ref, ok := sys.Whereis("starting")
		if !ok {
			close(release)
			t.Fatal("the name is not registered while Init runs")
		}
		actors.Send(ref, "early")
		close(release)
		if err := <-spawned; err != nil {
			t.Fatalf("Spawn: %v", err)
		}
		if got := testkit.ExpectMsg[string](probe, within); got != "early" {
			t.Fatalf("got %q", got)
		}
	})
}

func TestChildStopsWithParent(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)

	parent := spawn(t, sys, scripted{init: func(ctx *actors.Context) error {
		child, err := ctx.Spawn(worker{id: "child", report: probe.Ref()})
		actors.Send(probe.Ref(), child)
		return err
	}})
	child := testkit.ExpectMsg[actors.Ref](probe, within)
	if !child.Alive() || child == parent {
		t.Fatalf("child %v: alive %v", child, child.Alive())
	}
	probe.Watch(child)

	actors.Stop(parent)
	term := testkit.ExpectMsg[terminated](probe, within)
	if term.ID != "child" || !errors.Is(term.Reason, actors.ErrShutdown) {
		t.Fatalf("child terminated with %+v; want ErrShutdown", term)
	}
	if reason := probe.ExpectDown(child, within); !errors.Is(reason, actors.ErrShutdown) {
		t.Fatalf("child Down reason = %v; want ErrShutdown", reason)
	}
	if reason := awaitExit(t, parent); reason != actors.ErrNormal {
		t.Fatalf("parent reason = %v", reason)
	}
}

func TestShutdown(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	// Shutdown waits for each actor, so the log is complete when it returns.
	var (
		mu  sync.Mutex
		log []terminated
	)
	stopping := func(id string) scripted {
		return scripted{terminate: func(_ *actors.Context, reason error) {
			mu.Lock()
			defer mu.Unlock()
			log = append(log, terminated{ID: id, Reason: reason})
		}}
	}
	ids := []string{"first", "second", "third"}
	var refs []actors.Ref
	for _, id := range ids {
		refs = append(refs, spawn(t, sys, stopping(id)))
	}
	// A child stops with its parent, not on its own.
	parent := stopping("parent")
	parent.init = func(ctx *actors.Context) error {
		_, err := ctx.Spawn(stopping("child"))
		return err
	}
	refs = append(refs, spawn(t, sys, parent))

	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	if err := sys.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}

	mu.Lock()
	var order []string
	for _, term := range log {
		if term.Reason != actors.ErrShutdown {
			t.Errorf("%s terminated with %v; want ErrShutdown", term.ID, term.Reason)
		}
		order = append(order, term.ID)
	}
	mu.Unlock()
	// An actor's Terminate runs before its children stop.
	if want := []string{"parent", "child", "third", "second", "first"}; !slices.Equal(order, want) {
		t.Fatalf("stop order %v; want %v", order, want)
	}
	for _, ref := range refs {
		if ref.Alive() {
			t.Fatalf("%v alive after Shutdown", ref)
		}
	}
	if n := sys.Live(); n != 0 {
		t.Fatalf("Live() = %d after Shutdown", n)
	}
	if ref, err := sys.Spawn(worker{}); !errors.Is(err, actors.ErrSystemStopped) || !ref.IsZero() {
		t.Fatalf("Spawn after Shutdown = %v, %v; want ErrSystemStopped", ref, err)
	}
	// A second Shutdown (testkit's, at cleanup) is harmless.
	if err := sys.Shutdown(ctx); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
}

func TestShutdownDuringSpawn(t *testing.T) {
	// A top-level actor still in its Init when the system shuts down is
	// stopped once Init returns, and Shutdown waits for it.
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	release := make(chan struct{})
	inInit := make(chan struct{})
	spawned := make(chan error, 1)
	go func() {
		_, err := sys.Spawn(&scripted{init: func(*actors.Context) error {
			close(inInit)
			<-release
			return nil
		}})
		spawned <- err
	}()
	<-inInit
	shut := make(chan error, 1)
	go func() { shut <- sys.Shutdown(context.Background()) }()
	close(release)
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-spawned; err != nil {
		t.Fatalf("Spawn: %v", err)
	}
	if n := sys.Live(); n != 0 {
		t.Fatalf("%d actors alive after Shutdown", n)
	}
}
