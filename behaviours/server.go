package behaviours

import (
	"fmt"
	"log/slog"

	"github.com/parrot-platform/parrot/actors"
)

// Server is a gen_server-like behaviour. Embed [BaseServer] to get default
// callbacks and implement only those you need.
//
// Returning a non-nil error from a callback stops the server with that
// reason: actors.ErrNormal or actors.ErrShutdown for a normal stop, anything
// else is a crash its supervisor sees.
type Server interface {
	// Init runs first; an error makes the spawn fail.
	Init(ctx *actors.Context) error
	// HandleCall answers a request from actors.Call. The reply is sent when
	// HandleCall returns, unless it is [NoReply]: then the server replies
	// later through from.Reply. A reply is sent even if err stops the
	// server.
	HandleCall(ctx *actors.Context, req any, from actors.From) (reply any, err error)
	// HandleCast handles a request from actors.Cast.
	HandleCast(ctx *actors.Context, msg any) error
	// HandleInfo handles any other message: actors.Send, timers,
	// actors.Down.
	HandleInfo(ctx *actors.Context, msg any) error
	// Terminate runs last, with the exit reason.
	Terminate(ctx *actors.Context, reason error)
}

// NoReply, returned as HandleCall's reply, means the server will reply
// later through the From it was given.
var NoReply any = noReply{}

type noReply struct{}

// BaseServer gives a [Server] its default callbacks: Init and Terminate do
// nothing; unexpected calls are answered with an error and unexpected casts
// and infos are dropped, each with a debug log.
type BaseServer struct{}

// Init does nothing.
func (BaseServer) Init(*actors.Context) error { return nil }

// HandleCall answers with an error naming the request's type.
func (BaseServer) HandleCall(ctx *actors.Context, req any, _ actors.From) (any, error) {
	ctx.Logger().Debug("behaviours: unexpected call", slog.String("type", fmt.Sprintf("%T", req)))
	return fmt.Errorf("behaviours: unexpected call %T", req), nil
}

// HandleCast drops the message.
func (BaseServer) HandleCast(ctx *actors.Context, msg any) error {
	ctx.Logger().Debug("behaviours: unexpected cast", slog.String("type", fmt.Sprintf("%T", msg)))
	return nil
}

// HandleInfo drops the message.
func (BaseServer) HandleInfo(ctx *actors.Context, msg any) error {
	ctx.Logger().Debug("behaviours: unexpected info", slog.String("type", fmt.Sprintf("%T", msg)))
	return nil
}

// Terminate does nothing.
func (BaseServer) Terminate(*actors.Context, error) {}

// NewServer returns an actor that runs s.
func NewServer(s Server) actors.Actor { return serverActor{s} }

type serverActor struct{ s Server }

func (a serverActor) Init(ctx *actors.Context) error { return a.s.Init(ctx) }

func (a serverActor) Receive(ctx *actors.Context, m actors.Message) error {
	switch m.Kind {
	case actors.KindCall:
		reply, err := a.s.HandleCall(ctx, m.Body, m.From)
		if _, later := reply.(noReply); !later {
			m.From.Reply(reply)
		}
		return err
	case actors.KindCast:
		return a.s.HandleCast(ctx, m.Body)
	default:
		return a.s.HandleInfo(ctx, m.Body)
	}
}

func (a serverActor) Terminate(ctx *actors.Context, reason error) { a.s.Terminate(ctx, reason) }
