package sip

import "bytes"

// Keep-alives of RFC 5626 §3.5.1 on stream transports.
const (
	// KeepAlivePing is the client's keep-alive: a double CRLF.
	KeepAlivePing = "\r\n\r\n"
	// KeepAlivePong is the server's answer to a ping: a single CRLF.
	KeepAlivePong = "\r\n"
)

// KeepAlives counts the keep-alive line ends a [Framer] consumed between
// messages (RFC 5626 §3.5.1).
type KeepAlives struct {
	// Pings is the number of double CRLFs: a server answers each with a
	// single CRLF, [KeepAlivePong].
	Pings int
	// CRLFs is the number of line ends in all, those of the pings
	// included: a client waiting for a pong takes any as one.
	CRLFs int
}

// Framer cuts the messages out of a stream transport's bytes (TCP, TLS;
// RFC 3261 §18.3): the transport writes what it reads into the Framer and
// calls [Framer.Next] until it returns no message. It needs no goroutine
// of its own and keeps at most one partial message buffered.
//
// Every message on a stream must have a Content-Length; the body is
// exactly that many octets. CR and LF octets between messages are
// keep-alives, counted for [Framer.KeepAlives]. The limits are the
// parser's ([WithMaxMessageSize] and the others): a header section or a
// Content-Length that would make a message larger than the maximum size is
// rejected before any of its body is buffered.
//
// WebSocket messages are framed already (RFC 7118 §5.1: one SIP message
// per WebSocket message): parse each with [ParseMessage] instead.
//
// Errors. A message that frames well but does not parse (a bad Via, a
// missing To ...) is consumed: [Framer.Next] returns its [*ParseError] and
// the next call goes on with the following message, since its end is
// known. A framing error (no Content-Length, a Content-Length that is not
// one number, a message over the size limit) leaves no way to find where
// the next message starts: it is a [*ParseError] too (400, or 513 for
// size) and it is final — every later call to Next and Write returns it.
// The transport answers it if it can and closes the connection.
//
// A Framer is not safe for concurrent use.
type Framer struct {
	lim limits

	buf []byte // buffered octets; the unread ones start at r
	r   int

	// The message being framed, relative to r once leading line ends are
	// skipped; known reports that its header section has been read.
	scanned   int // where the search for the empty line goes on
	known     bool
	total     int // header section, empty line and body
	keepAlive KeepAlives
	last      []byte // the message Next last framed
	lineEnds  int    // line ends since the last message or ping

	err error // the framing error, final
}

// NewFramer returns a Framer with the parser's limits, changed by opts.
func NewFramer(opts ...ParseOption) *Framer {
	f := &Framer{lim: defaultLimits}
	for _, o := range opts {
		o(&f.lim)
	}
	f.lim.maxSize = max(f.lim.maxSize, 0)
	return f
}

// Write buffers p, which the Framer copies. It returns len(p) and nil,
// or 0 and the framing error once there has been one (p is dropped).
// Call [Framer.Next] until it returns no message after each Write: the
// Framer does not limit what is written in between.
func (f *Framer) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	if f.r > 0 && (f.r == len(f.buf) || len(f.buf)+len(p) > cap(f.buf)) {
		n := copy(f.buf, f.buf[f.r:])
		f.buf = f.buf[:n]
		f.r = 0
	}
	f.buf = append(f.buf, p...)
	return len(p), nil
}

// Buffered returns how many octets are buffered but not yet returned as
// messages or counted as keep-alives: nonzero when the stream ends means
// it ended inside a message.
func (f *Framer) Buffered() int { return len(f.buf) - f.r }

// KeepAlives returns the keep-alives consumed since the last call, and
// resets the counts. A line end is consumed, and so counted, by the
// [Framer.Next] call that reaches it.
func (f *Framer) KeepAlives() KeepAlives {
	k := f.keepAlive
	f.keepAlive = KeepAlives{}
	return k
}

// Next returns the next whole message, (nil, nil) when the buffered
// octets do not hold one yet, or an error as the [Framer] documentation
// says. The message shares no memory with what was written.
func (f *Framer) Next() (Message, error) {
	if f.err != nil {
		return nil, f.err
	}
	if !f.known {
		f.skipLineEnds()
		if f.r == len(f.buf) {
			return nil, nil
		}
		if err := f.frame(); err != nil {
			f.fail(err)
			return nil, err
		}
		if !f.known {
			return nil, nil
		}
	}
	if len(f.buf)-f.r < f.total {
		return nil, nil
	}
	data := f.buf[f.r : f.r+f.total]
	f.last = data
	f.r += f.total
	f.known, f.scanned, f.total = false, 0, 0
	if f.r == len(f.buf) {
		f.buf, f.r = f.buf[:0], 0
	}
	return parseMessage(data, f.lim)
}

