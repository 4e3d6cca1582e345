package sip_test

import (
	"slices"
	"testing"

	"github.com/parrot-platform/parrot/sip"
)

// authWant is what the accessors of a parsed challenge or credentials
// should give; zero fields are not checked unless check says so.
type authWant struct {
	scheme                               string
	realm, nonce, opaque                 string
	username, uri, response, cnonce, qop string
	algorithm                            sip.DigestAlgorithm
	qopOptions, domain                   []string
	stale                                bool
	nc                                   uint32
	hasNC                                bool
	params                               sip.AuthParams
	extraName, extraValue                string
}

func checkAuth(t *testing.T, a sip.Auth, w authWant) {
	t.Helper()
	str := func(name, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q; want %q", name, got, want)
		}
	}
	str("Scheme", a.Scheme, w.scheme)
	str("Realm", a.Realm(), w.realm)
	str("Nonce", a.Nonce(), w.nonce)
	str("Opaque", a.Opaque(), w.opaque)
	str("Username", a.Username(), w.username)
	str("URI", a.URI(), w.uri)
	str("Response", a.Response(), w.response)
	str("CNonce", a.CNonce(), w.cnonce)
	str("QOP", a.QOP(), w.qop)
	want := w.algorithm
	if want == "" {
		want = sip.DigestMD5
	}
	if a.Algorithm() != want {
		t.Errorf("Algorithm() = %q; want %q", a.Algorithm(), want)
	}
	if !slices.Equal(a.QOPOptions(), w.qopOptions) {
		t.Errorf("QOPOptions() = %q; want %q", a.QOPOptions(), w.qopOptions)
	}
	if !slices.Equal(a.Domain(), w.domain) {
		t.Errorf("Domain() = %q; want %q", a.Domain(), w.domain)
	}
	if a.Stale() != w.stale {
		t.Errorf("Stale() = %v; want %v", a.Stale(), w.stale)
	}
	if nc, ok := a.NonceCount(); nc != w.nc || ok != w.hasNC {
		t.Errorf("NonceCount() = %d, %v; want %d, %v", nc, ok, w.nc, w.hasNC)
	}
	if w.params != "" && a.Params != w.params {
		t.Errorf("Params = %q; want %q", a.Params, w.params)
	}
	if w.extraName != "" {
		str("Param("+w.extraName+")", a.Param(w.extraName), w.extraValue)
	}
}

