package stack

import (
	"context"
	"crypto/tls"
	"fmt"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/sip/transport"
)

// server is what a listener actor runs: a transport listener.
type server interface {
	Serve(h transport.Handler) error
	Close() error
}

// ListenerStarted is sent to the owner once a listener actor has bound
// its socket, with the listener, for sending and for its address.
type ListenerStarted struct {
	Ref      actors.Ref
	Listener any // *transport.UDPListener, *transport.StreamListener or *transport.WSListener
}

// UDPListener returns an actor that listens on addr over UDP and sends
// every message it reads to owner as a transport.Inbound. Run it under a
// supervisor: if reading fails the actor crashes, and its restart binds the
// socket again. owner is told each (re)start with a [ListenerStarted].
func UDPListener(addr string, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, open: func(ctx context.Context) (server, error) {
		return transport.ListenUDP(ctx, addr, opts...)
	}}
}

// TCPListener is [UDPListener] for TCP.
func TCPListener(addr string, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, open: func(ctx context.Context) (server, error) {
		return transport.ListenTCP(ctx, addr, opts...)
	}}
}

// TLSListener is [UDPListener] for TLS, with the server configuration tc.
func TLSListener(addr string, tc *tls.Config, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, open: func(ctx context.Context) (server, error) {
		return transport.ListenTLS(ctx, addr, tc, opts...)
	}}
}

// WSListener is [UDPListener] for WebSocket (RFC 7118).
func WSListener(addr string, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, open: func(ctx context.Context) (server, error) {
		return transport.ListenWS(ctx, addr, opts...)
	}}
}

// WSSListener is [UDPListener] for secure WebSocket, with the server
// configuration tc.
func WSSListener(addr string, tc *tls.Config, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, open: func(ctx context.Context) (server, error) {
		return transport.ListenWSS(ctx, addr, tc, opts...)
	}}
}

type listener struct {
	owner actors.Ref
	open  func(context.Context) (server, error)
	srv   server
}

// serveEnded tells the actor its reader stopped, and why.
type serveEnded struct{ err error }

func (l *listener) Init(ctx *actors.Context) error {
	srv, err := l.open(context.Background())
	if err != nil {
		return err
	}
	l.srv = srv
	self, owner := ctx.Self(), l.owner
	go func() {
		err := srv.Serve(transport.HandlerFunc(func(in transport.Inbound) { actors.Send(owner, in) }))
		actors.Send(self, serveEnded{err})
	}()
	actors.Send(owner, ListenerStarted{Ref: self, Listener: srv})
	return nil
}

func (l *listener) Receive(_ *actors.Context, m actors.Message) error {
	if e, ok := m.Body.(serveEnded); ok {
		if e.err == nil {
			e.err = fmt.Errorf("stack: listener closed")
		}
		return e.err // a crash: the supervisor binds again
	}
	return nil
}

func (l *listener) Terminate(*actors.Context, error) {
	if l.srv != nil {
		l.srv.Close()
	}
}
