package actors

import (
	"container/heap"
	"sync"
	"time"
)

// Clock is the source of time and timers. Every timer in Parrot goes through
// a Clock, so that tests can run state machines in virtual time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once d has elapsed. A real clock calls f on a
	// goroutine of its own; a [VirtualClock] calls it from Advance.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending call made by a [Clock].
type Timer interface {
	// Stop prevents the timer from firing. It reports whether it did so:
	// false means the timer already fired or was stopped.
	Stop() bool
}

// RealClock returns the wall clock: time.Now and time.AfterFunc. An idle
// timer costs one runtime timer and no goroutine.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// SendAfter sends msg to the actor after d on clock. The actor receives it as
// a [KindInfo] message. On a [VirtualClock], Advance waits until the actor has
// handled the message (or exited) before it fires the next timer, so that
// timers set while handling it are seen in time order.
func SendAfter(clock Clock, d time.Duration, to Ref, msg any) Timer {
	if _, virtual := clock.(*VirtualClock); virtual {
		return clock.AfterFunc(d, func() { sendSync(to, msg) })
	}
	return clock.AfterFunc(d, func() { Send(to, msg) })
}

// VirtualClock is a deterministic [Clock] for tests. Time stands still until
// Advance moves it; Advance fires the due timers one at a time in the order
// of their deadlines (timers with the same deadline in the order they were
// set), with Now reading each timer's deadline while it fires.
//
// A VirtualClock is safe for concurrent use; timer functions run on the
// goroutine that calls Advance, without the clock's lock held.
type VirtualClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    uint64
	timers timerHeap
}

// NewVirtualClock returns a virtual clock reading start.
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{now: start}
}

// Now returns the clock's current time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f to run when the clock has advanced by d. A
// non-positive d fires at the next Advance (including Advance(0)).
func (c *VirtualClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &virtualTimer{clock: c, at: c.now.Add(max(d, 0)), seq: c.seq, f: f}
	heap.Push(&c.timers, t)
	return t
}

// Advance moves the clock forward by d, firing every timer that falls due on
// the way, including timers set by the functions it fires.
func (c *VirtualClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for c.fireNext(end) {
	}
	c.mu.Lock()
	if end.After(c.now) {
		c.now = end
	}
	c.mu.Unlock()
}

// AdvanceToNext moves the clock to the deadline of the earliest pending
// timer and fires the timers due then. It reports false, leaving the clock
// unchanged, when no timer is pending.
func (c *VirtualClock) AdvanceToNext() bool {
	c.mu.Lock()
	if len(c.timers) == 0 {
		c.mu.Unlock()
		return false
	}
	at := c.timers[0].at
	d := at.Sub(c.now)
	c.mu.Unlock()
	c.Advance(d)
	return true
}

// Pending returns the number of timers waiting to fire.
func (c *VirtualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// fireNext fires the earliest timer due at or before end, if any.
func (c *VirtualClock) fireNext(end time.Time) bool {
	c.mu.Lock()
	if len(c.timers) == 0 || c.timers[0].at.After(end) {
		c.mu.Unlock()
		return false
	}
	t := heap.Pop(&c.timers).(*virtualTimer)
	if t.at.After(c.now) {
		c.now = t.at
	}
	c.mu.Unlock()
	t.f()
	return true
}

type virtualTimer struct {
	clock *VirtualClock
	at    time.Time
	seq   uint64
	f     func()
	index int // position in the heap; -1 once fired or stopped
}

func (t *virtualTimer) Stop() bool {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&c.timers, t.index)
	return true
}

type timerHeap []*virtualTimer

func (h timerHeap) Len() int { return len(h) }

func (h timerHeap) Less(i, j int) bool {
	if h[i].at.Equal(h[j].at) {
		return h[i].seq < h[j].seq
	}
	return h[i].at.Before(h[j].at)
}

func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) Push(x any) {
	t := x.(*virtualTimer)
	t.index = len(*h)
	*h = append(*h, t)
}

func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}
