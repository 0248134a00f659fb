package score

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/zoo"
)

// MaxGridPoints bounds a sensitivity grid (α values × β values × γ values).
const MaxGridPoints = 10000

// Range is one axis of a sensitivity grid: Start, Start+Step, … up to Stop
// (included when it falls on a step). A range of one value has Start = Stop.
type Range struct {
	Start float64 `json:"start"`
	Stop  float64 `json:"stop"`
	Step  float64 `json:"step"`
}

// Fixed is the range of the one value v.
func Fixed(v float64) Range { return Range{Start: v, Stop: v, Step: 1} }

// ParseRange reads START:STOP:STEP, or a single value V (START = STOP = V).
func ParseRange(s string) (Range, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	var v []float64
	for _, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return Range{}, fmt.Errorf("%q: want START:STOP:STEP (e.g. 0.25:0.75:0.05) or one value", s)
		}
		v = append(v, f)
	}
	switch len(v) {
	case 1:
		return Fixed(v[0]), nil
	case 3:
		return Range{Start: v[0], Stop: v[1], Step: v[2]}, nil
	}
	return Range{}, fmt.Errorf("%q: want START:STOP:STEP (e.g. 0.25:0.75:0.05) or one value", s)
}

// String writes the range as ParseRange reads it.
func (r Range) String() string {
	if r.Start == r.Stop {
		return fmtExp(r.Start)
	}
	return fmtExp(r.Start) + ":" + fmtExp(r.Stop) + ":" + fmtExp(r.Step)
}

// count is the number of values, 0 when the range is not valid.
func (r Range) count() int {
	if r.Start == r.Stop {
		return 1
	}
	n := math.Floor((r.Stop-r.Start)/r.Step+1e-9) + 1
	if n > MaxGridPoints+1 {
		return MaxGridPoints + 1
	}
	return int(n)
}

// Check reports what is wrong with the range as an exponent axis.
func (r Range) Check(name string) error {
	for _, v := range []float64{r.Start, r.Stop, r.Step} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s %s: values must be finite", name, r)
		}
	}
	switch {
	case !(r.Step > 0):
		return fmt.Errorf("%s %s: step must be > 0", name, r)
	case r.Stop < r.Start:
		return fmt.Errorf("%s %s: stop is below start", name, r)
	case r.Start < 0:
		return fmt.Errorf("%s %s: exponents must be >= 0 (a negative exponent rewards cost)", name, r)
	}
	return nil
}

// Values lists the range's values, each rounded to 12 decimals so that
// 0.25 + 6·0.05 is 0.55 and not 0.5500000000000002.
func (r Range) Values() []float64 {
	n := r.count()
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Round((r.Start+float64(i)*r.Step)*1e12) / 1e12
	}
	return out
}

// SensitivityRequest asks how stable a ranking by NetScore is under other
// exponents: the set is a reference set plus the user's models (as
// Compare reads them), scored at every point of the grid Alpha × Beta ×
// Gamma and compared with the ranking at the baseline exponents
// (Compare.Settings).
type SensitivityRequest struct {
	Compare CompareRequest `json:"compare"`
	Alpha   Range          `json:"alpha"`
	Beta    Range          `json:"beta"`
	Gamma   Range          `json:"gamma"`
	Top     int            `json:"top"` // K of the top-K overlap; 0 means 5
}

// DefaultSensitivityRequest is the grid around the paper's exponents: α
// fixed at 2, β and γ from 0.25 to 0.75 in steps of 0.05, among the
// paper's networks, top 5.
func DefaultSensitivityRequest() SensitivityRequest {
	s := DefaultSettings()
	return SensitivityRequest{
		Compare: CompareRequest{Reference: string(zoo.Paper), SortBy: ByNetScore, Settings: s},
		Alpha:   Fixed(s.Alpha), Beta: Range{0.25, 0.75, 0.05}, Gamma: Range{0.25, 0.75, 0.05}, Top: 5,
	}
}

