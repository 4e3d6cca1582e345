package transport

import (
	"encoding/binary"
	"io"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// PcapTracer returns a [Tracer] that writes every message to w as a pcap
// capture (link type RAW: IPv4 or IPv6 packets), which Wireshark and
// tshark decode as SIP: UDP messages as UDP datagrams, stream messages as
// TCP segments with sequence numbers counted per direction. Checksums are
// left zero. now stamps the records (time.Now if nil). Write errors stop
// the capture; the returned function reports the first.
func PcapTracer(w io.Writer, now func() time.Time) (Tracer, func() error) {
	if now == nil {
		now = time.Now
	}
	p := &pcap{w: w, now: now, seq: make(map[[2]netip.AddrPort]uint32)}
	p.write(pcapHeader())
	return p.trace, func() error {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.err
	}
}

type pcap struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
	seq map[[2]netip.AddrPort]uint32 // next TCP sequence number per direction
	err error
}

func pcapHeader() []byte {
	b := make([]byte, 24)
	binary.LittleEndian.PutUint32(b[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(b[4:], 2)
	binary.LittleEndian.PutUint16(b[6:], 4)
	binary.LittleEndian.PutUint32(b[16:], 65535) // snaplen
	binary.LittleEndian.PutUint32(b[20:], 101)   // LINKTYPE_RAW
	return b
}

func (p *pcap) write(b []byte) {
	if p.err == nil {
		_, p.err = p.w.Write(b)
	}
}

func (p *pcap) trace(t Trace) {
	src, dst := t.Remote, t.Local
	if t.Sent {
		src, dst = t.Local, t.Remote
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var l4 []byte
	proto := byte(17)
	if strings.EqualFold(t.Transport, UDP) {
		l4 = make([]byte, 8, 8+len(t.Data))
		binary.BigEndian.PutUint16(l4[0:], src.Port())
		binary.BigEndian.PutUint16(l4[2:], dst.Port())
		binary.BigEndian.PutUint16(l4[4:], uint16(8+len(t.Data)))
	} else {
		proto = 6
		flow := [2]netip.AddrPort{src, dst}
		l4 = make([]byte, 20, 20+len(t.Data))
		binary.BigEndian.PutUint16(l4[0:], src.Port())
		binary.BigEndian.PutUint16(l4[2:], dst.Port())
		binary.BigEndian.PutUint32(l4[4:], p.seq[flow])
		l4[12] = 5 << 4 // data offset: 5 words
		l4[13] = 0x18   // PSH, ACK
		binary.BigEndian.PutUint16(l4[14:], 65535)
		p.seq[flow] += uint32(len(t.Data))
	}
	l4 = append(l4, t.Data...)
	packet := ipHeader(src.Addr(), dst.Addr(), proto, len(l4))
	packet = append(packet, l4...)
	rec := make([]byte, 16)
	ts := p.now()
	binary.LittleEndian.PutUint32(rec[0:], uint32(ts.Unix()))
	binary.LittleEndian.PutUint32(rec[4:], uint32(ts.Nanosecond()/1000))
	binary.LittleEndian.PutUint32(rec[8:], uint32(len(packet)))
	binary.LittleEndian.PutUint32(rec[12:], uint32(len(packet)))
	p.write(append(rec, packet...))
}

// ipHeader builds an IPv4 or IPv6 header for a payload of n bytes.
func ipHeader(src, dst netip.Addr, proto byte, n int) []byte {
	if src.Is4() && dst.Is4() {
		h := make([]byte, 20)
		h[0] = 0x45
		binary.BigEndian.PutUint16(h[2:], uint16(20+n))
		h[8] = 64
		h[9] = proto
		s, d := src.As4(), dst.As4()
		copy(h[12:], s[:])
		copy(h[16:], d[:])
		return h
	}
	h := make([]byte, 40)
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(n))
	h[6] = proto
	h[7] = 64
	s, d := src.As16(), dst.As16()
	copy(h[8:], s[:])
	copy(h[24:], d[:])
	return h
}
