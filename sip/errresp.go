package sip

import (
	"errors"
	"strings"
)

// ErrorResponse builds the response a server sends for a request the
// parser rejected (RFC 3261 §8.2.6 with the status of the
// [*ParseError]: 400 naming the bad header, 505, 513 ...), when the
// datagram's header fields still hold what a response must copy: Via,
// From, To, Call-ID and CSeq. It returns nil when err is not a
// *ParseError, when data is not a request, or when those fields cannot be
// found or are themselves malformed: such input is dropped, not answered.
func ErrorResponse(data []byte, err error) *Response {
	var pe *ParseError
	if !errors.As(err, &pe) {
		return nil
	}
	s := string(data)
	s = strings.TrimLeft(s, "\r\n")
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return nil
	}
	start := strings.TrimSuffix(s[:nl], "\r")
	if strings.HasPrefix(strings.ToUpper(start), "SIP/") || strings.Count(start, " ") < 2 {
		return nil // a response, or not a request line
	}
	fields := salvageFields(s[nl+1:])
	resp := &Response{StatusCode: pe.StatusCode, Reason: pe.Reason}
	for _, name := range []string{HeaderVia, HeaderFrom, HeaderTo, HeaderCallID, HeaderCSeq} {
		found := false
		for _, f := range fields {
			if sameName(f.Name, name) {
				resp.Header = append(resp.Header, Field{Name: name, Value: f.Value})
				found = true
				if name != HeaderVia {
					break
				}
			}
		}
		if !found {
			return nil
		}
	}
	if to, terr := resp.Header.To(); terr == nil && to.Tag() == "" {
		resp.Header.Set(HeaderTo, resp.Header.Get(HeaderTo)+";tag="+NewTag())
	}
	if _, perr := ParseMessage(resp.AppendTo(nil)); perr != nil {
		return nil // the fields it must copy are themselves broken
	}
	return resp
}

// salvageFields splits header lines leniently, up to an empty line or the
// end, skipping lines that are not "name: value" and undoing folding.
func salvageFields(s string) Header {
	var h Header
	for s != "" {
		nl := strings.IndexByte(s, '\n')
		line := s
		if nl >= 0 {
			line, s = s[:nl], s[nl+1:]
		} else {
			s = ""
		}
		line = strings.TrimSuffix(line, "\r")
		switch colon := strings.IndexByte(line, ':'); {
		case line == "":
			return h
		case isWS(line[0]) && len(h) > 0:
			h[len(h)-1].Value += " " + trimWS(line)
		case colon > 0 && isToken(trimWS(line[:colon])):
			h = append(h, Field{Name: trimWS(line[:colon]), Value: trimWS(line[colon+1:])})
		}
	}
	return h
}
