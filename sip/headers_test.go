package sip_test

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// fieldsOf builds a header from name, value pairs.
func fieldsOf(kv ...string) sip.Header {
	var h sip.Header
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// wantSyntaxError fails t unless err is a *sip.SyntaxError.
func wantSyntaxError(t *testing.T, err error, got any) {
	t.Helper()
	var se *sip.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("got %#v, %v; want a *sip.SyntaxError", got, err)
	}
}

// wantMissing fails t unless err is a *sip.MissingError for header.
func wantMissing(t *testing.T, err error, header string) {
	t.Helper()
	var me *sip.MissingError
	if !errors.As(err, &me) || me.Header != header {
		t.Fatalf("err = %v; want a *sip.MissingError for %s", err, header)
	}
}

func TestParseVia(t *testing.T) {
	type rport struct {
		port    int
		present bool
	}
	tests := []struct {
		name      string
		in        string
		protocol  string
		transport string
		host      string
		port      int
		branch    string
		received  string
		rport     rport
		maddr     string
	}{
		{"rfc3261 udp", "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds",
			"SIP/2.0", "UDP", "pc33.atlanta.com", 0, "z9hG4bK776asdhds", "", rport{}, ""},
		{"tcp with port", "SIP/2.0/TCP client.biloxi.example.com:5060;branch=z9hG4bK74b43",
			"SIP/2.0", "TCP", "client.biloxi.example.com", 5060, "z9hG4bK74b43", "", rport{}, ""},
		{"no params", "SIP/2.0/UDP 192.0.2.1:5060", "SIP/2.0", "UDP", "192.0.2.1", 5060, "", "", rport{}, ""},
		{"received", "SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7;received=192.0.2.4",
			"SIP/2.0", "UDP", "bobspc.biloxi.com", 5060, "z9hG4bKnashds7", "192.0.2.4", rport{}, ""},
		{"rport flag", "SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1",
			"SIP/2.0", "UDP", "10.0.0.1", 5060, "z9hG4bK1", "", rport{0, true}, ""},
		{"rport value and received", "SIP/2.0/UDP 10.0.0.1:5060;received=192.0.2.1;rport=9988;branch=z9hG4bK1",
			"SIP/2.0", "UDP", "10.0.0.1", 5060, "z9hG4bK1", "192.0.2.1", rport{9988, true}, ""},
		{"maddr and ttl", "SIP/2.0/UDP h;maddr=224.2.0.1;ttl=16;branch=z9hG4bK1",
			"SIP/2.0", "UDP", "h", 0, "z9hG4bK1", "", rport{}, "224.2.0.1"},
		{"IPv6 sent-by", "SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111",
			"SIP/2.0", "UDP", "[2001:db8::9:1]", 0, "z9hG4bKas3-111", "", rport{}, ""},
		{"IPv6 sent-by with port", "SIP/2.0/TCP [2001:db8::9:1]:5070;branch=z9hG4bK1",
			"SIP/2.0", "TCP", "[2001:db8::9:1]", 5070, "z9hG4bK1", "", rport{}, ""},
		{"rfc5118 received IPv6 with brackets", "SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bK1",
			"SIP/2.0", "UDP", "[2001:db8::9:1]", 0, "z9hG4bK1", "[2001:db8::9:255]", rport{}, ""},
		{"rfc5118 received IPv6 without brackets", "SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bK1",
			"SIP/2.0", "UDP", "[2001:db8::9:1]", 0, "z9hG4bK1", "2001:db8::9:255", rport{}, ""},
		{"SWS around / ; =", "SIP / 2.0 / UDP host ; branch = z9hG4bK1 ; received = 192.0.2.2",
			"SIP/2.0", "UDP", "host", 0, "z9hG4bK1", "192.0.2.2", rport{}, ""},
		{"rfc4475 wsinv Via", "SIP  /   2.0 /UDP    192.0.2.2;rport;branch=390skdjuw",
			"SIP/2.0", "UDP", "192.0.2.2", 0, "390skdjuw", "", rport{0, true}, ""},
		{"SWS around the port colon", "SIP/2.0/UDP host : 5060 ;branch=z9hG4bK1",
			"SIP/2.0", "UDP", "host", 5060, "z9hG4bK1", "", rport{}, ""},
		{"tab separators", "SIP/2.0/UDP\thost;branch=z9hG4bK1", "SIP/2.0", "UDP", "host", 0, "z9hG4bK1", "", rport{}, ""},
		{"protocol in lower case", "sip/2.0/udp host", "SIP/2.0", "udp", "host", 0, "", "", rport{}, ""},
		{"rfc4475 transports: websocket", "SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7",
			"SIP/2.0", "WSS", "df7jal23ls0d.invalid", 0, "z9hG4bKnashds7", "", rport{}, ""},
		{"rfc4475 transports: unknown", "SIP/2.0/UNKNOWN t.example.com;branch=z9hG4bKasdd",
			"SIP/2.0", "UNKNOWN", "t.example.com", 0, "z9hG4bKasdd", "", rport{}, ""},
		{"other protocol version", "SIP/3.0/UDP h", "SIP/3.0", "UDP", "h", 0, "", "", rport{}, ""},
		{"quoted param value", `SIP/2.0/UDP h;branch=z9hG4bK1;x="a;b"`, "SIP/2.0", "UDP", "h", 0, "z9hG4bK1", "", rport{}, ""},
		{"branch with @ (real peers)", "SIP/2.0/UDP h;branch=z9hG4bK-d8754z-1@host", "SIP/2.0", "UDP", "h", 0, "z9hG4bK-d8754z-1@host", "", rport{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := sip.ParseVia(tt.in)
			if err != nil {
				t.Fatalf("ParseVia(%q): %v", tt.in, err)
			}
			if v.Protocol != tt.protocol || v.Transport != tt.transport || v.Host != tt.host || v.Port != tt.port {
				t.Fatalf("ParseVia(%q) = %#v; want %s/%s %s:%d", tt.in, v, tt.protocol, tt.transport, tt.host, tt.port)
			}
			if b := v.Branch(); b != tt.branch {
				t.Errorf("Branch() = %q; want %q", b, tt.branch)
			}
			if r := v.Received(); r != tt.received {
				t.Errorf("Received() = %q; want %q", r, tt.received)
			}
			if p, ok := v.RPort(); p != tt.rport.port || ok != tt.rport.present {
				t.Errorf("RPort() = %d, %v; want %d, %v", p, ok, tt.rport.port, tt.rport.present)
			}
			if m := v.MAddr(); m != tt.maddr {
				t.Errorf("MAddr() = %q; want %q", m, tt.maddr)
			}
			again, err := sip.ParseVia(v.String())
			if err != nil || again.String() != v.String() || again.Host != v.Host || again.Port != v.Port || again.Branch() != v.Branch() {
				t.Errorf("String() %q does not parse back: %#v, %v", v.String(), again, err)
			}
		})
	}
}

