package sip

import (
	"strconv"
	"strings"
	"time"
)

// Token lists: Allow, Supported, Require, Proxy-Require, Unsupported,
// Allow-Events (RFC 3261 §20.5, §20.37, §20.32, §20.29, §20.40; RFC 6665
// §8.2.2).

// Tokens returns the comma-separated tokens of every field named name, in
// order: the methods of Allow, the option tags of Supported, Require,
// Proxy-Require and Unsupported, the event types of Allow-Events. An empty
// field lists none; an empty item or one that is not a token is a
// [*SyntaxError].
func (h Header) Tokens(name string) ([]string, error) {
	var out []string
	for v := range h.Values(name) {
		if trimWS(v) == "" {
			continue // an empty field lists nothing
		}
		for rest, more := v, true; more; {
			var item string
			item, rest, more = nextToken(rest)
			if !isToken(item) {
				return nil, syntaxErr(CanonicalName(name), v)
			}
			out = append(out, item)
		}
	}
	return out, nil
}

// nextToken splits the first comma-separated item off a token list; more
// reports whether a comma followed it.
func nextToken(v string) (item, rest string, more bool) {
	comma := strings.IndexByte(v, ',')
	if comma < 0 {
		return trimWS(v), "", false
	}
	return trimWS(v[:comma]), v[comma+1:], true
}

// HasToken reports whether a field named name lists token, compared
// case-insensitively. It does not allocate; malformed items are skipped.
func (h Header) HasToken(name, token string) bool {
	for v := range h.Values(name) {
		for rest, more := v, true; more; {
			var item string
			item, rest, more = nextToken(rest)
			if equalFold(item, token) {
				return true
			}
		}
	}
	return false
}

// Allow returns the methods of the Allow header fields (RFC 3261 §20.5).
func (h Header) Allow() ([]Method, error) {
	tokens, err := h.Tokens(HeaderAllow)
	if err != nil || tokens == nil {
		return nil, err
	}
	methods := make([]Method, len(tokens))
	for i, t := range tokens {
		methods[i] = internMethod(t)
	}
	return methods, nil
}

// Supported returns the option tags of the Supported header fields.
func (h Header) Supported() ([]string, error) { return h.Tokens(HeaderSupported) }

// Require returns the option tags of the Require header fields.
func (h Header) Require() ([]string, error) { return h.Tokens(HeaderRequire) }

// ProxyRequire returns the option tags of the Proxy-Require header fields.
func (h Header) ProxyRequire() ([]string, error) { return h.Tokens(HeaderProxyRequire) }

// Unsupported returns the option tags of the Unsupported header fields.
func (h Header) Unsupported() ([]string, error) { return h.Tokens(HeaderUnsupported) }

// AllowEvents returns the event types of the Allow-Events header fields
// (RFC 6665 §8.2.2).
func (h Header) AllowEvents() ([]string, error) { return h.Tokens(HeaderAllowEvents) }

// Accept (RFC 3261 §20.1).

// Accept returns the media ranges of the Accept header fields, in order,
// with their parameters (the q parameter is checked; see
// [MediaType.Q]). A missing Accept header gives none, as an empty one
// does; RFC 3261 §20.1 gives them different meanings (application/sdp
// and nothing): tell them apart with [Header.Has].
func (h Header) Accept() ([]MediaType, error) {
	var out []MediaType
	for v := range h.Values(HeaderAccept) {
		if trimWS(v) == "" {
			continue
		}
		for rest := v; ; {
			item, more := nextItem(rest)
			m, err := ParseMediaType(item)
			if err != nil || m.Type == "*" && m.Subtype != "*" {
				return nil, syntaxErr(HeaderAccept, v)
			}
			if _, err := m.Q(); err != nil {
				return nil, syntaxErr(HeaderAccept, v)
			}
			out = append(out, m)
			if more == "" {
				break
			}
			rest = more
		}
	}
	return out, nil
}

// Q returns the media range's q parameter in thousandths (RFC 3261 §20.1:
// "q=0.5" is 500), 1000 when there is none.
func (m MediaType) Q() (int, error) { return qParam(m.Params) }

// Q returns the q parameter of a Contact in thousandths (RFC 3261
// §20.10), 1000 when there is none.
func (n NameAddr) Q() (int, error) { return qParam(n.Params) }

