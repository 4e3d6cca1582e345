// Package behaviours holds what users implement on the actors runtime: the
// gen_server-like [Server] (and, with the SIP and media layers, the
// SIPHandler and MediaHandler behaviours). The gen_statem-like behaviour
// lives in the subpackage statem.
package behaviours
