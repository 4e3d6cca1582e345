package sip_test

import (
	"slices"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/sip"
)

func TestHeaderTokens(t *testing.T) {
	tests := []struct {
		name   string
		h      sip.Header
		header string
		want   []string
		bad    bool
	}{
		{"one", fieldsOf("Supported", "replaces"), sip.HeaderSupported, []string{"replaces"}, false},
		{"list with SWS", fieldsOf("Supported", "sip-cc, sip-cc-01,timer ,  replaces"), sip.HeaderSupported,
			[]string{"sip-cc", "sip-cc-01", "timer", "replaces"}, false},
		{"compact k and several fields", fieldsOf("k", "100rel", "Supported", "timer, path"), sip.HeaderSupported,
			[]string{"100rel", "timer", "path"}, false},
		{"empty field", fieldsOf("Supported", ""), sip.HeaderSupported, nil, false},
		{"empty field among others", fieldsOf("Supported", "", "Supported", "timer"), sip.HeaderSupported,
			[]string{"timer"}, false},
		{"absent", fieldsOf("Require", "100rel"), sip.HeaderSupported, nil, false},
		{"rfc4475 bext01 Require", fieldsOf("Require", "nothingSupportsThis, nothingSupportsThisEither"), sip.HeaderRequire,
			[]string{"nothingSupportsThis", "nothingSupportsThisEither"}, false},
		{"Proxy-Require", fieldsOf("Proxy-Require", "foo"), sip.HeaderProxyRequire, []string{"foo"}, false},
		{"Unsupported", fieldsOf("Unsupported", "foo, bar"), sip.HeaderUnsupported, []string{"foo", "bar"}, false},
		{"Allow-Events with templates", fieldsOf("u", "presence, presence.winfo, message-summary"), sip.HeaderAllowEvents,
			[]string{"presence", "presence.winfo", "message-summary"}, false},
		{"empty item", fieldsOf("Supported", "timer,,path"), sip.HeaderSupported, nil, true},
		{"trailing comma", fieldsOf("Supported", "timer,"), sip.HeaderSupported, nil, true},
		{"leading comma", fieldsOf("Supported", ", timer"), sip.HeaderSupported, nil, true},
		{"space inside an item", fieldsOf("Supported", "time r"), sip.HeaderSupported, nil, true},
		{"non-token character", fieldsOf("Require", "foo;bar"), sip.HeaderRequire, nil, true},
		{"bad item in a later field", fieldsOf("Supported", "timer", "Supported", "a b"), sip.HeaderSupported, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.h.Tokens(tt.header)
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Tokens(%s) = %q, %v; want %q", tt.header, got, err, tt.want)
			}
		})
	}
}

func TestHeaderHasToken(t *testing.T) {
	h := fieldsOf("Supported", "100rel, Timer", "k", "path", "Require", "bad item, precondition")
	tests := []struct {
		name, header, token string
		want                bool
	}{
		{"first", sip.HeaderSupported, "100rel", true},
		{"case-insensitive", sip.HeaderSupported, "timer", true},
		{"compact field", sip.HeaderSupported, "path", true},
		{"absent token", sip.HeaderSupported, "replaces", false},
		{"other header", sip.HeaderSupported, "precondition", false},
		{"after a malformed item", sip.HeaderRequire, "precondition", true},
		{"absent header", sip.HeaderUnsupported, "timer", false},
		{"no prefix match", sip.HeaderSupported, "100", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.HasToken(tt.header, tt.token); got != tt.want {
				t.Fatalf("HasToken(%s, %s) = %v; want %v", tt.header, tt.token, got, tt.want)
			}
		})
	}
}

func TestHeaderTokenAccessors(t *testing.T) {
	h := fieldsOf(
		"Allow", "INVITE, ACK,CANCEL , BYE, PING",
		"Supported", "timer",
		"Require", "100rel",
		"Proxy-Require", "sec-agree",
		"Unsupported", "foo",
		"Allow-Events", "refer",
	)
	allow, err := h.Allow()
	if err != nil || !slices.Equal(allow, []sip.Method{sip.INVITE, sip.ACK, sip.CANCEL, sip.BYE, "PING"}) {
		t.Fatalf("Allow() = %v, %v", allow, err)
	}
	for _, tt := range []struct {
		name string
		get  func(sip.Header) ([]string, error)
		want string
	}{
		{"Supported", sip.Header.Supported, "timer"},
		{"Require", sip.Header.Require, "100rel"},
		{"ProxyRequire", sip.Header.ProxyRequire, "sec-agree"},
		{"Unsupported", sip.Header.Unsupported, "foo"},
		{"AllowEvents", sip.Header.AllowEvents, "refer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.get(h)
			if err != nil || !slices.Equal(got, []string{tt.want}) {
				t.Fatalf("got %q, %v; want [%s]", got, err, tt.want)
			}
		})
	}
	t.Run("Allow absent", func(t *testing.T) {
		if allow, err := (sip.Header{}).Allow(); allow != nil || err != nil {
			t.Fatalf("Allow() = %v, %v", allow, err)
		}
	})
	t.Run("Allow malformed", func(t *testing.T) {
		allow, err := fieldsOf("Allow", "INVITE BYE").Allow()
		wantSyntaxError(t, err, allow)
	})
}