func qParam(p Params) (int, error) {
	v, ok := p.Get("q")
	if !ok {
		return 1000, nil
	}
	return ParseQValue(v)
}

// ParseQValue parses a qvalue (RFC 3261 §25.1: "0" to "1" with at most
// three decimals) into thousandths.
func ParseQValue(s string) (int, error) {
	if s == "" || s[0] != '0' && s[0] != '1' || len(s) > 5 || len(s) > 1 && s[1] != '.' {
		return 0, syntaxErr("qvalue", s)
	}
	n, scale := int(s[0]-'0')*1000, 100
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, syntaxErr("qvalue", s)
		}
		n += int(s[i]-'0') * scale
		scale /= 10
	}
	if n > 1000 {
		return 0, syntaxErr("qvalue", s)
	}
	return n, nil
}

// Matches reports whether the media range m ("*/*", "type/*" or
// "type/subtype") includes typ/subtype, case-insensitively.
func (m MediaType) Matches(typ, subtype string) bool {
	return (m.Type == "*" || equalFold(m.Type, typ)) && (m.Subtype == "*" || equalFold(m.Subtype, subtype))
}

// Event (RFC 6665 §8.2.1).

// Event is the Event header: an event type (a package with optional
// templates, "presence.winfo") and parameters, among them id.
type Event struct {
	Type   string
	Params Params
}

// ParseEvent parses an Event value.
func ParseEvent(s string) (Event, error) {
	typ, rest := token(s)
	rest = trimWS(rest)
	if !validEventType(typ) || !validHeaderParams(rest) {
		return Event{}, syntaxErr(HeaderEvent, s)
	}
	e := Event{Type: typ, Params: Params(rest)}
	if id, ok := e.Params.Get("id"); ok && !isToken(id) {
		return Event{}, syntaxErr(HeaderEvent, s)
	}
	return e, nil
}

// validEventType checks token-nodot *("." token-nodot), given a token.
func validEventType(s string) bool {
	return s != "" && s[0] != '.' && s[len(s)-1] != '.' && !strings.Contains(s, "..")
}

// ID returns the id parameter, or "".
func (e Event) ID() string { id, _ := e.Params.Get("id"); return id }

// Package returns the event package: the type without its templates.
func (e Event) Package() string {
	if dot := strings.IndexByte(e.Type, '.'); dot >= 0 {
		return e.Type[:dot]
	}
	return e.Type
}

// Matches reports whether e and o name the same subscription: the same
// event type and id, compared byte by byte (RFC 6665 §8.2.1).
func (e Event) Matches(o Event) bool { return e.Type == o.Type && e.ID() == o.ID() }

// String returns the value as text.
func (e Event) String() string { return string(e.AppendTo(nil)) }

// AppendTo appends the value's text to b.
func (e Event) AppendTo(b []byte) []byte { return append(append(b, e.Type...), e.Params...) }

// Event returns the Event header.
func (h Header) Event() (Event, error) {
	return parseFirst(h, HeaderEvent, ParseEvent)
}

// Subscription-State (RFC 6665 §8.2.3).

// Subscription states.
const (
	SubStateActive     = "active"
	SubStatePending    = "pending"
	SubStateTerminated = "terminated"
)

// Reasons of a terminated subscription (RFC 6665 §4.1.3).
const (
	SubReasonDeactivated = "deactivated"
	SubReasonProbation   = "probation"
	SubReasonRejected    = "rejected"
	SubReasonTimeout     = "timeout"
	SubReasonGiveUp      = "giveup"
	SubReasonNoResource  = "noresource"
	SubReasonInvariant   = "invariant"
)

// SubscriptionState is the Subscription-State header: the state as
// written and parameters (reason, expires, retry-after ...).
type SubscriptionState struct {
	State  string
	Params Params
}

// ParseSubscriptionState parses a Subscription-State value; expires and
// retry-after must be delta-seconds, reason a token.
func ParseSubscriptionState(s string) (SubscriptionState, error) {
	state, rest := token(s)
	rest = trimWS(rest)
	if state == "" || !validHeaderParams(rest) {
		return SubscriptionState{}, syntaxErr(HeaderSubscriptionState, s)
	}
	ss := SubscriptionState{State: state, Params: Params(rest)}
	for _, name := range [...]string{"expires", "retry-after"} {
		if v, ok := ss.Params.Get(name); ok {
			if _, ok := atoi(v, 1<<32-1); !ok {
				return SubscriptionState{}, syntaxErr(HeaderSubscriptionState, s)
			}
		}
	}
	if r, ok := ss.Params.Get("reason"); ok && !isToken(r) {
		return SubscriptionState{}, syntaxErr(HeaderSubscriptionState, s)
	}
	return ss, nil
}

