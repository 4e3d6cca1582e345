// Package sip is the vocabulary of Parrot's SIP stack (RFC 3261): requests
// and responses, URIs (sip, sips, tel and absolute URIs), header fields with
// typed accessors, methods and status codes, the parser for datagrams and
// the [Framer] for streams, the serializer, and the builders of RFC 3261
// §8.1.1 ([NewRequest]), §8.2.6 ([NewResponse]), §9.1 ([NewCancel]) and
// §17.1.1.3 ([NewAck]).
//
// Parsing copies the datagram once; header values are views into that
// copy, and typed headers ([Via], [NameAddr], [CSeq] ...) are parsed from
// them on demand without allocating. A malformed message is a
// [*ParseError] carrying the status the stack answers with (400 naming the
// bad header, 505 for a bad version, 513 for an oversized message).
//
// A parsed message is shared by the actors that handle it: treat it as
// immutable, and [Request.Clone] or [Response.Clone] it to change it.
package sip
