package statem

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/parrot-platform/parrot/actors"
)

// Scheduler gives an [Engine] its timers: after d, the host hands exp back
// to [Engine.Expire], on the goroutine that drives the engine.
type Scheduler interface {
	Schedule(d time.Duration, exp Expiry) actors.Timer
}

// Expiry is a timer of an [Engine] that has run out. Hosts pass it back to
// [Engine.Expire] and never look inside.
type Expiry struct {
	kind Kind
	name string
	seq  uint64
}

// timerSlot is one running timeout.
type timerSlot struct {
	seq   uint64 // 0: not running
	msg   any
	timer actors.Timer // nil for a zero timeout queued in the engine
}

// Engine runs a [Machine]: the pure core of the behaviour. It is not safe for
// concurrent use; one goroutine (an actor) drives it.
type Engine[S comparable] struct {
	m     Machine[S]
	ctx   Context
	sched Scheduler
	opts  options

	state     S
	queue     []Event // events to handle before the mailbox, in order
	postponed []Event
	seq       uint64
	timers    *timerSet // made at the first timeout: idle machines have none
	stopped   error
}

type timerSet struct {
	state, event timerSlot
	generic      map[string]*timerSlot
}

func (e *Engine[S]) timerSet() *timerSet {
	if e.timers == nil {
		e.timers = &timerSet{}
	}
	return e.timers
}

// NewEngine returns an engine for m; call Start before anything else.
func NewEngine[S comparable](m Machine[S], ctx Context, sched Scheduler, opts ...Option) *Engine[S] {
	e := &Engine[S]{m: m, ctx: ctx, sched: sched}
	for _, o := range opts {
		o(&e.opts)
	}
	return e
}

// State returns the current state.
func (e *Engine[S]) State() S { return e.state }

// Stopped returns the stop reason once the machine has stopped, else nil.
func (e *Engine[S]) Stopped() error { return e.stopped }

// Start runs Init, applies its actions, makes the initial enter call and
// handles the events inserted so far. It returns Init's error, or the stop
// reason if the machine stopped while starting.
func (e *Engine[S]) Start() error {
	state, actions, err := e.m.Init(e.ctx)
	if err != nil {
		return err
	}
	e.state = state
	var next []Event
	for _, a := range actions {
		if a.kind == actPostpone || a.kind == actReply {
			return fmt.Errorf("%w: %v in Init", ErrBadAction, a.kind)
		}
		next = e.apply(a, next)
	}
	e.queue = append(next, e.queue...)
	if e.opts.enter {
		e.enter(state)
	}
	e.drain()
	return e.stopped
}

// Handle handles one event from the mailbox, then every event it inserted
// or made ready. It returns the stop reason once the machine has stopped.
func (e *Engine[S]) Handle(ev Event) error {
	if e.stopped != nil {
		return e.stopped
	}
	e.dispatch(ev)
	if len(e.queue) > 0 {
		e.drain()
	}
	return e.stopped
}

// Expire handles a timer that ran out. A timer cancelled or restarted since
// it was set is ignored.
func (e *Engine[S]) Expire(exp Expiry) error {
	if e.stopped != nil {
		return e.stopped
	}
	if ev, ok := e.take(exp.kind, exp.name, exp.seq); ok {
		e.dispatch(ev)
		e.drain()
	}
	return e.stopped
}

// Terminate cancels the running timers and calls the machine's Terminate.
func (e *Engine[S]) Terminate(reason error) {
	if t := e.timers; t != nil {
		e.cancel(&t.state)
		e.cancel(&t.event)
		for _, s := range t.generic {
			e.cancel(s)
		}
	}
	e.m.Terminate(reason, e.state)
}

func (e *Engine[S]) drain() {
	for e.stopped == nil && len(e.queue) > 0 {
		ev := e.queue[0]
		e.queue[0] = Event{}
		e.queue = e.queue[1:]
		if exp, zero := ev.Msg.(Expiry); zero && ev.Kind == 0 {
			// A zero timeout queued in the engine: still current?
			var ok bool
			if ev, ok = e.take(exp.kind, exp.name, exp.seq); !ok {
				continue
			}
		}
		e.dispatch(ev)
	}
	if e.queue != nil && len(e.queue) == 0 {
		e.queue = nil
	}
}

// dispatch calls the machine for ev and carries out the transition. The
// common case, keeping the state with no action, does nothing more; the
// rest lives in functions of their own so that this one stays small.
func (e *Engine[S]) dispatch(ev Event) {
	if e.timers != nil && ev.Kind != EventTimeout {
		e.cancel(&e.timers.event)
	}
	if tr := e.m.HandleEvent(ev, e.state); tr.meta != 0 {
		e.transition(ev, tr)
	}
}

// unhandled applies the policy for an unhandled event; it reports whether
// the event is to be postponed.
func (e *Engine[S]) unhandled(ev Event) bool {
	switch e.opts.unhandled {
	case PostponeUnhandled:
		return true
	case CrashUnhandled:
		e.stop(fmt.Errorf("%w: %v %T in state %v", ErrUnhandled, ev.Kind, ev.Msg, e.state))
	default:
		e.ctx.Logger().Debug("statem: unhandled event dropped",
			slog.Any("state", e.state), slog.String("kind", ev.Kind.String()),
			slog.String("msg", fmt.Sprintf("%T", ev.Msg)))
		if ev.Kind == Call {
			ev.From.Reply(ErrUnhandled)
		}
	}
	return false
}

