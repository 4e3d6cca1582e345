package actors

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Actor is the callback set the runtime hosts. The callbacks of one actor
// run one at a time, never concurrently.
type Actor interface {
	// Init runs first. An error stops the actor with that reason and makes
	// the spawn fail.
	Init(ctx *Context) error
	// Receive handles one message. An error stops the actor: [ErrNormal]
	// or [ErrShutdown] as a normal exit, anything else as a crash.
	Receive(ctx *Context, msg Message) error
	// Terminate runs last, with the exit reason, unless Init failed.
	Terminate(ctx *Context, reason error)
}

// SpawnOption configures one spawn.
type SpawnOption func(*spawnConfig)

type spawnConfig struct{ name string }

// WithName registers the actor under name before its Init runs; the spawn
// fails with [ErrNameTaken] if the name is in use.
func WithName(name string) SpawnOption { return func(c *spawnConfig) { c.name = name } }

// Context is an actor's view of the runtime, valid inside its callbacks.
type Context struct {
	p  *proc
	pc actor.Context
}

// Self returns the actor's own Ref.
func (c *Context) Self() Ref { return Ref{c.p.cell} }

// System returns the system the actor runs on.
func (c *Context) System() *System { return c.p.cell.sys }

// Clock returns the system's clock.
func (c *Context) Clock() Clock { return c.p.cell.sys.clock }

// Now returns the clock's current time.
func (c *Context) Now() time.Time { return c.p.cell.sys.clock.Now() }

// Logger returns the system's logger with the actor's identifier attached.
func (c *Context) Logger() *slog.Logger {
	return c.p.cell.sys.logger.With(slog.String("actor", c.p.cell.pid().Id))
}

// SendAfter sends msg to the actor itself after d, through the system's
// clock.
func (c *Context) SendAfter(d time.Duration, msg any) Timer {
	return SendAfter(c.p.cell.sys.clock, d, c.Self(), msg)
}

// Spawn starts a child actor and returns once its Init has run. A child
// stops when its parent stops. The parent is not told when a child exits
// unless it watches it.
func (c *Context) Spawn(a Actor, opts ...SpawnOption) (Ref, error) {
	return c.p.cell.sys.spawn(c.pc, a, opts)
}

// Watch asks for a [Down] message when ref exits. Watching an actor that has
// already exited delivers the Down at once. Watching twice is one watch.
func (c *Context) Watch(ref Ref) {
	if ref.c == nil {
		return
	}
	if c.p.watched == nil {
		c.p.watched = make(map[string]*cell)
	}
	id := ref.c.pid().Id
	if _, dup := c.p.watched[id]; dup {
		return
	}
	c.p.watched[id] = ref.c
	c.pc.Watch(ref.c.pid())
}

// Unwatch cancels a Watch. A Down already queued may still arrive.
func (c *Context) Unwatch(ref Ref) {
	if ref.c == nil || c.p.watched == nil {
		return
	}
	if _, ok := c.p.watched[ref.c.pid().Id]; ok {
		delete(c.p.watched, ref.c.pid().Id)
		c.pc.Unwatch(ref.c.pid())
	}
}

// proc is the protoactor actor that hosts one of ours.
type proc struct {
	actor    Actor
	cell     *cell
	ctx      Context
	initDone chan error
	started  bool // Init succeeded
	exiting  bool
	reason   error
	watched  map[string]*cell // by protoactor id
}

// downNote asks a watcher to deliver the Down of an actor that has exited.
type downNote struct{ ref Ref }

func (s *System) spawn(parent actor.Context, a Actor, opts []SpawnOption) (Ref, error) {
	if s.stopped.Load() {
		return Ref{}, ErrSystemStopped
	}
	var cfg spawnConfig
	for _, o := range opts {
		o(&cfg)
	}
	c := &cell{sys: s}
	s.mu.Lock()
	if cfg.name != "" {
		if err := s.registerLocked(cfg.name, c); err != nil {
			s.mu.Unlock()
			return Ref{}, err
		}
	}
	if parent == nil {
		s.rootSeq++
		s.roots[c] = s.rootSeq
	}
	s.mu.Unlock()
	s.live.Add(1)

	initDone := make(chan error, 1)
	p := &proc{actor: a, cell: c, initDone: initDone}
	p.ctx.p = p
	s.spawnMu.Lock()
	s.pending = p
	if parent == nil {
		s.as.Root.Spawn(s.props)
	} else {
		parent.Spawn(s.props)
	}
	s.spawnMu.Unlock()
	if err := <-initDone; err != nil {
		<-c.doneChan()
		return Ref{}, err
	}
	return Ref{c}, nil
}