func TestHeaderAccept(t *testing.T) {
	type rng struct {
		typ, sub string
		q        int
	}
	tests := []struct {
		name string
		h    sip.Header
		want []rng
		bad  bool
	}{
		{"sdp", fieldsOf("Accept", "application/sdp"), []rng{{"application", "sdp", 1000}}, false},
		{"list and fields", fieldsOf("Accept", "application/sdp, application/isup", "Accept", "text/*;q=0.5"),
			[]rng{{"application", "sdp", 1000}, {"application", "isup", 1000}, {"text", "*", 500}}, false},
		{"everything", fieldsOf("Accept", "*/*;q=0.1"), []rng{{"*", "*", 100}}, false},
		{"params and q", fieldsOf("Accept", "text/html;level=1;q=0.7, text/plain;q=1.000"),
			[]rng{{"text", "html", 700}, {"text", "plain", 1000}}, false},
		{"q zero", fieldsOf("Accept", "application/sdp;q=0"), []rng{{"application", "sdp", 0}}, false},
		{"q with SWS", fieldsOf("Accept", "application/sdp ; q = 0.25"), []rng{{"application", "sdp", 250}}, false},
		{"rfc4475 sdp01 unknown type", fieldsOf("Accept", "text/nobodyKnowsThis"), []rng{{"text", "nobodyKnowsThis", 1000}}, false},
		{"empty field", fieldsOf("Accept", ""), nil, false},
		{"absent", nil, nil, false},
		{"type wildcard with a subtype", fieldsOf("Accept", "*/sdp"), nil, true},
		{"no subtype", fieldsOf("Accept", "application"), nil, true},
		{"q too large", fieldsOf("Accept", "application/sdp;q=1.5"), nil, true},
		{"q with four decimals", fieldsOf("Accept", "application/sdp;q=0.1234"), nil, true},
		{"q not a number", fieldsOf("Accept", "application/sdp;q=high"), nil, true},
		{"empty item", fieldsOf("Accept", "application/sdp,,text/plain"), nil, true},
		{"trailing comma", fieldsOf("Accept", "application/sdp,"), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.h.Accept()
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("Accept() = %v, %v; want %v", got, err, tt.want)
			}
			for i, m := range got {
				q, err := m.Q()
				if m.Type != tt.want[i].typ || m.Subtype != tt.want[i].sub || err != nil || q != tt.want[i].q {
					t.Fatalf("range %d = %#v (q %d, %v); want %v", i, m, q, err, tt.want[i])
				}
			}
		})
	}
}

func TestMediaTypeMatches(t *testing.T) {
	tests := []struct {
		name, rng, typ, sub string
		want                bool
	}{
		{"exact", "application/sdp", "application", "sdp", true},
		{"case-insensitive", "Application/SDP", "application", "sdp", true},
		{"other subtype", "application/sdp", "application", "isup", false},
		{"subtype wildcard", "text/*", "text", "plain", true},
		{"subtype wildcard, other type", "text/*", "application", "sdp", false},
		{"all", "*/*", "application", "sdp", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := sip.ParseMediaType(tt.rng)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Matches(tt.typ, tt.sub); got != tt.want {
				t.Fatalf("%s Matches %s/%s = %v; want %v", tt.rng, tt.typ, tt.sub, got, tt.want)
			}
		})
	}
}

