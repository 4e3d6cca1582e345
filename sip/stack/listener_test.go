package stack_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/sip/stack"
	"github.com/parrot-platform/parrot/sip/transport"
	"github.com/parrot-platform/parrot/supervision"
	"github.com/parrot-platform/parrot/testkit"
)

func freeUDPAddr(t *testing.T) string {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().String()
}

func options(branch string) []byte {
	return []byte(fmt.Sprintf("OPTIONS sip:service@example.com SIP/2.0\r\n"+
		"Via: SIP/2.0/UDP 192.0.2.1;branch=%s\r\nMax-Forwards: 70\r\n"+
		"From: <sip:alice@example.com>;tag=a\r\nTo: <sip:service@example.com>\r\n"+
		"Call-ID: %s\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", branch, branch))
}

func TestListenerRestartsAndRebinds(t *testing.T) {
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	addr := freeUDPAddr(t)
	testkit.Supervise(t, sys, supervision.Spec{Children: []supervision.ChildSpec{{
		ID:    "udp",
		Start: func() actors.Actor { return stack.UDPListener(addr, probe.Ref()) },
	}}})
	client, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	for round := range 2 {
		started := testkit.ExpectMsg[stack.ListenerStarted](probe, 5*time.Second)
		l := started.Listener.(*transport.UDPListener)
		if l.LocalAddr().String() != addr {
			t.Fatalf("bound to %s; want %s", l.LocalAddr(), addr)
		}
		branch := fmt.Sprintf("z9hG4bKround%d", round)
		if _, err := client.Write(options(branch)); err != nil {
			t.Fatal(err)
		}
		in := testkit.ExpectMsg[transport.Inbound](probe, 5*time.Second)
		if v, _ := in.Msg.Headers().Via(); v.Branch() != branch {
			t.Fatalf("round %d delivered %q", round, v.Branch())
		}
		if round == 0 {
			// The socket fails under the actor: it crashes, and its
			// supervisor starts it again on the same address.
			l.Close()
		}
	}
}

func TestStreamListenerActors(t *testing.T) {
	// The TCP and WebSocket listener actors bind, report, deliver, and stop
	// with their supervisor.
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	testkit.Supervise(t, sys, supervision.Spec{Children: []supervision.ChildSpec{
		{ID: "tcp", Start: func() actors.Actor { return stack.TCPListener("127.0.0.1:0", probe.Ref()) }},
		{ID: "ws", Start: func() actors.Actor { return stack.WSListener("127.0.0.1:0", probe.Ref()) }},
	}})
	tcp := testkit.ExpectMsg[stack.ListenerStarted](probe, 5*time.Second).Listener.(*transport.StreamListener)
	ws := testkit.ExpectMsg[stack.ListenerStarted](probe, 5*time.Second).Listener.(*transport.WSListener)
	c, err := net.Dial("tcp", tcp.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(options("z9hG4bKtcpactor")); err != nil {
		t.Fatal(err)
	}
	in := testkit.ExpectMsg[transport.Inbound](probe, 5*time.Second)
	if v, _ := in.Msg.Headers().Via(); v.Branch() != "z9hG4bKtcpactor" || in.Transport != transport.TCP {
		t.Fatalf("delivered %s %q", in.Transport, v.Branch())
	}
	if !ws.LocalAddr().IsValid() {
		t.Fatal("the WebSocket listener has no address")
	}
}

func TestConnectionActors(t *testing.T) {
	// Each TCP connection has an actor under the listener's connection
	// supervisor; crashing it closes that connection only.
	testkit.CheckLeaks(t)
	sys := testkit.NewSystem(t)
	probe := testkit.NewProbe(t, sys)
	testkit.Supervise(t, sys, supervision.Spec{Children: []supervision.ChildSpec{
		{ID: "tcp", Start: func() actors.Actor { return stack.TCPListener("127.0.0.1:0", probe.Ref()) }},
	}})
	started := testkit.ExpectMsg[stack.ListenerStarted](probe, 5*time.Second)
	addr := started.Listener.(*transport.StreamListener).LocalAddr().String()
	var conns []net.Conn
	for i := range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
		if _, err := c.Write(options(fmt.Sprintf("z9hG4bKconn%d", i))); err != nil {
			t.Fatal(err)
		}
		testkit.ExpectMsg[transport.Inbound](probe, 5*time.Second)
	}
	children, err := supervision.WhichChildren(context.Background(), started.Connections)
	if err != nil || len(children) != 2 {
		t.Fatalf("connection actors %v, %v; want 2", children, err)
	}
	// Which actor is which connection: the first accepted is the first child.
	testkit.Crash(children[0].Ref)
	conns[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conns[0].Read(make([]byte, 1)); err == nil {
		t.Fatal("the crashed actor's connection stays open")
	}
	if _, err := conns[1].Write(options("z9hG4bKstillthere")); err != nil {
		t.Fatal(err)
	}
	in := testkit.ExpectMsg[transport.Inbound](probe, 5*time.Second)
	if v, _ := in.Msg.Headers().Via(); v.Branch() != "z9hG4bKstillthere" {
		t.Fatalf("delivered %q", v.Branch())
	}
}