func TestParseAuth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want authWant
	}{
		{"rfc3261 challenge",
			`Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5`,
			authWant{scheme: "Digest", realm: "atlanta.com", nonce: "f84f1cec41e6cbe5aea9c8e88d359", qop: "auth",
				algorithm: sip.DigestMD5, qopOptions: []string{"auth"}, domain: []string{"sip:ss1.carrier.com"}}},
		{"rfc3261 credentials",
			`Digest username="Alice", realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e", response="7587245234b3434cc3412213e5f113a5432"`,
			authWant{scheme: "Digest", username: "Alice", realm: "atlanta.com", nonce: "84a4cc6f3082121f32b42a2187831a9e",
				response: "7587245234b3434cc3412213e5f113a5432"}},
		{"credentials with qop, nc and cnonce",
			`Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"`,
			authWant{scheme: "Digest", username: "bob", realm: "biloxi.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
				uri: "sip:bob@biloxi.com", qop: "auth", qopOptions: []string{"auth"}, nc: 1, hasNC: true, cnonce: "0a4f113b",
				response: "6629fae49393a05397450978507c4ef1", opaque: "5ccc069c403ebaf9f0171e9517f40e41"}},
		{"rfc8760 SHA-256 challenge with two qop options",
			`Digest realm="atlanta.com", nonce="2b1c3d", qop="auth,auth-int", algorithm=SHA-256`,
			authWant{scheme: "Digest", realm: "atlanta.com", nonce: "2b1c3d", qop: "auth,auth-int",
				algorithm: sip.DigestSHA256, qopOptions: []string{"auth", "auth-int"}}},
		{"rfc8760 algorithm in another case",
			`Digest realm="r", nonce="n", algorithm=sha-512-256-SESS`,
			authWant{scheme: "Digest", realm: "r", nonce: "n", algorithm: sip.DigestSHA512256Sess}},
		{"real world: no space after commas",
			`Digest username="1154",realm="157.161.10.73",nonce="ab1XJmm9VfqJWXWUxRAskN6H0saIwGH/",uri="sip:157.161.10.73:5060",response="60069c764334e8abda35a107ee81a267",algorithm=MD5`,
			authWant{scheme: "Digest", username: "1154", realm: "157.161.10.73", nonce: "ab1XJmm9VfqJWXWUxRAskN6H0saIwGH/",
				uri: "sip:157.161.10.73:5060", response: "60069c764334e8abda35a107ee81a267", algorithm: sip.DigestMD5}},
		{"real world: quoted nc",
			`Digest username="voi18063",realm="sip.cybercity.dk",uri="sip:192.168.1.2",nonce="1701af566be182070084c6f740706bb",opaque="1701a1351f70795",nc="00000001",response="bd79fecae600a2eb79d37ec73214830b"`,
			authWant{scheme: "Digest", username: "voi18063", realm: "sip.cybercity.dk", uri: "sip:192.168.1.2",
				nonce: "1701af566be182070084c6f740706bb", opaque: "1701a1351f70795", nc: 1, hasNC: true,
				response: "bd79fecae600a2eb79d37ec73214830b"}},
		{"real world: stale=false",
			`Digest realm="sip.cybercity.dk",nonce="1701b4767d49c41117c7b73a255a353",opaque="1701a1351f70795",stale=false,algorithm=MD5`,
			authWant{scheme: "Digest", realm: "sip.cybercity.dk", nonce: "1701b4767d49c41117c7b73a255a353",
				opaque: "1701a1351f70795"}},
		{"rfc4475 regaut01: unknown scheme", "NoOneKnowsThisScheme opaque-data=here",
			authWant{scheme: "NoOneKnowsThisScheme", extraName: "opaque-data", extraValue: "here", params: "opaque-data=here"}},
		{"scheme in lower case", `digest realm="r", nonce="n"`, authWant{scheme: "digest", realm: "r", nonce: "n"}},
		{"SWS around = and ,", "Digest  realm = \"r\" ,nonce= \"n\"\t, stale = TRUE",
			authWant{scheme: "Digest", realm: "r", nonce: "n", stale: true}},
		{"tab after the scheme", "Digest\trealm=\"r\"", authWant{scheme: "Digest", realm: "r"}},
		{"escapes in a quoted value", `Digest realm="a \"b\" \\c", nonce="n"`,
			authWant{scheme: "Digest", realm: `a "b" \c`, nonce: "n"}},
		{"comma inside a quoted value", `Digest realm="a, b", nonce="n"`,
			authWant{scheme: "Digest", realm: "a, b", nonce: "n"}},
		{"domain with two URIs", `Digest realm="r", domain="sip:a.example.com  sip:b.example.com", nonce="n"`,
			authWant{scheme: "Digest", realm: "r", nonce: "n", domain: []string{"sip:a.example.com", "sip:b.example.com"}}},
		{"quoted stale and algorithm", `Digest realm="r", nonce="n", stale="true", algorithm="SHA-256"`,
			authWant{scheme: "Digest", realm: "r", nonce: "n", stale: true, algorithm: sip.DigestSHA256}},
		{"unknown algorithm kept", `Digest realm="r", nonce="n", algorithm=AKAv1-MD5`,
			authWant{scheme: "Digest", realm: "r", nonce: "n", algorithm: "AKAv1-MD5"}},
		{"unquoted qop in a challenge", `Digest realm="r", nonce="n", qop=auth`,
			authWant{scheme: "Digest", realm: "r", nonce: "n", qop: "auth", qopOptions: []string{"auth"}}},
		{"qop options with spaces", `Digest realm="r", nonce="n", qop=" auth , auth-int "`,
			authWant{scheme: "Digest", realm: "r", nonce: "n", qop: " auth , auth-int ", qopOptions: []string{"auth", "auth-int"}}},
		{"largest nc", `Digest username="u", nc=FFFFFFFF`, authWant{scheme: "Digest", username: "u", nc: 1<<32 - 1, hasNC: true}},
		{"hex nc", `Digest username="u", nc=0000001a`, authWant{scheme: "Digest", username: "u", nc: 26, hasNC: true}},
		{"nc too long", `Digest username="u", nc=000000001`, authWant{scheme: "Digest", username: "u"}},
		{"nc not hex", `Digest username="u", nc=0000000g`, authWant{scheme: "Digest", username: "u"}},
		{"nc with a sign", `Digest username="u", nc=+0000001`, authWant{scheme: "Digest", username: "u"}},
		{"empty quoted value", `Digest realm="", nonce="n"`, authWant{scheme: "Digest", nonce: "n"}},
		{"unquoted value with visible characters", `Digest uri=sip:bob@example.com:5060;lr, nonce="n"`,
			authWant{scheme: "Digest", uri: "sip:bob@example.com:5060;lr", nonce: "n"}},
		{"param name case-insensitive", `Digest REALM="r", Nonce="n"`, authWant{scheme: "Digest", realm: "r", nonce: "n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := sip.ParseAuth(tt.in)
			if err != nil {
				t.Fatalf("ParseAuth(%q): %v", tt.in, err)
			}
			checkAuth(t, a, tt.want)
			again, err := sip.ParseAuth(a.String())
			if err != nil || again != a {
				t.Fatalf("String() %q does not parse back: %#v, %v", a.String(), again, err)
			}
		})
	}
}