func TestParseQValue(t *testing.T) {
	tests := []struct {
		in   string
		want int
		bad  bool
	}{
		{"0", 0, false}, {"1", 1000, false}, {"0.", 0, false}, {"1.", 1000, false},
		{"0.5", 500, false}, {"0.05", 50, false}, {"0.001", 1, false}, {"0.999", 999, false},
		{"1.0", 1000, false}, {"1.000", 1000, false},
		{"", 0, true}, {"2", 0, true}, {".5", 0, true}, {"1.001", 0, true}, {"1.5", 0, true},
		{"0.0001", 0, true}, {"0,5", 0, true}, {"00.5", 0, true}, {"0.5x", 0, true}, {"-0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := sip.ParseQValue(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseQValue(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseEvent(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		typ, pkg string
		id       string
		params   sip.Params
		bad      bool
	}{
		{"package", "presence", "presence", "presence", "", "", false},
		{"template", "presence.winfo", "presence.winfo", "presence", "", "", false},
		{"two templates", "a.b.c", "a.b.c", "a", "", "", false},
		{"id", "refer;id=93809824", "refer", "refer", "93809824", ";id=93809824", false},
		{"real world: other params", "message-summary;foo=bar;id=44", "message-summary", "message-summary", "44", ";foo=bar;id=44", false},
		{"SWS", "  dialog ; id = 7 ", "dialog", "dialog", "7", "; id = 7", false},
		{"empty", "", "", "", "", "", true},
		{"empty template", "presence..winfo", "", "", "", "", true},
		{"leading dot", ".winfo", "", "", "", "", true},
		{"trailing dot", "presence.", "", "", "", "", true},
		{"id not a token", `refer;id="x"`, "", "", "", "", true},
		{"id without a value", "refer;id", "", "", "", "", true},
		{"junk", "presence winfo", "", "", "", "", true},
		{"empty param", "presence;;id=1", "", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := sip.ParseEvent(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, e)
				return
			}
			if err != nil || e.Type != tt.typ || e.Package() != tt.pkg || e.ID() != tt.id || e.Params != tt.params {
				t.Fatalf("ParseEvent(%q) = %#v (package %q, id %q), %v", tt.in, e, e.Package(), e.ID(), err)
			}
			again, err := sip.ParseEvent(e.String())
			if err != nil || again != e {
				t.Fatalf("String() %q does not parse back: %v", e.String(), err)
			}
		})
	}
}

func TestEventMatches(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       bool
	}{
		{"same type", "refer", "refer", true},
		{"same type and id", "refer;id=1", "refer;id=1", true},
		{"id case-sensitive", "refer;id=a", "refer;id=A", false},
		{"id in one only", "refer;id=1", "refer", false},
		{"type byte by byte", "Presence", "presence", false},
		{"other params ignored", "dialog;id=1;x=2", "dialog;id=1", true},
		{"id param name case-insensitive", "refer;ID=1", "refer;id=1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, errA := sip.ParseEvent(tt.a)
			b, errB := sip.ParseEvent(tt.b)
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if a.Matches(b) != tt.want || b.Matches(a) != tt.want {
				t.Fatalf("%s Matches %s = %v; want %v", tt.a, tt.b, a.Matches(b), tt.want)
			}
		})
	}
}

func TestHeaderEvent(t *testing.T) {
	e, err := fieldsOf("o", "presence;id=1").Event()
	if err != nil || e.Type != "presence" || e.ID() != "1" {
		t.Fatalf("Event() = %#v, %v", e, err)
	}
	_, err = sip.Header{}.Event()
	wantMissing(t, err, sip.HeaderEvent)
	built := sip.Event{Type: "refer", Params: sip.Params("").With("id", "42")}
	if got := built.String(); got != "refer;id=42" {
		t.Fatalf("String() = %q", got)
	}
}

func TestParseSubscriptionState(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		state      string
		is         string
		reason     string
		expires    int
		hasExpires bool
		retry      int
		hasRetry   bool
		bad        bool
	}{
		{"active with expires", "active;expires=3600", "active", sip.SubStateActive, "", 3600, true, 0, false, false},
		{"pending", "pending", "pending", sip.SubStatePending, "", 0, false, 0, false, false},
		{"terminated with reason", "terminated;reason=timeout", "terminated", sip.SubStateTerminated, sip.SubReasonTimeout, 0, false, 0, false, false},
		{"terminated with retry-after", "terminated;reason=probation;retry-after=30", "terminated", sip.SubStateTerminated,
			sip.SubReasonProbation, 0, false, 30, true, false},
		{"state case-insensitive", "Active ; Expires = 60", "Active", sip.SubStateActive, "", 60, true, 0, false, false},
		{"extension state and param", "waiting;foo=bar", "waiting", "waiting", "", 0, false, 0, false, false},
		{"expires zero", "active;expires=0", "active", sip.SubStateActive, "", 0, true, 0, false, false},
		{"empty", "", "", "", "", 0, false, 0, false, true},
		{"expires not a number", "active;expires=soon", "", "", "", 0, false, 0, false, true},
		{"expires empty", "active;expires", "", "", "", 0, false, 0, false, true},
		{"expires too large", "active;expires=4294967296", "", "", "", 0, false, 0, false, true},
		{"retry-after negative", "terminated;retry-after=-1", "", "", "", 0, false, 0, false, true},
		{"reason quoted", `terminated;reason="timeout"`, "", "", "", 0, false, 0, false, true},
		{"junk", "active now", "", "", "", 0, false, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sip.ParseSubscriptionState(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, s)
				return
			}
			if err != nil || s.State != tt.state || !s.Is(tt.is) || s.Reason() != tt.reason {
				t.Fatalf("ParseSubscriptionState(%q) = %#v, %v", tt.in, s, err)
			}
			if n, ok := s.Expires(); n != tt.expires || ok != tt.hasExpires {
				t.Errorf("Expires() = %d, %v; want %d, %v", n, ok, tt.expires, tt.hasExpires)
			}
			if n, ok := s.RetryAfter(); n != tt.retry || ok != tt.hasRetry {
				t.Errorf("RetryAfter() = %d, %v; want %d, %v", n, ok, tt.retry, tt.hasRetry)
			}
			again, err := sip.ParseSubscriptionState(s.String())
			if err != nil || again != s {
				t.Errorf("String() %q does not parse back: %v", s.String(), err)
			}
		})
	}
	t.Run("header", func(t *testing.T) {
		s, err := fieldsOf("Subscription-State", "active;expires=10").SubscriptionState()
		if err != nil || !s.Is(sip.SubStateActive) {
			t.Fatalf("SubscriptionState() = %#v, %v", s, err)
		}
		_, err = sip.Header{}.SubscriptionState()
		wantMissing(t, err, sip.HeaderSubscriptionState)
	})
}

