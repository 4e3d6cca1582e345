package sip

import (
	"errors"
	"strconv"
)

// ParseError is a message the parser rejected, with the response a server
// sends back for it (when it is a request it could read enough of).
type ParseError struct {
	// StatusCode is the response to send: 400, 505 (SIP version), 513
	// (message too large) or 501 (unknown method mismatching its CSeq).
	StatusCode int
	// Reason is the reason phrase, naming the bad header when there is
	// one ("Invalid Via Header").
	Reason string
	// Header is the name of the bad header, if the problem is in one.
	Header string
	// Err is the underlying error, often a [*SyntaxError].
	Err error
}

// Error implements error.
func (e *ParseError) Error() string {
	s := "sip: " + strconv.Itoa(e.StatusCode) + " " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// SyntaxError is a value that does not follow its grammar.
type SyntaxError struct {
	// What is being parsed: "URI", "Via", "CSeq" ...
	What string
	// Value is the text that failed (possibly shortened).
	Value string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	v := e.Value
	if len(v) > 80 {
		v = v[:80] + "..."
	}
	return "sip: invalid " + e.What + ": " + strconv.Quote(v)
}

// Errors of building and framing.
var (
	// ErrMessageTooLarge is wrapped by errors for messages over a size
	// limit.
	ErrMessageTooLarge = errors.New("sip: message too large")
	// ErrMissingContentLength is returned by the stream framer for a
	// message without Content-Length (RFC 3261 §18.3).
	ErrMissingContentLength = errors.New("sip: missing Content-Length on a stream")
)

func syntaxErr(what, value string) error { return &SyntaxError{What: what, Value: value} }

func badRequest(header string, err error) *ParseError {
	reason := "Bad Request"
	if header != "" {
		reason = "Invalid " + header + " Header"
	}
	return &ParseError{StatusCode: StatusBadRequest, Reason: reason, Header: header, Err: err}
}