func TestParseAuthInvalid(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"scheme only", "Digest"},
		{"scheme and whitespace", "Digest   "},
		{"param without =", "Digest realm"},
		{"param without value", "Digest realm="},
		{"param without value before a comma", `Digest realm=, nonce="n"`},
		{"unterminated quoted value", `Digest realm="r, nonce="n`},
		{"missing comma", `Digest realm="r" nonce="n"`},
		{"empty item", `Digest realm="r",, nonce="n"`},
		{"trailing comma", `Digest realm="r",`},
		{"leading comma", `Digest , realm="r"`},
		{"comma after the scheme", `Digest, realm="r"`},
		{"no name", `Digest ="r"`},
		{"quoted scheme", `"Digest" realm="r"`},
		{"quote inside a token value", `Digest realm=a"b"`},
		{"token68", "Basic dXNlcjpwYXNzd29yZA=="},
		{"junk after a value", `Digest realm="r" x`},
		{"two challenges", `Digest realm="a", nonce="1", Digest realm="b", nonce="2"`},
		{"scheme without params before the next", `Digest , Basic realm="r"`},
		{"non-ASCII unquoted value", "Digest realm=r\xc3\xa9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := sip.ParseAuth(tt.in)
			wantSyntaxError(t, err, a)
		})
	}
}

