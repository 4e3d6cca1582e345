package behaviours_test

import (
	"context"
	"fmt"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/behaviours"
)

// tally counts the words cast to it and answers calls for the count. It
// embeds BaseServer, so a message it does not handle is dropped and an
// unknown call is answered with an error.
type tally struct {
	behaviours.BaseServer
	words int
}

type (
	word  string   // cast: one more word
	count struct{} // call: how many words so far
)

func (t *tally) HandleCall(ctx *actors.Context, req any, from actors.From) (any, error) {
	if _, ok := req.(count); ok {
		return t.words, nil
	}
	return t.BaseServer.HandleCall(ctx, req, from)
}

func (t *tally) HandleCast(_ *actors.Context, msg any) error {
	if _, ok := msg.(word); ok {
		t.words++
	}
	return nil
}

func ExampleNewServer() {
	sys := actors.NewSystem()
	defer sys.Shutdown(context.Background())

	ref, err := sys.Spawn(behaviours.NewServer(&tally{}))
	if err != nil {
		fmt.Println("spawn:", err)
		return
	}
	for _, w := range []word{"voice", "is", "just", "data"} {
		actors.Cast(ref, w)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	n, err := actors.Call(ctx, ref, count{})
	fmt.Println(n, err)

	_, err = actors.Call(ctx, ref, "what?")
	fmt.Println(err)
	// Output:
	// 4 <nil>
	// behaviours: unexpected call string
}
