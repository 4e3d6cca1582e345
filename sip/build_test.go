package sip_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// buildCRLF turns a message written with "\n" into its wire form.
func buildCRLF(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

// buildParseRequest parses a request written with "\n" line ends.
func buildParseRequest(t *testing.T, s string) *sip.Request {
	t.Helper()
	m, err := sip.ParseMessage(buildCRLF(s))
	if err != nil {
		t.Fatal(err)
	}
	req, ok := m.(*sip.Request)
	if !ok {
		t.Fatalf("%q is not a request", s)
	}
	return req
}

// buildParseResponse parses a response written with "\n" line ends.
func buildParseResponse(t *testing.T, s string) *sip.Response {
	t.Helper()
	m, err := sip.ParseMessage(buildCRLF(s))
	if err != nil {
		t.Fatal(err)
	}
	resp, ok := m.(*sip.Response)
	if !ok {
		t.Fatalf("%q is not a response", s)
	}
	return resp
}

func buildMustURI(t *testing.T, s string) sip.URI {
	t.Helper()
	u, err := sip.ParseURI(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func buildMustNameAddr(t *testing.T, s string) sip.NameAddr {
	t.Helper()
	n, err := sip.ParseNameAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// buildItems collects the comma-separated items of the fields named name.
func buildItems(h sip.Header, name string) []string { return slices.Collect(h.Items(name)) }

// buildValues collects the values of the fields named name.
func buildValues(h sip.Header, name string) []string { return slices.Collect(h.Values(name)) }

func TestNewIdentifiers(t *testing.T) {
	const n = 2000
	for _, tc := range []struct {
		name    string
		gen     func() string
		prefix  string
		suffix  string
		minBits int
		valid   func(string) error
	}{
		{"NewBranch", sip.NewBranch, sip.MagicCookie, "", 96, func(s string) error {
			v, err := sip.ParseVia("SIP/2.0/UDP h;branch=" + s)
			if err == nil && v.Branch() != s {
				err = errors.New("branch read back as " + v.Branch())
			}
			return err
		}},
		{"NewTag", sip.NewTag, "", "", 64, func(s string) error {
			n, err := sip.ParseNameAddr("<sip:a@h>;tag=" + s)
			if err == nil && n.Tag() != s {
				err = errors.New("tag read back as " + n.Tag())
			}
			return err
		}},
		{"NewCallID", func() string { return sip.NewCallID("") }, "", "", 96, nil},
		{"NewCallID/host", func() string { return sip.NewCallID("pc33.example.com") }, "", "@pc33.example.com", 96, nil},
		{"NewCallID/ipv6", func() string { return sip.NewCallID("[2001:db8::1]") }, "", "@[2001:db8::1]", 96, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := make(map[string]bool, n)
			for range n {
				s := tc.gen()
				if seen[s] {
					t.Fatalf("%q made twice in %d", s, n)
				}
				seen[s] = true
				if !strings.HasPrefix(s, tc.prefix) || !strings.HasSuffix(s, tc.suffix) {
					t.Fatalf("%q: want prefix %q and suffix %q", s, tc.prefix, tc.suffix)
				}
				random := strings.TrimSuffix(strings.TrimPrefix(s, tc.prefix), tc.suffix)
				if bits := 5 * len(random); bits < tc.minBits {
					t.Fatalf("%q: %d random bits, want at least %d", s, bits, tc.minBits)
				}
				for _, c := range []byte(random) {
					if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
						t.Fatalf("%q: character %q outside the alphabet", s, c)
					}
				}
				if tc.valid != nil {
					if err := tc.valid(s); err != nil {
						t.Fatalf("%q: %v", s, err)
					}
				}
			}
			// Every character of the alphabet turns up: the bits are
			// spread over all of them.
			var count [256]int
			for s := range seen {
				for _, c := range []byte(strings.TrimSuffix(strings.TrimPrefix(s, tc.prefix), tc.suffix)) {
					count[c]++
				}
			}
			for _, c := range []byte("abcdefghijklmnopqrstuvwxyz234567") {
				if count[c] == 0 {
					t.Fatalf("character %q never made", c)
				}
			}
		})
	}
}

// TestNewCallIDParses puts generated Call-IDs in messages.
func TestNewCallIDParses(t *testing.T) {
	for _, host := range []string{"", "example.com", "192.0.2.1", "[2001:db8::1]"} {
		id := sip.NewCallID(host)
		msg := "OPTIONS sip:h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@h>;tag=1\nTo: <sip:h>\n" +
			"Call-ID: " + id + "\nCSeq: 1 OPTIONS\n\n"
		req := buildParseRequest(t, msg)
		if got := req.Header.CallID(); got != id {
			t.Fatalf("Call-ID %q read back as %q", id, got)
		}
	}
}

func TestNewRequest(t *testing.T) {
	alice := buildMustNameAddr(t, `"Alice Liddell" <sip:alice@atlanta.example.com>`)
	contact := buildMustNameAddr(t, "<sip:alice@192.0.2.101:5060;transport=udp>")
	via := sip.Via{Host: "192.0.2.101", Port: 5060}
	sdp := []byte("v=0\r\no=alice 1 1 IN IP4 192.0.2.101\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n")

	type want struct {
		transport, host string
		port            int
		viaParams       []string // parameters besides branch, in order
		branch          string   // "" for a new one
		maxForwards     int
		from            string // From without its tag
		fromTag         string // "" for a new one
		to              string
		callID          string // "" for a new one
		cseq            sip.CSeq
		contact         string // "" for none
		extra           []sip.Field
		contentType     string
		body            []byte
	}
	for _, tc := range []struct {
		name   string
		method sip.Method
		uri    string
		opts   []sip.RequestOption
		want   want
	}{
		{
			name:   "INVITE with SDP",
			method: sip.INVITE,
			uri:    "sip:bob@biloxi.example.com",
			opts: []sip.RequestOption{
				sip.WithVia(via), sip.WithFrom(alice), sip.WithContact(contact),
				sip.WithHeader("Allow", "INVITE, ACK, CANCEL, BYE"),
				sip.WithHeader(sip.HeaderSupported, "timer"),
				sip.WithBody("application/sdp", sdp),
			},
			want: want{
				transport: "UDP", host: "192.0.2.101", port: 5060,
				maxForwards: 70,
				from:        `"Alice Liddell" <sip:alice@atlanta.example.com>`,
				to:          "<sip:bob@biloxi.example.com>",
				cseq:        sip.CSeq{Seq: 1, Method: sip.INVITE},
				contact:     "<sip:alice@192.0.2.101:5060;transport=udp>",
				extra:       []sip.Field{{Name: "Allow", Value: "INVITE, ACK, CANCEL, BYE"}, {Name: "Supported", Value: "timer"}},
				contentType: "application/sdp",
				body:        sdp,
			},
		},
		{
			name:   "OPTIONS probe over TCP with rport",
			method: sip.OPTIONS,
			uri:    "sip:proxy.example.com;lr;transport=tcp",
			opts: []sip.RequestOption{
				sip.WithVia(sip.Via{Transport: "TCP", Host: "[2001:db8::1]", Params: ";rport"}),
				sip.WithFrom(buildMustNameAddr(t, "sip:alice@atlanta.example.com")),
				sip.WithMaxForwards(0),
				sip.WithCSeq(sip.MaxCSeq),
			},
			want: want{
				transport: "TCP", host: "[2001:db8::1]", viaParams: []string{"rport"},
				maxForwards: 0,
				from:        "<sip:alice@atlanta.example.com>",
				// The default To is the Request-URI without its
				// parameters.
				to:   "<sip:proxy.example.com>",
				cseq: sip.CSeq{Seq: sip.MaxCSeq, Method: sip.OPTIONS},
			},
		},
		{
			name:   "REGISTER: To is the address of record",
			method: sip.REGISTER,
			uri:    "sip:registrar.biloxi.example.com",
			opts: []sip.RequestOption{
				sip.WithVia(via), sip.WithFrom(buildMustNameAddr(t, "Bob <sip:bob@biloxi.example.com;user=phone;x=y>")),
				sip.WithContact(buildMustNameAddr(t, "<sip:bob@192.0.2.4>;expires=3600")),
				sip.WithCSeq(1826),
			},
			want: want{
				transport: "UDP", host: "192.0.2.101", port: 5060, maxForwards: 70,
				from:    "Bob <sip:bob@biloxi.example.com;user=phone;x=y>",
				to:      "<sip:bob@biloxi.example.com;user=phone>",
				cseq:    sip.CSeq{Seq: 1826, Method: sip.REGISTER},
				contact: "<sip:bob@192.0.2.4>;expires=3600",
			},
		},
		{
			name:   "MESSAGE to a tel URI, explicit To",
			method: sip.MESSAGE,
			uri:    "tel:+15551234567",
			opts: []sip.RequestOption{
				sip.WithVia(via), sip.WithFrom(alice),
				sip.WithTo(buildMustNameAddr(t, `"Carol" <tel:+15551234567>`)),
				sip.WithBody("text/plain;charset=utf-8", []byte("hello")),
			},
			want: want{
				transport: "UDP", host: "192.0.2.101", port: 5060, maxForwards: 70,
				from:        `"Alice Liddell" <sip:alice@atlanta.example.com>`,
				to:          `"Carol" <tel:+15551234567>`,
				cseq:        sip.CSeq{Seq: 1, Method: sip.MESSAGE},
				contentType: "text/plain;charset=utf-8",
				body:        []byte("hello"),
			},
		},
		{
			name:   "in-dialog BYE: given branch, tags, Call-ID and CSeq are kept",
			method: sip.BYE,
			uri:    "sip:bob@192.0.2.4",
			opts: []sip.RequestOption{
				sip.WithVia(sip.Via{Transport: "UDP", Host: "192.0.2.101", Port: 5060, Params: ";branch=z9hG4bKnashds10"}),
				sip.WithFrom(buildMustNameAddr(t, "<sip:alice@atlanta.example.com>;tag=1928301774")),
				sip.WithTo(buildMustNameAddr(t, "<sip:bob@biloxi.example.com>;tag=a6c85cf")),
				sip.WithCallID("a84b4c76e66710@pc33.atlanta.example.com"),
				sip.WithCSeq(231),
				sip.WithHeader(sip.HeaderRoute, "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>"),
			},
			want: want{
				transport: "UDP", host: "192.0.2.101", port: 5060, maxForwards: 70,
				branch:  "z9hG4bKnashds10",
				from:    "<sip:alice@atlanta.example.com>",
				fromTag: "1928301774",
				to:      "<sip:bob@biloxi.example.com>;tag=a6c85cf",
				callID:  "a84b4c76e66710@pc33.atlanta.example.com",
				cseq:    sip.CSeq{Seq: 231, Method: sip.BYE},
				extra:   []sip.Field{{Name: "Route", Value: "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>"}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := sip.NewRequest(tc.method, buildMustURI(t, tc.uri), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			h := req.Header
			if req.Method != tc.method || req.URI.String() != tc.uri {
				t.Fatalf("request line %s %s", req.Method, req.URI)
			}

			// Via: one, SIP/2.0, with a branch that starts with the cookie.
			if vias, err := h.Vias(); err != nil || len(vias) != 1 {
				t.Fatalf("Vias %v %v; want one", vias, err)
			}
			v, _ := h.Via()
			if v.Protocol != "SIP/2.0" || v.Transport != w.transport || v.Host != w.host || v.Port != w.port {
				t.Fatalf("Via %s", v)
			}
			if b := v.Branch(); w.branch != "" && b != w.branch || !strings.HasPrefix(b, sip.MagicCookie) || len(b) <= len(sip.MagicCookie) {
				t.Fatalf("branch %q", b)
			}
			var params []string
			for n := range v.Params.All() {
				if n != "branch" {
					params = append(params, n)
				}
			}
			if !slices.Equal(params, w.viaParams) {
				t.Fatalf("Via parameters %v; want %v", params, w.viaParams)
			}

			if got := h.MaxForwards(); got != w.maxForwards {
				t.Fatalf("Max-Forwards %d", got)
			}

			from, err := h.From()
			if err != nil {
				t.Fatal(err)
			}
			if tag := from.Tag(); tag == "" || w.fromTag != "" && tag != w.fromTag {
				t.Fatalf("From tag %q", tag)
			}
			from.Params = from.Params.Without("tag")
			if from.String() != w.from {
				t.Fatalf("From %s; want %s", from, w.from)
			}
			if got := h.Get(sip.HeaderTo); got != w.to {
				t.Fatalf("To %s; want %s", got, w.to)
			}
			if id := h.CallID(); id == "" || w.callID != "" && id != w.callID {
				t.Fatalf("Call-ID %q", id)
			}
			if cseq, err := h.CSeq(); err != nil || cseq != w.cseq {
				t.Fatalf("CSeq %v %v; want %v", cseq, err, w.cseq)
			}
			if got := h.Get(sip.HeaderContact); got != w.contact {
				t.Fatalf("Contact %q; want %q", got, w.contact)
			}
			for _, f := range w.extra {
				if got := h.Get(f.Name); got != f.Value {
					t.Fatalf("%s %q; want %q", f.Name, got, f.Value)
				}
			}
			if got := h.Get(sip.HeaderContentType); got != w.contentType {
				t.Fatalf("Content-Type %q; want %q", got, w.contentType)
			}
			if string(req.Body) != string(w.body) {
				t.Fatalf("body %q", req.Body)
			}

			// Field order: the builder's fields, the extra ones, then
			// Content-Type.
			var names []string
			for _, f := range h {
				names = append(names, f.Name)
			}
			order := []string{"Via", "Max-Forwards", "From", "To", "Call-ID", "CSeq"}
			if w.contact != "" {
				order = append(order, "Contact")
			}
			for _, f := range w.extra {
				order = append(order, f.Name)
			}
			if w.contentType != "" {
				order = append(order, "Content-Type")
			}
			if !slices.Equal(names, order) {
				t.Fatalf("fields %v; want %v", names, order)
			}

			checkRoundTrip(t, req)
		})
	}
}

// TestNewRequestFresh checks that each request has its own branch, From
// tag and Call-ID.
func TestNewRequestFresh(t *testing.T) {
	uri := buildMustURI(t, "sip:bob@biloxi.example.com")
	opts := []sip.RequestOption{
		sip.WithVia(sip.Via{Host: "192.0.2.101"}),
		sip.WithFrom(buildMustNameAddr(t, "<sip:alice@atlanta.example.com>")),
	}
	seen := map[string]bool{}
	for range 100 {
		req, err := sip.NewRequest(sip.OPTIONS, uri, opts...)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := req.Header.Via()
		from, _ := req.Header.From()
		for _, id := range []string{"branch " + v.Branch(), "tag " + from.Tag(), "Call-ID " + req.Header.CallID()} {
			if seen[id] {
				t.Fatalf("%s made twice", id)
			}
			seen[id] = true
		}
	}
}

func TestNewRequestErrors(t *testing.T) {
	uri := buildMustURI(t, "sip:bob@biloxi.example.com")
	via := sip.WithVia(sip.Via{Host: "192.0.2.101"})
	from := sip.WithFrom(buildMustNameAddr(t, "<sip:alice@atlanta.example.com>"))
	contact := sip.WithContact(buildMustNameAddr(t, "<sip:alice@192.0.2.101>"))
	missing := func(h string) func(error) bool {
		return func(err error) bool {
			var me *sip.MissingError
			return errors.As(err, &me) && me.Header == h
		}
	}
	syntax := func(what string) func(error) bool {
		return func(err error) bool {
			var se *sip.SyntaxError
			return errors.As(err, &se) && se.What == what
		}
	}
	anyErr := func(err error) bool { return err != nil }
	for _, tc := range []struct {
		name   string
		method sip.Method
		uri    sip.URI
		opts   []sip.RequestOption
		ok     func(error) bool
	}{
		{"no Via", sip.OPTIONS, uri, []sip.RequestOption{from}, missing("Via")},
		{"no From", sip.OPTIONS, uri, []sip.RequestOption{via}, missing("From")},
		{"INVITE without Contact", sip.INVITE, uri, []sip.RequestOption{via, from}, missing("Contact")},
		{"SUBSCRIBE without Contact", sip.SUBSCRIBE, uri, []sip.RequestOption{via, from}, missing("Contact")},
		{"REFER without Contact", sip.REFER, uri, []sip.RequestOption{via, from}, missing("Contact")},
		{"INVITE with a tel Contact", sip.INVITE, uri, []sip.RequestOption{via, from,
			sip.WithContact(buildMustNameAddr(t, "<tel:+15551234567>"))}, syntax("Contact")},
		{"empty method", "", uri, []sip.RequestOption{via, from}, syntax("method")},
		{"method not a token", "IN VITE", uri, []sip.RequestOption{via, from}, syntax("method")},
		{"zero Request-URI", sip.OPTIONS, sip.URI{}, []sip.RequestOption{via, from}, syntax("Request-URI")},
		{"Request-URI with headers", sip.OPTIONS, buildMustURI(t, "sip:bob@biloxi.example.com?Subject=hi"),
			[]sip.RequestOption{via, from}, syntax("Request-URI")},
		{"Request-URI without host", sip.OPTIONS, sip.URI{Scheme: "sip"}, []sip.RequestOption{via, from}, syntax("Request-URI")},
		{"CSeq over 2**31-1", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithCSeq(sip.MaxCSeq + 1)}, syntax("CSeq")},
		{"Max-Forwards 256", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithMaxForwards(256)}, syntax("Max-Forwards")},
		{"Max-Forwards -1", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithMaxForwards(-1)}, syntax("Max-Forwards")},
		{"WithHeader Via", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithHeader("v", "SIP/2.0/UDP h")}, anyErr},
		{"WithHeader Max-Forwards", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithHeader("max-forwards", "1")}, anyErr},
		{"WithHeader Content-Length", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithHeader("Content-Length", "0")}, anyErr},
		{"header name not a token", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithHeader("X Bad", "1")}, syntax("header name")},
		{"header value with CRLF", sip.OPTIONS, uri, []sip.RequestOption{via, from,
			sip.WithHeader("Subject", "hi\r\nVia: SIP/2.0/UDP evil")}, syntax("Subject")},
		{"invalid Via host", sip.OPTIONS, uri, []sip.RequestOption{sip.WithVia(sip.Via{Host: "a b"}), from}, syntax("Via")},
		{"Via without host", sip.OPTIONS, uri, []sip.RequestOption{sip.WithVia(sip.Via{}), from}, syntax("Via")},
		{"invalid Via params", sip.OPTIONS, uri, []sip.RequestOption{sip.WithVia(sip.Via{Host: "h", Params: "rport"}), from}, syntax("Via")},
		{"invalid From params", sip.OPTIONS, uri, []sip.RequestOption{via,
			sip.WithFrom(sip.NameAddr{URI: buildMustURI(t, "sip:alice@h"), Params: "tag=1"})}, syntax("name-addr")},
		{"invalid To params", sip.OPTIONS, uri, []sip.RequestOption{via, from,
			sip.WithTo(sip.NameAddr{URI: uri, Params: ";;"})}, syntax("name-addr")},
		{"invalid display name", sip.OPTIONS, uri, []sip.RequestOption{via,
			sip.WithFrom(sip.NameAddr{DisplayName: `Al"ice`, URI: buildMustURI(t, "sip:alice@h")})}, syntax("name-addr")},
		{"invalid Call-ID", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithCallID("a b")}, syntax("Call-ID")},
		{"invalid Content-Type", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithBody("sdp", []byte("v=0"))}, syntax("media type")},
		{"invalid Route", sip.OPTIONS, uri, []sip.RequestOption{via, from, sip.WithHeader("Route", "<sip:p1")}, syntax("name-addr")},
		{"contact ok", sip.INVITE, uri, []sip.RequestOption{via, from, contact}, func(err error) bool { return err == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := sip.NewRequest(tc.method, tc.uri, tc.opts...)
			if !tc.ok(err) {
				t.Fatalf("error %v (%T)", err, err)
			}
			if err != nil {
				if req != nil {
					t.Fatal("a request along with an error")
				}
				if !strings.HasPrefix(err.Error(), "sip: ") {
					t.Fatalf("error %q lacks the package prefix", err)
				}
			}
		})
	}
}

