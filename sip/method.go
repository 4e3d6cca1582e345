package sip

// Method is a SIP request method. Methods are case-sensitive (RFC 3261
// §7.1); extension methods are kept as written.
type Method string

// The methods of RFC 3261 and its common extensions.
const (
	INVITE    Method = "INVITE"
	ACK       Method = "ACK"
	BYE       Method = "BYE"
	CANCEL    Method = "CANCEL"
	OPTIONS   Method = "OPTIONS"
	REGISTER  Method = "REGISTER"
	INFO      Method = "INFO"      // RFC 6086
	MESSAGE   Method = "MESSAGE"   // RFC 3428
	UPDATE    Method = "UPDATE"    // RFC 3311
	REFER     Method = "REFER"     // RFC 3515
	SUBSCRIBE Method = "SUBSCRIBE" // RFC 6665
	NOTIFY    Method = "NOTIFY"    // RFC 6665
	PRACK     Method = "PRACK"     // RFC 3262
	PUBLISH   Method = "PUBLISH"   // RFC 3903
)

// Known reports whether m is one of the methods above.
func (m Method) Known() bool {
	switch m {
	case INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO, MESSAGE, UPDATE, REFER, SUBSCRIBE, NOTIFY, PRACK, PUBLISH:
		return true
	}
	return false
}

// Valid reports whether m is a syntactically valid method: a non-empty
// token.
func (m Method) Valid() bool { return m != "" && isToken(string(m)) }

// String returns the method.
func (m Method) String() string { return string(m) }

// internMethod returns the constant for a known method, so that parsed
// methods do not keep the datagram alive through their string.
func internMethod(s string) Method {
	switch s {
	case "INVITE":
		return INVITE
	case "ACK":
		return ACK
	case "BYE":
		return BYE
	case "CANCEL":
		return CANCEL
	case "OPTIONS":
		return OPTIONS
	case "REGISTER":
		return REGISTER
	case "INFO":
		return INFO
	case "MESSAGE":
		return MESSAGE
	case "UPDATE":
		return UPDATE
	case "REFER":
		return REFER
	case "SUBSCRIBE":
		return SUBSCRIBE
	case "NOTIFY":
		return NOTIFY
	case "PRACK":
		return PRACK
	case "PUBLISH":
		return PUBLISH
	}
	return Method(s)
}
