package transport_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

func listenTCP(t *testing.T, addr string, opts ...transport.Option) (*transport.StreamListener, <-chan transport.Inbound) {
	t.Helper()
	l, err := transport.ListenTCP(context.Background(), addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l, serveInbound(t, l)
}

// readStream reads one message from a stream.
func readStream(t *testing.T, r io.Reader) sip.Message {
	t.Helper()
	f := sip.NewFramer()
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(buf[:n])
		m, err := f.Next()
		if err != nil {
			t.Fatal(err)
		}
		if m != nil {
			return m
		}
	}
}

// silentPeer accepts one TCP connection and never reads from it, until the
// test ends.
func silentPeer(t *testing.T) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold); ln.Close() })
	go func() {
		if c, err := ln.Accept(); err == nil {
			defer c.Close()
			<-hold
		}
	}()
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

// bigRequest is a request with a 60 kB body.
func bigRequest(t *testing.T, branch string) sip.Message {
	t.Helper()
	big := strings.Replace(optionsOver("TCP", branch), "Content-Length: 0\r\n\r\n",
		"Content-Type: text/plain\r\nContent-Length: 60000\r\n\r\n"+strings.Repeat("x", 60000), 1)
	m, err := sip.ParseMessage([]byte(big))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func dial(t *testing.T, to netip.AddrPort) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", to.String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func optionsOver(transportName, branch string) string {
	return "OPTIONS sip:service@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/" + transportName + " client.example.com;branch=" + branch + "\r\n" +
		"Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:service@example.com>\r\n" +
		"Call-ID: " + branch + "@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
}

func branchOf(t *testing.T, m sip.Message) string {
	t.Helper()
	v, err := m.Headers().Via()
	if err != nil {
		t.Fatal(err)
	}
	return v.Branch()
}

func TestTCPFramingPingAndResponseOnTheSameConnection(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		t.Run(addr, func(t *testing.T) {
			l, in := listenTCP(t, addr)
			c := dial(t, l.LocalAddr())
			two := optionsOver("TCP", "z9hG4bKt1") + optionsOver("TCP", "z9hG4bKt2")
			third := optionsOver("TCP", "z9hG4bKt3")
			// Two messages in one write, then a third split in three, with
			// a keep-alive ping in front of it.
			for _, part := range []string{two, sip.KeepAlivePing + third[:10], third[10:40], third[40:]} {
				if _, err := io.WriteString(c, part); err != nil {
					t.Fatal(err)
				}
			}
			var got []transport.Inbound
			for range 3 {
				got = append(got, receive(t, in))
			}
			for i, want := range []string{"z9hG4bKt1", "z9hG4bKt2", "z9hG4bKt3"} {
				if b := branchOf(t, got[i].Msg); b != want || got[i].Transport != transport.TCP {
					t.Fatalf("message %d: branch %q over %s; want %q over TCP", i, b, got[i].Transport, want)
				}
			}
			// received is stamped: the sent-by is a name.
			if v, _ := got[0].Msg.Headers().Via(); v.Received() != got[0].Remote.Addr().String() {
				t.Fatalf("received = %q; want %s", v.Received(), got[0].Remote.Addr())
			}
			r := bufio.NewReader(c)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if pong, err := r.ReadString('\n'); err != nil || pong != sip.KeepAlivePong {
				t.Fatalf("pong = %q, %v", pong, err)
			}
			// The response goes back over the client's connection.
			resp := sip.NewResponse(got[2].Msg.(*sip.Request), sip.StatusOK, "")
			if err := l.Send(context.Background(), resp, got[2].Remote); err != nil {
				t.Fatal(err)
			}
			m := readStream(t, r)
			if branchOf(t, m) != "z9hG4bKt3" {
				t.Fatalf("response branch %q", branchOf(t, m))
			}
			if l.Connections() != 1 {
				t.Fatalf("%d connections; the response must reuse the client's", l.Connections())
			}
		})
	}
}

