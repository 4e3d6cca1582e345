package actors_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/testkit"
)

func TestCallReplies(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	ref := spawn(t, sys, scripted{receive: func(_ *actors.Context, m actors.Message) error {
		switch req := m.Body.(type) {
		case int:
			m.From.Reply(req * 2)
		case string:
			m.From.Reply(errors.New("refused: " + req))
		}
		return nil
	}})

	t.Run("value", func(t *testing.T) {
		got, err := call(ref, 21)
		if err != nil || got != 42 {
			t.Fatalf("Call(21) = %v, %v; want 42, nil", got, err)
		}
	})
	t.Run("error value is returned as the error", func(t *testing.T) {
		got, err := call(ref, "x")
		if err == nil || err.Error() != "refused: x" || got != nil {
			t.Fatalf("Call(x) = %v, %v; want nil, refused: x", got, err)
		}
		if errors.Is(err, actors.ErrNoProc) {
			t.Fatalf("an error reply must not read as a dead actor: %v", err)
		}
		if !ref.Alive() {
			t.Fatal("replying with an error stopped the actor")
		}
	})
}

func TestCallContextEnds(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	silent := spawn(t, sys, scripted{}) // never replies

	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, context.DeadlineExceeded},
		{"cancelled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			got, err := actors.Call(ctx, silent, "hello?")
			if !errors.Is(err, tt.want) || got != nil {
				t.Fatalf("Call = %v, %v; want an error wrapping %v", got, err, tt.want)
			}
			if el := time.Since(start); el > 2*time.Second {
				t.Fatalf("Call returned %v after the context ended", el)
			}
			if !silent.Alive() {
				t.Fatal("a call that timed out stopped the actor")
			}
		})
	}
}

func TestCallToExitedActor(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)

	t.Run("zero Ref", func(t *testing.T) {
		if _, err := call(actors.Ref{}, "x"); !errors.Is(err, actors.ErrNoProc) {
			t.Fatalf("Call(zero Ref) = %v; want ErrNoProc", err)
		}
	})

	tests := []struct {
		name   string
		end    func(actors.Ref)
		reason error
	}{
		{"stopped", actors.Stop, actors.ErrNormal},
		{"crashed", func(r actors.Ref) { actors.Send(r, fail{errBoom}) }, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := spawn(t, sys, worker{})
			tt.end(ref)
			awaitExit(t, ref)

			start := time.Now()
			_, err := call(ref, "ping")
			if el := time.Since(start); el > time.Second {
				t.Fatalf("Call to an exited actor took %v", el)
			}
			if !errors.Is(err, actors.ErrNoProc) || !errors.Is(err, tt.reason) {
				t.Fatalf("Call = %v; want ErrNoProc wrapping %v", err, tt.reason)
			}
		})
	}
}

type result struct {
	v   any
	err error
}

// pendingCall calls ref on a goroutine of its own.
func pendingCall(ref actors.Ref, req any) <-chan result {
	done := make(chan result, 1)
	go func() {
		v, err := call(ref, req)
		done <- result{v, err}
	}()
	return done
}

func awaitCall(t *testing.T, done <-chan result) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(within):
		t.Fatalf("Call did not return within %v", within)
		return result{}
	}
}

func TestCallToActorThatCrashesWhileCallPending(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)

	ref := spawn(t, sys, scripted{receive: func(_ *actors.Context, m actors.Message) error {
		switch b := m.Body.(type) {
		case fail:
			return b.err
		case string: // a call it keeps without answering
			actors.Send(probe.Ref(), "pending")
		}
		return nil
	}})

	done := pendingCall(ref, "question")
	if got := testkit.ExpectMsg[string](probe, within); got != "pending" {
		t.Fatalf("probe got %q", got)
	}
	actors.Send(ref, fail{errBoom})

	err := awaitCall(t, done).err
	if !errors.Is(err, actors.ErrNoProc) || !errors.Is(err, errBoom) {
		t.Fatalf("Call = %v; want ErrNoProc wrapping the cause", err)
	}
}

// A call that reaches an actor after it started exiting, while it waits for
// its children to stop, fails like one that reached it after it exited.
func TestCallToActorStoppingItsChildren(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	release := make(chan struct{})
	defer close(release)

	slowChild := scripted{terminate: func(*actors.Context, error) {
		actors.Send(probe.Ref(), "child terminating")
		<-release
	}}
	parent := spawn(t, sys, scripted{
		init: func(ctx *actors.Context) error {
			_, err := ctx.Spawn(slowChild)
			return err
		},
		receive: func(_ *actors.Context, m actors.Message) error {
			if f, ok := m.Body.(fail); ok {
				return f.err
			}
			m.From.Reply("answered")
			return nil
		},
	})

	actors.Send(parent, fail{errBoom})
	testkit.FishFor(probe, within, func(s string) bool { return s == "child terminating" })

	start := time.Now()
	_, err := call(parent, "question")
	if el := time.Since(start); el > time.Second {
		t.Fatalf("Call to an exiting actor took %v", el)
	}
	if !errors.Is(err, actors.ErrNoProc) || !errors.Is(err, errBoom) {
		t.Fatalf("Call = %v; want ErrNoProc wrapping the cause", err)
	}
}