// buildInvite is an INVITE that reached a UAS through two proxies, with
// Via fields in compact and combined forms, Route fields and a Timestamp.
const buildInvite = `INVITE sip:bob@biloxi.example.com SIP/2.0
v: SIP/2.0/UDP proxy2.example.com:5060;branch=z9hG4bK721e4.1, SIP/2.0/UDP proxy1.example.com;branch=z9hG4bK2d4790.1;received=192.0.2.2
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds ;received=192.0.2.101;rport=5060
Max-Forwards: 68
Route: <sip:p3.example.com;lr>
f: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774
t: Bob <sip:bob@biloxi.example.com>
i: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Timestamp: 54.2 0.3
Record-Route: <sip:proxy2.example.com;lr>, <sip:proxy1.example.com;lr>
m: <sip:alice@pc33.atlanta.example.com>
c: application/sdp
l: 5

v=0
`

func TestNewResponse(t *testing.T) {
	invite := buildParseRequest(t, buildInvite)
	tagged := invite.Clone()
	tagged.Header.Set("To", "Bob <sip:bob@biloxi.example.com>;tag=314")
	addrSpec := invite.Clone()
	addrSpec.Header.Set("To", "sip:bob@biloxi.example.com")

	wantVias := []string{
		"SIP/2.0/UDP proxy2.example.com:5060;branch=z9hG4bK721e4.1",
		"SIP/2.0/UDP proxy1.example.com;branch=z9hG4bK2d4790.1;received=192.0.2.2",
		"SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds ;received=192.0.2.101;rport=5060",
	}
	for _, tc := range []struct {
		name      string
		req       *sip.Request
		code      int
		reason    string
		opts      []sip.ResponseOption
		wantText  string
		wantTo    string // To without a new tag
		wantTag   string // "" for none; "*" for a new one
		timestamp string
	}{
		{name: "100 copies Timestamp, adds no tag", req: invite, code: 100, wantText: "Trying",
			wantTo: "Bob <sip:bob@biloxi.example.com>", timestamp: "54.2 0.3"},
		{name: "180 adds a new tag", req: invite, code: 180, wantText: "Ringing",
			wantTo: "Bob <sip:bob@biloxi.example.com>", wantTag: "*"},
		{name: "200 with the tag given", req: invite, code: 200, opts: []sip.ResponseOption{sip.WithToTag("a6c85cf")},
			wantText: "OK", wantTo: "Bob <sip:bob@biloxi.example.com>", wantTag: "a6c85cf"},
		{name: "486 with its own reason", req: invite, code: 486, reason: "Busy Now",
			wantText: "Busy Now", wantTo: "Bob <sip:bob@biloxi.example.com>", wantTag: "*"},
		{name: "To tag of the request is kept", req: tagged, code: 200, opts: []sip.ResponseOption{sip.WithToTag("other")},
			wantText: "OK", wantTo: "Bob <sip:bob@biloxi.example.com>;tag=314"},
		{name: "addr-spec To gets a tag", req: addrSpec, code: 603, opts: []sip.ResponseOption{sip.WithToTag("x1")},
			wantText: "Decline", wantTo: "sip:bob@biloxi.example.com", wantTag: "x1"},
		{name: "unknown code has no reason", req: invite, code: 299, opts: []sip.ResponseOption{sip.WithToTag("x1")},
			wantText: "", wantTo: "Bob <sip:bob@biloxi.example.com>", wantTag: "x1"},
		{name: "100 with a given tag adds none", req: invite, code: 100, opts: []sip.ResponseOption{sip.WithToTag("x1")},
			wantText: "Trying", wantTo: "Bob <sip:bob@biloxi.example.com>", timestamp: "54.2 0.3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := sip.NewResponse(tc.req, tc.code, tc.reason, tc.opts...)
			h := resp.Header
			if resp.StatusCode != tc.code || resp.Reason != tc.wantText {
				t.Fatalf("status line %d %q", resp.StatusCode, resp.Reason)
			}
			// Via: every field, in order, values unchanged.
			if got := buildItems(h, sip.HeaderVia); !slices.Equal(got, wantVias) {
				t.Fatalf("Vias %q\nwant %q", got, wantVias)
			}
			if got := buildValues(h, sip.HeaderVia); !slices.Equal(got, buildValues(tc.req.Header, sip.HeaderVia)) {
				t.Fatalf("Via fields %q", got)
			}
			for _, name := range []string{sip.HeaderFrom, sip.HeaderCallID, sip.HeaderCSeq} {
				if got, want := buildValues(h, name), buildValues(tc.req.Header, name); !slices.Equal(got, want) {
					t.Fatalf("%s %q; want %q", name, got, want)
				}
			}
			to := h.Get(sip.HeaderTo)
			switch tc.wantTag {
			case "":
				if to != tc.wantTo {
					t.Fatalf("To %q; want %q", to, tc.wantTo)
				}
			default:
				base, tag, ok := strings.Cut(to, ";tag=")
				if !ok || base != tc.wantTo || tc.wantTag != "*" && tag != tc.wantTag || tag == "" {
					t.Fatalf("To %q; want %q with tag %q", to, tc.wantTo, tc.wantTag)
				}
				if na, err := sip.ParseNameAddr(to); err != nil || na.Tag() != tag {
					t.Fatalf("To %q: tag reads as %q (%v)", to, na.Tag(), err)
				}
			}
			if got := h.Get(sip.HeaderTimestamp); got != tc.timestamp {
				t.Fatalf("Timestamp %q; want %q", got, tc.timestamp)
			}
			// Nothing else: no Route, Record-Route, Contact, Max-Forwards
			// or body.
			want := len(wantVias) - 1 + 4
			if tc.timestamp != "" {
				want++
			}
			if len(h) != want || resp.Body != nil {
				t.Fatalf("%d fields (want %d), body %q:\n%s", len(h), want, resp.Body, resp)
			}
			checkRoundTrip(t, resp)
		})
	}
}

