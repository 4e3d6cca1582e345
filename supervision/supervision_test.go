package supervision_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/supervision"
	"github.com/parrot-platform/parrot/testkit"
)

// within bounds every wait of these tests. It is real time, and far longer
// than anything here takes: a wait only lasts that long when the test fails.
const within = time.Second

var (
	errBoom = errors.New("boom")
	errInit = errors.New("init refused")
)

// event is what a worker reports: its Init and its Terminate, in order.
type event struct {
	id     string
	what   string // "init" or "terminate"
	ref    actors.Ref
	reason error // of a terminate
}

func (e event) String() string { return e.what + " " + e.id }

// Messages a worker acts on.
type (
	panicNow struct{} // Receive panics with "boom"
	failNow  struct{} // Receive returns errBoom
	finish   struct{} // Receive returns actors.ErrNormal: work done
)

// worker is a child that reports its life to report.
type worker struct {
	id      string
	report  func(event)
	initErr error
	// release, when set, blocks Terminate until it is closed.
	release <-chan struct{}
}

func (w *worker) Init(ctx *actors.Context) error {
	if w.initErr != nil {
		return w.initErr
	}
	w.report(event{id: w.id, what: "init", ref: ctx.Self()})
	return nil
}

func (w *worker) Receive(_ *actors.Context, m actors.Message) error {
	switch m.Body.(type) {
	case panicNow:
		panic("boom")
	case failNow:
		return errBoom
	case finish:
		return actors.ErrNormal
	}
	return nil
}

func (w *worker) Terminate(ctx *actors.Context, reason error) {
	w.report(event{id: w.id, what: "terminate", ref: ctx.Self(), reason: reason})
	if w.release != nil {
		<-w.release
	}
}

// child returns the spec of a worker that reports to report.
func child(id string, r supervision.Restart, report func(event)) supervision.ChildSpec {
	return supervision.ChildSpec{
		ID:      id,
		Restart: r,
		Start:   func() actors.Actor { return &worker{id: id, report: report} },
	}
}

// to reports events as messages to a probe.
func to(p *testkit.Probe) func(event) {
	ref := p.Ref()
	return func(e event) { actors.Send(ref, e) }
}

func quiet(event) {}

// recorder collects events in a slice, for when no probe can outlive what
// is observed (a system shutdown stops the probes too).
type recorder struct {
	mu  sync.Mutex
	evs []event
}

func (r *recorder) add(e event) {
	r.mu.Lock()
	r.evs = append(r.evs, e)
	r.mu.Unlock()
}

func (r *recorder) events() []event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.evs)
}

// expectEvent fails the test unless the probe's next message is the event
// "what id"; it returns the event.
func expectEvent(t *testing.T, p *testkit.Probe, what, id string) event {
	t.Helper()
	e := testkit.ExpectMsg[event](p, within)
	if e.what != what || e.id != id {
		t.Fatalf("got event %q, want %q", e, what+" "+id)
	}
	return e
}

type marker struct{}

// expectNoMoreEvents fails the test if the probe holds an event sent before
// the call. Use it once the events wanted have all been sent: the marker
// goes behind them in the probe's mailbox.
func expectNoMoreEvents(t *testing.T, p *testkit.Probe) {
	t.Helper()
	actors.Send(p.Ref(), marker{})
	testkit.ExpectMsg[marker](p, within)
}

// expectDowns waits for the Downs of exactly n actors, in any order, and
// returns their reasons.
func expectDowns(t *testing.T, p *testkit.Probe, n int) map[actors.Ref]error {
	t.Helper()
	got := make(map[actors.Ref]error, n)
	for len(got) < n {
		d := testkit.ExpectMsg[actors.Down](p, within)
		if _, dup := got[d.Ref]; dup {
			t.Fatalf("second Down for %v", d.Ref)
		}
		got[d.Ref] = d.Reason
	}
	return got
}

func callCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func which(t *testing.T, sup actors.Ref) []supervision.ChildInfo {
	t.Helper()
	cs, err := supervision.WhichChildren(callCtx(t), sup)
	if err != nil {
		t.Fatalf("WhichChildren: %v", err)
	}
	return cs
}

func ids(cs []supervision.ChildInfo) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func find(cs []supervision.ChildInfo, id string) (supervision.ChildInfo, bool) {
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return supervision.ChildInfo{}, false
}

func mustFind(t *testing.T, cs []supervision.ChildInfo, id string) supervision.ChildInfo {
	t.Helper()
	c, ok := find(cs, id)
	if !ok {
		t.Fatalf("no child %q among %v", id, ids(cs))
	}
	return c
}

// awaitChildren calls WhichChildren until cond holds. A supervisor that
// does not restart a child that exited sends nothing a probe could wait
// for: its own view of its children is the observable.
func awaitChildren(t *testing.T, sup actors.Ref, cond func([]supervision.ChildInfo) bool) []supervision.ChildInfo {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		cs := which(t, sup)
		if cond(cs) {
			return cs
		}
		if time.Now().After(deadline) {
			if len(cs) > 5 {
				t.Fatalf("children never reached the expected state; last %d, from %+v", len(cs), cs[:5])
			}
			t.Fatalf("children never reached the expected state; last %+v", cs)
		}
		runtime.Gosched()
	}
}

func awaitDone(t *testing.T, ref actors.Ref) {
	t.Helper()
	select {
	case <-ref.Done():
	case <-time.After(within):
		t.Fatalf("%v did not exit", ref)
	}
}

func isShutdown(err error) bool { return errors.Is(err, actors.ErrShutdown) }

