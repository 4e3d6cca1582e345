package actors

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// Ref is an opaque reference to an actor. The zero Ref refers to no actor.
// Refs are comparable: two Refs are equal when they refer to the same actor
// incarnation (a restarted child is a new actor with a new Ref).
type Ref struct{ c *cell }

// cell is what every Ref to one actor shares: where to send, and how the
// actor ended.
type cell struct {
	sys       *System
	addr      atomic.Pointer[actor.PID] // set by the actor as it starts
	dead      atomic.Bool
	reason    error // written once, before dead is set
	requested atomic.Pointer[error]
	name      string // guarded by sys.mu
	forgotten bool   // guarded by sys.mu: the actor is exiting, its name released

	mu   sync.Mutex
	done chan struct{} // made on demand: most actors are never waited for
}

func (c *cell) exited() bool { return c.dead.Load() }

// pid returns the actor's runtime address, nil until it starts.
func (c *cell) pid() *actor.PID { return c.addr.Load() }

// doneChan returns a channel closed once the actor has exited.
func (c *cell) doneChan() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.dead.Load() {
			close(c.done)
		}
	}
	return c.done
}

// finish records the exit reason and wakes those waiting for the exit.
func (c *cell) finish(reason error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reason = reason
	c.dead.Store(true)
	if c.done != nil {
		close(c.done)
	}
}

// IsZero reports whether r refers to no actor.
func (r Ref) IsZero() bool { return r.c == nil }

// String returns the actor's identifier, for logs.
func (r Ref) String() string {
	if r.c == nil || r.c.pid() == nil {
		return "<nil>"
	}
	return r.c.pid().Id
}

// LogValue logs a Ref as its identifier.
func (r Ref) LogValue() slog.Value { return slog.StringValue(r.String()) }

// Done returns a channel closed when the actor has exited. It is nil for
// the zero Ref.
func (r Ref) Done() <-chan struct{} {
	if r.c == nil {
		return nil
	}
	return r.c.doneChan()
}

// ExitReason returns why the actor exited, or nil while it is alive (and for
// the zero Ref).
func (r Ref) ExitReason() error {
	if r.c == nil || !r.c.exited() {
		return nil
	}
	return r.c.reason
}

// Alive reports whether the actor has not exited yet.
func (r Ref) Alive() bool { return r.c != nil && !r.c.exited() }

// Kind tells how a [Message] was sent.
type Kind uint8

// Message kinds, as gen_server and gen_statem distinguish them.
const (
	// KindInfo is a plain message: [Send], timers from [SendAfter], [Down].
	KindInfo Kind = iota
	// KindCast is an asynchronous request sent with [Cast].
	KindCast
	// KindCall is a request sent with [Call]; the receiver answers through
	// the message's From.
	KindCall
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindInfo:
		return "info"
	case KindCast:
		return "cast"
	case KindCall:
		return "call"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Message is what an actor's Receive is given.
type Message struct {
	Kind Kind
	Body any
	// From is the caller to answer, for a Call; zero otherwise.
	From From
}

// Down tells a watcher that a watched actor has exited, and why. Reason is
// [ErrNoProc] when the actor was already gone, or unknown, when watched.
type Down struct {
	Ref    Ref
	Reason error
}

// From identifies the caller of a [Call]. The receiver replies once, now
// or later, from any goroutine; later replies are dropped.
type From struct{ ch chan any }

// NewFrom returns a From whose reply is delivered on the returned channel,
// for driving a behaviour's call handling without a caller (tests, pure
// engines).
func NewFrom() (From, <-chan any) {
	ch := make(chan any, 1)
	return From{ch}, ch
}

// IsZero reports whether f is no caller (the message was not a Call).
func (f From) IsZero() bool { return f.ch == nil }

// Reply answers the caller. An error value makes [Call] return it as its
// error. Replying to the zero From or a second time does nothing.
func (f From) Reply(v any) {
	if f.ch == nil {
		return
	}
	select {
	case f.ch <- v:
	default:
	}
}

type callMsg struct {
	req any
	ch  chan any
}

type castMsg struct{ msg any }

type syncMsg struct {
	msg any
	ack chan struct{}
}

// Send delivers msg to the actor as a [KindInfo] message. Sending to an actor
// that has exited drops the message.
func Send(to Ref, msg any) {
	if to.c == nil || to.c.exited() {
		return
	}
	to.c.sys.as.Root.Send(to.c.pid(), msg)
}

// Cast delivers msg to the actor as a [KindCast] message.
func Cast(to Ref, msg any) { Send(to, castMsg{msg}) }

// Call sends req to the actor as a [KindCall] message and waits for the reply.
// It returns promptly with an error wrapping [ErrNoProc] and the exit reason
// if the actor is not alive or exits before replying, and with an error
// wrapping ctx.Err() if ctx ends first. A reply that is an error value is
// returned as the error.
//
// Do not Call from inside an actor an actor that may call it back: the two
// wait on each other until ctx ends.
func Call(ctx context.Context, to Ref, req any) (any, error) {
	if to.c == nil {
		return nil, ErrNoProc
	}
	if to.c.exited() {
		return nil, exitedError(to)
	}
	ch := make(chan any, 1)
	done := to.c.doneChan()
	to.c.sys.as.Root.Send(to.c.pid(), &callMsg{req: req, ch: ch})
	select {
	case v := <-ch:
		return replyValue(v)
	case <-done:
		select {
		case v := <-ch:
			return replyValue(v)
		default:
			return nil, exitedError(to)
		}
	case <-ctx.Done():
		return nil, fmt.Errorf("actors: call %s: %w", to, ctx.Err())
	}
}

func replyValue(v any) (any, error) {
	if err, ok := v.(error); ok {
		return nil, err
	}
	return v, nil
}

func exitedError(r Ref) error {
	return fmt.Errorf("%w: %s exited: %w", ErrNoProc, r, r.c.reason)
}

// Stop stops the actor with reason [ErrNormal]: it handles no further
// message, its Terminate runs, and its children stop. Stop does not wait;
// use [Ref.Done] for that.
func Stop(ref Ref) { Exit(ref, ErrNormal) }

// Exit stops the actor with the given reason, ahead of the messages queued
// for it. An abnormal reason makes its supervisor treat it as a crash, which
// is how tests inject failures. The first reason asked for wins.
func Exit(ref Ref, reason error) {
	if ref.c == nil || ref.c.exited() {
		return
	}
	ref.c.requested.CompareAndSwap(nil, &reason)
	if pid := ref.c.pid(); pid != nil {
		ref.c.sys.as.Root.Stop(pid)
	}
}

// sendSync delivers msg and waits until the actor has handled it or exited.
func sendSync(to Ref, msg any) {
	if to.c == nil || to.c.exited() {
		return
	}
	ack := make(chan struct{})
	done := to.c.doneChan()
	to.c.sys.as.Root.Send(to.c.pid(), syncMsg{msg: msg, ack: ack})
	select {
	case <-ack:
	case <-done:
	}
}
