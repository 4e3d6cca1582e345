package actors_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
)

const (
	// within bounds every wait for something that must happen; the wait
	// ends as soon as it does.
	within = 5 * time.Second
	// quiet is how long a test watches for something that must not happen.
	quiet = 100 * time.Millisecond
)

var errBoom = errors.New("boom")

// Commands a worker obeys.
type (
	// fail makes the worker's Receive return err.
	fail struct{ err error }
	// explode makes the worker's Receive panic with v.
	explode struct{ v any }
)

// What a worker reports to its probe.
type (
	received struct {
		Kind actors.Kind
		Body any
	}
	terminated struct {
		ID     string
		Reason error
	}
)

// worker reports every message it receives and its exit reason to report,
// answers the call "ping" with "pong", and obeys fail and explode.
type worker struct {
	id     string
	report actors.Ref
}

func (w worker) Init(*actors.Context) error { return nil }

func (w worker) Receive(_ *actors.Context, m actors.Message) error {
	switch b := m.Body.(type) {
	case fail:
		return b.err
	case explode:
		panic(b.v)
	case string:
		if b == "ping" && m.Kind == actors.KindCall {
			m.From.Reply("pong")
			return nil
		}
	}
	actors.Send(w.report, received{Kind: m.Kind, Body: m.Body})
	return nil
}

func (w worker) Terminate(_ *actors.Context, reason error) {
	actors.Send(w.report, terminated{ID: w.id, Reason: reason})
}

// scripted is an actor whose callbacks are functions; a nil one does
// nothing.
type scripted struct {
	init      func(*actors.Context) error
	receive   func(*actors.Context, actors.Message) error
	terminate func(*actors.Context, error)
}

func (s scripted) Init(ctx *actors.Context) error {
	if s.init == nil {
		return nil
	}
	return s.init(ctx)
}

func (s scripted) Receive(ctx *actors.Context, m actors.Message) error {
	if s.receive == nil {
		return nil
	}
	return s.receive(ctx, m)
}

func (s scripted) Terminate(ctx *actors.Context, reason error) {
	if s.terminate != nil {
		s.terminate(ctx, reason)
	}
}

// spawn starts a on sys; the test fails if it does not start.
func spawn(t *testing.T, sys *actors.System, a actors.Actor, opts ...actors.SpawnOption) actors.Ref {
	t.Helper()
	ref, err := sys.Spawn(a, opts...)
	if err != nil {
		t.Fatalf("Spawn: %v", err)
	}
	return ref
}

// call calls ref with the test's bound as deadline.
func call(ref actors.Ref, req any) (any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	return actors.Call(ctx, ref, req)
}

// awaitExit waits for ref to exit and returns its reason.
func awaitExit(t *testing.T, ref actors.Ref) error {
	t.Helper()
	select {
	case <-ref.Done():
		return ref.ExitReason()
	case <-time.After(within):
		t.Fatalf("%s did not exit within %v", ref, within)
		return nil
	}
}

// logBuffer is a bytes.Buffer that a logger may write to while the test
// reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the lines logged so far that contain every one of subs.
func (l *logBuffer) lines(subs ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
next:
	for _, line := range strings.Split(l.b.String(), "\n") {
		if line == "" {
			continue
		}
		for _, s := range subs {
			if !strings.Contains(line, s) {
				continue next
			}
		}
		out = append(out, line)
	}
	return out
}
