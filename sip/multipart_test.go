package sip_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// RFC 4475 §3.1.1.11 mpart01: a MESSAGE whose multipart/mixed body holds a
// text/plain part and a binary application/octet-stream one (a CMS
// signature).
func TestParseMultipartMpart01(t *testing.T) {
	data, err := os.ReadFile("testdata/conformance/rfc4475/mpart01.dat")
	if err != nil {
		t.Fatal(err)
	}
	msg := mustParse(t, string(data))
	ct, err := msg.Headers().ContentType()
	if err != nil {
		t.Fatal(err)
	}
	parts, err := sip.ParseMultipart(ct, msg.Payload())
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts; want 2", len(parts))
	}

	text := parts[0]
	if got := text.Header.Get(sip.HeaderContentType); got != "text/plain" {
		t.Errorf("part 1 Content-Type %q", got)
	}
	if got := text.Header.Get("Content-Transfer-Encoding"); got != "binary" {
		t.Errorf("part 1 Content-Transfer-Encoding %q", got)
	}
	if string(text.Body) != "Hello" {
		t.Errorf("part 1 body %q; want Hello", text.Body)
	}

	bin := parts[1]
	if pct, err := bin.Header.ContentType(); err != nil || !pct.Is("application", "octet-stream") {
		t.Errorf("part 2 Content-Type %v, %v", pct, err)
	}
	// The binary part runs from the empty line after its header fields to
	// the CRLF before the closing boundary.
	body := msg.Payload()
	start := bytes.Index(body, []byte("binary\r\n\r\n0\x82"))
	end := bytes.LastIndex(body, []byte("\r\n--7a9cbec02ceef655--"))
	if start < 0 || end < 0 {
		t.Fatal("corpus file changed")
	}
	want := body[start+len("binary\r\n\r\n") : end]
	if !bytes.Equal(bin.Body, want) {
		t.Errorf("part 2 body: %d octets; want %d", len(bin.Body), len(want))
	}
	// A DER SEQUENCE whose length covers the rest: nothing cut or added.
	if len(bin.Body) < 4 || bin.Body[0] != 0x30 || bin.Body[1] != 0x82 ||
		int(bin.Body[2])<<8|int(bin.Body[3]) != len(bin.Body)-4 {
		t.Errorf("part 2 is not one DER SEQUENCE: % x ... (%d octets)", bin.Body[:min(4, len(bin.Body))], len(bin.Body))
	}
	if !bytes.Contains(bin.Body, []byte{0x00}) || !bytes.Contains(bin.Body, []byte("\x13\nCalifornia")) {
		t.Error("part 2 lost its NUL or LF octets")
	}
}

