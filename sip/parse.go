package sip

import (
	"strings"
	"time"
	"unsafe"
)

// Default parser limits.
const (
	// DefaultMaxMessageSize is the largest message accepted: the largest
	// UDP payload.
	DefaultMaxMessageSize = 65535
	// DefaultMaxHeaders is the most header fields a message may have.
	DefaultMaxHeaders = 256
	// DefaultMaxLineLength is the longest header line (after unfolding).
	DefaultMaxLineLength = 8192
)

// ParseOption sets a parser limit.
type ParseOption func(*limits)

type limits struct {
	maxSize, maxHeaders, maxLine int
}

var defaultLimits = limits{DefaultMaxMessageSize, DefaultMaxHeaders, DefaultMaxLineLength}

// WithMaxMessageSize sets the largest message size in bytes.
func WithMaxMessageSize(n int) ParseOption { return func(l *limits) { l.maxSize = n } }

// WithMaxHeaders sets the most header fields a message may have.
func WithMaxHeaders(n int) ParseOption { return func(l *limits) { l.maxHeaders = n } }

// WithMaxLineLength sets the longest header line.
func WithMaxLineLength(n int) ParseOption { return func(l *limits) { l.maxLine = n } }

// ParseMessage parses one whole message from a datagram. Octets after the
// body that Content-Length gives are ignored (RFC 4475 §3.1.1.8); without
// Content-Length the body is the rest of the datagram (RFC 3261 §18.3).
// data is copied: the caller may reuse it.
//
// A message the parser rejects is a [*ParseError].
func ParseMessage(data []byte, opts ...ParseOption) (Message, error) {
	lim := defaultLimits
	if len(opts) > 0 {
		lim = optionLimits(opts)
	}
	return parseMessage(data, lim)
}

// optionLimits returns the default limits changed by opts; apart from
// ParseMessage so that the limits escape only when there are options.
func optionLimits(opts []ParseOption) limits {
	lim := new(limits)
	*lim = defaultLimits
	for _, o := range opts {
		o(lim)
	}
	return *lim
}

func parseMessage(data []byte, lim limits) (Message, error) {
	if len(data) > lim.maxSize {
		return nil, &ParseError{StatusCode: StatusMessageTooLarge, Reason: "Message Too Large", Err: ErrMessageTooLarge}
	}
	for len(data) > 0 && (data[0] == '\r' || data[0] == '\n') {
		data = data[1:] // CRLFs before the start line are ignored (§7.5)
	}
	buf := append([]byte(nil), data...)
	s := unsafe.String(unsafe.SliceData(buf), len(buf))
	p := parser{lim: lim}
	return p.parse(s, buf)
}

var errNoEmptyLine = &ParseError{StatusCode: StatusBadRequest, Reason: "Bad Request", Err: syntaxErr("message", "no empty line ends the header section")}

type parser struct {
	lim limits
	// What validation found.
	vias, froms, tos, callIDs, cseqs int
	cseq                             CSeq
	contentLength                    int
}

// How many header fields a parsed message holds without a second
// allocation: requests typically carry more than responses.
const (
	inlineRequestFields  = 16
	inlineResponseFields = 10
)

type requestBlock struct {
	req    Request
	fields [inlineRequestFields]Field
}

type responseBlock struct {
	resp   Response
	fields [inlineResponseFields]Field
}

func (p *parser) parse(s string, buf []byte) (Message, error) {
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return nil, errNoEmptyLine
	}
	startLine := strings.TrimSuffix(s[:nl], "\r")
	var (
		req     *Request
		resp    *Response
		storage []Field
	)
	if len(startLine) >= 4 && equalFold(startLine[:4], "SIP/") {
		code, reason, err := parseStatusLine(startLine)
		if err != nil {
			return nil, err
		}
		b := &responseBlock{resp: Response{StatusCode: code, Reason: reason}}
		resp, storage = &b.resp, b.fields[:0]
	} else {
		method, uri, err := parseRequestLine(startLine)
		if err != nil {
			return nil, err
		}
		b := &requestBlock{req: Request{Method: method, URI: uri}}
		req, storage = &b.req, b.fields[:0]
	}
	header, bodyStart, err := p.fields(s[nl+1:], storage)
	if err != nil {
		return nil, err
	}
	bodyStart += nl + 1
	if err := p.validate(header, req); err != nil {
		return nil, err
	}
	body := buf[bodyStart:]
	if p.contentLength >= 0 {
		if p.contentLength > len(body) {
			return nil, badRequest(HeaderContentLength, syntaxErr("Content-Length", "larger than the message body"))
		}
		body = body[:p.contentLength:p.contentLength]
	}
	if len(body) == 0 {
		body = nil
	}
	if req != nil {
		req.Header, req.Body = header, body
		return req, nil
	}
	resp.Header, resp.Body = header, body
	return resp, nil
}

