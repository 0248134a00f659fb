package score

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/zoo"
)

// CompareRequest asks for many models ranked together, with their
// accuracies (and latencies) from a manifest.
type CompareRequest struct {
	// Models are files, folders or globs. With none, the manifest's files
	// are the run.
	Models       []string       `json:"models"`
	Manifest     manifest.Store `json:"-"`
	ManifestName string         `json:"manifest,omitempty"`
	Reference    string         `json:"reference"` // a source, all or none
	SortBy       SortKey        `json:"sort_by"`
	Settings     Settings       `json:"settings"`
	Inspect      inspect.Request
}

// Message is one line of a comparison's log: a problem (a model or row
// that could not be used: the run fails) or a note.
type Message struct {
	Text    string
	Problem bool
}

// Compared is a comparison with its log, in the order things happened.
type Compared struct {
	Comparison *Comparison
	Log        []Message
}

// Problems counts the problems in the log.
func (c *Compared) Problems() int {
	n := 0
	for _, m := range c.Log {
		if m.Problem {
			n++
		}
	}
	return n
}

// ErrNoModels is returned when a comparison has nothing to compare.
var ErrNoModels = request.Wrap(fmt.Errorf("no models"))

// Compare analyses the models in parallel, joins each with its manifest
// row and ranks them, alone or among reference networks. A model that
// cannot be read or scored is a problem in the log; the others are ranked.
func Compare(ctx context.Context, req CompareRequest, progress inspect.Progress) (*Compared, error) {
	refs, err := References(req.Reference)
	if err != nil {
		return nil, request.Wrap(err)
	}
	custom, err := req.Settings.Expr()
	if err != nil {
		return nil, err
	}
	if custom != nil {
		if err := custom.CheckReferences(refs, req.Reference); err != nil {
			return nil, err
		}
	}
	out := &Compared{}
	fail := func(err error) { out.Log = append(out.Log, Message{Text: err.Error(), Problem: true}) }
	note := func(format string, a ...any) { out.Log = append(out.Log, Message{Text: fmt.Sprintf(format, a...)}) }
	paths, errs := inspect.Expand(req.Models)
	for _, e := range errs {
		fail(e)
	}
	acc, paths, err := joinManifest(ctx, req, paths, fail, note)
	if err != nil { // a manifest that cannot be read stops the run: its accuracies are the point
		return out, request.Wrap(err)
	}
	if len(paths) == 0 {
		return out, ErrNoModels
	}
	if custom != nil { // before any model is analysed
		for _, p := range paths {
			if row, ok := rowFor(acc, p); ok && row.HasTop1 {
				if err := custom.CheckGiven(p, row.Top5, row.LatencyMS, row.N); err != nil {
					return out, err
				}
			}
		}
	}
	// One set of flags over many models: each takes the inputs it has.
	req.Inspect.Bind.SkipUnknownInputs = len(paths) > 1
	req.Inspect.PerModel = perModelBindings(acc, paths, fail)
	req.Inspect.ExactShapes = true // a ranking must not rest on guessed sizes
	results := inspect.Files(ctx, paths, req.Inspect, progress)
	ps := req.Settings.Params()
	var users []zoo.Row
	summaries := map[string]*inspect.Summary{}
	top5, latency := map[string]float64{}, map[string]float64{}
	uncertain := map[string]UncertaintyInput{}
	var unscored []string
	skipped := map[string][]string{} // model -> --input names it lacks
	for i, r := range results {
		if r.Err != nil {
			fail(r.Err)
			continue
		}
		if len(r.Summary.SkippedInputs) > 0 {
			skipped[paths[i]] = r.Summary.SkippedInputs
		}
		row, ok := rowFor(acc, paths[i])
		if !ok || !row.HasTop1 { // no row, or a latency alone
			unscored = append(unscored, paths[i])
			continue
		}
		rowErr := func(err error) { fail(fmt.Errorf("%s line %d: %s: %v", req.ManifestName, row.Line, row.Model, err)) }
		a, err := req.Settings.Accuracy(row.Top1)
		if err != nil {
			rowErr(err)
			continue
		}
		if h := req.Settings.FractionHint(row.Top1); h != "" {
			note("warning: %s line %d: %s", req.ManifestName, row.Line, h)
		}
		var a5 float64
		if row.Top5 != 0 {
			if a5, err = req.Settings.Accuracy(row.Top5); err != nil {
				rowErr(fmt.Errorf("top-5: %v", err))
				continue
			}
			if a5 < a {
				rowErr(fmt.Errorf("top-5 %v is below top-1 %v", row.Top5, row.Top1))
				continue
			}
		}
		p, m := metrics.FromCounts(r.Summary.Params, r.Summary.MACs)
		// A model NetScore cannot score (no MACs or no params) is reported
		// alone; the others are still ranked.
		if _, err := ps.Score(a, p, m); err != nil {
			fail(fmt.Errorf("%s: cannot be scored: %v", paths[i], err))
			continue
		}
		users = append(users, zoo.Row{Name: paths[i], Source: UserSource, Top1: a, ParamsM: p, GMACs: m, Note: row.Notes})
		summaries[paths[i]] = r.Summary
		top5[paths[i]] = a5
		latency[paths[i]] = row.LatencyMS
		u := UncertaintyInput{N: row.N}
		if row.LatencyCIHigh > 0 {
			u.Latency = &metrics.Interval{Low: row.LatencyCILow, High: row.LatencyCIHigh}
		}
		uncertain[paths[i]] = u
	}
	if len(unscored) > 0 {
		note("not ranked, no top-1 in the manifest: %s", strings.Join(unscored, ", "))
	}
	for _, p := range slices.Sorted(maps.Keys(skipped)) {
		note("%s has no input %s: analysed without it", p, strings.Join(skipped[p], ", "))
	}
	ranked, err := RankAll(users, summaries, refs, req.SortBy, ps)
	if err != nil {
		fail(err)
		return out, err
	}
	for i := range ranked {
		e := &ranked[i]
		e.Top5, e.LatencyMS = top5[e.Name], latency[e.Name]
		if e.LatencyMS > 0 {
			if e.LatencyScore, err = ps.LatencyScore(e.Top1, e.ParamsM, e.LatencyMS); err != nil {
				fail(fmt.Errorf("%s: %v", e.Name, err))
			}
		}
	}
	if err := AddIntervals(ranked, ps, uncertain); err != nil {
		fail(err)
		return out, err
	}
	if custom != nil {
		var errs []error
		ranked, errs = RankByExpr(ranked, custom)
		for _, e := range errs {
			fail(e)
		}
	}
	c := &Comparison{Title: fmt.Sprintf("%d %s %s", len(users), plural(len(users), "model", "models"), orderLabel(req.SortBy, custom)), SortBy: req.SortBy, Metric: ps, Entries: ranked}
	if custom != nil {
		c.ScoreExpr = custom.Source
	}
	if len(refs) > 0 {
		c.Title += fmt.Sprintf(", among %d reference networks (%s)", len(refs), req.Reference)
	}
	c.Notes = ReferenceNotes(refs, ps)
	if c.HasLatency() {
		c.Notes = append(c.Notes, "Λ (latency) = 20·log10(a^α / (p^β·t^γ)) with t = measured median latency in ms (netscore bench): a companion to NetScore, comparable only between models measured on the same device, runtime and threads.")
	}
	c.Notes = append(c.Notes, IntervalNotes(ranked)...)
	if len(unscored) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("Not ranked (no top-1 in the manifest): %s", strings.Join(unscored, ", ")))
	}
	out.Comparison = c
	return out, nil
}

