package statem

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unsafe"

	"github.com/parrot-platform/parrot/actors"
)

// Machine is what users implement. The machine's own fields are its data;
// a machine that needs its Context (its own Ref, the time, a logger) keeps
// the one Init is given.
type Machine[S comparable] interface {
	// Init returns the initial state and actions (timeouts, next events).
	// An error stops the machine before it starts.
	Init(ctx Context) (S, []Action, error)
	// HandleEvent handles one event in the current state.
	HandleEvent(ev Event, state S) Transition[S]
	// Terminate runs when the machine stops, with the reason.
	Terminate(reason error, state S)
}

// Context is what the host gives the machine's callbacks; *actors.Context
// implements it.
type Context interface {
	Self() actors.Ref
	Now() time.Time
	Logger() *slog.Logger
}

// Kind is the kind of an [Event].
type Kind uint8

// Event kinds.
const (
	// Enter is a state enter call; Msg is the previous state.
	Enter Kind = iota + 1
	// Call is a request from actors.Call; reply through Event.From.
	Call
	// Cast is a request from actors.Cast.
	Cast
	// Info is any other message: actors.Send, actors.Down.
	Info
	// Internal is an event inserted by [NextEvent].
	Internal
	// StateTimeout fires when [SetStateTimeout] expires.
	StateTimeout
	// EventTimeout fires when [SetEventTimeout] expires.
	EventTimeout
	// Timeout fires when the generic timeout named Event.Name expires.
	Timeout
)

var kindNames = [...]string{"", "enter", "call", "cast", "info", "internal", "state_timeout", "event_timeout", "timeout"}

// String returns the kind's gen_statem name.
func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Event is one event given to HandleEvent.
type Event struct {
	Kind Kind
	Msg  any
	// From is the caller of a Call event.
	From actors.From
	// Name is the name of a generic Timeout event.
	Name string
}

// Errors a machine may stop with.
var (
	// ErrUnhandled is the reply to a call the machine left unhandled, and
	// the cause of the crash under [CrashUnhandled].
	ErrUnhandled = errors.New("statem: unhandled event")
	// ErrBadAction reports an action or transition that gen_statem forbids
	// where it was returned: a state change, postpone or next event from an
	// enter call, or postponing an enter call.
	ErrBadAction = errors.New("statem: action not allowed here")
)

// Transition is the result of HandleEvent. The zero Transition keeps the
// state and does nothing.
//
// It is kept to three words (the state, a flags-and-count word and a
// pointer to the actions) so that the compiler can hold it in registers:
// returning it costs nothing on the common path.
type Transition[S comparable] struct {
	next    S
	meta    uint64  // transitionFlags in the low byte, the number of actions above
	actions *Action // the first of them; a stop is the last, as an actStop
}

type transitionFlags uint8

const (
	change transitionFlags = 1 << iota
	repeat
	unhandled
	stopping
)

func newTransition[S comparable](next S, flags transitionFlags, actions []Action) Transition[S] {
	t := Transition[S]{next: next, meta: uint64(flags) | uint64(len(actions))<<8}
	if len(actions) > 0 {
		t.actions = &actions[0]
	}
	return t
}

func (t Transition[S]) flags() transitionFlags { return transitionFlags(t.meta) }

func (t Transition[S]) list() []Action {
	if t.actions == nil {
		return nil
	}
	return unsafe.Slice(t.actions, t.meta>>8)
}

// stopReason returns the reason of a Stop transition, else nil.
func (t Transition[S]) stopReason() error {
	if t.flags()&stopping == 0 {
		return nil
	}
	l := t.list()
	return l[len(l)-1].msg.(error)
}

// Next moves to state s (a state change only if s differs from the current
// state) and runs actions.
func Next[S comparable](s S, actions ...Action) Transition[S] {
	return newTransition(s, change, actions)
}