// Framed returns the octets of the message Next last returned or rejected,
// for answering a rejected request with [ErrorResponse]. They are valid
// until the next Write.
func (f *Framer) Framed() []byte { return f.last }

// Broken reports whether a framing error has made the stream unusable:
// the connection is then to be closed. After a message that was framed but
// failed to parse, the stream carries on and Broken stays false.
func (f *Framer) Broken() bool { return f.err != nil }

// fail makes err final and lets the buffer go.
func (f *Framer) fail(err error) {
	f.err = err
	f.buf, f.r = nil, 0
}

// skipLineEnds consumes the CR and LF octets before a message, counting
// each LF as a line end and each second line end as a ping.
func (f *Framer) skipLineEnds() {
	for f.r < len(f.buf) {
		switch f.buf[f.r] {
		case '\n':
			f.keepAlive.CRLFs++
			if f.lineEnds++; f.lineEnds == 2 {
				f.keepAlive.Pings++
				f.lineEnds = 0
			}
		case '\r':
		default:
			f.lineEnds = 0
			return
		}
		f.r++
	}
	if f.r == len(f.buf) {
		f.buf, f.r = f.buf[:0], 0
	}
}

// frame looks for the end of the header section of the message at r and,
// once it is there, for its Content-Length; it sets known and total.
func (f *Framer) frame() error {
	data := f.buf[f.r:]
	window := data
	if len(window) > f.lim.maxSize {
		window = window[:f.lim.maxSize]
	}
	headEnd, bodyStart := -1, -1
	for i := f.scanned; i < len(window); i++ {
		lf := bytes.IndexByte(window[i:], '\n')
		if lf < 0 {
			f.scanned = len(window)
			break
		}
		i += lf
		f.scanned = i // an LF that may start the empty line
		if i+1 < len(window) && window[i+1] == '\n' {
			headEnd, bodyStart = i+1, i+2
			break
		}
		if i+2 < len(window) && window[i+1] == '\r' && window[i+2] == '\n' {
			headEnd, bodyStart = i+1, i+3
			break
		}
		if i+1 == len(window) || i+2 == len(window) && window[i+1] == '\r' {
			break // the rest has yet to come
		}
	}
	if headEnd < 0 {
		if len(data) >= f.lim.maxSize {
			return tooLarge("")
		}
		return nil
	}
	length, err := contentLength(data[:headEnd], f.lim.maxSize)
	if err != nil {
		return err
	}
	if length > f.lim.maxSize-bodyStart {
		return tooLarge(HeaderContentLength)
	}
	f.known, f.total = true, bodyStart+length
	return nil
}

func tooLarge(header string) *ParseError {
	return &ParseError{StatusCode: StatusMessageTooLarge, Reason: "Message Too Large", Header: header, Err: ErrMessageTooLarge}
}

// contentLength finds the Content-Length of a header section (start line
// included), with the parser's rules for names, folding and repeats. A
// value of digits over max is reported as too large.
func contentLength(head []byte, max int) (int, error) {
	length := -1
	inLength := false // the field being read is Content-Length
	var value []byte  // its value so far; a folded one holds one word
	end := func() error {
		if !inLength {
			return nil
		}
		inLength = false
		if len(value) == 0 {
			return badRequest(HeaderContentLength, syntaxErr("Content-Length", ""))
		}
		n, ok := atoi(string(value), uint64(max))
		if !ok {
			if digits(value) {
				return tooLarge(HeaderContentLength)
			}
			return badRequest(HeaderContentLength, syntaxErr("Content-Length", string(value)))
		}
		if length >= 0 && int(n) != length {
			return badRequest(HeaderContentLength, syntaxErr("Content-Length", string(value)))
		}
		length = int(n)
		return nil
	}
	nl := bytes.IndexByte(head, '\n')
	for rest := head[nl+1:]; len(rest) > 0; {
		line := rest
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			line, rest = rest[:nl], rest[nl+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > 0 && isWS(line[0]) {
			if cont := bytes.Trim(line, " \t"); inLength && len(cont) > 0 {
				if len(value) > 0 {
					return 0, badRequest(HeaderContentLength, syntaxErr("Content-Length", string(value)+" "+string(cont)))
				}
				value = cont
			}
			continue
		}
		if err := end(); err != nil {
			return 0, err
		}
		name, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue // the parser rejects the message
		}
		if n := bytes.Trim(name, " \t"); len(n) == 1 && n[0]|0x20 == 'l' || equalFold(string(n), HeaderContentLength) {
			inLength, value = true, bytes.Trim(v, " \t")
		}
	}
	if err := end(); err != nil {
		return 0, err
	}
	if length < 0 {
		return 0, &ParseError{StatusCode: StatusBadRequest, Reason: "Missing Content-Length", Header: HeaderContentLength, Err: ErrMissingContentLength}
	}
	return length, nil
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
