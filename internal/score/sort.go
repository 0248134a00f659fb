package score

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/netscore/netscore/internal/zoo"

	"github.com/netscore/netscore/internal/metrics"
)

// SortKey is what Rank orders rows by.
type SortKey string

const (
	ByNetScore SortKey = "netscore" // highest NetScore first
	ByTop1     SortKey = "top1"     // highest top-1 first
	ByDensity  SortKey = "density"  // highest top-1 per million params first
	ByMACs     SortKey = "macs"     // fewest GMACs first
	ByParams   SortKey = "params"   // fewest params first
)

// SortKeys lists the keys ParseSortKey accepts.
func SortKeys() []SortKey { return []SortKey{ByNetScore, ByTop1, ByDensity, ByMACs, ByParams} }

// ParseSortKey parses "netscore", "top1", "density", "macs" or "params"
// (case-insensitive).
func ParseSortKey(s string) (SortKey, error) {
	k := SortKey(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(SortKeys(), k) {
		return k, nil
	}
	names := make([]string, 0, 5)
	for _, k := range SortKeys() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("unknown --sort %q (want %s)", s, strings.Join(names, ", "))
}

// Scored is a row with its figures of merit.
type Scored struct {
	zoo.Row
	NetScore   float64 // Ω with the Params given to Rank
	Density    float64 // top-1 percent per million params
	AccPerGMAC float64 // top-1 percent per GMAC
	// Pareto-optimal among the rows given to Rank (maximise top-1, minimise
	// the cost): filter the rows first to get the front of one source.
	ParetoMACs   bool
	ParetoParams bool
}

// Rank scores every row with NetScore (exponents and MAC unit from ps, e.g.
// metrics.Default()), information density and accuracy per GMAC, marks the
// Pareto-optimal rows for top-1 vs GMACs and top-1 vs params, and sorts by
// key. Ties are broken by NetScore (higher first), then top-1 (higher first),
// then name, source and image size, so the order is deterministic.
func Rank(rows []zoo.Row, by SortKey, ps metrics.Params) ([]Scored, error) {
	if _, err := ParseSortKey(string(by)); err != nil {
		return nil, err
	}
	out := make([]Scored, len(rows))
	macs := make([]metrics.Point, len(rows))
	params := make([]metrics.Point, len(rows))
	for i, r := range rows {
		ns, err := ps.Score(r.Top1, r.ParamsM, r.GMACs)
		if err != nil {
			return nil, fmt.Errorf("zoo: %s %s: %w", r.Source, r.Name, err)
		}
		d, err := metrics.Density(r.Top1, r.ParamsM)
		if err != nil {
			return nil, fmt.Errorf("zoo: %s %s: %w", r.Source, r.Name, err)
		}
		g, err := metrics.AccuracyPerGMAC(r.Top1, r.GMACs)
		if err != nil {
			return nil, fmt.Errorf("zoo: %s %s: %w", r.Source, r.Name, err)
		}
		out[i] = Scored{Row: r, NetScore: ns, Density: d, AccPerGMAC: g}
		macs[i] = metrics.Point{Top1: r.Top1, Cost: r.GMACs}
		params[i] = metrics.Point{Top1: r.Top1, Cost: r.ParamsM}
	}
	pm, pp := metrics.ParetoOptimal(macs), metrics.ParetoOptimal(params)
	for i := range out {
		out[i].ParetoMACs, out[i].ParetoParams = pm[i], pp[i]
	}
	primary := func(a, b Scored) int {
		switch by {
		case ByTop1:
			return cmp.Compare(b.Top1, a.Top1)
		case ByDensity:
			return cmp.Compare(b.Density, a.Density)
		case ByMACs:
			return cmp.Compare(a.GMACs, b.GMACs)
		case ByParams:
			return cmp.Compare(a.ParamsM, b.ParamsM)
		}
		return cmp.Compare(b.NetScore, a.NetScore)
	}
	slices.SortStableFunc(out, func(a, b Scored) int {
		return cmp.Or(
			primary(a, b),
			cmp.Compare(b.NetScore, a.NetScore),
			cmp.Compare(b.Top1, a.Top1),
			strings.Compare(a.Name, b.Name),
			strings.Compare(string(a.Source), string(b.Source)),
			cmp.Compare(a.ImageSize, b.ImageSize),
		)
	})
	return out, nil
}
