package sip_test

import (
	"errors"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want sip.URI
		// str is the URI's text when it differs from in.
		str string
	}{
		{"rfc3261 simple", "sip:alice@atlanta.com",
			sip.URI{Scheme: "sip", User: "alice", Host: "atlanta.com"}, ""},
		{"rfc3261 password and transport", "sip:alice:secretword@atlanta.com;transport=tcp",
			sip.URI{Scheme: "sip", User: "alice", Password: "secretword", Host: "atlanta.com", Params: ";transport=tcp"}, ""},
		{"rfc3261 sips with headers", "sips:alice@atlanta.com?subject=project%20x&priority=urgent",
			sip.URI{Scheme: "sips", User: "alice", Host: "atlanta.com", Headers: "subject=project%20x&priority=urgent"}, ""},
		{"rfc3261 telephone-subscriber with password", "sip:+1-212-555-1212:1234@gateway.com;user=phone",
			sip.URI{Scheme: "sip", User: "+1-212-555-1212", Password: "1234", Host: "gateway.com", Params: ";user=phone"}, ""},
		{"rfc3261 sips numeric user", "sips:1212@gateway.com",
			sip.URI{Scheme: "sips", User: "1212", Host: "gateway.com"}, ""},
		{"rfc3261 IPv4 host", "sip:alice@192.0.2.4",
			sip.URI{Scheme: "sip", User: "alice", Host: "192.0.2.4"}, ""},
		{"rfc3261 no user, method and escaped header", "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com",
			sip.URI{Scheme: "sip", Host: "atlanta.com", Params: ";method=REGISTER", Headers: "to=alice%40atlanta.com"}, ""},
		{"rfc3261 semicolon in user", "sip:alice;day=tuesday@atlanta.com",
			sip.URI{Scheme: "sip", User: "alice;day=tuesday", Host: "atlanta.com"}, ""},
		{"scheme in upper case, port", "SIP:Bob@Biloxi.COM:5070",
			sip.URI{Scheme: "sip", User: "Bob", Host: "Biloxi.COM", Port: 5070}, "sip:Bob@Biloxi.COM:5070"},
		{"sips scheme in mixed case", "SiPs:bob@biloxi.com",
			sip.URI{Scheme: "sips", User: "bob", Host: "biloxi.com"}, "sips:bob@biloxi.com"},
		{"largest port", "sip:h:65535", sip.URI{Scheme: "sip", Host: "h", Port: 65535}, ""},
		{"fully qualified host with trailing dot", "sip:bob@biloxi.com.",
			sip.URI{Scheme: "sip", User: "bob", Host: "biloxi.com."}, ""},
		{"IPv6 reference", "sip:[2001:db8::10]",
			sip.URI{Scheme: "sip", Host: "[2001:db8::10]"}, ""},
		{"IPv6 reference and port", "sip:[2001:db8::10]:5070",
			sip.URI{Scheme: "sip", Host: "[2001:db8::10]", Port: 5070}, ""},
		{"rfc5118 port-ambiguous: all inside the brackets", "sip:user@[2001:db8::10:5070]",
			sip.URI{Scheme: "sip", User: "user", Host: "[2001:db8::10:5070]"}, ""},
		{"IPv4-mapped IPv6", "sip:user@[::ffff:192.0.2.1]:5060;transport=tcp",
			sip.URI{Scheme: "sip", User: "user", Host: "[::ffff:192.0.2.1]", Port: 5060, Params: ";transport=tcp"}, ""},
		{"rfc5118 three colons before IPv4 part", "sip:[2001:db8:::192.0.2.1]",
			sip.URI{Scheme: "sip", Host: "[2001:db8:::192.0.2.1]"}, ""},
		{"escaped user kept as written", "sip:%61lice@atlanta.com",
			sip.URI{Scheme: "sip", User: "%61lice", Host: "atlanta.com"}, ""},
		{"rfc4475 escnull", "sip:null-%00-null@example.com",
			sip.URI{Scheme: "sip", User: "null-%00-null", Host: "example.com"}, ""},
		{"flag and valued params", "sip:proxy.example.com;lr;maddr=239.255.255.1;ttl=15",
			sip.URI{Scheme: "sip", Host: "proxy.example.com", Params: ";lr;maddr=239.255.255.1;ttl=15"}, ""},
		{"param with IPv6 value", "sip:h;maddr=[2001:db8::1]",
			sip.URI{Scheme: "sip", Host: "h", Params: ";maddr=[2001:db8::1]"}, ""},
		{"user-unreserved characters", "sip:a&=+$,;?/b@h",
			sip.URI{Scheme: "sip", User: "a&=+$,;?/b", Host: "h"}, ""},
		{"password characters", "sip:u:&=+$,-_.!~*'()@h",
			sip.URI{Scheme: "sip", User: "u", Password: "&=+$,-_.!~*'()", Host: "h"}, ""},
		{"empty password", "sip:u:@h", sip.URI{Scheme: "sip", User: "u", Host: "h"}, "sip:u@h"},
		{"header without value", "sip:h?subject=", sip.URI{Scheme: "sip", Host: "h", Headers: "subject="}, ""},
		{"tel global", "tel:+1-201-555-0123",
			sip.URI{Scheme: "tel", User: "+1-201-555-0123"}, ""},
		{"tel local with context", "tel:7042;phone-context=example.com",
			sip.URI{Scheme: "tel", User: "7042", Params: ";phone-context=example.com"}, ""},
		{"tel scheme in upper case", "TEL:+358-555-1234567",
			sip.URI{Scheme: "tel", User: "+358-555-1234567"}, "tel:+358-555-1234567"},
		{"absolute mailto", "mailto:alice@example.com",
			sip.URI{Scheme: "mailto", Opaque: "alice@example.com"}, ""},
		{"absolute urn", "urn:service:sos", sip.URI{Scheme: "urn", Opaque: "service:sos"}, ""},
		{"absolute http with query", "http://www.example.com/a?b=c;d",
			sip.URI{Scheme: "http", Opaque: "//www.example.com/a?b=c;d"}, ""},
		{"absolute scheme kept as written", "HTTP://x", sip.URI{Scheme: "HTTP", Opaque: "//x"}, ""},
		{"scheme with +-.", "x-a.b+c:foo", sip.URI{Scheme: "x-a.b+c", Opaque: "foo"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := sip.ParseURI(tt.in)
			if err != nil {
				t.Fatalf("ParseURI(%q): %v", tt.in, err)
			}
			if u != tt.want {
				t.Fatalf("ParseURI(%q)\n got %#v\nwant %#v", tt.in, u, tt.want)
			}
			want := tt.in
			if tt.str != "" {
				want = tt.str
			}
			if s := u.String(); s != want {
				t.Fatalf("String() = %q; want %q", s, want)
			}
			again, err := sip.ParseURI(u.String())
			if err != nil || again != u {
				t.Fatalf("String() does not parse back: %#v, %v", again, err)
			}
			if !u.Equal(again) {
				t.Fatal("a URI is not Equal to itself")
			}
		})
	}
}

