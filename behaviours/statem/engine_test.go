package statem_test

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/behaviours/statem"
	"github.com/parrot-platform/parrot/testkit"
)

// fsm is a machine whose behaviour each test writes as a function; it
// records every event it is given as "state kind msg".
type fsm struct {
	initial    string
	initActs   []statem.Action
	handle     func(ev statem.Event, state string) statem.Transition[string]
	seen       []string
	terminated []string
}

func (f *fsm) Init(statem.Context) (string, []statem.Action, error) {
	return f.initial, f.initActs, nil
}

func (f *fsm) HandleEvent(ev statem.Event, state string) statem.Transition[string] {
	msg := ev.Msg
	if ev.Kind == statem.Timeout {
		msg = fmt.Sprintf("%s=%v", ev.Name, ev.Msg)
	}
	f.seen = append(f.seen, fmt.Sprintf("%s %v %v", state, ev.Kind, msg))
	return f.handle(ev, state)
}

func (f *fsm) Terminate(reason error, state string) {
	f.terminated = append(f.terminated, fmt.Sprintf("%s %v", state, reason))
}

func (f *fsm) clear() { f.seen = nil }

func expectSeen(t *testing.T, f *fsm, want ...string) {
	t.Helper()
	if !slices.Equal(f.seen, want) {
		t.Fatalf("events seen:\n  %q\nwant:\n  %q", f.seen, want)
	}
	f.clear()
}

// goTo moves to the state named by a Cast "goto X".
func goTo(ev statem.Event) (string, bool) {
	s, ok := ev.Msg.(string)
	if ok && ev.Kind == statem.Cast && len(s) > 5 && s[:5] == "goto " {
		return s[5:], true
	}
	return "", false
}

func TestEnterCalls(t *testing.T) {
	f := &fsm{initial: "a", handle: func(ev statem.Event, state string) statem.Transition[string] {
		if s, ok := goTo(ev); ok {
			return statem.Next(s)
		}
		if ev.Msg == "repeat" {
			return statem.Repeat[string]()
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f, statem.WithStateEnter())
	// The initial state is entered from itself.
	expectSeen(t, f, "a enter a")

	m.Cast("goto b")
	expectSeen(t, f, "a cast goto b", "b enter a")

	// next_state to the same state is no state change: no enter call.
	m.Cast("goto b")
	expectSeen(t, f, "b cast goto b")

	m.Cast("stay")
	expectSeen(t, f, "b cast stay")

	// repeat_state repeats the enter call, from the same state.
	m.Cast("repeat")
	expectSeen(t, f, "b cast repeat", "b enter b")
}

func TestNoEnterCallsUnlessAsked(t *testing.T) {
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if s, ok := goTo(ev); ok {
			return statem.Next(s)
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("goto b")
	expectSeen(t, f, "a cast goto b")
}

func TestEnterCallRestrictions(t *testing.T) {
	cases := map[string]statem.Transition[string]{
		"state change": statem.Next("elsewhere"),
		"postpone":     statem.Keep[string](statem.Postpone()),
		"next event":   statem.Keep[string](statem.NextEvent("x")),
	}
	for name, fromEnter := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fsm{initial: "a", handle: func(ev statem.Event, state string) statem.Transition[string] {
				if ev.Kind == statem.Enter && state == "b" {
					return fromEnter
				}
				if s, ok := goTo(ev); ok {
					return statem.Next(s)
				}
				return statem.Keep[string]()
			}}
			m := testkit.NewStateMachine[string](t, f, statem.WithStateEnter())
			m.Cast("goto b")
			if !errors.Is(m.Stopped(), statem.ErrBadAction) {
				t.Fatalf("stopped with %v; want ErrBadAction", m.Stopped())
			}
		})
	}
}

