package sip_test

import (
	"errors"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// An addr-spec's generic-param may be a quoted-string holding '<' (RFC
// 3261 §25.1): that '<' does not start a name-addr.
func TestParseNameAddrAddrSpecQuotedAngle(t *testing.T) {
	n, err := sip.ParseNameAddr(`sip:alice@example.com;x="<b>";tag=1`)
	if err != nil {
		t.Fatal(err)
	}
	if n.URI.String() != "sip:alice@example.com" || n.Tag() != "1" || n.DisplayName != "" {
		t.Fatalf("got %+v", n)
	}
	msg := "OPTIONS sip:bob@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKq\r\n" +
		"From: sip:alice@example.com;x=\"<\";tag=1\r\n" +
		"To: <sip:bob@example.com>\r\n" +
		"Call-ID: q@example.com\r\n" +
		"CSeq: 1 OPTIONS\r\n\r\n"
	if _, err := sip.ParseMessage([]byte(msg)); err != nil {
		t.Fatal(err)
	}
}

// Parsing without options allocates the copy of the datagram and the
// message, nothing for the limits.
func TestParseMessageAllocations(t *testing.T) {
	msg := []byte("OPTIONS sip:bob@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKq\r\n" +
		"From: <sip:alice@example.com>;tag=1\r\n" +
		"To: <sip:bob@example.com>\r\n" +
		"Call-ID: q@example.com\r\n" +
		"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
	if n := testing.AllocsPerRun(100, func() {
		if _, err := sip.ParseMessage(msg); err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Fatalf("%v allocations; want 2", n)
	}
}

func TestNewRequestBodyNeedsContentType(t *testing.T) {
	_, err := sip.NewRequest(sip.MESSAGE, sip.URI{Scheme: "sip", User: "bob", Host: "example.com"},
		sip.WithVia(sip.Via{Transport: "UDP", Host: "192.0.2.1"}),
		sip.WithFrom(sip.NameAddr{URI: sip.URI{Scheme: "sip", User: "alice", Host: "example.com"}}),
		sip.WithBody("", []byte("hello")))
	var missing *sip.MissingError
	if !errors.As(err, &missing) || missing.Header != sip.HeaderContentType {
		t.Fatalf("err = %v; want a missing Content-Type", err)
	}
}

func TestViaRPortMustBeAPort(t *testing.T) {
	for _, v := range []string{
		"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=abc",
		"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=70000",
	} {
		if _, err := sip.ParseVia(v); err == nil {
			t.Errorf("ParseVia(%q) accepted an rport that is not a port", v)
		}
	}
	for _, v := range []string{
		"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport",
		"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=5060",
	} {
		if _, err := sip.ParseVia(v); err != nil {
			t.Errorf("ParseVia(%q): %v", v, err)
		}
	}
}