func TestNewResponseNewTags(t *testing.T) {
	invite := buildParseRequest(t, buildInvite)
	a, _ := sip.NewResponse(invite, 180, "").Header.To()
	b, _ := sip.NewResponse(invite, 180, "").Header.To()
	if a.Tag() == "" || a.Tag() == b.Tag() {
		t.Fatalf("tags %q and %q", a.Tag(), b.Tag())
	}
	// The request is not changed.
	if got := invite.Header.Get("To"); got != "Bob <sip:bob@biloxi.example.com>" {
		t.Fatalf("request To became %q", got)
	}
}

func TestNewResponseCodeOutOfRange(t *testing.T) {
	invite := buildParseRequest(t, buildInvite)
	for _, code := range []int{0, 99, 700, -200} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("code %d: no panic", code)
				}
			}()
			sip.NewResponse(invite, code, "")
		}()
	}
}

// The responses a UAC gets back for buildInvite from the UAS behind the
// proxies, as the UAC sees them: only its own Via is left.
const buildUACInvite = `INVITE sip:bob@biloxi.example.com SIP/2.0
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport
v: SIP/2.0/UDP extra.example.com;branch=z9hG4bKnotthisone
Max-Forwards: 70
Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
Route: <sip:p3.example.com;lr>
From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774
To: Bob <sip:bob@biloxi.example.com>
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Contact: <sip:alice@pc33.atlanta.example.com>
Authorization: Digest username="alice", realm="atlanta.example.com", nonce="84a4cc6f", uri="sip:bob@biloxi.example.com", response="7587245234b3434cc3412213e5f113a5"
Content-Type: application/sdp
Content-Length: 5

v=0
`

