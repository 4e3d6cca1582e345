package sip_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// TestTypedHeadersOnCorpus reads every typed header that the valid
// messages of the conformance corpus carry: real peers' values must parse.
func TestTypedHeadersOnCorpus(t *testing.T) {
	accessors := map[string]func(sip.Header) error{
		sip.HeaderAccept:             func(h sip.Header) error { _, err := h.Accept(); return err },
		sip.HeaderAllow:              func(h sip.Header) error { _, err := h.Allow(); return err },
		sip.HeaderAllowEvents:        func(h sip.Header) error { _, err := h.AllowEvents(); return err },
		sip.HeaderSupported:          func(h sip.Header) error { _, err := h.Supported(); return err },
		sip.HeaderRequire:            func(h sip.Header) error { _, err := h.Require(); return err },
		sip.HeaderProxyRequire:       func(h sip.Header) error { _, err := h.ProxyRequire(); return err },
		sip.HeaderUnsupported:        func(h sip.Header) error { _, err := h.Unsupported(); return err },
		sip.HeaderAuthorization:      func(h sip.Header) error { _, err := h.Authorization(); return err },
		sip.HeaderProxyAuthorization: func(h sip.Header) error { _, err := h.ProxyAuthorization(); return err },
		sip.HeaderWWWAuthenticate:    func(h sip.Header) error { _, err := h.WWWAuthenticate(); return err },
		sip.HeaderProxyAuthenticate:  func(h sip.Header) error { _, err := h.ProxyAuthenticate(); return err },
		sip.HeaderEvent:              func(h sip.Header) error { _, err := h.Event(); return err },
		sip.HeaderSubscriptionState:  func(h sip.Header) error { _, err := h.SubscriptionState(); return err },
		sip.HeaderReferTo:            func(h sip.Header) error { _, err := h.ReferTo(); return err },
		sip.HeaderReferredBy:         func(h sip.Header) error { _, err := h.ReferredBy(); return err },
		sip.HeaderRSeq:               func(h sip.Header) error { _, err := h.RSeq(); return err },
		sip.HeaderRAck:               func(h sip.Header) error { _, err := h.RAck(); return err },
		sip.HeaderSessionExpires:     func(h sip.Header) error { _, err := h.SessionExpires(); return err },
		sip.HeaderMinSE:              func(h sip.Header) error { _, err := h.MinSE(); return err },
		sip.HeaderDate:               func(h sip.Header) error { _, err := h.Date(); return err },
		sip.HeaderTimestamp:          func(h sip.Header) error { _, err := h.Timestamp(); return err },
		sip.HeaderWarning:            func(h sip.Header) error { _, err := h.Warnings(); return err },
		sip.HeaderVia:                func(h sip.Header) error { _, err := h.Vias(); return err },
		sip.HeaderCSeq:               func(h sip.Header) error { _, err := h.CSeq(); return err },
		sip.HeaderFrom:               func(h sip.Header) error { _, err := h.From(); return err },
		sip.HeaderTo:                 func(h sip.Header) error { _, err := h.To(); return err },
		sip.HeaderContact:            func(h sip.Header) error { _, _, err := h.Contacts(); return err },
		sip.HeaderRoute:              func(h sip.Header) error { _, err := h.Routes(); return err },
		sip.HeaderRecordRoute:        func(h sip.Header) error { _, err := h.RecordRoutes(); return err },
		sip.HeaderContentType:        func(h sip.Header) error { _, err := h.ContentType(); return err },
	}
	seen := map[string]int{}
	for _, c := range readManifest(t) {
		if c.expected != "valid" {
			continue
		}
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/conformance", c.file))
			if err != nil {
				t.Fatal(err)
			}
			msg, err := sip.ParseMessage(data)
			if err != nil {
				t.Fatal(err)
			}
			h := *msg.Headers()
			for name, get := range accessors {
				if !h.Has(name) {
					continue
				}
				seen[name]++
				if err := get(h); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
	}
	for _, name := range []string{
		sip.HeaderAccept, sip.HeaderAllow, sip.HeaderSupported, sip.HeaderAuthorization,
		sip.HeaderWWWAuthenticate, sip.HeaderProxyAuthenticate, sip.HeaderProxyAuthorization,
		sip.HeaderEvent, sip.HeaderRAck, sip.HeaderDate, sip.HeaderWarning,
	} {
		if seen[name] == 0 {
			t.Errorf("no valid message of the corpus has %s", name)
		}
	}
}
