package score

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/zoo"
)

// RankAll scores user rows together with reference rows, orders them and
// numbers them; summaries carry the analyses of the user rows by name.
func RankAll(users []zoo.Row, summaries map[string]*inspect.Summary, refs []zoo.Row, by SortKey, ps metrics.Params) ([]Ranked, error) {
	scored, err := Rank(append(append([]zoo.Row{}, users...), refs...), by, ps)
	if err != nil {
		return nil, err
	}
	out := make([]Ranked, len(scored))
	for i, s := range scored {
		out[i] = Ranked{Scored: s, Rank: i + 1}
		if s.Source == UserSource {
			out[i].Summary = summaries[s.Name]
		}
	}
	return out, nil
}

// ReferenceNotes explain the sources shown, the paper set's reconstruction
// first, and the formula with the exponents and MAC unit in use.
func ReferenceNotes(rows []zoo.Row, ps metrics.Params) []string {
	seen := map[zoo.Source]bool{}
	for _, r := range rows {
		seen[r.Source] = true
	}
	var notes []string
	if seen[zoo.Paper] {
		notes = append(notes, "paper (reconstructed): the NetScore paper's network set, its values reconstructed from each network's publication or public model tables (many recalled; see each row's note); the paper's own table was not available.")
	}
	for _, info := range zoo.Sources() {
		if seen[info.Source] && info.Source != zoo.Paper {
			notes = append(notes, info.Label+": "+info.Origin)
		}
	}
	unit := "G"
	if ps.MACUnit == metrics.MMACs {
		unit = "M (--mmacs: every Ω is 30 lower than with GMACs at γ = 0.5; ranks are the same)"
	}
	return append(notes, fmt.Sprintf("Ω = 20·log10(a^α / (p^β·m^γ)), α = %g, β = %g, γ = %g, a = top-1 %%, p = params (M), m = MACs (%s); density = a/p. Pareto: M = on the top-1 vs MACs front, P = on the top-1 vs params front.", ps.Alpha, ps.Beta, ps.Gamma, unit))
}

// ReferenceLabel names a reference set for people.
func ReferenceLabel(name string) string {
	if name == string(zoo.Paper) {
		return zoo.Paper.Label()
	}
	return name
}

// ZooRequest asks for a reference set, ranked.
type ZooRequest struct {
	Source   string   `json:"source"` // a source name or "all"
	SortBy   SortKey  `json:"sort_by"`
	Top      int      `json:"top,omitempty"`
	Settings Settings `json:"settings"`
}

// Zoo ranks a reference set; the stats say what each source kept and
// dropped.
func Zoo(req ZooRequest) (*Comparison, zoo.Stats, error) {
	name := req.Source
	if name == "all" {
		name = ""
	} else if !slices.Contains(zoo.SourceNames(), name) {
		return nil, zoo.Stats{}, request.Errorf("unknown --source %q (want %s or all)", name, strings.Join(zoo.SourceNames(), ", "))
	}
	rows, st, err := zoo.Load(name)
	if err != nil {
		return nil, st, request.Wrap(err)
	}
	custom, err := req.Settings.Expr()
	if err != nil {
		return nil, st, err
	}
	if custom != nil {
		if err := custom.CheckReferences(rows, req.Source); err != nil {
			return nil, st, err
		}
	}
	ps := req.Settings.Params()
	ranked, err := RankAll(nil, nil, rows, req.SortBy, ps)
	if err != nil {
		return nil, st, err
	}
	if err := AddIntervals(ranked, ps, nil); err != nil {
		return nil, st, err
	}
	if custom != nil {
		var errs []error
		if ranked, errs = RankByExpr(ranked, custom); len(errs) > 0 {
			return nil, st, request.Wrap(errs[0])
		}
	}
	if req.Top > 0 && req.Top < len(ranked) {
		ranked = ranked[:req.Top]
	}
	title := fmt.Sprintf("Reference networks: %s, %s", ReferenceLabel(req.Source), orderLabel(req.SortBy, custom))
	c := &Comparison{Title: title, SortBy: req.SortBy, Metric: ps, Entries: ranked, Notes: append(ReferenceNotes(rows, ps), IntervalNotes(ranked)...)}
	if custom != nil {
		c.ScoreExpr = custom.Source
	}
	return c, st, nil
}
