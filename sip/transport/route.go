package transport

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"

	"github.com/parrot-platform/parrot/sip"
)

// Transport names as they appear in a Via header (RFC 3261 §20.42, RFC
// 7118 §5.1).
const (
	UDP  = "UDP"
	TCP  = "TCP"
	TLS  = "TLS"
	SCTP = "SCTP"
	WS   = "WS"
	WSS  = "WSS"
)

// Reliable reports whether transport delivers in order and without loss,
// so that the transaction layer does not retransmit over it (RFC 3261
// §17.1.1.2).
func Reliable(transport string) bool {
	switch strings.ToUpper(transport) {
	case TCP, TLS, SCTP, WS, WSS:
		return true
	}
	return false
}

// Secure reports whether transport is encrypted, as a sips URI requires.
func Secure(transport string) bool {
	switch strings.ToUpper(transport) {
	case TLS, WSS:
		return true
	}
	return false
}

// DefaultPort returns the port a transport uses when a URI or a sent-by
// names none: 5060, 5061 for TLS (RFC 3261 §19.1.2), 80 and 443 for WS and
// WSS (RFC 7118).
func DefaultPort(transport string) int {
	switch strings.ToUpper(transport) {
	case TLS:
		return 5061
	case WS:
		return 80
	case WSS:
		return 443
	}
	return 5060
}

// MaxUDPRequest is the largest request sent over UDP when the path MTU is
// unknown: 200 bytes below an MTU of 1500 (RFC 3261 §18.1.1). A larger
// request goes over a congestion-controlled transport.
const MaxUDPRequest = 1300

// NeedsStream reports whether a request of size bytes that would go over
// transport must use TCP instead (RFC 3261 §18.1.1).
func NeedsStream(transport string, size int) bool {
	return strings.EqualFold(transport, UDP) && size > MaxUDPRequest
}

// ErrNoVia is returned for a message without a Via header field.
var ErrNoVia = errors.New("transport: message has no Via")

// StampReceived records where a request came from in its top Via, as RFC
// 3261 §18.2.1 and RFC 3581 §4 require: a received parameter with the
// source address when the sent-by host is a name or another address, or
// when the client asked for rport; and the source port as the rport
// value when it did. It changes the request's header in place (the request
// must be one the transport owns, not yet shared).
func StampReceived(req *sip.Request, src netip.AddrPort) error {
	i, first, via, rest, err := topVia(req)
	if err != nil {
		return err
	}
	_, rport := via.RPort()
	ip := src.Addr().Unmap()
	if sentBy, err := netip.ParseAddr(via.Hostname()); !rport && err == nil && sentBy.Unmap() == ip {
		return nil
	}
	if !rport && !via.Params.Has("received") {
		// The common case: append received to the value as written.
		var b strings.Builder
		b.Grow(len(first) + len(";received=") + 46 + len(rest))
		b.WriteString(first)
		b.WriteString(";received=")
		b.Write(ip.AppendTo(make([]byte, 0, 46)))
		b.WriteString(rest)
		req.Header[i].Value = b.String()
		return nil
	}
	via.Params = via.Params.With("received", ip.String())
	if rport {
		via.Params = via.Params.With("rport", strconv.Itoa(int(src.Port())))
	}
	req.Header[i].Value = via.String() + rest
	return nil
}

// topVia finds the top via-parm of req: the index of its field, its text,
// its value, and the rest of the field (", ..." as written).
func topVia(req *sip.Request) (i int, first string, via sip.Via, rest string, err error) {
	for i, f := range req.Header {
		if sip.CanonicalName(f.Name) == sip.HeaderVia {
			first, rest = splitFirstVia(f.Value)
			via, err = sip.ParseVia(first)
			return i, first, via, rest, err
		}
	}
	return 0, "", sip.Via{}, "", ErrNoVia
}

// splitFirstVia splits the first via-parm off a Via field value, keeping
// the rest (", ..." included) as written.
func splitFirstVia(v string) (first, rest string) {
	if i := strings.IndexByte(v, ','); i >= 0 && !strings.Contains(v[:i], "\"") {
		return v[:i], v[i:]
	}
	return v, ""
}

// Target is where a response goes.
type Target struct {
	// Transport is the top Via's transport.
	Transport string
	// Connection says to use the connection the request came on, when it
	// is still open (reliable transports); Host and Port are then where to
	// connect if it is not.
	Connection bool
	Host       string
	Port       int
}

// ResponseTarget returns where a response to a request with this top Via
// goes (RFC 3261 §18.2.2, RFC 3581 §4): back over the request's connection
// for a reliable transport; to maddr if present; otherwise to the received
// address (with the rport port if there is one) or, without received, to
// the sent-by, which the caller resolves (RFC 3263 §6). A sent-by without
// a port means the transport's default port.
func ResponseTarget(top sip.Via) Target {
	t := Target{Transport: strings.ToUpper(top.Transport), Host: top.Hostname(), Port: top.Port}
	if t.Port == 0 {
		t.Port = DefaultPort(t.Transport)
	}
	t.Connection = Reliable(t.Transport)
	if maddr := top.MAddr(); maddr != "" && !t.Connection {
		t.Host = strings.Trim(maddr, "[]")
		return t
	}
	if received := top.Received(); received != "" {
		t.Host = strings.Trim(received, "[]")
		if port, ok := top.RPort(); ok && port != 0 {
			t.Port = port
		}
	}
	return t
}
