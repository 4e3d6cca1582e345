package sip

import (
	"iter"
	"strconv"
	"strings"
)

// Auth is a challenge (WWW-Authenticate, Proxy-Authenticate) or
// credentials (Authorization, Proxy-Authorization): an auth scheme and
// its auth-params (RFC 3261 §22.4, §25.1; RFC 8760). The accessors read
// the Digest parameters; [DigestChallenge] and [DigestCredentials] build
// them.
type Auth struct {
	// Scheme is the auth scheme as written, "Digest" for RFC 3261
	// authentication; see [Auth.Is].
	Scheme string
	Params AuthParams
}

// AuthParams is an auth-param list as written, comma-separated:
//
//	realm="atlanta.com", nonce="84a4cc6f3082121f32b42a2187831a9e", algorithm=SHA-256
//
// Values are tokens or quoted strings; [Auth.Param] unquotes them.
type AuthParams string

// DigestAlgorithm is the algorithm of a Digest challenge or credentials
// (RFC 3261 §25.1, RFC 8760). Names are case-insensitive;
// [Auth.Algorithm] returns the constants below for any spelling of them.
type DigestAlgorithm string

// Digest algorithms.
const (
	DigestMD5           DigestAlgorithm = "MD5"
	DigestMD5Sess       DigestAlgorithm = "MD5-sess"
	DigestSHA256        DigestAlgorithm = "SHA-256"
	DigestSHA256Sess    DigestAlgorithm = "SHA-256-sess"
	DigestSHA512256     DigestAlgorithm = "SHA-512-256"
	DigestSHA512256Sess DigestAlgorithm = "SHA-512-256-sess"
)

// canonical returns the constant a spells, or a as it is.
func (a DigestAlgorithm) canonical() DigestAlgorithm {
	for _, k := range [...]DigestAlgorithm{
		DigestMD5, DigestMD5Sess, DigestSHA256, DigestSHA256Sess, DigestSHA512256, DigestSHA512256Sess,
	} {
		if equalFold(string(a), string(k)) {
			return k
		}
	}
	return a
}

// Known reports whether a is one of the algorithms above, in any case.
func (a DigestAlgorithm) Known() bool {
	switch a.canonical() {
	case DigestMD5, DigestMD5Sess, DigestSHA256, DigestSHA256Sess, DigestSHA512256, DigestSHA512256Sess:
		return true
	}
	return false
}

// Sess reports whether a is a session variant ("-sess"), whose HA1 also
// hashes the nonce and cnonce.
func (a DigestAlgorithm) Sess() bool {
	const suffix = "-sess"
	return len(a) > len(suffix) && equalFold(string(a[len(a)-len(suffix):]), suffix)
}

// Base returns the hash algorithm of a: a without "-sess", as one of the
// constants if it is known.
func (a DigestAlgorithm) Base() DigestAlgorithm {
	if a.Sess() {
		a = a[:len(a)-len("-sess")]
	}
	return a.canonical()
}

// ParseAuth parses a value holding one challenge or one set of
// credentials: auth-scheme LWS auth-param *(COMMA auth-param).
func ParseAuth(s string) (Auth, error) {
	a, rest, ok := nextAuth(trimWS(s))
	if !ok || rest != "" {
		return Auth{}, syntaxErr("auth", s)
	}
	return a, nil
}

// appendAuths parses a header value holding one or more challenges or
// credentials, as [nextAuth] splits them.
func appendAuths(dst []Auth, v, what string) ([]Auth, error) {
	for s := trimWS(v); ; {
		a, rest, ok := nextAuth(s)
		if !ok {
			return nil, syntaxErr(what, v)
		}
		dst = append(dst, a)
		if rest == "" {
			return dst, nil
		}
		s = rest
	}
}