// Check validates the grid and K up front, as request errors.
func (r *SensitivityRequest) Check() error {
	for _, ax := range []struct {
		name string
		r    Range
	}{{"--alpha-range", r.Alpha}, {"--beta-range", r.Beta}, {"--gamma-range", r.Gamma}} {
		if err := ax.r.Check(ax.name); err != nil {
			return request.Wrap(err)
		}
	}
	n := r.Alpha.count() * r.Beta.count() * r.Gamma.count()
	if r.Alpha.count() > MaxGridPoints || r.Beta.count() > MaxGridPoints || r.Gamma.count() > MaxGridPoints || n > MaxGridPoints {
		return request.Errorf("the grid has more than %d points (α %s × β %s × γ %s): take fewer values or larger steps", MaxGridPoints, r.Alpha, r.Beta, r.Gamma)
	}
	if r.Top < 0 {
		return request.Errorf("--top %d: want K >= 1", r.Top)
	}
	s := r.Compare.Settings
	for _, v := range []float64{s.Alpha, s.Beta, s.Gamma} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return request.Errorf("baseline exponents α = %v, β = %v, γ = %v: want finite values >= 0", s.Alpha, s.Beta, s.Gamma)
		}
	}
	return nil
}

// SensitivityPoint is one point of the grid.
type SensitivityPoint struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
	Gamma float64 `json:"gamma"`
	// Tau and Rho are Kendall's τ-b and Spearman's ρ of the NetScores
	// here against those at the baseline.
	Tau float64 `json:"kendall_tau"`
	Rho float64 `json:"spearman_rho"`
	// TopOverlap is how many of the baseline's top K are in the top K
	// here.
	TopOverlap int    `json:"top_overlap"`
	Leader     string `json:"leader"`
}

// SensitivityNetwork is one network of the set, in baseline order, with
// how its rank moves over the grid.
type SensitivityNetwork struct {
	Rank     int     `json:"rank"` // at the baseline
	Name     string  `json:"name"`
	Source   string  `json:"source"`
	User     bool    `json:"user,omitempty"`
	Top1     float64 `json:"top1"`
	ParamsM  float64 `json:"params_m"`
	GMACs    float64 `json:"gmacs"`
	NetScore float64 `json:"netscore"` // at the baseline
	// BestRank and WorstRank over the grid; TopPoints and FirstPoints
	// count the points where it is in the top K and first.
	BestRank     int  `json:"best_rank"`
	WorstRank    int  `json:"worst_rank"`
	TopPoints    int  `json:"top_points"`
	FirstPoints  int  `json:"first_points"`
	ParetoMACs   bool `json:"pareto_macs"`
	ParetoParams bool `json:"pareto_params"`
}

// Flip is the smallest change of one exponent, the others at the baseline,
// that changes first place, in one direction.
type Flip struct {
	Exponent string  `json:"exponent"` // alpha, beta or gamma
	Baseline float64 `json:"baseline"`
	// Found is false when no change in this direction (keeping the
	// exponent >= 0) changes first place.
	Found bool `json:"found"`
	// Delta is the signed change at which the new leader's NetScore meets
	// the leader's: beyond it, NewLeader is first.
	Delta     float64 `json:"delta,omitempty"`
	At        float64 `json:"at,omitempty"` // Baseline + Delta
	NewLeader string  `json:"new_leader,omitempty"`
	Direction int     `json:"direction"` // +1 or -1
}

// PlaceCheck says whether a network of the baseline's top three keeps its
// place at every point of the grid.
type PlaceCheck struct {
	Name       string `json:"name"`
	Rank       int    `json:"rank"`
	Kept       bool   `json:"kept"`
	KeptPoints int    `json:"kept_points"` // points where it has Rank
	BestRank   int    `json:"best_rank"`
	WorstRank  int    `json:"worst_rank"`
}

// Heat is Kendall's τ over (β, γ) at one α: Tau[g][b] at Gammas[g], Betas[b].
type Heat struct {
	Alpha  float64     `json:"alpha"`
	Betas  []float64   `json:"betas"`
	Gammas []float64   `json:"gammas"`
	Tau    [][]float64 `json:"tau"`
}

// BumpPath is the ranks of a few networks (the baseline's top K and the
// user's models) along a path through the grid at the heat map's α: from
// (β min, γ max) to (β max, γ min), weight moving from MACs to params.
type BumpPath struct {
	Label string       `json:"label"`
	Steps [][3]float64 `json:"steps"` // (α, β, γ)
	Lines []BumpLine   `json:"lines"`
}

// BumpLine is one network's ranks along the path.
type BumpLine struct {
	Name  string `json:"name"`
	User  bool   `json:"user,omitempty"`
	Ranks []int  `json:"ranks"`
}