// Whatever the interleaving of a call with the crash of its callee, the
// caller sees ErrNoProc and the cause.
func TestCallRacingCrash(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	for range 20 {
		ref := spawn(t, sys, scripted{receive: func(_ *actors.Context, m actors.Message) error {
			if f, ok := m.Body.(fail); ok {
				return f.err
			}
			return nil // calls are never answered
		}})
		done := pendingCall(ref, "question")
		actors.Send(ref, fail{errBoom})
		if err := awaitCall(t, done).err; !errors.Is(err, actors.ErrNoProc) || !errors.Is(err, errBoom) {
			t.Fatalf("Call = %v; want ErrNoProc wrapping the cause", err)
		}
	}
}

func TestReplyLater(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)

	type release struct{ answer int }
	var waiting []actors.From
	ref := spawn(t, sys, scripted{receive: func(_ *actors.Context, m actors.Message) error {
		switch b := m.Body.(type) {
		case string:
			waiting = append(waiting, m.From)
			actors.Send(probe.Ref(), "stored")
		case release:
			for _, from := range waiting {
				from.Reply(b.answer)
				from.Reply(-1) // a second reply is dropped
			}
			waiting = nil
		}
		return nil
	}})

	first, second := pendingCall(ref, "a"), pendingCall(ref, "b")
	testkit.ExpectMsg[string](probe, within)
	testkit.ExpectMsg[string](probe, within)
	actors.Send(ref, release{answer: 7})

	for _, done := range []<-chan result{first, second} {
		if r := awaitCall(t, done); r.err != nil || r.v != 7 {
			t.Fatalf("later reply = %v, %v; want 7, nil", r.v, r.err)
		}
	}
}

func TestMessageKinds(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	var fromSeen []bool
	ref := spawn(t, sys, scripted{receive: func(_ *actors.Context, m actors.Message) error {
		fromSeen = append(fromSeen, !m.From.IsZero())
		m.From.Reply(nil)
		actors.Send(probe.Ref(), received{Kind: m.Kind, Body: m.Body})
		return nil
	}})

	tests := []struct {
		name string
		send func()
		want actors.Kind
	}{
		{"Send", func() { actors.Send(ref, "info") }, actors.KindInfo},
		{"Cast", func() { actors.Cast(ref, "cast") }, actors.KindCast},
		{"Call", func() {
			if _, err := call(ref, "call"); err != nil {
				t.Errorf("Call: %v", err)
			}
		}, actors.KindCall},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.send()
			got := testkit.ExpectMsg[received](probe, within)
			if got.Kind != tt.want || got.Body != tt.want.String() {
				t.Fatalf("received %v %v; want %v %q", got.Kind, got.Body, tt.want, tt.want.String())
			}
			if last := fromSeen[len(fromSeen)-1]; last != (tt.want == actors.KindCall) {
				t.Fatalf("From set = %v for a %v", last, tt.want)
			}
		})
	}

	t.Run("to an exited actor", func(t *testing.T) {
		actors.Stop(ref)
		awaitExit(t, ref)
		actors.Send(ref, "info")
		actors.Cast(ref, "cast")
		probe.ExpectNoMsg(quiet)
	})
}

func TestKindString(t *testing.T) {
	for k, want := range map[actors.Kind]string{
		actors.KindInfo: "info", actors.KindCast: "cast", actors.KindCall: "call", actors.Kind(9): "Kind(9)",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q; want %q", k, got, want)
		}
	}
}

func TestZeroRef(t *testing.T) {
	var r actors.Ref
	if !r.IsZero() || r.Alive() || r.Done() != nil || r.ExitReason() != nil || r.String() != "<nil>" {
		t.Fatalf("zero Ref: IsZero %v Alive %v Done %v ExitReason %v String %q",
			r.IsZero(), r.Alive(), r.Done(), r.ExitReason(), r.String())
	}
	// Neither panics nor blocks.
	actors.Send(r, "x")
	actors.Cast(r, "x")
	actors.Stop(r)
	actors.Exit(r, errBoom)
}

func TestNewFrom(t *testing.T) {
	from, replies := actors.NewFrom()
	if from.IsZero() {
		t.Fatal("NewFrom returned the zero From")
	}
	from.Reply("first")
	from.Reply("second")
	if got := <-replies; got != "first" {
		t.Fatalf("reply = %v; want the first one", got)
	}
	select {
	case v := <-replies:
		t.Fatalf("a second reply was delivered: %v", v)
	default:
	}
	var zero actors.From
	zero.Reply("dropped") // does nothing
}
