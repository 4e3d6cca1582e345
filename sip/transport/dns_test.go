package transport_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"testing"

	"github.com/miekg/dns"

	"github.com/parrot-platform/parrot/sip"
	"github.com/parrot-platform/parrot/sip/transport"
)

// zone is what the test DNS server knows, in zone-file syntax.
var zone = []string{
	`example.test. 60 IN NAPTR 50 50 "s" "SIP+D2T" "" _sip._tcp.example.test.`,
	`example.test. 60 IN NAPTR 90 50 "s" "SIP+D2U" "" _sip._udp.example.test.`,
	`_sip._tcp.example.test. 60 IN SRV 10 0 5070 tcp.example.test.`,
	`_sip._udp.example.test. 60 IN SRV 10 0 5060 udp.example.test.`,
	`tcp.example.test. 60 IN A 192.0.2.1`,
	`udp.example.test. 60 IN A 192.0.2.2`,
	`udp.example.test. 60 IN AAAA 2001:db8::2`,
}

// dnsServer serves zone on a loopback UDP port; names in broken answer
// SERVFAIL.
func dnsServer(t *testing.T, broken ...string) string {
	t.Helper()
	var rrs []dns.RR
	for _, line := range zone {
		rr, err := dns.NewRR(line)
		if err != nil {
			t.Fatal(err)
		}
		rrs = append(rrs, rr)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		question := q.Question[0]
		if slices.Contains(broken, question.Name) {
			m.Rcode = dns.RcodeServerFailure
		}
		for _, rr := range rrs {
			if rr.Header().Name == question.Name && rr.Header().Rrtype == question.Qtype {
				m.Answer = append(m.Answer, rr)
			}
		}
		w.WriteMsg(m)
	})}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String()
}

func TestLocateOverDNS(t *testing.T) {
	l := transport.Locator{Resolver: &transport.DNSResolver{Server: dnsServer(t)}}
	uri, _ := sip.ParseURI("sip:bob@example.test")
	got, err := l.Locate(context.Background(), uri)
	if err != nil {
		t.Fatal(err)
	}
	want := []transport.Destination{
		{Transport: "TCP", Addr: netip.MustParseAddrPort("192.0.2.1:5070")},
		{Transport: "UDP", Addr: netip.MustParseAddrPort("192.0.2.2:5060")},
		{Transport: "UDP", Addr: netip.MustParseAddrPort("[2001:db8::2]:5060")},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	// A name the server does not know has no records: not an error.
	if srv, err := (&transport.DNSResolver{Server: dnsServer(t)}).LookupSRV(context.Background(), "_sip._udp.nowhere.test"); err != nil || len(srv) != 0 {
		t.Fatalf("unknown name: %v, %v", srv, err)
	}
}

func TestDNSFailure(t *testing.T) {
	r := &transport.DNSResolver{Server: dnsServer(t, "example.test.")}
	l := transport.Locator{Resolver: r}
	uri, _ := sip.ParseURI("sip:bob@example.test")
	if _, err := l.Locate(context.Background(), uri); err == nil {
		t.Fatal("a SERVFAIL was not an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&transport.DNSResolver{Server: "127.0.0.1:9"}).LookupSRV(ctx, "_sip._udp.example.test"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
}