// Is reports whether the state is state, case-insensitively.
func (s SubscriptionState) Is(state string) bool { return equalFold(s.State, state) }

// Reason returns the reason parameter, or "".
func (s SubscriptionState) Reason() string { r, _ := s.Params.Get("reason"); return r }

// Expires returns the expires parameter in seconds and whether it is
// present.
func (s SubscriptionState) Expires() (int, bool) { return s.seconds("expires") }

// RetryAfter returns the retry-after parameter in seconds and whether it
// is present.
func (s SubscriptionState) RetryAfter() (int, bool) { return s.seconds("retry-after") }

func (s SubscriptionState) seconds(name string) (int, bool) {
	v, ok := s.Params.Get(name)
	if !ok {
		return 0, false
	}
	n, ok := atoi(v, 1<<32-1)
	return int(n), ok
}

// String returns the value as text.
func (s SubscriptionState) String() string { return string(s.AppendTo(nil)) }

// AppendTo appends the value's text to b.
func (s SubscriptionState) AppendTo(b []byte) []byte {
	return append(append(b, s.State...), s.Params...)
}

// SubscriptionState returns the Subscription-State header.
func (h Header) SubscriptionState() (SubscriptionState, error) {
	return parseFirst(h, HeaderSubscriptionState, ParseSubscriptionState)
}

// Refer-To and Referred-By (RFC 3515 §2.1, RFC 3892 §3).

// ReferTo returns the Refer-To header.
func (h Header) ReferTo() (NameAddr, error) { return h.nameAddr(HeaderReferTo) }

// ReferredBy returns the Referred-By header.
func (h Header) ReferredBy() (NameAddr, error) { return h.nameAddr(HeaderReferredBy) }

// RSeq and RAck (RFC 3262 §7).

// MaxRSeq is the largest response number of RSeq and RAck: they are 32-bit
// unsigned integers (RFC 3262 §3, §7).
const MaxRSeq = 1<<32 - 1

// ParseRSeq parses an RSeq value: 1*DIGIT up to [MaxRSeq].
func ParseRSeq(s string) (uint32, error) {
	n, ok := atoi(trimWS(s), MaxRSeq)
	if !ok {
		return 0, syntaxErr(HeaderRSeq, s)
	}
	return uint32(n), nil
}

// RSeq returns the RSeq header.
func (h Header) RSeq() (uint32, error) {
	return parseFirst(h, HeaderRSeq, ParseRSeq)
}

// RAck is the RAck header: the response number of the reliable
// provisional response acknowledged, and the CSeq of that response.
type RAck struct {
	RSeq uint32
	CSeq CSeq
}

// ParseRAck parses an RAck value: response-num LWS CSeq-num LWS Method.
func ParseRAck(s string) (RAck, error) {
	t := trimWS(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n, ok := atoi(t[:i], MaxRSeq)
	if !ok || i == len(t) || !isWS(t[i]) {
		return RAck{}, syntaxErr(HeaderRAck, s)
	}
	cseq, err := ParseCSeq(t[i:])
	if err != nil {
		return RAck{}, syntaxErr(HeaderRAck, s)
	}
	return RAck{RSeq: uint32(n), CSeq: cseq}, nil
}

// String returns the value as text.
func (r RAck) String() string { return string(r.AppendTo(nil)) }

// AppendTo appends the value's text to b.
func (r RAck) AppendTo(b []byte) []byte {
	b = strconv.AppendUint(b, uint64(r.RSeq), 10)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(r.CSeq.Seq), 10)
	b = append(b, ' ')
	return append(b, r.CSeq.Method...)
}

// RAck returns the RAck header.
func (h Header) RAck() (RAck, error) {
	return parseFirst(h, HeaderRAck, ParseRAck)
}

// Session-Expires and Min-SE (RFC 4028 §4, §5).

