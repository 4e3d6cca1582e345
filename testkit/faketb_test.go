package testkit_test

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// fakeTB is a testing.TB for checking that testkit fails a test when it
// should: it records failures and log lines instead of reporting them, and
// collects cleanups for the real test to run. What it does not override
// goes to the real test.
type fakeTB struct {
	testing.TB

	mu       sync.Mutex
	failures []string
	logs     []string
	cleanups []func()
}

func newFakeTB(t *testing.T) *fakeTB {
	f := &fakeTB{TB: t}
	t.Cleanup(f.finish) // in case the real test ends early
	return f
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

func (f *fakeTB) Log(args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprint(args...))
}

func (f *fakeTB) Logf(format string, args ...any) { f.Log(fmt.Sprintf(format, args...)) }

func (f *fakeTB) Error(args ...any) { f.fail(fmt.Sprint(args...)) }

func (f *fakeTB) Errorf(format string, args ...any) { f.fail(fmt.Sprintf(format, args...)) }

func (f *fakeTB) Fail() { f.fail("Fail") }

func (f *fakeTB) Fatal(args ...any) { f.fail(fmt.Sprint(args...)); runtime.Goexit() }

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fail(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (f *fakeTB) FailNow() { f.fail("FailNow"); runtime.Goexit() }

func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.failures) > 0
}

func (f *fakeTB) fail(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, msg)
}

// run runs body as a test function would run: on a goroutine of its own, so
// that a Fatal ends it and not the real test. It reports whether body ran
// to its end.
func (f *fakeTB) run(body func()) (completed bool) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		body()
		completed = true
	}()
	<-done
	return completed
}

// finish runs the collected cleanups, the last registered first, as the
// testing package does at the end of a test.
func (f *fakeTB) finish() {
	for {
		f.mu.Lock()
		if len(f.cleanups) == 0 {
			f.mu.Unlock()
			return
		}
		fn := f.cleanups[len(f.cleanups)-1]
		f.cleanups = f.cleanups[:len(f.cleanups)-1]
		f.mu.Unlock()
		fn()
	}
}

func (f *fakeTB) recorded() (failures, logs []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.failures), slices.Clone(f.logs)
}

// expectFailure fails the real test unless exactly one failure containing
// want was recorded.
func (f *fakeTB) expectFailure(t *testing.T, want string) {
	t.Helper()
	failures, _ := f.recorded()
	if len(failures) != 1 || !strings.Contains(failures[0], want) {
		t.Fatalf("failures %q; want one containing %q", failures, want)
	}
}

func (f *fakeTB) expectNoFailure(t *testing.T) {
	t.Helper()
	if failures, _ := f.recorded(); len(failures) != 0 {
		t.Fatalf("unexpected failures: %q", failures)
	}
}
