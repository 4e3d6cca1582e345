package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/parrot-platform/parrot/sip"
)

// Inbound is a message read from the network, with where it came from.
type Inbound struct {
	Msg       sip.Message
	Transport string
	Local     netip.AddrPort
	Remote    netip.AddrPort
}

// Handler receives the messages a listener reads. It is called on the
// listener's reader goroutine, one message at a time: it must hand the
// message on (to an actor's mailbox) rather than work on it.
type Handler interface {
	HandleInbound(in Inbound)
}

// HandlerFunc adapts a function to a [Handler].
type HandlerFunc func(Inbound)

// HandleInbound calls f(in).
func (f HandlerFunc) HandleInbound(in Inbound) { f(in) }

// Trace is what a [Tracer] sees of each message sent or received. Data is
// valid only during the call.
type Trace struct {
	Sent      bool
	Transport string
	Local     netip.AddrPort
	Remote    netip.AddrPort
	Data      []byte
}

// Tracer sees every message a listener sends and receives, for logging,
// counting or capture. It is called on the goroutine doing the I/O.
type Tracer func(Trace)

// Option configures a listener.
type Option func(*config)

type config struct {
	logger    *slog.Logger
	tracer    Tracer
	parse     []sip.ParseOption
	idle      time.Duration
	write     time.Duration
	queue     int
	watcher   ConnWatcher
	tlsClient *tls.Config
}

// WithLogger sets the listener's logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithTracer sets a [Tracer].
func WithTracer(t Tracer) Option { return func(c *config) { c.tracer = t } }

// WithParseOptions sets the parser's limits.
func WithParseOptions(opts ...sip.ParseOption) Option {
	return func(c *config) { c.parse = opts }
}

// Stats counts what a listener has done.
type Stats struct {
	Received, Sent, Malformed uint64
}

// UDPListener reads and writes SIP datagrams on one UDP socket.
type UDPListener struct {
	endpoint
	conn *net.UDPConn
}

// ListenUDP opens a UDP socket on addr ("127.0.0.1:5060", "[::1]:0" ...).
// Call Serve to read from it and Close to release it.
func ListenUDP(ctx context.Context, addr string, opts ...Option) (*UDPListener, error) {
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("transport: listen udp %s: %w", addr, err)
	}
	conn := pc.(*net.UDPConn)
	return &UDPListener{endpoint: newEndpoint(UDP, conn.LocalAddr().(*net.UDPAddr).AddrPort(), opts), conn: conn}, nil
}

// Close closes the socket; Serve then returns nil.
func (l *UDPListener) Close() error { return l.shut(l.conn.Close) }

// Serve reads datagrams until the listener is closed, parses each (RFC
// 3261 §18.2.1: received and rport stamped on requests) and hands it to h.
// A datagram of only whitespace is a keep-alive and is ignored; a
// malformed one is counted and logged at debug level, and answered with
// the parser's status (400 ...) when it is a request that can be answered
// (see sip.ErrorResponse), else dropped. Serve
// returns nil once Close is called, or the read error that stopped it.
func (l *UDPListener) Serve(h Handler) error {
	l.handler.Store(&h)
	buf := make([]byte, 65535)
	for {
		n, remote, err := l.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return l.served()
			}
			return fmt.Errorf("transport: read udp %s: %w", l.local, err)
		}
		remote = netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
		data := buf[:n]
		l.trace(false, remote, data)
		if onlyWhitespace(data) {
			continue
		}
		msg, err := sip.ParseMessage(data, l.cfg.parse...)
		if resp := l.inbound(msg, err, data, remote); resp != nil {
			_ = l.Send(resp, remote)
		}
	}
}

func onlyWhitespace(b []byte) bool {
	for _, c := range b {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// Send writes msg to the address to.
func (l *UDPListener) Send(msg sip.Message, to netip.AddrPort) error {
	return l.send(msg, to, false, func(b []byte) error {
		_, err := l.conn.WriteToUDPAddrPort(b, to)
		return err
	})
}