func TestNewAck(t *testing.T) {
	invite := buildParseRequest(t, buildUACInvite)
	for _, tc := range []struct {
		name, resp string
		wantTo     string
	}{
		{"486 Busy Here", `SIP/2.0 486 Busy Here
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport=5060;received=192.0.2.101
From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774
To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Content-Length: 0

`, "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf"},
		{"407 from a proxy, compact To", `SIP/2.0 407 Proxy Authentication Required
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds
From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774
t: <sip:bob@biloxi.example.com>;tag=p1x
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE
Proxy-Authenticate: Digest realm="atlanta.example.com", nonce="f84f1cec41e6cbe5aea9c8e88d359"

`, "<sip:bob@biloxi.example.com>;tag=p1x"},
		{"603 Decline", `SIP/2.0 603 Decline
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds
From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774
To: Bob <sip:bob@biloxi.example.com>;tag=9
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE

`, "Bob <sip:bob@biloxi.example.com>;tag=9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := buildParseResponse(t, tc.resp)
			ack, err := sip.NewAck(invite, resp)
			if err != nil {
				t.Fatal(err)
			}
			buildCheckSibling(t, invite, ack, sip.ACK, tc.wantTo)
		})
	}
}

// buildCheckSibling checks an ACK or CANCEL of invite by RFC 3261 §17.1.1.3 and
// §9.1, which ask the same of both but for To.
func buildCheckSibling(t *testing.T, invite, req *sip.Request, method sip.Method, wantTo string) {
	t.Helper()
	h := req.Header
	// Same Request-URI.
	if req.Method != method || req.URI.String() != invite.URI.String() {
		t.Fatalf("request line %s %s", req.Method, req.URI)
	}
	// A single Via, equal to the INVITE's top Via.
	if got := buildItems(h, sip.HeaderVia); len(got) != 1 || got[0] != "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport" {
		t.Fatalf("Via %q", got)
	}
	if got := h.MaxForwards(); got != 70 {
		t.Fatalf("Max-Forwards %d", got)
	}
	// The INVITE's Route fields, in order.
	if got, want := buildItems(h, sip.HeaderRoute), buildItems(invite.Header, sip.HeaderRoute); !slices.Equal(got, want) || len(got) != 3 {
		t.Fatalf("Route %q; want %q", got, want)
	}
	// Same From (with tag) and Call-ID; To as asked.
	for _, name := range []string{sip.HeaderFrom, sip.HeaderCallID} {
		if got, want := h.Get(name), invite.Header.Get(name); got != want {
			t.Fatalf("%s %q; want %q", name, got, want)
		}
	}
	if got := h.Get(sip.HeaderTo); got != wantTo {
		t.Fatalf("To %q; want %q", got, wantTo)
	}
	// CSeq: the INVITE's number with the method.
	if cseq, err := h.CSeq(); err != nil || cseq != (sip.CSeq{Seq: 314159, Method: method}) {
		t.Fatalf("CSeq %v %v", cseq, err)
	}
	// Nothing else: no Contact, Authorization, Content-Type or body.
	if len(h) != 8 || req.Body != nil {
		t.Fatalf("%d fields, body %q:\n%s", len(h), req.Body, req)
	}
	checkRoundTrip(t, req)
}