// Sensitivity is how a NetScore ranking moves over a grid of exponents.
type Sensitivity struct {
	Title     string               `json:"title"`
	Reference string               `json:"reference"`
	Baseline  Settings             `json:"baseline"`
	Alpha     Range                `json:"alpha_range"`
	Beta      Range                `json:"beta_range"`
	Gamma     Range                `json:"gamma_range"`
	Top       int                  `json:"top"`
	Networks  []SensitivityNetwork `json:"networks"`
	Points    []SensitivityPoint   `json:"points"`
	// Summaries over the grid.
	TauMin     float64 `json:"kendall_tau_min"`
	TauMean    float64 `json:"kendall_tau_mean"`
	RhoMin     float64 `json:"spearman_rho_min"`
	RhoMean    float64 `json:"spearman_rho_mean"`
	OverlapMin int     `json:"top_overlap_min"`
	// AlwaysTop are the networks in the top K at every point; Pareto those
	// on either Pareto front (which no exponent moves); Leaders those first
	// somewhere on the grid, most points first.
	AlwaysTop []string     `json:"always_top"`
	Pareto    []string     `json:"pareto"`
	Leaders   []string     `json:"leaders"`
	Flips     []Flip       `json:"first_place_flips"`
	TopThree  []PlaceCheck `json:"top_three"`
	Statement string       `json:"statement"`
	// Published is true when the top three are the NetScore paper's
	// published top three (the paper's set at its exponents).
	Published bool      `json:"top_three_published,omitempty"`
	Heat      Heat      `json:"heat"`
	Path      BumpPath  `json:"path"`
	Notes     []string  `json:"notes"`
	Log       []Message `json:"-"`
}

// GridSize is the number of grid points.
func (s *Sensitivity) GridSize() int { return len(s.Points) }

// AnalyzeSensitivity scores the models of req (Compare's way: reference
// rows, plus the user's models with their manifest accuracies) over the
// grid. With no models and no manifest the reference set alone is the set.
func AnalyzeSensitivity(ctx context.Context, req SensitivityRequest, progress func(done, total int)) (*Sensitivity, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	var rows []zoo.Row
	var log []Message
	if len(req.Compare.Models) == 0 && req.Compare.Manifest == nil {
		refs, err := References(req.Compare.Reference)
		if err != nil {
			return nil, request.Wrap(err)
		}
		rows = refs
	} else {
		req.Compare.SortBy = ByNetScore
		res, err := Compare(ctx, req.Compare, progress)
		if res != nil {
			log = res.Log
		}
		if err != nil {
			return &Sensitivity{Log: log}, err
		}
		for _, e := range res.Comparison.Entries {
			rows = append(rows, e.Scored.Row)
		}
	}
	s, err := SensitivityOf(ctx, rows, req)
	if s != nil {
		s.Log = log
	}
	return s, err
}

