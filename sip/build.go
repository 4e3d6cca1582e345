package sip

import (
	"crypto/rand"
	"errors"
	"strconv"
	"strings"
	"unsafe"
)

// Identifiers are made of characters from a 32-letter alphabet, 5 random
// bits each: lower case so that no peer comparing them case-insensitively
// (RFC 3261 §7.3.1 makes parameter values case-insensitive by default)
// loses any, and all of them token, word and URI-parameter characters.
const idAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// Lengths of the random parts of identifiers, in characters.
const (
	branchChars = 20 // 100 bits
	tagChars    = 16 // 80 bits
	callIDChars = 24 // 120 bits
)

// appendID appends n random characters of idAlphabet to b, drawing the
// random bytes into b itself.
func appendID(b []byte, n int) []byte {
	l := len(b)
	b = append(b, make([]byte, n)...)
	// crypto/rand.Read never fails: it crashes the program if the system
	// source does.
	_, _ = rand.Read(b[l:])
	for i := l; i < len(b); i++ {
		b[i] = idAlphabet[b[i]&31]
	}
	return b
}

// ownedString returns b as a string without copying; b must not be used
// afterwards.
func ownedString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// NewBranch returns a new value for a Via branch parameter: [MagicCookie]
// followed by 20 characters carrying 100 random bits from crypto/rand, so
// that it is unique across space and time (RFC 3261 §8.1.1.7).
func NewBranch() string {
	b := make([]byte, 0, len(MagicCookie)+branchChars)
	return ownedString(appendID(append(b, MagicCookie...), branchChars))
}

// NewTag returns a new From or To tag: 16 characters carrying 80 random
// bits from crypto/rand (RFC 3261 §19.3 asks for at least 32).
func NewTag() string {
	return ownedString(appendID(make([]byte, 0, tagChars), tagChars))
}

// NewCallID returns a new Call-ID: 24 characters carrying 120 random bits
// from crypto/rand, followed by "@" and host when host is not empty (RFC
// 3261 §8.1.1.4). The random part alone is unique; a host, which should be
// a host name or IP address, only tells where the call started, and leaving
// it out keeps the address private.
func NewCallID(host string) string {
	n := callIDChars
	if host != "" {
		n += 1 + len(host)
	}
	b := appendID(make([]byte, 0, n), callIDChars)
	if host != "" {
		b = append(append(b, '@'), host...)
	}
	return ownedString(b)
}

// DefaultMaxForwards is the Max-Forwards of the requests the builders make
// (RFC 3261 §8.1.1.6).
const DefaultMaxForwards = 70

// RequestOption configures [NewRequest].
type RequestOption func(*requestConfig)

type requestConfig struct {
	via                                Via
	from, to, contact                  NameAddr
	hasVia, hasFrom, hasTo, hasContact bool
	callID                             string
	cseq                               uint32
	maxForwards                        int
	contentType                        string
	body                               []byte
	extra                              Header
	badExtra                           string // a header WithHeader refused
}

// WithVia gives the request's Via: its transport (UDP when empty), the
// sent-by host and port (no port when 0) and any parameters, such as
// ";rport" (RFC 3581). NewRequest adds a branch from [NewBranch] unless
// v.Params has one already.
func WithVia(v Via) RequestOption {
	return func(c *requestConfig) { c.via, c.hasVia = v, true }
}

// WithFrom gives the From header: the request's originator (RFC 3261
// §8.1.1.3). NewRequest adds a tag from [NewTag] unless from has one.
func WithFrom(from NameAddr) RequestOption {
	return func(c *requestConfig) { c.from, c.hasFrom = from, true }
}

// WithTo gives the To header: the request's logical recipient (RFC 3261
// §8.1.1.2). A tag in it is kept, which makes an in-dialog request; out of
// a dialog, To has no tag.
func WithTo(to NameAddr) RequestOption {
	return func(c *requestConfig) { c.to, c.hasTo = to, true }
}

// WithContact gives the Contact header (RFC 3261 §8.1.1.8): where the
// originator is reached for later requests in the dialog.
func WithContact(contact NameAddr) RequestOption {
	return func(c *requestConfig) { c.contact, c.hasContact = contact, true }
}

// WithCallID gives the Call-ID, instead of a new one from [NewCallID].
func WithCallID(id string) RequestOption {
	return func(c *requestConfig) { c.callID = id }
}

// WithCSeq gives the CSeq sequence number, instead of 1. It must be at
// most [MaxCSeq].
func WithCSeq(seq uint32) RequestOption {
	return func(c *requestConfig) { c.cseq = seq }
}

