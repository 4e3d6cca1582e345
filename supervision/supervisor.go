package supervision

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/parrot-platform/parrot/actors"
)

// Strategy is how a supervisor restarts children when one exits.
type Strategy uint8

// Restart strategies.
const (
	// OneForOne restarts only the child that exited.
	OneForOne Strategy = iota
	// OneForAll stops all other children and restarts them all.
	OneForAll
	// RestForOne stops the children started after the one that exited and
	// restarts it and them.
	RestForOne
)

// String returns the OTP name of the strategy.
func (s Strategy) String() string {
	switch s {
	case OneForOne:
		return "one_for_one"
	case OneForAll:
		return "one_for_all"
	case RestForOne:
		return "rest_for_one"
	}
	return "Strategy(" + strconv.Itoa(int(s)) + ")"
}

// Restart is when a child is restarted.
type Restart uint8

// Restart types.
const (
	// Permanent children are always restarted.
	Permanent Restart = iota
	// Transient children are restarted only after an abnormal exit (see
	// actors.IsNormal).
	Transient
	// Temporary children are never restarted, and forgotten once they exit.
	Temporary
)

// String returns the OTP name of the restart type.
func (r Restart) String() string {
	switch r {
	case Permanent:
		return "permanent"
	case Transient:
		return "transient"
	case Temporary:
		return "temporary"
	}
	return "Restart(" + strconv.Itoa(int(r)) + ")"
}

// DefaultShutdown is how long a child is given to stop when its
// ChildSpec.Shutdown is zero.
const DefaultShutdown = 5 * time.Second

// Errors of supervision.
var (
	// ErrTooManyRestarts is the exit reason of a supervisor whose children
	// needed more restarts than its intensity allows.
	ErrTooManyRestarts = errors.New("supervision: reached max restart intensity")
	// ErrChildExists is returned when starting a child whose id is in use.
	ErrChildExists = errors.New("supervision: child id already present")
	// ErrNoChild is returned for a child id the supervisor does not know.
	ErrNoChild = errors.New("supervision: no such child")
	// ErrChildRunning is returned when deleting or restarting a running
	// child.
	ErrChildRunning = errors.New("supervision: child is running")
)

// ChildSpec describes one child.
type ChildSpec struct {
	// ID names the child within its supervisor. StartChild gives a child
	// without an ID a unique one.
	ID string
	// Start makes a fresh actor for each start and restart.
	Start func() actors.Actor
	// Restart is the child's restart type.
	Restart Restart
	// Shutdown is how long the child has to stop before the supervisor
	// moves on without it, logging it as killed; zero means
	// [DefaultShutdown]. Go cannot kill a goroutine: an abandoned child
	// runs on until its Terminate returns, and the supervisor's own exit
	// waits for that.
	Shutdown time.Duration
	// Name, if set, registers the child under this name at each start.
	Name string
}

// Spec describes a supervisor.
type Spec struct {
	Strategy Strategy
	// Intensity and Period: more than Intensity restarts within Period stop
	// the supervisor. Both zero select OTP's defaults, 1 restart in 5 s.
	Intensity int
	Period    time.Duration
	// Children are started in order, and stopped in reverse order.
	Children []ChildSpec
}

// ChildInfo is a snapshot of one child, from [WhichChildren].
type ChildInfo struct {
	ID      string
	Ref     actors.Ref // zero when the child is not running
	Restart Restart
	// Supervisor reports whether the child is itself a supervisor.
	Supervisor bool
	// Restarts counts the times this supervisor restarted the child.
	Restarts int
}

// Alive reports whether the child was running at the snapshot.
func (c ChildInfo) Alive() bool { return !c.Ref.IsZero() }

// New returns a supervisor actor for spec, to spawn on a system or as a
// child of another supervisor. It starts spec.Children in Init; if one fails
// to start, it stops those already started and fails.
func New(spec Spec) actors.Actor {
	if spec.Intensity == 0 && spec.Period == 0 {
		spec.Intensity, spec.Period = 1, 5*time.Second
	}
	return &supervisor{spec: spec}
}

// Start spawns a top-level supervisor on sys.
func Start(sys *actors.System, spec Spec, opts ...actors.SpawnOption) (actors.Ref, error) {
	return sys.Spawn(New(spec), opts...)
}

type child struct {
	spec     ChildSpec
	ref      actors.Ref
	order    uint64 // start order; a restarted child keeps its place
	restarts int
	super    bool
}

type supervisor struct {
	spec     Spec
	ctx      *actors.Context
	byID     map[string]*child
	byRef    map[actors.Ref]*child
	order    uint64
	autoID   uint64
	restarts []time.Time // restart times within the period
}