// SensitivityOf is the sensitivity of a given set of rows.
func SensitivityOf(ctx context.Context, rows []zoo.Row, req SensitivityRequest) (*Sensitivity, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, request.Errorf("the set has %d network(s): a ranking needs at least 2", len(rows))
	}
	base := req.Compare.Settings
	ps := base.Params()
	ranked, err := Rank(rows, ByNetScore, ps) // baseline order and Pareto fronts
	if err != nil {
		return nil, err
	}
	n := len(ranked)
	k := req.Top
	if k == 0 {
		k = 5
	}
	k = min(k, n)
	shift := ps.MACUnit.Shift(1) / -20 // log10 of the unit's scale
	la, lp, lm := make([]float64, n), make([]float64, n), make([]float64, n)
	omega0 := make([]float64, n)
	for i, r := range ranked {
		la[i], lp[i], lm[i] = math.Log10(r.Top1), math.Log10(r.ParamsM), math.Log10(r.GMACs)+shift
		omega0[i] = r.NetScore
	}
	// Within equal NetScores, Rank's order: index in ranked is the
	// baseline position, and ties elsewhere keep Rank's tie-breaks.
	sec := tieOrder(ranked)
	order := func(omega []float64, perm []int) {
		for i := range perm {
			perm[i] = i
		}
		slices.SortFunc(perm, func(a, b int) int {
			return cmp.Or(cmp.Compare(omega[b], omega[a]), cmp.Compare(sec[a], sec[b]))
		})
	}
	s := &Sensitivity{
		Reference: req.Compare.Reference, Baseline: base, Alpha: req.Alpha, Beta: req.Beta, Gamma: req.Gamma, Top: k,
		TauMin: math.Inf(1), RhoMin: math.Inf(1), OverlapMin: k,
	}
	as, bs, gs := req.Alpha.Values(), req.Beta.Values(), req.Gamma.Values()
	for i, r := range ranked {
		s.Networks = append(s.Networks, SensitivityNetwork{
			Rank: i + 1, Name: r.Name, Source: r.Source.Label(), User: r.Source == UserSource,
			Top1: r.Top1, ParamsM: r.ParamsM, GMACs: r.GMACs, NetScore: r.NetScore,
			BestRank: n + 1, ParetoMACs: r.ParetoMACs, ParetoParams: r.ParetoParams,
		})
		if r.ParetoMACs || r.ParetoParams {
			s.Pareto = append(s.Pareto, r.Name)
		}
	}
	top3 := min(3, n)
	s.TopThree = make([]PlaceCheck, top3)
	for i := range s.TopThree {
		s.TopThree[i] = PlaceCheck{Name: ranked[i].Name, Rank: i + 1, BestRank: n + 1}
	}
	scoreAt := func(a, b, g float64, omega []float64) {
		for i := range omega {
			omega[i] = 20 * (a*la[i] - b*lp[i] - g*lm[i])
		}
	}
	omega, perm := make([]float64, n), make([]int, n)
	var tauSum, rhoSum float64
	for _, a := range as {
		for _, b := range bs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, g := range gs {
				scoreAt(a, b, g, omega)
				order(omega, perm)
				tau, err := metrics.KendallTauB(omega0, omega)
				if err != nil {
					return nil, err
				}
				rho, err := metrics.SpearmanRho(omega0, omega)
				if err != nil {
					return nil, err
				}
				overlap := 0
				for pos, i := range perm {
					net := &s.Networks[i]
					net.BestRank, net.WorstRank = min(net.BestRank, pos+1), max(net.WorstRank, pos+1)
					if pos < k {
						net.TopPoints++
						if i < k {
							overlap++
						}
					}
					if pos == 0 {
						net.FirstPoints++
					}
					if i < top3 {
						pc := &s.TopThree[i]
						pc.BestRank, pc.WorstRank = min(pc.BestRank, pos+1), max(pc.WorstRank, pos+1)
						if pos == i {
							pc.KeptPoints++
						}
					}
				}
				s.Points = append(s.Points, SensitivityPoint{Alpha: a, Beta: b, Gamma: g, Tau: tau, Rho: rho, TopOverlap: overlap, Leader: ranked[perm[0]].Name})
				tauSum += tau
				rhoSum += rho
				s.TauMin, s.RhoMin, s.OverlapMin = math.Min(s.TauMin, tau), math.Min(s.RhoMin, rho), min(s.OverlapMin, overlap)
			}
		}
	}
	np := len(s.Points)
	s.TauMean, s.RhoMean = tauSum/float64(np), rhoSum/float64(np)
	for i := range s.TopThree {
		s.TopThree[i].Kept = s.TopThree[i].KeptPoints == np
	}
	leaders := []int{}
	for i, net := range s.Networks {
		if net.TopPoints == np {
			s.AlwaysTop = append(s.AlwaysTop, net.Name)
		}
		if net.FirstPoints > 0 {
			leaders = append(leaders, i)
		}
	}
	slices.SortStableFunc(leaders, func(a, b int) int { return cmp.Compare(s.Networks[b].FirstPoints, s.Networks[a].FirstPoints) })
	for _, i := range leaders {
		s.Leaders = append(s.Leaders, s.Networks[i].Name)
	}
	s.Flips = FirstPlaceFlips(ranked, base)

	// The heat map's α: the baseline's when on the grid, else the nearest.
	ia := 0
	for i, a := range as {
		if math.Abs(a-base.Alpha) < math.Abs(as[ia]-base.Alpha) {
			ia = i
		}
	}
	s.Heat = Heat{Alpha: as[ia], Betas: bs, Gammas: gs, Tau: make([][]float64, len(gs))}
	for g := range gs {
		s.Heat.Tau[g] = make([]float64, len(bs))
		for b := range bs {
			s.Heat.Tau[g][b] = s.Points[(ia*len(bs)+b)*len(gs)+g].Tau
		}
	}
	s.Path = bumpPath(ranked, k, as[ia], bs, gs, func(a, b, g float64) []int {
		scoreAt(a, b, g, omega)
		order(omega, perm)
		pos := make([]int, n)
		for p, i := range perm {
			pos[i] = p + 1
		}
		return pos
	})
	s.Published = publishedTopThree(ranked)
	s.Statement = s.topThreeStatement()
	s.Title = fmt.Sprintf("Rank sensitivity of %d networks to NetScore's exponents, %d grid points", n, np)
	s.Notes = s.notes(ps)
	return s, nil
}