// nextAuth parses the challenge or credentials that s (without trailing
// whitespace) starts with. A comma followed by a token, whitespace and
// something other than "=" starts the next one, which rest holds.
func nextAuth(s string) (a Auth, rest string, ok bool) {
	scheme, r := token(s)
	if scheme == "" || r == "" || !isWS(r[0]) {
		return Auth{}, "", false
	}
	params := skipWS(r)
	for p := params; ; {
		_, _, after, ok := nextAuthParam(p)
		if !ok || after != "" && after[0] != ',' {
			return Auth{}, "", false
		}
		if after == "" {
			return Auth{Scheme: scheme, Params: AuthParams(params)}, "", true
		}
		next := skipWS(after[1:])
		if startsAuth(next) {
			return Auth{Scheme: scheme, Params: AuthParams(trimWS(params[:len(params)-len(after)]))}, next, true
		}
		p = next
	}
}

// startsAuth reports whether s starts with an auth scheme: a token
// followed by whitespace and something other than "=".
func startsAuth(s string) bool {
	tok, rest := token(s)
	return tok != "" && rest != "" && isWS(rest[0]) && !strings.HasPrefix(skipWS(rest), "=")
}

// nextAuthParam splits the auth-param s starts with (token SWS "=" SWS
// (token / quoted-string)) off s; rest starts after the value and its
// trailing whitespace. Unquoted values are taken liberally: any run of
// visible characters other than ',', '"' and '='.
func nextAuthParam(s string) (name, value, rest string, ok bool) {
	name, s = token(s)
	s = skipWS(s)
	if name == "" || s == "" || s[0] != '=' {
		return "", "", "", false
	}
	s = skipWS(s[1:])
	if s != "" && s[0] == '"' {
		e := quotedEnd(s)
		if e < 0 {
			return "", "", "", false
		}
		return name, s[:e], skipWS(s[e:]), true
	}
	i := 0
	for i < len(s) && s[i] > ' ' && s[i] < 0x7f && s[i] != ',' && s[i] != '"' && s[i] != '=' {
		i++
	}
	if i == 0 {
		return "", "", "", false
	}
	return name, s[:i], skipWS(s[i:]), true
}

// All iterates over the parameters in order as (name, value), values as
// written (quotes kept).
func (p AuthParams) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		s := string(p)
		for {
			name, value, rest, ok := nextAuthParam(s)
			if !ok || !yield(name, value) || rest == "" || rest[0] != ',' {
				return
			}
			s = rest[1:]
		}
	}
}

// Get returns the value of the parameter name as written (quotes kept)
// and whether it is present; names are case-insensitive.
func (p AuthParams) Get(name string) (string, bool) {
	for n, v := range p.All() {
		if equalFold(n, name) {
			return v, true
		}
	}
	return "", false
}

// With returns p with the parameter name set to value, written as given
// (use [Quote] for a quoted-string), replacing an existing one.
func (p AuthParams) With(name, value string) AuthParams {
	var b []byte
	for n, v := range p.All() {
		if !equalFold(n, name) {
			b = appendAuthParam(b, n, v)
		}
	}
	return AuthParams(appendAuthParam(b, name, value))
}

func appendAuthParam(b []byte, name, value string) []byte {
	if len(b) > 0 {
		b = append(b, ", "...)
	}
	b = append(b, name...)
	b = append(b, '=')
	return append(b, value...)
}

// paramWriter writes a comma-separated auth-param list after a scheme.
type paramWriter struct {
	b     []byte
	first bool
}

func newParamWriter(b []byte, scheme string) paramWriter {
	b = append(b, scheme...)
	return paramWriter{b: append(b, ' '), first: true}
}

func (w *paramWriter) name(name string) {
	if !w.first {
		w.b = append(w.b, ", "...)
	}
	w.first = false
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
}

// token writes name=value.
func (w *paramWriter) token(name, value string) {
	w.name(name)
	w.b = append(w.b, value...)
}

// quoted writes name="value".
func (w *paramWriter) quoted(name, value string) {
	w.name(name)
	w.b = AppendQuoted(w.b, value)
}