type (
	startChild     struct{ spec ChildSpec }
	terminateChild struct{ id string }
	deleteChild    struct{ id string }
	restartChild   struct{ id string }
	whichChildren  struct{}
)

func (s *supervisor) Init(ctx *actors.Context) error {
	s.ctx = ctx
	s.byID = make(map[string]*child, len(s.spec.Children))
	s.byRef = make(map[actors.Ref]*child, len(s.spec.Children))
	for _, cs := range s.spec.Children {
		if _, err := s.add(cs); err != nil {
			s.stopAll()
			return fmt.Errorf("supervision: start child %q: %w", cs.ID, err)
		}
	}
	s.spec.Children = nil
	return nil
}

func (s *supervisor) Receive(ctx *actors.Context, msg actors.Message) error {
	switch m := msg.Body.(type) {
	case actors.Down:
		return s.down(m)
	case startChild:
		ref, err := s.add(m.spec)
		msg.From.Reply(result(ref, err))
	case terminateChild:
		msg.From.Reply(s.terminate(m.id))
	case deleteChild:
		msg.From.Reply(s.delete(m.id))
	case restartChild:
		msg.From.Reply(s.restartByID(m.id))
	case whichChildren:
		msg.From.Reply(s.which())
	default:
		ctx.Logger().Debug("supervision: unexpected message dropped", slog.String("type", fmt.Sprintf("%T", m)))
	}
	return nil
}

func (s *supervisor) Terminate(*actors.Context, error) { s.stopAll() }

func result(ref actors.Ref, err error) any {
	if err != nil {
		return err
	}
	return ref
}

// add registers a new child spec and starts it.
func (s *supervisor) add(cs ChildSpec) (actors.Ref, error) {
	for cs.ID == "" {
		// Skip generated ids a child was given explicitly.
		s.autoID++
		id := "child-" + strconv.FormatUint(s.autoID, 10)
		if _, taken := s.byID[id]; !taken {
			cs.ID = id
		}
	}
	if _, dup := s.byID[cs.ID]; dup {
		return actors.Ref{}, fmt.Errorf("%w: %q", ErrChildExists, cs.ID)
	}
	s.order++
	c := &child{spec: cs, order: s.order}
	if err := s.startChild(c); err != nil {
		return actors.Ref{}, err
	}
	s.byID[cs.ID] = c
	return c.ref, nil
}

func (s *supervisor) startChild(c *child) error {
	a := c.spec.Start()
	_, c.super = a.(*supervisor)
	var opts []actors.SpawnOption
	if c.spec.Name != "" {
		opts = append(opts, actors.WithName(c.spec.Name))
	}
	ref, err := s.ctx.Spawn(a, opts...)
	if err != nil {
		return err
	}
	c.ref = ref
	s.byRef[ref] = c
	s.ctx.Watch(ref)
	return nil
}

// down handles the exit of a watched child.
func (s *supervisor) down(d actors.Down) error {
	c, ok := s.byRef[d.Ref]
	if !ok {
		return nil // a child this supervisor stopped itself
	}
	delete(s.byRef, d.Ref)
	c.ref = actors.Ref{}
	switch {
	case c.spec.Restart == Temporary:
		delete(s.byID, c.spec.ID)
		return nil
	case c.spec.Restart == Transient && actors.IsNormal(d.Reason):
		return nil
	}
	s.ctx.Logger().Info("supervision: restarting child",
		slog.String("child", c.spec.ID), slog.Any("reason", d.Reason),
		slog.String("strategy", s.spec.Strategy.String()))
	return s.restart(c)
}

// restart applies the strategy after c exited, counting restarts against
// the intensity; beyond it the supervisor gives up.
func (s *supervisor) restart(failed *child) error {
	for {
		if err := s.count(); err != nil {
			s.ctx.Logger().Error("supervision: giving up", slog.String("child", failed.spec.ID), slog.Any("reason", err))
			s.stopAll()
			return err
		}
		group := []*child{failed}
		switch s.spec.Strategy {
		case OneForAll:
			group = s.ordered(func(*child) bool { return true })
		case RestForOne:
			group = s.ordered(func(c *child) bool { return c.order >= failed.order })
		}
		s.stopGroup(group)
		err := s.startGroup(group)
		if err == nil {
			return nil
		}
		s.ctx.Logger().Error("supervision: restart failed", slog.String("child", failed.spec.ID), slog.Any("reason", err))
	}
}

// count records a restart and reports whether the intensity is exceeded.
func (s *supervisor) count() error {
	now := s.ctx.Now()
	keep := s.restarts[:0]
	for _, t := range s.restarts {
		if now.Sub(t) < s.spec.Period {
			keep = append(keep, t)
		}
	}
	s.restarts = append(keep, now)
	if len(s.restarts) > s.spec.Intensity {
		return fmt.Errorf("%w: more than %d in %v", ErrTooManyRestarts, s.spec.Intensity, s.spec.Period)
	}
	return nil
}