func TestParseViaInvalid(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"protocol only", "SIP/2.0/UDP"},
		{"no sent-by", "SIP/2.0/UDP ;branch=z9hG4bK1"},
		{"no transport", "SIP/2.0 host"},
		{"no version", "SIP//UDP host"},
		{"no space before sent-by", "SIP/2.0/UDPhost"},
		{"port not a number", "SIP/2.0/UDP host:abc"},
		{"port too large", "SIP/2.0/UDP host:65536"},
		{"empty port", "SIP/2.0/UDP host:;branch=z9hG4bK1"},
		{"unterminated IPv6 reference", "SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1"},
		{"unbracketed IPv6", "SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK1"},
		{"empty IPv6 reference", "SIP/2.0/UDP [];branch=z9hG4bK1"},
		{"bad host character", "SIP/2.0/UDP ho$t;branch=z9hG4bK1"},
		{"junk after sent-by", "SIP/2.0/UDP host junk"},
		{"empty param", "SIP/2.0/UDP host;;branch=z9hG4bK1"},
		{"empty param value", "SIP/2.0/UDP host;branch="},
		{"unterminated quoted value", `SIP/2.0/UDP host;x="abc`},
		{"bad param name", "SIP/2.0/UDP host;bra(nch=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := sip.ParseVia(tt.in)
			wantSyntaxError(t, err, v)
		})
	}
}