func TestHeaderReferToReferredBy(t *testing.T) {
	tests := []struct {
		name   string
		h      sip.Header
		get    func(sip.Header) (sip.NameAddr, error)
		header string
		uri    string
		params sip.Params
		bad    bool
	}{
		{"Refer-To name-addr", fieldsOf("Refer-To", "<sip:dave@denver.example.org>"), sip.Header.ReferTo,
			sip.HeaderReferTo, "sip:dave@denver.example.org", "", false},
		{"Refer-To compact r with embedded Replaces", fieldsOf("r",
			"<sip:bob@biloxi.example.net?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>"),
			sip.Header.ReferTo, sip.HeaderReferTo,
			"sip:bob@biloxi.example.net?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994", "", false},
		{"Refer-To addr-spec with a header param", fieldsOf("Refer-To", "sip:carol@example.com;method=INVITE"),
			sip.Header.ReferTo, sip.HeaderReferTo, "sip:carol@example.com", ";method=INVITE", false},
		{"Referred-By with cid", fieldsOf("Referred-By", `"Alice" <sip:alice@atlanta.example.com>;cid="20398823.2UWQFN309shb3@referrer.example"`),
			sip.Header.ReferredBy, sip.HeaderReferredBy, "sip:alice@atlanta.example.com",
			`;cid="20398823.2UWQFN309shb3@referrer.example"`, false},
		{"Referred-By compact b", fieldsOf("b", "sip:alice@atlanta.example.com"), sip.Header.ReferredBy,
			sip.HeaderReferredBy, "sip:alice@atlanta.example.com", "", false},
		{"Refer-To addr-spec with ?", fieldsOf("Refer-To", "sip:bob@example.com?Replaces=x"), sip.Header.ReferTo,
			sip.HeaderReferTo, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.get(tt.h)
			if tt.bad {
				wantSyntaxError(t, err, n)
				return
			}
			if err != nil || n.URI.String() != tt.uri || n.Params != tt.params {
				t.Fatalf("got %#v, %v; want %s %q", n, err, tt.uri, tt.params)
			}
			_, err = tt.get(nil)
			wantMissing(t, err, tt.header)
		})
	}
}