// crashes are the ways a child fails, with a test for the exit reason each
// leaves.
var crashes = []struct {
	name    string
	crash   func(actors.Ref)
	matches func(error) bool
}{
	{
		name:  "panic",
		crash: func(r actors.Ref) { actors.Send(r, panicNow{}) },
		matches: func(err error) bool {
			var pe *actors.PanicError
			return errors.As(err, &pe) && pe.Value == "boom"
		},
	},
	{
		name:    "returned error",
		crash:   func(r actors.Ref) { actors.Send(r, failNow{}) },
		matches: func(err error) bool { return errors.Is(err, errBoom) },
	},
	{
		name:    "testkit.Crash",
		crash:   testkit.Crash,
		matches: func(err error) bool { return errors.Is(err, testkit.ErrInjected) },
	},
}

func isCrash(err error) bool {
	var ce *actors.CrashError
	return errors.As(err, &ce) && !actors.IsNormal(err)
}

func TestStartOrderAndReverseShutdown(t *testing.T) {
	testkit.CheckLeaks(t)
	t.Run("exit of the supervisor", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		events := testkit.NewProbe(t, sys)
		downs := testkit.NewProbe(t, sys)
		baseline := sys.Live()

		nested := supervision.Spec{Children: []supervision.ChildSpec{
			child("d", supervision.Permanent, to(events)),
			child("e", supervision.Permanent, to(events)),
		}}
		sup, err := supervision.Start(sys, supervision.Spec{Children: []supervision.ChildSpec{
			child("a", supervision.Permanent, to(events)),
			child("b", supervision.Transient, to(events)),
			{ID: "n", Start: func() actors.Actor { return supervision.New(nested) }},
			child("c", supervision.Temporary, to(events)),
		}})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		downs.Watch(sup)
		for _, id := range []string{"a", "b", "d", "e", "c"} {
			expectEvent(t, events, "init", id)
		}
		if got, want := sys.Live(), baseline+7; got != want {
			t.Fatalf("Live = %d, want %d (supervisor, nested supervisor, 5 workers)", got, want)
		}

		actors.Exit(sup, actors.ErrShutdown)
		for _, id := range []string{"c", "e", "d", "b", "a"} {
			e := expectEvent(t, events, "terminate", id)
			if !isShutdown(e.reason) {
				t.Errorf("%s terminated with %v, want ErrShutdown", id, e.reason)
			}
		}
		if reason := downs.ExpectDown(sup, within); !isShutdown(reason) {
			t.Errorf("supervisor exited with %v, want ErrShutdown", reason)
		}
		expectNoMoreEvents(t, events)
		if got := sys.Live(); got != baseline {
			t.Errorf("Live = %d after the supervisor exited, want %d", got, baseline)
		}
	})

	t.Run("system shutdown", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		rec := &recorder{}
		first, err := supervision.Start(sys, supervision.Spec{Children: []supervision.ChildSpec{
			child("x1", supervision.Permanent, rec.add),
			child("x2", supervision.Permanent, rec.add),
		}})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		second, err := supervision.Start(sys, supervision.Spec{Children: []supervision.ChildSpec{
			child("y1", supervision.Permanent, rec.add),
			child("y2", supervision.Permanent, rec.add),
		}})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}

		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		if err := sys.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		// The system stops the most recent supervisor first; each stops
		// its children in reverse start order.
		want := []string{
			"init x1", "init x2", "init y1", "init y2",
			"terminate y2", "terminate y1", "terminate x2", "terminate x1",
		}
		evs := rec.events()
		got := make([]string, len(evs))
		for i, e := range evs {
			got[i] = e.String()
			if e.what == "terminate" && !isShutdown(e.reason) {
				t.Errorf("%s terminated with %v, want ErrShutdown", e.id, e.reason)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("events\n got %q\nwant %q", got, want)
		}
		for _, sup := range []actors.Ref{first, second} {
			if sup.Alive() || !isShutdown(sup.ExitReason()) {
				t.Errorf("supervisor alive=%v reason=%v after Shutdown", sup.Alive(), sup.ExitReason())
			}
		}
		if n := sys.Live(); n != 0 {
			t.Errorf("Live = %d after Shutdown", n)
		}
	})
}

