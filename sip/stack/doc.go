// Package stack hosts the SIP layers in actors: the shells that run the
// pure cores of sip/transport (and, later, the transaction and dialog
// machines) under supervision.
package stack
