// Package transport gets SIP messages on and off the wire (RFC 3261 §18).
//
// Listeners: [ListenUDP], [ListenTCP], [ListenTLS], [ListenWS] and
// [ListenWSS] read messages, stamp requests with where they came from
// (received and rport: [StampReceived], RFC 3261 §18.2.1, RFC 3581) and hand
// them to a [Handler] as [Inbound] values; they send responses back where
// [ResponseTarget] says (§18.2.2) and requests where a [Locator] finds the
// destinations (RFC 3263), through a [Mux] that picks the listener, fails
// over and moves large requests off UDP (§18.1.1). Streams are framed by
// Content-Length, answer CRLF keep-alives and write through a bounded
// queue per connection; WebSocket carries one message per frame (RFC 7118).
// A malformed request is answered with the parser's status when it can be
// (sip.ErrorResponse); garbage is counted and dropped; a [Tracer] sees every
// message in and out.
//
// The package is pure I/O and routing: it imports nothing of the project
// but package sip. The actors that run listeners under supervision are in
// sip/stack.
package transport
