// Package testkit is what users test their actors and behaviours with: an
// actor system per test with a leak check, probes with typed expectations,
// virtual time, actors spawned under a test supervisor, crash injection,
// and a driver that runs a statem machine synchronously in virtual time.
//
// Expectations take a real-time bound ("within"): they return as soon as
// the message is there and fail the test if it is not by then. State
// machine timers never need real time: drive them with a
// [actors.VirtualClock] or [StateMachine.Advance].
//
// testkit is for tests; product code never imports it.
package testkit
