package statem_test

import (
	"context"
	"fmt"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/behaviours/statem"
)

// A call leg that rings for at most 30 seconds: a state timeout moves it
// from ringing to missed unless it is answered first.
type leg struct{}

func (leg) Init(statem.Context) (string, []statem.Action, error) {
	return "ringing", []statem.Action{statem.SetStateTimeout(30*time.Second, "no answer")}, nil
}

func (leg) HandleEvent(ev statem.Event, state string) statem.Transition[string] {
	switch {
	case ev.Kind == statem.Call && ev.Msg == "state":
		return statem.Keep[string](statem.Reply(ev.From, state))
	case ev.Kind == statem.Cast && ev.Msg == "answer" && state == "ringing":
		return statem.Next("answered")
	case ev.Kind == statem.StateTimeout:
		return statem.Next("missed")
	}
	return statem.Unhandled[string]()
}

func (leg) Terminate(error, string) {}

func ExampleNew() {
	clock := actors.NewVirtualClock(time.Unix(0, 0))
	sys := actors.NewSystem(actors.WithClock(clock))
	defer sys.Shutdown(context.Background())

	ctx := context.Background()
	ref, _ := sys.Spawn(statem.New[string](leg{}))
	clock.Advance(29 * time.Second)
	state, _ := actors.Call(ctx, ref, "state")
	fmt.Println("after 29 s:", state)
	clock.Advance(time.Second)
	state, _ = actors.Call(ctx, ref, "state")
	fmt.Println("after 30 s:", state)
	// Output:
	// after 29 s: ringing
	// after 30 s: missed
}
