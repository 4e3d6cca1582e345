package sip

import (
	"strconv"
	"strings"
)

// URI is a SIP or SIPS URI (RFC 3261 §19.1), a tel URI (RFC 3966), or
// another absolute URI kept opaque. Fields hold the text as written
// (escapes included); [Unescape] decodes them.
type URI struct {
	// Scheme is "sip", "sips" or "tel" in lower case, or another scheme as
	// written.
	Scheme string
	// User is the user part; for tel, the telephone number.
	User     string
	Password string
	// Host is the host as written; an IPv6 reference keeps its brackets.
	Host string
	// Port is 0 when absent.
	Port int
	// Params are the URI parameters.
	Params Params
	// Headers is the header part after '?', as written.
	Headers string
	// Opaque is everything after "scheme:" for a URI that is not sip,
	// sips or tel.
	Opaque string
}

// ParseURI parses a URI.
func ParseURI(s string) (URI, error) {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || !validScheme(s[:colon]) {
		return URI{}, syntaxErr("URI", s)
	}
	scheme, rest := s[:colon], s[colon+1:]
	switch {
	case equalFold(scheme, "sip"):
		return parseSIPURI("sip", rest, s)
	case equalFold(scheme, "sips"):
		return parseSIPURI("sips", rest, s)
	case equalFold(scheme, "tel"):
		return parseTelURI(rest, s)
	}
	if rest == "" || !validOpaque(rest) {
		return URI{}, syntaxErr("URI", s)
	}
	return URI{Scheme: scheme, Opaque: rest}, nil
}

func validScheme(s string) bool {
	c := s[0] | 0x20
	if c < 'a' || c > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !is(s[i], cScheme) {
			return false
		}
	}
	return true
}

// validOpaque checks the characters of an absolute URI's rest: no
// whitespace, controls, quotes or angle brackets.
func validOpaque(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' {
			return false
		}
	}
	return true
}

func parseSIPURI(scheme, s, all string) (URI, error) {
	u := URI{Scheme: scheme}
	if at := strings.IndexByte(s, '@'); at >= 0 {
		userinfo := s[:at]
		s = s[at+1:]
		u.User = userinfo
		if c := strings.IndexByte(userinfo, ':'); c >= 0 {
			u.User, u.Password = userinfo[:c], userinfo[c+1:]
			if !validEscaped(u.Password, cUnres|cPassword) {
				return URI{}, syntaxErr("URI", all)
			}
		}
		if u.User == "" || !validEscaped(u.User, cUnres|cUserUnres) {
			return URI{}, syntaxErr("URI", all)
		}
	}
	if q := strings.IndexByte(s, '?'); q >= 0 {
		u.Headers = s[q+1:]
		s = s[:q]
		if !validURIHeaders(u.Headers) {
			return URI{}, syntaxErr("URI", all)
		}
	}
	if semi := strings.IndexByte(s, ';'); semi >= 0 {
		u.Params = Params(s[semi:])
		s = s[:semi]
		if !validURIParams(string(u.Params)) {
			return URI{}, syntaxErr("URI", all)
		}
	}
	host, port, ok := splitHostPort(s)
	if !ok {
		return URI{}, syntaxErr("URI", all)
	}
	u.Host, u.Port = host, port
	return u, nil
}

// splitHostPort splits "host[:port]", checking the host's characters and
// IPv6 brackets.
func splitHostPort(s string) (host string, port int, ok bool) {
	host, rest := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", 0, false
		}
		host, rest = s[:end+1], s[end+1:]
		colon := false
		for i := 1; i < end; i++ {
			if c := s[i]; !isHex(c) && c != ':' && c != '.' {
				return "", 0, false
			}
			colon = colon || s[i] == ':'
		}
		if !colon {
			return "", 0, false // "[]" or "[192.0.2.1]": not an IPv6 address
		}
	} else {
		if c := strings.IndexByte(s, ':'); c >= 0 {
			host, rest = s[:c], s[c:]
		}
		for i := 0; i < len(host); i++ {
			if c := host[i]; !is(c, cHost) || c == ':' || c == '[' || c == ']' {
				return "", 0, false
			}
		}
	}
	if host == "" {
		return "", 0, false
	}
	if rest != "" {
		if rest[0] != ':' {
			return "", 0, false
		}
		n, ok := atoi(rest[1:], 65535)
		if !ok {
			return "", 0, false
		}
		port = int(n)
	}
	return host, port, true
}

func validURIParams(p string) bool {
	for p != "" {
		p = p[1:] // the ';'
		end := strings.IndexByte(p, ';')
		if end < 0 {
			end = len(p)
		}
		item := p[:end]
		p = p[end:]
		name, value := item, ""
		hasValue := false
		if eq := strings.IndexByte(item, '='); eq >= 0 {
			name, value, hasValue = item[:eq], item[eq+1:], true
		}
		if name == "" || !validEscaped(name, cUnres|cParamUnres) ||
			hasValue && (value == "" || !validEscaped(value, cUnres|cParamUnres)) {
			return false
		}
	}
	return true
}

func validURIHeaders(h string) bool {
	for _, item := range strings.Split(h, "&") {
		name, value, _ := strings.Cut(item, "=")
		if name == "" || !validEscaped(name, cUnres|cHnvUnres) || !validEscaped(value, cUnres|cHnvUnres) {
			return false
		}
	}
	return true
}

