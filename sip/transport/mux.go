package transport

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parrot-platform/parrot/sip"
)

// Mux sends messages over the listeners of a node, choosing the one for
// each destination's transport.
type Mux struct {
	// UDP is the UDP listener, if the node has one.
	UDP *UDPListener
	// Streams are the stream listeners (TCP, TLS) by transport name.
	Streams map[string]*StreamListener
	// WS are the WebSocket listeners (WS, WSS) by transport name.
	WS map[string]*WSListener
	// AttemptTimeout bounds each destination's try in SendRequest (a
	// connection or TLS handshake that does not complete moves on to the
	// next destination); zero leaves only ctx.
	AttemptTimeout time.Duration
}

// ErrNoTransport is returned for a destination whose transport the node
// has no listener for.
var ErrNoTransport = errors.New("transport: no listener for the transport")

// Send writes msg to d over the listener of d's transport.
func (m *Mux) Send(ctx context.Context, msg sip.Message, d Destination) error {
	t := strings.ToUpper(d.Transport)
	switch {
	case t == UDP && m.UDP != nil:
		return m.UDP.Send(msg, d.Addr)
	case m.Streams[t] != nil:
		return m.Streams[t].Send(ctx, msg, d.Addr)
	case m.WS[t] != nil:
		return m.WS[t].Send(ctx, msg, d.Addr)
	}
	return fmt.Errorf("%w: %s", ErrNoTransport, d.Transport)
}

// SendRequest sends req to the first of dests it can reach, in order (RFC
// 3263 §4.3: on a transport error or a timeout of the try, the next
// destination; a transaction that times out later asks again with the rest
// of the list). A request over
// 1,300 bytes bound for UDP goes over TCP to the same address when the node
// has TCP (RFC 3261 §18.1.1). The top Via names the transport used. It
// returns where the request went, or the last error.
func (m *Mux) SendRequest(ctx context.Context, req *sip.Request, dests []Destination) (Destination, error) {
	if len(dests) == 0 {
		return Destination{}, ErrNoDestination
	}
	size := -1 // measured only if a destination could move off UDP
	var err error
	for _, d := range dests {
		if strings.EqualFold(d.Transport, UDP) && m.Streams[TCP] != nil {
			if size < 0 {
				size = len(req.AppendTo(nil))
			}
			if NeedsStream(d.Transport, size) {
				d.Transport = TCP
			}
		}
		if err = setViaTransport(req, d.Transport); err != nil {
			return Destination{}, err
		}
		if err = m.attempt(ctx, req, d); err == nil {
			return d, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return Destination{}, err
}

func (m *Mux) attempt(ctx context.Context, req *sip.Request, d Destination) error {
	if m.AttemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, m.AttemptTimeout)
		defer cancel()
	}
	return m.Send(ctx, req, d)
}

// setViaTransport makes the top via-parm name the transport.
func setViaTransport(req *sip.Request, transport string) error {
	i, _, via, rest, err := topVia(req)
	if err != nil {
		return err
	}
	if !strings.EqualFold(via.Transport, transport) {
		via.Transport = strings.ToUpper(transport)
		req.Header[i].Value = via.String() + rest
	}
	return nil
}
