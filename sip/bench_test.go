package sip_test

import (
	"os"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// The benchmark messages: a 932-byte INVITE with SDP that came through a
// proxy, and the 318-byte 200 OK of a BYE.
const (
	benchInviteFile = "testdata/bench/invite_sdp.sip"
	benchOKFile     = "testdata/bench/ok200_bye.sip"
)

func benchRead(b *testing.B, file string) []byte {
	b.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func benchInvite(b *testing.B) *sip.Request {
	b.Helper()
	m, err := sip.ParseMessage(benchRead(b, benchInviteFile))
	if err != nil {
		b.Fatal(err)
	}
	return m.(*sip.Request)
}

func BenchmarkParseInviteSDP(b *testing.B) {
	data := benchRead(b, benchInviteFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sip.ParseMessage(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseOK200Bye(b *testing.B) {
	data := benchRead(b, benchOKFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sip.ParseMessage(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendInviteSDP serializes the parsed INVITE into a buffer that
// is reused.
func BenchmarkAppendInviteSDP(b *testing.B) {
	req := benchInvite(b)
	buf := req.AppendTo(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = req.AppendTo(buf[:0])
	}
}

// BenchmarkNewResponseOK builds the 200 OK of the parsed INVITE (with a
// new To tag) and serializes it into a reused buffer.
func BenchmarkNewResponseOK(b *testing.B) {
	req := benchInvite(b)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		resp := sip.NewResponse(req, sip.StatusOK, "")
		buf = resp.AppendTo(buf[:0])
	}
}

// BenchmarkTypedHeaders reads what a transaction and a dialog look at
// first in a parsed INVITE: the top Via's branch, the From tag and CSeq.
// They are parsed from the field values in place, without allocating.
func BenchmarkTypedHeaders(b *testing.B) {
	req := benchInvite(b)
	b.ReportAllocs()
	for b.Loop() {
		via, err := req.Header.Via()
		if err != nil || via.Branch() == "" {
			b.Fatal("Via", err)
		}
		from, err := req.Header.From()
		if err != nil || from.Tag() == "" {
			b.Fatal("From", err)
		}
		cseq, err := req.Header.CSeq()
		if err != nil || cseq.Method != sip.INVITE {
			b.Fatal("CSeq", err)
		}
	}
}

// TestTypedHeadersDoNotAllocate holds BenchmarkTypedHeaders' claim.
func TestTypedHeadersDoNotAllocate(t *testing.T) {
	data, err := os.ReadFile(benchInviteFile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sip.ParseMessage(data)
	if err != nil {
		t.Fatal(err)
	}
	h := m.(*sip.Request).Header
	allocs := testing.AllocsPerRun(100, func() {
		via, _ := h.Via()
		from, _ := h.From()
		cseq, _ := h.CSeq()
		if via.Branch() == "" || from.Tag() == "" || cseq.Seq == 0 {
			t.Fatal("missing values")
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations", allocs)
	}
}
