package testkit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/supervision"
	"github.com/parrot-platform/parrot/testkit"
)

const (
	within = 5 * time.Second
	quiet  = 100 * time.Millisecond
)

// query is a request the code under test sends to a probe.
type query struct{ q string }

// echo reports what it receives to a probe and its exit reason too.
type echo struct{ report actors.Ref }

type stopped struct{ reason error }

func (echo) Init(*actors.Context) error { return nil }

func (e echo) Receive(_ *actors.Context, m actors.Message) error {
	if m.Kind == actors.KindCall {
		m.From.Reply(m.Body)
		return nil
	}
	actors.Send(e.report, m.Body)
	return nil
}

func (e echo) Terminate(_ *actors.Context, reason error) { actors.Send(e.report, stopped{reason}) }

func TestProbeExpectations(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	t.Run("ExpectMsg in order", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		for i := range 3 {
			actors.Send(probe.Ref(), i)
		}
		for i := range 3 {
			if got := testkit.ExpectMsg[int](probe, within); got != i {
				t.Fatalf("message %d = %d", i, got)
			}
		}
		probe.ExpectNoMsg(quiet)
	})

	t.Run("Receive tells the kind", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		actors.Cast(probe.Ref(), "cast")
		m, ok := probe.Receive(within)
		if !ok || m.Kind != actors.KindCast || m.Body != "cast" {
			t.Fatalf("Receive = %+v, %v", m, ok)
		}
		if m, ok := probe.Receive(quiet); ok {
			t.Fatalf("Receive = %+v with nothing sent", m)
		}
	})

	t.Run("FishFor drops what does not match", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		for _, m := range []any{"noise", 1, query{"skip"}, 5, query{"this"}, "after"} {
			actors.Send(probe.Ref(), m)
		}
		got := testkit.FishFor(probe, within, func(q query) bool { return q.q == "this" })
		if got.q != "this" {
			t.Fatalf("FishFor = %+v", got)
		}
		if next := testkit.ExpectMsg[string](probe, within); next != "after" {
			t.Fatalf("after FishFor, next = %q", next)
		}
	})

	t.Run("ExpectCall and reply", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		answer := make(chan any, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), within)
			defer cancel()
			v, err := actors.Call(ctx, probe.Ref(), query{"time?"})
			if err != nil {
				answer <- err
				return
			}
			answer <- v
		}()
		q, from := testkit.ExpectCall[query](probe, within)
		if q.q != "time?" {
			t.Fatalf("call %+v", q)
		}
		from.Reply("noon")
		select {
		case v := <-answer:
			if v != "noon" {
				t.Fatalf("caller got %v", v)
			}
		case <-time.After(within):
			t.Fatal("the caller got no reply")
		}
	})

	t.Run("ExpectDown", func(t *testing.T) {
		probe := testkit.NewProbe(t, sys)
		ref, err := sys.Spawn(echo{report: probe.Ref()})
		if err != nil {
			t.Fatal(err)
		}
		probe.Watch(ref)
		actors.Send(ref, "before")
		actors.Stop(ref)
		// ExpectDown skips the echo's messages.
		if reason := probe.ExpectDown(ref, within); reason != actors.ErrNormal {
			t.Fatalf("Down reason %v; want ErrNormal", reason)
		}
	})
}