func TestNewAckErrors(t *testing.T) {
	invite := buildParseRequest(t, buildUACInvite)
	final := buildParseResponse(t, `SIP/2.0 486 Busy Here
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds
From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774
To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
Call-ID: a84b4c76e66710@pc33.atlanta.example.com
CSeq: 314159 INVITE

`)
	ok200 := final.Clone()
	ok200.StatusCode, ok200.Reason = 200, "OK"
	ringing := final.Clone()
	ringing.StatusCode, ringing.Reason = 180, "Ringing"
	noTo := final.Clone()
	noTo.Header.Del("To")
	bye := invite.Clone()
	bye.Method = sip.BYE
	noVia := invite.Clone()
	noVia.Header.Del("Via")
	noCSeq := invite.Clone()
	noCSeq.Header.Del("CSeq")
	noFrom := invite.Clone()
	noFrom.Header.Del("From")
	noCallID := invite.Clone()
	noCallID.Header.Del("Call-ID")
	for _, tc := range []struct {
		name    string
		invite  *sip.Request
		resp    *sip.Response
		missing string
	}{
		{"2xx", invite, ok200, ""},
		{"provisional", invite, ringing, ""},
		{"not an INVITE", bye, final, ""},
		{"response without To", invite, noTo, "To"},
		{"INVITE without Via", noVia, final, "Via"},
		{"INVITE without CSeq", noCSeq, final, "CSeq"},
		{"INVITE without From", noFrom, final, "From"},
		{"INVITE without Call-ID", noCallID, final, "Call-ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ack, err := sip.NewAck(tc.invite, tc.resp)
			if err == nil || ack != nil || !strings.HasPrefix(err.Error(), "sip: ") {
				t.Fatalf("NewAck gave %v, %v", ack, err)
			}
			var me *sip.MissingError
			if tc.missing != "" && (!errors.As(err, &me) || me.Header != tc.missing) {
				t.Fatalf("error %v; want a missing %s", err, tc.missing)
			}
		})
	}
}

