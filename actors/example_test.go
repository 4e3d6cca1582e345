package actors_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parrot-platform/parrot/actors"
)

// greeter answers a call with a greeting and refuses an empty name.
type greeter struct{}

func (greeter) Init(*actors.Context) error { return nil }

func (greeter) Receive(_ *actors.Context, m actors.Message) error {
	if name, ok := m.Body.(string); ok && m.Kind == actors.KindCall {
		if name == "" {
			m.From.Reply(fmt.Errorf("greeter: no name"))
			return nil
		}
		m.From.Reply("hello, " + name)
	}
	return nil
}

func (greeter) Terminate(*actors.Context, error) {}

func ExampleCall() {
	sys := actors.NewSystem()
	defer sys.Shutdown(context.Background())

	ref, err := sys.Spawn(greeter{}, actors.WithName("greeter"))
	if err != nil {
		fmt.Println("spawn:", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	reply, err := actors.Call(ctx, ref, "alice")
	fmt.Println(reply, err)

	// An error reply comes back as Call's error.
	_, err = actors.Call(ctx, ref, "")
	fmt.Println(err)

	// Calling an actor that has exited fails at once.
	actors.Stop(ref)
	<-ref.Done()
	_, err = actors.Call(ctx, ref, "bob")
	fmt.Println(errors.Is(err, actors.ErrNoProc))
	// Output:
	// hello, alice <nil>
	// greeter: no name
	// true
}

func ExampleVirtualClock() {
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := actors.NewVirtualClock(start)
	at := func(name string) func() {
		return func() { fmt.Println(name, "at", clock.Now().Sub(start)) }
	}

	clock.AfterFunc(2*time.Second, at("timer B"))
	clock.AfterFunc(time.Second, func() {
		at("timer A")()
		// Set while Advance runs, and due within it: fires in time order.
		clock.AfterFunc(500*time.Millisecond, at("timer A'"))
	})
	cancelled := clock.AfterFunc(1500*time.Millisecond, at("never"))
	fmt.Println("stopped:", cancelled.Stop())

	clock.Advance(3 * time.Second)
	fmt.Println("now:", clock.Now().Sub(start), "pending:", clock.Pending())
	// Output:
	// stopped: true
	// timer A at 1s
	// timer A' at 1.5s
	// timer B at 2s
	// now: 3s pending: 0
}
