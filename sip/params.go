package sip

import (
	"iter"
	"strings"
)

// Params is a parameter list as written: ";name=value;flag...", for URIs
// and for header fields. Lookups are case-insensitive on names and
// tolerate the whitespace RFC 3261 allows around ';' and '='.
type Params string

// Get returns the value of the parameter name (quotes kept) and whether it
// is present; a flag parameter has the value "".
func (p Params) Get(name string) (string, bool) {
	for n, v := range p.All() {
		if equalFold(n, name) {
			return v, true
		}
	}
	return "", false
}

// Has reports whether the parameter name is present.
func (p Params) Has(name string) bool {
	_, ok := p.Get(name)
	return ok
}

// All iterates over the parameters in order as (name, value).
func (p Params) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		s := string(p)
		for s != "" {
			s = skipWS(s)
			if s == "" || s[0] != ';' {
				return
			}
			s = s[1:]
			end := indexOutsideQuotes(s, ';')
			if end < 0 {
				end = len(s)
			}
			item := s[:end]
			s = s[end:]
			name, value := item, ""
			if eq := strings.IndexByte(item, '='); eq >= 0 {
				name, value = item[:eq], trimWS(item[eq+1:])
			}
			if !yield(trimWS(name), value) {
				return
			}
		}
	}
}

// With returns p with the parameter name set to value (replacing an
// existing one); an empty value makes a flag parameter.
func (p Params) With(name, value string) Params {
	var b strings.Builder
	for n, v := range p.All() {
		if equalFold(n, name) {
			continue
		}
		writeParam(&b, n, v)
	}
	writeParam(&b, name, value)
	return Params(b.String())
}

// Without returns p without the parameter name.
func (p Params) Without(name string) Params {
	if !p.Has(name) {
		return p
	}
	var b strings.Builder
	for n, v := range p.All() {
		if !equalFold(n, name) {
			writeParam(&b, n, v)
		}
	}
	return Params(b.String())
}

func writeParam(b *strings.Builder, name, value string) {
	b.WriteByte(';')
	b.WriteString(name)
	if value != "" {
		b.WriteByte('=')
		b.WriteString(value)
	}
}

// validHeaderParams checks a header's generic-param list (RFC 3261 §25.1:
// token [ "=" ( token / host / quoted-string ) ], with whitespace around
// ';' and '='). Empty parameters (";;") and empty values are invalid.
func validHeaderParams(p string) bool {
	s := p
	for s != "" {
		s = skipWS(s)
		if s == "" {
			return true
		}
		if s[0] != ';' {
			return false
		}
		s = skipWS(s[1:])
		i := 0
		for i < len(s) && is(s[i], cToken) {
			i++
		}
		if i == 0 {
			return false
		}
		s = skipWS(s[i:])
		if s == "" || s[0] != '=' {
			continue
		}
		s = skipWS(s[1:])
		if s != "" && s[0] == '"' {
			e := quotedEnd(s)
			if e < 0 {
				return false
			}
			s = s[e:]
			continue
		}
		// token / host / quoted-string; liberally, any run of visible
		// characters other than separators (real peers put '@' in
		// branches and ip:port:id in received).
		i = 0
		for i < len(s) && s[i] > ' ' && s[i] < 0x7f && s[i] != ';' && s[i] != ',' && s[i] != '"' && s[i] != '=' {
			i++
		}
		if i == 0 {
			return false
		}
		s = s[i:]
	}
	return true
}
