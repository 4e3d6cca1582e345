package sip_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// corpusMessages returns the conformance corpus's messages (and the
// RFC 5118 archive's), to seed the fuzz targets.
func corpusMessages(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	err := filepath.WalkDir("testdata/conformance", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".dat" && ext != ".sip" {
			return nil
		}
		data, err := os.ReadFile(path)
		out = append(out, data)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	if len(out) < 88 {
		f.Fatalf("%d corpus messages; want at least 88", len(out))
	}
	return out
}

// roundTrip serializes msg and parses it again; it fails t unless the
// message comes back the same and serializes to the same octets. A
// message at a parser limit may outgrow it once serialized (an added
// Content-Length, ": " after each name, folded lines joined): that is not
// checked.
func roundTrip(t *testing.T, msg sip.Message) {
	t.Helper()
	wire := msg.AppendTo(nil)
	again, err := sip.ParseMessage(wire)
	if errors.Is(err, sip.ErrMessageTooLarge) {
		return
	}
	if err != nil {
		t.Fatalf("serialized message does not parse: %v\n%q", err, wire)
	}
	if d := diff(msg, again); d != "" {
		t.Fatalf("round trip changed the message: %s\n%q", d, wire)
	}
	if twice := again.AppendTo(nil); !bytes.Equal(twice, wire) {
		t.Fatalf("second serialization differs:\n%q\n%q", wire, twice)
	}
}

func FuzzParseMessage(f *testing.F) {
	for _, m := range corpusMessages(f) {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := sip.ParseMessage(data)
		if err != nil {
			var pe *sip.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			if msg != nil {
				t.Fatal("a message with an error")
			}
			// What a server answers to it must itself be a valid message.
			if resp := sip.ErrorResponse(data, err); resp != nil {
				if _, rerr := sip.ParseMessage([]byte(resp.String())); rerr != nil {
					t.Fatalf("the error response does not parse: %v\n%s", rerr, resp)
				}
			}
			return
		}
		roundTrip(t, msg)
	})
}

// frameEvent is what one call to Next gave: a message in wire form or an
// error.
type frameEvent struct {
	msg, err string
}

// frameChunks frames data written in chunks whose sizes come from cuts
// (one write when cuts is empty), up to the first error.
func frameChunks(data, cuts []byte) (events []frameEvent, k sip.KeepAlives, buffered int) {
	f := sip.NewFramer()
	for i := 0; len(data) > 0; i++ {
		n := len(data)
		if len(cuts) > 0 {
			n = min(n, int(cuts[i%len(cuts)])+1)
		}
		if _, err := f.Write(data[:n]); err != nil {
			return append(events, frameEvent{err: err.Error()}), f.KeepAlives(), f.Buffered()
		}
		data = data[n:]
		for {
			m, err := f.Next()
			if err != nil {
				events = append(events, frameEvent{err: err.Error()})
				var pe *sip.ParseError
				if !errors.As(err, &pe) {
					events = append(events, frameEvent{err: "not a *ParseError"})
				}
				if f.Buffered() == 0 {
					if _, again := f.Next(); again == err {
						return events, f.KeepAlives(), 0 // final
					}
				}
				continue
			}
			if m == nil {
				break
			}
			events = append(events, frameEvent{msg: m.String()})
		}
	}
	return events, f.KeepAlives(), f.Buffered()
}

