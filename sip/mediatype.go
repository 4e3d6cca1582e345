package sip

// MediaType is a Content-Type value (RFC 3261 §20.15): "type/subtype"
// with parameters.
type MediaType struct {
	Type, Subtype string
	Params        Params
}

// String returns the value as text.
func (m MediaType) String() string { return m.Type + "/" + m.Subtype + string(m.Params) }

// Is reports whether the media type is typ/subtype, case-insensitively.
func (m MediaType) Is(typ, subtype string) bool {
	return equalFold(m.Type, typ) && equalFold(m.Subtype, subtype)
}

// ParseMediaType parses a media type.
func ParseMediaType(s string) (MediaType, error) {
	typ, rest := token(s)
	rest, ok := slash(rest)
	sub, rest := token(rest)
	if typ == "" || !ok || sub == "" || !validHeaderParams(rest) {
		return MediaType{}, syntaxErr("media type", s)
	}
	return MediaType{Type: typ, Subtype: sub, Params: Params(trimWS(rest))}, nil
}

// ContentType returns the Content-Type header.
func (h Header) ContentType() (MediaType, error) {
	return parseFirst(h, HeaderContentType, ParseMediaType)
}
