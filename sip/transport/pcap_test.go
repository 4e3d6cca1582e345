package transport_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

// pcapRecord is one packet read back from a capture.
type pcapRecord struct {
	version, proto   int
	srcPort, dstPort uint16
	seq              uint32
	payload          []byte
}

func readPcap(t *testing.T, b []byte) []pcapRecord {
	t.Helper()
	if len(b) < 24 || binary.LittleEndian.Uint32(b) != 0xa1b2c3d4 || binary.LittleEndian.Uint32(b[20:]) != 101 {
		t.Fatalf("not a RAW pcap: % x", b[:min(len(b), 24)])
	}
	var out []pcapRecord
	for b = b[24:]; len(b) > 0; {
		n := int(binary.LittleEndian.Uint32(b[8:]))
		pkt := b[16 : 16+n]
		b = b[16+n:]
		var r pcapRecord
		var l4 []byte
		switch pkt[0] >> 4 {
		case 4:
			r.version, r.proto, l4 = 4, int(pkt[9]), pkt[20:]
			if int(binary.BigEndian.Uint16(pkt[2:])) != n {
				t.Fatalf("IPv4 length %d; packet %d", binary.BigEndian.Uint16(pkt[2:]), n)
			}
		case 6:
			r.version, r.proto, l4 = 6, int(pkt[6]), pkt[40:]
		}
		r.srcPort, r.dstPort = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
		if r.proto == 17 {
			r.payload = l4[8:]
		} else {
			r.seq, r.payload = binary.BigEndian.Uint32(l4[4:]), l4[20:]
		}
		out = append(out, r)
	}
	return out
}

func TestPcapTracer(t *testing.T) {
	var buf bytes.Buffer
	tracer, failed := transport.PcapTracer(&buf, func() time.Time { return time.Unix(1000, 0) })
	// UDP over IPv4: a request in, a response out.
	l, in := serve(t, "127.0.0.1:0", transport.WithTracer(tracer))
	cl := client(t, "udp4")
	req := options(cl.LocalAddr().(*net.UDPAddr).AddrPort(), "z9hG4bKpcap")
	cl.WriteToUDPAddrPort(req, l.LocalAddr())
	got := receive(t, in)
	if err := l.Send(sip.NewResponse(got.Msg.(*sip.Request), 200, ""), got.Remote); err != nil {
		t.Fatal(err)
	}
	// TCP over IPv6: two messages from the client.
	tl, tin := listenTCP(t, "[::1]:0", transport.WithTracer(tracer))
	c := dial(t, tl.LocalAddr())
	one, two := optionsOver("TCP", "z9hG4bKseg1"), optionsOver("TCP", "z9hG4bKseg2")
	io.WriteString(c, one)
	receive(t, tin)
	io.WriteString(c, two)
	receive(t, tin)
	if err := failed(); err != nil {
		t.Fatal(err)
	}

	recs := readPcap(t, buf.Bytes())
	if len(recs) != 4 {
		t.Fatalf("%d packets; want 4", len(recs))
	}
	if r := recs[0]; r.version != 4 || r.proto != 17 || r.dstPort != l.LocalAddr().Port() || !bytes.Equal(r.payload, req) {
		t.Fatalf("first packet %+v", r)
	}
	if r := recs[1]; r.proto != 17 || r.srcPort != l.LocalAddr().Port() || !bytes.HasPrefix(r.payload, []byte("SIP/2.0 200 OK")) {
		t.Fatalf("second packet %+v", r)
	}
	if r := recs[2]; r.version != 6 || r.proto != 6 || r.seq != 0 || string(r.payload) != one {
		t.Fatalf("third packet %+v", r)
	}
	if r := recs[3]; r.seq != uint32(len(one)) || string(r.payload) != two {
		t.Fatalf("fourth packet seq %d; want %d", r.seq, len(one))
	}
}