func TestStrategies(t *testing.T) {
	testkit.CheckLeaks(t)
	strategies := []struct {
		strategy supervision.Strategy
		// events after b's own terminate, in order
		then []string
		// children that get a new Ref
		restarted []string
	}{
		{
			strategy:  supervision.OneForOne,
			then:      []string{"init b"},
			restarted: []string{"b"},
		},
		{
			strategy:  supervision.OneForAll,
			then:      []string{"terminate c", "terminate a", "init a", "init b", "init c"},
			restarted: []string{"a", "b", "c"},
		},
		{
			strategy:  supervision.RestForOne,
			then:      []string{"terminate c", "init b", "init c"},
			restarted: []string{"b", "c"},
		},
	}
	for _, st := range strategies {
		for _, cr := range crashes {
			t.Run(st.strategy.String()+"/"+cr.name, func(t *testing.T) {
				testkit.CheckLeaks(t)
				sys := testkit.NewSystem(t)
				events := testkit.NewProbe(t, sys)
				downs := testkit.NewProbe(t, sys)
				sup := testkit.Supervise(t, sys, supervision.Spec{
					Strategy:  st.strategy,
					Intensity: 3,
					Period:    time.Minute,
					Children: []supervision.ChildSpec{
						child("a", supervision.Permanent, to(events)),
						child("b", supervision.Permanent, to(events)),
						child("c", supervision.Permanent, to(events)),
					},
				})
				before := map[string]actors.Ref{}
				for _, id := range []string{"a", "b", "c"} {
					e := expectEvent(t, events, "init", id)
					before[id] = e.ref
					downs.Watch(e.ref)
				}

				cr.crash(before["b"])

				if e := expectEvent(t, events, "terminate", "b"); !cr.matches(e.reason) || !isCrash(e.reason) {
					t.Errorf("b terminated with %v, want a crash by %s", e.reason, cr.name)
				}
				inited := map[string]actors.Ref{}
				for _, want := range st.then {
					e := testkit.ExpectMsg[event](events, within)
					if e.String() != want {
						t.Fatalf("got event %q, want %q (sequence %q)", e, want, st.then)
					}
					switch e.what {
					case "terminate":
						if !isShutdown(e.reason) {
							t.Errorf("%s terminated with %v, want ErrShutdown", e.id, e.reason)
						}
					case "init":
						inited[e.id] = e.ref
					}
				}

				after := which(t, sup)
				expectNoMoreEvents(t, events)
				if got := ids(after); !slices.Equal(got, []string{"a", "b", "c"}) {
					t.Fatalf("children %q, want [a b c] in start order", got)
				}
				for _, c := range after {
					restarted := slices.Contains(st.restarted, c.ID)
					if !c.Alive() {
						t.Errorf("%s not alive", c.ID)
					}
					if changed := c.Ref != before[c.ID]; changed != restarted {
						t.Errorf("%s got a new Ref: %v, want %v", c.ID, changed, restarted)
					}
					if restarted && c.Ref != inited[c.ID] {
						t.Errorf("%s: WhichChildren Ref %v is not the one that ran Init (%v)", c.ID, c.Ref, inited[c.ID])
					}
					want := 0
					if restarted {
						want = 1
					}
					if c.Restarts != want {
						t.Errorf("%s Restarts = %d, want %d", c.ID, c.Restarts, want)
					}
				}

				// The old incarnation of every restarted child is down:
				// b for its crash, the others stopped by the supervisor.
				got := expectDowns(t, downs, len(st.restarted))
				for _, id := range st.restarted {
					reason, ok := got[before[id]]
					switch {
					case !ok:
						t.Errorf("no Down for %s", id)
					case id == "b" && !cr.matches(reason):
						t.Errorf("b Down reason %v, want the crash", reason)
					case id != "b" && !isShutdown(reason):
						t.Errorf("%s Down reason %v, want ErrShutdown", id, reason)
					}
				}
				for id, ref := range before {
					if !slices.Contains(st.restarted, id) && !ref.Alive() {
						t.Errorf("%s was stopped, but %v does not restart it", id, st.strategy)
					}
				}
			})
		}
	}
}

func TestRestartTypes(t *testing.T) {
	testkit.CheckLeaks(t)
	exits := []struct {
		name   string
		exit   func(actors.Ref)
		normal bool
		reason error
	}{
		{"actors.Stop", actors.Stop, true, actors.ErrNormal},
		{"Receive returns ErrNormal", func(r actors.Ref) { actors.Send(r, finish{}) }, true, actors.ErrNormal},
		{"testkit.Crash", testkit.Crash, false, testkit.ErrInjected},
		{"panic", func(r actors.Ref) { actors.Send(r, panicNow{}) }, false, nil},
	}
	for _, restart := range []supervision.Restart{supervision.Permanent, supervision.Transient, supervision.Temporary} {
		for _, ex := range exits {
			t.Run(restart.String()+"/"+ex.name, func(t *testing.T) {
				testkit.CheckLeaks(t)
				sys := testkit.NewSystem(t)
				events := testkit.NewProbe(t, sys)
				sup := testkit.Supervise(t, sys, supervision.Spec{
					Intensity: 3,
					Period:    time.Minute,
					Children: []supervision.ChildSpec{
						child("w", restart, to(events)),
						child("sibling", supervision.Permanent, to(events)),
					},
				})
				w := expectEvent(t, events, "init", "w").ref
				sibling := expectEvent(t, events, "init", "sibling").ref

				ex.exit(w)

				e := expectEvent(t, events, "terminate", "w")
				if actors.IsNormal(e.reason) != ex.normal || (ex.reason != nil && !errors.Is(e.reason, ex.reason)) {
					t.Errorf("w terminated with %v, want %v (normal %v)", e.reason, ex.reason, ex.normal)
				}

				restarted := restart == supervision.Permanent || (restart == supervision.Transient && !ex.normal)
				var cs []supervision.ChildInfo
				switch {
				case restarted:
					nw := expectEvent(t, events, "init", "w").ref
					if nw == w {
						t.Fatalf("restarted child has its old Ref")
					}
					cs = which(t, sup)
					if c := mustFind(t, cs, "w"); c.Ref != nw || c.Restarts != 1 {
						t.Errorf("w: Ref %v Restarts %d, want %v and 1", c.Ref, c.Restarts, nw)
					}
				case restart == supervision.Transient:
					// Not restarted, but kept: RestartChild can start it.
					cs = awaitChildren(t, sup, func(cs []supervision.ChildInfo) bool {
						c, ok := find(cs, "w")
						return ok && !c.Alive()
					})
					if c := mustFind(t, cs, "w"); c.Restarts != 0 {
						t.Errorf("w Restarts = %d, want 0", c.Restarts)
					}
				default: // temporary: forgotten
					cs = awaitChildren(t, sup, func(cs []supervision.ChildInfo) bool {
						_, ok := find(cs, "w")
						return !ok
					})
				}
				expectNoMoreEvents(t, events)
				if c := mustFind(t, cs, "sibling"); c.Ref != sibling || !sibling.Alive() || c.Restarts != 0 {
					t.Errorf("sibling touched: %+v", c)
				}

				ctx := callCtx(t)
				switch restart {
				case supervision.Transient:
					if !restarted {
						ref, err := supervision.RestartChild(ctx, sup, "w")
						if err != nil {
							t.Fatalf("RestartChild: %v", err)
						}
						if e := expectEvent(t, events, "init", "w"); e.ref != ref {
							t.Errorf("RestartChild returned %v, Init ran in %v", ref, e.ref)
						}
					}
				case supervision.Temporary:
					if _, err := supervision.RestartChild(ctx, sup, "w"); !errors.Is(err, supervision.ErrNoChild) {
						t.Errorf("RestartChild of a gone temporary child: %v, want ErrNoChild", err)
					}
				}
			})
		}
	}
}

