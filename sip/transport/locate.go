package transport

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"

	"github.com/parrot-platform/parrot/sip"
)

// NAPTR is a DNS NAPTR record as RFC 3263 §4.1 uses it.
type NAPTR struct {
	Order, Preference uint16
	Flags, Service    string
	Replacement       string
}

// SRV is a DNS SRV record (RFC 2782).
type SRV struct {
	Target           string
	Port             uint16
	Priority, Weight uint16
}

// Resolver is the DNS a [Locator] asks. A real one wraps a DNS client; tests
// give a fake. A name without records answers with no records and a nil
// error.
type Resolver interface {
	LookupNAPTR(ctx context.Context, name string) ([]NAPTR, error)
	LookupSRV(ctx context.Context, name string) ([]SRV, error)
	LookupAddr(ctx context.Context, host string) ([]netip.Addr, error)
}

// Destination is one place to try sending a request to, in order.
type Destination struct {
	Transport string
	Addr      netip.AddrPort
}

// ErrNoDestination is returned when a URI resolves to nothing usable.
var ErrNoDestination = errors.New("transport: no destination for the URI")

// Locator finds where to send a request for a URI (RFC 3263 §4), as an
// ordered list of destinations to try one after the other when a transport
// error or a timeout ends a try (RFC 3263 §4.3).
type Locator struct {
	// Resolver answers the DNS queries.
	Resolver Resolver
	// Transports are the transports this node can use, in upper case;
	// empty means UDP, TCP and TLS.
	Transports []string
	// Rand orders SRV records of equal priority by weight; nil uses a
	// random source. Tests set it for a repeatable order.
	Rand *rand.Rand
}

var naptrServices = map[string]string{
	"SIP+D2U": UDP, "SIP+D2T": TCP, "SIPS+D2T": TLS, "SIP+D2W": WS, "SIPS+D2W": WSS,
}

var srvPrefixes = []struct{ prefix, transport string }{
	{"_sips._tcp.", TLS}, {"_sip._tcp.", TCP}, {"_sip._udp.", UDP},
}

// Locate returns the destinations for uri. A sips URI only gets TLS (or
// WSS) destinations.
func (l *Locator) Locate(ctx context.Context, uri sip.URI) ([]Destination, error) {
	if !uri.IsSIP() {
		return nil, fmt.Errorf("%w: %s is not a sip or sips URI", ErrNoDestination, uri.Scheme)
	}
	host := uri.Hostname()
	if m, ok := uri.Params.Get("maddr"); ok && m != "" {
		host = strings.Trim(m, "[]")
	}
	secure := uri.Scheme == "sips"
	transport, explicit := uri.Params.Get("transport")
	transport = strings.ToUpper(transport)
	if explicit && secure && !Secure(transport) {
		if transport != TCP {
			return nil, fmt.Errorf("%w: sips over %s", ErrNoDestination, transport)
		}
		transport = TLS // sips;transport=tcp means TLS over TCP (RFC 3261 §26.2.2)
	}
	ip, err := netip.ParseAddr(host)
	isIP := err == nil
	if explicit || isIP || uri.Port != 0 {
		// §4.1: a numeric host or an explicit port means no NAPTR; the
		// transport is the given one or the default.
		if !explicit {
			transport = UDP
			if secure {
				transport = TLS
			}
		}
		if !l.usable(transport) {
			return nil, fmt.Errorf("%w: transport %s not available", ErrNoDestination, transport)
		}
		port := uri.Port
		if isIP {
			if port == 0 {
				port = DefaultPort(transport)
			}
			return []Destination{{transport, netip.AddrPortFrom(ip.Unmap(), uint16(port))}}, nil
		}
		if port != 0 {
			return l.addresses(ctx, host, uint16(port), transport)
		}
		return l.viaSRV(ctx, host, []string{srvName(transport) + host}, []string{transport}, transport)
	}
	// §4.1: NAPTR, then SRV for the transports it names.
	naptrs, err := l.Resolver.LookupNAPTR(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("transport: NAPTR %s: %w", host, err)
	}
	slices.SortStableFunc(naptrs, func(a, b NAPTR) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.Preference, b.Preference))
	})
	var names, transports []string
	for _, n := range naptrs {
		t, ok := naptrServices[strings.ToUpper(n.Service)]
		if !ok || !strings.EqualFold(n.Flags, "s") || !l.usable(t) || secure && !Secure(t) {
			continue
		}
		names, transports = append(names, n.Replacement), append(transports, t)
	}
	if len(names) == 0 {
		// No usable NAPTR: SRV for each transport (§4.1, last paragraph).
		for _, p := range srvPrefixes {
			if l.usable(p.transport) && (!secure || Secure(p.transport)) {
				names, transports = append(names, p.prefix+host), append(transports, p.transport)
			}
		}
	}
	// Without SRV records: UDP for sip, TLS for sips (§4.2).
	fallback := UDP
	if secure {
		fallback = TLS
	}
	dests, err := l.viaSRV(ctx, host, names, transports, fallback)
	if err != nil || len(dests) > 0 {
		return dests, err
	}
	return nil, fmt.Errorf("%w: %s", ErrNoDestination, uri.String())
}

