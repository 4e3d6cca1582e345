package transport_test

import (
	"context"
	"net"
	"net/netip"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

// responder answers every OPTIONS with 200 OK through send.
func responder(t *testing.T, send func(sip.Message, transport.Inbound) error) transport.Handler {
	return transport.HandlerFunc(func(in transport.Inbound) {
		req, ok := in.Msg.(*sip.Request)
		if !ok || req.Method != sip.OPTIONS {
			return
		}
		if err := send(sip.NewResponse(req, sip.StatusOK, ""), in); err != nil {
			t.Errorf("respond: %v", err)
		}
	})
}

// runSipp runs sipp's OPTIONS scenario against target: calls requests,
// on 127.0.0.1 only, stopped after the bound; sipp exits 0 only when every
// call succeeded.
func runSipp(t *testing.T, transportFlag string, target net.Addr, calls int) {
	t.Helper()
	sipp, err := exec.LookPath("sipp")
	if err != nil {
		t.Fatalf("sipp is needed (Debian package sip-tester; make test installs it): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sipp, target.String(),
		"-sf", "testdata/sipp/options.xml", "-s", "service",
		"-t", transportFlag, "-i", "127.0.0.1", "-p", strconv.Itoa(freePort(t)),
		"-m", strconv.Itoa(calls), "-r", "100", "-l", "20",
		"-timeout", "30s", "-timeout_error", "-nostdin", "-max_recv_loops", "1000")
	cmd.Dir = "."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sipp failed: %v\n%s", err, out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	u, err := net.ListenPacket("udp", l.Addr().String())
	if err != nil {
		return freePort(t)
	}
	u.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestSippOptionsOverUDP(t *testing.T) {
	l, err := transport.ListenUDP(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- l.Serve(responder(t, func(resp sip.Message, in transport.Inbound) error {
			via, _ := resp.Headers().Via()
			target := transport.ResponseTarget(via)
			to, err := netAddrPort(target)
			if err != nil {
				return err
			}
			return l.Send(resp, to)
		}))
	}()
	defer func() { l.Close(); <-done }()
	runSipp(t, "u1", net.UDPAddrFromAddrPort(l.LocalAddr()), 50)
	if s := l.Stats(); s.Received < 50 || s.Sent < 50 || s.Malformed != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestSippOptionsOverTCP(t *testing.T) {
	l, err := transport.ListenTCP(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- l.Serve(responder(t, func(resp sip.Message, in transport.Inbound) error {
			return l.Send(context.Background(), resp, in.Remote)
		}))
	}()
	defer func() { l.Close(); <-done }()
	runSipp(t, "t1", net.TCPAddrFromAddrPort(l.LocalAddr()), 50)
	if s := l.Stats(); s.Received != 50 || s.Sent != 50 || s.Malformed != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func netAddrPort(t transport.Target) (netip.AddrPort, error) {
	ip, err := netip.ParseAddr(t.Host)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(ip, uint16(t.Port)), nil
}