// transition carries out tr, the result of handling ev.
func (e *Engine[S]) transition(ev Event, tr Transition[S]) {
	if tr.flags()&unhandled != 0 {
		if !e.unhandled(ev) {
			return
		}
		tr = Keep[S](Postpone())
	}
	old := e.state
	stop := tr.stopReason()
	changed := stop == nil && tr.flags()&change != 0 && tr.next != old
	if changed && e.timers != nil {
		// Before the actions, so that a state timeout they set runs in the
		// new state.
		e.cancel(&e.timers.state)
	}
	var next []Event
	postpone := false
	for _, a := range tr.list() {
		if a.kind == actPostpone {
			postpone = true
			continue
		}
		next = e.apply(a, next)
	}
	if stop != nil {
		e.stop(stop)
		return
	}
	if postpone {
		e.postponed = append(e.postponed, ev)
	}
	if changed {
		e.state = tr.next
		// Next events first, then the postponed ones, then what was queued.
		q := make([]Event, 0, len(next)+len(e.postponed)+len(e.queue))
		q = append(append(append(q, next...), e.postponed...), e.queue...)
		e.queue, e.postponed = q, nil
	} else if len(next) > 0 {
		e.queue = append(next, e.queue...)
	}
	if e.opts.enter && (changed || tr.flags()&repeat != 0) {
		e.enter(old)
	}
}

// enter makes the state enter call.
func (e *Engine[S]) enter(old S) {
	tr := e.m.HandleEvent(Event{Kind: Enter, Msg: old}, e.state)
	if tr.flags()&unhandled != 0 {
		return
	}
	if tr.flags()&change != 0 && tr.next != e.state {
		e.stop(fmt.Errorf("%w: state change from the enter call of %v", ErrBadAction, e.state))
		return
	}
	for _, a := range tr.list() {
		if a.kind == actPostpone || a.kind == actNextEvent {
			e.stop(fmt.Errorf("%w: %v from the enter call of %v", ErrBadAction, a.kind, e.state))
			return
		}
		e.apply(a, nil)
	}
	if stop := tr.stopReason(); stop != nil {
		e.stop(stop)
	}
}

// apply carries out one action other than postpone; next events are
// appended to next.
func (e *Engine[S]) apply(a Action, next []Event) []Event {
	switch a.kind {
	case actReply:
		a.from.Reply(a.msg)
	case actNextEvent:
		next = append(next, Event{Kind: Internal, Msg: a.msg})
	case actStateTimeout:
		e.arm(&e.timerSet().state, StateTimeout, "", a.d, a.msg)
	case actEventTimeout:
		e.arm(&e.timerSet().event, EventTimeout, "", a.d, a.msg)
	case actTimeout:
		e.arm(e.slot(a.name), Timeout, a.name, a.d, a.msg)
	case actCancelTimeout:
		if e.timers != nil && e.timers.generic[a.name] != nil {
			e.cancel(e.timers.generic[a.name])
		}
	}
	return next
}

func (e *Engine[S]) slot(name string) *timerSlot {
	t := e.timerSet()
	if t.generic == nil {
		t.generic = make(map[string]*timerSlot)
	}
	s := t.generic[name]
	if s == nil {
		s = &timerSlot{}
		t.generic[name] = s
	}
	return s
}

// arm (re)starts a timeout; a negative d only cancels it.
func (e *Engine[S]) arm(s *timerSlot, kind Kind, name string, d time.Duration, msg any) {
	e.cancel(s)
	if d < 0 {
		return
	}
	e.seq++
	s.seq, s.msg = e.seq, msg
	exp := Expiry{kind: kind, name: name, seq: s.seq}
	if d == 0 {
		// Queued as a kindless event carrying its Expiry.
		e.queue = append(e.queue, Event{Msg: exp})
		return
	}
	s.timer = e.sched.Schedule(d, exp)
}

func (e *Engine[S]) cancel(s *timerSlot) {
	if s.timer != nil {
		s.timer.Stop()
	}
	*s = timerSlot{}
}

// take ends the timeout (kind, name) if seq is its current generation and
// returns its event.
func (e *Engine[S]) take(kind Kind, name string, seq uint64) (Event, bool) {
	t := e.timers
	if t == nil {
		return Event{}, false
	}
	var s *timerSlot
	switch kind {
	case StateTimeout:
		s = &t.state
	case EventTimeout:
		s = &t.event
	default:
		s = t.generic[name]
	}
	if s == nil || s.seq == 0 || s.seq != seq {
		return Event{}, false
	}
	ev := Event{Kind: kind, Msg: s.msg, Name: name}
	*s = timerSlot{}
	return ev, true
}

func (e *Engine[S]) stop(reason error) {
	if e.stopped == nil {
		e.stopped = reason
	}
}

func (k actionKind) String() string {
	switch k {
	case actPostpone:
		return "postpone"
	case actNextEvent:
		return "next_event"
	case actReply:
		return "reply"
	}
	return "timeout"
}