// Refresher parameter values.
const (
	RefresherUAC = "uac"
	RefresherUAS = "uas"
)

// SessionExpires is the Session-Expires header: the session interval and
// parameters, among them refresher.
type SessionExpires struct {
	Seconds int
	Params  Params
}

// ParseSessionExpires parses a Session-Expires value; a refresher
// parameter must be uac or uas.
func ParseSessionExpires(s string) (SessionExpires, error) {
	n, params, ok := deltaWithParams(s)
	if !ok {
		return SessionExpires{}, syntaxErr(HeaderSessionExpires, s)
	}
	se := SessionExpires{Seconds: n, Params: params}
	if r, ok := params.Get("refresher"); ok && !equalFold(r, RefresherUAC) && !equalFold(r, RefresherUAS) {
		return SessionExpires{}, syntaxErr(HeaderSessionExpires, s)
	}
	return se, nil
}

// deltaWithParams parses delta-seconds *(SEMI generic-param).
func deltaWithParams(s string) (int, Params, bool) {
	t := trimWS(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n, ok := atoi(t[:i], 1<<32-1)
	rest := t[i:]
	if !ok || !validHeaderParams(rest) {
		return 0, "", false
	}
	return int(n), Params(trimWS(rest)), true
}

// Refresher returns [RefresherUAC], [RefresherUAS], or "" when the
// parameter is absent.
func (s SessionExpires) Refresher() string {
	r, _ := s.Params.Get("refresher")
	switch {
	case equalFold(r, RefresherUAC):
		return RefresherUAC
	case equalFold(r, RefresherUAS):
		return RefresherUAS
	}
	return ""
}

// String returns the value as text.
func (s SessionExpires) String() string { return string(s.AppendTo(nil)) }

// AppendTo appends the value's text to b.
func (s SessionExpires) AppendTo(b []byte) []byte {
	return append(strconv.AppendInt(b, int64(s.Seconds), 10), s.Params...)
}

// SessionExpires returns the Session-Expires header.
func (h Header) SessionExpires() (SessionExpires, error) {
	return parseFirst(h, HeaderSessionExpires, ParseSessionExpires)
}

// MinSE returns the Min-SE header in seconds (its parameters are checked
// and ignored).
func (h Header) MinSE() (int, error) {
	for v := range h.Values(HeaderMinSE) {
		n, _, ok := deltaWithParams(v)
		if !ok {
			return 0, syntaxErr(HeaderMinSE, v)
		}
		return n, nil
	}
	return 0, errMissing(HeaderMinSE)
}

// MinExpires returns the Min-Expires header in seconds, or -1 if absent
// or invalid, as [Header.Expires].
func (h Header) MinExpires() int { return h.number(HeaderMinExpires, 1<<32-1) }

// User-Agent and Server (RFC 3261 §20.41, §20.35), kept as written.

// UserAgent returns the User-Agent header, or "".
func (h Header) UserAgent() string { return h.Get(HeaderUserAgent) }

// Server returns the Server header, or "".
func (h Header) Server() string { return h.Get(HeaderServer) }

// Date (RFC 3261 §20.17).

// dateLayout is rfc1123-date with the only zone SIP allows.
const dateLayout = "Mon, 02 Jan 2006 15:04:05 GMT"

// ParseDate parses a SIP-date: the RFC 1123 form, in GMT ("Sat, 13 Nov
// 2010 23:29:00 GMT").
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, trimWS(s))
	if err != nil {
		return time.Time{}, syntaxErr(HeaderDate, s)
	}
	return t, nil
}

// FormatDate returns t as a SIP-date, in GMT.
func FormatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// Date returns the Date header.
func (h Header) Date() (time.Time, error) {
	return parseFirst(h, HeaderDate, ParseDate)
}

// Timestamp (RFC 3261 §20.38).

// Timestamp is the Timestamp header: the time the client sent the request
// and the delay the server adds in the response (RFC 3261 §8.2.6.1), both
// as written (decimal seconds, the delay "" when absent).
type Timestamp struct {
	Time  string
	Delay string
}

