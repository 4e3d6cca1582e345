package sip

import "strconv"

// Message is a [*Request] or a [*Response].
type Message interface {
	// Headers returns the message's header fields.
	Headers() *Header
	// Payload returns the message body.
	Payload() []byte
	// AppendTo appends the message's wire form to b.
	AppendTo(b []byte) []byte
	// String returns the message's wire form.
	String() string

	isMessage()
}

// Request is a SIP request.
type Request struct {
	Method Method
	URI    URI
	Header Header
	Body   []byte
}

// Response is a SIP response.
type Response struct {
	StatusCode int
	Reason     string
	Header     Header
	Body       []byte
}

func (*Request) isMessage()  {}
func (*Response) isMessage() {}

// Headers returns the request's header fields.
func (r *Request) Headers() *Header { return &r.Header }

// Headers returns the response's header fields.
func (r *Response) Headers() *Header { return &r.Header }

// Payload returns the request body.
func (r *Request) Payload() []byte { return r.Body }

// Payload returns the response body.
func (r *Response) Payload() []byte { return r.Body }

// AppendTo appends the request's wire form to b. Content-Length is written
// from the body's length, where the field stands (or last if absent).
func (r *Request) AppendTo(b []byte) []byte {
	b = append(b, r.Method...)
	b = append(b, ' ')
	b = r.URI.AppendTo(b)
	b = append(b, " SIP/2.0\r\n"...)
	return appendRest(b, r.Header, r.Body)
}

// AppendTo appends the response's wire form to b, as [Request.AppendTo].
func (r *Response) AppendTo(b []byte) []byte {
	b = append(b, "SIP/2.0 "...)
	b = strconv.AppendInt(b, int64(r.StatusCode), 10)
	b = append(b, ' ')
	b = append(b, r.Reason...)
	b = append(b, "\r\n"...)
	return appendRest(b, r.Header, r.Body)
}

func appendRest(b []byte, h Header, body []byte) []byte {
	wroteLength := false
	for _, f := range h {
		length := isContentLength(f.Name)
		if length && wroteLength {
			continue
		}
		b = append(b, f.Name...)
		b = append(b, ": "...)
		if length {
			wroteLength = true
			b = strconv.AppendInt(b, int64(len(body)), 10)
		} else {
			b = append(b, f.Value...)
		}
		b = append(b, "\r\n"...)
	}
	if !wroteLength {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(len(body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	return append(b, body...)
}

func isContentLength(name string) bool {
	return len(name) == 1 && name[0]|0x20 == 'l' || equalFold(name, HeaderContentLength)
}

// String returns the request's wire form.
func (r *Request) String() string { return string(r.AppendTo(nil)) }

// String returns the response's wire form.
func (r *Response) String() string { return string(r.AppendTo(nil)) }

// Clone returns a deep copy of the request, to modify.
func (r *Request) Clone() *Request {
	c := *r
	c.Header = r.Header.Clone()
	c.Body = cloneBytes(r.Body)
	return &c
}

// Clone returns a deep copy of the response, to modify.
func (r *Response) Clone() *Response {
	c := *r
	c.Header = r.Header.Clone()
	c.Body = cloneBytes(r.Body)
	return &c
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
