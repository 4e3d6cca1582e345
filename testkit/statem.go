package testkit

import (
	"log/slog"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/behaviours/statem"
)

// StateMachine runs a statem machine synchronously, without an actor, in
// virtual time: each method returns once the machine has handled the event
// and everything it queued, and Advance fires due timeouts in time order.
type StateMachine[S comparable] struct {
	t      testing.TB
	clock  *actors.VirtualClock
	logger *slog.Logger
	e      *statem.Engine[S]
}

// NewStateMachine starts m (Init and the initial enter call); the test
// fails if it does not start.
func NewStateMachine[S comparable](t testing.TB, m statem.Machine[S], opts ...statem.Option) *StateMachine[S] {
	t.Helper()
	d := &StateMachine[S]{t: t, clock: NewClock(), logger: Logger(t)}
	d.e = statem.NewEngine(m, d, d, opts...)
	if err := d.e.Start(); err != nil {
		t.Fatalf("testkit: start state machine: %v", err)
	}
	return d
}

// State returns the machine's state.
func (d *StateMachine[S]) State() S { return d.e.State() }

// Stopped returns the stop reason once the machine has stopped, else nil.
func (d *StateMachine[S]) Stopped() error { return d.e.Stopped() }

// Clock returns the machine's virtual clock.
func (d *StateMachine[S]) Clock() *actors.VirtualClock { return d.clock }

// Call delivers a Call event and returns the reply, if the machine replied
// while handling it (or the events it queued).
func (d *StateMachine[S]) Call(msg any) (reply any, replied bool) {
	from, ch := actors.NewFrom()
	d.e.Handle(statem.Event{Kind: statem.Call, Msg: msg, From: from})
	select {
	case v := <-ch:
		return v, true
	default:
		return nil, false
	}
}

// CallFrom delivers a Call event with the caller from, for replies that
// come later.
func (d *StateMachine[S]) CallFrom(from actors.From, msg any) {
	d.e.Handle(statem.Event{Kind: statem.Call, Msg: msg, From: from})
}

// Cast delivers a Cast event.
func (d *StateMachine[S]) Cast(msg any) { d.e.Handle(statem.Event{Kind: statem.Cast, Msg: msg}) }

// Info delivers an Info event.
func (d *StateMachine[S]) Info(msg any) { d.e.Handle(statem.Event{Kind: statem.Info, Msg: msg}) }

// Advance moves virtual time forward by dur, firing due timeouts in order.
func (d *StateMachine[S]) Advance(dur time.Duration) { d.clock.Advance(dur) }

// Terminate calls the machine's Terminate with reason, as its host does
// when it stops.
func (d *StateMachine[S]) Terminate(reason error) { d.e.Terminate(reason) }

// Self returns the zero Ref: the machine runs without an actor.
func (d *StateMachine[S]) Self() actors.Ref { return actors.Ref{} }

// Now returns the virtual time.
func (d *StateMachine[S]) Now() time.Time { return d.clock.Now() }

// Logger returns the test's logger.
func (d *StateMachine[S]) Logger() *slog.Logger { return d.logger }

// Schedule implements statem.Scheduler on the virtual clock.
func (d *StateMachine[S]) Schedule(dur time.Duration, exp statem.Expiry) actors.Timer {
	return d.clock.AfterFunc(dur, func() { d.e.Expire(exp) })
}
