package sip

import "iter"

// Field is one header field as it appears in a message: its name as
// written (long or compact form, any case) and its value with folding
// undone and surrounding whitespace removed.
type Field struct {
	Name  string
	Value string
}

// Header is a message's header fields in order. Lookups by name are
// case-insensitive and match compact forms (RFC 3261 §7.3.3): Get("Via")
// finds a field written "v".
type Header []Field

// Canonical header names.
const (
	HeaderAccept             = "Accept"
	HeaderAcceptEncoding     = "Accept-Encoding"
	HeaderAcceptLanguage     = "Accept-Language"
	HeaderAlertInfo          = "Alert-Info"
	HeaderAllow              = "Allow"
	HeaderAllowEvents        = "Allow-Events"
	HeaderAuthorization      = "Authorization"
	HeaderCallID             = "Call-ID"
	HeaderCallInfo           = "Call-Info"
	HeaderContact            = "Contact"
	HeaderContentDisposition = "Content-Disposition"
	HeaderContentEncoding    = "Content-Encoding"
	HeaderContentLanguage    = "Content-Language"
	HeaderContentLength      = "Content-Length"
	HeaderContentType        = "Content-Type"
	HeaderCSeq               = "CSeq"
	HeaderDate               = "Date"
	HeaderErrorInfo          = "Error-Info"
	HeaderEvent              = "Event"
	HeaderExpires            = "Expires"
	HeaderFrom               = "From"
	HeaderInReplyTo          = "In-Reply-To"
	HeaderMaxForwards        = "Max-Forwards"
	HeaderMinExpires         = "Min-Expires"
	HeaderMinSE              = "Min-SE"
	HeaderMIMEVersion        = "MIME-Version"
	HeaderOrganization       = "Organization"
	HeaderPriority           = "Priority"
	HeaderProxyAuthenticate  = "Proxy-Authenticate"
	HeaderProxyAuthorization = "Proxy-Authorization"
	HeaderProxyRequire       = "Proxy-Require"
	HeaderRAck               = "RAck"
	HeaderReason             = "Reason"
	HeaderRecordRoute        = "Record-Route"
	HeaderReferredBy         = "Referred-By"
	HeaderReferTo            = "Refer-To"
	HeaderReplyTo            = "Reply-To"
	HeaderRequire            = "Require"
	HeaderRetryAfter         = "Retry-After"
	HeaderRoute              = "Route"
	HeaderRSeq               = "RSeq"
	HeaderServer             = "Server"
	HeaderSessionExpires     = "Session-Expires"
	HeaderSubject            = "Subject"
	HeaderSubscriptionState  = "Subscription-State"
	HeaderSupported          = "Supported"
	HeaderTimestamp          = "Timestamp"
	HeaderTo                 = "To"
	HeaderUnsupported        = "Unsupported"
	HeaderUserAgent          = "User-Agent"
	HeaderVia                = "Via"
	HeaderWarning            = "Warning"
	HeaderWWWAuthenticate    = "WWW-Authenticate"
)

var canonicalNames = func() map[string]string {
	m := make(map[string]string)
	for _, n := range []string{
		HeaderAccept, HeaderAcceptEncoding, HeaderAcceptLanguage, HeaderAlertInfo, HeaderAllow,
		HeaderAllowEvents, HeaderAuthorization, HeaderCallID, HeaderCallInfo, HeaderContact,
		HeaderContentDisposition, HeaderContentEncoding, HeaderContentLanguage, HeaderContentLength,
		HeaderContentType, HeaderCSeq, HeaderDate, HeaderErrorInfo, HeaderEvent, HeaderExpires,
		HeaderFrom, HeaderInReplyTo, HeaderMaxForwards, HeaderMinExpires, HeaderMinSE,
		HeaderMIMEVersion, HeaderOrganization, HeaderPriority, HeaderProxyAuthenticate,
		HeaderProxyAuthorization, HeaderProxyRequire, HeaderRAck, HeaderReason, HeaderRecordRoute,
		HeaderReferredBy, HeaderReferTo, HeaderReplyTo, HeaderRequire, HeaderRetryAfter, HeaderRoute,
		HeaderRSeq, HeaderServer, HeaderSessionExpires, HeaderSubject, HeaderSubscriptionState,
		HeaderSupported, HeaderTimestamp, HeaderTo, HeaderUnsupported, HeaderUserAgent, HeaderVia,
		HeaderWarning, HeaderWWWAuthenticate,
	} {
		m[lower(n)] = n
	}
	for c := byte('a'); c <= 'z'; c++ {
		if n := compactName(c); n != "" {
			m[string(c)] = n
		}
	}
	return m
}()

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// CanonicalName returns the canonical form of a known header name, given
// in any case or in compact form ("v" and "VIA" give "Via"); other names
// are returned as they are.
func CanonicalName(name string) string {
	var buf [32]byte
	if len(name) > len(buf) {
		return name
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			c += 32
		}
		buf[i] = c
	}
	if n, ok := canonicalNames[string(buf[:len(name)])]; ok {
		return n
	}
	return name
}