func TestParseMultipart(t *testing.T) {
	type part struct{ header, body string }
	for _, tc := range []struct {
		name, ct, body string
		want           []part
	}{
		{
			name: "RFC 5621 SDP and resource list",
			ct:   "multipart/mixed;boundary=boundary1",
			body: "--boundary1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\ns=-\r\n\r\n" +
				"--boundary1\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n<resource-lists/>\r\n" +
				"--boundary1--\r\n",
			want: []part{
				{"Content-Type: application/sdp", "v=0\r\ns=-\r\n"},
				{"Content-Type: application/resource-lists+xml|Content-Disposition: recipient-list", "<resource-lists/>"},
			},
		},
		{
			name: "quoted boundary, preamble, epilogue, padding",
			ct:   `multipart/alternative ; boundary="a b:c"`,
			body: "preamble\r\n--a b:c \t\r\nContent-Type: text/plain\r\n\r\none\r\n--a b:c\r\n\r\ntwo\r\n--a b:c--  \r\nepilogue\r\n",
			want: []part{{"Content-Type: text/plain", "one"}, {"", "two"}},
		},
		{
			name: "LF line ends, folded part header, empty part",
			ct:   "multipart/mixed; boundary=x",
			body: "--x\nContent-Type: text/plain;\n charset=utf-8\n\nhi\n--x\n\n--x\n--x--",
			want: []part{{"Content-Type: text/plain; charset=utf-8", "hi"}, {"", ""}, {"", ""}},
		},
		{
			name: "lines that only start like the boundary",
			ct:   "multipart/mixed;boundary=b",
			body: "--b\r\n\r\n--bb\r\n--b-\r\nx--b\r\n--b--",
			want: []part{{"", "--bb\r\n--b-\r\nx--b"}},
		},
		{
			name: "header fields and no body",
			ct:   "Multipart/Related;type=\"application/sdp\";boundary=z",
			body: "--z\r\nContent-ID: <a@b>\r\n--z--",
			want: []part{{"Content-ID: <a@b>", ""}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, err := sip.ParseMediaType(tc.ct)
			if err != nil {
				t.Fatal(err)
			}
			parts, err := sip.ParseMultipart(ct, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []part
			for _, p := range parts {
				var fields []string
				for _, f := range p.Header {
					fields = append(fields, f.Name+": "+f.Value)
				}
				got = append(got, part{strings.Join(fields, "|"), string(p.Body)})
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("parts\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestParseMultipartNested(t *testing.T) {
	body := "--outer\r\nContent-Type: multipart/alternative;boundary=inner\r\n\r\n" +
		"--inner\r\nContent-Type: text/plain\r\n\r\nplain\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--inner--\r\n" +
		"--outer\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--outer--\r\n"
	outer, err := sip.ParseMultipart(sip.MediaType{Type: "multipart", Subtype: "mixed", Params: ";boundary=outer"}, []byte(body))
	if err != nil || len(outer) != 2 {
		t.Fatalf("%d parts, %v", len(outer), err)
	}
	ct, err := outer[0].Header.ContentType()
	if err != nil {
		t.Fatal(err)
	}
	inner, err := sip.ParseMultipart(ct, outer[0].Body)
	if err != nil || len(inner) != 2 {
		t.Fatalf("%d inner parts, %v", len(inner), err)
	}
	if string(inner[0].Body) != "plain" || string(inner[1].Body) != "<p>html</p>" || string(outer[1].Body) != "v=0" {
		t.Errorf("bodies %q %q %q", inner[0].Body, inner[1].Body, outer[1].Body)
	}
}

func TestParseMultipartErrors(t *testing.T) {
	for _, tc := range []struct{ name, ct, body string }{
		{"not multipart", "application/sdp;boundary=x", "--x\r\n\r\n--x--"},
		{"no boundary", "multipart/mixed", "--x\r\n\r\n--x--"},
		{"empty boundary", `multipart/mixed;boundary=""`, "--\r\n\r\n----"},
		{"boundary too long", "multipart/mixed;boundary=" + strings.Repeat("b", 71), ""},
		{"boundary not found", "multipart/mixed;boundary=x", "--y\r\n\r\n--y--"},
		{"no part", "multipart/mixed;boundary=x", "--x--\r\n"},
		{"no closing boundary", "multipart/mixed;boundary=x", "--x\r\n\r\nbody\r\n--x\r\n\r\nmore"},
		{"closing boundary cut", "multipart/mixed;boundary=x", "--x\r\n\r\nbody\r\n--x"},
		{"bad part header", "multipart/mixed;boundary=x", "--x\r\nno colon\r\n\r\nbody\r\n--x--"},
		{"folded first part header", "multipart/mixed;boundary=x", "--x\r\n a: b\r\n\r\nbody\r\n--x--"},
		{"empty", "multipart/mixed;boundary=x", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, err := sip.ParseMediaType(tc.ct)
			if err != nil {
				t.Fatal(err)
			}
			parts, err := sip.ParseMultipart(ct, []byte(tc.body))
			var se *sip.SyntaxError
			if !errors.As(err, &se) || parts != nil {
				t.Fatalf("%d parts, error %v; want a *SyntaxError", len(parts), err)
			}
			if !strings.HasPrefix(err.Error(), "sip: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func ExampleParseMultipart() {
	body := "--b1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n" +
		"--b1\r\nContent-Type: application/pidf+xml\r\nContent-ID: <loc@example.com>\r\n\r\n<presence/>\r\n--b1--\r\n"
	ct, _ := sip.ParseMediaType("multipart/mixed;boundary=b1")
	parts, err := sip.ParseMultipart(ct, []byte(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parts {
		fmt.Printf("%s: %q\n", p.Header.Get(sip.HeaderContentType), p.Body)
	}
	// Output:
	// application/sdp: "v=0"
	// application/pidf+xml: "<presence/>"
}