func parseTelURI(s, all string) (URI, error) {
	u := URI{Scheme: "tel", User: s}
	if semi := strings.IndexByte(s, ';'); semi >= 0 {
		u.User, u.Params = s[:semi], Params(s[semi:])
		if !validURIParams(string(u.Params)) {
			return URI{}, syntaxErr("URI", all)
		}
	}
	if u.User == "" || !validOpaque(u.User) {
		return URI{}, syntaxErr("URI", all)
	}
	return u, nil
}

// IsSIP reports whether u is a sip or sips URI.
func (u URI) IsSIP() bool { return u.Scheme == "sip" || u.Scheme == "sips" }

// Hostname returns the host without IPv6 brackets.
func (u URI) Hostname() string { return unbracket(u.Host) }

// unbracket removes the brackets of an IPv6 reference.
func unbracket(host string) string {
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// String returns the URI as text.
func (u URI) String() string { return string(u.AppendTo(nil)) }

// AppendTo appends the URI's text to b.
func (u URI) AppendTo(b []byte) []byte {
	b = append(b, u.Scheme...)
	b = append(b, ':')
	switch {
	case u.Scheme == "tel":
		b = append(b, u.User...)
	case !u.IsSIP():
		return append(b, u.Opaque...)
	default:
		if u.User != "" {
			b = append(b, u.User...)
			if u.Password != "" {
				b = append(b, ':')
				b = append(b, u.Password...)
			}
			b = append(b, '@')
		}
		b = appendHostPort(b, u.Host, u.Port)
	}
	b = append(b, u.Params...)
	if u.Headers != "" {
		b = append(b, '?')
		b = append(b, u.Headers...)
	}
	return b
}

// appendHostPort appends "host[:port]" (no port when it is 0).
func appendHostPort(b []byte, host string, port int) []byte {
	b = append(b, host...)
	if port != 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(port), 10)
	}
	return b
}

// Equal compares two URIs by the rules of RFC 3261 §19.1.4: user and
// password case-sensitively after unescaping (an escaped reserved
// character stays distinct from the character), host case-insensitively, a
// port or one of the parameters user, ttl, method, maddr and transport
// present in one only makes them differ, other parameters are compared
// only when both have them, and headers must all match. Non-SIP URIs are
// equal when their schemes match case-insensitively and the rest is
// identical.
func (u URI) Equal(v URI) bool {
	if !equalFold(u.Scheme, v.Scheme) {
		return false
	}
	if !u.IsSIP() {
		return u.User == v.User && u.Opaque == v.Opaque && u.Params == v.Params
	}
	if !unescapedEqual(u.User, v.User) || !unescapedEqual(u.Password, v.Password) ||
		!equalFold(u.Host, v.Host) || u.Port != v.Port {
		return false
	}
	for _, name := range [...]string{"user", "ttl", "method", "maddr", "transport"} {
		a, okA := u.Params.Get(name)
		b, okB := v.Params.Get(name)
		if okA != okB || !unescapedEqualFold(a, b) {
			return false
		}
	}
	for name := range u.Params.All() {
		// A repeated parameter counts by its first value, as Get gives.
		a, _ := u.Params.Get(name)
		if b, ok := v.Params.Get(name); ok && !unescapedEqualFold(a, b) {
			return false
		}
	}
	return headersEqual(u.Headers, v.Headers) && headersEqual(v.Headers, u.Headers)
}

func unescapedEqual(a, b string) bool { return componentsEqual(a, b, false) }

func unescapedEqualFold(a, b string) bool { return componentsEqual(a, b, true) }

// componentsEqual compares URI components escape by escape: an escaped
// character equals itself unescaped unless it is reserved (RFC 3261
// §19.1.4, RFC 2396 §2.2: "%3B" is not ";"). fold compares ASCII letters
// case-insensitively. A malformed escape equals nothing.
func componentsEqual(a, b string, fold bool) bool {
	for a != "" && b != "" {
		x, escX, n := uriChar(a)
		y, escY, m := uriChar(b)
		if n == 0 || m == 0 || escX != escY || x != y && (!fold || lowerASCII(x) != lowerASCII(y)) {
			return false
		}
		a, b = a[n:], b[m:]
	}
	return a == "" && b == ""
}

// uriChar decodes the character s starts with: c, whether it is an escaped
// reserved character, and its length (0 for a malformed escape).
func uriChar(s string) (c byte, reserved bool, n int) {
	if s[0] != '%' {
		return s[0], false, 1
	}
	if len(s) < 3 || !isHex(s[1]) || !isHex(s[2]) {
		return 0, false, 0
	}
	c = unhex(s[1])<<4 | unhex(s[2])
	return c, strings.IndexByte(";/?:@&=+$,", c) >= 0, 3
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

// headersEqual reports whether every header of a is in b with an equal
// value (names case-insensitive, values case-sensitive after unescaping).
func headersEqual(a, b string) bool {
	if a == "" {
		return true
	}
	for _, item := range strings.Split(a, "&") {
		name, value, _ := strings.Cut(item, "=")
		found := false
		for _, other := range strings.Split(b, "&") {
			n, v, _ := strings.Cut(other, "=")
			if unescapedEqualFold(name, n) && unescapedEqual(value, v) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
