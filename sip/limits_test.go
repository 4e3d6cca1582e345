package sip_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

const limitsBase = "OPTIONS sip:bob@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKlimits\r\n" +
	"From: <sip:alice@example.com>;tag=1\r\n" +
	"To: <sip:bob@example.com>\r\n" +
	"Call-ID: limits@example.com\r\n" +
	"CSeq: 1 OPTIONS\r\n"

func TestParseLimits(t *testing.T) {
	cases := map[string]struct {
		msg    string
		opts   []sip.ParseOption
		status int
		reason string
	}{
		"message over the size limit": {
			msg:    limitsBase + "Content-Length: 0\r\n\r\n",
			opts:   []sip.ParseOption{sip.WithMaxMessageSize(64)},
			status: sip.StatusMessageTooLarge,
		},
		"more header fields than allowed": {
			msg:    limitsBase + "Content-Length: 0\r\n\r\n",
			opts:   []sip.ParseOption{sip.WithMaxHeaders(4)},
			status: sip.StatusBadRequest,
			reason: "Too Many Headers",
		},
		"header line over the limit": {
			msg:    limitsBase + "Subject: " + strings.Repeat("x", 200) + "\r\nContent-Length: 0\r\n\r\n",
			opts:   []sip.ParseOption{sip.WithMaxLineLength(100)},
			status: sip.StatusBadRequest,
			reason: "Header Line Too Long",
		},
		"folded header growing over the limit": {
			msg:    limitsBase + "Subject: a\r\n " + strings.Repeat("y", 60) + "\r\n " + strings.Repeat("z", 60) + "\r\nContent-Length: 0\r\n\r\n",
			opts:   []sip.ParseOption{sip.WithMaxLineLength(100)},
			status: sip.StatusBadRequest,
			reason: "Header Line Too Long",
		},
		"Content-Length beyond any message": {
			msg:    limitsBase + "Content-Length: 99999999999999999999\r\n\r\n",
			status: sip.StatusBadRequest,
			reason: "Invalid Content-Length Header",
		},
		"SIP version other than 2.0": {
			msg:    strings.Replace(limitsBase, "SIP/2.0\r\n", "SIP/3.0\r\n", 1) + "\r\n",
			status: sip.StatusVersionNotSupported,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := sip.ParseMessage([]byte(c.msg), c.opts...)
			var pe *sip.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v; want a *ParseError", err)
			}
			if pe.StatusCode != c.status || c.reason != "" && pe.Reason != c.reason {
				t.Fatalf("got %d %q; want %d %q", pe.StatusCode, pe.Reason, c.status, c.reason)
			}
			if c.status == sip.StatusMessageTooLarge && !errors.Is(err, sip.ErrMessageTooLarge) {
				t.Fatalf("err = %v; want it to wrap ErrMessageTooLarge", err)
			}
		})
	}
}

func TestHugeContentLengthAllocatesNothingForIt(t *testing.T) {
	// The value is checked against the limits, never used to size a
	// buffer: parsing costs what the datagram costs.
	msg := []byte(limitsBase + "Content-Length: 2147483647\r\n\r\nshort body")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 100 {
		if _, err := sip.ParseMessage(msg); err == nil {
			t.Fatal("a Content-Length beyond the datagram was accepted")
		}
	}
	runtime.ReadMemStats(&after)
	if perCall := (after.TotalAlloc - before.TotalAlloc) / 100; perCall > 8*uint64(len(msg))+2048 {
		t.Fatalf("%d bytes allocated per parse of a %d-byte datagram", perCall, len(msg))
	}
}
