package transport

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// DNSResolver is a [Resolver] that asks one DNS server, over UDP and over
// TCP when an answer is truncated. It exists because the standard library
// has no NAPTR lookup; github.com/miekg/dns, the field's standard DNS
// library in Go, does the wire format.
type DNSResolver struct {
	// Server is the server's address, such as "192.0.2.53:53".
	Server string
}

// LookupNAPTR returns the NAPTR records of name.
func (r *DNSResolver) LookupNAPTR(ctx context.Context, name string) ([]NAPTR, error) {
	answers, err := r.query(ctx, name, dns.TypeNAPTR)
	var out []NAPTR
	for _, rr := range answers {
		if n, ok := rr.(*dns.NAPTR); ok {
			out = append(out, NAPTR{Order: n.Order, Preference: n.Preference, Flags: n.Flags,
				Service: n.Service, Replacement: strings.TrimSuffix(n.Replacement, ".")})
		}
	}
	return out, err
}

// LookupSRV returns the SRV records of name ("_sip._udp.example.com").
func (r *DNSResolver) LookupSRV(ctx context.Context, name string) ([]SRV, error) {
	answers, err := r.query(ctx, name, dns.TypeSRV)
	var out []SRV
	for _, rr := range answers {
		if s, ok := rr.(*dns.SRV); ok && s.Target != "." {
			out = append(out, SRV{Target: strings.TrimSuffix(s.Target, "."), Port: s.Port,
				Priority: s.Priority, Weight: s.Weight})
		}
	}
	return out, err
}

// LookupAddr returns the IPv4 and IPv6 addresses of host; an IP literal is
// its own address.
func (r *DNSResolver) LookupAddr(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	var out []netip.Addr
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		answers, err := r.query(ctx, host, t)
		if err != nil {
			return nil, err
		}
		for _, rr := range answers {
			switch a := rr.(type) {
			case *dns.A:
				if ip, ok := netip.AddrFromSlice(a.A.To4()); ok {
					out = append(out, ip)
				}
			case *dns.AAAA:
				if ip, ok := netip.AddrFromSlice(a.AAAA); ok {
					out = append(out, ip)
				}
			}
		}
	}
	return out, nil
}

// query asks for name's records of type t; a name without them (NXDOMAIN
// or an empty answer) is no records and no error.
func (r *DNSResolver) query(ctx context.Context, name string, t uint16) ([]dns.RR, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), t)
	c := new(dns.Client)
	resp, _, err := c.ExchangeContext(ctx, m, r.Server)
	if err == nil && resp.Truncated {
		c.Net = "tcp"
		resp, _, err = c.ExchangeContext(ctx, m, r.Server)
	}
	if err != nil {
		return nil, fmt.Errorf("transport: DNS %s %s: %w", dns.TypeToString[t], name, err)
	}
	switch resp.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
		return resp.Answer, nil
	}
	return nil, fmt.Errorf("transport: DNS %s %s: %s", dns.TypeToString[t], name, dns.RcodeToString[resp.Rcode])
}