func TestShutdownTimeout(t *testing.T) {
	testkit.CheckLeaks(t)
	blocking := func(id string, report func(event), release <-chan struct{}) supervision.ChildSpec {
		return supervision.ChildSpec{
			ID:       id,
			Shutdown: 50 * time.Millisecond,
			Start:    func() actors.Actor { return &worker{id: id, report: report, release: release} },
		}
	}

	t.Run("supervisor shutdown goes on past a stuck child", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		release := make(chan struct{})
		unblock := sync.OnceFunc(func() { close(release) })
		t.Cleanup(unblock) // before the system shuts down, if the test fails early
		events := testkit.NewProbe(t, sys)
		downs := testkit.NewProbe(t, sys)
		sup, err := supervision.Start(sys, supervision.Spec{Children: []supervision.ChildSpec{
			child("a", supervision.Permanent, to(events)),
			blocking("stuck", to(events), release),
			child("c", supervision.Permanent, to(events)),
		}})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		downs.Watch(sup)
		expectEvent(t, events, "init", "a")
		stuck := expectEvent(t, events, "init", "stuck").ref
		expectEvent(t, events, "init", "c")

		actors.Exit(sup, actors.ErrShutdown)
		expectEvent(t, events, "terminate", "c")
		expectEvent(t, events, "terminate", "stuck")
		// a stops while stuck is still in its Terminate: the supervisor
		// gave up on it after its 50ms, well before DefaultShutdown.
		expectEvent(t, events, "terminate", "a")
		if !stuck.Alive() {
			t.Fatalf("stuck exited before it was released")
		}

		unblock()
		if reason := downs.ExpectDown(sup, within); !isShutdown(reason) {
			t.Errorf("supervisor exited with %v, want ErrShutdown", reason)
		}
		awaitDone(t, stuck)
	})

	t.Run("TerminateChild returns after the shutdown timeout", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		release := make(chan struct{})
		unblock := sync.OnceFunc(func() { close(release) })
		t.Cleanup(unblock)
		events := testkit.NewProbe(t, sys)
		downs := testkit.NewProbe(t, sys)
		sup := testkit.Supervise(t, sys, supervision.Spec{})
		ctx := callCtx(t)
		stuck, err := supervision.StartChild(ctx, sup, blocking("stuck", to(events), release))
		if err != nil {
			t.Fatalf("StartChild: %v", err)
		}
		expectEvent(t, events, "init", "stuck")
		downs.Watch(stuck)

		if err := supervision.TerminateChild(ctx, sup, "stuck"); err != nil {
			t.Fatalf("TerminateChild: %v", err)
		}
		expectEvent(t, events, "terminate", "stuck")
		if !stuck.Alive() {
			t.Fatalf("stuck exited before it was released")
		}
		if c := mustFind(t, which(t, sup), "stuck"); c.Alive() {
			t.Errorf("abandoned child still listed as running: %+v", c)
		}

		unblock()
		downs.ExpectDown(stuck, within)
		ref, err := supervision.RestartChild(ctx, sup, "stuck")
		if err != nil {
			t.Fatalf("RestartChild: %v", err)
		}
		if e := expectEvent(t, events, "init", "stuck"); e.ref != ref || ref == stuck {
			t.Errorf("RestartChild returned %v; Init ran in %v; old %v", ref, e.ref, stuck)
		}
	})
}

// watched is a supervisor on a virtual clock, with a probe for its
// children's events and one watching the supervisor itself.
type watched struct {
	clock         *actors.VirtualClock
	sys           *actors.System
	events, downs *testkit.Probe
	sup           actors.Ref
	baseline      int
}

func startWatched(t *testing.T, spec func(*testkit.Probe) supervision.Spec) *watched {
	t.Helper()
	testkit.CheckLeaks(t)
	f := &watched{clock: testkit.NewClock()}
	f.sys = testkit.NewSystem(t, actors.WithClock(f.clock))
	f.events, f.downs = testkit.NewProbe(t, f.sys), testkit.NewProbe(t, f.sys)
	f.baseline = f.sys.Live()
	sup, err := supervision.Start(f.sys, spec(f.events))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	f.sup = sup
	f.downs.Watch(sup)
	return f
}

// expectLiveBack checks that every actor the supervisor had is gone.
func (f *watched) expectLiveBack(t *testing.T) {
	t.Helper()
	if got := f.sys.Live(); got != f.baseline {
		t.Errorf("Live = %d, want %d", got, f.baseline)
	}
}

