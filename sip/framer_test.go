package sip_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

const (
	streamInvite = "INVITE sip:bob@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/TCP pc33.example.com;branch=z9hG4bK776asdhds\r\n" +
		"Max-Forwards: 70\r\n" +
		"To: Bob <sip:bob@example.com>\r\n" +
		"From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
		"Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"Contact: <sip:alice@pc33.example.com;transport=tcp>\r\n" +
		"Content-Type: application/sdp\r\n" +
		"Content-Length: 17\r\n" +
		"\r\n" +
		"v=0\r\no=- 1 1 IN\r\n"
	streamTrying = "SIP/2.0 100 Trying\r\n" +
		"Via: SIP/2.0/TCP pc33.example.com;branch=z9hG4bK776asdhds\r\n" +
		"To: Bob <sip:bob@example.com>\r\n" +
		"From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
		"Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"l: 0\r\n" +
		"\r\n"
	// The body starts with CRLF and holds an empty line: only
	// Content-Length tells where it ends.
	streamMessage = "MESSAGE sip:bob@example.com SIP/2.0\n" +
		"v: SIP/2.0/TCP pc33.example.com;branch=z9hG4bK776asdhdt\n" +
		"t: <sip:bob@example.com>\n" +
		"f: <sip:alice@example.com>;tag=49583\n" +
		"i: b84b4c76e66710\n" +
		"CSeq: 1 MESSAGE\n" +
		"Content-Length:\n" +
		"   13\n" +
		"\n" +
		"\r\nhi\r\n\r\nthere"
)

// frameAll writes the chunks one by one, calling Next until it returns no
// message after each; it stops at the first error.
func frameAll(f *sip.Framer, chunks ...string) ([]sip.Message, error) {
	var msgs []sip.Message
	for _, c := range chunks {
		if _, err := f.Write([]byte(c)); err != nil {
			return msgs, err
		}
		for {
			m, err := f.Next()
			if err != nil {
				return msgs, err
			}
			if m == nil {
				break
			}
			msgs = append(msgs, m)
		}
	}
	return msgs, nil
}

// bytesOf splits s into one-octet chunks.
func bytesOf(s string) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = s[i : i+1]
	}
	return out
}

func mustParse(t testing.TB, s string) sip.Message {
	t.Helper()
	m, err := sip.ParseMessage([]byte(s))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, s)
	}
	return m
}

func checkSame(t *testing.T, got []sip.Message, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("framed %d messages; want %d", len(got), len(want))
	}
	for i, w := range want {
		if d := diff(mustParse(t, w), got[i]); d != "" {
			t.Errorf("message %d: %s", i, d)
		}
	}
}

func TestFramerSplitsMessages(t *testing.T) {
	stream := streamInvite + streamTrying + streamMessage
	for _, tc := range []struct {
		name   string
		chunks []string
	}{
		{"one write", []string{stream}},
		{"octet by octet", bytesOf(stream)},
		{"at message ends", []string{streamInvite, streamTrying, streamMessage}},
		{"inside the empty line", []string{streamInvite[:len(streamInvite)-18], streamInvite[len(streamInvite)-18:] + streamTrying + streamMessage}},
		{"inside the body", []string{streamInvite[:len(streamInvite)-5], streamInvite[len(streamInvite)-5:] + streamTrying[:3], streamTrying[3:] + streamMessage}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sip.NewFramer()
			msgs, err := frameAll(f, tc.chunks...)
			if err != nil {
				t.Fatal(err)
			}
			checkSame(t, msgs, streamInvite, streamTrying, streamMessage)
			if f.Buffered() != 0 {
				t.Errorf("Buffered() = %d after whole messages", f.Buffered())
			}
			if got := string(msgs[2].Payload()); got != "\r\nhi\r\n\r\nthere" {
				t.Errorf("body %q", got)
			}
		})
	}
}

func TestFramerWaitsForTheBody(t *testing.T) {
	f := sip.NewFramer()
	msgs, err := frameAll(f, streamInvite[:len(streamInvite)-1])
	if err != nil || len(msgs) != 0 {
		t.Fatalf("framed %d messages, err %v, from a partial message", len(msgs), err)
	}
	if f.Buffered() != len(streamInvite)-1 {
		t.Errorf("Buffered() = %d; want %d", f.Buffered(), len(streamInvite)-1)
	}
	msgs, err = frameAll(f, streamInvite[len(streamInvite)-1:])
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, msgs, streamInvite)
}