func TestParseRSeq(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want uint32
		bad  bool
	}{
		{"one", "1", 1, false},
		{"rfc3262 example", "988789", 988789, false},
		{"largest", "4294967295", sip.MaxRSeq, false},
		{"whitespace", " 7 ", 7, false},
		{"leading zeros", "0042", 42, false},
		{"too large", "4294967296", 0, true},
		{"empty", "", 0, true},
		{"negative", "-1", 0, true},
		{"two numbers", "1 2", 0, true},
		{"decimal", "1.5", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sip.ParseRSeq(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseRSeq(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
	t.Run("header", func(t *testing.T) {
		if n, err := fieldsOf("RSeq", "5").RSeq(); err != nil || n != 5 {
			t.Fatalf("RSeq() = %d, %v", n, err)
		}
		_, err := sip.Header{}.RSeq()
		wantMissing(t, err, sip.HeaderRSeq)
	})
}

func TestParseRAck(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want sip.RAck
		bad  bool
	}{
		{"rfc3262 example", "776656 1 INVITE", sip.RAck{RSeq: 776656, CSeq: sip.CSeq{Seq: 1, Method: sip.INVITE}}, false},
		{"real world", "1 2 INVITE", sip.RAck{RSeq: 1, CSeq: sip.CSeq{Seq: 2, Method: sip.INVITE}}, false},
		{"LWS runs", "  5 \t 6   UPDATE ", sip.RAck{RSeq: 5, CSeq: sip.CSeq{Seq: 6, Method: sip.UPDATE}}, false},
		{"largest", "4294967295 2147483647 INVITE",
			sip.RAck{RSeq: sip.MaxRSeq, CSeq: sip.CSeq{Seq: sip.MaxCSeq, Method: sip.INVITE}}, false},
		{"empty", "", sip.RAck{}, true},
		{"no method", "1 2", sip.RAck{}, true},
		{"no CSeq", "1 INVITE", sip.RAck{}, true},
		{"no space", "1 2INVITE", sip.RAck{}, true},
		{"RSeq too large", "4294967296 1 INVITE", sip.RAck{}, true},
		{"CSeq too large", "1 2147483648 INVITE", sip.RAck{}, true},
		{"junk after the method", "1 2 INVITE x", sip.RAck{}, true},
		{"comma", "1, 2 INVITE", sip.RAck{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sip.ParseRAck(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseRAck(%q) = %#v, %v; want %#v", tt.in, got, err, tt.want)
			}
			again, err := sip.ParseRAck(got.String())
			if err != nil || again != got {
				t.Fatalf("String() %q does not parse back: %v", got.String(), err)
			}
		})
	}
	t.Run("header", func(t *testing.T) {
		r, err := fieldsOf("RAck", "1 2 INVITE").RAck()
		if err != nil || r.RSeq != 1 || r.CSeq.Seq != 2 {
			t.Fatalf("RAck() = %#v, %v", r, err)
		}
		_, err = sip.Header{}.RAck()
		wantMissing(t, err, sip.HeaderRAck)
	})
	t.Run("AppendTo", func(t *testing.T) {
		r := sip.RAck{RSeq: 9, CSeq: sip.CSeq{Seq: 3, Method: sip.INVITE}}
		if got := string(r.AppendTo([]byte("RAck: "))); got != "RAck: 9 3 INVITE" {
			t.Fatalf("AppendTo = %q", got)
		}
	})
}

func TestParseSessionExpires(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		seconds   int
		refresher string
		params    sip.Params
		bad       bool
	}{
		{"plain", "1800", 1800, "", "", false},
		{"uac refresher", "4000;refresher=uac", 4000, sip.RefresherUAC, ";refresher=uac", false},
		{"uas refresher in upper case", "90 ; refresher = UAS", 90, sip.RefresherUAS, "; refresher = UAS", false},
		{"other param", "1800;x=1", 1800, "", ";x=1", false},
		{"largest", "4294967295", 1<<32 - 1, "", "", false},
		{"empty", "", 0, "", "", true},
		{"not a number", "soon", 0, "", "", true},
		{"bad refresher", "1800;refresher=proxy", 0, "", "", true},
		{"empty refresher", "1800;refresher", 0, "", "", true},
		{"too large", "4294967296", 0, "", "", true},
		{"junk", "1800 seconds", 0, "", "", true},
		{"negative", "-1", 0, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sip.ParseSessionExpires(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, s)
				return
			}
			if err != nil || s.Seconds != tt.seconds || s.Refresher() != tt.refresher || s.Params != tt.params {
				t.Fatalf("ParseSessionExpires(%q) = %#v (refresher %q), %v", tt.in, s, s.Refresher(), err)
			}
			again, err := sip.ParseSessionExpires(s.String())
			if err != nil || again != s {
				t.Fatalf("String() %q does not parse back: %v", s.String(), err)
			}
		})
	}
	t.Run("header", func(t *testing.T) {
		s, err := fieldsOf("x", "1800;refresher=uas").SessionExpires()
		if err != nil || s.Seconds != 1800 || s.Refresher() != sip.RefresherUAS {
			t.Fatalf("SessionExpires() = %#v, %v", s, err)
		}
		_, err = sip.Header{}.SessionExpires()
		wantMissing(t, err, sip.HeaderSessionExpires)
	})
	t.Run("built", func(t *testing.T) {
		s := sip.SessionExpires{Seconds: 1800, Params: sip.Params("").With("refresher", sip.RefresherUAC)}
		if got := s.String(); got != "1800;refresher=uac" {
			t.Fatalf("String() = %q", got)
		}
	})
}

