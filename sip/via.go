package sip

import "strings"

// Via is one via-parm of a Via header (RFC 3261 §20.42).
type Via struct {
	// Protocol is the protocol name and version, "SIP/2.0".
	Protocol string
	// Transport is the transport as written: UDP, TCP, TLS, SCTP, WS, WSS
	// or an extension.
	Transport string
	// Host is the sent-by host; an IPv6 reference keeps its brackets.
	Host string
	// Port is 0 when absent.
	Port   int
	Params Params
}

// MagicCookie starts every RFC 3261 branch (§8.1.1.7).
const MagicCookie = "z9hG4bK"

// Branch returns the branch parameter.
func (v Via) Branch() string { b, _ := v.Params.Get("branch"); return b }

// Received returns the received parameter (RFC 3261 §18.2.1).
func (v Via) Received() string { r, _ := v.Params.Get("received"); return r }

// RPort returns the rport parameter (RFC 3581): present reports whether
// it is there at all, and port is its value (0 for a bare "rport").
func (v Via) RPort() (port int, present bool) {
	s, ok := v.Params.Get("rport")
	if !ok {
		return 0, false
	}
	n, _ := atoi(s, 65535)
	return int(n), true
}

// Hostname returns the sent-by host without IPv6 brackets.
func (v Via) Hostname() string { return unbracket(v.Host) }

// MAddr returns the maddr parameter.
func (v Via) MAddr() string { m, _ := v.Params.Get("maddr"); return m }

// String returns the via-parm as text.
func (v Via) String() string { return string(v.AppendTo(nil)) }

// AppendTo appends the via-parm's text to b.
func (v Via) AppendTo(b []byte) []byte {
	b = append(b, v.Protocol...)
	b = append(b, '/')
	b = append(b, v.Transport...)
	b = append(b, ' ')
	b = appendHostPort(b, v.Host, v.Port)
	return append(b, v.Params...)
}

// ParseVia parses one via-parm (an item of a Via header).
func ParseVia(s string) (Via, error) {
	all := s
	bad := func() (Via, error) { return Via{}, syntaxErr("Via", all) }
	name, s := token(trimWS(s))
	s, ok := slash(s)
	if name == "" || !ok {
		return bad()
	}
	version, s := token(s)
	s, ok = slash(s)
	if version == "" || !ok {
		return bad()
	}
	transport, s := token(s)
	if transport == "" || s == "" || !isWS(s[0]) {
		return bad()
	}
	s = skipWS(s)
	end := 0
	if strings.HasPrefix(s, "[") {
		end = strings.IndexByte(s, ']') + 1
		if end == 0 {
			return bad()
		}
	}
	for end < len(s) && s[end] != ';' && s[end] != ':' && !isWS(s[end]) {
		end++
	}
	host, port, ok := splitHostPort(s[:end])
	s = skipWS(s[end:])
	if ok && port == 0 && strings.HasPrefix(s, ":") {
		// SWS around the colon (RFC 4475 wsinv).
		p := skipWS(s[1:])
		i := 0
		for i < len(p) && p[i] >= '0' && p[i] <= '9' {
			i++
		}
		var n uint64
		n, ok = atoi(p[:i], 65535)
		port, s = int(n), skipWS(p[i:])
	}
	if !ok || !validHeaderParams(s) || !validRPort(Params(s)) {
		return bad()
	}
	protocol := "SIP/2.0"
	if !equalFold(name, "SIP") || version != "2.0" {
		protocol = name + "/" + version
	}
	return Via{Protocol: protocol, Transport: transport, Host: host, Port: port, Params: Params(s)}, nil
}

// validRPort checks that an rport parameter is bare or a port number
// (RFC 3581 §3).
func validRPort(p Params) bool {
	v, ok := p.Get("rport")
	if !ok || v == "" {
		return true
	}
	_, ok = atoi(v, 65535)
	return ok
}

// token splits a leading token off s (after whitespace).
func token(s string) (tok, rest string) {
	s = skipWS(s)
	i := 0
	for i < len(s) && is(s[i], cToken) {
		i++
	}
	return s[:i], s[i:]
}

// slash consumes SWS "/" SWS.
func slash(s string) (string, bool) {
	s = skipWS(s)
	if s == "" || s[0] != '/' {
		return s, false
	}
	return skipWS(s[1:]), true
}

// Via returns the topmost via-parm.
func (h Header) Via() (Via, error) {
	for item := range h.Items(HeaderVia) {
		return ParseVia(item)
	}
	return Via{}, errMissing(HeaderVia)
}

// Vias returns every via-parm, topmost first.
func (h Header) Vias() ([]Via, error) {
	var vias []Via
	for item := range h.Items(HeaderVia) {
		v, err := ParseVia(item)
		if err != nil {
			return nil, err
		}
		vias = append(vias, v)
	}
	return vias, nil
}

// MissingError reports a header a message needs and does not have.
type MissingError struct{ Header string }

// Error implements error.
func (e *MissingError) Error() string { return "sip: missing " + e.Header + " header" }

func errMissing(h string) error { return &MissingError{Header: h} }