// WithMaxForwards gives Max-Forwards (0 to 255), instead of
// [DefaultMaxForwards]; an OPTIONS with 0 probes the next hop (RFC 3261
// §11).
func WithMaxForwards(n int) RequestOption {
	return func(c *requestConfig) { c.maxForwards = n }
}

// WithBody gives the body and its Content-Type. The body is not copied.
// Content-Length is not a header to give: serializing writes it from the
// body.
func WithBody(contentType string, body []byte) RequestOption {
	return func(c *requestConfig) { c.contentType, c.body = contentType, body }
}

// WithHeader adds a header field, after the ones NewRequest makes and
// before Content-Type; given several times, the fields keep their order.
// It is for the headers that have no option of their own (Route, Allow,
// Supported, User-Agent ...): NewRequest refuses one of Via, Max-Forwards,
// From, To, Call-ID, CSeq, Contact, Content-Type or Content-Length.
func WithHeader(name, value string) RequestOption {
	return func(c *requestConfig) {
		switch CanonicalName(name) {
		case HeaderVia, HeaderMaxForwards, HeaderFrom, HeaderTo, HeaderCallID, HeaderCSeq,
			HeaderContact, HeaderContentType, HeaderContentLength:
			if c.badExtra == "" {
				c.badExtra = name
			}
			return
		}
		c.extra = append(c.extra, Field{Name: name, Value: value})
	}
}

// NewRequest makes a request outside of a dialog (RFC 3261 §8.1.1) for
// method to requestURI:
//
//   - Via from [WithVia], with a new branch;
//   - Max-Forwards [DefaultMaxForwards];
//   - From from [WithFrom], with a new tag;
//   - To from [WithTo], or else the Request-URI without parameters other
//     than user (§8.1.1.1) — for REGISTER the From URI, the address of
//     record being registered (§10.2);
//   - Call-ID new, or from [WithCallID];
//   - CSeq 1, or from [WithCSeq], with method;
//   - Contact from [WithContact];
//   - the headers from [WithHeader], then Content-Type and the body from
//     [WithBody].
//
// WithVia and WithFrom are always required, and WithContact with a SIP or
// SIPS URI for INVITE, SUBSCRIBE and REFER, which establish dialogs
// (§8.1.1.8): without them NewRequest returns a [*MissingError]. A value
// that would make a message [ParseMessage] rejects is a [*SyntaxError],
// and WithHeader for a header that has its own option is an error too.
//
// Given the dialog's tags, Call-ID, CSeq, remote target and Route fields,
// the same options make a request within a dialog.
func NewRequest(method Method, requestURI URI, opts ...RequestOption) (*Request, error) {
	c := requestConfig{cseq: 1, maxForwards: DefaultMaxForwards}
	for _, o := range opts {
		o(&c)
	}
	if !method.Valid() {
		return nil, syntaxErr("method", string(method))
	}
	if err := checkRequestURI(requestURI); err != nil {
		return nil, err
	}
	switch {
	case !c.hasVia:
		return nil, errMissing(HeaderVia)
	case !c.hasFrom:
		return nil, errMissing(HeaderFrom)
	case c.badExtra != "":
		return nil, errors.New("sip: WithHeader cannot set " + strconv.Quote(c.badExtra) + ", which has its own option")
	case c.cseq > MaxCSeq:
		return nil, syntaxErr("CSeq", strconv.FormatUint(uint64(c.cseq), 10))
	case c.maxForwards < 0 || c.maxForwards > 255:
		return nil, syntaxErr("Max-Forwards", strconv.Itoa(c.maxForwards))
	}
	if method == INVITE || method == SUBSCRIBE || method == REFER {
		if !c.hasContact {
			return nil, errMissing(HeaderContact)
		}
		if !c.contact.URI.IsSIP() {
			return nil, syntaxErr("Contact", c.contact.String())
		}
	}

	// Params.With drops what does not parse: check before adding to them.
	if !validHeaderParams(string(c.via.Params)) {
		return nil, syntaxErr("Via", c.via.String())
	}
	if !validHeaderParams(string(c.from.Params)) {
		return nil, syntaxErr("name-addr", c.from.String())
	}

	via := c.via
	if via.Protocol == "" {
		via.Protocol = "SIP/2.0"
	}
	if via.Transport == "" {
		via.Transport = "UDP"
	}
	if !via.Params.Has("branch") {
		via.Params = via.Params.With("branch", NewBranch())
	}
	from := c.from
	if !from.Params.Has("tag") {
		from.Params = from.Params.With("tag", NewTag())
	}
	to := c.to
	if !c.hasTo {
		to = NameAddr{URI: requestURI}
		if method == REGISTER {
			to.URI = c.from.URI
		}
		to.URI.Params = onlyUserParam(to.URI.Params)
		to.URI.Headers = ""
	}
	callID := c.callID
	if callID == "" {
		callID = NewCallID("")
	}

	h := make(Header, 0, 8+len(c.extra))
	h = append(h,
		Field{Name: HeaderVia, Value: via.String()},
		Field{Name: HeaderMaxForwards, Value: strconv.Itoa(c.maxForwards)},
		Field{Name: HeaderFrom, Value: from.String()},
		Field{Name: HeaderTo, Value: to.String()},
		Field{Name: HeaderCallID, Value: callID},
		Field{Name: HeaderCSeq, Value: CSeq{Seq: c.cseq, Method: method}.String()},
	)
	if c.hasContact {
		h = append(h, Field{Name: HeaderContact, Value: c.contact.String()})
	}
	h = append(h, c.extra...)
	if len(c.body) > 0 && c.contentType == "" {
		// A body needs its type (RFC 3261 §20.15).
		return nil, errMissing(HeaderContentType)
	}
	if c.contentType != "" {
		h = append(h, Field{Name: HeaderContentType, Value: c.contentType})
	}
	req := &Request{Method: method, URI: requestURI, Header: h, Body: c.body}
	if err := checkBuilt(req); err != nil {
		return nil, err
	}
	return req, nil
}