func TestHeaderVias(t *testing.T) {
	h := fieldsOf(
		"Via", "SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK2",
		"Max-Forwards", "70",
		"v", "SIP/2.0/TLS c.example.com;branch=z9hG4bK3",
	)
	vias, err := h.Vias()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vias {
		got = append(got, v.Branch())
	}
	if !slices.Equal(got, []string{"z9hG4bK1", "z9hG4bK2", "z9hG4bK3"}) {
		t.Fatalf("branches = %v", got)
	}
	top, err := h.Via()
	if err != nil || top.Host != "a.example.com" {
		t.Fatalf("Via() = %#v, %v", top, err)
	}

	t.Run("missing", func(t *testing.T) {
		_, err := sip.Header{}.Via()
		wantMissing(t, err, sip.HeaderVia)
		vias, err := sip.Header{}.Vias()
		if vias != nil || err != nil {
			t.Fatalf("Vias() = %v, %v; want none", vias, err)
		}
	})
	t.Run("one bad item", func(t *testing.T) {
		vias, err := fieldsOf("Via", "SIP/2.0/UDP a;branch=z9hG4bK1, junk").Vias()
		wantSyntaxError(t, err, vias)
	})
}

func TestViaAppendTo(t *testing.T) {
	v := sip.Via{Protocol: "SIP/2.0", Transport: "UDP", Host: "[2001:db8::1]", Port: 5060, Params: ";branch=z9hG4bKx;rport"}
	if got, want := v.String(), "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKx;rport"; got != want {
		t.Fatalf("String() = %q; want %q", got, want)
	}
}

func TestParseNameAddr(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		display     string // as written
		decoded     string // Name()
		uri         string
		uriParams   sip.Params
		params      sip.Params
		tag         string
		wantStrings string // String(), when it differs from in
	}{
		{"rfc3261 quoted display name and tag", `"Bob" <sips:bob@biloxi.com>;tag=a48s`,
			`"Bob"`, "Bob", "sips:bob@biloxi.com", "", ";tag=a48s", "a48s", ""},
		{"token display name", "Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8",
			"Anonymous", "Anonymous", "sip:c8oqz84zk7z@privacy.org", "", ";tag=hyh8", "hyh8", ""},
		{"several tokens", "Bob Smith <sip:bob@biloxi.com>", "Bob Smith", "Bob Smith", "sip:bob@biloxi.com", "", "", "", ""},
		{"no display name", "<sip:bob@biloxi.com>", "", "", "sip:bob@biloxi.com", "", "", "", ""},
		{"addr-spec: params are header params", "sip:bob@biloxi.com;tag=1928301774",
			"", "", "sip:bob@biloxi.com", "", ";tag=1928301774", "1928301774", "<sip:bob@biloxi.com>;tag=1928301774"},
		{"name-addr: params are URI params", "<sip:bob@biloxi.com;tag=1928301774>",
			"", "", "sip:bob@biloxi.com;tag=1928301774", ";tag=1928301774", "", "", ""},
		{"rfc4475 cparam01: addr-spec Contact with a header param", "sip:+19725552222@gw1.example.net;unknownparam",
			"", "", "sip:+19725552222@gw1.example.net", "", ";unknownparam", "", "<sip:+19725552222@gw1.example.net>;unknownparam"},
		{"rfc4475 cparam02: name-addr Contact with a URI param", "<sip:+19725552222@gw1.example.net;unknownparam>",
			"", "", "sip:+19725552222@gw1.example.net;unknownparam", ";unknownparam", "", "", ""},
		{"escapes in a quoted display name", `"\"Joe\" \\ Smith" <sip:joe@example.com>`,
			`"\"Joe\" \\ Smith"`, `"Joe" \ Smith`, "sip:joe@example.com", "", "", "", ""},
		{"rfc4475 lwsdisp: no space before <", `"caller"<sip:caller@example.com>;tag=323`,
			`"caller"`, "caller", "sip:caller@example.com", "", ";tag=323", "323", `"caller" <sip:caller@example.com>;tag=323`},
		{"empty quoted display name", `"" <sip:x@example.com>`, `""`, "", "sip:x@example.com", "", "", "", ""},
		{"comma and angle brackets inside quotes", `"Bob, <Jr.>" <sip:bob@example.com>`,
			`"Bob, <Jr.>"`, "Bob, <Jr.>", "sip:bob@example.com", "", "", "", ""},
		{"UTF-8 display name", `"Jöhn Døe" <sip:j@example.com>`, `"Jöhn Døe"`, "Jöhn Døe", "sip:j@example.com", "", "", "", ""},
		{"URI headers inside angle brackets", "<sip:bob@example.com?Subject=hi&Priority=urgent>",
			"", "", "sip:bob@example.com?Subject=hi&Priority=urgent", "", "", "", ""},
		{"tel URI", "<tel:+1-201-555-0123>;tag=x", "", "", "tel:+1-201-555-0123", "", ";tag=x", "x", ""},
		{"absolute URI", "<urn:service:sos>", "", "", "urn:service:sos", "", "", "", ""},
		{"IPv6 host", "<sip:[2001:db8::1]:5060>;expires=60", "", "", "sip:[2001:db8::1]:5060", "", ";expires=60", "", ""},
		{"SWS around ; and =", `"Bob" <sip:bob@example.com> ; tag = 1 ; x`,
			`"Bob"`, "Bob", "sip:bob@example.com", "", " ; tag = 1 ; x", "1", ""},
		{"addr-spec with SWS before params", "sip:bob@example.com ;tag=1", "", "", "sip:bob@example.com", "", ";tag=1", "1",
			"<sip:bob@example.com>;tag=1"},
		{"quoted header param", `<sip:b@example.com>;x="a;b,c"`, "", "", "sip:b@example.com", "", `;x="a;b,c"`, "", ""},
		{"surrounding whitespace", "  <sip:b@example.com>  ", "", "", "sip:b@example.com", "", "", "", "<sip:b@example.com>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := sip.ParseNameAddr(tt.in)
			if err != nil {
				t.Fatalf("ParseNameAddr(%q): %v", tt.in, err)
			}
			if n.DisplayName != tt.display || n.Name() != tt.decoded {
				t.Errorf("display name %q, Name() %q; want %q, %q", n.DisplayName, n.Name(), tt.display, tt.decoded)
			}
			if n.URI.String() != tt.uri || n.URI.Params != tt.uriParams {
				t.Errorf("URI %q (params %q); want %q (params %q)", n.URI.String(), n.URI.Params, tt.uri, tt.uriParams)
			}
			if n.Params != tt.params {
				t.Errorf("Params = %q; want %q", n.Params, tt.params)
			}
			if n.Tag() != tt.tag {
				t.Errorf("Tag() = %q; want %q", n.Tag(), tt.tag)
			}
			want := tt.in
			if tt.wantStrings != "" {
				want = tt.wantStrings
			}
			if s := n.String(); s != want {
				t.Errorf("String() = %q; want %q", s, want)
			}
			again, err := sip.ParseNameAddr(n.String())
			if err != nil || again != n {
				t.Errorf("String() does not parse back: %#v, %v", again, err)
			}
		})
	}
}