func TestNewCancel(t *testing.T) {
	invite := buildParseRequest(t, buildUACInvite)
	cancel, err := sip.NewCancel(invite)
	if err != nil {
		t.Fatal(err)
	}
	buildCheckSibling(t, invite, cancel, sip.CANCEL, "Bob <sip:bob@biloxi.example.com>")

	// A re-INVITE's CANCEL keeps the To tag.
	reinvite := invite.Clone()
	reinvite.Header.Set("To", "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf")
	cancel, err = sip.NewCancel(reinvite)
	if err != nil {
		t.Fatal(err)
	}
	buildCheckSibling(t, reinvite, cancel, sip.CANCEL, "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf")

	// The CANCEL of a built INVITE matches it as §9.1 asks.
	built, err := sip.NewRequest(sip.INVITE, buildMustURI(t, "sip:bob@biloxi.example.com"),
		sip.WithVia(sip.Via{Host: "192.0.2.101", Port: 5060}),
		sip.WithFrom(buildMustNameAddr(t, "<sip:alice@atlanta.example.com>")),
		sip.WithContact(buildMustNameAddr(t, "<sip:alice@192.0.2.101:5060>")),
		sip.WithHeader(sip.HeaderRoute, "<sip:p1.example.com;lr>"))
	if err != nil {
		t.Fatal(err)
	}
	cancel, err = sip.NewCancel(built)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Via", "Route", "From", "To", "Call-ID"} {
		if got, want := cancel.Header.Get(name), built.Header.Get(name); got != want {
			t.Fatalf("%s %q; want %q", name, got, want)
		}
	}
	ic, _ := built.Header.CSeq()
	cc, _ := cancel.Header.CSeq()
	if cc.Seq != ic.Seq || cc.Method != sip.CANCEL {
		t.Fatalf("CSeq %v for %v", cc, ic)
	}
	checkRoundTrip(t, cancel)
}

