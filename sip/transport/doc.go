// Package transport gets SIP messages on and off the wire (RFC 3261 §18).
//
// This file set holds the transport layer's pure rules, used by the
// listener and connection actors: the names and default ports of the
// transports, the stamping of a received request's top Via with received
// and rport (RFC 3261 §18.2.1, RFC 3581 §4), where a response goes (RFC
// 3261 §18.2.2, RFC 3581 §4), and when a request too large for UDP must go
// over a congestion-controlled transport (RFC 3261 §18.1.1).
package transport
