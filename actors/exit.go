package actors

import (
	"errors"
	"fmt"
)

// Exit reasons. An actor's exit reason is an error value: nil and
// [ErrNormal] mean a normal exit, [ErrShutdown] an ordered stop by the
// actor's owner, anything else a crash.
var (
	// ErrNormal is the reason of an actor that finished its work.
	ErrNormal = errors.New("actors: normal")
	// ErrShutdown is the reason of an actor stopped by its owner (a
	// supervisor or the system) as part of an orderly shutdown.
	ErrShutdown = errors.New("actors: shutdown")
	// ErrKilled is the reason reported for an actor that did not finish
	// terminating within its shutdown timeout and was abandoned.
	ErrKilled = errors.New("actors: killed")
	// ErrNoProc is returned when a message or call targets an actor that is
	// not alive, and is the reason a watcher sees for such an actor.
	ErrNoProc = errors.New("actors: no such actor")
	// ErrNameTaken is returned by [System.Register] for a name in use.
	ErrNameTaken = errors.New("actors: name already registered")
	// ErrSystemStopped is returned when spawning on a system that has shut
	// down.
	ErrSystemStopped = errors.New("actors: system stopped")
)

// CrashError is the exit reason of an actor whose callback panicked or
// returned an error other than [ErrNormal] or [ErrShutdown]. It unwraps to
// the cause, so errors.Is(reason, cause) holds for a returned cause.
type CrashError struct {
	// Err is the returned error, or a [*PanicError] for a panic.
	Err error
}

// Error implements error.
func (e *CrashError) Error() string { return "actors: crashed: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *CrashError) Unwrap() error { return e.Err }

// PanicError is the cause of a crash by panic: the value passed to panic
// and the stack of the goroutine that panicked.
type PanicError struct {
	Value any
	Stack []byte
}

// Error implements error.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value when it is an error, so that
// errors.Is(reason, err) holds for panic(err).
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// IsNormal reports whether reason is a normal exit: nil, [ErrNormal] or
// [ErrShutdown] (wrapped or not). A transient child is restarted only when
// its reason is not normal.
func IsNormal(reason error) bool {
	if reason == nil {
		return true
	}
	var crash *CrashError
	if errors.As(reason, &crash) {
		return false // even panic(ErrNormal)
	}
	return errors.Is(reason, ErrNormal) || errors.Is(reason, ErrShutdown)
}

// exitReason turns what a callback returned into an exit reason.
func exitReason(err error) error {
	if IsNormal(err) {
		if err == nil {
			return ErrNormal
		}
		return err
	}
	var crash *CrashError
	if errors.As(err, &crash) {
		return err
	}
	return &CrashError{Err: err}
}