// checkRequestURI checks a Request-URI as the parser does.
func checkRequestURI(u URI) error {
	s := u.String()
	parsed, err := ParseURI(s)
	if err != nil || parsed.IsSIP() && (parsed.Host == "" || parsed.Headers != "") {
		return syntaxErr("Request-URI", s)
	}
	return nil
}

// onlyUserParam keeps the user parameter of URI parameters.
func onlyUserParam(p Params) Params {
	if v, ok := p.Get("user"); ok {
		return Params("").With("user", v)
	}
	return ""
}

// checkBuilt checks a built request's header fields as the parser does, so
// that what NewRequest returns serializes to a message that parses.
func checkBuilt(req *Request) error {
	for _, f := range req.Header {
		if !isToken(f.Name) {
			return syntaxErr("header name", f.Name)
		}
		if strings.ContainsAny(f.Value, "\r\n\x00") {
			return syntaxErr(f.Name, f.Value)
		}
	}
	p := parser{lim: defaultLimits}
	if err := p.validate(req.Header, req); err != nil {
		var pe *ParseError
		if errors.As(err, &pe) && pe.Err != nil {
			return pe.Err
		}
		return err
	}
	return nil
}

// ResponseOption configures [NewResponse].
type ResponseOption func(*responseConfig)

type responseConfig struct {
	toTag string
}

// WithToTag gives the tag NewResponse adds to To when the request's To has
// none, instead of a new one from [NewTag]. A UAS answers one request with
// the same tag in every response but 100 (RFC 3261 §8.2.6.2), and that tag
// is its side of the dialog: it takes the tag from its first response, or
// makes one with NewTag, and gives it to the others.
func WithToTag(tag string) ResponseOption {
	return func(c *responseConfig) { c.toTag = tag }
}

// NewResponse makes the response to req with status code (100 to 699) and
// reason, by default [StatusText] of code (RFC 3261 §8.2.6): it copies the
// Via fields in order, From, To, Call-ID and CSeq. When the request's To
// has no tag and code is not 100, it adds one ([WithToTag]). A 100
// (Trying) copies the request's Timestamp (§8.2.6.1).
//
// The response has no Contact, Record-Route or body: those belong to the
// dialog the response may establish (§12.1.1). Headers missing from req
// are missing from the response. NewResponse panics if code is out of
// range, which is a programming error.
func NewResponse(req *Request, code int, reason string, opts ...ResponseOption) *Response {
	if code < 100 || code > 699 {
		panic("sip: NewResponse: status code " + strconv.Itoa(code) + " is out of range")
	}
	if reason == "" {
		reason = StatusText(code)
	}
	b := &builtResponse{resp: Response{StatusCode: code, Reason: reason}}
	for _, o := range opts {
		o(&b.config)
	}
	h := b.fields[:0]
	var from, to, callID, cseq, timestamp string
	for _, f := range req.Header {
		switch kindOf(f.Name) {
		case kVia:
			h = append(h, Field{Name: HeaderVia, Value: f.Value})
		case kFrom:
			from = firstOf(from, f.Value)
		case kTo:
			to = firstOf(to, f.Value)
		case kCallID:
			callID = firstOf(callID, f.Value)
		case kCSeq:
			cseq = firstOf(cseq, f.Value)
		case kOther:
			if code == StatusTrying && timestamp == "" && equalFold(f.Name, HeaderTimestamp) {
				timestamp = f.Value
			}
		}
	}
	if to != "" && code != StatusTrying {
		to = withTag(to, b.config.toTag)
	}
	for _, f := range [...]Field{
		{Name: HeaderFrom, Value: from},
		{Name: HeaderTo, Value: to},
		{Name: HeaderCallID, Value: callID},
		{Name: HeaderCSeq, Value: cseq},
		{Name: HeaderTimestamp, Value: timestamp},
	} {
		if f.Value != "" {
			h = append(h, f)
		}
	}
	b.resp.Header = h
	return &b.resp
}