func TestNewCancelErrors(t *testing.T) {
	invite := buildParseRequest(t, buildUACInvite)
	for _, tc := range []struct {
		name    string
		change  func(*sip.Request)
		missing string
	}{
		{"BYE", func(r *sip.Request) { r.Method = sip.BYE }, ""},
		{"ACK", func(r *sip.Request) { r.Method = sip.ACK }, ""},
		{"no Via", func(r *sip.Request) { r.Header.Del("Via") }, "Via"},
		{"no To", func(r *sip.Request) { r.Header.Del("To") }, "To"},
		{"no From", func(r *sip.Request) { r.Header.Del("From") }, "From"},
		{"no Call-ID", func(r *sip.Request) { r.Header.Del("Call-ID") }, "Call-ID"},
		{"no CSeq", func(r *sip.Request) { r.Header.Del("CSeq") }, "CSeq"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := invite.Clone()
			tc.change(r)
			cancel, err := sip.NewCancel(r)
			if err == nil || cancel != nil || !strings.HasPrefix(err.Error(), "sip: ") {
				t.Fatalf("NewCancel gave %v, %v", cancel, err)
			}
			var me *sip.MissingError
			if tc.missing != "" && (!errors.As(err, &me) || me.Header != tc.missing) {
				t.Fatalf("error %v; want a missing %s", err, tc.missing)
			}
		})
	}
}
