package score

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/zoo"
)

// Entry is an analysed model a leaderboard ranks: its own name, top-1 (and
// top-5) in percent, and its analysis (a summary without layers is enough).
type Entry struct {
	ID      string // unique among the entries; becomes Ranked.ID
	Name    string
	Top1    float64
	Top5    float64
	N       int64 // images the top-1 was measured on; 0 when not given
	Summary *inspect.Summary
	Link    string // where a front end shows the model; becomes Ranked.Link
}

// LeaderboardRequest ranks stored models among a reference set.
type LeaderboardRequest struct {
	Title    string
	SortBy   SortKey
	Settings Settings
	// Reference names the set (for notes); Refs are its rows.
	Reference string
	Refs      []zoo.Row
}

// Leaderboard ranks entries among the request's reference rows. An entry
// that cannot be scored (no params or MACs) is left out and named in the
// notes, as compare does.
func Leaderboard(req LeaderboardRequest, entries []Entry) (*Comparison, error) {
	ps := req.Settings.Params()
	if ps == (metrics.Params{}) {
		ps = metrics.Default()
	}
	if req.SortBy == "" {
		req.SortBy = ByNetScore
	}
	custom, err := req.Settings.Expr()
	if err != nil {
		return nil, err
	}
	if custom != nil {
		if err := custom.CheckReferences(req.Refs, req.Reference); err != nil {
			return nil, err
		}
		for _, name := range custom.uses {
			if !leaderboardFields[name] {
				return nil, request.Errorf("score %q uses %s, which the leaderboard does not keep: it ranks by %s", custom.Source, name, strings.Join(slices.Sorted(maps.Keys(leaderboardFields)), ", "))
			}
		}
	}
	var users []zoo.Row
	summaries := map[string]*inspect.Summary{}
	byID := map[string]Entry{}
	var unscored []string
	for _, e := range entries {
		if custom != nil {
			if err := custom.CheckGiven(e.Name, e.Top5, 0, int(e.N)); err != nil {
				unscored = append(unscored, fmt.Sprintf("%s (no %s)", e.Name, missingField(custom, e)))
				continue
			}
		}
		p, m := metrics.FromCounts(e.Summary.Params, e.Summary.MACs)
		if _, err := ps.Score(e.Top1, p, m); err != nil {
			unscored = append(unscored, fmt.Sprintf("%s (%v)", e.Name, err))
			continue
		}
		// Ranked rows are keyed by name inside RankAll: the id keeps two
		// uploads of one name apart, and the name comes back below.
		users = append(users, zoo.Row{Name: e.ID, Source: UserSource, Top1: e.Top1, ParamsM: p, GMACs: m})
		summaries[e.ID] = e.Summary
		byID[e.ID] = e
	}
	ranked, err := RankAll(users, summaries, req.Refs, req.SortBy, ps)
	if err != nil {
		return nil, err
	}
	// Intervals where the sample is known: the entry's n, a reference
	// source's (ReferenceImages); keyed by id, the ranked rows' names here.
	samples := map[string]UncertaintyInput{}
	for id, e := range byID {
		samples[id] = UncertaintyInput{N: int(e.N)}
	}
	if err := AddIntervals(ranked, ps, samples); err != nil {
		return nil, err
	}
	for i := range ranked {
		r := &ranked[i]
		if r.IsReference() {
			continue
		}
		e := byID[r.Name]
		r.ID, r.Link, r.Name, r.Top5 = e.ID, e.Link, e.Name, e.Top5
	}
	var exprErrs []error
	if custom != nil {
		ranked, exprErrs = RankByExpr(ranked, custom)
	}
	c := &Comparison{Title: req.Title, SortBy: req.SortBy, Metric: ps, Entries: ranked, Notes: ReferenceNotes(req.Refs, ps)}
	if custom != nil {
		c.ScoreExpr = custom.Source
	}
	if c.Title == "" {
		c.Title = fmt.Sprintf("%d %s %s", len(users), plural(len(users), "model", "models"), orderLabel(req.SortBy, custom))
		if len(req.Refs) > 0 {
			c.Title += fmt.Sprintf(", among %d reference networks (%s)", len(req.Refs), ReferenceLabel(req.Reference))
		}
	}
	for _, u := range unscored {
		c.Notes = append(c.Notes, "Not ranked: "+u)
	}
	for _, e := range exprErrs {
		c.Notes = append(c.Notes, "Not ranked: "+e.Error())
	}
	return c, nil
}

// leaderboardFields are the fields a served leaderboard's expression may
// read: what it keeps of every model (the summary's other figures stay on
// the model's page).
var leaderboardFields = map[string]bool{"top1": true, "top5": true, "params": true, "params_m": true, "macs": true,
	"gmacs": true, "mmacs": true, "n": true, "netscore": true, "density": true}

// missingField names the figure an entry lacks for the expression.
func missingField(e *Expr, en Entry) string {
	switch {
	case e.Uses("top5") && en.Top5 == 0:
		return "top5"
	case e.Uses("n") && en.N == 0:
		return "n"
	}
	return "value"
}
