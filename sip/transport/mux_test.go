package transport_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

func TestMuxSendRequest(t *testing.T) {
	// The node: UDP and TCP listeners. The peer: the same, listening on
	// one port number for both.
	nodeUDP, _ := serve(t, "127.0.0.1:0")
	nodeTCP, _ := listenTCP(t, "127.0.0.1:0")
	mux := &transport.Mux{UDP: nodeUDP, Streams: map[string]*transport.StreamListener{transport.TCP: nodeTCP}}
	peerTCP, peerTCPIn := listenTCP(t, "127.0.0.1:0")
	peerUDP, peerUDPIn := serve(t, peerTCP.LocalAddr().String())
	peer := peerUDP.LocalAddr()

	build := func(body int) *sip.Request {
		t.Helper()
		opts := []sip.RequestOption{
			sip.WithVia(sip.Via{Transport: "UDP", Host: "127.0.0.1", Port: int(nodeUDP.LocalAddr().Port())}),
			sip.WithFrom(sip.NameAddr{URI: sip.URI{Scheme: "sip", User: "alice", Host: "example.com"}}),
		}
		if body > 0 {
			opts = append(opts, sip.WithBody("text/plain", []byte(strings.Repeat("x", body))))
		}
		req, err := sip.NewRequest(sip.MESSAGE, sip.URI{Scheme: "sip", User: "bob", Host: "127.0.0.1"}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	ctx := context.Background()

	// A small request goes over UDP.
	d, err := mux.SendRequest(ctx, build(10), []transport.Destination{{Transport: "UDP", Addr: peer}})
	if err != nil || d.Transport != transport.UDP {
		t.Fatalf("sent over %v, %v", d, err)
	}
	if v, _ := receive(t, peerUDPIn).Msg.Headers().Via(); v.Transport != "UDP" {
		t.Fatalf("Via transport %s", v.Transport)
	}

	// One over 1,300 bytes goes over TCP, and its Via says so.
	d, err = mux.SendRequest(ctx, build(2000), []transport.Destination{{Transport: "UDP", Addr: peer}})
	if err != nil || d.Transport != transport.TCP {
		t.Fatalf("sent over %v, %v", d, err)
	}
	got := receive(t, peerTCPIn)
	if v, _ := got.Msg.Headers().Via(); v.Transport != "TCP" || len(got.Msg.Payload()) != 2000 {
		t.Fatalf("Via transport %s, body %d bytes", v.Transport, len(got.Msg.Payload()))
	}

	// A destination that refuses the connection: the next one is tried.
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := dead.Addr().(*net.TCPAddr).AddrPort()
	dead.Close()
	d, err = mux.SendRequest(ctx, build(10), []transport.Destination{
		{Transport: "TCP", Addr: deadAddr}, {Transport: "TCP", Addr: peerTCP.LocalAddr()}})
	if err != nil || d.Addr != peerTCP.LocalAddr() {
		t.Fatalf("sent to %v, %v; want the second destination", d, err)
	}
	receive(t, peerTCPIn)

	// Nothing reachable: the last error; no listener: ErrNoTransport.
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := mux.SendRequest(tctx, build(10), []transport.Destination{{Transport: "TCP", Addr: deadAddr}}); err == nil {
		t.Fatal("a send to a dead peer succeeded")
	}
	_, err = mux.SendRequest(ctx, build(10), []transport.Destination{{Transport: "TLS", Addr: netip.MustParseAddrPort("127.0.0.1:5061")}})
	if !errors.Is(err, transport.ErrNoTransport) {
		t.Fatalf("err = %v; want ErrNoTransport", err)
	}
	if _, err := mux.SendRequest(ctx, build(10), nil); !errors.Is(err, transport.ErrNoDestination) {
		t.Fatalf("err = %v; want ErrNoDestination", err)
	}
}

func TestMuxFailsOverOnTimeout(t *testing.T) {
	// The first destination accepts TCP but never finishes the TLS
	// handshake: the try times out and the second destination gets the
	// request.
	cert, pool := selfSigned(t)
	server := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	client := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	node, err := transport.ListenTLS(context.Background(), "127.0.0.1:0", server, transport.WithTLSClientConfig(client))
	if err != nil {
		t.Fatal(err)
	}
	serveInbound(t, node)
	peer, err := transport.ListenTLS(context.Background(), "127.0.0.1:0", server)
	if err != nil {
		t.Fatal(err)
	}
	peerIn := serveInbound(t, peer)
	silent := silentPeer(t) // accepts, says nothing
	mux := &transport.Mux{Streams: map[string]*transport.StreamListener{transport.TLS: node}, AttemptTimeout: 300 * time.Millisecond}
	req, err := sip.ParseMessage([]byte(optionsOver("TLS", "z9hG4bKfailover")))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	d, err := mux.SendRequest(context.Background(), req.(*sip.Request), []transport.Destination{
		{Transport: "TLS", Addr: silent},
		{Transport: "TLS", Addr: peer.LocalAddr()},
	})
	if err != nil || d.Addr != peer.LocalAddr() {
		t.Fatalf("sent to %v, %v; want the second destination", d, err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("failover took %v", time.Since(start))
	}
	if b := branchOf(t, receive(t, peerIn).Msg); b != "z9hG4bKfailover" {
		t.Fatalf("delivered %q", b)
	}
}