// rest writes a further parameter list as written.
func (w *paramWriter) rest(p AuthParams) {
	if p != "" {
		if !w.first {
			w.b = append(w.b, ", "...)
		}
		w.b = append(w.b, p...)
	}
}

// Is reports whether the scheme is scheme, case-insensitively.
func (a Auth) Is(scheme string) bool { return equalFold(a.Scheme, scheme) }

// Param returns the value of the parameter name without quotes and
// escapes, or "".
func (a Auth) Param(name string) string {
	v, _ := a.Params.Get(name)
	return unquote(v)
}

// Realm returns the realm parameter.
func (a Auth) Realm() string { return a.Param("realm") }

// Nonce returns the nonce parameter.
func (a Auth) Nonce() string { return a.Param("nonce") }

// Opaque returns the opaque parameter.
func (a Auth) Opaque() string { return a.Param("opaque") }

// Username returns the username parameter of credentials.
func (a Auth) Username() string { return a.Param("username") }

// URI returns the uri parameter of credentials (the digest-uri, as
// written).
func (a Auth) URI() string { return a.Param("uri") }

// Response returns the response parameter of credentials: the request
// digest in lower-case hex.
func (a Auth) Response() string { return a.Param("response") }

// CNonce returns the cnonce parameter of credentials.
func (a Auth) CNonce() string { return a.Param("cnonce") }

// QOP returns the qop parameter of credentials: the quality of protection
// chosen ("auth", "auth-int"), or "".
func (a Auth) QOP() string { return a.Param("qop") }

// NonceCount returns the nc parameter of credentials (8LHEX) and whether
// it is present and well-formed.
func (a Auth) NonceCount() (uint32, bool) {
	v := a.Param("nc")
	if v == "" || len(v) > 8 {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 16, 32)
	return uint32(n), err == nil
}

// Algorithm returns the algorithm parameter, as one of the Digest*
// constants when it names one in any case; [DigestMD5] when it is absent
// (RFC 3261 §25.1: MD5 is then assumed).
func (a Auth) Algorithm() DigestAlgorithm {
	v, ok := a.Params.Get("algorithm")
	if !ok {
		return DigestMD5
	}
	return DigestAlgorithm(unquote(v)).canonical()
}

