package transport_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

// server is what every listener offers a test.
type server interface {
	Serve(transport.Handler) error
	Close() error
}

// serveInbound serves l until the test ends, with its messages on the
// returned channel; Serve must then return nil.
func serveInbound(t *testing.T, l server) <-chan transport.Inbound {
	t.Helper()
	in := make(chan transport.Inbound, 64)
	done := make(chan error, 1)
	go func() { done <- l.Serve(transport.HandlerFunc(func(m transport.Inbound) { in <- m })) }()
	t.Cleanup(func() {
		l.Close()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve returned %v after Close", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after Close")
		}
	})
	return in
}

// serve starts a UDP listener on addr, served as by serveInbound.
func serve(t *testing.T, addr string, opts ...transport.Option) (*transport.UDPListener, <-chan transport.Inbound) {
	t.Helper()
	l, err := transport.ListenUDP(context.Background(), addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l, serveInbound(t, l)
}

// readDatagram reads one message from c.
func readDatagram(t *testing.T, c *net.UDPConn) sip.Message {
	t.Helper()
	buf := make([]byte, 65535)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sip.ParseMessage(buf[:n])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func client(t *testing.T, network string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP(network, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func options(from netip.AddrPort, branch string) []byte {
	return []byte(fmt.Sprintf("OPTIONS sip:service@example.com SIP/2.0\r\n"+
		"Via: SIP/2.0/UDP %s;rport;branch=%s\r\n"+
		"Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:service@example.com>\r\n"+
		"Call-ID: %s@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", from, branch, branch))
}

func receive(t *testing.T, in <-chan transport.Inbound) transport.Inbound {
	t.Helper()
	select {
	case m := <-in:
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message delivered")
	}
	return transport.Inbound{}
}

func TestUDPRequestAndResponse(t *testing.T) {
	for _, c := range []struct{ listen, network string }{
		{"127.0.0.1:0", "udp4"},
		{"[::1]:0", "udp6"},
	} {
		t.Run(c.listen, func(t *testing.T) {
			var mu sync.Mutex
			var traces []transport.Trace
			l, in := serve(t, c.listen, transport.WithTracer(func(tr transport.Trace) {
				mu.Lock()
				defer mu.Unlock()
				tr.Data = append([]byte(nil), tr.Data...)
				traces = append(traces, tr)
			}))
			cl := client(t, c.network)
			// The client writes a sent-by that is not its address, so the
			// listener must stamp received as well as rport.
			sentBy := netip.MustParseAddrPort("192.0.2.10:5060")
			if c.network == "udp6" {
				sentBy = netip.MustParseAddrPort("[2001:db8::10]:5060")
			}
			if _, err := cl.WriteToUDPAddrPort(options(sentBy, "z9hG4bKudp1"), l.LocalAddr()); err != nil {
				t.Fatal(err)
			}
			got := receive(t, in)
			req, ok := got.Msg.(*sip.Request)
			if !ok || req.Method != sip.OPTIONS {
				t.Fatalf("delivered %T", got.Msg)
			}
			clientAddr := cl.LocalAddr().(*net.UDPAddr).AddrPort()
			if got.Transport != transport.UDP || got.Local != l.LocalAddr() || got.Remote.Port() != clientAddr.Port() || !got.Remote.Addr().IsLoopback() {
				t.Fatalf("inbound %s local %s remote %s; want UDP, %s, a loopback address with port %d",
					got.Transport, got.Local, got.Remote, l.LocalAddr(), clientAddr.Port())
			}
			via, _ := req.Header.Via()
			if via.Received() != got.Remote.Addr().String() {
				t.Fatalf("received = %q; want %s", via.Received(), got.Remote.Addr())
			}
			if port, _ := via.RPort(); port != int(clientAddr.Port()) {
				t.Fatalf("rport = %d; want %d", port, clientAddr.Port())
			}

			// The response goes where §18.2.2 and RFC 3581 say: received
			// and rport, that is the client's socket.
			resp := sip.NewResponse(req, sip.StatusOK, "")
			target := transport.ResponseTarget(via)
			to := netip.AddrPortFrom(netip.MustParseAddr(target.Host), uint16(target.Port))
			if err := l.Send(resp, to); err != nil {
				t.Fatal(err)
			}
			m := readDatagram(t, cl)
			if r, ok := m.(*sip.Response); !ok || r.StatusCode != 200 {
				t.Fatalf("client got %v", m)
			}
			rv, _ := m.Headers().Via()
			if rv.Branch() != "z9hG4bKudp1" {
				t.Fatalf("response branch %q", rv.Branch())
			}
			if s := l.Stats(); s.Received != 1 || s.Sent != 1 || s.Malformed != 0 {
				t.Fatalf("stats %+v", s)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(traces) != 2 || traces[0].Sent || !traces[1].Sent || traces[1].Remote != to || string(traces[1].Data) != resp.String() {
				t.Fatalf("traces %+v", traces)
			}
		})
	}
}

func TestUDPBadInputKeepsServing(t *testing.T) {
	l, in := serve(t, "127.0.0.1:0")
	cl := client(t, "udp4")
	from := cl.LocalAddr().(*net.UDPAddr).AddrPort()
	valid := options(from, "z9hG4bKok")
	for name, datagram := range map[string][]byte{
		"garbage":                    {0x16, 0x03, 0x01, 0xff, 0x00, 'x'},
		"truncated message":          valid[:len(valid)/2],
		"Content-Length beyond data": []byte(string(valid[:len(valid)-len("Content-Length: 0\r\n\r\n")]) + "Content-Length: 500\r\n\r\nshort"),
		"start line only":            []byte("INVITE sip:a@b SIP/2.0\r\n\r\n"),
	} {
		if _, err := cl.WriteToUDPAddrPort(datagram, l.LocalAddr()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// A keep-alive is neither a message nor malformed.
	if _, err := cl.WriteToUDPAddrPort([]byte("\r\n\r\n"), l.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.WriteToUDPAddrPort(valid, l.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	got := receive(t, in)
	if via, _ := got.Msg.Headers().Via(); via.Branch() != "z9hG4bKok" {
		t.Fatalf("delivered %v; want only the valid request", got.Msg)
	}
	if s := l.Stats(); s.Malformed != 4 || s.Received != 1 {
		t.Fatalf("stats %+v; want 4 malformed and 1 received", s)
	}
	select {
	case m := <-in:
		t.Fatalf("unexpected delivery %v", m.Msg)
	default:
	}
}

func TestUDPBadRequestAnswered(t *testing.T) {
	l, _ := serve(t, "127.0.0.1:0")
	cl := client(t, "udp4")
	bad := strings.Replace(string(options(cl.LocalAddr().(*net.UDPAddr).AddrPort(), "z9hG4bKbad")), "CSeq: 1 OPTIONS", "CSeq: 1 INVITE", 1)
	if _, err := cl.WriteToUDPAddrPort([]byte(bad), l.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	m := readDatagram(t, cl)
	if r, ok := m.(*sip.Response); !ok || r.StatusCode != sip.StatusBadRequest || r.Reason != "Invalid CSeq Header" {
		t.Fatalf("got %v", m)
	}
	if s := l.Stats(); s.Malformed != 1 || s.Received != 0 {
		t.Fatalf("stats %+v", s)
	}
}