func TestTCPBadStreamClosesOnlyItsConnection(t *testing.T) {
	l, in := listenTCP(t, "127.0.0.1:0")
	good := dial(t, l.LocalAddr())
	bad := dial(t, l.LocalAddr())
	// A message without Content-Length cannot be framed on a stream.
	noLength := strings.Replace(optionsOver("TCP", "z9hG4bKbad"), "Content-Length: 0\r\n", "", 1)
	if _, err := io.WriteString(bad, noLength); err != nil {
		t.Fatal(err)
	}
	bad.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := bad.Read(make([]byte, 1)); err == nil {
		t.Fatal("the connection that sent an unframeable message stays open")
	}
	// A framed but malformed message is skipped; the stream goes on.
	badCSeq := strings.Replace(optionsOver("TCP", "z9hG4bKcseq"), "CSeq: 1 OPTIONS", "CSeq: 1 INVITE", 1)
	if _, err := io.WriteString(good, badCSeq+optionsOver("TCP", "z9hG4bKgood")); err != nil {
		t.Fatal(err)
	}
	if b := branchOf(t, receive(t, in).Msg); b != "z9hG4bKgood" {
		t.Fatalf("delivered %q", b)
	}
	// The framed but malformed request was answered on its connection.
	good.SetReadDeadline(time.Now().Add(5 * time.Second))
	answer := readStream(t, good)
	if r, ok := answer.(*sip.Response); !ok || r.StatusCode != 400 || branchOf(t, r) != "z9hG4bKcseq" {
		t.Fatalf("answer %v", answer)
	}
	if s := l.Stats(); s.Malformed != 2 || s.Received != 1 {
		t.Fatalf("stats %+v; want 2 malformed, 1 received", s)
	}
}

func TestTCPPeerLeavesMidMessage(t *testing.T) {
	l, in := listenTCP(t, "127.0.0.1:0")
	c := dial(t, l.LocalAddr())
	msg := optionsOver("TCP", "z9hG4bKhalf")
	io.WriteString(c, msg[:len(msg)/2])
	c.Close()
	c2 := dial(t, l.LocalAddr())
	io.WriteString(c2, optionsOver("TCP", "z9hG4bKafter"))
	if b := branchOf(t, receive(t, in).Msg); b != "z9hG4bKafter" {
		t.Fatalf("delivered %q", b)
	}
}

func TestTCPManyConnections(t *testing.T) {
	// Thousands of connections opening, sending and closing, one after the
	// other: every message arrives and no connection stays open.
	l, in := listenTCP(t, "127.0.0.1:0")
	const n = 2000
	got := make(chan int)
	go func() {
		count := 0
		for range n {
			if _, ok := <-in; !ok {
				break
			}
			count++
		}
		got <- count
	}()
	for range n {
		c, err := net.Dial("tcp", l.LocalAddr().String())
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, optionsOver("TCP", "z9hG4bKmany"))
		c.Close()
	}
	select {
	case count := <-got:
		if count != n {
			t.Fatalf("%d of %d messages arrived", count, n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("not every message arrived")
	}
	deadline := time.Now().Add(5 * time.Second)
	for l.Connections() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if c := l.Connections(); c != 0 {
		t.Fatalf("%d connections left open", c)
	}
}

func TestTCPIdleTimeout(t *testing.T) {
	l, _ := listenTCP(t, "127.0.0.1:0", transport.WithIdleTimeout(100*time.Millisecond))
	c := dial(t, l.LocalAddr())
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("idle connection not closed")
	}
	if time.Since(start) > 4*time.Second {
		t.Fatal("idle connection closed only by the client's deadline")
	}
}

