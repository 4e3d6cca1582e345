package actors

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// System is one actor runtime: the actors spawned on it, their registered
// names, its logger and its clock. Create it with [NewSystem] and stop it
// with [System.Shutdown].
type System struct {
	as      *actor.ActorSystem
	logger  *slog.Logger
	clock   Clock
	stopped atomic.Bool
	live    atomic.Int64
	asDone  sync.Once // the runtime's own Shutdown may run only once

	// Every actor shares one Props: its producer hands over the actor
	// being spawned, under spawnMu.
	props   *actor.Props
	spawnMu sync.Mutex
	pending *proc

	mu      sync.Mutex
	names   map[string]*cell
	roots   map[*cell]uint64 // top-level actors and their spawn order
	rootSeq uint64
}

// Option configures a [System].
type Option func(*config)

type config struct {
	logger       *slog.Logger
	clock        Clock
	runtimeLevel slog.Leveler
}

// WithLogger sets the system's logger (default slog.Default()). Actors log
// through it with an "actor" attribute.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithClock sets the clock every timer of the system goes through (default
// [RealClock]). Tests pass a [VirtualClock].
func WithClock(clk Clock) Option { return func(c *config) { c.clock = clk } }

// WithRuntimeLogLevel sets the lowest level at which the underlying actor
// library's own log lines reach the system's logger (default slog.LevelWarn,
// which keeps its start-up and dead-letter chatter out of the logs).
func WithRuntimeLogLevel(level slog.Leveler) Option {
	return func(c *config) { c.runtimeLevel = level }
}

// NewSystem starts an actor system.
func NewSystem(opts ...Option) *System {
	cfg := config{logger: slog.Default(), clock: RealClock(), runtimeLevel: slog.LevelWarn}
	for _, o := range opts {
		o(&cfg)
	}
	s := &System{
		logger: cfg.logger,
		clock:  cfg.clock,
		names:  make(map[string]*cell),
		roots:  make(map[*cell]uint64),
	}
	runtimeLogger := slog.New(&minLevelHandler{
		Handler: cfg.logger.Handler().WithAttrs([]slog.Attr{slog.String("lib", "protoactor")}),
		min:     cfg.runtimeLevel,
	})
	s.props = actor.PropsFromProducer(func() actor.Actor {
		p := s.pending
		s.pending = nil
		return p
	})
	s.as = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return runtimeLogger
	}))
	return s
}

// Logger returns the system's logger.
func (s *System) Logger() *slog.Logger { return s.logger }

// Clock returns the system's clock.
func (s *System) Clock() Clock { return s.clock }

// Live returns the number of actors of the system that have been spawned and
// have not yet exited.
func (s *System) Live() int { return int(s.live.Load()) }

// Spawn starts a top-level actor and returns once its Init has run. If Init
// fails, Spawn returns the exit reason after the actor has exited.
//
// Spawn blocks until Init returns: an Init that calls its spawner
// deadlocks, as start_link does in OTP.
func (s *System) Spawn(a Actor, opts ...SpawnOption) (Ref, error) {
	return s.spawn(nil, a, opts)
}

// Register gives ref a name that [System.Whereis] finds. An actor has at
// most one name, and the name is released when the actor exits.
func (s *System) Register(name string, ref Ref) error {
	if ref.c == nil {
		return ErrNoProc
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.registerLocked(name, ref.c)
}

func (s *System) registerLocked(name string, c *cell) error {
	if name == "" {
		return fmt.Errorf("actors: register: empty name")
	}
	if _, taken := s.names[name]; taken || c.name != "" {
		return fmt.Errorf("%w: %q", ErrNameTaken, name)
	}
	if c.forgotten || c.exited() {
		return ErrNoProc
	}
	s.names[name] = c
	c.name = name
	return nil
}

// Unregister removes a name. It does nothing if the name is not registered.
func (s *System) Unregister(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.names[name]; ok {
		delete(s.names, name)
		c.name = ""
	}
}

// Whereis returns the actor registered under name. An actor spawned
// [WithName] is found from the start of its Init; what is sent to it then
// waits until Init has returned.
func (s *System) Whereis(name string) (Ref, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.names[name]
	if !ok || c.pid() == nil {
		// Reserved by a spawn WithName whose actor has not started yet.
		return Ref{}, false
	}
	return Ref{c}, true
}

// Shutdown stops every top-level actor, the most recently spawned first,
// with reason [ErrShutdown], waiting for each to exit (supervisors stop
// their own children first). It returns ctx.Err() if ctx ends first.
// Spawning on a stopped system fails with [ErrSystemStopped]. Calling
// Shutdown again is harmless, and waits again for actors still stopping.
func (s *System) Shutdown(ctx context.Context) error {
	s.stopped.Store(true)
	s.mu.Lock()
	roots := make([]*cell, 0, len(s.roots))
	for c := range s.roots {
		roots = append(roots, c)
	}
	slices.SortFunc(roots, func(a, b *cell) int { return cmp.Compare(s.roots[b], s.roots[a]) })
	s.mu.Unlock()
	var err error
	for _, c := range roots {
		Exit(Ref{c}, ErrShutdown)
		select {
		case <-c.doneChan():
		case <-ctx.Done():
			err = fmt.Errorf("actors: shutdown: %w", ctx.Err())
		}
		if err != nil {
			break
		}
	}
	s.asDone.Do(s.as.Shutdown)
	return err
}

// forget removes an exited actor's name and root entry.
func (s *System) forget(c *cell) {
	s.mu.Lock()
	c.forgotten = true
	if c.name != "" {
		delete(s.names, c.name)
		c.name = ""
	}
	delete(s.roots, c)
	s.mu.Unlock()
}

// minLevelHandler passes on records at or above min.
type minLevelHandler struct {
	slog.Handler
	min slog.Leveler
}

func (h *minLevelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min.Level() && h.Handler.Enabled(ctx, l)
}

func (h *minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &minLevelHandler{Handler: h.Handler.WithAttrs(attrs), min: h.min}
}

func (h *minLevelHandler) WithGroup(name string) slog.Handler {
	return &minLevelHandler{Handler: h.Handler.WithGroup(name), min: h.min}
}
