package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parrot-platform/parrot/sip"
)

// WithIdleTimeout closes a stream connection that has read nothing for d
// (default: never).
func WithIdleTimeout(d time.Duration) Option { return func(c *config) { c.idle = d } }

// WithWriteTimeout bounds how long a send may wait for a stream peer that
// does not read (default 10 s); the connection is then closed.
func WithWriteTimeout(d time.Duration) Option { return func(c *config) { c.write = d } }

// Conn is one stream connection (TCP, TLS, WS, WSS), as a [ConnWatcher]
// sees it.
type Conn struct {
	remote netip.AddrPort
	close  func() error
}

// Remote returns the peer's address.
func (c *Conn) Remote() netip.AddrPort { return c.remote }

// Close closes the connection; its reader and writer end.
func (c *Conn) Close() error { return c.close() }

// ConnWatcher is told when a stream connection opens and when it has
// ended, on the connection's reader goroutine: the stack gives each
// connection an actor this way.
type ConnWatcher interface {
	ConnOpened(c *Conn)
	ConnClosed(c *Conn)
}

// WithConnWatcher sets a [ConnWatcher] on a stream listener.
func WithConnWatcher(w ConnWatcher) Option { return func(c *config) { c.watcher = w } }

// ServerTLSConfig loads a certificate and its key from PEM files into a
// TLS server configuration (TLS 1.2 at least), for ListenTLS and
// ListenWSS.
func ServerTLSConfig(certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("transport: load certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// WithWriteQueue sets how many messages may wait to be written on one
// stream connection (default 64); senders wait while it is full.
func WithWriteQueue(n int) Option { return func(c *config) { c.queue = max(n, 1) } }

// WithTLSClientConfig sets the configuration of the TLS connections a TLS
// listener opens to send (its server configuration is given to ListenTLS).
func WithTLSClientConfig(tc *tls.Config) Option { return func(c *config) { c.tlsClient = tc } }

// StreamListener reads and writes SIP messages over TCP or TLS
// connections (RFC 3261 §18.3): it accepts connections, frames each with
// a [sip.Framer], answers CRLF keep-alive pings (RFC 5626 §3.5.1), and
// sends over the connection a peer opened when there is one, opening one
// otherwise. A connection whose stream cannot be framed is closed; the
// others go on.
type StreamListener struct {
	endpoint
	ln    net.Listener
	pongs atomic.Uint64

	mu     sync.Mutex
	conns  map[netip.AddrPort]*streamConn
	closed bool
	wg     sync.WaitGroup
}

// streamConn is one connection: a reader, and a writer fed by a bounded
// queue, so that a slow peer holds up only the senders to it.
type streamConn struct {
	c      net.Conn
	remote netip.AddrPort
	queue  chan []byte
	done   chan struct{} // closed when the connection has ended
}

func (l *StreamListener) newConn(c net.Conn, remote netip.AddrPort) *streamConn {
	return &streamConn{c: c, remote: remote, queue: make(chan []byte, l.cfg.queue), done: make(chan struct{})}
}

// start runs the connection's reader and writer; l.mu is held.
func (l *StreamListener) start(sc *streamConn) {
	l.conns[sc.remote] = sc
	l.wg.Add(2)
	go l.read(sc)
	go l.writeLoop(sc)
}

// writeLoop writes what is queued until the connection ends; a write that
// fails or times out ends it.
func (l *StreamListener) writeLoop(sc *streamConn) {
	defer l.wg.Done()
	for {
		select {
		case b := <-sc.queue:
			sc.c.SetWriteDeadline(time.Now().Add(l.cfg.write))
			if _, err := sc.c.Write(b); err != nil {
				l.cfg.logger.Debug("transport: write failed; connection closed", l.attrs(sc, slog.Any("reason", err))...)
				sc.c.Close()
				return
			}
		case <-sc.done:
			return
		}
	}
}

// enqueue queues b for writing, waiting while the queue is full: the
// backpressure a slow peer puts on its senders.
func enqueue(ctx context.Context, sc *streamConn, b []byte) error {
	select {
	case sc.queue <- b:
		return nil
	case <-sc.done:
		return net.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ListenTCP listens for TCP connections on addr.
func ListenTCP(ctx context.Context, addr string, opts ...Option) (*StreamListener, error) {
	return listenStream(ctx, TCP, addr, nil, opts)
}

// ListenTLS listens for TLS connections on addr with the server
// configuration tc.
func ListenTLS(ctx context.Context, addr string, tc *tls.Config, opts ...Option) (*StreamListener, error) {
	return listenStream(ctx, TLS, addr, tc, opts)
}

func listenStream(ctx context.Context, transport, addr string, tc *tls.Config, opts []Option) (*StreamListener, error) {
	ln, local, err := listenTCP(ctx, transport, addr, tc)
	if err != nil {
		return nil, err
	}
	return &StreamListener{endpoint: newEndpoint(transport, local, opts), ln: ln,
		conns: make(map[netip.AddrPort]*streamConn)}, nil
}

// listenTCP opens a TCP listener on addr, wrapped in TLS when tc is set,
// and returns it with the address it is bound to.
func listenTCP(ctx context.Context, transport, addr string, tc *tls.Config) (net.Listener, netip.AddrPort, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, netip.AddrPort{}, fmt.Errorf("transport: listen %s %s: %w", transport, addr, err)
	}
	local := ln.Addr().(*net.TCPAddr).AddrPort()
	if tc != nil {
		ln = tls.NewListener(ln, tc)
	}
	return ln, local, nil
}

// Transport returns TCP or TLS.
func (l *StreamListener) Transport() string { return l.transport }

// Connections returns the number of open connections.
func (l *StreamListener) Connections() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// Serve accepts connections until Close and hands every message read on
// any of them, including connections opened by Send, to h. It returns nil
// once Close is called.
func (l *StreamListener) Serve(h Handler) error {
	l.handler.Store(&h)
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if l.isClosed() || errors.Is(err, net.ErrClosed) {
				return l.served()
			}
			return fmt.Errorf("transport: accept %s %s: %w", l.transport, l.local, err)
		}
		if !l.track(c) {
			c.Close()
			return l.served()
		}
	}
}

func (l *StreamListener) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// track registers a connection and starts reading it; false once closed.
func (l *StreamListener) track(c net.Conn) bool {
	remote := c.RemoteAddr().(*net.TCPAddr).AddrPort()
	sc := l.newConn(c, netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port()))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.start(sc)
	return true
}