func TestTCPSendOpensAConnection(t *testing.T) {
	a, _ := listenTCP(t, "127.0.0.1:0")
	b, inB := listenTCP(t, "127.0.0.1:0")
	m, err := sip.ParseMessage([]byte(optionsOver("TCP", "z9hG4bKout")))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Send(context.Background(), m, b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if br := branchOf(t, receive(t, inB).Msg); br != "z9hG4bKout" {
		t.Fatalf("delivered %q", br)
	}
	// A dead peer is an error, not a hang.
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadAddr := dead.Addr().(*net.TCPAddr).AddrPort()
	dead.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Send(ctx, m, deadAddr); err == nil {
		t.Fatal("send to a closed port succeeded")
	}
}

// selfSigned makes a certificate for the loopback addresses.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "parrot test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func TestTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	server := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	client := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	l, err := transport.ListenTLS(context.Background(), "127.0.0.1:0", server, transport.WithTLSClientConfig(client))
	if err != nil {
		t.Fatal(err)
	}
	in := serveInbound(t, l)
	c, err := tls.Dial("tcp", l.LocalAddr().String(), client)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, optionsOver("TLS", "z9hG4bKtls"))
	got := receive(t, in)
	if got.Transport != transport.TLS || branchOf(t, got.Msg) != "z9hG4bKtls" {
		t.Fatalf("delivered %s %q", got.Transport, branchOf(t, got.Msg))
	}
	// And a TLS listener sends over TLS, verifying the peer.
	other, err := transport.ListenTLS(context.Background(), "127.0.0.1:0", server, transport.WithTLSClientConfig(client))
	if err != nil {
		t.Fatal(err)
	}
	inOther := serveInbound(t, other)
	if err := l.Send(context.Background(), got.Msg, other.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if b := branchOf(t, receive(t, inOther).Msg); b != "z9hG4bKtls" {
		t.Fatalf("delivered %q", b)
	}
	// A client that does not trust the certificate gets nothing through.
	if _, err := tls.Dial("tcp", l.LocalAddr().String(), &tls.Config{MinVersion: tls.VersionTLS12}); err == nil {
		t.Fatal("handshake with an untrusted certificate succeeded")
	}
}

func TestStreamHandlerPanicCostsOneMessage(t *testing.T) {
	l, err := transport.ListenTCP(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in := make(chan transport.Inbound, 4)
	go l.Serve(transport.HandlerFunc(func(m transport.Inbound) {
		if branchOf(t, m.Msg) == "z9hG4bKpanic" {
			panic("handler bug")
		}
		in <- m
	}))
	defer l.Close()
	c := dial(t, l.LocalAddr())
	io.WriteString(c, optionsOver("TCP", "z9hG4bKpanic")+optionsOver("TCP", "z9hG4bKnext"))
	if b := branchOf(t, receive(t, in).Msg); b != "z9hG4bKnext" {
		t.Fatalf("delivered %q", b)
	}
}

func TestTCPWriteToAPeerThatDoesNotRead(t *testing.T) {
	// A peer that accepts but never reads: sends fill its window, then
	// time out instead of blocking forever.
	a, _ := listenTCP(t, "127.0.0.1:0", transport.WithWriteTimeout(200*time.Millisecond))
	to, m := silentPeer(t), bigRequest(t, "z9hG4bKbig")
	start := time.Now()
	var sendErr error
	for i := 0; i < 500 && sendErr == nil; i++ {
		sendErr = a.Send(context.Background(), m, to)
	}
	if sendErr == nil {
		t.Fatal("500 sends of 60 kB to a peer that never reads all succeeded")
	}
	if time.Since(start) > 8*time.Second {
		t.Fatalf("the send blocked for %v", time.Since(start))
	}
}

func TestTCPWriteQueueBackpressure(t *testing.T) {
	// With a queue of one and a peer that does not read, senders wait for
	// room, and give up when their context ends.
	a, _ := listenTCP(t, "127.0.0.1:0", transport.WithWriteQueue(1), transport.WithWriteTimeout(5*time.Second))
	to, m := silentPeer(t), bigRequest(t, "z9hG4bKqueue")
	for i := 0; ; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		err := a.Send(ctx, m, to)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			return // a sender waited for room and gave up
		}
		if err != nil {
			t.Fatalf("send %d: %v; want success or the context's deadline", i, err)
		}
		if i == 1000 {
			t.Fatal("1000 sends of 60 kB queued to a peer that never reads")
		}
	}
}

