package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/netscore/netscore/internal/format"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

// expandPaths turns files, folders (searched recursively) and glob
// patterns into model files, in the order given.
func expandPaths(args []string) ([]string, []error) {
	var out []string
	var errs []error
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		if strings.ContainsAny(a, "*?[") {
			matches, err := filepath.Glob(a)
			if err != nil || len(matches) == 0 {
				errs = append(errs, fmt.Errorf("%s: matches no file", a))
			}
			for _, m := range matches {
				add(m)
			}
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !st.IsDir() {
			add(a)
			continue
		}
		n := len(out)
		_ = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && format.IsModelFile(p) {
				add(p)
			}
			return nil
		})
		if len(out) == n {
			errs = append(errs, fmt.Errorf("%s: no model files in this folder", a))
		}
	}
	return out, errs
}

func compareCmd(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("compare", flag.ContinueOnError)
	fset.SetOutput(stderr)
	manifest := fset.String("manifest", "", "accuracy manifest, CSV or YAML: model (path or name), top1, top5, notes")
	ref := fset.String("ref", "none", "reference networks to rank among: "+strings.Join(zoo.SourceNames(), ", ")+", all or none")
	sortBy := fset.String("sort", "netscore", "order: netscore, top1, density, macs or params")
	format := fset.String("format", "table", "output format: table, json, csv or md")
	htmlOut := fset.String("html", "", "write a self-contained HTML report with charts to this file")
	plots := fset.String("plots", "", "write the charts as SVG and PNG into this folder")
	jobs := fset.Int("j", runtime.NumCPU(), "models analysed in parallel")
	var sc scoring
	sc.register(fset)
	var shapes shapeFlags
	shapes.register(fset)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: netscore compare [flags] MODEL|FOLDER|GLOB... [--manifest acc.csv]\n\nAnalyses many models in parallel and ranks them by NetScore.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	args, err := parseInterleaved(fset, args)
	if err != nil {
		return flagExit(err)
	}
	key, err := zoo.ParseSortKey(*sortBy)
	if err != nil {
		return usageErr(stderr, "compare", err)
	}
	if !contains(report.Formats, *format) {
		return usageErr(stderr, "compare", fmt.Errorf("unknown --format %q", *format))
	}
	opt, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "compare", err)
	}
	refs, err := refRows(*ref)
	if err != nil {
		return usageErr(stderr, "compare", err)
	}
	failed := 0
	fail := func(err error) {
		failed++
		fmt.Fprintf(stderr, "netscore: %v\n", err)
	}
	paths, errs := expandPaths(args)
	for _, e := range errs {
		fail(e)
	}
	// Accuracy by file path and by model name (file name without extension).
	acc := map[string]manifestRow{}
	if *manifest != "" {
		rows, bad, err := readManifest(*manifest)
		if err != nil {
			fail(err)
		}
		for _, e := range bad {
			fail(e)
		}
		// Models named on the command line are the run; with none named,
		// the manifest's files are.
		fromManifest := len(args) == 0
		given := map[string]bool{}
		byName := map[string]int{} // how many given models have each name
		for _, p := range paths {
			given[filepath.Clean(p)] = true
			byName[modelName(p)]++
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
				fail(fmt.Errorf("%s line %d: name %q fits %d of the given models; name the file instead", *manifest, r.Line, r.Model, byName[r.Model]))
			case r.Path == "" && byName[r.Model] == 1:
				acc[r.Model] = r
			case r.Path == "" && looksLikePath(r.Model):
				fail(fmt.Errorf("%s line %d: model file %q does not exist", *manifest, r.Line, r.Model))
			default: // a shared manifest may name models this run leaves out
				fmt.Fprintf(stderr, "netscore compare: %s line %d: %s is not among the models given; row skipped\n", *manifest, r.Line, r.Model)
			}
		}
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "netscore compare: no models")
		return ExitUsage
	}
	bar := newProgress(stderr, "models")
	results := inspect.Files(context.Background(), paths, inspect.Request{Bind: opt, Layers: *htmlOut != "", Jobs: *jobs}, bar.Update)
	bar.Done()
	var users []zoo.Row
	summaries := map[string]*inspect.Summary{}
	top5, latency := map[string]float64{}, map[string]float64{}
	var unscored []string
	for i, r := range results {
		if r.Err != nil {
			fail(r.Err)
			continue
		}
		row, ok := acc[filepath.Clean(paths[i])]
		if !ok || row.Model == "" {
			row, ok = acc[modelName(paths[i])]
		}
		if !ok || !row.HasTop1 { // no row, or a latency alone
			unscored = append(unscored, paths[i])
			continue
		}
		rowErr := func(err error) { fail(fmt.Errorf("%s line %d: %s: %v", *manifest, row.Line, row.Model, err)) }
		a, err := sc.accuracy(row.Top1)
		if err != nil {
			rowErr(err)
			continue
		}
		if h := sc.fractionHint(row.Top1); h != "" {
			fmt.Fprintf(stderr, "netscore compare: warning: %s line %d: %s\n", *manifest, row.Line, h)
		}
		var a5 float64
		if row.Top5 != 0 {
			if a5, err = sc.accuracy(row.Top5); err != nil {
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
		if _, err := sc.params().Score(a, p, m); err != nil {
			fail(fmt.Errorf("%s: cannot be scored: %v", paths[i], err))
			continue
		}
		users = append(users, zoo.Row{Name: paths[i], Source: score.UserSource, Top1: a, ParamsM: p, GMACs: m, Note: row.Notes})
		summaries[paths[i]] = r.Summary
		top5[paths[i]] = a5
		latency[paths[i]] = row.LatencyMS
	}
	if len(unscored) > 0 {
		fmt.Fprintf(stderr, "netscore compare: not ranked, no top-1 in the manifest: %s\n", strings.Join(unscored, ", "))
	}
	ranked, err := rank(users, summaries, refs, key, sc.params())
	if err != nil {
		fail(err)
		return ExitFailed
	}
	for i := range ranked {
		e := &ranked[i]
		e.Top5, e.LatencyMS = top5[e.Name], latency[e.Name]
		if e.LatencyMS > 0 {
			if e.LatencyScore, err = sc.params().LatencyScore(e.Top1, e.ParamsM, e.LatencyMS); err != nil {
				fail(fmt.Errorf("%s: %v", e.Name, err))
			}
		}
	}
	c := &score.Comparison{Title: fmt.Sprintf("%d models by %s", len(users), key), SortBy: key, Metric: sc.params(), Entries: ranked}
	if len(refs) > 0 {
		c.Title += fmt.Sprintf(", among %d reference networks (%s)", len(refs), *ref)
	}
	c.Notes = refNotes(refs, sc.params())
	if c.HasLatency() {
		c.Notes = append(c.Notes, "Λ (latency) = 20·log10(a^α / (p^β·t^γ)) with t = measured median latency in ms (netscore bench): a companion to NetScore, comparable only between models measured on the same device, runtime and threads.")
	}
	if len(unscored) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("Not ranked (no top-1 in the manifest): %s", strings.Join(unscored, ", ")))
	}
	if *format != "table" && *format != "md" {
		c.Notes = nil
	}
	if err := report.WriteComparison(stdout, *format, c); err != nil {
		fail(err)
	}
	if err := writeVisuals(c, *htmlOut, *plots, stderr); err != nil {
		fail(err)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "netscore compare: %d problem(s); the rest is reported above\n", failed)
		return ExitFailed
	}
	return ExitOK
}

func hasKey(m map[string]manifestRow, k string) bool { _, ok := m[k]; return ok }

// looksLikePath tells a manifest's file paths from bare model names.
func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || format.IsModelFile(s)
}

// modelName is a file's name without folder and extension.
func modelName(p string) string {
	b := filepath.Base(p)
	return strings.TrimSuffix(b, filepath.Ext(b))
}
