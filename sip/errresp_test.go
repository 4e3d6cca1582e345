package sip_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

func TestErrorResponse(t *testing.T) {
	const base = "OPTIONS sip:bob@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKerr\r\n" +
		"Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKlower\r\n" +
		"From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n" +
		"Call-ID: err@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
	cases := map[string]struct {
		msg    string
		status int // 0: no response
	}{
		"CSeq method mismatch":      {strings.Replace(base, "CSeq: 1 OPTIONS", "CSeq: 1 INVITE", 1), 400},
		"bad Max-Forwards":          {strings.Replace(base, "Content-Length: 0", "Max-Forwards: 300\r\nContent-Length: 0", 1), 400},
		"other SIP version":         {strings.Replace(base, "SIP/2.0\r\n", "SIP/3.0\r\n", 1), 505},
		"no empty line at the end":  {strings.TrimSuffix(base, "\r\n") + "X-Bad-Line-No-Colon\r\n", 400},
		"a malformed response":      {"SIP/2.0 2000 OK\r\n" + base[strings.Index(base, "Via"):], 0},
		"missing Call-ID":           {strings.Replace(base, "Call-ID: err@example.com\r\n", "", 1) + "", 0},
		"unparseable Via":           {strings.Replace(base, "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKerr", "garbage", 1), 0},
		"garbage":                   {"\x16\x03\x01\x00\xff", 0},
		"start line without spaces": {"HELLO\r\n\r\n", 0},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := sip.ParseMessage([]byte(c.msg))
			if err == nil {
				t.Fatal("the message parsed")
			}
			resp := sip.ErrorResponse([]byte(c.msg), err)
			if c.status == 0 {
				if resp != nil {
					t.Fatalf("answered %d to input that must be dropped", resp.StatusCode)
				}
				return
			}
			if resp == nil {
				t.Fatalf("no response for %v", err)
			}
			var pe *sip.ParseError
			errors.As(err, &pe)
			if resp.StatusCode != c.status || resp.Reason != pe.Reason {
				t.Fatalf("%d %q; want %d %q", resp.StatusCode, resp.Reason, c.status, pe.Reason)
			}
			again, err := sip.ParseMessage([]byte(resp.String()))
			if err != nil {
				t.Fatalf("the response does not parse: %v\n%s", err, resp)
			}
			vias, _ := again.Headers().Vias()
			to, _ := again.Headers().To()
			if len(vias) != 2 || vias[0].Branch() != "z9hG4bKerr" || to.Tag() == "" || again.Headers().CallID() != "err@example.com" {
				t.Fatalf("response headers wrong:\n%s", resp)
			}
		})
	}
	if sip.ErrorResponse([]byte(base), errors.New("other")) != nil {
		t.Fatal("answered an error that is not a ParseError")
	}
}