// joinManifest reads the manifest and keys its rows by file path and by
// model name (file name without extension). Models named in the request
// are the run; with none named, the manifest's files are, and are added to
// paths.
func joinManifest(ctx context.Context, req CompareRequest, paths []string, fail func(error), note func(string, ...any)) (map[string]manifest.Row, []string, error) {
	acc := map[string]manifest.Row{}
	if req.Manifest == nil {
		return acc, paths, nil
	}
	rows, bad, err := req.Manifest.Rows(ctx)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, fmt.Errorf("manifest %s: %v", req.ManifestName, err)
	}
	for _, e := range bad {
		fail(e)
	}
	fromManifest := len(req.Models) == 0
	given := map[string]bool{}
	byName := map[string]int{} // how many given models have each name
	for _, p := range paths {
		given[filepath.Clean(p)] = true
		byName[manifest.ModelName(p)]++
	}
	for _, r := range rows {
		switch {
		case r.Path != "" && given[filepath.Clean(r.Path)]:
			acc[filepath.Clean(r.Path)] = r
		case r.Path != "" && fromManifest:
			paths = append(paths, r.Path)
			given[filepath.Clean(r.Path)] = true
			acc[filepath.Clean(r.Path)] = r
		case r.Path == "" && byName[r.Model] > 1:
			fail(fmt.Errorf("%s line %d: name %q fits %d of the given models; name the file instead", req.ManifestName, r.Line, r.Model, byName[r.Model]))
		case r.Path == "" && byName[r.Model] == 1:
			acc[r.Model] = r
		case r.Path == "" && manifest.LooksLikePath(r.Model):
			fail(fmt.Errorf("%s line %d: model file %q does not exist", req.ManifestName, r.Line, r.Model))
		default: // a shared manifest may name models this run leaves out
			note("%s line %d: %s is not among the models given; row skipped", req.ManifestName, r.Line, r.Model)
		}
	}
	return acc, paths, nil
}

// rowFor finds a model's manifest row, by file and then by name.
func rowFor(acc map[string]manifest.Row, path string) (manifest.Row, bool) {
	if row, ok := acc[filepath.Clean(path)]; ok && row.Model != "" {
		return row, true
	}
	row, ok := acc[manifest.ModelName(path)]
	return row, ok
}

// perModelBindings are the shapes and values the manifest's input column
// gives each model.
func perModelBindings(acc map[string]manifest.Row, paths []string, fail func(error)) map[string]analyze.Options {
	out := map[string]analyze.Options{}
	for _, p := range paths {
		row, ok := rowFor(acc, p)
		if !ok || row.Input == "" {
			continue
		}
		opt, err := manifest.ParseInput(row.Input)
		if err != nil { // Read checked it; kept for a Store that did not
			fail(fmt.Errorf("%s: input %q: %v", p, row.Input, err))
			continue
		}
		out[p] = opt
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