func TestParseNameAddrInvalid(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"rfc4475 quotbal: unterminated quote", `"Bob <sip:bob@example.com>`},
		{"missing >", "Bob <sip:bob@example.com"},
		{"empty angle brackets", "<>"},
		{"bad URI in brackets", "<sip:>"},
		{"rfc4475 baddn: non-token display name", "Bell, Alexander <sip:a.g.bell@bell-tel.com>"},
		{"@ in an unquoted display name", "bob@home <sip:bob@example.com>"},
		{"quoted display name without <>", `"Bob" sip:bob@example.com`},
		{"addr-spec with ?", "sip:bob@example.com?subject=a"},
		{"addr-spec with a comma", "sip:bob@example.com,sip:b@x"},
		{"rfc4475 badaspec: space in addr-spec", "sip:user@example.com extra"},
		{"rfc4475 regbadct: addr-spec with a display name", "Bob sip:bob@example.com"},
		{"empty header param", "<sip:bob@example.com>;;tag=1"},
		{"empty header param value", "<sip:bob@example.com>;tag="},
		{"junk after >", "<sip:bob@example.com> junk"},
		{"unterminated quoted param", `<sip:bob@example.com>;x="a`},
		{"bad addr-spec URI", "sip:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := sip.ParseNameAddr(tt.in)
			wantSyntaxError(t, err, n)
		})
	}
}