func TestIntensity(t *testing.T) {
	testkit.CheckLeaks(t)
	spec := func(events *testkit.Probe) supervision.Spec {
		return supervision.Spec{
			Intensity: 2,
			Period:    time.Second,
			Children:  []supervision.ChildSpec{child("w", supervision.Permanent, to(events))},
		}
	}
	// crashAndRestart crashes w and returns its new incarnation.
	crashAndRestart := func(t *testing.T, events *testkit.Probe, w actors.Ref) actors.Ref {
		t.Helper()
		testkit.Crash(w)
		expectEvent(t, events, "terminate", "w")
		nw := expectEvent(t, events, "init", "w").ref
		if nw == w {
			t.Fatalf("restarted child has its old Ref")
		}
		return nw
	}

	t.Run("crashes spaced beyond the period", func(t *testing.T) {
		testkit.CheckLeaks(t)
		clock := testkit.NewClock()
		sys := testkit.NewSystem(t, actors.WithClock(clock))
		events := testkit.NewProbe(t, sys)
		sup := testkit.Supervise(t, sys, spec(events))
		w := expectEvent(t, events, "init", "w").ref

		// Real time hardly moves between these crashes; only the system
		// clock says they are a period apart.
		for range 5 {
			clock.Advance(time.Second)
			w = crashAndRestart(t, events, w)
		}
		c := mustFind(t, which(t, sup), "w")
		if !sup.Alive() || c.Ref != w || c.Restarts != 5 {
			t.Fatalf("supervisor alive=%v, w=%+v; want alive, 5 restarts", sup.Alive(), c)
		}
	})

	t.Run("the window slides", func(t *testing.T) {
		f := startWatched(t, spec)
		clock, events, downs, sup := f.clock, f.events, f.downs, f.sup
		w := expectEvent(t, events, "init", "w").ref

		// Restarts at 0, 0.6s, 1.2s, 1.8s: never more than 2 within 1s.
		for i := range 4 {
			if i > 0 {
				clock.Advance(600 * time.Millisecond)
			}
			w = crashAndRestart(t, events, w)
		}
		// At 1.9s the restarts at 1.2s and 1.8s are within the period:
		// this third one is too many.
		clock.Advance(100 * time.Millisecond)
		testkit.Crash(w)
		expectEvent(t, events, "terminate", "w")
		reason := downs.ExpectDown(sup, within)
		if !errors.Is(reason, supervision.ErrTooManyRestarts) {
			t.Fatalf("supervisor exited with %v, want ErrTooManyRestarts", reason)
		}
		expectNoMoreEvents(t, events) // w was not restarted
		f.expectLiveBack(t)
	})

	t.Run("three crashes within the period", func(t *testing.T) {
		f := startWatched(t, spec)
		clock, events, downs, sup := f.clock, f.events, f.downs, f.sup
		w := expectEvent(t, events, "init", "w").ref

		w = crashAndRestart(t, events, w)
		clock.Advance(400 * time.Millisecond)
		w = crashAndRestart(t, events, w)
		clock.Advance(400 * time.Millisecond)
		if c := mustFind(t, which(t, sup), "w"); c.Restarts != 2 {
			t.Fatalf("w Restarts = %d, want 2", c.Restarts)
		}
		actors.Send(w, failNow{})
		expectEvent(t, events, "terminate", "w")
		reason := downs.ExpectDown(sup, within)
		if !errors.Is(reason, supervision.ErrTooManyRestarts) || !isCrash(reason) {
			t.Fatalf("supervisor exited with %v, want a crash with ErrTooManyRestarts", reason)
		}
		expectNoMoreEvents(t, events)
		f.expectLiveBack(t)
	})

	t.Run("a restart that fails to start counts", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t, actors.WithClock(testkit.NewClock()))
		events := testkit.NewProbe(t, sys)
		downs := testkit.NewProbe(t, sys)
		var starts atomic.Int32
		sup, err := supervision.Start(sys, supervision.Spec{
			Intensity: 2,
			Period:    time.Second,
			Children: []supervision.ChildSpec{{
				ID: "w",
				Start: func() actors.Actor {
					w := &worker{id: "w", report: to(events)}
					if starts.Add(1) > 1 {
						w.initErr = errInit
					}
					return w
				},
			}},
		})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		downs.Watch(sup)
		w := expectEvent(t, events, "init", "w").ref
		testkit.Crash(w)
		reason := downs.ExpectDown(sup, within)
		if !errors.Is(reason, supervision.ErrTooManyRestarts) {
			t.Fatalf("supervisor exited with %v, want ErrTooManyRestarts", reason)
		}
		// The first start, then two restarts that failed; the third
		// restart was beyond the intensity and not tried.
		if n := starts.Load(); n != 3 {
			t.Errorf("Start called %d times, want 3", n)
		}
	})
}

