package testkit

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/supervision"
)

// ErrInjected is the cause of a crash made by [Crash].
var ErrInjected = errors.New("testkit: injected crash")

// Epoch is the instant virtual clocks made by [NewClock] start at.
const Epoch = 946684800 // 2000-01-01T00:00:00Z, in Unix seconds

// NewClock returns a virtual clock reading [Epoch].
func NewClock() *actors.VirtualClock { return actors.NewVirtualClock(time.Unix(Epoch, 0).UTC()) }

// NewSystem returns an actor system that logs to the test's log (see
// [Logger]) and is shut down when the test ends; the test then fails if any
// actor is still alive. Options come after the test's own, so a
// actors.WithLogger or actors.WithClock given here wins.
func NewSystem(t testing.TB, opts ...actors.Option) *actors.System {
	t.Helper()
	sys := actors.NewSystem(append([]actors.Option{actors.WithLogger(Logger(t))}, opts...)...)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := sys.Shutdown(ctx); err != nil {
			t.Errorf("testkit: actor system shutdown: %v", err)
		}
		if n := sys.Live(); n != 0 {
			t.Errorf("testkit: %d actors still alive after shutdown", n)
		}
	})
	return sys
}

// CheckLeaks makes the test fail if, once it and its cleanups are done,
// goroutines started since the call are still running. Call it first in a
// test that does not run in parallel with others.
func CheckLeaks(t testing.TB) {
	t.Helper()
	opts := []goleak.Option{
		goleak.IgnoreCurrent(),
		// The actor library's dead-letter log throttle lives for a second
		// after a message to a dead actor (under either name the compiler
		// gives it).
		goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewThrottle.func1.1"),
		goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1"),
	}
	t.Cleanup(func() {
		if err := goleak.Find(opts...); err != nil {
			t.Errorf("testkit: goroutines leaked: %v", err)
		}
	})
}

// Logger returns a logger writing to the test's log at debug level. Lines
// logged after the test has ended are dropped.
func Logger(t testing.TB) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(w.close)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return 0, io.ErrClosedPipe
	}
	w.t.Helper()
	w.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}

// Spawn starts a as the temporary child of a supervisor of its own, stopped
// when the test ends. A crash of a is not restarted: watch it with a
// [Probe] to see its exit.
func Spawn(t testing.TB, sys *actors.System, a actors.Actor) actors.Ref {
	t.Helper()
	sup := Supervise(t, sys, supervision.Spec{})
	ref, err := supervision.StartChild(context.Background(), sup, supervision.ChildSpec{
		Start:   func() actors.Actor { return a },
		Restart: supervision.Temporary,
	})
	if err != nil {
		t.Fatalf("testkit: spawn: %v", err)
	}
	return ref
}

// Supervise starts a supervisor for spec, stopped when the test ends.
func Supervise(t testing.TB, sys *actors.System, spec supervision.Spec) actors.Ref {
	t.Helper()
	sup, err := supervision.Start(sys, spec)
	if err != nil {
		t.Fatalf("testkit: start supervisor: %v", err)
	}
	t.Cleanup(func() { stopAndWait(t, sup) })
	return sup
}

// Crash makes the actor crash, ahead of its queued messages, with a
// [*actors.CrashError] whose cause is [ErrInjected].
func Crash(ref actors.Ref) { actors.Exit(ref, &actors.CrashError{Err: ErrInjected}) }

func stopAndWait(t testing.TB, ref actors.Ref) {
	actors.Exit(ref, actors.ErrShutdown)
	select {
	case <-ref.Done():
	case <-time.After(10 * time.Second):
		t.Errorf("testkit: %s did not stop", ref)
	}
}