func TestHeaderNameAddrs(t *testing.T) {
	h := fieldsOf(
		"f", `"Alice" <sip:alice@atlanta.com>;tag=1928301774`,
		"To", "sip:bob@biloxi.com",
		"Contact", `<sip:a@192.0.2.1>;expires=60, "B, C" <sip:b@192.0.2.2>;q=0.5`,
		"m", "sip:c@192.0.2.3;expires=30",
		"Route", "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>",
		"Record-Route", "<sip:p3.example.com;lr>",
	)
	from, err := h.From()
	if err != nil || from.Tag() != "1928301774" || from.Name() != "Alice" {
		t.Fatalf("From() = %#v, %v", from, err)
	}
	to, err := h.To()
	if err != nil || to.URI.User != "bob" || to.Tag() != "" {
		t.Fatalf("To() = %#v, %v", to, err)
	}
	contacts, star, err := h.Contacts()
	if err != nil || star || len(contacts) != 3 {
		t.Fatalf("Contacts() = %v, %v, %v", contacts, star, err)
	}
	if contacts[1].Name() != "B, C" || contacts[2].URI.Host != "192.0.2.3" {
		t.Fatalf("Contacts() = %v", contacts)
	}
	if q, err := contacts[1].Q(); err != nil || q != 500 {
		t.Fatalf("q = %d, %v; want 500", q, err)
	}
	if q, err := contacts[0].Q(); err != nil || q != 1000 {
		t.Fatalf("q without the param = %d, %v; want 1000", q, err)
	}
	routes, err := h.Routes()
	if err != nil || len(routes) != 2 || routes[1].URI.Host != "p2.example.com" || !routes[0].URI.Params.Has("lr") {
		t.Fatalf("Routes() = %v, %v", routes, err)
	}
	rr, err := h.RecordRoutes()
	if err != nil || len(rr) != 1 {
		t.Fatalf("RecordRoutes() = %v, %v", rr, err)
	}

	t.Run("missing", func(t *testing.T) {
		_, err := sip.Header{}.From()
		wantMissing(t, err, sip.HeaderFrom)
		_, err = sip.Header{}.To()
		wantMissing(t, err, sip.HeaderTo)
		contacts, star, err := sip.Header{}.Contacts()
		if contacts != nil || star || err != nil {
			t.Fatalf("Contacts() = %v, %v, %v", contacts, star, err)
		}
	})
	t.Run("star", func(t *testing.T) {
		contacts, star, err := fieldsOf("Contact", "*").Contacts()
		if contacts != nil || !star || err != nil {
			t.Fatalf("Contacts() = %v, %v, %v; want star", contacts, star, err)
		}
	})
	t.Run("bad contact", func(t *testing.T) {
		contacts, _, err := fieldsOf("Contact", "<sip:a@b>, Bob sip:c@d").Contacts()
		wantSyntaxError(t, err, contacts)
	})
	t.Run("bad q", func(t *testing.T) {
		n, err := sip.ParseNameAddr("<sip:a@b>;q=2")
		if err != nil {
			t.Fatal(err)
		}
		q, err := n.Q()
		wantSyntaxError(t, err, q)
	})
}

func TestNameAddrAppendTo(t *testing.T) {
	n := sip.NameAddr{DisplayName: `"A \"B\""`, URI: sip.URI{Scheme: "sip", User: "a", Host: "h"}, Params: ";tag=9"}
	if got, want := string(n.AppendTo([]byte("x: "))), `x: "A \"B\"" <sip:a@h>;tag=9`; got != want {
		t.Fatalf("AppendTo = %q; want %q", got, want)
	}
	if n.Name() != `A "B"` {
		t.Fatalf("Name() = %q", n.Name())
	}
}

func TestParseCSeq(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		seq    uint32
		method sip.Method
	}{
		{"invite", "4711 INVITE", 4711, sip.INVITE},
		{"zero", "0 ACK", 0, sip.ACK},
		{"largest", "2147483647 BYE", sip.MaxCSeq, sip.BYE},
		{"leading zeros", "007 OPTIONS", 7, sip.OPTIONS},
		{"whitespace", "  1 \t  REGISTER  ", 1, sip.REGISTER},
		{"extension method", "3 NEWMETHOD", 3, "NEWMETHOD"},
		{"rfc4475 intmeth: token characters", "3882340 !interesting-Method0123456789_*+`.%indeed'~",
			3882340, "!interesting-Method0123456789_*+`.%indeed'~"},
		{"method case kept", "1 invite", 1, "invite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := sip.ParseCSeq(tt.in)
			if err != nil || c.Seq != tt.seq || c.Method != tt.method {
				t.Fatalf("ParseCSeq(%q) = %#v, %v; want %d %s", tt.in, c, err, tt.seq, tt.method)
			}
			again, err := sip.ParseCSeq(c.String())
			if err != nil || again != c {
				t.Fatalf("String() %q does not parse back: %v", c.String(), err)
			}
		})
	}
}

func TestParseCSeqInvalid(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"method only", "INVITE"},
		{"number only", "1"},
		{"no space", "1INVITE"},
		{"negative", "-1 INVITE"},
		{"rfc4475 scalar02: over 2**31-1", "2147483648 INVITE"},
		{"over 2**32", "4294967296 INVITE"},
		{"huge", "36893488147419103232 INVITE"},
		{"two methods", "1 INVITE BYE"},
		{"bad method character", "1 INV(ITE"},
		{"letters", "a INVITE"},
		{"param", "1 INVITE;x=y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := sip.ParseCSeq(tt.in)
			wantSyntaxError(t, err, c)
		})
	}
}