func TestFramerKeepAlives(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks []string
		msgs   int
		want   sip.KeepAlives
	}{
		{"ping", []string{"\r\n\r\n"}, 0, sip.KeepAlives{Pings: 1, CRLFs: 2}},
		{"pong", []string{"\r\n"}, 0, sip.KeepAlives{CRLFs: 1}},
		{"ping split", []string{"\r", "\n\r", "\n"}, 0, sip.KeepAlives{Pings: 1, CRLFs: 2}},
		{"two pings", []string{"\r\n\r\n", "\r\n\r\n"}, 0, sip.KeepAlives{Pings: 2, CRLFs: 4}},
		{"bare LFs", []string{"\n\n"}, 0, sip.KeepAlives{Pings: 1, CRLFs: 2}},
		{"between messages", []string{streamTrying + "\r\n\r\n" + streamTrying + "\r\n" + streamTrying}, 3, sip.KeepAlives{Pings: 1, CRLFs: 3}},
		{"a line end then a message", []string{"\r\n", streamTrying, "\r\n"}, 1, sip.KeepAlives{CRLFs: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sip.NewFramer()
			msgs, err := frameAll(f, tc.chunks...)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != tc.msgs {
				t.Errorf("framed %d messages; want %d", len(msgs), tc.msgs)
			}
			if got := f.KeepAlives(); got != tc.want {
				t.Errorf("KeepAlives() = %+v; want %+v", got, tc.want)
			}
			if got := f.KeepAlives(); got != (sip.KeepAlives{}) {
				t.Errorf("second KeepAlives() = %+v; want none", got)
			}
			if f.Buffered() != 0 {
				t.Errorf("Buffered() = %d", f.Buffered())
			}
		})
	}
}