func srvName(transport string) string {
	switch transport {
	case TLS:
		return "_sips._tcp."
	case TCP:
		return "_sip._tcp."
	}
	return "_sip._udp."
}

// viaSRV queries each SRV name in order; if none has records, the host's
// addresses over the fallback transport on its default port (§4.2).
func (l *Locator) viaSRV(ctx context.Context, host string, names, transports []string, fallback string) ([]Destination, error) {
	var dests []Destination
	for i, name := range names {
		srvs, err := l.Resolver.LookupSRV(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("transport: SRV %s: %w", name, err)
		}
		for _, s := range l.order(srvs) {
			d, err := l.addresses(ctx, s.Target, s.Port, transports[i])
			if err != nil {
				return nil, err
			}
			dests = append(dests, d...)
		}
	}
	if len(dests) > 0 {
		return dests, nil
	}
	return l.addresses(ctx, host, uint16(DefaultPort(fallback)), fallback)
}

func (l *Locator) addresses(ctx context.Context, host string, port uint16, transport string) ([]Destination, error) {
	addrs, err := l.Resolver.LookupAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("transport: address of %s: %w", host, err)
	}
	out := make([]Destination, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, Destination{transport, netip.AddrPortFrom(a.Unmap(), port)})
	}
	return out, nil
}

func (l *Locator) usable(transport string) bool {
	if len(l.Transports) == 0 {
		return transport == UDP || transport == TCP || transport == TLS
	}
	return slices.Contains(l.Transports, transport)
}

// order sorts SRV records by priority and, within a priority, by the
// weighted random choice of RFC 2782: records of weight 0 first, then
// repeatedly the first whose running sum of weights reaches a random number
// between 0 and the total.
func (l *Locator) order(srvs []SRV) []SRV {
	srvs = slices.Clone(srvs)
	slices.SortStableFunc(srvs, func(a, b SRV) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(min(a.Weight, 1), min(b.Weight, 1)))
	})
	out := make([]SRV, 0, len(srvs))
	for start := 0; start < len(srvs); {
		end := start
		for end < len(srvs) && srvs[end].Priority == srvs[start].Priority {
			end++
		}
		for group := srvs[start:end]; len(group) > 0; {
			total := 0
			for _, s := range group {
				total += int(s.Weight)
			}
			r, sum, pick := l.intN(total+1), 0, 0
			for i, s := range group {
				if sum += int(s.Weight); sum >= r {
					pick = i
					break
				}
			}
			out = append(out, group[pick])
			group = slices.Delete(group, pick, pick+1)
		}
		start = end
	}
	return out
}

func (l *Locator) intN(n int) int {
	if l.Rand != nil {
		return l.Rand.IntN(n)
	}
	return rand.IntN(n)
}
