package actors_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/testkit"
)

// bufferLogger returns a debug-level text logger writing into a buffer.
func bufferLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

func TestRuntimeLogLines(t *testing.T) {
	tests := []struct {
		name string
		opts []actors.Option
		want bool // lines of the actor library expected
	}{
		{"quiet by default", nil, false},
		{"shown from the level asked for", []actors.Option{actors.WithRuntimeLogLevel(slog.LevelInfo)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.CheckLeaks(t)
			logger, buf := bufferLogger()
			sys := testkit.NewSystem(t, append([]actors.Option{actors.WithLogger(logger)}, tt.opts...)...)
			ref := spawn(t, sys, worker{})
			if v := mustCall(t, ref, "ping"); v != "pong" {
				t.Fatalf("ping = %v", v)
			}

			lib := buf.lines("lib=protoactor")
			started := buf.lines("lib=protoactor", "actor system started", "level=INFO")
			if tt.want && len(started) != 1 {
				t.Fatalf("want one start-up line from the library, got:\n%s", strings.Join(lib, "\n"))
			}
			if !tt.want && len(lib) != 0 {
				t.Fatalf("want no line from the library, got:\n%s", strings.Join(lib, "\n"))
			}
			if other := len(buf.lines()) - len(lib); other != 0 {
				t.Fatalf("spawn and call logged %d lines of their own:\n%s", other, strings.Join(buf.lines(), "\n"))
			}
		})
	}
}

func TestCrashLoggedOnce(t *testing.T) {
	tests := []struct {
		name  string
		cause any
		stack bool
	}{
		{"returned error", fail{errBoom}, false},
		{"panic", explode{errBoom}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.CheckLeaks(t)
			logger, buf := bufferLogger()
			sys := testkit.NewSystem(t, actors.WithLogger(logger))
			probe := testkit.NewProbe(t, sys)
			ref := spawn(t, sys, worker{})
			probe.Watch(ref)
			actors.Send(ref, tt.cause)
			probe.ExpectDown(ref, within)

			errs := buf.lines("level=ERROR")
			if len(errs) != 1 {
				t.Fatalf("want one ERROR line, got %d:\n%s", len(errs), strings.Join(buf.lines(), "\n"))
			}
			line := errs[0]
			for _, want := range []string{"actor crashed", "actor=" + ref.String(), "boom"} {
				if !strings.Contains(line, want) {
					t.Errorf("crash line lacks %q: %s", want, line)
				}
			}
			if got := strings.Contains(line, "stack="); got != tt.stack {
				t.Errorf("stack logged = %v; want %v: %s", got, tt.stack, line)
			}
		})
	}
}

func TestNormalExitNotLogged(t *testing.T) {
	testkit.CheckLeaks(t)
	logger, buf := bufferLogger()
	sys := testkit.NewSystem(t, actors.WithLogger(logger))
	for _, stop := range []func(actors.Ref){
		actors.Stop,
		func(r actors.Ref) { actors.Send(r, fail{actors.ErrNormal}) },
		func(r actors.Ref) { actors.Send(r, fail{actors.ErrShutdown}) },
	} {
		ref := spawn(t, sys, worker{})
		stop(ref)
		awaitExit(t, ref)
	}
	if lines := buf.lines(); len(lines) != 0 {
		t.Fatalf("normal exits logged:\n%s", strings.Join(lines, "\n"))
	}
}

func TestContextLogger(t *testing.T) {
	testkit.CheckLeaks(t)
	logger, buf := bufferLogger()
	sys := testkit.NewSystem(t, actors.WithLogger(logger))
	if sys.Logger() != logger {
		t.Fatal("System.Logger is not the logger given")
	}
	ref := spawn(t, sys, scripted{receive: func(ctx *actors.Context, m actors.Message) error {
		ctx.Logger().Info("hello from the actor")
		m.From.Reply(ctx.Self())
		return nil
	}})
	if self := mustCall(t, ref, "log"); self != ref {
		t.Fatalf("Self() = %v; want %v", self, ref)
	}
	if got := buf.lines("hello from the actor", "actor="+ref.String()); len(got) != 1 {
		t.Fatalf("want the actor's line with its id, got:\n%s", strings.Join(buf.lines(), "\n"))
	}
}

func TestRefLogsAsItsIdentifier(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	ref, err := sys.Spawn(&scripted{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "ref", ref)
	if !strings.Contains(buf.String(), "ref="+ref.String()) || ref.String() == "<nil>" {
		t.Fatalf("logged %q; want ref=%s", buf.String(), ref)
	}
}
