package sip_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden from the serializer's output")

// TestGolden parses each testdata/golden/*.sip, serializes it and compares
// the octets with the .golden file beside it (go test -run TestGolden
// -update rewrites them). Every golden file must itself be a message in
// wire form: CRLF line ends, a Content-Length equal to the body's length,
// and serializing to itself.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/golden/*.sip")
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no testdata/golden/*.sip")
	}
	goldens, _ := filepath.Glob("testdata/golden/*.golden")
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".golden") + ".sip"); err != nil {
			t.Errorf("%s has no input: %v", g, err)
		}
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".sip")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			msg, err := sip.ParseMessage(data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got := msg.AppendTo(nil)
			golden := strings.TrimSuffix(in, ".sip") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("serialized %s differs from %s:\n%s", in, golden, lineDiff(string(want), string(got)))
			}
			checkWireForm(t, want)
		})
	}
}

// checkWireForm checks that data is one message in wire form.
func checkWireForm(t *testing.T, data []byte) {
	t.Helper()
	head, body, ok := bytes.Cut(data, []byte("\r\n\r\n"))
	if !ok {
		t.Fatal("no CRLF CRLF ends the header section")
	}
	for i, line := range strings.Split(string(head), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if i > 0 && (line == "" || line[0] == ' ' || line[0] == '\t') {
			t.Errorf("line %d is empty or folded: %q", i+1, line)
		}
	}
	msg, err := sip.ParseMessage(data)
	if err != nil {
		t.Fatalf("golden file does not parse: %v", err)
	}
	lengths := 0
	for v := range msg.Headers().Values(sip.HeaderContentLength) {
		lengths++
		if n, err := strconv.Atoi(v); err != nil || n != len(body) {
			t.Errorf("Content-Length %q; the body has %d octets", v, len(body))
		}
	}
	if lengths != 1 {
		t.Errorf("%d Content-Length fields; want 1", lengths)
	}
	if !bytes.Equal(msg.Payload(), body) && !(len(body) == 0 && msg.Payload() == nil) {
		t.Errorf("body %q; want %q", msg.Payload(), body)
	}
	if again := msg.AppendTo(nil); !bytes.Equal(again, data) {
		t.Errorf("golden file does not serialize to itself:\n%s", lineDiff(string(data), string(again)))
	}
}

// lineDiff shows the first differing line of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b || i >= len(w) || i >= len(g) {
			return "line " + strconv.Itoa(i+1) + ":\nwant " + strconv.Quote(a) + "\ngot  " + strconv.Quote(b)
		}
	}
	return "(same lines)"
}
