package stack

import (
	"context"
	"crypto/tls"
	"fmt"
	"slices"
	"sync"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/sip/transport"
	"github.com/parrot-platform/parrot/supervision"
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
	// Connections is the supervisor of a stream listener's connection
	// actors, one per connection; zero for UDP.
	Connections actors.Ref
}

// UDPListener returns an actor that listens on addr over UDP and sends
// every message it reads to owner as a transport.Inbound. Run it under a
// supervisor: if reading fails the actor crashes, and its restart binds the
// socket again. owner is told each (re)start with a [ListenerStarted].
func UDPListener(addr string, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, opts: opts, open: func(ctx context.Context, opts []transport.Option) (server, error) {
		return transport.ListenUDP(ctx, addr, opts...)
	}}
}

// TCPListener is [UDPListener] for TCP. Each connection gets an actor under
// a supervisor of the listener's ([ListenerStarted].Connections): stopping
// or crashing that actor closes its connection only.
func TCPListener(addr string, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, opts: opts, stream: true, open: func(ctx context.Context, opts []transport.Option) (server, error) {
		return transport.ListenTCP(ctx, addr, opts...)
	}}
}

// TLSListener is [TCPListener] for TLS, with the server configuration tc.
func TLSListener(addr string, tc *tls.Config, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, opts: opts, stream: true, open: func(ctx context.Context, opts []transport.Option) (server, error) {
		return transport.ListenTLS(ctx, addr, tc, opts...)
	}}
}

// WSListener is [TCPListener] for WebSocket (RFC 7118).
func WSListener(addr string, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, opts: opts, stream: true, open: func(ctx context.Context, opts []transport.Option) (server, error) {
		return transport.ListenWS(ctx, addr, opts...)
	}}
}

// WSSListener is [TCPListener] for secure WebSocket, with the server
// configuration tc.
func WSSListener(addr string, tc *tls.Config, owner actors.Ref, opts ...transport.Option) actors.Actor {
	return &listener{owner: owner, opts: opts, stream: true, open: func(ctx context.Context, opts []transport.Option) (server, error) {
		return transport.ListenWSS(ctx, addr, tc, opts...)
	}}
}

type listener struct {
	owner  actors.Ref
	opts   []transport.Option
	stream bool // connections get actors
	open   func(context.Context, []transport.Option) (server, error)
	srv    server
}

// serveEnded tells the actor its reader stopped, and why.
type serveEnded struct{ err error }

func (l *listener) Init(ctx *actors.Context) error {
	opts := l.opts
	var conns actors.Ref
	if l.stream {
		// A child of the listener: it and its connections stop with it.
		sup, err := ctx.Spawn(supervision.New(supervision.Spec{}))
		if err != nil {
			return err
		}
		conns = sup
		opts = append(slices.Clip(opts), transport.WithConnWatcher(&connWatcher{sup: sup}))
	}
	srv, err := l.open(context.Background(), opts)
	if err != nil {
		return err
	}
	l.srv = srv
	self, owner := ctx.Self(), l.owner
	go func() {
		err := srv.Serve(transport.HandlerFunc(func(in transport.Inbound) { actors.Send(owner, in) }))
		actors.Send(self, serveEnded{err})
	}()
	actors.Send(owner, ListenerStarted{Ref: self, Listener: srv, Connections: conns})
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

// connWatcher gives each stream connection a temporary actor under the
// listener's connection supervisor.
type connWatcher struct {
	sup  actors.Ref
	refs sync.Map // *transport.Conn -> actors.Ref
}

func (w *connWatcher) ConnOpened(c *transport.Conn) {
	ref, err := supervision.StartChild(context.Background(), w.sup, supervision.ChildSpec{
		Start:   func() actors.Actor { return &connActor{c} },
		Restart: supervision.Temporary,
	})
	if err != nil {
		c.Close() // the listener is stopping
		return
	}
	w.refs.Store(c, ref)
}

func (w *connWatcher) ConnClosed(c *transport.Conn) {
	if ref, ok := w.refs.LoadAndDelete(c); ok {
		actors.Stop(ref.(actors.Ref))
	}
}

// connActor stands for one connection: when it ends, for any reason, the
// connection closes.
type connActor struct{ c *transport.Conn }

func (a *connActor) Init(*actors.Context) error { return nil }

func (a *connActor) Receive(*actors.Context, actors.Message) error { return nil }

func (a *connActor) Terminate(*actors.Context, error) { a.c.Close() }