// fields splits the header section into fields, undoing line folding.
// It stops at the empty line that ends the header section and returns the
// offset of the body in s.
func (p *parser) fields(s string, h Header) (Header, int, error) {
	for off := 0; ; {
		nl := strings.IndexByte(s[off:], '\n')
		if nl < 0 {
			return nil, 0, errNoEmptyLine
		}
		line := strings.TrimSuffix(s[off:off+nl], "\r")
		off += nl + 1
		if line == "" {
			return h, off, nil
		}
		if len(line) > p.lim.maxLine {
			return nil, 0, &ParseError{StatusCode: StatusBadRequest, Reason: "Header Line Too Long", Err: ErrMessageTooLarge}
		}
		if line != "" && isWS(line[0]) {
			if len(h) == 0 {
				return nil, 0, badRequest("", syntaxErr("header", line))
			}
			last := &h[len(h)-1]
			if cont := trimWS(line); cont != "" {
				if last.Value == "" {
					last.Value = cont
				} else {
					last.Value = last.Value + " " + cont
				}
			}
			if len(last.Name)+len(last.Value) > p.lim.maxLine {
				return nil, 0, &ParseError{StatusCode: StatusBadRequest, Reason: "Header Line Too Long", Err: ErrMessageTooLarge}
			}
			continue
		}
		colon := strings.IndexByte(line, ':')
		if colon < 0 {
			return nil, 0, badRequest("", syntaxErr("header", line))
		}
		name := trimWS(line[:colon])
		if !isToken(name) {
			return nil, 0, badRequest("", syntaxErr("header name", name))
		}
		if len(h) == p.lim.maxHeaders {
			return nil, 0, &ParseError{StatusCode: StatusBadRequest, Reason: "Too Many Headers", Err: ErrMessageTooLarge}
		}
		h = append(h, Field{Name: name, Value: trimWS(line[colon+1:])})
	}
}

func parseRequestLine(line string) (Method, URI, error) {
	sp1 := strings.IndexByte(line, ' ')
	sp2 := strings.LastIndexByte(line, ' ')
	if sp1 <= 0 || sp2 <= sp1+1 || sp2 == len(line)-1 {
		return "", URI{}, badRequest("", syntaxErr("request line", line))
	}
	method, target, version := line[:sp1], line[sp1+1:sp2], line[sp2+1:]
	if !isToken(method) {
		return "", URI{}, badRequest("", syntaxErr("method", method))
	}
	if err := checkVersion(version); err != nil {
		return "", URI{}, err
	}
	uri, err := ParseURI(target)
	if err != nil || uri.Headers != "" && uri.IsSIP() {
		// A Request-URI may not carry headers (RFC 3261 §19.1.1).
		return "", URI{}, &ParseError{StatusCode: StatusBadRequest, Reason: "Invalid Request-URI", Err: syntaxErr("Request-URI", target)}
	}
	return internMethod(method), uri, nil
}

func checkVersion(v string) error {
	if len(v) == 7 && equalFold(v[:4], "SIP/") && v[4:] == "2.0" {
		return nil
	}
	if len(v) > 4 && equalFold(v[:4], "SIP/") {
		major, minor, ok := strings.Cut(v[4:], ".")
		if _, okMajor := atoi(major, 1<<31); ok && okMajor {
			if _, okMinor := atoi(minor, 1<<31); okMinor {
				return &ParseError{StatusCode: StatusVersionNotSupported, Reason: "Version Not Supported", Err: syntaxErr("SIP version", v)}
			}
		}
	}
	return badRequest("", syntaxErr("SIP version", v))
}

func parseStatusLine(line string) (int, string, error) {
	version, rest, _ := strings.Cut(line, " ")
	if err := checkVersion(version); err != nil {
		return 0, "", err
	}
	code, reason, _ := strings.Cut(rest, " ")
	n, ok := atoi(code, 699)
	if !ok || len(code) != 3 || n < 100 {
		return 0, "", badRequest("", syntaxErr("status code", code))
	}
	return int(n), reason, nil
}

// validate checks the headers the stack relies on, and that each single
// header is there once.
func (p *parser) validate(h Header, req *Request) error {
	p.contentLength = -1
	for _, f := range h {
		if err := p.check(kindOf(f.Name), f.Value); err != nil {
			return err
		}
	}
	switch {
	case p.vias == 0:
		return badRequest(HeaderVia, errMissing(HeaderVia))
	case p.froms == 0:
		return badRequest(HeaderFrom, errMissing(HeaderFrom))
	case p.tos == 0:
		return badRequest(HeaderTo, errMissing(HeaderTo))
	case p.callIDs == 0:
		return badRequest(HeaderCallID, errMissing(HeaderCallID))
	case p.cseqs == 0:
		return badRequest(HeaderCSeq, errMissing(HeaderCSeq))
	}
	if req != nil && p.cseq.Method != req.Method {
		e := badRequest(HeaderCSeq, syntaxErr("CSeq", "method "+string(p.cseq.Method)+" does not match "+string(req.Method)))
		if !req.Method.Known() {
			e.StatusCode, e.Reason = StatusNotImplemented, "Not Implemented"
		}
		return e
	}
	return nil
}

