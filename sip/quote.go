package sip

import "strings"

// Quote returns s as a quoted-string (RFC 3261 §25.1): in double quotes,
// with '"', '\' and control characters escaped as quoted-pairs. CR and LF,
// which a quoted string cannot hold even escaped, become spaces.
func Quote(s string) string { return string(AppendQuoted(make([]byte, 0, len(s)+2), s)) }

// AppendQuoted appends s to b as a quoted-string, as [Quote] does.
func AppendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r' || c == '\n':
			b = append(b, ' ')
		case c == '"' || c == '\\' || c < ' ' && c != '\t' || c == 0x7f:
			b = append(b, '\\', c)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// Unquote returns the content of the quoted-string s with its quoted-pairs
// undone. s must be exactly one quoted string, surrounding whitespace
// aside; the result is a view into s unless s holds escapes.
func Unquote(s string) (string, error) {
	t := trimWS(s)
	if t == "" || t[0] != '"' || quotedEnd(t) != len(t) {
		return "", syntaxErr("quoted string", s)
	}
	return unquote(t), nil
}

// unquote returns a value that is a token or a well-formed quoted string
// without its quotes and escapes; other values are returned as they are.
func unquote(v string) string {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v
	}
	v = v[1 : len(v)-1]
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b = append(b, v[i])
	}
	return string(b)
}
