package statem_test

import (
	"slices"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/behaviours/statem"
	"github.com/parrot-platform/parrot/testkit"
)

// The code lock of OTP's gen_statem documentation (handle_event_function
// mode with state enter calls): buttons pressed while locked build up a
// code; the right one opens the door for 10 s; a wrong or incomplete entry
// is forgotten after 30 s without a button; buttons pressed while open are
// postponed until the door locks again.

type lockState int

const (
	locked lockState = iota + 1
	open
)

func (s lockState) String() string { return map[lockState]string{locked: "locked", open: "open"}[s] }

type button int

type codeLength struct{}

type codeLock struct {
	code    []int
	buttons []int
	actions []string // the door's hardware: what do_lock / do_unlock did
}

func (l *codeLock) Init(statem.Context) (lockState, []statem.Action, error) {
	return locked, nil, nil
}

func (l *codeLock) HandleEvent(ev statem.Event, state lockState) statem.Transition[lockState] {
	if ev.Kind == statem.Call {
		if _, ok := ev.Msg.(codeLength); ok {
			return statem.Keep[lockState](statem.Reply(ev.From, len(l.code)))
		}
	}
	switch state {
	case locked:
		switch {
		case ev.Kind == statem.Enter:
			l.actions = append(l.actions, "lock")
			l.buttons = nil
			return statem.Keep[lockState]()
		case ev.Kind == statem.StateTimeout && ev.Msg == "button":
			l.buttons = nil
			return statem.Keep[lockState]()
		case ev.Kind == statem.Cast:
			b := int(ev.Msg.(button))
			if len(l.buttons) >= len(l.code) {
				l.buttons = l.buttons[1:]
			}
			l.buttons = append(l.buttons, b)
			if slices.Equal(l.buttons, l.code) {
				return statem.Next(open)
			}
			return statem.Keep[lockState](statem.SetStateTimeout(30*time.Second, "button"))
		}
	case open:
		switch {
		case ev.Kind == statem.Enter:
			l.actions = append(l.actions, "unlock")
			return statem.Keep[lockState](statem.SetStateTimeout(10*time.Second, "lock"))
		case ev.Kind == statem.StateTimeout && ev.Msg == "lock":
			return statem.Next(locked)
		case ev.Kind == statem.Cast:
			return statem.Keep[lockState](statem.Postpone())
		}
	}
	return statem.Unhandled[lockState]()
}

func (l *codeLock) Terminate(error, lockState) {
	l.actions = append(l.actions, "terminate")
}

func TestCodeLock(t *testing.T) {
	lock := &codeLock{code: []int{1, 2, 3}}
	m := testkit.NewStateMachine(t, lock, statem.WithStateEnter(), statem.WithUnhandled(statem.CrashUnhandled))
	if m.State() != locked || !slices.Equal(lock.actions, []string{"lock"}) {
		t.Fatalf("after start: state %v, door %v; want locked, [lock]", m.State(), lock.actions)
	}
	if n, ok := m.Call(codeLength{}); !ok || n != 3 {
		t.Fatalf("code_length = %v, %v; want 3", n, ok)
	}

	// A wrong entry is forgotten after 30 s of silence, not before.
	m.Cast(button(9))
	m.Cast(button(1))
	m.Advance(29 * time.Second)
	if !slices.Equal(lock.buttons, []int{9, 1}) {
		t.Fatalf("buttons after 29 s = %v; want [9 1]", lock.buttons)
	}
	m.Advance(time.Second)
	if len(lock.buttons) != 0 {
		t.Fatalf("buttons after 30 s = %v; want none", lock.buttons)
	}

	// Each button restarts the 30 s timeout.
	m.Cast(button(1))
	m.Advance(20 * time.Second)
	m.Cast(button(2))
	m.Advance(20 * time.Second)
	if !slices.Equal(lock.buttons, []int{1, 2}) {
		t.Fatalf("buttons = %v; want [1 2] (timeout restarted by the second button)", lock.buttons)
	}

	// The right code opens; a button pressed while open waits for the lock.
	m.Cast(button(3))
	if m.State() != open || !slices.Equal(lock.actions, []string{"lock", "unlock"}) {
		t.Fatalf("after 1 2 3: state %v, door %v; want open, [lock unlock]", m.State(), lock.actions)
	}
	m.Cast(button(7))
	m.Advance(9 * time.Second)
	if m.State() != open {
		t.Fatalf("state after 9 s open = %v; want open", m.State())
	}
	m.Advance(time.Second)
	if m.State() != locked {
		t.Fatalf("state after 10 s open = %v; want locked", m.State())
	}
	// The enter call of locked cleared the buttons, then the postponed 7 was
	// replayed.
	if !slices.Equal(lock.buttons, []int{7}) || !slices.Equal(lock.actions, []string{"lock", "unlock", "lock"}) {
		t.Fatalf("after relock: buttons %v, door %v; want [7], [lock unlock lock]", lock.buttons, lock.actions)
	}

	// The state timeout "button" set before opening did not survive the
	// state changes: only the one set by the replayed 7 runs.
	m.Advance(30 * time.Second)
	if len(lock.buttons) != 0 {
		t.Fatalf("buttons = %v; want none", lock.buttons)
	}
	if m.Stopped() != nil {
		t.Fatalf("stopped: %v", m.Stopped())
	}
}
