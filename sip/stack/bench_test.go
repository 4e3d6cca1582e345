package stack_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/parrot-platform/parrot/actors"
	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/stack"
	"github.com/parrot-platform/parrot/sip/transport"
)

// The UDP receive path measured two ways in one run: a plain loop that reads
// a datagram and parses it, and the listener actor that reads, parses,
// stamps the Via and delivers each message to the owning actor. Datagrams
// go in windows small enough for the socket buffer, so nothing is lost.

const udpWindow = 64

type counter struct {
	n    int
	want int
	done chan struct{}
}

func (c *counter) Init(*actors.Context) error { return nil }

func (c *counter) Receive(_ *actors.Context, m actors.Message) error {
	if _, ok := m.Body.(transport.Inbound); ok {
		if c.n++; c.n == c.want {
			c.done <- struct{}{}
			c.n = 0
		}
	}
	return nil
}

func (c *counter) Terminate(*actors.Context, error) {}

func blast(b *testing.B, to net.Addr, done <-chan struct{}) {
	conn, err := net.Dial("udp", to.String())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	msg := options("z9hG4bKbench")
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	b.ResetTimer()
	for sent := 0; sent < b.N; sent += udpWindow {
		for range udpWindow {
			if _, err := conn.Write(msg); err != nil {
				b.Fatal(err)
			}
		}
		<-done
	}
}

func BenchmarkUDPReceive(b *testing.B) {
	b.Run("read+parse", func(b *testing.B) {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		defer pc.Close()
		done := make(chan struct{})
		go func() {
			buf := make([]byte, 65535)
			for n := 0; ; {
				k, _, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				if _, err := sip.ParseMessage(buf[:k]); err != nil {
					panic(err)
				}
				if n++; n == udpWindow {
					done <- struct{}{}
					n = 0
				}
			}
		}()
		blast(b, pc.LocalAddr(), done)
	})
	b.Run("listener+actor", func(b *testing.B) {
		sys := actors.NewSystem(actors.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
		defer sys.Shutdown(context.Background())
		c := &counter{want: udpWindow, done: make(chan struct{})}
		owner, err := sys.Spawn(c)
		if err != nil {
			b.Fatal(err)
		}
		addr, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		at := addr.LocalAddr()
		addr.Close()
		if _, err := sys.Spawn(stack.UDPListener(at.String(), owner)); err != nil {
			b.Fatal(err)
		}
		blast(b, at, c.done)
	})
}