func FuzzFramer(f *testing.F) {
	msgs := corpusMessages(f)
	for i, m := range msgs {
		f.Add(m, []byte{byte(i)})
		f.Add(append(append(append([]byte{}, m...), "\r\n\r\n"...), msgs[(i+1)%len(msgs)]...), []byte{3, 200, 0, 17})
	}
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		// However the stream is cut, the same messages come out.
		whole, kWhole, bufWhole := frameChunks(data, nil)
		chunked, kChunked, bufChunked := frameChunks(data, cuts)
		if len(whole) != len(chunked) {
			t.Fatalf("%d events in one write, %d in chunks:\n%q\n%q", len(whole), len(chunked), whole, chunked)
		}
		for i := range whole {
			if whole[i] != chunked[i] {
				t.Fatalf("event %d differs:\n%q\n%q", i, whole[i], chunked[i])
			}
		}
		if kWhole != kChunked || bufWhole != bufChunked {
			t.Fatalf("keep-alives %+v and %+v, buffered %d and %d", kWhole, kChunked, bufWhole, bufChunked)
		}

		// A message that parses as a datagram, serialized (with its
		// Content-Length), frames as itself among keep-alives.
		msg, err := sip.ParseMessage(data)
		if err != nil {
			return
		}
		wire := msg.AppendTo(nil)
		if len(wire) > sip.DefaultMaxMessageSize {
			return
		}
		stream := append(append(append([]byte{}, wire...), sip.KeepAlivePong...), wire...)
		stream = append(append(stream, sip.KeepAlivePing...), wire...)
		fr := sip.NewFramer()
		var got []sip.Message
		for i := 0; len(stream) > 0; i++ {
			n := len(stream)
			if len(cuts) > 0 {
				n = min(n, int(cuts[i%len(cuts)])+1)
			}
			fr.Write(stream[:n])
			stream = stream[n:]
			for {
				m, err := fr.Next()
				if err != nil {
					t.Fatalf("framing %q: %v", wire, err)
				}
				if m == nil {
					break
				}
				got = append(got, m)
			}
		}
		if len(got) != 3 {
			t.Fatalf("%d messages framed from 3:\n%q", len(got), wire)
		}
		for _, m := range got {
			if d := diff(msg, m); d != "" {
				t.Fatalf("framed message differs: %s\n%q", d, wire)
			}
		}
		if k := fr.KeepAlives(); k != (sip.KeepAlives{Pings: 1, CRLFs: 3}) || fr.Buffered() != 0 {
			t.Fatalf("keep-alives %+v, %d octets left", k, fr.Buffered())
		}
	})
}

// corpusURIs returns the Request-URIs and the URIs in angle brackets of
// the corpus messages, as written.
func corpusURIs(f *testing.F) []string {
	var out []string
	for _, m := range corpusMessages(f) {
		head, _, _ := strings.Cut(string(m), "\r\n\r\n")
		line, rest, _ := strings.Cut(head, "\r\n")
		if fields := strings.Fields(line); len(fields) == 3 && !strings.HasPrefix(fields[0], "SIP/") {
			out = append(out, fields[1])
		}
		for {
			_, after, ok := strings.Cut(rest, "<")
			if !ok {
				break
			}
			uri, after, ok := strings.Cut(after, ">")
			if !ok {
				break
			}
			out = append(out, uri)
			rest = after
		}
	}
	return out
}

func FuzzParseURI(f *testing.F) {
	for _, u := range corpusURIs(f) {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := sip.ParseURI(s)
		if err != nil {
			var se *sip.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
			}
			return
		}
		if !u.Equal(u) {
			t.Fatalf("%q is not equal to itself", s)
		}
		text := u.String()
		v, err := sip.ParseURI(text)
		if err != nil {
			t.Fatalf("%q gives %q, which does not parse: %v", s, text, err)
		}
		if !u.Equal(v) || !v.Equal(u) {
			t.Fatalf("%q gives %q, which is not equal: %#v, %#v", s, text, u, v)
		}
		if again := v.String(); again != text {
			t.Fatalf("%q gives %q, then %q", s, text, again)
		}
	})
}

func FuzzParseMultipart(f *testing.F) {
	f.Add("7a9cbec02ceef655", []byte("--7a9cbec02ceef655\r\nContent-Type: text/plain\r\n\r\nHello\r\n--7a9cbec02ceef655--\r\n"))
	f.Add("b", []byte("pre\n--b \n\n--bb\n--b\nA: 1\n 2\n\nx\n--b--"))
	for _, m := range corpusMessages(f) {
		if msg, err := sip.ParseMessage(m); err == nil {
			if ct, err := msg.Headers().ContentType(); err == nil {
				if b, ok := ct.Params.Get("boundary"); ok {
					f.Add(b, msg.Payload())
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		ct := sip.MediaType{Type: "multipart", Subtype: "mixed", Params: sip.Params(";boundary=" + boundary)}
		parts, err := sip.ParseMultipart(ct, body)
		if err != nil {
			var se *sip.SyntaxError
			if !errors.As(err, &se) || parts != nil {
				t.Fatalf("%d parts, error %v (%T)", len(parts), err, err)
			}
			return
		}
		if len(parts) == 0 {
			t.Fatal("no parts and no error")
		}
		total := 0
		for _, p := range parts {
			if len(p.Body) > 0 && !bytes.Contains(body, p.Body) {
				t.Fatalf("part body %q is not in the body", p.Body)
			}
			total += len(p.Body)
		}
		if total > len(body) {
			t.Fatalf("parts hold %d octets of %d", total, len(body))
		}
	})
}
