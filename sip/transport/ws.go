package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/parrot-platform/parrot/sip"
)

// Subprotocol is the WebSocket subprotocol of SIP (RFC 7118 §4).
const Subprotocol = "sip"

// WSListener reads and writes SIP over WebSocket (RFC 7118): each
// WebSocket message carries one SIP message, as text or binary. It accepts
// only clients that offer the "sip" subprotocol.
type WSListener struct {
	endpoint
	ln  net.Listener
	srv *http.Server

	mu    sync.Mutex
	conns map[netip.AddrPort]*websocket.Conn
	wg    sync.WaitGroup
}

// ListenWS listens for WebSocket connections on addr.
func ListenWS(ctx context.Context, addr string, opts ...Option) (*WSListener, error) {
	return listenWS(ctx, WS, addr, nil, opts)
}

// ListenWSS listens for secure WebSocket connections on addr with the TLS
// server configuration tc.
func ListenWSS(ctx context.Context, addr string, tc *tls.Config, opts ...Option) (*WSListener, error) {
	return listenWS(ctx, WSS, addr, tc, opts)
}

func listenWS(ctx context.Context, transport, addr string, tc *tls.Config, opts []Option) (*WSListener, error) {
	ln, local, err := listenTCP(ctx, transport, addr, tc)
	if err != nil {
		return nil, err
	}
	l := &WSListener{endpoint: newEndpoint(transport, local, opts), ln: ln,
		conns: make(map[netip.AddrPort]*websocket.Conn)}
	l.srv = &http.Server{
		Handler:           http.HandlerFunc(l.upgrade),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(l.cfg.logger.Handler(), slog.LevelDebug),
	}
	return l, nil
}

// Serve accepts WebSocket connections until Close and hands every message
// to h. It returns nil once Close is called.
func (l *WSListener) Serve(h Handler) error {
	l.handler.Store(&h)
	if err := l.srv.Serve(l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("transport: serve %s %s: %w", l.transport, l.local, err)
	}
	return l.served()
}

// Close closes the listener and every connection, and waits for their
// readers to end.
func (l *WSListener) Close() error {
	return l.shut(func() error {
		err := l.srv.Close()
		l.mu.Lock()
		for _, c := range l.conns {
			c.CloseNow()
		}
		l.mu.Unlock()
		l.wg.Wait()
		return err
	})
}

func offersSIP(r *http.Request) bool {
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), Subprotocol) {
				return true
			}
		}
	}
	return false
}

func (l *WSListener) upgrade(w http.ResponseWriter, r *http.Request) {
	if !offersSIP(r) {
		http.Error(w, "the sip WebSocket subprotocol is required (RFC 7118)", http.StatusBadRequest)
		return
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{Subprotocol}})
	if err != nil {
		return // Accept has answered the client
	}
	remote, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		c.CloseNow()
		return
	}
	remote = netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
	l.mu.Lock()
	l.conns[remote] = c
	l.wg.Add(1)
	l.mu.Unlock()
	l.read(c, remote)
}

// read hands on each WebSocket message of one connection until it ends.
func (l *WSListener) read(c *websocket.Conn, remote netip.AddrPort) {
	defer l.wg.Done()
	defer l.watch(remote, c.CloseNow)()
	defer func() {
		c.CloseNow()
		l.mu.Lock()
		if l.conns[remote] == c {
			delete(l.conns, remote)
		}
		l.mu.Unlock()
	}()
	c.SetReadLimit(sip.DefaultMaxMessageSize)
	for {
		_, data, err := c.Read(context.Background())
		if err != nil {
			return
		}
		l.trace(false, remote, data)
		msg, err := sip.ParseMessage(data, l.cfg.parse...)
		if resp := l.inbound(msg, err, data, remote); resp != nil {
			_ = c.Write(context.Background(), websocket.MessageText, resp.AppendTo(nil))
		}
	}
}

// Send writes msg as one WebSocket message over the connection from to;
// a WebSocket server does not open connections to its clients.
func (l *WSListener) Send(ctx context.Context, msg sip.Message, to netip.AddrPort) error {
	l.mu.Lock()
	c := l.conns[to]
	l.mu.Unlock()
	if c == nil {
		return fmt.Errorf("transport: send %s to %s: %w", l.transport, to, ErrNoConnection)
	}
	return l.send(msg, to, false, func(b []byte) error {
		typ := websocket.MessageText
		if !utf8.Valid(b) {
			typ = websocket.MessageBinary
		}
		return c.Write(ctx, typ, b)
	})
}

// ErrNoConnection is returned when sending to a peer that has no open
// connection and none can be opened.
var ErrNoConnection = errors.New("transport: no connection to the peer")