// The headers the parser checks.
const (
	kOther = iota
	kVia
	kFrom
	kTo
	kCallID
	kCSeq
	kMaxForwards
	kContentLength
	kContact
	kRoute
	kRecordRoute
	kContentType
	kExpires
	kDate
)

// kindOf classifies a header name (any case, compact forms) among the
// checked ones, by length first so that most names cost one comparison.
func kindOf(name string) int {
	if len(name) == 1 {
		name = compactName(name[0])
	}
	switch len(name) {
	case 2:
		if equalFold(name, HeaderTo) {
			return kTo
		}
	case 3:
		if equalFold(name, HeaderVia) {
			return kVia
		}
	case 4:
		switch {
		case equalFold(name, HeaderFrom):
			return kFrom
		case equalFold(name, HeaderCSeq):
			return kCSeq
		case equalFold(name, HeaderDate):
			return kDate
		}
	case 5:
		if equalFold(name, HeaderRoute) {
			return kRoute
		}
	case 7:
		switch {
		case equalFold(name, HeaderCallID):
			return kCallID
		case equalFold(name, HeaderContact):
			return kContact
		case equalFold(name, HeaderExpires):
			return kExpires
		}
	case 12:
		switch {
		case equalFold(name, HeaderMaxForwards):
			return kMaxForwards
		case equalFold(name, HeaderRecordRoute):
			return kRecordRoute
		case equalFold(name, HeaderContentType):
			return kContentType
		}
	case 14:
		if equalFold(name, HeaderContentLength) {
			return kContentLength
		}
	}
	return kOther
}

func (p *parser) check(kind int, v string) error {
	switch kind {
	case kVia:
		for rest := v; ; {
			item, more := nextItem(rest)
			if _, err := ParseVia(item); err != nil {
				return badRequest(HeaderVia, err)
			}
			p.vias++
			if more == "" {
				return nil
			}
			rest = more
		}
	case kFrom:
		return p.single(&p.froms, HeaderFrom, v, checkNameAddr)
	case kTo:
		return p.single(&p.tos, HeaderTo, v, checkNameAddr)
	case kCallID:
		return p.single(&p.callIDs, HeaderCallID, v, checkCallID)
	case kCSeq:
		if p.cseqs++; p.cseqs > 1 {
			return badRequest(HeaderCSeq, syntaxErr(HeaderCSeq, "appears more than once"))
		}
		cseq, err := ParseCSeq(v)
		if err != nil {
			return badRequest(HeaderCSeq, err)
		}
		p.cseq = cseq
	case kMaxForwards:
		if _, ok := atoi(v, 255); !ok {
			return badRequest(HeaderMaxForwards, syntaxErr("Max-Forwards", v))
		}
	case kContentLength:
		n, ok := atoi(v, uint64(p.lim.maxSize))
		if !ok || p.contentLength >= 0 && int(n) != p.contentLength {
			return badRequest(HeaderContentLength, syntaxErr("Content-Length", v))
		}
		p.contentLength = int(n)
	case kContact:
		if v == "*" {
			return nil
		}
		return p.list(HeaderContact, v)
	case kRoute:
		return p.list(HeaderRoute, v)
	case kRecordRoute:
		return p.list(HeaderRecordRoute, v)
	case kContentType:
		if _, err := ParseMediaType(v); err != nil {
			return badRequest(HeaderContentType, err)
		}
	case kExpires:
		if _, ok := atoi(v, 1<<32-1); !ok {
			return badRequest(HeaderExpires, syntaxErr("Expires", v))
		}
	case kDate:
		if _, err := time.Parse(time.RFC1123, v); err != nil || !strings.HasSuffix(v, " GMT") {
			return badRequest(HeaderDate, syntaxErr("Date", v))
		}
	}
	return nil
}

// single checks a header that may appear once.
func (p *parser) single(count *int, name, v string, check func(string) error) error {
	*count++
	if *count > 1 {
		return badRequest(name, syntaxErr(name, "appears more than once"))
	}
	if err := check(v); err != nil {
		return badRequest(name, err)
	}
	return nil
}

// list checks every item of a name-addr list.
func (p *parser) list(name, v string) error {
	for rest := v; ; {
		item, more := nextItem(rest)
		if err := checkNameAddr(item); err != nil {
			return badRequest(name, err)
		}
		if more == "" {
			return nil
		}
		rest = more
	}
}

func checkNameAddr(v string) error {
	_, err := ParseNameAddr(v)
	return err
}

func checkCallID(v string) error {
	if v == "" {
		return syntaxErr("Call-ID", v)
	}
	for i := 0; i < len(v); i++ {
		if !is(v[i], cWord) && v[i] != '@' {
			return syntaxErr("Call-ID", v)
		}
	}
	return nil
}

// nextItem splits the first comma-separated item off a header value; an
// empty item is returned as such (and fails its parser).
func nextItem(v string) (item, rest string) {
	end := indexOutsideQuotes(v, ',')
	if end < 0 {
		return trimWS(v), ""
	}
	rest = v[end+1:]
	if trimWS(rest) == "" {
		rest = " " // a trailing comma leaves an empty item
	}
	return trimWS(v[:end]), rest
}
