package supervision_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/supervision"
)

// greeter is a child that tells started each time it starts, and crashes
// when asked to.
type greeter struct{ started chan<- actors.Ref }

func (g greeter) Init(ctx *actors.Context) error {
	g.started <- ctx.Self()
	return nil
}

func (greeter) Receive(_ *actors.Context, m actors.Message) error {
	if m.Body == "crash" {
		return errors.New("boom")
	}
	return nil
}

func (greeter) Terminate(*actors.Context, error) {}

// A one_for_one supervisor restarts a child that crashed: the new
// incarnation has a new Ref, and WhichChildren counts the restart.
func Example() {
	sys := actors.NewSystem(actors.WithLogger(slog.New(slog.DiscardHandler)))
	defer sys.Shutdown(context.Background())

	started := make(chan actors.Ref, 2)
	sup, err := supervision.Start(sys, supervision.Spec{
		Strategy:  supervision.OneForOne,
		Intensity: 3,
		Period:    time.Minute,
		Children: []supervision.ChildSpec{{
			ID:    "greeter",
			Start: func() actors.Actor { return greeter{started} },
		}},
	})
	if err != nil {
		fmt.Println("start:", err)
		return
	}

	first := <-started
	actors.Send(first, "crash")
	<-first.Done()
	fmt.Println("first exited:", first.ExitReason())

	second := <-started // the restarted child's Init
	children, err := supervision.WhichChildren(context.Background(), sup)
	if err != nil {
		fmt.Println("which children:", err)
		return
	}
	for _, c := range children {
		fmt.Printf("%s: alive %v, restarts %d, new ref %v\n", c.ID, c.Alive(), c.Restarts, c.Ref == second && second != first)
	}
	// Output:
	// first exited: actors: crashed: boom
	// greeter: alive true, restarts 1, new ref true
}