func TestHeaderCSeq(t *testing.T) {
	c, err := fieldsOf("cseq", "10 BYE").CSeq()
	if err != nil || c != (sip.CSeq{Seq: 10, Method: sip.BYE}) {
		t.Fatalf("CSeq() = %#v, %v", c, err)
	}
	_, err = sip.Header{}.CSeq()
	wantMissing(t, err, sip.HeaderCSeq)
}

func TestParseMediaType(t *testing.T) {
	tests := []struct {
		name          string
		in            string
		typ, sub      string
		params        sip.Params
		param, pvalue string
	}{
		{"sdp", "application/sdp", "application", "sdp", "", "", ""},
		{"charset", "text/html; charset=ISO-8859-4", "text", "html", "; charset=ISO-8859-4", "charset", "ISO-8859-4"},
		{"quoted boundary", `multipart/mixed;boundary="a b;c"`, "multipart", "mixed", `;boundary="a b;c"`, "boundary", `"a b;c"`},
		{"SWS around /", "application / sdp", "application", "sdp", "", "", ""},
		{"sipfrag version", "message/sipfrag;version=2.0", "message", "sipfrag", ";version=2.0", "version", "2.0"},
		{"vendor tree", "application/vnd.3gpp.ussd+xml", "application", "vnd.3gpp.ussd+xml", "", "", ""},
		{"case kept", "Application/SDP", "Application", "SDP", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := sip.ParseMediaType(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != tt.typ || m.Subtype != tt.sub || m.Params != tt.params {
				t.Fatalf("ParseMediaType(%q) = %#v", tt.in, m)
			}
			if !m.Is(tt.typ, tt.sub) {
				t.Fatal("Is() = false for its own type")
			}
			if tt.param != "" {
				if v, ok := m.Params.Get(tt.param); !ok || v != tt.pvalue {
					t.Fatalf("param %s = %q, %v; want %q", tt.param, v, ok, tt.pvalue)
				}
			}
			again, err := sip.ParseMediaType(m.String())
			if err != nil || again != m {
				t.Fatalf("String() %q does not parse back: %#v, %v", m.String(), again, err)
			}
		})
	}
}

func TestParseMediaTypeInvalid(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"type only", "application"},
		{"no subtype", "application/"},
		{"no type", "/sdp"},
		{"trailing semicolon", "application/sdp;"},
		{"junk", "application/sdp junk"},
		{"unterminated quote", `text/plain;charset="utf-8`},
		{"empty param value", "text/plain;charset="},
		{"two slashes", "a/b/c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := sip.ParseMediaType(tt.in)
			wantSyntaxError(t, err, m)
		})
	}
}

func TestMediaTypeIs(t *testing.T) {
	m := sip.MediaType{Type: "Application", Subtype: "SDP"}
	if !m.Is("application", "sdp") || m.Is("application", "sdpx") || m.Is("text", "sdp") {
		t.Fatal("Is is wrong")
	}
	c, err := fieldsOf("c", "application/sdp").ContentType()
	if err != nil || !c.Is("application", "sdp") {
		t.Fatalf("ContentType() = %#v, %v", c, err)
	}
	_, err = sip.Header{}.ContentType()
	wantMissing(t, err, sip.HeaderContentType)
}

func TestParamsGet(t *testing.T) {
	tests := []struct {
		name    string
		p       sip.Params
		get     string
		value   string
		present bool
	}{
		{"value", ";transport=tcp;lr", "transport", "tcp", true},
		{"flag", ";transport=tcp;lr", "lr", "", true},
		{"name case-insensitive", ";Transport=TCP", "transport", "TCP", true},
		{"absent", ";transport=tcp", "maddr", "", false},
		{"empty list", "", "lr", "", false},
		{"SWS around ; and =", " ; transport = tcp ; lr ", "transport", "tcp", true},
		{"flag after SWS", " ; transport = tcp ; lr ", "lr", "", true},
		{"quoted value with ;", `;a="x;y";b=1`, "a", `"x;y"`, true},
		{"after a quoted value", `;a="x;y";b=1`, "b", "1", true},
		{"first of two", ";a=1;a=2", "a", "1", true},
		{"prefix is not a match", ";transports=tcp", "transport", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := tt.p.Get(tt.get)
			if v != tt.value || ok != tt.present {
				t.Fatalf("%q.Get(%q) = %q, %v; want %q, %v", tt.p, tt.get, v, ok, tt.value, tt.present)
			}
			if tt.p.Has(tt.get) != tt.present {
				t.Fatalf("Has(%q) = %v", tt.get, !tt.present)
			}
		})
	}
}

