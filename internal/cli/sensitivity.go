package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

const sensitivityUsage = `Usage: netscore sensitivity [--ref paper|timm|...] [--manifest FILE] [flags] [MODEL...]

How stable the NetScore ranking of a set is under other exponents: the set
(a reference set, plus your models with accuracies from --manifest) is
ranked at every point of a grid of α, β and γ and compared with the ranking
at --alpha/--beta/--gamma: Kendall τ-b and Spearman ρ, the top-K overlap,
who stays in the top K, and the smallest change of each exponent that
changes first place (solved exactly). Ranges are START:STOP:STEP or one value.

Flags:
`

// rangeFlag is a --*-range flag. It keeps the text: ranges are parsed
// after the flags, so that a bad one is one line, not the whole usage.
type rangeFlag struct {
	name, raw string
	set       bool
}

func (f *rangeFlag) String() string     { return f.raw }
func (f *rangeFlag) Set(s string) error { f.raw, f.set = s, true; return nil }

// parse reads the range into r when the flag was given.
func (f *rangeFlag) parse(r *score.Range) error {
	if !f.set {
		return nil
	}
	v, err := score.ParseRange(f.raw)
	if err != nil {
		return fmt.Errorf("--%s %v", f.name, err)
	}
	*r = v
	return nil
}

func sensitivityCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sensitivity", sensitivityUsage, stderr)
	req := score.DefaultSensitivityRequest()
	ref := fs.String("ref", "paper", "reference networks in the set: "+strings.Join(zoo.SourceNames(), ", ")+", all or none")
	manifestPath := fs.String("manifest", "", "accuracy manifest for your models, CSV or YAML: model (path or name), top1, top5, notes")
	alpha := &rangeFlag{name: "alpha-range"}
	beta := &rangeFlag{name: "beta-range", raw: req.Beta.String()}
	gamma := &rangeFlag{name: "gamma-range", raw: req.Gamma.String()}
	fs.Var(alpha, alpha.name, "α values, `START:STOP:STEP` or one value (default: --alpha alone)")
	fs.Var(beta, beta.name, "β values, `START:STOP:STEP` or one value")
	fs.Var(gamma, gamma.name, "γ values, `START:STOP:STEP` or one value")
	fs.IntVar(&req.Top, "top", 5, "K of the top-K overlap")
	format := fs.String("format", "table", "output format: table, json, csv (one row per grid point) or md")
	htmlOut := fs.String("html", "", "also write a self-contained HTML page with the heat map of τ and the bump chart")
	jobs := fs.Int("j", runtime.NumCPU(), "models analysed in parallel")
	settings := registerScoring(fs)
	var shapes shapeFlags
	shapes.register(fs)
	shapes.registerParams(fs)
	models, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	for _, f := range []struct {
		f *rangeFlag
		r *score.Range
	}{{alpha, &req.Alpha}, {beta, &req.Beta}, {gamma, &req.Gamma}} {
		if err := f.f.parse(f.r); err != nil {
			return usageErr(stderr, "sensitivity", err)
		}
	}
	if !contains(report.Formats, *format) {
		return usageErr(stderr, "sensitivity", fmt.Errorf("unknown --format %q", *format))
	}
	if !alpha.set {
		req.Alpha = score.Fixed(settings.Alpha)
	}
	if req.Top < 1 {
		return usageErr(stderr, "sensitivity", fmt.Errorf("--top %d: want K >= 1", req.Top))
	}
	bind, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "sensitivity", err)
	}
	req.Compare = score.CompareRequest{Models: models, Reference: *ref, SortBy: score.ByNetScore, Settings: *settings,
		Inspect: inspect.Request{Bind: bind, Jobs: *jobs}}
	if *manifestPath != "" {
		req.Compare.Manifest, req.Compare.ManifestName = manifest.File(*manifestPath), *manifestPath
	}
	if err := req.Check(); err != nil { // before any model is read
		return usageErr(stderr, "sensitivity", err)
	}
	bar := newProgress(stderr, "models")
	s, err := score.AnalyzeSensitivity(ctx, req, bar.Update)
	bar.Done()
	problems := 0
	if s != nil {
		for _, m := range s.Log {
			if m.Problem {
				problems++
				fmt.Fprintf(stderr, "netscore: %s\n", m.Text)
			} else {
				fmt.Fprintf(stderr, "netscore sensitivity: %s\n", m.Text)
			}
		}
	}
	switch {
	case errors.Is(err, score.ErrNoModels), err != nil && request.Is(err):
		return usageErr(stderr, "sensitivity", err)
	case err != nil:
		fmt.Fprintf(stderr, "netscore sensitivity: %v\n", err)
		return ExitFailed
	}
	if err := report.WriteSensitivity(stdout, *format, s); err != nil {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
		problems++
	}
	if *htmlOut != "" {
		if err := writeFile(*htmlOut, func(w io.Writer) error { return report.WriteSensitivityHTML(w, s) }); err != nil {
			fmt.Fprintf(stderr, "netscore: %v\n", err)
			problems++
		}
	}
	if problems > 0 {
		fmt.Fprintf(stderr, "netscore sensitivity: %d problem(s); the rest is reported above\n", problems)
		return ExitFailed
	}
	return ExitOK
}