// Keep keeps the current state and runs actions.
func Keep[S comparable](actions ...Action) Transition[S] {
	var zero S
	return newTransition(zero, 0, actions)
}

// Repeat keeps the current state, runs actions, and repeats the state enter
// call as if the state had been entered again (postponed events are not
// replayed).
func Repeat[S comparable](actions ...Action) Transition[S] {
	var zero S
	return newTransition(zero, repeat, actions)
}

// Stop runs actions (replies are sent) and stops the machine with reason;
// nil means actors.ErrNormal.
func Stop[S comparable](reason error, actions ...Action) Transition[S] {
	if reason == nil {
		reason = actors.ErrNormal
	}
	var zero S
	all := append(actions[:len(actions):len(actions)], Action{kind: actStop, msg: reason})
	return newTransition(zero, stopping, all)
}

// Unhandled says the machine does not handle this event in this state; the
// engine applies its [UnhandledPolicy].
func Unhandled[S comparable]() Transition[S] {
	var zero S
	return newTransition(zero, unhandled, nil)
}

type actionKind uint8

const (
	actReply actionKind = iota + 1
	actPostpone
	actNextEvent
	actStateTimeout
	actEventTimeout
	actTimeout
	actCancelTimeout
	actStop
)

// Action is one effect of a transition, made by the constructors below.
type Action struct {
	kind actionKind
	d    time.Duration
	msg  any
	name string
	from actors.From
}

// Reply answers a Call event's caller.
func Reply(from actors.From, v any) Action { return Action{kind: actReply, from: from, msg: v} }

// Postpone keeps the current event until the state changes.
func Postpone() Action { return Action{kind: actPostpone} }

// NextEvent inserts an [Internal] event carrying msg, to be handled before
// any queued event.
func NextEvent(msg any) Action { return Action{kind: actNextEvent, msg: msg} }

// SetStateTimeout starts (or restarts) the state timeout: a [StateTimeout]
// event carrying msg after d, unless the state changes first. A negative d
// cancels it.
func SetStateTimeout(d time.Duration, msg any) Action {
	return Action{kind: actStateTimeout, d: d, msg: msg}
}

// CancelStateTimeout cancels the state timeout.
func CancelStateTimeout() Action { return SetStateTimeout(-1, nil) }

// SetEventTimeout starts the event timeout: an [EventTimeout] event carrying
// msg after d, unless any event comes first. A negative d cancels it.
func SetEventTimeout(d time.Duration, msg any) Action {
	return Action{kind: actEventTimeout, d: d, msg: msg}
}

// SetTimeout starts or restarts the generic timeout called name: a
// [Timeout] event carrying msg after d. A negative d cancels it.
func SetTimeout(name string, d time.Duration, msg any) Action {
	return Action{kind: actTimeout, name: name, d: d, msg: msg}
}

// CancelTimeout cancels the generic timeout called name.
func CancelTimeout(name string) Action { return Action{kind: actCancelTimeout, name: name} }

// UnhandledPolicy is what the engine does with an event the machine
// returned [Unhandled] for.
type UnhandledPolicy uint8

// Policies for unhandled events.
const (
	// DropUnhandled drops the event with a debug log; a call is answered
	// with [ErrUnhandled].
	DropUnhandled UnhandledPolicy = iota
	// PostponeUnhandled postpones the event until the state changes.
	PostponeUnhandled
	// CrashUnhandled stops the machine with an error wrapping
	// [ErrUnhandled].
	CrashUnhandled
)

// Option configures an [Engine] or the actor [New] makes.
type Option func(*options)

type options struct {
	enter     bool
	unhandled UnhandledPolicy
}

// WithStateEnter turns on state enter calls.
func WithStateEnter() Option { return func(o *options) { o.enter = true } }

// WithUnhandled sets the policy for unhandled events (default
// [DropUnhandled]).
func WithUnhandled(p UnhandledPolicy) Option { return func(o *options) { o.unhandled = p } }