func TestParseURIInvalid(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"no colon", "sip"},
		{"scheme only", "sip:"},
		{"empty scheme", ":alice@atlanta.com"},
		{"scheme starting with a digit", "1sip:alice@atlanta.com"},
		{"bad scheme character", "s!p:alice@atlanta.com"},
		{"empty user", "sip:@atlanta.com"},
		{"empty host", "sip:alice@"},
		{"empty host before params", "sip:alice@;transport=tcp"},
		{"empty port", "sip:alice@atlanta.com:"},
		{"port too large", "sip:alice@atlanta.com:65536"},
		{"port not a number", "sip:alice@atlanta.com:50a"},
		{"negative port", "sip:alice@atlanta.com:-1"},
		{"space in host", "sip:alice@atlanta .com"},
		{"space in user", "sip:al ice@atlanta.com"},
		{"two @", "sip:a@b@atlanta.com"},
		{"bad host character", "sip:alice@atlanta_com"},
		{"angle bracket", "sip:alice@atlanta.com>"},
		{"unterminated IPv6 reference", "sip:alice@[2001:db8::1"},
		{"IPv6 reference with a bad character", "sip:alice@[2001:db8::g]"},
		{"IPv6 reference with junk after it", "sip:alice@[2001:db8::1]x"},
		{"empty IPv6 reference", "sip:alice@[]"},
		{"IPv4 in brackets", "sip:alice@[192.0.2.1]"},
		{"rfc5118 ipv6-bad: unbracketed IPv6", "sip:alice@2001:db8::10"},
		{"bracket inside a hostname", "sip:alice@ex[ample.com"},
		{"truncated escape", "sip:a%4@atlanta.com"},
		{"non-hex escape", "sip:%zzlice@atlanta.com"},
		{"escape at the end", "sip:alice%@atlanta.com"},
		{"space in password", "sip:alice:pass word@atlanta.com"},
		{"colon in password", "sip:alice:a:b@atlanta.com"},
		{"empty param", "sip:atlanta.com;;lr"},
		{"empty param name", "sip:atlanta.com;=tcp"},
		{"empty param value", "sip:atlanta.com;transport="},
		{"space in param", "sip:atlanta.com;transport=t cp"},
		{"bad escape in param", "sip:atlanta.com;x=%2"},
		{"empty headers", "sip:atlanta.com?"},
		{"empty header name", "sip:atlanta.com?=x"},
		{"trailing ampersand", "sip:atlanta.com?a=b&"},
		{"space in header", "sip:atlanta.com?subject=a b"},
		{"tel without number", "tel:"},
		{"tel with space", "tel:+1 201"},
		{"tel with empty param", "tel:+1201;"},
		{"absolute without rest", "mailto:"},
		{"absolute with space", "http://a b"},
		{"absolute with quote", "http://a\"b"},
		{"absolute with control", "http://a\x01b"},
		{"URI in angle brackets", "<sip:alice@atlanta.com>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := sip.ParseURI(tt.in)
			var se *sip.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseURI(%q) = %#v, %v; want a *SyntaxError", tt.in, u, err)
			}
			if se.What != "URI" {
				t.Errorf("What = %q; want URI", se.What)
			}
		})
	}
}