func TestFramerFramingErrors(t *testing.T) {
	head := strings.TrimSuffix(streamTrying, "l: 0\r\n\r\n")
	for _, tc := range []struct {
		name   string
		opts   []sip.ParseOption
		stream string
		status int
		is     error
	}{
		{"no Content-Length", nil, head + "\r\n", 400, sip.ErrMissingContentLength},
		{"no Content-Length, LF", nil, strings.ReplaceAll(head, "\r\n", "\n") + "\n", 400, sip.ErrMissingContentLength},
		{"bad Content-Length", nil, head + "Content-Length: 1a\r\n\r\n", 400, nil},
		{"negative Content-Length", nil, head + "Content-Length: -1\r\n\r\n", 400, nil},
		{"empty Content-Length", nil, head + "Content-Length:\r\n\r\n", 400, nil},
		{"two Content-Lengths", nil, head + "l: 0\r\nContent-Length: 1\r\n\r\nx", 400, nil},
		{"folded into two words", nil, head + "Content-Length: 1\r\n 2\r\n\r\n", 400, nil},
		{"huge Content-Length", nil, head + "Content-Length: 99999999999999999999999999\r\n\r\n", 513, sip.ErrMessageTooLarge},
		{"Content-Length over the limit", nil, head + "Content-Length: 65536\r\n\r\n", 513, sip.ErrMessageTooLarge},
		{"body over a set limit", []sip.ParseOption{sip.WithMaxMessageSize(len(streamTrying))}, head + "l: 1\r\n\r\nx", 513, sip.ErrMessageTooLarge},
		{"header section over a set limit", []sip.ParseOption{sip.WithMaxMessageSize(len(head))}, head, 513, sip.ErrMessageTooLarge},
		{"endless header section", nil, "OPTIONS sip:a@b SIP/2.0\r\n" + strings.Repeat("X-Pad: "+strings.Repeat("x", 90)+"\r\n", 1000), 513, sip.ErrMessageTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sip.NewFramer(tc.opts...)
			_, err := frameAll(f, bytesOf(tc.stream)...)
			var pe *sip.ParseError
			if !errors.As(err, &pe) || pe.StatusCode != tc.status {
				t.Fatalf("error %v; want a *ParseError with status %d", err, tc.status)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
			if !strings.HasPrefix(err.Error(), "sip: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			// The error is final.
			if _, again := f.Next(); again != err {
				t.Errorf("Next after the error: %v", again)
			}
			if n, again := f.Write([]byte(streamTrying)); n != 0 || again != err {
				t.Errorf("Write after the error: %d, %v", n, again)
			}
			if f.Buffered() != 0 {
				t.Errorf("Buffered() = %d after a framing error", f.Buffered())
			}
		})
	}
}

// A Content-Length, however large, makes the Framer allocate nothing for
// the body ahead of it: over the limit it is refused as soon as the header
// section is read, and under it the Framer buffers only what arrives.
func TestFramerHugeContentLengthBuffersNothing(t *testing.T) {
	head := strings.TrimSuffix(streamTrying, "l: 0\r\n\r\n")
	for _, tc := range []struct {
		length string
		limit  int
		err    error
	}{
		{"4000000000", 1 << 20, sip.ErrMessageTooLarge},
		{"18446744073709551617", 1 << 20, sip.ErrMessageTooLarge},
		{"1000000000", 1 << 31, nil},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f := sip.NewFramer(sip.WithMaxMessageSize(tc.limit))
		f.Write([]byte(head + "Content-Length: " + tc.length + "\r\n\r\nbody"))
		m, err := f.Next()
		runtime.ReadMemStats(&after)
		if m != nil || !errors.Is(err, tc.err) {
			t.Errorf("Content-Length %s, limit %d: %v, %v; want %v", tc.length, tc.limit, m, err, tc.err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
			t.Errorf("Content-Length %s, limit %d: %d octets allocated", tc.length, tc.limit, n)
		}
	}
}

// A message that frames but does not parse is consumed; the stream goes on.
func TestFramerSkipsAMessageThatDoesNotParse(t *testing.T) {
	bad := strings.Replace(streamTrying, "CSeq: 314159 INVITE", "CSeq: INVITE", 1)
	f := sip.NewFramer()
	f.Write([]byte(bad + streamTrying))
	_, err := f.Next()
	var pe *sip.ParseError
	if !errors.As(err, &pe) || pe.StatusCode != 400 || pe.Header != sip.HeaderCSeq {
		t.Fatalf("error %v; want a 400 for the CSeq", err)
	}
	m, err := f.Next()
	if err != nil || m == nil {
		t.Fatalf("Next after a bad message: %v, %v", m, err)
	}
	checkSame(t, []sip.Message{m}, streamTrying)
}

// The parser's limits other than size apply to each message.
func TestFramerParserLimits(t *testing.T) {
	f := sip.NewFramer(sip.WithMaxHeaders(3))
	f.Write([]byte(streamTrying + streamTrying))
	if _, err := f.Next(); !errors.Is(err, sip.ErrMessageTooLarge) {
		t.Fatalf("error %v; want too many headers", err)
	}
	if _, err := f.Next(); !errors.Is(err, sip.ErrMessageTooLarge) {
		t.Fatalf("second error %v; want too many headers", err)
	}
	if m, err := f.Next(); m != nil || err != nil {
		t.Fatalf("Next on an empty stream: %v, %v", m, err)
	}
}

// A message shares no memory with what was written, nor with the
// Framer's buffer, which the next writes reuse.
func TestFramerCopies(t *testing.T) {
	buf := []byte(streamTrying + streamTrying)
	f := sip.NewFramer()
	f.Write(buf)
	clear(buf)
	first, err := f.Next()
	if err != nil || first == nil {
		t.Fatalf("Next: %v, %v", first, err)
	}
	f.Write([]byte(strings.Repeat("x", len(streamTrying))))
	second, err := f.Next()
	if err != nil || second == nil {
		t.Fatalf("Next: %v, %v", second, err)
	}
	checkSame(t, []sip.Message{first, second}, streamTrying, streamTrying)
}

func ExampleFramer() {
	f := sip.NewFramer()
	// What a TCP connection delivered in two reads: a ping, a request,
	// and the start of another.
	reads := []string{
		"\r\n\r\nOPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/TCP a.example.com;branch=z9hG4bK1\r\n",
		"To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\nCall-ID: 1@a\r\nCSeq: 1 OPTIONS\r\n" +
			"Content-Length: 0\r\n\r\nOPTIONS sip:b@example.com SIP/2.0\r\n",
	}
	for _, read := range reads {
		f.Write([]byte(read))
		for {
			msg, err := f.Next()
			if err != nil {
				fmt.Println("close the connection:", err)
				return
			}
			if msg == nil {
				break
			}
			fmt.Println("message:", msg.(*sip.Request).Method)
		}
		if k := f.KeepAlives(); k.Pings > 0 {
			fmt.Printf("ping: answer %q\n", sip.KeepAlivePong)
		}
	}
	fmt.Println("octets of the next message:", f.Buffered())
	// Output:
	// ping: answer "\r\n"
	// message: OPTIONS
	// octets of the next message: 35
}
