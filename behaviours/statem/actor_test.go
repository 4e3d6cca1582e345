package statem_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/behaviours/statem"
	"github.com/parrot-platform/parrot/testkit"
)

// door is a small machine hosted in an actor: it reports to a probe.
type door struct {
	probe actors.Ref
}

type (
	openDoor  struct{}
	getState  struct{}
	crashDoor struct{}
	closeDoor struct{}
	entered   struct{ state string }
	timedOut  struct{ state string }
	ended     struct {
		state  string
		reason error
	}
)

func (d *door) Init(statem.Context) (string, []statem.Action, error) { return "closed", nil, nil }

func (d *door) HandleEvent(ev statem.Event, state string) statem.Transition[string] {
	switch msg := ev.Msg.(type) {
	case string:
		if ev.Kind == statem.Enter {
			actors.Send(d.probe, entered{state})
			if state == "open" {
				return statem.Keep[string](statem.SetStateTimeout(5*time.Second, "close"))
			}
		}
		if ev.Kind == statem.StateTimeout {
			actors.Send(d.probe, timedOut{state})
			return statem.Next("closed")
		}
	case openDoor:
		if state == "open" {
			return statem.Keep[string](statem.Postpone())
		}
		return statem.Next("open", statem.Reply(ev.From, "opening"))
	case getState:
		return statem.Keep[string](statem.Reply(ev.From, state))
	case crashDoor:
		panic("door jammed")
	case closeDoor:
		return statem.Stop[string](errors.New("door removed"))
	default:
		_ = msg
	}
	return statem.Unhandled[string]()
}

func (d *door) Terminate(reason error, state string) {
	actors.Send(d.probe, ended{state, reason})
}

func startDoor(t *testing.T) (*actors.VirtualClock, *testkit.Probe, actors.Ref) {
	t.Helper()
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	sys := testkit.NewSystem(t, actors.WithClock(clock))
	probe := testkit.NewProbe(t, sys)
	ref := testkit.Spawn(t, sys, statem.New[string](&door{probe: probe.Ref()}, statem.WithStateEnter()))
	probe.Watch(ref)
	if e := testkit.ExpectMsg[entered](probe, time.Second); e.state != "closed" {
		t.Fatalf("entered %q first; want closed", e.state)
	}
	return clock, probe, ref
}

func TestActorCallsAndVirtualTimeouts(t *testing.T) {
	clock, probe, ref := startDoor(t)
	ctx := context.Background()
	if v, err := actors.Call(ctx, ref, openDoor{}); err != nil || v != "opening" {
		t.Fatalf("open = %v, %v", v, err)
	}
	testkit.ExpectMsg[entered](probe, time.Second)
	// The reply went out before the enter call armed the state timeout:
	// a call handled after it makes sure the timer is set before time moves.
	if v, _ := actors.Call(ctx, ref, getState{}); v != "open" {
		t.Fatalf("state = %v; want open", v)
	}

	// A second open is postponed until the door has closed again.
	from := make(chan any, 1)
	go func() {
		v, err := actors.Call(ctx, ref, openDoor{})
		if err != nil {
			v = err
		}
		from <- v
	}()

	clock.Advance(4 * time.Second)
	if v, _ := actors.Call(ctx, ref, getState{}); v != "open" {
		t.Fatalf("state after 4 s = %v; want open", v)
	}
	probe.ExpectNoMsg(20 * time.Millisecond)
	clock.Advance(time.Second)
	if to := testkit.ExpectMsg[timedOut](probe, time.Second); to.state != "open" {
		t.Fatalf("timed out in %q", to.state)
	}
	// The postponed open is replayed once closed: the door opens again.
	if e := testkit.ExpectMsg[entered](probe, time.Second); e.state != "closed" {
		t.Fatalf("entered %q; want closed", e.state)
	}
	if e := testkit.ExpectMsg[entered](probe, time.Second); e.state != "open" {
		t.Fatalf("entered %q; want open (postponed call replayed)", e.state)
	}
	if v := <-from; v != "opening" {
		t.Fatalf("postponed call answered %v", v)
	}
}

func TestActorUnhandledCallAnswered(t *testing.T) {
	_, _, ref := startDoor(t)
	_, err := actors.Call(context.Background(), ref, 42)
	if !errors.Is(err, statem.ErrUnhandled) {
		t.Fatalf("unhandled call returned %v; want ErrUnhandled", err)
	}
}

func TestActorPanicIsCrash(t *testing.T) {
	_, probe, ref := startDoor(t)
	actors.Send(ref, crashDoor{})
	end := testkit.ExpectMsg[ended](probe, time.Second)
	reason := probe.ExpectDown(ref, time.Second)
	var pe *actors.PanicError
	if !errors.As(reason, &pe) || pe.Value != "door jammed" {
		t.Fatalf("exit reason %v; want the panic", reason)
	}
	if end.state != "closed" || end.reason != reason {
		t.Fatalf("terminate saw %+v; want state closed and the exit reason", end)
	}
}

func TestActorStopTransition(t *testing.T) {
	_, probe, ref := startDoor(t)
	actors.Cast(ref, closeDoor{})
	end := testkit.ExpectMsg[ended](probe, time.Second)
	reason := probe.ExpectDown(ref, time.Second)
	var crash *actors.CrashError
	if !errors.As(reason, &crash) || crash.Err.Error() != "door removed" || end.reason != reason {
		t.Fatalf("exit reason %v, terminate %v; want a crash with the stop reason", reason, end.reason)
	}
}