// Each expectation fails the test when it is not met, and stops it there.
func TestProbeExpectationFailures(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	alive, err := sys.Spawn(echo{})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		send   func(probe actors.Ref)
		expect func(p *testkit.Probe)
		want   string
	}{
		{"ExpectMsg, wrong type", func(p actors.Ref) { actors.Send(p, "text") },
			func(p *testkit.Probe) { testkit.ExpectMsg[int](p, within) }, "expected a int, got string"},
		{"ExpectMsg, nothing", nil,
			func(p *testkit.Probe) { testkit.ExpectMsg[int](p, quiet) }, "got nothing"},
		{"ExpectNoMsg, a message", func(p actors.Ref) { actors.Send(p, 7) },
			func(p *testkit.Probe) { p.ExpectNoMsg(within) }, "expected no message, got int"},
		{"ExpectCall, not a call", func(p actors.Ref) { actors.Send(p, query{"q"}) },
			func(p *testkit.Probe) { testkit.ExpectCall[query](p, within) }, "expected a call"},
		{"FishFor, no match", func(p actors.Ref) { actors.Send(p, 1); actors.Send(p, 2) },
			func(p *testkit.Probe) { testkit.FishFor(p, quiet, func(n int) bool { return n > 2 }) }, "no matching int"},
		{"ExpectDown, still alive", nil,
			func(p *testkit.Probe) { p.Watch(alive); p.ExpectDown(alive, quiet) }, "no matching actors.Down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTB(t)
			probe := testkit.NewProbe(ft, sys)
			if tt.send != nil {
				tt.send(probe.Ref())
			}
			if ft.run(func() { tt.expect(probe) }) {
				t.Fatal("the expectation did not stop the test")
			}
			ft.expectFailure(t, tt.want)
			ft.finish()
			if probe.Ref().Alive() {
				t.Fatal("the probe outlived its test")
			}
		})
	}
}

func TestSpawnAndCrash(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)

	ref := testkit.Spawn(t, sys, echo{report: probe.Ref()})
	probe.Watch(ref)
	actors.Send(ref, "hello")
	if got := testkit.ExpectMsg[string](probe, within); got != "hello" {
		t.Fatalf("got %q", got)
	}

	testkit.Crash(ref)
	if got := testkit.ExpectMsg[stopped](probe, within); !errors.Is(got.reason, testkit.ErrInjected) {
		t.Fatalf("Terminate got %v", got.reason)
	}
	reason := probe.ExpectDown(ref, within)
	var crash *actors.CrashError
	if !errors.As(reason, &crash) || crash.Err != testkit.ErrInjected {
		t.Fatalf("Down reason %v (%T); want a *CrashError wrapping ErrInjected", reason, reason)
	}
	if actors.IsNormal(reason) {
		t.Fatal("an injected crash reads as a normal exit")
	}
}

func TestSpawnStoppedWhenTestEnds(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	ft := newFakeTB(t)
	ref := testkit.Spawn(ft, sys, echo{})
	sup := testkit.Supervise(ft, sys, supervision.Spec{})
	if !ref.Alive() || !sup.Alive() {
		t.Fatal("not started")
	}
	ft.finish()
	for _, r := range []actors.Ref{ref, sup} {
		if r.Alive() {
			t.Fatalf("%v alive after its test ended", r)
		}
		if reason := r.ExitReason(); !errors.Is(reason, actors.ErrShutdown) {
			t.Fatalf("%v exited with %v; want ErrShutdown", r, reason)
		}
	}
	ft.expectNoFailure(t)
}

func TestStartFailuresFailTheTest(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	// A system already shut down refuses every spawn.
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	if err := sys.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		start func(tb testing.TB)
		want  string
	}{
		{"NewProbe", func(tb testing.TB) { testkit.NewProbe(tb, sys) }, "start probe"},
		{"Spawn", func(tb testing.TB) { testkit.Spawn(tb, sys, echo{}) }, "start supervisor"},
		{"Supervise", func(tb testing.TB) { testkit.Supervise(tb, sys, supervision.Spec{}) }, "start supervisor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTB(t)
			if ft.run(func() { tt.start(ft) }) {
				t.Fatal("the failed start did not stop the test")
			}
			ft.expectFailure(t, tt.want)
			if failures, _ := ft.recorded(); !strings.Contains(failures[0], actors.ErrSystemStopped.Error()) {
				t.Fatalf("failure %q does not say why", failures[0])
			}
			ft.finish()
		})
	}
}