func TestEscalation(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t, actors.WithClock(testkit.NewClock()))
	events := testkit.NewProbe(t, sys)
	downs := testkit.NewProbe(t, sys)
	baseline := sys.Live()

	middle := supervision.Spec{
		Intensity: 1,
		Period:    5 * time.Second,
		Children:  []supervision.ChildSpec{child("worker", supervision.Permanent, to(events))},
	}
	top, err := supervision.Start(sys, supervision.Spec{
		Intensity: 1,
		Period:    5 * time.Second,
		Children: []supervision.ChildSpec{
			{ID: "middle", Start: func() actors.Actor { return supervision.New(middle) }},
		},
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	downs.Watch(top)

	// crashLoop crashes the worker under the running middle supervisor
	// until that supervisor gives up, and returns it. The Downs of the
	// middle and, when it gives up too, of the top may reach the probe in
	// either order: the caller collects them.
	crashLoop := func(w actors.Ref) actors.Ref {
		t.Helper()
		mid := mustFind(t, which(t, top), "middle")
		if !mid.Supervisor || !mid.Alive() {
			t.Fatalf("middle: %+v", mid)
		}
		downs.Watch(mid.Ref)
		testkit.Crash(w)
		expectEvent(t, events, "terminate", "worker")
		w = expectEvent(t, events, "init", "worker").ref
		if c := mustFind(t, which(t, mid.Ref), "worker"); c.Ref != w || c.Restarts != 1 {
			t.Fatalf("worker under middle: %+v, want %v with 1 restart", c, w)
		}
		testkit.Crash(w)
		expectEvent(t, events, "terminate", "worker")
		return mid.Ref
	}

	w := expectEvent(t, events, "init", "worker").ref
	mid1 := crashLoop(w)
	if reason := downs.ExpectDown(mid1, within); !errors.Is(reason, supervision.ErrTooManyRestarts) {
		t.Fatalf("middle exited with %v, want ErrTooManyRestarts", reason)
	}

	// The top restarted the middle supervisor, which started a fresh
	// worker.
	w = expectEvent(t, events, "init", "worker").ref
	mid2 := mustFind(t, which(t, top), "middle")
	if mid2.Ref == mid1 || !mid2.Alive() || mid2.Restarts != 1 {
		t.Fatalf("middle after its failure: %+v (old %v), want a new Ref with 1 restart", mid2, mid1)
	}
	if c := mustFind(t, which(t, mid2.Ref), "worker"); c.Ref != w || c.Restarts != 0 {
		t.Fatalf("worker under the new middle: %+v, want %v with 0 restarts", c, w)
	}

	mid2Ref := crashLoop(w)

	// The middle failed a second time within the top's period: the top
	// gives up in turn.
	reasons := expectDowns(t, downs, 2)
	if reason, ok := reasons[mid2Ref]; !ok || !errors.Is(reason, supervision.ErrTooManyRestarts) {
		t.Fatalf("second middle exited with %v (seen %v), want ErrTooManyRestarts", reason, ok)
	}
	if reason, ok := reasons[top]; !ok || !errors.Is(reason, supervision.ErrTooManyRestarts) || !isCrash(reason) {
		t.Fatalf("top exited with %v (seen %v), want a crash with ErrTooManyRestarts", reason, ok)
	}
	expectNoMoreEvents(t, events)
	if got := sys.Live(); got != baseline {
		t.Errorf("Live = %d after the top exited, want %d", got, baseline)
	}
}

func TestDynamicChildren(t *testing.T) {
	testkit.CheckLeaks(t)
	t.Run("start, terminate, restart, delete", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		events := testkit.NewProbe(t, sys)
		sup := testkit.Supervise(t, sys, supervision.Spec{})
		ctx := callCtx(t)

		a, err := supervision.StartChild(ctx, sup, child("a", supervision.Permanent, to(events)))
		if err != nil {
			t.Fatalf("StartChild a: %v", err)
		}
		if e := expectEvent(t, events, "init", "a"); e.ref != a {
			t.Fatalf("StartChild returned %v, Init ran in %v", a, e.ref)
		}

		// A duplicate id is refused before anything is started.
		var dupStarts atomic.Int32
		dup := child("a", supervision.Permanent, to(events))
		start := dup.Start
		dup.Start = func() actors.Actor { dupStarts.Add(1); return start() }
		live := sys.Live()
		if _, err := supervision.StartChild(ctx, sup, dup); !errors.Is(err, supervision.ErrChildExists) {
			t.Fatalf("duplicate StartChild: %v, want ErrChildExists", err)
		}
		if n := dupStarts.Load(); n != 0 || sys.Live() != live {
			t.Fatalf("duplicate StartChild started an actor (%d starts, Live %d -> %d)", n, live, sys.Live())
		}

		// Without an ID, each child gets one of its own, which does not
		// clash with one a user picked.
		if _, err := supervision.StartChild(ctx, sup, child("child-1", supervision.Permanent, to(events))); err != nil {
			t.Fatalf("StartChild child-1: %v", err)
		}
		expectEvent(t, events, "init", "child-1")
		anon := make([]actors.Ref, 2)
		for i := range anon {
			spec := child("", supervision.Permanent, to(events))
			if anon[i], err = supervision.StartChild(ctx, sup, spec); err != nil {
				t.Fatalf("StartChild without ID: %v", err)
			}
			expectEvent(t, events, "init", "")
		}
		cs := which(t, sup)
		if len(cs) != 4 || cs[0].ID != "a" || cs[1].ID != "child-1" {
			t.Fatalf("children %q, want a, child-1 and two more", ids(cs))
		}
		if cs[2].ID == "" || cs[3].ID == "" || cs[2].ID == cs[3].ID || slices.Contains([]string{"a", "child-1"}, cs[2].ID) || slices.Contains([]string{"a", "child-1"}, cs[3].ID) {
			t.Fatalf("generated IDs are not unique: %q", ids(cs))
		}
		if cs[2].Ref != anon[0] || cs[3].Ref != anon[1] {
			t.Fatalf("children without ID out of start order")
		}

		// TerminateChild stops a; being permanent, it is kept, not
		// restarted.
		if err := supervision.TerminateChild(ctx, sup, "a"); err != nil {
			t.Fatalf("TerminateChild: %v", err)
		}
		if e := expectEvent(t, events, "terminate", "a"); !isShutdown(e.reason) {
			t.Errorf("a terminated with %v, want ErrShutdown", e.reason)
		}
		if a.Alive() {
			t.Errorf("a alive after TerminateChild returned")
		}
		if c := mustFind(t, which(t, sup), "a"); c.Alive() {
			t.Errorf("a listed as running after TerminateChild: %+v", c)
		}
		expectNoMoreEvents(t, events)

		if err := supervision.DeleteChild(ctx, sup, "child-1"); !errors.Is(err, supervision.ErrChildRunning) {
			t.Errorf("DeleteChild of a running child: %v, want ErrChildRunning", err)
		}
		if _, err := supervision.RestartChild(ctx, sup, "child-1"); !errors.Is(err, supervision.ErrChildRunning) {
			t.Errorf("RestartChild of a running child: %v, want ErrChildRunning", err)
		}

		a2, err := supervision.RestartChild(ctx, sup, "a")
		if err != nil {
			t.Fatalf("RestartChild: %v", err)
		}
		if e := expectEvent(t, events, "init", "a"); e.ref != a2 || a2 == a {
			t.Fatalf("RestartChild returned %v, Init ran in %v, old %v", a2, e.ref, a)
		}
		if c := mustFind(t, which(t, sup), "a"); c.Ref != a2 {
			t.Errorf("a after RestartChild: %+v, want %v", c, a2)
		}

		if err := supervision.TerminateChild(ctx, sup, "a"); err != nil {
			t.Fatalf("TerminateChild: %v", err)
		}
		expectEvent(t, events, "terminate", "a")
		if err := supervision.DeleteChild(ctx, sup, "a"); err != nil {
			t.Fatalf("DeleteChild: %v", err)
		}
		if _, ok := find(which(t, sup), "a"); ok {
			t.Errorf("a still listed after DeleteChild")
		}
		for name, err := range map[string]error{
			"DeleteChild":    supervision.DeleteChild(ctx, sup, "a"),
			"TerminateChild": supervision.TerminateChild(ctx, sup, "nope"),
			"RestartChild":   func() error { _, err := supervision.RestartChild(ctx, sup, "nope"); return err }(),
		} {
			if !errors.Is(err, supervision.ErrNoChild) {
				t.Errorf("%s of an unknown child: %v, want ErrNoChild", name, err)
			}
		}
		// The id is free again.
		if _, err := supervision.StartChild(ctx, sup, child("a", supervision.Permanent, to(events))); err != nil {
			t.Fatalf("StartChild a again: %v", err)
		}
		expectEvent(t, events, "init", "a")
	})

	t.Run("many per-call children", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		sup := testkit.Supervise(t, sys, supervision.Spec{})
		ctx := callCtx(t)
		baseline := sys.Live()

		const n = 1000
		refs := make([]actors.Ref, n)
		for i := range refs {
			spec := child("", supervision.Temporary, quiet)
			if i%2 == 0 {
				spec = child(fmt.Sprintf("call-%d", i), supervision.Temporary, quiet)
			}
			ref, err := supervision.StartChild(ctx, sup, spec)
			if err != nil {
				t.Fatalf("StartChild %d: %v", i, err)
			}
			refs[i] = ref
		}
		if got := sys.Live(); got != baseline+n {
			t.Fatalf("Live = %d, want %d", got, baseline+n)
		}
		cs := which(t, sup)
		if len(cs) != n {
			t.Fatalf("%d children, want %d", len(cs), n)
		}
		seen := make(map[string]bool, n)
		for i, c := range cs {
			if c.Ref != refs[i] || !c.Alive() || c.Restart != supervision.Temporary || seen[c.ID] {
				t.Fatalf("child %d: %+v", i, c)
			}
			seen[c.ID] = true
		}

		// Half are terminated by their supervisor, half end their call
		// themselves; temporary children are forgotten either way.
		for i, ref := range refs {
			if i%2 == 0 {
				if err := supervision.TerminateChild(ctx, sup, fmt.Sprintf("call-%d", i)); err != nil {
					t.Fatalf("TerminateChild %d: %v", i, err)
				}
				if ref.Alive() {
					t.Fatalf("child %d alive after TerminateChild", i)
				}
			} else {
				actors.Stop(ref)
			}
		}
		for _, ref := range refs {
			awaitDone(t, ref)
		}
		awaitChildren(t, sup, func(cs []supervision.ChildInfo) bool { return len(cs) == 0 })
		if got := sys.Live(); got != baseline {
			t.Errorf("Live = %d, want %d", got, baseline)
		}
	})
}