func TestParamsAll(t *testing.T) {
	p := sip.Params(` ;a=1; b ;c = "x;y" `)
	got := maps.Collect(p.All())
	want := map[string]string{"a": "1", "b": "", "c": `"x;y"`}
	if !maps.Equal(got, want) {
		t.Fatalf("All() = %v; want %v", got, want)
	}
	var names []string
	for n := range p.All() {
		names = append(names, n)
		break
	}
	if !slices.Equal(names, []string{"a"}) {
		t.Fatalf("stopping early gave %v", names)
	}
}

func TestParamsWith(t *testing.T) {
	tests := []struct {
		name        string
		p           sip.Params
		key, value  string
		want        sip.Params
		withoutKey  string
		withoutWant sip.Params
	}{
		{"add to empty", "", "tag", "abc", ";tag=abc", "tag", ""},
		{"add", ";a=1", "b", "2", ";a=1;b=2", "a", ";b=2"},
		{"replace moves to the end", ";a=1;b=2", "a", "3", ";b=2;a=3", "b", ";a=3"},
		{"replace case-insensitively", ";Tag=1", "tag", "2", ";tag=2", "TAG", ""},
		{"flag", ";a=1", "lr", "", ";a=1;lr", "lr", ";a=1"},
		{"normalizes SWS", " ; a = 1 ; b", "c", "3", ";a=1;b;c=3", "zz", ";a=1;b;c=3"},
		{"without absent keeps as is", ";a=1", "a", "1", ";a=1", "zz", ";a=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.With(tt.key, tt.value)
			if got != tt.want {
				t.Fatalf("%q.With(%q, %q) = %q; want %q", tt.p, tt.key, tt.value, got, tt.want)
			}
			if v, ok := got.Get(tt.key); !ok || v != tt.value {
				t.Fatalf("Get after With = %q, %v", v, ok)
			}
			if w := got.Without(tt.withoutKey); w != tt.withoutWant {
				t.Fatalf("%q.Without(%q) = %q; want %q", got, tt.withoutKey, w, tt.withoutWant)
			}
		})
	}
	if p := sip.Params(" ; a = 1"); p.Without("b") != p {
		t.Fatal("Without of an absent parameter rewrote the list")
	}
}

func TestHeaderLookup(t *testing.T) {
	h := fieldsOf(
		"v", "SIP/2.0/UDP a",
		"VIA", "SIP/2.0/UDP b",
		"i", "abc@host",
		"Content-Length", "0",
		"X-Custom", "1",
		"x-custom", "2",
	)
	tests := []struct {
		name, get, want string
		values          []string
	}{
		{"compact form found by long name", "Via", "SIP/2.0/UDP a", []string{"SIP/2.0/UDP a", "SIP/2.0/UDP b"}},
		{"long name found by compact form", "v", "SIP/2.0/UDP a", []string{"SIP/2.0/UDP a", "SIP/2.0/UDP b"}},
		{"case-insensitive", "call-id", "abc@host", []string{"abc@host"}},
		{"compact l", "l", "0", []string{"0"}},
		{"extension header", "X-CUSTOM", "1", []string{"1", "2"}},
		{"absent", "Subject", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.Get(tt.get); got != tt.want {
				t.Fatalf("Get(%q) = %q; want %q", tt.get, got, tt.want)
			}
			if got := slices.Collect(h.Values(tt.get)); !slices.Equal(got, tt.values) {
				t.Fatalf("Values(%q) = %q; want %q", tt.get, got, tt.values)
			}
			if h.Has(tt.get) != (tt.values != nil) {
				t.Fatalf("Has(%q) = %v", tt.get, !(tt.values != nil))
			}
		})
	}
}