// tieOrder numbers the rows in Rank's order within equal NetScores: by
// top-1 (higher first), name, source and image size.
func tieOrder(ranked []Scored) []int {
	idx := make([]int, len(ranked))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		a, b := ranked[x], ranked[y]
		return cmp.Or(cmp.Compare(b.Top1, a.Top1), strings.Compare(a.Name, b.Name),
			strings.Compare(string(a.Source), string(b.Source)), cmp.Compare(a.ImageSize, b.ImageSize))
	})
	sec := make([]int, len(ranked))
	for p, i := range idx {
		sec[i] = p
	}
	return sec
}

// maxBumpLines bounds the networks followed along the path.
const maxBumpLines = 12

func bumpPath(ranked []Scored, k int, alpha float64, bs, gs []float64, positions func(a, b, g float64) []int) BumpPath {
	steps := max(len(bs), len(gs))
	at := func(vals []float64, i int, reverse bool) float64 {
		j := 0
		if steps > 1 {
			j = int(math.Round(float64(i) * float64(len(vals)-1) / float64(steps-1)))
		}
		if reverse {
			j = len(vals) - 1 - j
		}
		return vals[j]
	}
	p := BumpPath{Label: fmt.Sprintf("α = %s; β from %s to %s while γ goes from %s to %s (weight moves from MACs to params)",
		fmtExp(alpha), fmtExp(bs[0]), fmtExp(bs[len(bs)-1]), fmtExp(gs[len(gs)-1]), fmtExp(gs[0]))}
	var follow []int
	for i := range ranked {
		if (i < k || ranked[i].Source == UserSource) && len(follow) < maxBumpLines {
			follow = append(follow, i)
		}
	}
	for _, i := range follow {
		p.Lines = append(p.Lines, BumpLine{Name: ranked[i].Name, User: ranked[i].Source == UserSource})
	}
	for st := 0; st < steps; st++ {
		b, g := at(bs, st, false), at(gs, st, true)
		p.Steps = append(p.Steps, [3]float64{alpha, b, g})
		pos := positions(alpha, b, g)
		for l, i := range follow {
			p.Lines[l].Ranks = append(p.Lines[l].Ranks, pos[i])
		}
	}
	return p
}

// FirstPlaceFlips finds, for α, β and γ alone (the others at the
// baseline), the smallest change up and down that changes first place.
// NetScore differences are linear in each exponent,
//
//	Ω_L − Ω_j = 20·[α·(log a_L − log a_j) − β·(log p_L − log p_j) − γ·(log m_L − log m_j)],
//
// so the change at which j meets the leader L is solved for exactly: the
// smallest over j is where first place changes, and j (the steepest of
// those meeting there) leads beyond it. Exponents stay >= 0. ranked is in
// baseline order (Rank by NetScore), its first row the leader.
func FirstPlaceFlips(ranked []Scored, base Settings) []Flip {
	var out []Flip
	if len(ranked) < 2 {
		return out
	}
	lead := ranked[0]
	logs := func(r Scored) [3]float64 {
		return [3]float64{math.Log10(r.Top1), math.Log10(r.ParamsM), math.Log10(r.GMACs)}
	}
	L := logs(lead)
	for e, name := range []string{"alpha", "beta", "gamma"} {
		e0 := [3]float64{base.Alpha, base.Beta, base.Gamma}[e]
		for _, dir := range []int{+1, -1} {
			f := Flip{Exponent: name, Baseline: e0, Direction: dir}
			best, bestSlope := math.Inf(1), 0.0
			for j := 1; j < len(ranked); j++ {
				J := logs(ranked[j])
				gap := lead.NetScore - ranked[j].NetScore // >= 0
				var slope float64                         // d(Ω_L − Ω_j)/d exponent
				switch e {
				case 0:
					slope = 20 * (L[0] - J[0])
				case 1:
					slope = -20 * (L[1] - J[1])
				case 2:
					slope = -20 * (L[2] - J[2])
				}
				if slope*float64(dir) >= 0 { // the gap does not close this way
					continue
				}
				d := gap / math.Abs(slope) // |Δ| where the gap closes
				if dir < 0 && d > e0 {
					continue // the exponent would go below 0
				}
				if d < best || (d == best && math.Abs(slope) > bestSlope) {
					best, bestSlope = d, math.Abs(slope)
					f.NewLeader = ranked[j].Name
				}
			}
			if !math.IsInf(best, 1) {
				f.Found = true
				f.Delta = float64(dir) * best
				f.At = math.Round((e0+f.Delta)*1e12) / 1e12
			}
			out = append(out, f)
		}
	}
	return out
}

