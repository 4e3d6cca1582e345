package transport_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

// fakeDNS answers from maps; a name it does not know has no records.
type fakeDNS struct {
	naptr map[string][]transport.NAPTR
	srv   map[string][]transport.SRV
	addr  map[string][]netip.Addr
	fail  error
}

func (f *fakeDNS) LookupNAPTR(_ context.Context, name string) ([]transport.NAPTR, error) {
	return f.naptr[name], f.fail
}

func (f *fakeDNS) LookupSRV(_ context.Context, name string) ([]transport.SRV, error) {
	return f.srv[name], f.fail
}

func (f *fakeDNS) LookupAddr(_ context.Context, host string) ([]netip.Addr, error) {
	return f.addr[host], f.fail
}

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

func dest(t, a string) transport.Destination {
	return transport.Destination{Transport: t, Addr: netip.MustParseAddrPort(a)}
}

func TestLocate(t *testing.T) {
	dns := &fakeDNS{
		naptr: map[string][]transport.NAPTR{
			"example.com": {
				{Order: 90, Preference: 50, Flags: "s", Service: "SIP+D2U", Replacement: "_sip._udp.example.com"},
				{Order: 50, Preference: 50, Flags: "s", Service: "SIP+D2T", Replacement: "_sip._tcp.example.com"},
				{Order: 10, Preference: 50, Flags: "s", Service: "E2U+sip", Replacement: "ignored.example.com"},
			},
			"secure.example": {
				{Order: 10, Preference: 10, Flags: "s", Service: "SIP+D2U", Replacement: "_sip._udp.secure.example"},
				{Order: 20, Preference: 10, Flags: "s", Service: "SIPS+D2T", Replacement: "_sips._tcp.secure.example"},
			},
		},
		srv: map[string][]transport.SRV{
			"_sip._tcp.example.com":     {{Target: "tcp1.example.com", Port: 5070, Priority: 10}},
			"_sip._udp.example.com":     {{Target: "udp1.example.com", Port: 5060, Priority: 10}},
			"_sips._tcp.secure.example": {{Target: "tls.secure.example", Port: 5061, Priority: 10}},
			"_sip._udp.secure.example":  {{Target: "udp.secure.example", Port: 5060, Priority: 10}},
			"_sip._tcp.srvonly.example": {{Target: "b.srvonly.example", Port: 5080, Priority: 20}, {Target: "a.srvonly.example", Port: 5080, Priority: 10}},
			"_sip._udp.srvonly.example": {{Target: "u.srvonly.example", Port: 5060, Priority: 10}},
		},
		addr: map[string][]netip.Addr{
			"tcp1.example.com":   addrs("192.0.2.1"),
			"udp1.example.com":   addrs("192.0.2.2"),
			"tls.secure.example": addrs("192.0.2.3"),
			"udp.secure.example": addrs("192.0.2.4"),
			"a.srvonly.example":  addrs("192.0.2.5"),
			"b.srvonly.example":  addrs("192.0.2.6"),
			"u.srvonly.example":  addrs("192.0.2.7"),
			"plain.example":      addrs("192.0.2.8", "2001:db8::8"),
		},
	}
	cases := map[string]struct {
		uri  string
		want []transport.Destination
	}{
		"numeric host, default transport and port": {"sip:bob@192.0.2.10", []transport.Destination{dest("UDP", "192.0.2.10:5060")}},
		"numeric sips host":                        {"sips:bob@192.0.2.10", []transport.Destination{dest("TLS", "192.0.2.10:5061")}},
		"numeric IPv6 host with transport":         {"sip:bob@[2001:db8::1];transport=tcp", []transport.Destination{dest("TCP", "[2001:db8::1]:5060")}},
		"sips with transport=tcp is TLS":           {"sips:bob@192.0.2.10:5081;transport=tcp", []transport.Destination{dest("TLS", "192.0.2.10:5081")}},
		"name with a port: addresses only":         {"sip:bob@plain.example:5070", []transport.Destination{dest("UDP", "192.0.2.8:5070"), dest("UDP", "[2001:db8::8]:5070")}},
		"maddr overrides the host":                 {"sip:bob@example.com;maddr=192.0.2.99", []transport.Destination{dest("UDP", "192.0.2.99:5060")}},
		"NAPTR order, unknown service skipped": {"sip:bob@example.com", []transport.Destination{
			dest("TCP", "192.0.2.1:5070"), dest("UDP", "192.0.2.2:5060")}},
		"sips keeps only secure NAPTR services": {"sips:bob@secure.example", []transport.Destination{dest("TLS", "192.0.2.3:5061")}},
		"no NAPTR: SRV per transport, by priority": {"sip:bob@srvonly.example", []transport.Destination{
			dest("TCP", "192.0.2.5:5080"), dest("TCP", "192.0.2.6:5080"), dest("UDP", "192.0.2.7:5060")}},
		"no NAPTR nor SRV: UDP to the addresses": {"sip:bob@plain.example", []transport.Destination{
			dest("UDP", "192.0.2.8:5060"), dest("UDP", "[2001:db8::8]:5060")}},
		"sips, no NAPTR nor SRV: TLS to the addresses": {"sips:bob@plain.example", []transport.Destination{
			dest("TLS", "192.0.2.8:5061"), dest("TLS", "[2001:db8::8]:5061")}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			uri, err := sip.ParseURI(c.uri)
			if err != nil {
				t.Fatal(err)
			}
			l := transport.Locator{Resolver: dns, Rand: rand.New(rand.NewPCG(1, 2))}
			got, err := l.Locate(context.Background(), uri)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestLocateFailures(t *testing.T) {
	boom := errors.New("SERVFAIL")
	cases := map[string]struct {
		uri        string
		dns        *fakeDNS
		transports []string
		want       error
	}{
		"not a SIP URI":             {"tel:+15551234", &fakeDNS{}, nil, transport.ErrNoDestination},
		"resolver failure":          {"sip:bob@example.com", &fakeDNS{fail: boom}, nil, boom},
		"nothing at all":            {"sip:bob@nowhere.example", &fakeDNS{}, nil, transport.ErrNoDestination},
		"transport not available":   {"sip:bob@192.0.2.1;transport=sctp", &fakeDNS{}, nil, transport.ErrNoDestination},
		"sips over UDP is not sips": {"sips:bob@192.0.2.1;transport=udp", &fakeDNS{}, nil, transport.ErrNoDestination},
		"only UDP here":             {"sip:bob@192.0.2.1;transport=tcp", &fakeDNS{}, []string{"UDP"}, transport.ErrNoDestination},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			uri, err := sip.ParseURI(c.uri)
			if err != nil {
				t.Fatal(err)
			}
			l := transport.Locator{Resolver: c.dns, Transports: c.transports}
			if _, err := l.Locate(context.Background(), uri); !errors.Is(err, c.want) {
				t.Fatalf("err = %v; want %v", err, c.want)
			}
		})
	}
}

func TestSRVWeights(t *testing.T) {
	// Within one priority, a record is tried first in proportion to its
	// weight (RFC 2782); a lower priority always comes after.
	dns := &fakeDNS{
		srv: map[string][]transport.SRV{"_sip._udp.w.example": {
			{Target: "heavy", Port: 5060, Priority: 1, Weight: 90},
			{Target: "light", Port: 5060, Priority: 1, Weight: 10},
			{Target: "backup", Port: 5060, Priority: 2, Weight: 100},
		}},
		addr: map[string][]netip.Addr{"heavy": addrs("192.0.2.1"), "light": addrs("192.0.2.2"), "backup": addrs("192.0.2.3")},
	}
	l := transport.Locator{Resolver: dns, Transports: []string{"UDP"}, Rand: rand.New(rand.NewPCG(3, 4))}
	uri, _ := sip.ParseURI("sip:w.example")
	heavyFirst := 0
	const runs = 2000
	for range runs {
		got, err := l.Locate(context.Background(), uri)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[2].Addr.Addr() != netip.MustParseAddr("192.0.2.3") {
			t.Fatalf("order %v: the lower priority must come last", got)
		}
		if got[0].Addr.Addr() == netip.MustParseAddr("192.0.2.1") {
			heavyFirst++
		}
	}
	if share := float64(heavyFirst) / runs; share < 0.85 || share > 0.95 {
		t.Fatalf("weight 90 of 100 came first %.0f%% of the time", share*100)
	}
}