// builtResponse is a response and the storage of its usual header fields
// in one allocation; the options, which escape to the functions that set
// them, take no allocation of their own there.
type builtResponse struct {
	resp   Response
	fields [10]Field
	config responseConfig
}

func firstOf(have, v string) string {
	if have != "" {
		return have
	}
	return v
}

// withTag returns a To value with a tag parameter added (tag, or a new
// one), unless it has one already or does not parse.
func withTag(to, tag string) string {
	n, err := ParseNameAddr(to)
	if err != nil || n.Params.Has("tag") {
		return to
	}
	b := make([]byte, 0, len(to)+len(";tag=")+max(len(tag), tagChars))
	b = append(append(b, to...), ";tag="...)
	if tag != "" {
		b = append(b, tag...)
	} else {
		b = appendID(b, tagChars)
	}
	return ownedString(b)
}

// NewAck makes the ACK of a non-2xx final response resp to invite, which
// the INVITE client transaction sends (RFC 3261 §17.1.1.3): the INVITE's
// Request-URI, its top Via alone, Max-Forwards [DefaultMaxForwards], its
// Route fields, From and Call-ID, the To of the response (with the tag the
// UAS added) and CSeq with the INVITE's number and method ACK.
//
// A 2xx is acknowledged within the dialog it establishes (§13.2.2.4), not
// with NewAck: for a 2xx, a provisional response or a request that is not
// an INVITE, NewAck returns an error, and a [*MissingError] for a header
// they lack.
func NewAck(invite *Request, resp *Response) (*Request, error) {
	if invite.Method != INVITE {
		return nil, errors.New("sip: NewAck: the request is " + string(invite.Method) + ", not INVITE")
	}
	if resp.StatusCode < 300 {
		return nil, errors.New("sip: NewAck: response " + strconv.Itoa(resp.StatusCode) +
			" is not a non-2xx final response")
	}
	to := resp.Header.Get(HeaderTo)
	if to == "" {
		return nil, errMissing(HeaderTo)
	}
	return inviteSibling(invite, ACK, to)
}

// NewCancel makes the CANCEL of invite (RFC 3261 §9.1): the INVITE's
// Request-URI, its top Via alone, Max-Forwards [DefaultMaxForwards], its
// Route fields, From, To, Call-ID, and CSeq with the INVITE's number and
// method CANCEL. Only an INVITE is cancelled: for another request, NewCancel
// returns an error, and a [*MissingError] for a header the INVITE lacks.
func NewCancel(invite *Request) (*Request, error) {
	if invite.Method != INVITE {
		return nil, errors.New("sip: NewCancel: the request is " + string(invite.Method) + ", not INVITE")
	}
	to := invite.Header.Get(HeaderTo)
	if to == "" {
		return nil, errMissing(HeaderTo)
	}
	return inviteSibling(invite, CANCEL, to)
}

// inviteSibling makes the ACK or CANCEL of invite, with the given To.
func inviteSibling(invite *Request, method Method, to string) (*Request, error) {
	var via string
	for item := range invite.Header.Items(HeaderVia) {
		via = item
		break
	}
	if via == "" {
		return nil, errMissing(HeaderVia)
	}
	cseq, err := invite.Header.CSeq()
	if err != nil {
		return nil, err
	}
	from := invite.Header.Get(HeaderFrom)
	if from == "" {
		return nil, errMissing(HeaderFrom)
	}
	callID := invite.Header.CallID()
	if callID == "" {
		return nil, errMissing(HeaderCallID)
	}
	h := make(Header, 0, 8)
	h = append(h,
		Field{Name: HeaderVia, Value: via},
		Field{Name: HeaderMaxForwards, Value: strconv.Itoa(DefaultMaxForwards)},
	)
	for v := range invite.Header.Values(HeaderRoute) {
		h = append(h, Field{Name: HeaderRoute, Value: v})
	}
	h = append(h,
		Field{Name: HeaderFrom, Value: from},
		Field{Name: HeaderTo, Value: to},
		Field{Name: HeaderCallID, Value: callID},
		Field{Name: HeaderCSeq, Value: CSeq{Seq: cseq.Seq, Method: method}.String()},
	)
	return &Request{Method: method, URI: invite.URI, Header: h}, nil
}
