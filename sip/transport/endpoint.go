package transport

import (
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parrot-platform/parrot/sip"
)

// endpoint is what every listener shares: what it is, its options and its
// counters, and the steps every message in or out goes through.
type endpoint struct {
	transport string
	local     netip.AddrPort
	cfg       config
	handler   atomic.Pointer[Handler]

	received, sent, malformed atomic.Uint64

	closeOnce sync.Once
	closed    chan struct{} // closed once Close has released the sockets
	closeErr  error
}

func newEndpoint(transport string, local netip.AddrPort, opts []Option) endpoint {
	cfg := config{logger: slog.Default(), write: 10 * time.Second, queue: 64}
	for _, o := range opts {
		o(&cfg)
	}
	return endpoint{transport: transport, local: local, cfg: cfg, closed: make(chan struct{})}
}

// shut runs release once, for whichever Close comes first; every caller
// waits until it has finished.
func (e *endpoint) shut(release func() error) error {
	e.closeOnce.Do(func() {
		e.closeErr = release()
		close(e.closed)
	})
	<-e.closed
	return e.closeErr
}

// served is what Serve returns once Close has stopped it: nil, after the
// sockets are released, so that a listener restarted at once can bind the
// same address (a read can end before the closing call has let go of the
// socket).
func (e *endpoint) served() error {
	<-e.closed
	return nil
}

// LocalAddr returns the address the listener is bound to.
func (e *endpoint) LocalAddr() netip.AddrPort { return e.local }

// Stats returns the listener's counters.
func (e *endpoint) Stats() Stats {
	return Stats{Received: e.received.Load(), Sent: e.sent.Load(), Malformed: e.malformed.Load()}
}

func (e *endpoint) trace(sent bool, remote netip.AddrPort, data []byte) {
	if e.cfg.tracer != nil {
		e.cfg.tracer(Trace{Sent: sent, Transport: e.transport, Local: e.local, Remote: remote, Data: data})
	}
}

// inbound takes what was read from remote: a message is stamped (RFC 3261
// §18.2.1) and handed to the handler; a parse error is counted and logged,
// and the returned response, if any, is what to answer (see
// sip.ErrorResponse).
func (e *endpoint) inbound(msg sip.Message, err error, raw []byte, remote netip.AddrPort) *sip.Response {
	if err == nil {
		if req, ok := msg.(*sip.Request); ok {
			err = StampReceived(req, remote)
		}
	}
	if err != nil {
		e.malformed.Add(1)
		e.cfg.logger.Debug("transport: malformed message", slog.String("transport", e.transport),
			slog.String("local", e.local.String()), slog.String("remote", remote.String()),
			slog.Int("bytes", len(raw)), slog.Any("reason", err))
		return sip.ErrorResponse(raw, err)
	}
	e.received.Add(1)
	if h := e.handler.Load(); h != nil {
		e.handle(*h, Inbound{Msg: msg, Transport: e.transport, Local: e.local, Remote: remote})
	}
	return nil
}

// handle calls the handler; a panic in it is logged and costs that message
// only, never the listener.
func (e *endpoint) handle(h Handler, in Inbound) {
	defer func() {
		if r := recover(); r != nil {
			e.cfg.logger.Error("transport: handler panicked; message dropped", slog.String("transport", e.transport),
				slog.String("remote", in.Remote.String()), slog.Any("panic", r))
		}
	}()
	h.HandleInbound(in)
}

var sendBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// send serializes msg and writes it with write, counting and tracing it.
// When write keeps the bytes (a queued stream write), they are serialized
// into a buffer of their own; otherwise into a pooled one.
func (e *endpoint) send(msg sip.Message, to netip.AddrPort, keeps bool, write func([]byte) error) error {
	var b []byte
	if keeps {
		b = msg.AppendTo(nil)
	} else {
		bp := sendBuffers.Get().(*[]byte)
		b = msg.AppendTo((*bp)[:0])
		defer func() {
			*bp = b[:0]
			sendBuffers.Put(bp)
		}()
	}
	e.sent.Add(1) // before the write, so that a peer's answer never sees it uncounted
	if err := write(b); err != nil {
		e.sent.Add(^uint64(0))
		return fmt.Errorf("transport: send %s %s to %s: %w", e.transport, e.local, to, err)
	}
	e.trace(true, to, b)
	return nil
}

// watch tells the watcher, if any, that a connection opened, and returns
// what to call once it has ended.
func (e *endpoint) watch(remote netip.AddrPort, closeConn func() error) (ended func()) {
	w := e.cfg.watcher
	if w == nil {
		return func() {}
	}
	c := &Conn{remote: remote, close: closeConn}
	w.ConnOpened(c)
	return func() { w.ConnClosed(c) }
}