// ParseTimestamp parses a Timestamp value: 1*DIGIT ["." *DIGIT] [LWS
// delay], delay being *DIGIT ["." *DIGIT].
func ParseTimestamp(s string) (Timestamp, error) {
	t := trimWS(s)
	i := decimalEnd(t)
	if i == 0 || t[0] == '.' {
		return Timestamp{}, syntaxErr(HeaderTimestamp, s)
	}
	ts := Timestamp{Time: t[:i]}
	if rest := t[i:]; rest != "" {
		if !isWS(rest[0]) {
			return Timestamp{}, syntaxErr(HeaderTimestamp, s)
		}
		rest = skipWS(rest)
		if decimalEnd(rest) != len(rest) {
			return Timestamp{}, syntaxErr(HeaderTimestamp, s)
		}
		ts.Delay = rest
	}
	return ts, nil
}

// decimalEnd returns the length of the *DIGIT ["." *DIGIT] s starts with.
func decimalEnd(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i
}

// WithDelay returns t with the delay set to d, in seconds with
// millisecond precision; a negative d counts as 0.
func (t Timestamp) WithDelay(d time.Duration) Timestamp {
	ms := max(d.Milliseconds(), 0)
	t.Delay = strconv.FormatInt(ms/1000, 10) + "." + strconv.FormatInt(1000+ms%1000, 10)[1:]
	return t
}

// String returns the value as text.
func (t Timestamp) String() string { return string(t.AppendTo(nil)) }

// AppendTo appends the value's text to b.
func (t Timestamp) AppendTo(b []byte) []byte {
	b = append(b, t.Time...)
	if t.Delay != "" {
		b = append(b, ' ')
		b = append(b, t.Delay...)
	}
	return b
}

// Timestamp returns the Timestamp header.
func (h Header) Timestamp() (Timestamp, error) {
	return parseFirst(h, HeaderTimestamp, ParseTimestamp)
}

// Warning (RFC 3261 §20.43).

// Warning codes of RFC 3261 §20.43.
const (
	WarnIncompatibleNetworkProtocol = 300
	WarnIncompatibleAddressFormat   = 301
	WarnIncompatibleTransport       = 302
	WarnIncompatibleBandwidthUnits  = 303
	WarnMediaTypeNotAvailable       = 304
	WarnIncompatibleMediaFormat     = 305
	WarnAttributeNotUnderstood      = 306
	WarnSessionParamNotUnderstood   = 307
	WarnMulticastNotAvailable       = 330
	WarnUnicastNotAvailable         = 331
	WarnInsufficientBandwidth       = 370
	WarnMiscellaneous               = 399
)

// Warning is one warning-value of a Warning header.
type Warning struct {
	// Code is the three-digit warn-code.
	Code int
	// Agent is the warn-agent: a host[:port] or a pseudonym.
	Agent string
	// Text is the warn-text without its quotes and escapes.
	Text string
}

// ParseWarning parses one warning-value: warn-code SP warn-agent SP
// warn-text.
func ParseWarning(s string) (Warning, error) {
	t := trimWS(s)
	if len(t) < 4 || !isWS(t[3]) {
		return Warning{}, syntaxErr(HeaderWarning, s)
	}
	code, ok := atoi(t[:3], 999)
	t = skipWS(t[3:])
	sp := strings.IndexAny(t, " \t")
	if !ok || sp <= 0 {
		return Warning{}, syntaxErr(HeaderWarning, s)
	}
	agent, text := t[:sp], skipWS(t[sp:])
	if _, _, hostport := splitHostPort(agent); !hostport && !isToken(agent) ||
		text == "" || text[0] != '"' || quotedEnd(text) != len(text) {
		return Warning{}, syntaxErr(HeaderWarning, s)
	}
	return Warning{Code: int(code), Agent: agent, Text: unquote(text)}, nil
}

// String returns the warning-value as text.
func (w Warning) String() string { return string(w.AppendTo(nil)) }

// AppendTo appends the warning-value's text to b, quoting the text.
func (w Warning) AppendTo(b []byte) []byte {
	b = strconv.AppendInt(b, int64(w.Code), 10)
	b = append(b, ' ')
	b = append(b, w.Agent...)
	b = append(b, ' ')
	return AppendQuoted(b, w.Text)
}

// Warnings returns the warning-values of the Warning header fields, in
// order.
func (h Header) Warnings() ([]Warning, error) {
	var out []Warning
	for item := range h.Items(HeaderWarning) {
		w, err := ParseWarning(item)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}