func TestHeaderMinSE(t *testing.T) {
	tests := []struct {
		name string
		h    sip.Header
		want int
		bad  bool
	}{
		{"plain", fieldsOf("Min-SE", "90"), 90, false},
		{"with a param", fieldsOf("Min-SE", "120;x=y"), 120, false},
		{"whitespace", fieldsOf("Min-SE", " 90 "), 90, false},
		{"not a number", fieldsOf("Min-SE", "ninety"), 0, true},
		{"junk", fieldsOf("Min-SE", "90 s"), 0, true},
		{"empty", fieldsOf("Min-SE", ""), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.h.MinSE()
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("MinSE() = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
	_, err := sip.Header{}.MinSE()
	wantMissing(t, err, sip.HeaderMinSE)
}

func TestHeaderUserAgentServer(t *testing.T) {
	h := fieldsOf("User-Agent", "OpenSIPS (2.4.3 (x86_64/linux))", "Server", "Sip EXpress router (0.8.12 (i386/linux))")
	if got := h.UserAgent(); got != "OpenSIPS (2.4.3 (x86_64/linux))" {
		t.Errorf("UserAgent() = %q", got)
	}
	if got := h.Server(); got != "Sip EXpress router (0.8.12 (i386/linux))" {
		t.Errorf("Server() = %q", got)
	}
	if (sip.Header{}).UserAgent() != "" || (sip.Header{}).Server() != "" {
		t.Error("absent headers are not empty")
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
		bad  bool
	}{
		{"rfc3261 example", "Sat, 13 Nov 2010 23:29:00 GMT", time.Date(2010, 11, 13, 23, 29, 0, 0, time.UTC), false},
		{"real world", "Tue, 26 Apr 2005 14:59:08 GMT", time.Date(2005, 4, 26, 14, 59, 8, 0, time.UTC), false},
		{"surrounding whitespace", " Mon, 04 Jul 2005 09:43:55 GMT ", time.Date(2005, 7, 4, 9, 43, 55, 0, time.UTC), false},
		{"rfc4475 baddate: EST", "Fri, 01 Jan 2010 16:00:00 EST", time.Time{}, true},
		{"UTC is not GMT", "Sat, 13 Nov 2010 23:29:00 UTC", time.Time{}, true},
		{"numeric zone", "Sat, 13 Nov 2010 23:29:00 +0000", time.Time{}, true},
		{"GMT offset", "Sat, 13 Nov 2010 23:29:00 GMT+1", time.Time{}, true},
		{"no zone", "Sat, 13 Nov 2010 23:29:00", time.Time{}, true},
		{"one-digit day", "Sat, 3 Nov 2010 23:29:00 GMT", time.Time{}, true},
		{"RFC 850 form", "Saturday, 13-Nov-10 23:29:00 GMT", time.Time{}, true},
		{"no weekday", "13 Nov 2010 23:29:00 GMT", time.Time{}, true},
		{"bad day", "Sat, 32 Nov 2010 23:29:00 GMT", time.Time{}, true},
		{"bad hour", "Sat, 13 Nov 2010 24:29:00 GMT", time.Time{}, true},
		{"empty", "", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sip.ParseDate(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if back := sip.FormatDate(got); back != trimmed(tt.in) {
				t.Fatalf("FormatDate = %q; want %q", back, trimmed(tt.in))
			}
		})
	}
	t.Run("FormatDate converts to GMT", func(t *testing.T) {
		zone := time.FixedZone("EST", -5*3600)
		d := time.Date(2010, 1, 1, 11, 0, 0, 0, zone)
		if got := sip.FormatDate(d); got != "Fri, 01 Jan 2010 16:00:00 GMT" {
			t.Fatalf("FormatDate = %q", got)
		}
	})
	t.Run("header", func(t *testing.T) {
		d, err := fieldsOf("Date", "Sat, 13 Nov 2010 23:29:00 GMT").Date()
		if err != nil || d.Year() != 2010 {
			t.Fatalf("Date() = %v, %v", d, err)
		}
		_, err = sip.Header{}.Date()
		wantMissing(t, err, sip.HeaderDate)
	})
}

func trimmed(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		time, delay string
		bad         bool
	}{
		{"integer", "54", "54", "", false},
		{"decimal", "1046870580.528", "1046870580.528", "", false},
		{"trailing dot", "54.", "54.", "", false},
		{"with delay", "54 0.004", "54", "0.004", false},
		{"integer delay", "54.2 3", "54.2", "3", false},
		{"delay without integer part", "54 .5", "54", ".5", false},
		{"LWS run", " 54.1 \t 0.2 ", "54.1", "0.2", false},
		{"empty", "", "", "", true},
		{"leading dot", ".5", "", "", true},
		{"letters", "abc", "", "", true},
		{"two dots", "1.2.3", "", "", true},
		{"bad delay", "54 x", "", "", true},
		{"two delays", "54 1 2", "", "", true},
		{"no space before the delay", "54.1.2", "", "", true},
		{"negative", "-54", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := sip.ParseTimestamp(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, ts)
				return
			}
			if err != nil || ts.Time != tt.time || ts.Delay != tt.delay {
				t.Fatalf("ParseTimestamp(%q) = %#v, %v; want %q %q", tt.in, ts, err, tt.time, tt.delay)
			}
			again, err := sip.ParseTimestamp(ts.String())
			if err != nil || again != ts {
				t.Fatalf("String() %q does not parse back: %v", ts.String(), err)
			}
		})
	}
	t.Run("WithDelay", func(t *testing.T) {
		for _, c := range []struct {
			d    time.Duration
			want string
		}{
			{0, "54 0.000"},
			{4 * time.Millisecond, "54 0.004"},
			{1250 * time.Millisecond, "54 1.250"},
			{1999 * time.Microsecond, "54 0.001"},
			{-time.Second, "54 0.000"},
		} {
			ts := sip.Timestamp{Time: "54", Delay: "9"}.WithDelay(c.d)
			if got := ts.String(); got != c.want {
				t.Errorf("WithDelay(%v) = %q; want %q", c.d, got, c.want)
			}
		}
	})
	t.Run("header", func(t *testing.T) {
		ts, err := fieldsOf("Timestamp", "54").Timestamp()
		if err != nil || ts.Time != "54" {
			t.Fatalf("Timestamp() = %#v, %v", ts, err)
		}
		_, err = sip.Header{}.Timestamp()
		wantMissing(t, err, sip.HeaderTimestamp)
	})
}