// read frames one connection until it ends or cannot be framed.
func (l *StreamListener) read(sc *streamConn) {
	defer l.wg.Done()
	defer l.watch(sc.remote, sc.c.Close)()
	defer l.forget(sc)
	f := sip.NewFramer(l.cfg.parse...)
	buf := make([]byte, 16<<10)
	for {
		if l.cfg.idle > 0 {
			sc.c.SetReadDeadline(time.Now().Add(l.cfg.idle))
		}
		n, err := sc.c.Read(buf)
		if n > 0 {
			l.trace(false, sc.remote, buf[:n])
			f.Write(buf[:n])
			if !l.drain(sc, f) {
				return
			}
		}
		if err != nil {
			if f.Buffered() > 0 {
				l.cfg.logger.Debug("transport: connection ended inside a message",
					l.attrs(sc, slog.Int("buffered", f.Buffered()), slog.Any("reason", err))...)
			}
			return
		}
	}
}

// drain hands on every whole message buffered and answers pings; it
// reports false when the stream cannot be framed any more.
func (l *StreamListener) drain(sc *streamConn, f *sip.Framer) bool {
	for {
		msg, err := f.Next()
		ka := f.KeepAlives()
		l.pongs.Add(uint64(ka.CRLFs))
		for range ka.Pings {
			if werr := enqueue(context.Background(), sc, []byte(sip.KeepAlivePong)); werr != nil {
				return false
			}
		}
		if err == nil && msg == nil {
			return true
		}
		if err != nil && f.Broken() {
			l.inbound(nil, err, nil, sc.remote)
			return false
		}
		if resp := l.inbound(msg, err, f.Framed(), sc.remote); resp != nil {
			if werr := enqueue(context.Background(), sc, resp.AppendTo(nil)); werr != nil {
				return false
			}
		}
	}
}

func (l *StreamListener) attrs(sc *streamConn, more ...any) []any {
	return append([]any{slog.String("transport", l.transport), slog.String("local", l.local.String()),
		slog.String("remote", sc.remote.String())}, more...)
}

func (l *StreamListener) forget(sc *streamConn) {
	sc.c.Close()
	close(sc.done)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conns[sc.remote] == sc {
		delete(l.conns, sc.remote)
	}
}

// Ping sends a CRLF keep-alive ping (a double CRLF) on the connection
// with to, opening one if there is none (RFC 5626 §3.5.1); the peer's
// single-CRLF pongs are counted by [StreamListener.KeepAlivesReceived].
func (l *StreamListener) Ping(ctx context.Context, to netip.AddrPort) error {
	sc, err := l.conn(ctx, to)
	if err != nil {
		return err
	}
	return enqueue(ctx, sc, []byte(sip.KeepAlivePing))
}

// KeepAlivesReceived returns how many keep-alive line ends (CRLF) arrived
// between messages on all connections: pongs to this side's pings, and the
// CRLFs of the peers' own pings.
func (l *StreamListener) KeepAlivesReceived() uint64 { return l.pongs.Load() }

// Send queues msg for the connection open with to, opening one if there is
// none (RFC 3261 §18.2.2: responses go back over the request's
// connection). It waits, within ctx, while that connection's write queue
// is full, and fails if the connection ends first; a write that fails
// later closes the connection.
func (l *StreamListener) Send(ctx context.Context, msg sip.Message, to netip.AddrPort) error {
	sc, err := l.conn(ctx, to)
	if err != nil {
		return err
	}
	return l.send(msg, to, true, func(b []byte) error { return enqueue(ctx, sc, b) })
}

func (l *StreamListener) conn(ctx context.Context, to netip.AddrPort) (*streamConn, error) {
	l.mu.Lock()
	sc := l.conns[to]
	l.mu.Unlock()
	if sc != nil {
		return sc, nil
	}
	var d net.Dialer
	var c net.Conn
	var err error
	if l.transport == TLS {
		td := tls.Dialer{NetDialer: &d, Config: l.cfg.tlsClient}
		c, err = td.DialContext(ctx, "tcp", to.String())
	} else {
		c, err = d.DialContext(ctx, "tcp", to.String())
	}
	if err != nil {
		return nil, fmt.Errorf("transport: connect %s %s: %w", l.transport, to, err)
	}
	sc = l.newConn(c, to)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	if other := l.conns[to]; other != nil {
		c.Close() // another sender connected first
		return other, nil
	}
	l.start(sc)
	return sc, nil
}

// Close stops accepting, closes every connection and waits for their
// readers to end.
func (l *StreamListener) Close() error {
	return l.shut(func() error {
		l.mu.Lock()
		l.closed = true
		err := l.ln.Close()
		for _, sc := range l.conns {
			sc.c.Close()
		}
		l.mu.Unlock()
		l.wg.Wait()
		return err
	})
}