func TestEventKinds(t *testing.T) {
	f := &fsm{initial: "s", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if ev.Kind == statem.Call {
			return statem.Keep[string](statem.Reply(ev.From, fmt.Sprint("re:", ev.Msg)))
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("c")
	m.Info("i")
	if v, ok := m.Call("q"); !ok || v != "re:q" {
		t.Fatalf("call reply = %v, %v; want re:q", v, ok)
	}
	expectSeen(t, f, "s cast c", "s info i", "s call q")
}

func TestReplyLater(t *testing.T) {
	var pending actors.From
	f := &fsm{initial: "s", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		switch {
		case ev.Kind == statem.Call:
			pending = ev.From
		case ev.Msg == "answer":
			return statem.Keep[string](statem.Reply(pending, 42))
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	from, replies := actors.NewFrom()
	m.CallFrom(from, "q")
	select {
	case v := <-replies:
		t.Fatalf("replied %v before being told to", v)
	default:
	}
	m.Cast("answer")
	if v := <-replies; v != 42 {
		t.Fatalf("reply = %v; want 42", v)
	}
}

func TestPostpone(t *testing.T) {
	// In state a, "x" events are postponed; they are replayed, oldest
	// first, after the next state change, and only then.
	f := &fsm{initial: "a", handle: func(ev statem.Event, state string) statem.Transition[string] {
		if s, ok := goTo(ev); ok {
			return statem.Next(s)
		}
		if state == "a" && ev.Msg != "y" {
			return statem.Keep[string](statem.Postpone())
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("x1")
	m.Info("x2")
	m.Cast("y")
	m.Cast("goto a") // same state: not a change, nothing replayed
	expectSeen(t, f, "a cast x1", "a info x2", "a cast y", "a cast goto a")
	m.Cast("goto b")
	expectSeen(t, f, "a cast goto b", "b cast x1", "b info x2")
	m.Cast("goto a")
	m.Cast("goto b") // nothing postponed any more
	expectSeen(t, f, "b cast goto a", "a cast goto b")
}

func TestPostponeRepeatedUntilHandled(t *testing.T) {
	// A replayed event postponed again waits for the following change.
	f := &fsm{initial: "a", handle: func(ev statem.Event, state string) statem.Transition[string] {
		if s, ok := goTo(ev); ok {
			return statem.Next(s)
		}
		if state != "c" {
			return statem.Keep[string](statem.Postpone())
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("x")
	m.Cast("goto b")
	m.Cast("goto c")
	expectSeen(t, f, "a cast x", "a cast goto b", "b cast x", "b cast goto c", "c cast x")
}

func TestNextEvent(t *testing.T) {
	// next_event inserts events before anything queued, in the order
	// given, and before postponed events replayed by the same change.
	f := &fsm{initial: "a", handle: func(ev statem.Event, state string) statem.Transition[string] {
		switch {
		case ev.Msg == "go":
			return statem.Next("b", statem.NextEvent("n1"), statem.NextEvent("n2"))
		case ev.Msg == "n1":
			return statem.Keep[string](statem.NextEvent("n1.1"))
		case state == "a":
			return statem.Keep[string](statem.Postpone())
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("p")
	m.Cast("go")
	expectSeen(t, f, "a cast p", "a cast go", "b internal n1", "b internal n1.1", "b internal n2", "b cast p")
}

func TestNextEventFromInit(t *testing.T) {
	f := &fsm{initial: "a", initActs: []statem.Action{statem.NextEvent("boot")},
		handle: func(statem.Event, string) statem.Transition[string] { return statem.Keep[string]() }}
	testkit.NewStateMachine[string](t, f, statem.WithStateEnter())
	expectSeen(t, f, "a enter a", "a internal boot")
}

func TestStateTimeout(t *testing.T) {
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if s, ok := goTo(ev); ok {
			return statem.Next(s, statem.SetStateTimeout(5*time.Second, "in "+s))
		}
		switch ev.Msg {
		case "arm":
			return statem.Keep[string](statem.SetStateTimeout(10*time.Second, "armed"))
		case "disarm":
			return statem.Keep[string](statem.CancelStateTimeout())
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)

	// Other events in the same state do not cancel it.
	m.Cast("arm")
	m.Advance(9 * time.Second)
	m.Cast("noise")
	m.Advance(time.Second)
	expectSeen(t, f, "a cast arm", "a cast noise", "a state_timeout armed")

	// Setting it again restarts it.
	m.Cast("arm")
	m.Advance(6 * time.Second)
	m.Cast("arm")
	m.Advance(6 * time.Second)
	expectSeen(t, f, "a cast arm", "a cast arm")
	m.Advance(4 * time.Second)
	expectSeen(t, f, "a state_timeout armed")

	// A state change cancels it; one set by the changing transition runs
	// in the new state.
	m.Cast("arm")
	m.Cast("goto b")
	m.Advance(time.Minute)
	expectSeen(t, f, "a cast arm", "a cast goto b", "b state_timeout in b")

	// Cancelled explicitly.
	m.Cast("arm")
	m.Cast("disarm")
	m.Advance(time.Minute)
	expectSeen(t, f, "b cast arm", "b cast disarm")
}

func TestEventTimeout(t *testing.T) {
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if ev.Msg == "arm" {
			return statem.Keep[string](statem.SetEventTimeout(3*time.Second, "idle"))
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("arm")
	m.Advance(3 * time.Second)
	expectSeen(t, f, "a cast arm", "a event_timeout idle")

	// Any event cancels it, whatever its kind.
	for _, deliver := range []func(){func() { m.Cast("c") }, func() { m.Info("i") }, func() { m.Call("q") }} {
		m.Cast("arm")
		m.Advance(2 * time.Second)
		deliver()
		m.Advance(time.Minute)
		if slices.Contains(f.seen, "a event_timeout idle") {
			t.Fatalf("event timeout fired after another event: %q", f.seen)
		}
		f.clear()
	}
}

func TestGenericTimeouts(t *testing.T) {
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if s, ok := goTo(ev); ok {
			return statem.Next(s)
		}
		switch ev.Msg {
		case "set t1":
			return statem.Keep[string](statem.SetTimeout("t1", 5*time.Second, 1))
		case "set t2":
			return statem.Keep[string](statem.SetTimeout("t2", 7*time.Second, 2))
		case "restart t1":
			return statem.Keep[string](statem.SetTimeout("t1", 10*time.Second, "1b"))
		case "cancel t2":
			return statem.Keep[string](statem.CancelTimeout("t2"))
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	// Named timeouts are independent and survive events and state changes.
	m.Cast("set t1")
	m.Cast("set t2")
	m.Cast("goto b")
	m.Advance(10 * time.Second)
	expectSeen(t, f, "a cast set t1", "a cast set t2", "a cast goto b", "b timeout t1=1", "b timeout t2=2")

	// Restarting one replaces it: it fires once, at the new time, with the
	// new message.
	m.Cast("set t1")
	m.Advance(4 * time.Second)
	m.Cast("restart t1")
	m.Advance(9 * time.Second)
	expectSeen(t, f, "b cast set t1", "b cast restart t1")
	m.Advance(time.Second)
	expectSeen(t, f, "b timeout t1=1b")

	// Cancelling one leaves the other.
	m.Cast("set t1")
	m.Cast("set t2")
	m.Cast("cancel t2")
	m.Advance(time.Minute)
	expectSeen(t, f, "b cast set t1", "b cast set t2", "b cast cancel t2", "b timeout t1=1")
}

func TestTimeoutsFireInTimeOrder(t *testing.T) {
	f := &fsm{initial: "a", initActs: []statem.Action{
		statem.SetTimeout("late", 3*time.Second, nil),
		statem.SetStateTimeout(2*time.Second, "state"),
		statem.SetTimeout("early", time.Second, nil),
	}, handle: func(statem.Event, string) statem.Transition[string] { return statem.Keep[string]() }}
	m := testkit.NewStateMachine[string](t, f)
	m.Advance(time.Hour)
	expectSeen(t, f, "a timeout early=<nil>", "a state_timeout state", "a timeout late=<nil>")
}

func TestZeroTimeoutQueuedAfterQueuedEvents(t *testing.T) {
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if ev.Msg == "go" {
			return statem.Keep[string](statem.SetStateTimeout(0, "now"), statem.NextEvent("n"))
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("go")
	expectSeen(t, f, "a cast go", "a internal n", "a state_timeout now")
}

func TestZeroTimeoutCancelledBeforeItRuns(t *testing.T) {
	// A zero event timeout is queued behind the next event, which cancels
	// it.
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if ev.Msg == "go" {
			return statem.Keep[string](statem.SetEventTimeout(0, "idle"), statem.NextEvent("n"))
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("go")
	expectSeen(t, f, "a cast go", "a internal n")
}

func TestStop(t *testing.T) {
	boom := errors.New("boom")
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		if ev.Kind == statem.Call {
			return statem.Stop[string](boom, statem.Reply(ev.From, "bye"))
		}
		return statem.Keep[string]()
	}}
	m := testkit.NewStateMachine[string](t, f)
	if v, ok := m.Call("stop"); !ok || v != "bye" {
		t.Fatalf("reply = %v, %v; want bye before stopping", v, ok)
	}
	if !errors.Is(m.Stopped(), boom) {
		t.Fatalf("stopped with %v; want boom", m.Stopped())
	}
	m.Cast("after")
	expectSeen(t, f, "a call stop")
	m.Terminate(m.Stopped())
	if !slices.Equal(f.terminated, []string{"a boom"}) {
		t.Fatalf("terminate calls = %q", f.terminated)
	}
}

func TestStopNilIsNormal(t *testing.T) {
	f := &fsm{initial: "a", handle: func(statem.Event, string) statem.Transition[string] {
		return statem.Stop[string](nil)
	}}
	m := testkit.NewStateMachine[string](t, f)
	m.Cast("x")
	if !errors.Is(m.Stopped(), actors.ErrNormal) {
		t.Fatalf("stopped with %v; want ErrNormal", m.Stopped())
	}
}

func TestUnhandledPolicies(t *testing.T) {
	handle := func(ev statem.Event, state string) statem.Transition[string] {
		if s, ok := goTo(ev); ok {
			return statem.Next(s)
		}
		if state == "b" {
			return statem.Keep[string]()
		}
		return statem.Unhandled[string]()
	}
	t.Run("drop", func(t *testing.T) {
		f := &fsm{initial: "a", handle: handle}
		m := testkit.NewStateMachine[string](t, f)
		m.Cast("x")
		v, ok := m.Call("q")
		if !ok || !errors.Is(v.(error), statem.ErrUnhandled) {
			t.Fatalf("unhandled call answered %v, %v; want ErrUnhandled", v, ok)
		}
		m.Cast("goto b")
		expectSeen(t, f, "a cast x", "a call q", "a cast goto b")
	})
	t.Run("postpone", func(t *testing.T) {
		f := &fsm{initial: "a", handle: handle}
		m := testkit.NewStateMachine[string](t, f, statem.WithUnhandled(statem.PostponeUnhandled))
		m.Cast("x")
		m.Cast("goto b")
		expectSeen(t, f, "a cast x", "a cast goto b", "b cast x")
	})
	t.Run("crash", func(t *testing.T) {
		f := &fsm{initial: "a", handle: handle}
		m := testkit.NewStateMachine[string](t, f, statem.WithUnhandled(statem.CrashUnhandled))
		m.Cast("x")
		if !errors.Is(m.Stopped(), statem.ErrUnhandled) {
			t.Fatalf("stopped with %v; want ErrUnhandled", m.Stopped())
		}
	})
}

// manualScheduler hands out expiries for the test to deliver at will.
type manualScheduler struct{ fired []statem.Expiry }

type noTimer struct{}

func (noTimer) Stop() bool { return true }

func (s *manualScheduler) Schedule(_ time.Duration, exp statem.Expiry) actors.Timer {
	s.fired = append(s.fired, exp)
	return noTimer{}
}

// bareContext is a Context for an engine driven by hand.
type bareContext struct{ logger *slog.Logger }

func (bareContext) Self() actors.Ref       { return actors.Ref{} }
func (bareContext) Now() time.Time         { return time.Time{} }
func (c bareContext) Logger() *slog.Logger { return c.logger }

func TestStaleExpiryIgnored(t *testing.T) {
	// A timer message already on its way when the timeout was cancelled or
	// restarted must be dropped: only the current generation fires.
	f := &fsm{initial: "a", handle: func(ev statem.Event, _ string) statem.Transition[string] {
		switch ev.Msg {
		case "set":
			return statem.Keep[string](statem.SetTimeout("t", time.Second, "first"))
		case "reset":
			return statem.Keep[string](statem.SetTimeout("t", time.Second, "second"))
		case "cancel":
			return statem.Keep[string](statem.CancelTimeout("t"))
		}
		return statem.Keep[string]()
	}}
	sched := &manualScheduler{}
	e := statem.NewEngine[string](f, bareContext{testkit.Logger(t)}, sched)
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	e.Handle(statem.Event{Kind: statem.Cast, Msg: "set"})
	e.Handle(statem.Event{Kind: statem.Cast, Msg: "reset"})
	e.Expire(sched.fired[0]) // stale: restarted since
	e.Expire(sched.fired[1])
	e.Expire(sched.fired[1]) // already fired
	e.Handle(statem.Event{Kind: statem.Cast, Msg: "set"})
	e.Handle(statem.Event{Kind: statem.Cast, Msg: "cancel"})
	e.Expire(sched.fired[2]) // cancelled
	expectSeen(t, f, "a cast set", "a cast reset", "a timeout t=second", "a cast set", "a cast cancel")
}
