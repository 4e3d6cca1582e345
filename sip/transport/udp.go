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
	conn  *net.UDPConn
	local netip.AddrPort
	cfg   config

	received, sent, malformed atomic.Uint64
}

// ListenUDP opens a UDP socket on addr ("127.0.0.1:5060", "[::1]:0" ...).
// Call Serve to read from it and Close to release it.
func ListenUDP(ctx context.Context, addr string, opts ...Option) (*UDPListener, error) {
	cfg := config{logger: slog.Default()}
	for _, o := range opts {
		o(&cfg)
	}
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("transport: listen udp %s: %w", addr, err)
	}
	conn := pc.(*net.UDPConn)
	return &UDPListener{conn: conn, local: conn.LocalAddr().(*net.UDPAddr).AddrPort(), cfg: cfg}, nil
}

// LocalAddr returns the address the listener is bound to.
func (l *UDPListener) LocalAddr() netip.AddrPort { return l.local }

// Stats returns the listener's counters.
func (l *UDPListener) Stats() Stats {
	return Stats{Received: l.received.Load(), Sent: l.sent.Load(), Malformed: l.malformed.Load()}
}

// Close closes the socket; Serve then returns nil.
func (l *UDPListener) Close() error { return l.conn.Close() }

// Serve reads datagrams until the listener is closed, parses each (RFC
// 3261 §18.2.1: received and rport stamped on requests) and hands it to h.
// A datagram of only whitespace is a keep-alive and is ignored; a
// malformed one is counted and logged at debug level, and answered with
// the parser's status (400 ...) when it is a request that can be answered
// (see sip.ErrorResponse), else dropped. Serve
// returns nil once Close is called, or the read error that stopped it.
func (l *UDPListener) Serve(h Handler) error {
	buf := make([]byte, 65535)
	for {
		n, remote, err := l.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("transport: read udp %s: %w", l.local, err)
		}
		remote = netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
		data := buf[:n]
		if l.cfg.tracer != nil {
			l.cfg.tracer(Trace{Transport: UDP, Local: l.local, Remote: remote, Data: data})
		}
		if onlyWhitespace(data) {
			continue
		}
		msg, err := sip.ParseMessage(data, l.cfg.parse...)
		if err == nil {
			if req, ok := msg.(*sip.Request); ok {
				err = StampReceived(req, remote)
			}
		}
		if err != nil {
			l.malformed.Add(1)
			l.cfg.logger.Debug("transport: malformed datagram",
				slog.String("transport", UDP), slog.String("local", l.local.String()),
				slog.String("remote", remote.String()), slog.Int("bytes", n), slog.Any("reason", err))
			// A request that can be answered gets the parser's status
			// back at its source; anything else is dropped.
			if resp := sip.ErrorResponse(data, err); resp != nil {
				_ = l.Send(resp, remote)
			}
			continue
		}
		l.received.Add(1)
		h.HandleInbound(Inbound{Msg: msg, Transport: UDP, Local: l.local, Remote: remote})
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

var sendBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// Send writes msg to the address to.
func (l *UDPListener) Send(msg sip.Message, to netip.AddrPort) error {
	bp := sendBuffers.Get().(*[]byte)
	b := msg.AppendTo((*bp)[:0])
	defer func() {
		*bp = b[:0]
		sendBuffers.Put(bp)
	}()
	if _, err := l.conn.WriteToUDPAddrPort(b, to); err != nil {
		return fmt.Errorf("transport: send udp %s to %s: %w", l.local, to, err)
	}
	l.sent.Add(1)
	if l.cfg.tracer != nil {
		l.cfg.tracer(Trace{Sent: true, Transport: UDP, Local: l.local, Remote: to, Data: b})
	}
	return nil
}