func TestInitFailure(t *testing.T) {
	testkit.CheckLeaks(t)
	failing := func(id string, err error) supervision.ChildSpec {
		return supervision.ChildSpec{
			ID:    id,
			Start: func() actors.Actor { return &worker{id: id, report: quiet, initErr: err} },
		}
	}

	t.Run("Start fails and stops the started siblings", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		events := testkit.NewProbe(t, sys)
		baseline := sys.Live()
		var lastStarted atomic.Bool
		last := child("never", supervision.Permanent, to(events))
		start := last.Start
		last.Start = func() actors.Actor { lastStarted.Store(true); return start() }

		sup, err := supervision.Start(sys, supervision.Spec{Children: []supervision.ChildSpec{
			child("a", supervision.Permanent, to(events)),
			child("b", supervision.Permanent, to(events)),
			failing("bad", errInit),
			last,
		}})
		if !errors.Is(err, errInit) || !sup.IsZero() {
			t.Fatalf("Start = %v, %v; want the child's error", sup, err)
		}
		expectEvent(t, events, "init", "a")
		expectEvent(t, events, "init", "b")
		for _, id := range []string{"b", "a"} {
			if e := expectEvent(t, events, "terminate", id); !isShutdown(e.reason) {
				t.Errorf("%s terminated with %v, want ErrShutdown", id, e.reason)
			}
		}
		expectNoMoreEvents(t, events)
		if lastStarted.Load() {
			t.Errorf("a child after the failing one was started")
		}
		if got := sys.Live(); got != baseline {
			t.Errorf("Live = %d, want %d", got, baseline)
		}
	})

	t.Run("a nested supervisor's child fails", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		events := testkit.NewProbe(t, sys)
		baseline := sys.Live()
		nested := supervision.Spec{Children: []supervision.ChildSpec{
			child("inner", supervision.Permanent, to(events)),
			failing("bad", errInit),
		}}
		_, err := supervision.Start(sys, supervision.Spec{Children: []supervision.ChildSpec{
			child("outer", supervision.Permanent, to(events)),
			{ID: "n", Start: func() actors.Actor { return supervision.New(nested) }},
		}})
		if !errors.Is(err, errInit) {
			t.Fatalf("Start: %v, want the inner child's error", err)
		}
		expectEvent(t, events, "init", "outer")
		expectEvent(t, events, "init", "inner")
		expectEvent(t, events, "terminate", "inner")
		expectEvent(t, events, "terminate", "outer")
		expectNoMoreEvents(t, events)
		if got := sys.Live(); got != baseline {
			t.Errorf("Live = %d, want %d", got, baseline)
		}
	})

	t.Run("StartChild returns the error", func(t *testing.T) {
		testkit.CheckLeaks(t)
		sys := testkit.NewSystem(t)
		events := testkit.NewProbe(t, sys)
		sup := testkit.Supervise(t, sys, supervision.Spec{Children: []supervision.ChildSpec{
			child("a", supervision.Permanent, to(events)),
		}})
		a := expectEvent(t, events, "init", "a").ref
		ctx := callCtx(t)
		live := sys.Live()

		if _, err := supervision.StartChild(ctx, sup, failing("bad", errInit)); !errors.Is(err, errInit) {
			t.Errorf("StartChild: %v, want errInit", err)
		}
		panicking := supervision.ChildSpec{ID: "bad", Start: func() actors.Actor { return panicInit{} }}
		_, err := supervision.StartChild(ctx, sup, panicking)
		var pe *actors.PanicError
		if !errors.As(err, &pe) || pe.Value != "init boom" {
			t.Errorf("StartChild of a child whose Init panics: %v", err)
		}

		cs := which(t, sup)
		if got := ids(cs); !slices.Equal(got, []string{"a"}) {
			t.Errorf("children %q, want [a]: a failed start leaves no child", got)
		}
		if !sup.Alive() || cs[0].Ref != a || !a.Alive() {
			t.Errorf("the supervisor or its other child was disturbed")
		}
		if got := sys.Live(); got != live {
			t.Errorf("Live = %d, want %d", got, live)
		}
		expectNoMoreEvents(t, events)
	})
}