// ordered returns the known children that match, in start order.
func (s *supervisor) ordered(match func(*child) bool) []*child {
	cs := make([]*child, 0, len(s.byID))
	for _, c := range s.byID {
		if match(c) {
			cs = append(cs, c)
		}
	}
	slices.SortFunc(cs, func(a, b *child) int { return cmp.Compare(a.order, b.order) })
	return cs
}

// stopGroup stops the running children of group in reverse order; those
// that are temporary are forgotten, as they will not be restarted.
func (s *supervisor) stopGroup(group []*child) {
	for i := len(group) - 1; i >= 0; i-- {
		c := group[i]
		s.stop(c)
		if c.spec.Restart == Temporary {
			delete(s.byID, c.spec.ID)
		}
	}
}

// startGroup starts the non-temporary children of group in order.
func (s *supervisor) startGroup(group []*child) error {
	for _, c := range group {
		if c.spec.Restart == Temporary || !c.ref.IsZero() {
			continue
		}
		if err := s.startChild(c); err != nil {
			return fmt.Errorf("start child %q: %w", c.spec.ID, err)
		}
		c.restarts++
	}
	return nil
}

// stop stops one running child and waits for it within its shutdown time.
func (s *supervisor) stop(c *child) {
	if c.ref.IsZero() {
		return
	}
	ref := c.ref
	delete(s.byRef, ref)
	c.ref = actors.Ref{}
	s.ctx.Unwatch(ref)
	actors.Exit(ref, actors.ErrShutdown)
	d := c.spec.Shutdown
	if d <= 0 {
		d = DefaultShutdown
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ref.Done():
	case <-t.C:
		s.ctx.Logger().Warn("supervision: child did not stop in time; abandoned",
			slog.String("child", c.spec.ID), slog.Duration("shutdown", d), slog.Any("reason", actors.ErrKilled))
	}
}

func (s *supervisor) stopAll() {
	s.stopGroup(s.ordered(func(*child) bool { return true }))
}

func (s *supervisor) terminate(id string) error {
	c, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoChild, id)
	}
	s.stop(c)
	if c.spec.Restart == Temporary {
		delete(s.byID, id)
	}
	return nil
}

func (s *supervisor) delete(id string) error {
	c, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoChild, id)
	}
	if !c.ref.IsZero() {
		return fmt.Errorf("%w: %q", ErrChildRunning, id)
	}
	delete(s.byID, id)
	return nil
}

func (s *supervisor) restartByID(id string) any {
	c, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoChild, id)
	}
	if !c.ref.IsZero() {
		return fmt.Errorf("%w: %q", ErrChildRunning, id)
	}
	err := s.startChild(c)
	return result(c.ref, err)
}

func (s *supervisor) which() []ChildInfo {
	cs := s.ordered(func(*child) bool { return true })
	out := make([]ChildInfo, len(cs))
	for i, c := range cs {
		out[i] = ChildInfo{ID: c.spec.ID, Ref: c.ref, Restart: c.spec.Restart, Supervisor: c.super, Restarts: c.restarts}
	}
	return out
}

// StartChild starts a dynamic child under the supervisor sup.
func StartChild(ctx context.Context, sup actors.Ref, spec ChildSpec) (actors.Ref, error) {
	v, err := actors.Call(ctx, sup, startChild{spec})
	if err != nil {
		return actors.Ref{}, err
	}
	return v.(actors.Ref), nil
}

// TerminateChild stops the child id. A temporary child is forgotten; others
// keep their spec until DeleteChild, and RestartChild starts them again.
func TerminateChild(ctx context.Context, sup actors.Ref, id string) error {
	_, err := actors.Call(ctx, sup, terminateChild{id})
	return err
}

// DeleteChild forgets the spec of a stopped child.
func DeleteChild(ctx context.Context, sup actors.Ref, id string) error {
	_, err := actors.Call(ctx, sup, deleteChild{id})
	return err
}

// RestartChild starts again a stopped child whose spec is kept.
func RestartChild(ctx context.Context, sup actors.Ref, id string) (actors.Ref, error) {
	v, err := actors.Call(ctx, sup, restartChild{id})
	if err != nil {
		return actors.Ref{}, err
	}
	return v.(actors.Ref), nil
}

// WhichChildren returns the supervisor's children in start order.
func WhichChildren(ctx context.Context, sup actors.Ref) ([]ChildInfo, error) {
	v, err := actors.Call(ctx, sup, whichChildren{})
	if err != nil {
		return nil, err
	}
	return v.([]ChildInfo), nil
}
