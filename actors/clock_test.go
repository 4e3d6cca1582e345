package actors_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/testkit"
)

var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// firing records which timers fired and what the clock read then.
type firing struct {
	name string
	at   time.Duration // since epoch
}

func (f firing) String() string { return fmt.Sprintf("%s@%v", f.name, f.at) }

type recorder struct {
	clock *actors.VirtualClock
	fired []firing
}

func (r *recorder) after(d time.Duration, name string) actors.Timer {
	return r.clock.AfterFunc(d, r.fn(name))
}

func (r *recorder) fn(name string) func() {
	return func() { r.fired = append(r.fired, firing{name, r.clock.Now().Sub(epoch)}) }
}

func (r *recorder) expect(t *testing.T, want ...firing) {
	t.Helper()
	if !slices.Equal(r.fired, want) {
		t.Fatalf("fired %v; want %v", r.fired, want)
	}
}

func TestVirtualClockOrder(t *testing.T) {
	type timer struct {
		name string
		d    time.Duration
	}
	tests := []struct {
		name    string
		timers  []timer
		advance time.Duration
		want    []firing
	}{
		{"deadline order",
			[]timer{{"c", 3 * time.Second}, {"a", time.Second}, {"b", 2 * time.Second}}, 5 * time.Second,
			[]firing{{"a", time.Second}, {"b", 2 * time.Second}, {"c", 3 * time.Second}}},
		{"equal deadlines in scheduling order",
			[]timer{{"x", time.Second}, {"y", time.Second}, {"early", 0}, {"z", time.Second}}, time.Second,
			[]firing{{"early", 0}, {"x", time.Second}, {"y", time.Second}, {"z", time.Second}}},
		{"only those due",
			[]timer{{"due", time.Second}, {"edge", 2 * time.Second}, {"later", 2*time.Second + 1}}, 2 * time.Second,
			[]firing{{"due", time.Second}, {"edge", 2 * time.Second}}},
		{"non-positive fires at Advance(0)",
			[]timer{{"zero", 0}, {"negative", -time.Second}, {"later", time.Nanosecond}}, 0,
			[]firing{{"zero", 0}, {"negative", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{clock: actors.NewVirtualClock(epoch)}
			for _, tm := range tt.timers {
				r.after(tm.d, tm.name)
			}
			if len(r.fired) != 0 {
				t.Fatal("a timer fired before Advance")
			}
			r.clock.Advance(tt.advance)
			r.expect(t, tt.want...)
			if got := r.clock.Now(); !got.Equal(epoch.Add(tt.advance)) {
				t.Fatalf("Now() = %v after Advance(%v)", got, tt.advance)
			}
			if got, want := r.clock.Pending(), len(tt.timers)-len(tt.want); got != want {
				t.Fatalf("Pending() = %d; want %d", got, want)
			}
		})
	}
}

func TestVirtualClockStop(t *testing.T) {
	r := &recorder{clock: actors.NewVirtualClock(epoch)}
	keep := r.after(time.Second, "keep")
	cancelled := r.after(time.Second, "cancelled")
	if !cancelled.Stop() {
		t.Fatal("Stop of a pending timer reported false")
	}
	if cancelled.Stop() {
		t.Fatal("second Stop reported true")
	}
	if n := r.clock.Pending(); n != 1 {
		t.Fatalf("Pending() = %d after Stop; want 1", n)
	}
	r.clock.Advance(time.Second)
	r.expect(t, firing{"keep", time.Second})
	if keep.Stop() {
		t.Fatal("Stop of a fired timer reported true")
	}

	// A timer stopped by one that fires before it does not fire.
	var victim actors.Timer
	r.clock.AfterFunc(time.Second, func() {
		if !victim.Stop() {
			t.Error("Stop from a firing timer reported false")
		}
	})
	victim = r.after(2*time.Second, "victim")
	r.clock.Advance(5 * time.Second)
	r.expect(t, firing{"keep", time.Second})
}

func TestVirtualClockTimersSetWhileFiring(t *testing.T) {
	r := &recorder{clock: actors.NewVirtualClock(epoch)}
	r.clock.AfterFunc(time.Second, func() {
		r.fn("first")()
		r.after(time.Second, "second")  // due at 2s, inside the window
		r.after(0, "immediately")       // due at 1s, right away
		r.after(10*time.Second, "late") // due at 11s, outside
	})
	r.after(1500*time.Millisecond, "between")
	r.clock.Advance(3 * time.Second)
	r.expect(t,
		firing{"first", time.Second},
		firing{"immediately", time.Second},
		firing{"between", 1500 * time.Millisecond},
		firing{"second", 2 * time.Second},
	)
	if n := r.clock.Pending(); n != 1 {
		t.Fatalf("Pending() = %d; want the late timer", n)
	}
	r.clock.Advance(8 * time.Second)
	r.expect(t,
		firing{"first", time.Second},
		firing{"immediately", time.Second},
		firing{"between", 1500 * time.Millisecond},
		firing{"second", 2 * time.Second},
		firing{"late", 11 * time.Second},
	)
}

func TestVirtualClockAdvanceToNext(t *testing.T) {
	r := &recorder{clock: actors.NewVirtualClock(epoch)}
	if r.clock.AdvanceToNext() {
		t.Fatal("AdvanceToNext with no timer reported true")
	}
	if !r.clock.Now().Equal(epoch) {
		t.Fatal("AdvanceToNext with no timer moved the clock")
	}
	r.after(5*time.Second, "c")
	r.after(2*time.Second, "a")
	r.after(2*time.Second, "b")

	steps := []struct {
		want    []firing
		pending int
	}{
		{[]firing{{"a", 2 * time.Second}, {"b", 2 * time.Second}}, 1},
		{[]firing{{"a", 2 * time.Second}, {"b", 2 * time.Second}, {"c", 5 * time.Second}}, 0},
	}
	for i, s := range steps {
		if !r.clock.AdvanceToNext() {
			t.Fatalf("step %d: AdvanceToNext reported false", i)
		}
		r.expect(t, s.want...)
		if last := s.want[len(s.want)-1].at; !r.clock.Now().Equal(epoch.Add(last)) {
			t.Fatalf("step %d: Now() = %v; want epoch+%v", i, r.clock.Now(), last)
		}
		if n := r.clock.Pending(); n != s.pending {
			t.Fatalf("step %d: Pending() = %d; want %d", i, n, s.pending)
		}
	}
	if r.clock.AdvanceToNext() {
		t.Fatal("AdvanceToNext reported true with nothing left")
	}
}

type tick struct{ n int }

type tock struct{}

// ticker records each timer message with the virtual time it handles it at,
// and sets the next tick while handling one, up to three.
type ticker struct {
	log *[]firing
}

func (ticker) Init(*actors.Context) error { return nil }

func (k ticker) Receive(ctx *actors.Context, m actors.Message) error {
	now := ctx.Now().Sub(epoch)
	switch b := m.Body.(type) {
	case tick:
		*k.log = append(*k.log, firing{fmt.Sprintf("tick%d", b.n), now})
		if b.n < 3 {
			ctx.SendAfter(time.Second, tick{b.n + 1})
		}
	case tock:
		*k.log = append(*k.log, firing{"tock", now})
	case string: // "log": the call the test reads the log with
		m.From.Reply(slices.Clone(*k.log))
	}
	return nil
}

func (ticker) Terminate(*actors.Context, error) {}

func TestSendAfterVirtualClock(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := actors.NewVirtualClock(epoch)
	sys := testkit.NewSystem(t, actors.WithClock(clock))
	if sys.Clock() != clock {
		t.Fatal("System.Clock is not the clock given")
	}
	var log []firing
	ref := spawn(t, sys, ticker{log: &log})
	read := func() []firing { return mustCall(t, ref, "log").([]firing) }

	actors.SendAfter(clock, time.Second, ref, tick{1})
	actors.SendAfter(clock, 2500*time.Millisecond, ref, tock{})
	cancelled := actors.SendAfter(clock, 2*time.Second, ref, tock{})
	if !cancelled.Stop() {
		t.Fatal("Stop of a pending SendAfter reported false")
	}

	clock.Advance(999 * time.Millisecond)
	if got := read(); len(got) != 0 {
		t.Fatalf("delivered before its time: %v", got)
	}

	// tick1 sets tick2 at 2s and tick2 sets tick3 at 3s, while this one
	// Advance runs: each is delivered in time order with the tock at 2.5s.
	clock.Advance(3*time.Second + 1)
	want := []firing{
		{"tick1", time.Second},
		{"tick2", 2 * time.Second},
		{"tock", 2500 * time.Millisecond},
		{"tick3", 3 * time.Second},
	}
	if got := read(); !slices.Equal(got, want) {
		t.Fatalf("handled %v; want %v", got, want)
	}
	if n := clock.Pending(); n != 0 {
		t.Fatalf("Pending() = %d; want 0", n)
	}
}

func TestSendAfterToExitedActor(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := actors.NewVirtualClock(epoch)
	sys := testkit.NewSystem(t, actors.WithClock(clock))
	ref := spawn(t, sys, worker{})
	actors.SendAfter(clock, time.Second, ref, "late")
	actors.Stop(ref)
	awaitExit(t, ref)

	done := make(chan struct{})
	go func() {
		defer close(done)
		clock.Advance(time.Second) // must not wait for the dead actor
	}()
	select {
	case <-done:
	case <-time.After(within):
		t.Fatal("Advance blocked on a timer for an exited actor")
	}
}

func TestSendAfterRealClock(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	clock := sys.Clock()
	if d := time.Since(clock.Now()); d < 0 || d > time.Second {
		t.Fatalf("RealClock.Now() is %v off", d)
	}

	start := time.Now()
	actors.SendAfter(clock, 20*time.Millisecond, probe.Ref(), "ring")
	cancelled := actors.SendAfter(clock, 30*time.Millisecond, probe.Ref(), "cancelled")
	if !cancelled.Stop() {
		t.Fatal("Stop of a pending real timer reported false")
	}
	if got := testkit.ExpectMsg[string](probe, within); got != "ring" {
		t.Fatalf("got %q", got)
	}
	if el := time.Since(start); el < 20*time.Millisecond {
		t.Fatalf("delivered after %v, before its time", el)
	}
	probe.ExpectNoMsg(quiet)
	if cancelled.Stop() {
		t.Fatal("second Stop reported true")
	}
}

func TestContextSendAfterRealClock(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	ref := spawn(t, sys, scripted{receive: func(ctx *actors.Context, m actors.Message) error {
		switch m.Body {
		case "arm":
			ctx.SendAfter(10*time.Millisecond, "fired")
			m.From.Reply(ctx.Clock().Now())
		case "fired":
			actors.Send(probe.Ref(), "fired")
		}
		return nil
	}})
	mustCall(t, ref, "arm")
	if got := testkit.ExpectMsg[string](probe, within); got != "fired" {
		t.Fatalf("got %q", got)
	}
}