func TestHeaderItems(t *testing.T) {
	tests := []struct {
		name  string
		h     sip.Header
		items []string
	}{
		{"one field", fieldsOf("Route", "<sip:a>, <sip:b>"), []string{"<sip:a>", "<sip:b>"}},
		{"two fields", fieldsOf("Route", "<sip:a>", "Route", "<sip:b>,<sip:c>"), []string{"<sip:a>", "<sip:b>", "<sip:c>"}},
		{"comma in quotes", fieldsOf("Route", `"a, b" <sip:a>, <sip:b>`), []string{`"a, b" <sip:a>`, "<sip:b>"}},
		{"comma in angle brackets", fieldsOf("Route", "<sip:a;x=1,2>, <sip:b>"), []string{"<sip:a;x=1,2>", "<sip:b>"}},
		{"escaped quote", fieldsOf("Route", `"a\", b" <sip:a>, <sip:b>`), []string{`"a\", b" <sip:a>`, "<sip:b>"}},
		{"empty field", fieldsOf("Route", ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slices.Collect(tt.h.Items("Route")); !slices.Equal(got, tt.items) {
				t.Fatalf("Items = %q; want %q", got, tt.items)
			}
		})
	}
}

func TestHeaderEdit(t *testing.T) {
	h := fieldsOf("Via", "a", "To", "t", "v", "b", "Via", "c")
	h.Set("Via", "x")
	if got := slices.Collect(h.Values("Via")); !slices.Equal(got, []string{"x"}) || h[0].Value != "x" || len(h) != 2 {
		t.Fatalf("after Set: %v", h)
	}
	h.Set("Subject", "s")
	if h[len(h)-1] != (sip.Field{Name: "Subject", Value: "s"}) {
		t.Fatalf("Set of a new header did not append: %v", h)
	}
	h.Del("s")
	if h.Has("Subject") || len(h) != 2 {
		t.Fatalf("Del by compact form: %v", h)
	}
	c := h.Clone()
	c[0].Value = "changed"
	if h[0].Value == "changed" {
		t.Fatal("Clone shares storage")
	}
	if sip.Header(nil).Clone() != nil {
		t.Fatal("Clone of nil is not nil")
	}
}

func TestCanonicalName(t *testing.T) {
	tests := map[string]string{
		"v": "Via", "V": "Via", "via": "Via", "VIA": "Via", "call-id": "Call-ID", "i": "Call-ID",
		"www-authenticate": "WWW-Authenticate", "cseq": "CSeq", "rack": "RAck", "o": "Event",
		"x": "Session-Expires", "k": "Supported", "X-Custom": "X-Custom", "q": "q",
		"a-very-long-header-name-beyond-any-known-one": "a-very-long-header-name-beyond-any-known-one",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := sip.CanonicalName(in); got != want {
				t.Fatalf("CanonicalName(%q) = %q; want %q", in, got, want)
			}
		})
	}
}

func TestHeaderNumbers(t *testing.T) {
	tests := []struct {
		name  string
		h     sip.Header
		get   func(sip.Header) int
		value int
	}{
		{"Expires", fieldsOf("Expires", "3600"), sip.Header.Expires, 3600},
		{"Expires zero", fieldsOf("Expires", "0"), sip.Header.Expires, 0},
		{"Expires largest", fieldsOf("Expires", "4294967295"), sip.Header.Expires, 1<<32 - 1},
		{"Expires too large", fieldsOf("Expires", "4294967296"), sip.Header.Expires, -1},
		{"Expires not a number", fieldsOf("Expires", "1h"), sip.Header.Expires, -1},
		{"Expires absent", nil, sip.Header.Expires, -1},
		{"Expires first field counts", fieldsOf("Expires", "x", "Expires", "5"), sip.Header.Expires, -1},
		{"Min-Expires", fieldsOf("Min-Expires", "60"), sip.Header.MinExpires, 60},
		{"Min-Expires invalid", fieldsOf("Min-Expires", "-60"), sip.Header.MinExpires, -1},
		{"Min-Expires absent", nil, sip.Header.MinExpires, -1},
		{"Max-Forwards", fieldsOf("Max-Forwards", "70"), sip.Header.MaxForwards, 70},
		{"Max-Forwards largest", fieldsOf("Max-Forwards", "255"), sip.Header.MaxForwards, 255},
		{"Max-Forwards too large", fieldsOf("Max-Forwards", "256"), sip.Header.MaxForwards, -1},
		{"Content-Length compact", fieldsOf("l", "129"), sip.Header.ContentLength, 129},
		{"Content-Length absent", nil, sip.Header.ContentLength, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.get(tt.h); got != tt.value {
				t.Fatalf("got %d; want %d", got, tt.value)
			}
		})
	}
}