func TestParseWarning(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  sip.Warning
		wire  string // String(), when it differs from in
		wantE bool
	}{
		{"rfc3261 example", `307 isi.edu "Session parameter 'foo' not understood"`,
			sip.Warning{Code: sip.WarnSessionParamNotUnderstood, Agent: "isi.edu", Text: "Session parameter 'foo' not understood"}, "", false},
		{"host and port agent", `301 isi.edu:5060 "Incompatible network address type 'E.164'"`,
			sip.Warning{Code: 301, Agent: "isi.edu:5060", Text: "Incompatible network address type 'E.164'"}, "", false},
		{"real world IPv4 agent", `392 200.68.120.81:5060 "Noisy feedback tells: pid=32642 via_cnt==1"`,
			sip.Warning{Code: 392, Agent: "200.68.120.81:5060", Text: "Noisy feedback tells: pid=32642 via_cnt==1"}, "", false},
		{"IPv6 agent", `399 [2001:db8::1]:5060 "x"`, sip.Warning{Code: 399, Agent: "[2001:db8::1]:5060", Text: "x"}, "", false},
		{"pseudonym agent", `370 proxy-7 "Insufficient bandwidth"`, sip.Warning{Code: 370, Agent: "proxy-7", Text: "Insufficient bandwidth"}, "", false},
		{"escapes in the text", `399 h "a \"b\" \\ c"`, sip.Warning{Code: 399, Agent: "h", Text: `a "b" \ c`}, "", false},
		{"empty text", `399 h ""`, sip.Warning{Code: 399, Agent: "h"}, "", false},
		{"comma in the text", `399 h "a, b"`, sip.Warning{Code: 399, Agent: "h", Text: "a, b"}, "", false},
		{"extra whitespace", "  399   h  \"x\"  ", sip.Warning{Code: 399, Agent: "h", Text: "x"}, `399 h "x"`, false},
		{"rfc4475 scalarlg: four-digit code", `1812 overture "In Progress"`, sip.Warning{}, "", true},
		{"two-digit code", `99 h "x"`, sip.Warning{}, "", true},
		{"code not a number", `3x9 h "x"`, sip.Warning{}, "", true},
		{"no agent", `399 "x"`, sip.Warning{}, "", true},
		{"unquoted text", `399 h text`, sip.Warning{}, "", true},
		{"unterminated text", `399 h "text`, sip.Warning{}, "", true},
		{"junk after the text", `399 h "text" x`, sip.Warning{}, "", true},
		{"bad agent", `399 h@x "text"`, sip.Warning{}, "", true},
		{"empty", "", sip.Warning{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := sip.ParseWarning(tt.in)
			if tt.wantE {
				wantSyntaxError(t, err, w)
				return
			}
			if err != nil || w != tt.want {
				t.Fatalf("ParseWarning(%q) = %#v, %v; want %#v", tt.in, w, err, tt.want)
			}
			want := tt.in
			if tt.wire != "" {
				want = tt.wire
			}
			if w.String() != want {
				t.Fatalf("String() = %q; want %q", w.String(), want)
			}
		})
	}
	t.Run("header list", func(t *testing.T) {
		h := fieldsOf("Warning", `307 isi.edu "a, b", 399 h "c"`, "Warning", `370 x "d"`)
		ws, err := h.Warnings()
		if err != nil || len(ws) != 3 || ws[0].Text != "a, b" || ws[1].Code != 399 || ws[2].Agent != "x" {
			t.Fatalf("Warnings() = %#v, %v", ws, err)
		}
		ws, err = fieldsOf("Warning", `399 h "c", bad`).Warnings()
		wantSyntaxError(t, err, ws)
		if ws, err := (sip.Header{}).Warnings(); ws != nil || err != nil {
			t.Fatalf("absent Warnings() = %v, %v", ws, err)
		}
	})
	t.Run("built text is quoted", func(t *testing.T) {
		w := sip.Warning{Code: 399, Agent: "h", Text: "say \"hi\"\r\n"}
		if got := w.String(); got != `399 h "say \"hi\"  "` {
			t.Fatalf("String() = %q", got)
		}
	})
}

func TestQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Bob", `"Bob"`},
		{"empty", "", `""`},
		{"quote and backslash", `a "b" \c`, `"a \"b\" \\c"`},
		{"CR and LF become spaces", "a\r\nb", `"a  b"`},
		{"tab kept", "a\tb", "\"a\tb\""},
		{"control escaped", "a\x01b\x7f", "\"a\\\x01b\\\x7f\""},
		{"UTF-8 kept", "Jöhn", `"Jöhn"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sip.Quote(tt.in)
			if got != tt.want {
				t.Fatalf("Quote(%q) = %q; want %q", tt.in, got, tt.want)
			}
			back, err := sip.Unquote(got)
			if err != nil {
				t.Fatalf("Unquote(%q): %v", got, err)
			}
			if tt.name != "CR and LF become spaces" && back != tt.in {
				t.Fatalf("Unquote(Quote(%q)) = %q", tt.in, back)
			}
			if n, err := sip.ParseNameAddr(got + " <sip:a@b>"); err != nil || n.Name() != back {
				t.Fatalf("quoted display name: %#v, %v", n, err)
			}
		})
	}
}

func TestUnquote(t *testing.T) {
	tests := []struct {
		name, in, want string
		bad            bool
	}{
		{"plain", `"abc"`, "abc", false},
		{"empty", `""`, "", false},
		{"escapes", `"a\"b\\c\d"`, `a"b\cd`, false},
		{"whitespace around", ` "abc" `, "abc", false},
		{"token", "abc", "", true},
		{"unterminated", `"abc`, "", true},
		{"escaped closing quote", `"abc\"`, "", true},
		{"junk after", `"a"b`, "", true},
		{"two strings", `"a" "b"`, "", true},
		{"empty input", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sip.Unquote(tt.in)
			if tt.bad {
				wantSyntaxError(t, err, got)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Unquote(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestTypedParsersDoNotAllocate checks that parsing common values gives
// views into them: no allocation.
func TestTypedParsersDoNotAllocate(t *testing.T) {
	h := fieldsOf(
		"Supported", "100rel, timer, replaces",
		"WWW-Authenticate", `Digest realm="atlanta.com", nonce="84a4cc6f", qop="auth", algorithm=SHA-256`,
	)
	tests := []struct {
		name string
		f    func()
	}{
		{"ParseEvent", func() { _, _ = sip.ParseEvent("presence.winfo;id=1") }},
		{"ParseSubscriptionState", func() { _, _ = sip.ParseSubscriptionState("terminated;reason=timeout;retry-after=30") }},
		{"ParseRAck", func() { _, _ = sip.ParseRAck("776656 1 INVITE") }},
		{"ParseRSeq", func() { _, _ = sip.ParseRSeq("776656") }},
		{"ParseSessionExpires", func() { _, _ = sip.ParseSessionExpires("1800;refresher=uac") }},
		{"ParseTimestamp", func() { _, _ = sip.ParseTimestamp("54.1 0.2") }},
		{"ParseWarning", func() { _, _ = sip.ParseWarning(`307 isi.edu "Session parameter 'foo' not understood"`) }},
		{"ParseAuth and accessors", func() {
			a, _ := sip.ParseAuth(`Digest username="bob", realm="biloxi.com", nonce="dcd98b", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae4"`)
			_, _, _, _ = a.Username(), a.Realm(), a.Response(), a.Algorithm()
			_, _ = a.NonceCount()
		}},
		{"HasToken", func() { _ = h.HasToken(sip.HeaderSupported, "Timer") }},
		{"Unquote", func() { _, _ = sip.Unquote(`"no escapes"`) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tt.f); n != 0 {
				t.Fatalf("%v allocations; want 0", n)
			}
		})
	}
}
