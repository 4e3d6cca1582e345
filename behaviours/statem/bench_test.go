package statem_test

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/behaviours/statem"
)

// The benchmarks compare a statem machine hosted by statem.New with a bare
// protoactor actor doing the same work (count a message, signal after the
// last one), side by side in one run.

type tick struct{}

type last struct{ done chan struct{} }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func bareSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
}

// counter is the machine: it counts ticks in one state and signals done on
// the last message.
type counter struct{ n int }

func (c *counter) Init(statem.Context) (int, []statem.Action, error) { return 0, nil, nil }

func (c *counter) HandleEvent(ev statem.Event, _ int) statem.Transition[int] {
	switch m := ev.Msg.(type) {
	case tick:
		c.n++
	case last:
		m.done <- struct{}{}
	}
	return statem.Transition[int]{}
}

func (c *counter) Terminate(error, int) {}

// window bounds the messages in flight, so that the benchmarks measure
// dispatch rather than the growth of a backlog in the mailbox.
const window = 1024

// pump sends b.N ticks through send, window by window, and waits for each
// window to be handled.
func pump(b *testing.B, send func(any)) {
	done := make(chan struct{})
	b.ReportAllocs()
	b.ResetTimer()
	for sent := 0; sent < b.N; sent += window {
		sendWindow(send, min(window, b.N-sent), done)
	}
}

// sendWindow sends n ticks and waits until they have been handled.
func sendWindow(send func(any), n int, done chan struct{}) {
	var msg any = tick{}
	for range n {
		send(msg)
	}
	send(last{done})
	<-done
}

func BenchmarkDispatch(b *testing.B) {
	b.Run("protoactor", func(b *testing.B) {
		sys := bareSystem()
		n := 0
		pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
			switch m := c.Message().(type) {
			case tick:
				n++
			case last:
				m.done <- struct{}{}
			}
		}))
		pump(b, func(m any) { sys.Root.Send(pid, m) })
		b.StopTimer()
		_ = sys.Root.StopFuture(pid).Wait()
	})
	b.Run("actor", func(b *testing.B) {
		sys := actors.NewSystem(actors.WithLogger(quiet))
		defer sys.Shutdown(context.Background())
		ref, err := sys.Spawn(&rawCounter{})
		if err != nil {
			b.Fatal(err)
		}
		pump(b, func(m any) { actors.Send(ref, m) })
	})
	b.Run("statem", func(b *testing.B) {
		sys := actors.NewSystem(actors.WithLogger(quiet))
		defer sys.Shutdown(context.Background())
		ref, err := sys.Spawn(statem.New[int](&counter{}))
		if err != nil {
			b.Fatal(err)
		}
		pump(b, func(m any) { actors.Send(ref, m) })
	})
}

// BenchmarkDispatchRatio alternates windows between a bare protoactor actor
// and a statem actor doing the same work, timing each, so that both see the
// same machine at the same moment; it reports the time per message of each
// and their ratio.
func BenchmarkDispatchRatio(b *testing.B) {
	bare := bareSystem()
	n := 0
	pid := bare.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case tick:
			n++
		case last:
			m.done <- struct{}{}
		}
	}))
	defer func() { _ = bare.Root.StopFuture(pid).Wait() }()
	sys := actors.NewSystem(actors.WithLogger(quiet))
	defer sys.Shutdown(context.Background())
	ref, err := sys.Spawn(statem.New[int](&counter{}))
	if err != nil {
		b.Fatal(err)
	}
	sendBare := func(m any) { bare.Root.Send(pid, m) }
	sendStatem := func(m any) { actors.Send(ref, m) }
	done := make(chan struct{})
	var tBare, tStatem time.Duration
	b.ResetTimer()
	for sent := 0; sent < b.N; sent += window {
		k := min(window, b.N-sent)
		start := time.Now()
		sendWindow(sendBare, k, done)
		mid := time.Now()
		sendWindow(sendStatem, k, done)
		tBare, tStatem = tBare+mid.Sub(start), tStatem+time.Since(mid)
	}
	b.ReportMetric(float64(tBare.Nanoseconds())/float64(b.N), "protoactor-ns/msg")
	b.ReportMetric(float64(tStatem.Nanoseconds())/float64(b.N), "statem-ns/msg")
	b.ReportMetric(float64(tStatem)/float64(tBare), "ratio")
}

// rawCounter is the same work as a plain actors.Actor, to tell the cost of
// the runtime layer from that of the state machine.
type rawCounter struct{ n int }

func (*rawCounter) Init(*actors.Context) error { return nil }

func (c *rawCounter) Receive(_ *actors.Context, m actors.Message) error {
	switch m := m.Body.(type) {
	case tick:
		c.n++
	case last:
		m.done <- struct{}{}
	}
	return nil
}

func (*rawCounter) Terminate(*actors.Context, error) {}

func BenchmarkSpawnStop(b *testing.B) {
	b.Run("protoactor", func(b *testing.B) {
		sys := bareSystem()
		props := actor.PropsFromFunc(func(actor.Context) {})
		b.ReportAllocs()
		for b.Loop() {
			pid := sys.Root.Spawn(props)
			_ = sys.Root.StopFuture(pid).Wait()
		}
	})
	b.Run("statem", func(b *testing.B) {
		sys := actors.NewSystem(actors.WithLogger(quiet))
		defer sys.Shutdown(context.Background())
		b.ReportAllocs()
		for b.Loop() {
			ref, err := sys.Spawn(statem.New[int](&counter{}))
			if err != nil {
				b.Fatal(err)
			}
			actors.Stop(ref)
			<-ref.Done()
		}
	})
}

const idleActors = 100_000

// BenchmarkIdleMemory reports the heap held per idle actor with 100,000 of
// them alive (B/actor); the loop only repeats the measurement.
func BenchmarkIdleMemory(b *testing.B) {
	b.Run("protoactor", func(b *testing.B) {
		for b.Loop() {
			sys := bareSystem()
			props := actor.PropsFromFunc(func(actor.Context) {})
			pids := make([]*actor.PID, 0, idleActors)
			before := heapInUse()
			for range idleActors {
				pids = append(pids, sys.Root.Spawn(props))
			}
			b.ReportMetric(float64(heapInUse()-before)/idleActors, "B/actor")
			for _, pid := range pids {
				_ = sys.Root.StopFuture(pid).Wait()
			}
		}
	})
	b.Run("statem", func(b *testing.B) {
		for b.Loop() {
			sys := actors.NewSystem(actors.WithLogger(quiet))
			before := heapInUse()
			for range idleActors {
				if _, err := sys.Spawn(statem.New[int](&counter{})); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(heapInUse()-before)/idleActors, "B/actor")
			_ = sys.Shutdown(context.Background())
		}
	})
}

func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}
