package transport_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

func wsExchange(t *testing.T, l *transport.WSListener, in <-chan transport.Inbound, url string, client *http.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"sip"}, HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if c.Subprotocol() != transport.Subprotocol {
		t.Fatalf("subprotocol %q", c.Subprotocol())
	}
	// One SIP message per WebSocket message (RFC 7118 §5): no
	// Content-Length is needed.
	msg := []byte("OPTIONS sip:service@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKws1\r\n" +
		"Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:service@example.com>\r\n" +
		"Call-ID: ws1@example.com\r\nCSeq: 1 OPTIONS\r\n\r\n")
	// Not SIP: counted and dropped, before the message that follows.
	if err := c.Write(ctx, websocket.MessageBinary, []byte("not sip")); err != nil {
		t.Fatal(err)
	}
	if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
		t.Fatal(err)
	}
	got := receive(t, in)
	if b := branchOf(t, got.Msg); b != "z9hG4bKws1" {
		t.Fatalf("delivered %q", b)
	}
	if v, _ := got.Msg.Headers().Via(); v.Received() != got.Remote.Addr().String() || !got.Remote.Addr().IsLoopback() {
		t.Fatalf("received = %q from %s", v.Received(), got.Remote)
	}
	if err := l.Send(ctx, sip.NewResponse(got.Msg.(*sip.Request), sip.StatusOK, ""), got.Remote); err != nil {
		t.Fatal(err)
	}
	typ, data, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := sip.ParseMessage(data)
	if err != nil || typ != websocket.MessageText {
		t.Fatalf("response %v (%v, type %v)", resp, err, typ)
	}
	if r := resp.(*sip.Response); r.StatusCode != 200 || branchOf(t, r) != "z9hG4bKws1" {
		t.Fatalf("response %d %q", r.StatusCode, branchOf(t, r))
	}
	if s := l.Stats(); s.Malformed != 1 || s.Received != 1 || s.Sent != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestWebSocket(t *testing.T) {
	l, err := transport.ListenWS(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in := serveInbound(t, l)
	wsExchange(t, l, in, "ws://"+l.LocalAddr().String()+"/", nil)

	// Without the sip subprotocol the upgrade is refused.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c, _, err := websocket.Dial(ctx, "ws://"+l.LocalAddr().String()+"/", nil); err == nil {
		c.CloseNow()
		t.Fatal("a client without the sip subprotocol was accepted")
	}
	// Nothing to send to a peer without a connection.
	err = l.Send(ctx, &sip.Response{StatusCode: 200, Reason: "OK"}, netip.MustParseAddrPort("127.0.0.1:9"))
	if !errors.Is(err, transport.ErrNoConnection) {
		t.Fatalf("err = %v; want ErrNoConnection", err)
	}
}

func TestSecureWebSocket(t *testing.T) {
	cert, pool := selfSigned(t)
	l, err := transport.ListenWSS(context.Background(), "127.0.0.1:0",
		&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	in := serveInbound(t, l)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	wsExchange(t, l, in, "wss://"+l.LocalAddr().String()+"/", client)
}
