// Package actors is Parrot's actor runtime: the one place (with package
// supervision) that knows protoactor-go is underneath.
//
// It owns the [System] and its start-up options, the opaque [Ref] to an actor,
// message passing ([Send], [Cast], [Call] with a context deadline), exit
// reasons as error values ([ErrNormal], [ErrShutdown], [*CrashError]),
// monitoring through [Context.Watch] and [Down] notifications, registered
// names, and the [Clock] through which every timer in the project goes, with
// a real implementation and a deterministic [VirtualClock] for tests.
//
// An actor is anything that implements [Actor]: Init runs first, Receive
// handles one [Message] at a time, and Terminate runs last with the reason the
// actor exits for. A panic or an error returned from a callback is a crash:
// the actor stops, its watchers see a [Down] carrying a [*CrashError], and a
// supervisor (package supervision) decides what to restart. Behaviours built
// on Actor live in package behaviours (gen_server-like) and
// behaviours/statem (gen_statem-like).
package actors