// QOPOptions returns the qop-options of a challenge: the qualities of
// protection the server offers ("auth", "auth-int"), or none.
func (a Auth) QOPOptions() []string {
	var out []string
	for o := range strings.SplitSeq(a.Param("qop"), ",") {
		if o = trimWS(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// Stale reports whether a challenge has stale=true: the credentials were
// right and only the nonce was too old.
func (a Auth) Stale() bool { return equalFold(a.Param("stale"), "true") }

// Domain returns the URIs of a challenge's domain parameter (the
// protection space), or none.
func (a Auth) Domain() []string { return strings.Fields(a.Param("domain")) }

// String returns the value as text.
func (a Auth) String() string { return string(a.AppendTo(nil)) }

// AppendTo appends the value's text, "scheme params", to b.
func (a Auth) AppendTo(b []byte) []byte {
	b = append(b, a.Scheme...)
	b = append(b, ' ')
	return append(b, a.Params...)
}

func (h Header) auths(name string) ([]Auth, error) {
	var out []Auth
	for v := range h.Values(name) {
		var err error
		if out, err = appendAuths(out, v, CanonicalName(name)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WWWAuthenticate returns the challenges of the WWW-Authenticate header
// fields, in order (RFC 8760: a server may offer one per algorithm, in
// its order of preference).
func (h Header) WWWAuthenticate() ([]Auth, error) { return h.auths(HeaderWWWAuthenticate) }

// ProxyAuthenticate returns the challenges of the Proxy-Authenticate
// header fields, in order.
func (h Header) ProxyAuthenticate() ([]Auth, error) { return h.auths(HeaderProxyAuthenticate) }

// Authorization returns the credentials of the Authorization header
// fields, in order (one per realm).
func (h Header) Authorization() ([]Auth, error) { return h.auths(HeaderAuthorization) }

// ProxyAuthorization returns the credentials of the Proxy-Authorization
// header fields, in order.
func (h Header) ProxyAuthorization() ([]Auth, error) { return h.auths(HeaderProxyAuthorization) }

// DigestChallenge is a Digest challenge to send in WWW-Authenticate or
// Proxy-Authenticate (RFC 3261 §22.4, RFC 8760).
type DigestChallenge struct {
	Realm string
	// Domain lists the URIs of the protection space; omitted when empty.
	Domain []string
	Nonce  string
	// Opaque is omitted when empty.
	Opaque string
	// Stale is written only when true.
	Stale bool
	// Algorithm is omitted when empty (the client then assumes MD5).
	Algorithm DigestAlgorithm
	// QOP lists the qop-options ("auth", "auth-int"); omitted when empty.
	QOP []string
	// Params are further auth-params, appended as written.
	Params AuthParams
}

// String returns the header value.
func (c DigestChallenge) String() string { return string(c.AppendTo(nil)) }

// AppendTo appends the header value to b:
//
//	Digest realm="atlanta.com", nonce="...", algorithm=SHA-256, qop="auth"
func (c DigestChallenge) AppendTo(b []byte) []byte {
	w := newParamWriter(b, "Digest")
	w.quoted("realm", c.Realm)
	if len(c.Domain) > 0 {
		w.quoted("domain", strings.Join(c.Domain, " "))
	}
	w.quoted("nonce", c.Nonce)
	if c.Opaque != "" {
		w.quoted("opaque", c.Opaque)
	}
	if c.Stale {
		w.token("stale", "true")
	}
	if c.Algorithm != "" {
		w.token("algorithm", string(c.Algorithm))
	}
	if len(c.QOP) > 0 {
		w.quoted("qop", strings.Join(c.QOP, ","))
	}
	w.rest(c.Params)
	return w.b
}

// DigestCredentials are Digest credentials to send in Authorization or
// Proxy-Authorization (RFC 3261 §22.4, RFC 8760).
type DigestCredentials struct {
	Username string
	Realm    string
	Nonce    string
	// URI is the digest-uri: the Request-URI.
	URI string
	// Response is the request digest in lower-case hex.
	Response string
	// Algorithm is omitted when empty (MD5 is then assumed).
	Algorithm DigestAlgorithm
	// CNonce is omitted when empty.
	CNonce string
	// Opaque, echoed from the challenge, is omitted when empty.
	Opaque string
	// QOP is the quality of protection chosen, omitted when empty; nc is
	// written with it.
	QOP string
	// NonceCount is written as nc, in 8 hex digits, when QOP is set.
	NonceCount uint32
	// Params are further auth-params, appended as written.
	Params AuthParams
}

// String returns the header value.
func (c DigestCredentials) String() string { return string(c.AppendTo(nil)) }

// AppendTo appends the header value to b:
//
//	Digest username="bob", realm="atlanta.com", nonce="...", uri="sip:bob@biloxi.com", response="..."
func (c DigestCredentials) AppendTo(b []byte) []byte {
	w := newParamWriter(b, "Digest")
	w.quoted("username", c.Username)
	w.quoted("realm", c.Realm)
	w.quoted("nonce", c.Nonce)
	w.quoted("uri", c.URI)
	w.quoted("response", c.Response)
	if c.Algorithm != "" {
		w.token("algorithm", string(c.Algorithm))
	}
	if c.CNonce != "" {
		w.quoted("cnonce", c.CNonce)
	}
	if c.Opaque != "" {
		w.quoted("opaque", c.Opaque)
	}
	if c.QOP != "" {
		w.token("qop", c.QOP)
		w.name("nc")
		var buf [8]byte
		hex := strconv.AppendUint(buf[:0], uint64(c.NonceCount), 16)
		w.b = append(w.b, "00000000"[len(hex):]...)
		w.b = append(w.b, hex...)
	}
	w.rest(c.Params)
	return w.b
}
