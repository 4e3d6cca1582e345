package sip

import (
	"strings"
)

// NameAddr is the value of From, To, Contact, Route, Record-Route,
// Reply-To, Refer-To and Referred-By: an optional display name, a URI and
// header parameters (RFC 3261 §20.10, §20.20, §20.39).
type NameAddr struct {
	// DisplayName is as written: a quoted string with its quotes, or
	// tokens; "" when absent. [NameAddr.Name] decodes it.
	DisplayName string
	URI         URI
	Params      Params
}

// Tag returns the tag parameter.
func (n NameAddr) Tag() string { t, _ := n.Params.Get("tag"); return t }

// Name returns the display name without quotes and quoted-pair escapes.
func (n NameAddr) Name() string {
	d := n.DisplayName
	if len(d) < 2 || d[0] != '"' {
		return d
	}
	d = d[1 : len(d)-1]
	if strings.IndexByte(d, '\\') < 0 {
		return d
	}
	b := make([]byte, 0, len(d))
	for i := 0; i < len(d); i++ {
		if d[i] == '\\' && i+1 < len(d) {
			i++
		}
		b = append(b, d[i])
	}
	return string(b)
}

// String returns the value as text, the URI always in angle brackets.
func (n NameAddr) String() string { return string(n.AppendTo(nil)) }

// AppendTo appends the value's text to b.
func (n NameAddr) AppendTo(b []byte) []byte {
	if n.DisplayName != "" {
		b = append(b, n.DisplayName...)
		b = append(b, ' ')
	}
	b = append(b, '<')
	b = n.URI.AppendTo(b)
	b = append(b, '>')
	return append(b, n.Params...)
}

// ParseNameAddr parses a name-addr or addr-spec followed by header
// parameters. In the addr-spec form the URI may not contain ';', '?' or
// ',' (RFC 3261 §20): what follows ';' is header parameters.
func ParseNameAddr(s string) (NameAddr, error) {
	all := s
	bad := func() (NameAddr, error) { return NameAddr{}, syntaxErr("name-addr", all) }
	s = trimWS(s)
	var n NameAddr
	lt := -1
	switch {
	case strings.HasPrefix(s, "\""):
		end := quotedEnd(s)
		if end < 0 {
			return bad()
		}
		n.DisplayName = s[:end]
		s = skipWS(s[end:])
		if !strings.HasPrefix(s, "<") {
			return bad()
		}
		lt = 0
	default:
		lt = indexAngle(s)
		if lt >= 0 {
			n.DisplayName = trimWS(s[:lt])
			if !validTokens(n.DisplayName) {
				return bad()
			}
		}
	}
	var params string
	if lt >= 0 {
		s = s[lt+1:]
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			return bad()
		}
		uri, err := ParseURI(s[:gt])
		if err != nil {
			return bad()
		}
		n.URI, params = uri, s[gt+1:]
	} else {
		end := strings.IndexByte(s, ';')
		if end < 0 {
			end = len(s)
		}
		raw := trimWS(s[:end])
		if strings.ContainsAny(raw, "?, ") {
			return bad()
		}
		uri, err := ParseURI(raw)
		if err != nil {
			return bad()
		}
		n.URI, params = uri, s[end:]
	}
	if !validHeaderParams(params) {
		return bad()
	}
	n.Params = Params(params)
	return n, nil
}

// indexAngle returns the index of the first '<' in s outside quoted
// strings (an addr-spec's parameter values may hold one), or -1.
func indexAngle(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			return i
		case '"':
			e := quotedEnd(s[i:])
			if e < 0 {
				return -1
			}
			i += e - 1
		}
	}
	return -1
}

// validTokens checks an unquoted display name: tokens separated by
// whitespace.
func validTokens(s string) bool {
	for i := 0; i < len(s); i++ {
		if !is(s[i], cToken) && !isWS(s[i]) {
			return false
		}
	}
	return true
}

func (h Header) nameAddr(name string) (NameAddr, error) {
	return parseFirst(h, name, ParseNameAddr)
}

// From returns the From header.
func (h Header) From() (NameAddr, error) { return h.nameAddr(HeaderFrom) }

// To returns the To header.
func (h Header) To() (NameAddr, error) { return h.nameAddr(HeaderTo) }

// nameAddrs parses every item of the fields named name.
func (h Header) nameAddrs(name string) ([]NameAddr, error) {
	var out []NameAddr
	for item := range h.Items(name) {
		n, err := ParseNameAddr(item)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Contacts returns the Contact values in order. star reports a "Contact: *"
// (RFC 3261 §10.2.2), which has no values.
func (h Header) Contacts() (contacts []NameAddr, star bool, err error) {
	for item := range h.Items(HeaderContact) {
		if item == "*" {
			return nil, true, nil
		}
	}
	contacts, err = h.nameAddrs(HeaderContact)
	return contacts, false, err
}

// Routes returns the Route values in order.
func (h Header) Routes() ([]NameAddr, error) { return h.nameAddrs(HeaderRoute) }

// RecordRoutes returns the Record-Route values in order.
func (h Header) RecordRoutes() ([]NameAddr, error) { return h.nameAddrs(HeaderRecordRoute) }