func TestTCPOversizedAndResetPeersDoNotDisturbOthers(t *testing.T) {
	l, in := listenTCP(t, "127.0.0.1:0")
	// A Content-Length far over the limit: refused before any body is
	// buffered, the connection closed.
	huge := dial(t, l.LocalAddr())
	io.WriteString(huge, strings.Replace(optionsOver("TCP", "z9hG4bKhuge"), "Content-Length: 0", "Content-Length: 900000000", 1))
	huge.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := huge.Read(make([]byte, 1)); err == nil {
		t.Fatal("the connection announcing a huge body stays open")
	}
	// A peer that resets its connection in the middle of a message.
	reset := dial(t, l.LocalAddr())
	msg := optionsOver("TCP", "z9hG4bKreset")
	io.WriteString(reset, msg[:len(msg)/2])
	reset.(*net.TCPConn).SetLinger(0)
	reset.Close()
	// Others go on.
	ok := dial(t, l.LocalAddr())
	io.WriteString(ok, optionsOver("TCP", "z9hG4bKstill"))
	if b := branchOf(t, receive(t, in).Msg); b != "z9hG4bKstill" {
		t.Fatalf("delivered %q", b)
	}
	if s := l.Stats(); s.Malformed != 1 {
		t.Fatalf("stats %+v; want the huge message counted as malformed", s)
	}
}

// tlsRequest serves a TLS listener on addr with the server configuration,
// sends it an OPTIONS from a client trusting pool, and returns what the
// listener delivered.
func tlsRequest(t *testing.T, addr string, server *tls.Config, pool *x509.CertPool, branch string) transport.Inbound {
	t.Helper()
	l, err := transport.ListenTLS(context.Background(), addr, server)
	if err != nil {
		t.Fatal(err)
	}
	in := serveInbound(t, l)
	c, err := tls.Dial("tcp", l.LocalAddr().String(), &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, optionsOver("TLS", branch))
	return receive(t, in)
}

func TestTLSAndWebSocketOverIPv6(t *testing.T) {
	cert, pool := selfSigned(t)
	server := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	got := tlsRequest(t, "[::1]:0", server, pool, "z9hG4bKtls6")
	if !got.Remote.Addr().Is6() || branchOf(t, got.Msg) != "z9hG4bKtls6" {
		t.Fatalf("delivered %q from %s", branchOf(t, got.Msg), got.Remote)
	}

	ws, err := transport.ListenWS(context.Background(), "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	wsExchange(t, ws, serveInbound(t, ws), "ws://"+ws.LocalAddr().String()+"/", nil)
}

func TestTCPKeepAlivePingAndPong(t *testing.T) {
	// Two listeners: a pings b over the connection it opens; b answers
	// each ping with a pong, which a counts.
	a, _ := listenTCP(t, "127.0.0.1:0")
	b, _ := listenTCP(t, "127.0.0.1:0")
	for range 3 {
		if err := a.Ping(context.Background(), b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for a.KeepAlivesReceived() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := a.KeepAlivesReceived(); got != 3 {
		t.Fatalf("%d pongs; want 3", got)
	}
	if s := b.Stats(); s.Malformed != 0 || s.Received != 0 {
		t.Fatalf("pings seen as messages: %+v", s)
	}
}

func TestServerTLSConfigFromFiles(t *testing.T) {
	cert, pool := selfSigned(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	tc, err := transport.ServerTLSConfig(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if b := branchOf(t, tlsRequest(t, "127.0.0.1:0", tc, pool, "z9hG4bKfiles").Msg); b != "z9hG4bKfiles" {
		t.Fatalf("delivered %q", b)
	}
	if _, err := transport.ServerTLSConfig(filepath.Join(dir, "missing.pem"), keyFile); err == nil {
		t.Fatal("a missing certificate file loaded")
	}
}