// Receive implements protoactor's Actor.
func (p *proc) Receive(pc actor.Context) {
	switch m := pc.Message().(type) {
	case *callMsg:
		p.user(Message{Kind: KindCall, Body: m.req, From: From{m.ch}})
	case castMsg:
		p.user(Message{Kind: KindCast, Body: m.msg})
	case syncMsg:
		p.user(Message{Kind: KindInfo, Body: m.msg})
		close(m.ack)
	case downNote:
		p.user(Message{Kind: KindInfo, Body: Down{Ref: m.ref, Reason: m.ref.c.reason}})
	case *actor.Started:
		p.start(pc)
	case *actor.Stopping:
		p.stopping()
	case *actor.Stopped:
		p.stopped()
	case *actor.Terminated:
		p.terminated(m)
	case *actor.Restarting:
		// Never asked for: restarts are a supervisor's new spawn.
	default:
		p.user(Message{Kind: KindInfo, Body: m})
	}
}

func (p *proc) start(pc actor.Context) {
	// Without middleware the runtime hands an actor the same context for
	// all its messages.
	p.ctx.pc = pc
	p.cell.addr.Store(pc.Self())
	if p.cell.requested.Load() != nil {
		// Exit reached the actor before its address was known: it stops
		// once Init has run.
		pc.Stop(pc.Self())
	}
	err := p.initActor()
	initDone := p.initDone
	p.initDone = nil
	if err != nil {
		p.exit(exitReason(err))
		initDone <- p.reason
		return
	}
	p.started = true
	initDone <- nil
}

// user delivers a message to the actor, unless it is exiting: then a
// call is answered with the reason. A panic or an error returned ends the
// actor.
func (p *proc) user(msg Message) {
	if p.exiting {
		if msg.Kind == KindCall {
			msg.From.Reply(fmt.Errorf("%w: %s exiting: %w", ErrNoProc, Ref{p.cell}, p.reason))
		}
		return
	}
	returned := false
	defer func() {
		if !returned { // only a panic gets here without returning
			p.exit(panicReason(recover()))
		}
	}()
	err := p.actor.Receive(&p.ctx, msg)
	returned = true
	if err != nil {
		p.exit(exitReason(err))
	}
}

func (p *proc) initActor() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicReason(r)
		}
	}()
	return p.actor.Init(&p.ctx)
}

func panicReason(r any) error {
	return &CrashError{Err: &PanicError{Value: r, Stack: debug.Stack()}}
}

// exit starts stopping the actor with reason.
func (p *proc) exit(reason error) {
	if p.exiting {
		return
	}
	p.exiting = true
	p.reason = reason
	if !IsNormal(reason) {
		attrs := []any{slog.String("actor", p.cell.pid().Id), slog.Any("reason", reason)}
		if pe := panicOf(reason); pe != nil {
			attrs = append(attrs, slog.String("stack", string(pe.Stack)))
		}
		p.cell.sys.logger.Error("actor crashed", attrs...)
	}
	p.ctx.pc.Stop(p.cell.pid())
}

func (p *proc) stopping() {
	if !p.exiting {
		p.exiting = true
		p.reason = ErrShutdown
		if r := p.cell.requested.Load(); r != nil {
			p.reason = *r
		}
		if !IsNormal(p.reason) {
			p.cell.sys.logger.Warn("actor stopped with an abnormal reason", slog.String("actor", p.cell.pid().Id), slog.Any("reason", p.reason))
		}
	}
	if !p.started {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			p.cell.sys.logger.Error("actor terminate failed", slog.String("actor", p.cell.pid().Id), slog.Any("reason", panicReason(r)))
		}
	}()
	p.actor.Terminate(&p.ctx, p.reason)
}

func (p *proc) stopped() {
	c := p.cell
	c.sys.forget(c)
	// Counted out before the exit is seen, so that whoever waited for it
	// (System.Shutdown, then a check of Live) finds the count up to date.
	c.sys.live.Add(-1)
	c.finish(p.reason)
}

func (p *proc) terminated(m *actor.Terminated) {
	c, ok := p.watched[m.Who.Id]
	if !ok {
		return
	}
	delete(p.watched, m.Who.Id)
	if p.exiting {
		return
	}
	// The runtime's notice jumps the mailbox queue; the Down goes to the
	// back of it, behind every message the watched actor sent before it
	// exited, as in Erlang.
	self := Ref{p.cell}
	if c.exited() {
		Send(self, downNote{Ref{c}})
		return
	}
	// The watched actor was stopping when the watch reached it: its reason
	// is known once it has exited.
	done := c.doneChan()
	go func() {
		<-done
		Send(self, downNote{Ref{c}})
	}()
}

func panicOf(reason error) *PanicError {
	var crash *CrashError
	if ce, ok := reason.(*CrashError); ok {
		crash = ce
	}
	if crash == nil {
		return nil
	}
	pe, _ := crash.Err.(*PanicError)
	return pe
}
