package sip

import "strconv"

// CSeq is the CSeq header (RFC 3261 §20.16).
type CSeq struct {
	Seq    uint32
	Method Method
}

// MaxCSeq is the largest sequence number RFC 3261 §8.1.1.5 allows.
const MaxCSeq = 1<<31 - 1

// String returns the header value.
func (c CSeq) String() string { return strconv.FormatUint(uint64(c.Seq), 10) + " " + string(c.Method) }

// ParseCSeq parses a CSeq value.
func ParseCSeq(s string) (CSeq, error) {
	s = trimWS(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, ok := atoi(s[:i], MaxCSeq)
	if !ok || i == len(s) || !isWS(s[i]) {
		return CSeq{}, syntaxErr("CSeq", s)
	}
	m := skipWS(s[i:])
	if !isToken(m) {
		return CSeq{}, syntaxErr("CSeq", s)
	}
	return CSeq{Seq: uint32(n), Method: internMethod(m)}, nil
}

// CSeq returns the CSeq header.
func (h Header) CSeq() (CSeq, error) {
	return parseFirst(h, HeaderCSeq, ParseCSeq)
}

// CallID returns the Call-ID header, or "".
func (h Header) CallID() string { return h.Get(HeaderCallID) }

// MaxForwards returns the Max-Forwards header, or -1 if absent or invalid.
func (h Header) MaxForwards() int { return h.number(HeaderMaxForwards, 255) }

// ContentLength returns the Content-Length header, or -1 if absent or
// invalid.
func (h Header) ContentLength() int { return h.number(HeaderContentLength, 1<<31-1) }

// Expires returns the Expires header in seconds, or -1 if absent or
// invalid.
func (h Header) Expires() int { return h.number(HeaderExpires, 1<<32-1) }

func (h Header) number(name string, max uint64) int {
	for v := range h.Values(name) {
		if n, ok := atoi(v, max); ok {
			return int(n)
		}
		return -1
	}
	return -1
}
