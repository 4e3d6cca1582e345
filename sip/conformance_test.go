package sip_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// corpusCase is one row of testdata/conformance/MANIFEST.tsv.
type corpusCase struct {
	file, expected, test, note string
}

func readManifest(t testing.TB) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/conformance/MANIFEST.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			t.Fatalf("bad manifest row %q", sc.Text())
		}
		cases = append(cases, corpusCase{file: cols[0], expected: cols[1], test: cols[2], note: cols[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// Statuses the RFC asks for, where it is not 400.
var invalidStatus = map[string]int{
	"rfc4475/badvers.dat":    sip.StatusVersionNotSupported,
	"rfc4475/mismatch02.dat": sip.StatusNotImplemented,
}

// Semantic cases the RFC expects a 400 for, which the parser may give.
var semanticMay400 = map[string]bool{
	"rfc4475/insuf.dat":   true,
	"rfc4475/multi01.dat": true,
	"rfc4475/mcl01.dat":   true,
}

func TestConformance(t *testing.T) {
	cases := readManifest(t)
	if len(cases) != 88 {
		t.Fatalf("manifest has %d messages; want 88", len(cases))
	}
	passed := 0
	for _, c := range cases {
		ok := t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/conformance", c.file))
			if err != nil {
				t.Fatal(err)
			}
			msg, err := sip.ParseMessage(data)
			switch c.expected {
			case "valid":
				if err != nil {
					t.Fatalf("%s\nvalid message rejected: %v\n(%s)", c.test, err, c.note)
				}
				checkRoundTrip(t, msg)
			case "semantic":
				var pe *sip.ParseError
				if err != nil && !(semanticMay400[c.file] && errors.As(err, &pe) && pe.StatusCode == 400) {
					t.Fatalf("%s\nwell-formed message rejected: %v\n(%s)", c.test, err, c.note)
				}
				if err == nil {
					checkRoundTrip(t, msg)
				}
			case "invalid":
				var pe *sip.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%s\ninvalid message accepted (err %v)\n(%s)", c.test, err, c.note)
				}
				want := sip.StatusBadRequest
				if s, ok := invalidStatus[c.file]; ok {
					want = s
				}
				if pe.StatusCode != want {
					t.Fatalf("%s\nrejected with %d (%v); want %d", c.test, pe.StatusCode, err, want)
				}
			default:
				t.Fatalf("unknown expectation %q", c.expected)
			}
		})
		if ok {
			passed++
		}
	}
	t.Logf("conformance: %d of %d", passed, len(cases))
}

// checkRoundTrip serializes msg, parses it again and compares.
func checkRoundTrip(t *testing.T, msg sip.Message) {
	t.Helper()
	wire := msg.String()
	again, err := sip.ParseMessage([]byte(wire))
	if err != nil {
		t.Fatalf("serialized message does not parse: %v\n%s", err, wire)
	}
	if d := diff(msg, again); d != "" {
		t.Fatalf("round trip changed the message: %s\n%s", d, wire)
	}
}

// diff describes how two messages differ, ignoring Content-Length
// (rewritten from the body) and where an absent one was added.
func diff(a, b sip.Message) string {
	switch a := a.(type) {
	case *sip.Request:
		b, ok := b.(*sip.Request)
		switch {
		case !ok:
			return "request became a response"
		case a.Method != b.Method:
			return "method " + string(a.Method) + " became " + string(b.Method)
		case a.URI.String() != b.URI.String():
			return "Request-URI " + a.URI.String() + " became " + b.URI.String()
		}
	case *sip.Response:
		b, ok := b.(*sip.Response)
		switch {
		case !ok:
			return "response became a request"
		case a.StatusCode != b.StatusCode || a.Reason != b.Reason:
			return "status line changed"
		}
	}
	ha, hb := withoutLength(*a.Headers()), withoutLength(*b.Headers())
	if len(ha) != len(hb) {
		return "header count changed"
	}
	for i := range ha {
		if ha[i] != hb[i] {
			return "header " + ha[i].Name + ": " + ha[i].Value + " became " + hb[i].Name + ": " + hb[i].Value
		}
	}
	if !bytes.Equal(a.Payload(), b.Payload()) {
		return "body changed"
	}
	return ""
}

func withoutLength(h sip.Header) sip.Header {
	var out sip.Header
	for _, f := range h {
		if sip.CanonicalName(f.Name) != sip.HeaderContentLength {
			out = append(out, f)
		}
	}
	return out
}