type panicInit struct{}

func (panicInit) Init(*actors.Context) error                    { panic("init boom") }
func (panicInit) Receive(*actors.Context, actors.Message) error { return nil }
func (panicInit) Terminate(*actors.Context, error)              {}

func TestWhichChildren(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	events := testkit.NewProbe(t, sys)
	nested := supervision.Spec{
		Intensity: 5,
		Period:    time.Minute,
		Children:  []supervision.ChildSpec{child("x", supervision.Permanent, to(events))},
	}
	sup := testkit.Supervise(t, sys, supervision.Spec{
		Intensity: 5,
		Period:    time.Minute,
		Children: []supervision.ChildSpec{
			child("a", supervision.Permanent, to(events)),
			child("t", supervision.Transient, to(events)),
			{ID: "n", Restart: supervision.Permanent, Start: func() actors.Actor { return supervision.New(nested) }},
			child("tmp", supervision.Temporary, to(events)),
		},
	})
	started := map[string]actors.Ref{}
	for _, id := range []string{"a", "t", "x", "tmp"} {
		started[id] = expectEvent(t, events, "init", id).ref
	}

	cs := which(t, sup)
	if got := ids(cs); !slices.Equal(got, []string{"a", "t", "n", "tmp"}) {
		t.Fatalf("children %q, want [a t n tmp]", got)
	}
	wantRestart := map[string]supervision.Restart{"a": supervision.Permanent, "t": supervision.Transient, "n": supervision.Permanent, "tmp": supervision.Temporary}
	for _, c := range cs {
		if !c.Alive() || c.Restarts != 0 || c.Restart != wantRestart[c.ID] || c.Supervisor != (c.ID == "n") {
			t.Errorf("%+v: want alive, 0 restarts, %v, supervisor %v", c, wantRestart[c.ID], c.ID == "n")
		}
		if ref, ok := started[c.ID]; ok && c.Ref != ref {
			t.Errorf("%s: Ref %v, Init ran in %v", c.ID, c.Ref, ref)
		}
	}
	n := mustFind(t, cs, "n").Ref
	inner := which(t, n)
	if len(inner) != 1 || inner[0].ID != "x" || inner[0].Ref != started["x"] || inner[0].Supervisor {
		t.Fatalf("nested children: %+v", inner)
	}

	// Restart counts: a twice, x (under n) once; n itself is untouched.
	a := started["a"]
	for range 2 {
		testkit.Crash(a)
		expectEvent(t, events, "terminate", "a")
		a = expectEvent(t, events, "init", "a").ref
	}
	testkit.Crash(started["x"])
	expectEvent(t, events, "terminate", "x")
	x := expectEvent(t, events, "init", "x").ref
	// A transient child that finished is listed, not alive.
	actors.Stop(started["t"])
	expectEvent(t, events, "terminate", "t")
	cs = awaitChildren(t, sup, func(cs []supervision.ChildInfo) bool {
		c, ok := find(cs, "t")
		return ok && !c.Alive()
	})

	if c := mustFind(t, cs, "a"); c.Ref != a || c.Restarts != 2 {
		t.Errorf("a: %+v, want %v with 2 restarts", c, a)
	}
	if c := mustFind(t, cs, "n"); c.Ref != n || c.Restarts != 0 || !c.Supervisor {
		t.Errorf("n: %+v, want unchanged", c)
	}
	if c := mustFind(t, cs, "t"); c.Restarts != 0 || !c.Ref.IsZero() {
		t.Errorf("t: %+v, want not running, 0 restarts", c)
	}
	if c := mustFind(t, which(t, n), "x"); c.Ref != x || c.Restarts != 1 {
		t.Errorf("x: %+v, want %v with 1 restart", c, x)
	}
	expectNoMoreEvents(t, events)

	// A dynamic child is listed after the static ones.
	if _, err := supervision.StartChild(callCtx(t), sup, child("dyn", supervision.Temporary, to(events))); err != nil {
		t.Fatalf("StartChild: %v", err)
	}
	expectEvent(t, events, "init", "dyn")
	if got := ids(which(t, sup)); !slices.Equal(got, []string{"a", "t", "n", "tmp", "dyn"}) {
		t.Errorf("children %q after StartChild", got)
	}
}
