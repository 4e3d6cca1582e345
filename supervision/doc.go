// Package supervision provides OTP supervisors on the actors runtime.
//
// A supervisor starts its children in order from [ChildSpec] values, watches
// them, and restarts them when they exit as their restart type says
// ([Permanent], [Transient], [Temporary]) with its [Strategy] ([OneForOne],
// [OneForAll], [RestForOne]). More than Intensity restarts within Period
// makes the supervisor stop its children and exit with
// [ErrTooManyRestarts], so that its own supervisor sees it fail: crash loops
// escalate up the tree instead of spinning. Children stop in the reverse of
// their start order, each within its shutdown timeout.
//
// Dynamic children ([StartChild], [TerminateChild], [DeleteChild],
// [RestartChild]) serve per-call actors; [WhichChildren] introspects a
// running tree.
package supervision
