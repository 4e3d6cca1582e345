package testkit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
)

// Probe is an actor that records every message it receives, for a test to
// expect. Calls to a probe wait until the test replies through the
// message's From.
type Probe struct {
	t      testing.TB
	ref    actors.Ref
	mu     sync.Mutex
	queue  []actors.Message
	signal chan struct{}
}

// NewProbe starts a probe on sys; it stops when the test ends.
func NewProbe(t testing.TB, sys *actors.System) *Probe {
	t.Helper()
	p := &Probe{t: t, signal: make(chan struct{}, 1)}
	ref, err := sys.Spawn(probeActor{p})
	if err != nil {
		t.Fatalf("testkit: start probe: %v", err)
	}
	p.ref = ref
	t.Cleanup(func() { stopAndWait(t, ref) })
	return p
}

// Ref returns the probe's Ref, to give to the actors under test.
func (p *Probe) Ref() actors.Ref { return p.ref }

// Watch makes the probe watch ref: its exit arrives as an [actors.Down].
func (p *Probe) Watch(ref actors.Ref) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := actors.Call(ctx, p.ref, watchReq{ref}); err != nil {
		p.t.Fatalf("testkit: probe watch: %v", err)
	}
}

// Receive returns the next message, waiting up to within for it.
func (p *Probe) Receive(within time.Duration) (actors.Message, bool) {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		if len(p.queue) > 0 {
			m := p.queue[0]
			p.queue = p.queue[1:]
			p.mu.Unlock()
			return m, true
		}
		p.mu.Unlock()
		select {
		case <-p.signal:
		case <-deadline.C:
			return actors.Message{}, false
		}
	}
}

// ExpectNoMsg fails the test if a message arrives within d.
func (p *Probe) ExpectNoMsg(d time.Duration) {
	p.t.Helper()
	if m, ok := p.Receive(d); ok {
		p.t.Fatalf("testkit: expected no message, got %T %+v", m.Body, m.Body)
	}
}

// ExpectDown waits for the Down of ref (other messages are dropped) and
// returns its exit reason.
func (p *Probe) ExpectDown(ref actors.Ref, within time.Duration) error {
	p.t.Helper()
	return FishFor(p, within, func(d actors.Down) bool { return d.Ref == ref }).Reason
}

// ExpectMsg returns the next message's body, which must be a T arriving
// within the bound; otherwise the test fails.
func ExpectMsg[T any](p *Probe, within time.Duration) T {
	p.t.Helper()
	m, ok := p.Receive(within)
	if !ok {
		var zero T
		p.t.Fatalf("testkit: expected a %T within %v, got nothing", zero, within)
	}
	v, ok := m.Body.(T)
	if !ok {
		p.t.Fatalf("testkit: expected a %T, got %T %+v", v, m.Body, m.Body)
	}
	return v
}

// ExpectCall returns the next message, which must be a Call with a T body;
// reply through its From.
func ExpectCall[T any](p *Probe, within time.Duration) (T, actors.From) {
	p.t.Helper()
	m, ok := p.Receive(within)
	v, isT := m.Body.(T)
	if !ok || m.Kind != actors.KindCall || !isT {
		p.t.Fatalf("testkit: expected a call with a %T within %v, got %v %T", v, within, m.Kind, m.Body)
	}
	return v, m.From
}

// FishFor drops messages until one is a T for which match is true, and
// returns it; the test fails if none arrives within the bound.
func FishFor[T any](p *Probe, within time.Duration, match func(T) bool) T {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for {
		m, ok := p.Receive(time.Until(deadline))
		if !ok {
			var zero T
			p.t.Fatalf("testkit: no matching %T within %v", zero, within)
		}
		if v, isT := m.Body.(T); isT && match(v) {
			return v
		}
	}
}

type watchReq struct{ ref actors.Ref }

type probeActor struct{ p *Probe }

func (probeActor) Init(*actors.Context) error { return nil }

func (a probeActor) Receive(ctx *actors.Context, m actors.Message) error {
	if w, ok := m.Body.(watchReq); ok && m.Kind == actors.KindCall {
		ctx.Watch(w.ref)
		m.From.Reply(true)
		return nil
	}
	a.p.mu.Lock()
	a.p.queue = append(a.p.queue, m)
	a.p.mu.Unlock()
	select {
	case a.p.signal <- struct{}{}:
	default:
	}
	return nil
}

func (probeActor) Terminate(*actors.Context, error) {}
