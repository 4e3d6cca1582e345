// Package statem is a gen_statem-like behaviour: a state machine whose
// callback maps (state, event) to a [Transition] carrying the next state and
// [Action] values, with Erlang/OTP's semantics.
//
// The semantics, as OTP's gen_statem documents them:
//   - State enter calls ([WithStateEnter]): after every state change, and for
//     the initial state, the machine's HandleEvent is called with an [Enter]
//     event whose Msg is the previous state. An enter call may not change
//     the state, postpone or insert events.
//   - Event kinds: [Call], [Cast], [Info] from the mailbox, [Internal] from
//     [NextEvent], [StateTimeout], [EventTimeout] and named [Timeout]s.
//   - [Postpone] keeps the current event until the state changes; postponed
//     events are then replayed, oldest first, before the mailbox.
//   - [NextEvent] inserts events to be handled before anything queued, in
//     the order given, and before replayed postponed events.
//   - [SetStateTimeout]: cancelled by any state change; [SetEventTimeout]:
//     cancelled by any event; [SetTimeout]: named generic timeouts that only
//     a new [SetTimeout] with the same name (restart) or [CancelTimeout]
//     ends. A zero timeout is queued after the events already queued.
//   - [Stop] ends the machine with a reason after its replies are sent;
//     Terminate runs last.
//
// [Engine] is the pure core: it reads no clock, starts no goroutine and asks
// a [Scheduler] for timers. [New] hosts an Engine in an actor, with timers
// through the actor system's clock; tests drive an Engine directly in
// virtual time (see package testkit).
//
// An event a machine does not handle is an explicit choice: the machine
// returns [Unhandled], and the engine drops it with a debug log (a call gets
// [ErrUnhandled] as its reply), postpones it, or crashes, as [WithUnhandled]
// says.
package statem