// sameName reports whether a field written fieldName is the header name.
func sameName(fieldName, name string) bool {
	switch {
	case len(fieldName) == len(name):
		return equalFold(fieldName, name)
	case len(fieldName) == 1:
		return equalFold(compactName(fieldName[0]), name)
	case len(name) == 1:
		return equalFold(fieldName, compactName(name[0]))
	}
	return false
}

// compactName returns the long name of a compact form, or "".
func compactName(c byte) string {
	switch c | 0x20 {
	case 'i':
		return HeaderCallID
	case 'm':
		return HeaderContact
	case 'f':
		return HeaderFrom
	case 't':
		return HeaderTo
	case 'v':
		return HeaderVia
	case 'l':
		return HeaderContentLength
	case 'c':
		return HeaderContentType
	case 'k':
		return HeaderSupported
	case 's':
		return HeaderSubject
	case 'e':
		return HeaderContentEncoding
	case 'o':
		return HeaderEvent
	case 'u':
		return HeaderAllowEvents
	case 'r':
		return HeaderReferTo
	case 'b':
		return HeaderReferredBy
	case 'x':
		return HeaderSessionExpires
	}
	return ""
}

// Get returns the value of the first field named name, or "".
func (h Header) Get(name string) string {
	for _, f := range h {
		if sameName(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Has reports whether a field named name is present.
func (h Header) Has(name string) bool {
	for _, f := range h {
		if sameName(f.Name, name) {
			return true
		}
	}
	return false
}

// Values iterates over the values of the fields named name, in order. A
// field holding a comma-separated list is one value; see [Header.Items].
func (h Header) Values(name string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, f := range h {
			if sameName(f.Name, name) && !yield(f.Value) {
				return
			}
		}
	}
}

// Items iterates over the comma-separated items of every field named
// name (commas inside quotes and angle brackets do not split), as RFC 3261
// §7.3.1 makes "Via: a, b" equal to two Via fields.
func (h Header) Items(name string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for v := range h.Values(name) {
			for v != "" {
				end := indexOutsideQuotes(v, ',')
				if end < 0 {
					end = len(v)
				}
				item := trimWS(v[:end])
				if end < len(v) {
					end++
				}
				v = v[end:]
				if !yield(item) {
					return
				}
			}
		}
	}
}

// Add appends a field.
func (h *Header) Add(name, value string) { *h = append(*h, Field{Name: name, Value: value}) }

// Set replaces the fields named name by one field with value, at the place
// of the first of them (or at the end).
func (h *Header) Set(name, value string) {
	for i, f := range *h {
		if sameName(f.Name, name) {
			(*h)[i] = Field{Name: name, Value: value}
			h.delFrom(i+1, name)
			return
		}
	}
	h.Add(name, value)
}

// Del removes the fields named name.
func (h *Header) Del(name string) { h.delFrom(0, name) }

func (h *Header) delFrom(from int, name string) {
	out := (*h)[:from]
	for _, f := range (*h)[from:] {
		if !sameName(f.Name, name) {
			out = append(out, f)
		}
	}
	clear((*h)[len(out):])
	*h = out
}

// Clone returns a copy of h that shares no storage with it.
func (h Header) Clone() Header {
	if h == nil {
		return nil
	}
	return append(Header(nil), h...)
}

// parseFirst parses the first field named name with parse, or reports the
// header missing.
func parseFirst[T any](h Header, name string, parse func(string) (T, error)) (T, error) {
	for v := range h.Values(name) {
		return parse(v)
	}
	var zero T
	return zero, errMissing(name)
}