func TestCheckLeaks(t *testing.T) {
	t.Run("a goroutine still running fails the test", func(t *testing.T) {
		ft := newFakeTB(t)
		testkit.CheckLeaks(ft)
		stop, exited := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(exited)
			<-stop
		}()
		ft.finish()
		close(stop)
		<-exited
		ft.expectFailure(t, "goroutines leaked")
		if failures, _ := ft.recorded(); !strings.Contains(failures[0], "TestCheckLeaks") {
			t.Fatalf("the report does not point at the leaked goroutine: %s", failures[0])
		}
	})

	t.Run("a goroutine ended by the test's cleanup does not", func(t *testing.T) {
		ft := newFakeTB(t)
		testkit.CheckLeaks(ft)
		stop, exited := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(exited)
			<-stop
		}()
		ft.Cleanup(func() { close(stop); <-exited })
		ft.finish()
		ft.expectNoFailure(t)
	})

	t.Run("an actor system shut down by NewSystem does not", func(t *testing.T) {
		ft := newFakeTB(t)
		testkit.CheckLeaks(ft)
		sys := testkit.NewSystem(ft)
		probe := testkit.NewProbe(ft, sys)
		ref, err := sys.Spawn(echo{report: probe.Ref()})
		if err != nil {
			t.Fatal(err)
		}
		actors.Stop(ref)
		actors.Send(ref, "to a dead actor") // the dead-letter path
		ft.finish()
		ft.expectNoFailure(t)
	})
}

func TestNewSystem(t *testing.T) {
	testkit.CheckLeaks(t)
	ft := newFakeTB(t)
	clock := testkit.NewClock()
	sys := testkit.NewSystem(ft, actors.WithClock(clock))
	if sys.Clock() != clock {
		t.Fatal("the option given did not apply")
	}
	ref, err := sys.Spawn(echo{})
	if err != nil {
		t.Fatal(err)
	}

	sys.Logger().Info("to the test log", "k", 1)
	_, logs := ft.recorded()
	if len(logs) != 1 || !strings.Contains(logs[0], "level=INFO") || !strings.Contains(logs[0], `msg="to the test log" k=1`) {
		t.Fatalf("test log %q", logs)
	}

	ft.finish()
	ft.expectNoFailure(t)
	if ref.Alive() || ref.ExitReason() != actors.ErrShutdown {
		t.Fatalf("actor alive %v, reason %v after the test ended", ref.Alive(), ref.ExitReason())
	}
	if _, err := sys.Spawn(echo{}); !errors.Is(err, actors.ErrSystemStopped) {
		t.Fatalf("Spawn after the test ended = %v; want ErrSystemStopped", err)
	}
	sys.Logger().Info("after the end")
	if _, after := ft.recorded(); len(after) != len(logs) {
		t.Fatalf("logged after the test ended: %q", after[len(logs):])
	}
}

func TestLogger(t *testing.T) {
	ft := newFakeTB(t)
	logger := testkit.Logger(ft)
	logger.Debug("detail", "n", 3)
	_, logs := ft.recorded()
	if len(logs) != 1 || !strings.Contains(logs[0], "level=DEBUG") || !strings.Contains(logs[0], "msg=detail n=3") {
		t.Fatalf("test log %q; want the debug line", logs)
	}
	if strings.HasSuffix(logs[0], "\n") {
		t.Fatal("the line keeps its newline")
	}
	ft.finish()
	logger.Error("too late")
	if _, after := ft.recorded(); len(after) != 1 {
		t.Fatalf("logged after the test ended: %q", after)
	}
}

func TestNewClock(t *testing.T) {
	clock := testkit.NewClock()
	want := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !clock.Now().Equal(want) || !time.Unix(testkit.Epoch, 0).Equal(want) {
		t.Fatalf("NewClock reads %v; want %v", clock.Now(), want)
	}
	if clock.Pending() != 0 {
		t.Fatal("a new clock has timers")
	}
}