func TestURIHostname(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"name", "sip:alice@atlanta.com:5060", "atlanta.com"},
		{"IPv4", "sip:192.0.2.1", "192.0.2.1"},
		{"IPv6 without brackets", "sip:[2001:db8::1]:5060", "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := sip.ParseURI(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if h := u.Hostname(); h != tt.want {
				t.Fatalf("Hostname() = %q; want %q", h, tt.want)
			}
		})
	}
}

func TestURIIsSIP(t *testing.T) {
	for in, want := range map[string]bool{
		"sip:a@b": true, "SIPS:a@b": true, "tel:+1": false, "mailto:a@b": false,
	} {
		t.Run(in, func(t *testing.T) {
			u, err := sip.ParseURI(in)
			if err != nil {
				t.Fatal(err)
			}
			if u.IsSIP() != want {
				t.Fatalf("IsSIP() = %v; want %v", !want, want)
			}
		})
	}
}

func TestURIAppendTo(t *testing.T) {
	tests := []struct {
		name string
		u    sip.URI
		want string
	}{
		{"built sip", sip.URI{Scheme: "sip", User: "bob", Host: "biloxi.com", Port: 5060, Params: ";transport=tcp"},
			"sip:bob@biloxi.com:5060;transport=tcp"},
		{"password without user is dropped", sip.URI{Scheme: "sip", Password: "x", Host: "h"}, "sip:h"},
		{"headers", sip.URI{Scheme: "sips", Host: "h", Headers: "a=b"}, "sips:h?a=b"},
		{"tel", sip.URI{Scheme: "tel", User: "+1", Params: ";ext=2"}, "tel:+1;ext=2"},
		{"opaque", sip.URI{Scheme: "urn", Opaque: "service:sos"}, "urn:service:sos"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.u.AppendTo([]byte("x "))); got != "x "+tt.want {
				t.Fatalf("AppendTo = %q; want %q", got, "x "+tt.want)
			}
		})
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct {
		name, in, want string
		bad            bool
	}{
		{"nothing to do", "alice", "alice", false},
		{"empty", "", "", false},
		{"one escape", "%61lice", "alice", false},
		{"space", "project%20x", "project x", false},
		{"lower-case hex", "%7e%7E", "~~", false},
		{"two escapes", "%41%42", "AB", false},
		{"null", "a%00b", "a\x00b", false},
		{"reserved", "bob%40biloxi.com", "bob@biloxi.com", false},
		{"non-ASCII", "%C3%A9", "é", false},
		{"truncated", "a%4", "", true},
		{"percent at the end", "a%", "", true},
		{"non-hex", "%g1", "", true},
		{"non-hex second digit", "%1g", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sip.Unescape(tt.in)
			if tt.bad {
				var se *sip.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("Unescape(%q) = %q, %v; want a *SyntaxError", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Unescape(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestEscapeUser(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unreserved", "alice-_.!~*'()", "alice-_.!~*'()"},
		{"user-unreserved", "+1;x=y?&$,/", "+1;x=y?&$,/"},
		{"space", "a b", "a%20b"},
		{"at sign", "a@b", "a%40b"},
		{"colon", "a:b", "a%3Ab"},
		{"percent", "100%", "100%25"},
		{"non-ASCII", "é", "%C3%A9"},
		{"control", "a\x00", "a%00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sip.EscapeUser(tt.in)
			if got != tt.want {
				t.Fatalf("EscapeUser(%q) = %q; want %q", tt.in, got, tt.want)
			}
			if back, err := sip.Unescape(got); err != nil || back != tt.in {
				t.Fatalf("Unescape(%q) = %q, %v; want %q", got, back, err, tt.in)
			}
			u, err := sip.ParseURI("sip:" + got + "@h")
			if err != nil {
				t.Fatalf("escaped user does not parse: %v", err)
			}
			if u.User != got {
				t.Fatalf("User = %q; want %q", u.User, got)
			}
		})
	}
}

// TestURIEqual has the examples of RFC 3261 §19.1.4, then cases of its
// rules the examples leave out.
func TestURIEqual(t *testing.T) {
	tests := []struct {
		name  string
		a, b  string
		equal bool
	}{
		// RFC 3261 §19.1.4: "The URIs within each of the following sets
		// are equivalent".
		{"rfc3261 escaped user, host case, param name and value case",
			"sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp", true},
		{"rfc3261 parameter in one only ignored (newparam)",
			"sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5", true},
		{"rfc3261 parameter in one only ignored (security)",
			"sip:carol@chicago.com", "sip:carol@chicago.com;security=on", true},
		{"rfc3261 other parameters in one only ignored",
			"sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on", true},
		{"rfc3261 parameter order",
			"sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
			"sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com", true},
		{"rfc3261 header order",
			"sip:alice@atlanta.com?subject=project%20x&priority=urgent",
			"sip:alice@atlanta.com?priority=urgent&subject=project%20x", true},

		// "The URIs within each of the following sets are not
		// equivalent".
		{"rfc3261 different usernames",
			"SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP", false},
		{"rfc3261 can resolve to different ports",
			"sip:bob@biloxi.com", "sip:bob@biloxi.com:5060", false},
		{"rfc3261 can resolve to different transports",
			"sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp", false},
		{"rfc3261 can resolve to different port and transports",
			"sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp", false},
		{"rfc3261 different header component",
			"sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting", false},
		{"rfc3261 host name and the address it resolves to",
			"sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4", false},

		// "Note that equality is not transitive".
		{"rfc3261 not transitive: absent and on", "sip:carol@chicago.com", "sip:carol@chicago.com;security=on", true},
		{"rfc3261 not transitive: absent and off", "sip:carol@chicago.com", "sip:carol@chicago.com;security=off", true},
		{"rfc3261 not transitive: on and off", "sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off", false},

		// The rules of §19.1.4 the examples do not show.
		{"sip and sips differ", "sip:alice@atlanta.com", "sips:alice@atlanta.com", false},
		{"user present in one only", "sip:atlanta.com", "sip:alice@atlanta.com", false},
		{"password compared", "sip:alice:a@atlanta.com", "sip:alice:b@atlanta.com", false},
		{"password present in one only", "sip:alice:a@atlanta.com", "sip:alice@atlanta.com", false},
		{"password case-sensitive", "sip:alice:pw@atlanta.com", "sip:alice:PW@atlanta.com", false},
		{"escaped password", "sip:alice:%70w@atlanta.com", "sip:alice:pw@atlanta.com", true},
		{"ports compared", "sip:bob@biloxi.com:5060", "sip:bob@biloxi.com:5070", false},
		{"user param in one only", "sip:+1234@gw.com;user=phone", "sip:+1234@gw.com", false},
		{"user param differs", "sip:+1234@gw.com;user=phone", "sip:+1234@gw.com;user=ip", false},
		{"ttl in one only", "sip:h;ttl=5", "sip:h", false},
		{"method in one only", "sip:h;method=INVITE", "sip:h", false},
		{"method compared case-insensitively like other params", "sip:h;method=INVITE", "sip:h;method=invite", true},
		{"maddr in one only", "sip:h;maddr=192.0.2.1", "sip:h", false},
		{"maddr differs", "sip:h;maddr=192.0.2.1", "sip:h;maddr=192.0.2.2", false},
		{"transport values case-insensitive", "sip:h;transport=UDP", "sip:h;transport=udp", true},
		{"lr in one only ignored", "sip:proxy.com;lr", "sip:proxy.com", true},
		{"other parameter differing in both", "sip:h;foo=a", "sip:h;foo=b", false},
		{"escaped parameter value", "sip:h;transport=%74cp", "sip:h;transport=tcp", true},
		{"escaped unreserved character in user", "sip:%7Ealice@h", "sip:~alice@h", true},
		{"escape hex case", "sip:a%3bb@h", "sip:a%3Bb@h", true},
		{"escaped reserved character differs from itself unescaped", "sip:a%3Bb@h", "sip:a;b@h", false},
		{"header in one only", "sip:h?a=1&b=2", "sip:h?a=1", false},
		{"header names case-insensitive", "sip:h?Subject=x", "sip:h?subject=x", true},
		{"header values case-sensitive", "sip:h?subject=x", "sip:h?subject=X", false},
		{"header values escaped", "sip:h?subject=a%20b", "sip:h?subject=a%20b", true},
		{"IPv6 host case", "sip:[2001:DB8::1]", "sip:[2001:db8::1]", true},
		{"tel same", "tel:+1-201-555-0123", "TEL:+1-201-555-0123", true},
		{"tel different", "tel:+1-201-555-0123", "tel:+1-201-555-0124", false},
		{"sip and tel", "sip:+12015550123@h", "tel:+12015550123", false},
		{"absolute scheme case-insensitive", "mailto:a@b", "MAILTO:a@b", true},
		{"absolute rest case-sensitive", "mailto:a@b", "mailto:A@b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := sip.ParseURI(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			b, err := sip.ParseURI(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Equal(b); got != tt.equal {
				t.Errorf("%s Equal %s = %v; want %v", tt.a, tt.b, got, tt.equal)
			}
			if got := b.Equal(a); got != tt.equal {
				t.Errorf("%s Equal %s = %v; want %v (not symmetric)", tt.b, tt.a, got, tt.equal)
			}
		})
	}
}