func TestHeaderAuth(t *testing.T) {
	type challenge struct{ scheme, realm, nonce string }
	tests := []struct {
		name string
		h    sip.Header
		get  func(sip.Header) ([]sip.Auth, error)
		want []challenge
		bad  bool
	}{
		{"one WWW-Authenticate", fieldsOf("WWW-Authenticate", `Digest realm="a", nonce="1"`), sip.Header.WWWAuthenticate,
			[]challenge{{"Digest", "a", "1"}}, false},
		{"rfc8760 one field per algorithm", fieldsOf(
			"WWW-Authenticate", `Digest realm="a", nonce="1", algorithm=SHA-256`,
			"Www-Authenticate", `Digest realm="a", nonce="2", algorithm=MD5`), sip.Header.WWWAuthenticate,
			[]challenge{{"Digest", "a", "1"}, {"Digest", "a", "2"}}, false},
		{"challenges combined in one field", fieldsOf("WWW-Authenticate",
			`Digest realm="a", nonce="1", algorithm=SHA-256, Digest realm="a", nonce="2", algorithm=MD5`), sip.Header.WWWAuthenticate,
			[]challenge{{"Digest", "a", "1"}, {"Digest", "a", "2"}}, false},
		{"mixed schemes in one field", fieldsOf("WWW-Authenticate", `Basic realm="x", Digest realm="y", nonce="z"`),
			sip.Header.WWWAuthenticate, []challenge{{"Basic", "x", ""}, {"Digest", "y", "z"}}, false},
		{"Proxy-Authenticate", fieldsOf("Proxy-Authenticate", `Digest realm="p", nonce="3"`), sip.Header.ProxyAuthenticate,
			[]challenge{{"Digest", "p", "3"}}, false},
		{"Authorization per realm", fieldsOf(
			"Authorization", `Digest username="u", realm="a", nonce="1", uri="sip:x", response="00"`,
			"Authorization", `Digest username="u", realm="b", nonce="2", uri="sip:x", response="00"`), sip.Header.Authorization,
			[]challenge{{"Digest", "a", "1"}, {"Digest", "b", "2"}}, false},
		{"Proxy-Authorization", fieldsOf("Proxy-Authorization", `Digest username="u", realm="p", nonce="4"`),
			sip.Header.ProxyAuthorization, []challenge{{"Digest", "p", "4"}}, false},
		{"absent", fieldsOf("Authorization", `Digest realm="a"`), sip.Header.WWWAuthenticate, nil, false},
		{"one bad field", fieldsOf("WWW-Authenticate", `Digest realm="a"`, "WWW-Authenticate", "Digest"),
			sip.Header.WWWAuthenticate, nil, true},
		{"bad second challenge", fieldsOf("Proxy-Authenticate", `Digest realm="a", Basic`),
			sip.Header.ProxyAuthenticate, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auths, err := tt.get(tt.h)
			if tt.bad {
				wantSyntaxError(t, err, auths)
				return
			}
			if err != nil || len(auths) != len(tt.want) {
				t.Fatalf("got %v, %v; want %v", auths, err, tt.want)
			}
			for i, a := range auths {
				if w := tt.want[i]; a.Scheme != w.scheme || a.Realm() != w.realm || a.Nonce() != w.nonce {
					t.Fatalf("auth %d = %#v; want %v", i, a, w)
				}
			}
		})
	}
	t.Run("combined challenges keep their own params", func(t *testing.T) {
		auths, err := fieldsOf("WWW-Authenticate", `Digest realm="a", nonce="1", algorithm=SHA-256 , Digest realm="a", nonce="2"`).WWWAuthenticate()
		if err != nil || len(auths) != 2 {
			t.Fatalf("WWWAuthenticate() = %v, %v", auths, err)
		}
		if auths[0].Params != `realm="a", nonce="1", algorithm=SHA-256` || auths[1].Params != `realm="a", nonce="2"` {
			t.Fatalf("params %q and %q", auths[0].Params, auths[1].Params)
		}
		if auths[0].Algorithm() != sip.DigestSHA256 || auths[1].Algorithm() != sip.DigestMD5 {
			t.Fatalf("algorithms %q and %q", auths[0].Algorithm(), auths[1].Algorithm())
		}
	})
	t.Run("error names the header", func(t *testing.T) {
		_, err := fieldsOf("Proxy-Authorization", "Digest").ProxyAuthorization()
		if err == nil || err.Error() != `sip: invalid Proxy-Authorization: "Digest"` {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestAuthParams(t *testing.T) {
	p := sip.AuthParams(`realm="a, b", nonce = "n" ,stale=true`)
	var names, values []string
	for n, v := range p.All() {
		names = append(names, n)
		values = append(values, v)
	}
	if !slices.Equal(names, []string{"realm", "nonce", "stale"}) || !slices.Equal(values, []string{`"a, b"`, `"n"`, "true"}) {
		t.Fatalf("All() = %q %q", names, values)
	}
	tests := []struct {
		name, get, value string
		present          bool
	}{
		{"quotes kept", "realm", `"a, b"`, true},
		{"case-insensitive", "NONCE", `"n"`, true},
		{"token", "stale", "true", true},
		{"absent", "opaque", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := p.Get(tt.get)
			if v != tt.value || ok != tt.present {
				t.Fatalf("Get(%q) = %q, %v; want %q, %v", tt.get, v, ok, tt.value, tt.present)
			}
		})
	}
	t.Run("With", func(t *testing.T) {
		q := p.With("opaque", sip.Quote("x")).With("Stale", "false")
		if want := sip.AuthParams(`realm="a, b", nonce="n", opaque="x", Stale=false`); q != want {
			t.Fatalf("With = %q; want %q", q, want)
		}
		if got := sip.AuthParams("").With("a", "1"); got != "a=1" {
			t.Fatalf("With on empty = %q", got)
		}
		a := sip.Auth{Scheme: "Digest", Params: q}
		back, err := sip.ParseAuth(a.String())
		if err != nil || back.Opaque() != "x" || back.Stale() || back.Realm() != "a, b" {
			t.Fatalf("built auth %q parses to %#v, %v", a.String(), back, err)
		}
	})
	t.Run("Is", func(t *testing.T) {
		a := sip.Auth{Scheme: "dIgEsT"}
		if !a.Is("Digest") || a.Is("Basic") {
			t.Fatal("Is is wrong")
		}
	})
}

func TestDigestAlgorithm(t *testing.T) {
	tests := []struct {
		in    sip.DigestAlgorithm
		known bool
		sess  bool
		base  sip.DigestAlgorithm
	}{
		{sip.DigestMD5, true, false, sip.DigestMD5},
		{sip.DigestMD5Sess, true, true, sip.DigestMD5},
		{sip.DigestSHA256, true, false, sip.DigestSHA256},
		{sip.DigestSHA256Sess, true, true, sip.DigestSHA256},
		{sip.DigestSHA512256, true, false, sip.DigestSHA512256},
		{sip.DigestSHA512256Sess, true, true, sip.DigestSHA512256},
		{"md5-SESS", true, true, sip.DigestMD5},
		{"sha-256", true, false, sip.DigestSHA256},
		{"AKAv1-MD5", false, false, "AKAv1-MD5"},
		{"SHA-1-sess", false, true, "SHA-1"},
		{"-sess", false, false, "-sess"},
		{"SHA-512", false, false, "SHA-512"},
	}
	for _, tt := range tests {
		t.Run(string(tt.in), func(t *testing.T) {
			if tt.in.Known() != tt.known || tt.in.Sess() != tt.sess || tt.in.Base() != tt.base {
				t.Fatalf("Known %v, Sess %v, Base %q; want %v, %v, %q",
					tt.in.Known(), tt.in.Sess(), tt.in.Base(), tt.known, tt.sess, tt.base)
			}
		})
	}
}

func TestDigestChallenge(t *testing.T) {
	tests := []struct {
		name string
		c    sip.DigestChallenge
		wire string
		want authWant
	}{
		{"minimal", sip.DigestChallenge{Realm: "atlanta.com", Nonce: "abc"},
			`Digest realm="atlanta.com", nonce="abc"`,
			authWant{scheme: "Digest", realm: "atlanta.com", nonce: "abc"}},
		{"everything", sip.DigestChallenge{
			Realm: "atlanta.com", Domain: []string{"sip:ss1.carrier.com", "sip:ss2.carrier.com"},
			Nonce: "f84f1cec41e6cbe5aea9c8e88d359", Opaque: "op", Stale: true, Algorithm: sip.DigestSHA256,
			QOP: []string{"auth", "auth-int"}, Params: "charset=UTF-8",
		},
			`Digest realm="atlanta.com", domain="sip:ss1.carrier.com sip:ss2.carrier.com", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="op", stale=true, algorithm=SHA-256, qop="auth,auth-int", charset=UTF-8`,
			authWant{scheme: "Digest", realm: "atlanta.com", domain: []string{"sip:ss1.carrier.com", "sip:ss2.carrier.com"},
				nonce: "f84f1cec41e6cbe5aea9c8e88d359", opaque: "op", stale: true, algorithm: sip.DigestSHA256,
				qop: "auth,auth-int", qopOptions: []string{"auth", "auth-int"}, extraName: "charset", extraValue: "UTF-8"}},
		{"session algorithm", sip.DigestChallenge{Realm: "r", Nonce: "n", Algorithm: sip.DigestSHA512256Sess, QOP: []string{"auth"}},
			`Digest realm="r", nonce="n", algorithm=SHA-512-256-sess, qop="auth"`,
			authWant{scheme: "Digest", realm: "r", nonce: "n", algorithm: sip.DigestSHA512256Sess, qop: "auth", qopOptions: []string{"auth"}}},
		{"realm needing escapes", sip.DigestChallenge{Realm: `a "b" \c`, Nonce: "n"},
			`Digest realm="a \"b\" \\c", nonce="n"`,
			authWant{scheme: "Digest", realm: `a "b" \c`, nonce: "n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.String(); got != tt.wire {
				t.Fatalf("String() =\n%s\nwant\n%s", got, tt.wire)
			}
			if got := string(tt.c.AppendTo([]byte("WWW-Authenticate: "))); got != "WWW-Authenticate: "+tt.wire {
				t.Fatalf("AppendTo = %q", got)
			}
			a, err := sip.ParseAuth(tt.wire)
			if err != nil {
				t.Fatal(err)
			}
			checkAuth(t, a, tt.want)
		})
	}
}

func TestDigestCredentials(t *testing.T) {
	tests := []struct {
		name string
		c    sip.DigestCredentials
		wire string
		want authWant
	}{
		{"without qop", sip.DigestCredentials{
			Username: "Alice", Realm: "atlanta.com", Nonce: "84a4cc6f3082121f32b42a2187831a9e",
			URI: "sip:bob@biloxi.com", Response: "7587245234b3434cc3412213e5f113a5432",
		},
			`Digest username="Alice", realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e", uri="sip:bob@biloxi.com", response="7587245234b3434cc3412213e5f113a5432"`,
			authWant{scheme: "Digest", username: "Alice", realm: "atlanta.com", nonce: "84a4cc6f3082121f32b42a2187831a9e",
				uri: "sip:bob@biloxi.com", response: "7587245234b3434cc3412213e5f113a5432"}},
		{"with qop", sip.DigestCredentials{
			Username: "bob", Realm: "biloxi.com", Nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", URI: "sip:bob@biloxi.com",
			Response: "6629fae49393a05397450978507c4ef1", Algorithm: sip.DigestMD5, CNonce: "0a4f113b",
			Opaque: "5ccc069c403ebaf9f0171e9517f40e41", QOP: "auth", NonceCount: 1,
		},
			`Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001`,
			authWant{scheme: "Digest", username: "bob", realm: "biloxi.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
				uri: "sip:bob@biloxi.com", response: "6629fae49393a05397450978507c4ef1", algorithm: sip.DigestMD5,
				cnonce: "0a4f113b", opaque: "5ccc069c403ebaf9f0171e9517f40e41", qop: "auth", qopOptions: []string{"auth"},
				nc: 1, hasNC: true}},
		{"largest nonce count", sip.DigestCredentials{Username: "u", Realm: "r", Nonce: "n", URI: "sip:r", Response: "0",
			Algorithm: sip.DigestSHA256Sess, CNonce: "c", QOP: "auth-int", NonceCount: 0xffffffff},
			`Digest username="u", realm="r", nonce="n", uri="sip:r", response="0", algorithm=SHA-256-sess, cnonce="c", qop=auth-int, nc=ffffffff`,
			authWant{scheme: "Digest", username: "u", realm: "r", nonce: "n", uri: "sip:r", response: "0",
				algorithm: sip.DigestSHA256Sess, cnonce: "c", qop: "auth-int", qopOptions: []string{"auth-int"}, nc: 0xffffffff, hasNC: true}},
		{"nc padding", sip.DigestCredentials{Username: "u", Realm: "r", Nonce: "n", URI: "sip:r", Response: "0",
			CNonce: "c", QOP: "auth", NonceCount: 0xabc, Params: `userhash=false`},
			`Digest username="u", realm="r", nonce="n", uri="sip:r", response="0", cnonce="c", qop=auth, nc=00000abc, userhash=false`,
			authWant{scheme: "Digest", username: "u", realm: "r", nonce: "n", uri: "sip:r", response: "0",
				cnonce: "c", qop: "auth", qopOptions: []string{"auth"}, nc: 0xabc, hasNC: true, extraName: "userhash", extraValue: "false"}},
		{"username needing escapes", sip.DigestCredentials{Username: `a"b`, Realm: "r", Nonce: "n", URI: "sip:r", Response: "0"},
			`Digest username="a\"b", realm="r", nonce="n", uri="sip:r", response="0"`,
			authWant{scheme: "Digest", username: `a"b`, realm: "r", nonce: "n", uri: "sip:r", response: "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.String(); got != tt.wire {
				t.Fatalf("String() =\n%s\nwant\n%s", got, tt.wire)
			}
			a, err := sip.ParseAuth(tt.wire)
			if err != nil {
				t.Fatal(err)
			}
			checkAuth(t, a, tt.want)
		})
	}
}
