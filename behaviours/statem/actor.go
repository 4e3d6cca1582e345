package statem

import (
	"time"

	"github.com/parrot-platform/parrot/actors"
)

// New returns an actor that runs m: calls, casts and other messages become
// [Call], [Cast] and [Info] events, timers go through the system's clock,
// and a [Stop] transition or a panic ends the actor with that reason.
func New[S comparable](m Machine[S], opts ...Option) actors.Actor {
	a := &host[S]{}
	a.opts = opts
	a.m = m
	return a
}

type host[S comparable] struct {
	Engine[S]
	m    Machine[S]
	opts []Option
	self actors.Ref
	clk  actors.Clock
}

func (h *host[S]) Init(ctx *actors.Context) error {
	h.self, h.clk = ctx.Self(), ctx.Clock()
	h.setup(h.m, ctx, h, h.opts)
	h.opts = nil
	return h.Start()
}

func (h *host[S]) Receive(_ *actors.Context, msg actors.Message) error {
	if exp, ok := msg.Body.(Expiry); ok {
		return h.Expire(exp)
	}
	ev := Event{Kind: Info, Msg: msg.Body}
	switch msg.Kind {
	case actors.KindCall:
		ev.Kind, ev.From = Call, msg.From
	case actors.KindCast:
		ev.Kind = Cast
	}
	return h.Handle(ev)
}

func (h *host[S]) Terminate(_ *actors.Context, reason error) { h.Engine.Terminate(reason) }

// Schedule implements [Scheduler] through the system's clock.
func (h *host[S]) Schedule(d time.Duration, exp Expiry) actors.Timer {
	return actors.SendAfter(h.clk, d, h.self, exp)
}
