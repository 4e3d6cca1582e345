package statem

import (
	"time"

	"github.com/parrot-platform/parrot/actors"
)

// New returns an actor that runs m: calls, casts and other messages become
// [Call], [Cast] and [Info] events, timers go through the system's clock,
// and a [Stop] transition or a panic ends the actor with that reason.
func New[S comparable](m Machine[S], opts ...Option) actors.Actor {
	h := &host[S]{}
	h.m = m
	for _, o := range opts {
		o(&h.opts)
	}
	return h
}

type host[S comparable] struct {
	Engine[S]
	actx *actors.Context
}

func (h *host[S]) Init(ctx *actors.Context) error {
	h.actx, h.ctx, h.sched = ctx, ctx, h
	return h.Start()
}

func (h *host[S]) Receive(_ *actors.Context, msg actors.Message) error {
	if exp, ok := msg.Body.(Expiry); ok {
		return h.Expire(exp)
	}
	return h.Handle(Event{Kind: eventKind(msg.Kind), Msg: msg.Body, From: msg.From})
}

// eventKind maps how a message was sent to the event kind.
func eventKind(k actors.Kind) Kind {
	switch k {
	case actors.KindCall:
		return Call
	case actors.KindCast:
		return Cast
	}
	return Info
}

func (h *host[S]) Terminate(_ *actors.Context, reason error) { h.Engine.Terminate(reason) }

// Schedule implements [Scheduler] through the system's clock.
func (h *host[S]) Schedule(d time.Duration, exp Expiry) actors.Timer {
	return actors.SendAfter(h.actx.Clock(), d, h.actx.Self(), exp)
}
