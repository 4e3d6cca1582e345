package sip

import (
	"bytes"
	"strings"
)

// Part is one body part of a multipart message body (RFC 2046 §5.1, as
// SIP uses it per RFC 5621).
type Part struct {
	// Header is the part's header fields (Content-Type, Content-ID,
	// Content-Disposition ...) in order, with folding undone. A part
	// without a Content-Type is text/plain (RFC 2046 §5.1).
	Header Header
	// Body is the part's octets: a view into the multipart body, not a
	// copy.
	Body []byte
}

// maxBoundary is the longest boundary RFC 2046 §5.1.1 allows.
const maxBoundary = 70

// ParseMultipart splits body, whose media type is contentType (of type
// multipart, with a boundary parameter), into its parts. The preamble
// before the first boundary and the epilogue after the closing one are
// dropped; line ends may be CRLF or bare LF. A part that is multipart
// itself can be split in turn with its own Content-Type.
//
// A body that does not follow RFC 2046 §5.1.1 (no boundary, no part, no
// closing boundary, a part header that is not "name: value") is a
// [*SyntaxError].
func ParseMultipart(contentType MediaType, body []byte) ([]Part, error) {
	if !equalFold(contentType.Type, "multipart") {
		return nil, syntaxErr("multipart media type", contentType.String())
	}
	boundary, ok := multipartBoundary(contentType.Params)
	if !ok {
		return nil, syntaxErr("multipart boundary", string(contentType.Params))
	}
	delim := "--" + boundary
	_, pos, closing, ok := nextDelimiter(body, 0, delim)
	if !ok {
		return nil, syntaxErr("multipart body", "no boundary "+delim)
	}
	if closing {
		return nil, syntaxErr("multipart body", "no part before the closing boundary")
	}
	var parts []Part
	for !closing {
		start := pos
		var end int
		end, pos, closing, ok = nextDelimiter(body, start, delim)
		if !ok {
			return nil, syntaxErr("multipart body", "no closing boundary "+delim+"--")
		}
		p, err := parsePart(body[start:end])
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// multipartBoundary returns the boundary parameter, unquoted, if it is a
// valid one.
func multipartBoundary(params Params) (string, bool) {
	b, ok := params.Get("boundary")
	if !ok {
		return "", false
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		q := make([]byte, 0, len(b))
		for i := 1; i < len(b)-1; i++ {
			if b[i] == '\\' && i+1 < len(b)-1 {
				i++
			}
			q = append(q, b[i])
		}
		b = string(q)
	}
	if b == "" || len(b) > maxBoundary || b[len(b)-1] == ' ' {
		return "", false
	}
	for i := 0; i < len(b); i++ {
		if b[i] < ' ' || b[i] >= 0x7f {
			return "", false
		}
	}
	return b, true
}

// nextDelimiter finds the first delimiter line at or after from: delim at
// the start of body or of a line, then "--" (closing) or optional
// whitespace and a line end. It returns where the part before it ends
// (before the line end that precedes the delimiter, which is the
// delimiter's) and where the line after it starts.
func nextDelimiter(body []byte, from int, delim string) (end, next int, closing, ok bool) {
	for i := from; i <= len(body)-len(delim); {
		at := bytes.Index(body[i:], []byte(delim))
		if at < 0 {
			break
		}
		at += i
		i = at + 1
		if at > 0 && body[at-1] != '\n' {
			continue // not at the start of a line
		}
		end = at
		if end > from && body[end-1] == '\n' {
			end--
			if end > from && body[end-1] == '\r' {
				end--
			}
		}
		rest := body[at+len(delim):]
		if bytes.HasPrefix(rest, []byte("--")) {
			return end, len(body), true, true
		}
		n := 0
		for n < len(rest) && isWS(rest[n]) {
			n++
		}
		switch {
		case bytes.HasPrefix(rest[n:], []byte("\r\n")):
			n += 2
		case bytes.HasPrefix(rest[n:], []byte("\n")):
			n++
		default:
			continue // a line that only starts like the delimiter
		}
		return end, at + len(delim) + n, false, true
	}
	return 0, 0, false, false
}

// parsePart splits a part into its header fields and its body.
func parsePart(p []byte) (Part, error) {
	var head string
	var body []byte
	switch {
	case bytes.HasPrefix(p, []byte("\r\n")):
		body = p[2:] // no header fields
	case bytes.HasPrefix(p, []byte("\n")):
		body = p[1:]
	default:
		if headEnd, bodyStart := headerEnd(p); headEnd >= 0 {
			head, body = string(p[:headEnd]), p[bodyStart:]
		} else {
			head = string(p) // header fields only
		}
	}
	var h Header
	for head != "" {
		line, rest, _ := strings.Cut(head, "\n")
		head = rest
		line = strings.TrimSuffix(line, "\r")
		if line != "" && isWS(line[0]) {
			if len(h) == 0 {
				return Part{}, syntaxErr("body part header", line)
			}
			last := &h[len(h)-1]
			if cont := trimWS(line); cont != "" {
				if last.Value != "" {
					cont = last.Value + " " + cont
				}
				last.Value = cont
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if name = trimWS(name); !ok || !isToken(name) {
			return Part{}, syntaxErr("body part header", line)
		}
		h = append(h, Field{Name: name, Value: trimWS(value)})
	}
	if len(body) == 0 {
		body = nil
	}
	return Part{Header: h, Body: body}, nil
}

// headerEnd finds the empty line that ends a header section: it returns
// where that line starts and where the body starts, or -1.
func headerEnd(data []byte) (int, int) {
	crlf := bytes.Index(data, []byte("\n\r\n"))
	search := data
	if crlf >= 0 {
		search = data[:crlf+1]
	}
	if lf := bytes.Index(search, []byte("\n\n")); lf >= 0 {
		return lf + 1, lf + 2
	}
	if crlf >= 0 {
		return crlf + 1, crlf + 3
	}
	return -1, -1
}