func (s *Sensitivity) topThreeStatement() string {
	np := len(s.Points)
	var kept, moved []string
	for _, pc := range s.TopThree {
		if pc.Kept {
			kept = append(kept, fmt.Sprintf("%s (%s)", pc.Name, Ordinal(pc.Rank)))
		} else {
			moved = append(moved, fmt.Sprintf("%s (%s at %d of %d points; ranks %d–%d)", pc.Name, Ordinal(pc.Rank), pc.KeptPoints, np, pc.BestRank, pc.WorstRank))
		}
	}
	grid := s.GridLabel()
	top := fmt.Sprintf("the top %d at the baseline", len(s.TopThree))
	if s.Published {
		top += " (the paper's published top three)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Across the %d grid points (%s), ", np, grid)
	switch {
	case len(moved) == 0:
		fmt.Fprintf(&b, "all of %s keep their places: %s.", top, strings.Join(kept, ", "))
	case len(kept) == 0:
		fmt.Fprintf(&b, "none of %s keeps its place: %s.", top, strings.Join(moved, "; "))
	default:
		fmt.Fprintf(&b, "of %s, %s %s; %s %s.", top,
			strings.Join(kept, ", "), keeps(len(kept)), strings.Join(moved, "; "), doesNot(len(moved)))
	}
	return b.String()
}

// publishedTopThree reports whether the first three rows are the paper's
// networks its published NetScore ranking puts first, second and third.
func publishedTopThree(ranked []Scored) bool {
	order := strings.Split(publishedOrderings()[ByNetScore], ",")
	if len(ranked) < 3 || len(order) < 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		name := strings.TrimSpace(order[i])
		if ranked[i].Source != zoo.Paper || name == "" || !strings.HasPrefix(ranked[i].Name, name) {
			return false
		}
	}
	return true
}

func keeps(n int) string {
	if n == 1 {
		return "keeps its place"
	}
	return "keep their places"
}

func doesNot(n int) string {
	if n == 1 {
		return "does not"
	}
	return "do not"
}

// GridLabel describes the grid: "α = 2, β 0.25…0.75 step 0.05, γ 0.25…0.75 step 0.05".
func (s *Sensitivity) GridLabel() string {
	ax := func(sym string, r Range) string {
		if r.Start == r.Stop {
			return sym + " = " + fmtExp(r.Start)
		}
		return fmt.Sprintf("%s %s…%s step %s", sym, fmtExp(r.Start), fmtExp(r.Values()[len(r.Values())-1]), fmtExp(r.Step))
	}
	return ax("α", s.Alpha) + ", " + ax("β", s.Beta) + ", " + ax("γ", s.Gamma)
}

func (s *Sensitivity) notes(ps metrics.Params) []string {
	unit := "GMACs"
	if ps.MACUnit == metrics.MMACs {
		unit = "MMACs (--mmacs)"
	}
	return []string{
		fmt.Sprintf("Baseline: α = %s, β = %s, γ = %s, m in %s. τ is Kendall's τ-b and ρ Spearman's ρ (average ranks for ties) of each grid point's NetScores against the baseline's, as scipy.stats.kendalltau and spearmanr compute them; top-%d overlap counts the baseline's top %d still in the top %d.",
			fmtExp(ps.Alpha), fmtExp(ps.Beta), fmtExp(ps.Gamma), unit, s.Top, s.Top, s.Top),
		"The unit of m does not matter: taking m in MMACs instead of GMACs adds −20·γ·log10(1000) = −60·γ to every Ω (−30 at γ = 0.5), the same for every network, so no rank, τ, ρ or overlap moves.",
		"Pareto optimality (top-1 against MACs or params) does not depend on the exponents: the networks on a front are on it at every grid point.",
		"First-place changes are solved exactly (Ω differences are linear in each exponent), one exponent at a time with the others at the baseline, keeping exponents >= 0; Δ is where the new leader's Ω meets the leader's.",
	}
}

// Ordinal writes 1st, 2nd, 3rd, 4th, …
func Ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// fmtExp writes an exponent without trailing zeros.
func fmtExp(v float64) string { return strconv.FormatFloat(math.Round(v*1e9)/1e9, 'f', -1, 64) }

// ExponentSymbol is α, β or γ for alpha, beta or gamma.
func ExponentSymbol(name string) string {
	switch name {
	case "alpha":
		return "α"
	case "beta":
		return "β"
	case "gamma":
		return "γ"
	}
	return name
}
