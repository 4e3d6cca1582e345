package transport_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

func request(t *testing.T, vias ...string) *sip.Request {
	t.Helper()
	msg := "OPTIONS sip:bob@example.com SIP/2.0\r\n"
	for _, v := range vias {
		msg += v + "\r\n"
	}
	msg += "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n" +
		"Call-ID: route@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
	m, err := sip.ParseMessage([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	return m.(*sip.Request)
}

func TestStampReceived(t *testing.T) {
	cases := map[string]struct {
		via  string
		src  string
		want string // the Via field value afterwards
	}{
		"sent-by is the source address: unchanged": {
			"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", "192.0.2.1:5060",
			"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1",
		},
		"sent-by is another address": {
			"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1", "192.0.2.1:5060",
			"SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.1",
		},
		"sent-by is a domain name (§18.2.1)": {
			"Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK1", "192.0.2.1:40000",
			"SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK1;received=192.0.2.1",
		},
		"rport asked: port and received even from the same address (RFC 3581 §4)": {
			"Via: SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1", "192.0.2.1:61000",
			"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=192.0.2.1;rport=61000",
		},
		"IPv6 source, unbracketed in received (RFC 5118 §4.5)": {
			"Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1", "[2001:db8::2]:5060",
			"SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;received=2001:db8::2",
		},
		"IPv4-mapped source compares as IPv4": {
			"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", "[::ffff:192.0.2.1]:5060",
			"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1",
		},
		"only the top via-parm of a combined field, compact name": {
			"v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2, SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1", "192.0.2.1:5060",
			"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2;received=192.0.2.1, SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			req := request(t, c.via, "Via: SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKlower")
			if err := transport.StampReceived(req, netip.MustParseAddrPort(c.src)); err != nil {
				t.Fatal(err)
			}
			if got := req.Header[0].Value; got != c.want {
				t.Fatalf("Via = %q\nwant  %q", got, c.want)
			}
			if got := req.Header[1].Value; got != "SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKlower" {
				t.Fatalf("a lower Via changed: %q", got)
			}
			if _, err := sip.ParseMessage([]byte(req.String())); err != nil {
				t.Fatalf("stamped request does not parse: %v", err)
			}
		})
	}
}

func TestStampReceivedWithoutVia(t *testing.T) {
	req := &sip.Request{Method: sip.OPTIONS}
	if err := transport.StampReceived(req, netip.MustParseAddrPort("192.0.2.1:5060")); !errors.Is(err, transport.ErrNoVia) {
		t.Fatalf("err = %v; want ErrNoVia", err)
	}
}

func TestResponseTarget(t *testing.T) {
	cases := map[string]struct {
		via  string
		want transport.Target
	}{
		"UDP to received and the sent-by port": {
			"SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;received=192.0.2.1",
			transport.Target{Transport: "UDP", Host: "192.0.2.1", Port: 5070},
		},
		"UDP to received and rport": {
			"SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;received=192.0.2.1;rport=61000",
			transport.Target{Transport: "UDP", Host: "192.0.2.1", Port: 61000},
		},
		"UDP without received: the sent-by, default port": {
			"SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK1",
			transport.Target{Transport: "UDP", Host: "pc33.atlanta.example.com", Port: 5060},
		},
		"UDP with maddr": {
			"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;maddr=239.255.255.1;ttl=16;received=192.0.2.1",
			transport.Target{Transport: "UDP", Host: "239.255.255.1", Port: 5060},
		},
		"TCP: the request's connection, else received": {
			"SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK1;received=192.0.2.1",
			transport.Target{Transport: "TCP", Connection: true, Host: "192.0.2.1", Port: 5060},
		},
		"TLS default port, lower-case transport": {
			"SIP/2.0/tls example.com;branch=z9hG4bK1",
			transport.Target{Transport: "TLS", Connection: true, Host: "example.com", Port: 5061},
		},
		"IPv6 sent-by and received": {
			"SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK1;received=2001:db8::2",
			transport.Target{Transport: "UDP", Host: "2001:db8::2", Port: 5062},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			via, err := sip.ParseVia(c.via)
			if err != nil {
				t.Fatal(err)
			}
			if got := transport.ResponseTarget(via); got != c.want {
				t.Fatalf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestTransportProperties(t *testing.T) {
	cases := []struct {
		name             string
		reliable, secure bool
		port             int
	}{
		{"UDP", false, false, 5060}, {"tcp", true, false, 5060}, {"TLS", true, true, 5061},
		{"SCTP", true, false, 5060}, {"WS", true, false, 80}, {"wss", true, true, 443},
	}
	for _, c := range cases {
		if transport.Reliable(c.name) != c.reliable || transport.Secure(c.name) != c.secure || transport.DefaultPort(c.name) != c.port {
			t.Errorf("%s: reliable %v secure %v port %d", c.name, transport.Reliable(c.name), transport.Secure(c.name), transport.DefaultPort(c.name))
		}
	}
}

func TestNeedsStream(t *testing.T) {
	cases := []struct {
		transport string
		size      int
		want      bool
	}{
		{"UDP", transport.MaxUDPRequest, false},
		{"UDP", transport.MaxUDPRequest + 1, true},
		{"udp", 4000, true},
		{"TCP", 4000, false},
	}
	for _, c := range cases {
		if got := transport.NeedsStream(c.transport, c.size); got != c.want {
			t.Errorf("NeedsStream(%s, %d) = %v", c.transport, c.size, got)
		}
	}
}
