package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

// registerScoring adds the flags every scoring command shares.
func registerScoring(fs *flag.FlagSet) *score.Settings {
	s := score.DefaultSettings()
	fs.Float64Var(&s.Alpha, "alpha", metrics.DefaultAlpha, "NetScore exponent of accuracy")
	fs.Float64Var(&s.Beta, "beta", metrics.DefaultBeta, "NetScore exponent of params")
	fs.Float64Var(&s.Gamma, "gamma", metrics.DefaultGamma, "NetScore exponent of MACs")
	fs.BoolVar(&s.MMACs, "mmacs", false, "take m in millions of MACs instead of billions (shifts every score by -30 at gamma 0.5; ranks stay)")
	fs.BoolVar(&s.Fraction, "fraction", false, "accuracies are fractions in (0, 1] rather than percent")
	fs.StringVar(&s.Score, "score", "", "rank by this `EXPR` instead (e.g. '20*log10(top1^2 / (params_m^0.5 * latency_ms^0.5))'); fields: "+score.ExprFieldNames())
	return &s
}

// checkScoreExpr validates --score before any work; with it, an explicit
// --sort is refused (the expression is the order).
func checkScoreExpr(fs *flag.FlagSet, s *score.Settings) error {
	if s.Score == "" {
		return nil
	}
	if isSet(fs, "sort") {
		return errors.New("--score and --sort exclude each other: the expression is the order")
	}
	_, err := s.Expr()
	return err
}

// failed prints a library error and returns its exit code: the request's
// fault is a usage error.
func failed(stderr io.Writer, cmd string, err error) int {
	if request.Is(err) {
		return usageErr(stderr, cmd, err)
	}
	fmt.Fprintf(stderr, "netscore: %v\n", err)
	return ExitFailed
}

const zooUsage = "Usage: netscore zoo [flags]\n\nRanks published reference networks by NetScore, top-1, information density, MACs or params.\n\nFlags:\n"

func zooCmd(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("zoo", zooUsage, stderr)
	source := fs.String("source", "paper", "reference set: "+strings.Join(zoo.SourceNames(), ", ")+", or all")
	sortBy := fs.String("sort", "netscore", "order: netscore, top1, density, macs or params")
	top := fs.Int("top", 0, "show only the first N rows")
	format := fs.String("format", "table", "output format: table, json, csv or md")
	stats := fs.Bool("stats", false, "print how many rows each source kept and dropped, and why")
	settings := registerScoring(fs)
	if _, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	}
	key, err := score.ParseSortKey(*sortBy)
	if err != nil {
		return usageErr(stderr, "zoo", err)
	}
	if err := checkScoreExpr(fs, settings); err != nil {
		return usageErr(stderr, "zoo", err)
	}
	c, st, err := score.Zoo(score.ZooRequest{Source: *source, SortBy: key, Top: *top, Settings: *settings})
	if err != nil {
		if request.Is(err) {
			return usageErr(stderr, "zoo", err)
		}
		fmt.Fprintf(stderr, "netscore zoo: %v\n", err)
		return ExitFailed
	}
	if err := report.WriteComparison(stdout, *format, c); err != nil {
		return usageErr(stderr, "zoo", err)
	}
	if *stats {
		fmt.Fprint(stderr, st.String())
	}
	return ExitOK
}

const scoreUsage = "Usage: netscore score MODEL --top1 ACC [flags]\n\nScores a model with NetScore and ranks it among reference networks.\n\nFlags:\n"

func scoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("score", scoreUsage, stderr)
	top1 := fs.Float64("top1", 0, "the model's top-1 accuracy in percent (required)")
	ref := fs.String("ref", "paper", "reference set to rank against: "+strings.Join(zoo.SourceNames(), ", ")+", or all")
	format := fs.String("format", "table", "output format: table or json")
	latency := fs.Float64("latency-ms", 0, "measured median latency in ms (netscore bench): adds the latency score Λ")
	manifestPath := fs.String("manifest", "", "take --top1 (and latency_ms, n) for MODEL from this accuracy manifest (as netscore eval writes it)")
	images := fs.Int("n", 0, "images the top-1 was measured on: gives it a 95% Wilson interval, carried to Ω and density")
	settings := registerScoring(fs)
	var shapes shapeFlags
	shapes.register(fs)
	shapes.registerParams(fs)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	switch {
	case len(paths) != 1:
		return usageErr(stderr, "score", errors.New("give exactly one model"))
	case *format != "table" && *format != "json":
		return usageErr(stderr, "score", fmt.Errorf("unknown --format %q (want table or json)", *format))
	case isSet(fs, "top1") && *top1 == 0:
		return usageErr(stderr, "score", fmt.Errorf("top-1 0 is outside (0, 100] percent"))
	case *images < 0 || isSet(fs, "n") && *images == 0:
		return usageErr(stderr, "score", fmt.Errorf("--n %d: want the number of images the top-1 was measured on", *images))
	}
	if err := checkScoreExpr(fs, settings); err != nil {
		return usageErr(stderr, "score", err)
	}
	bind, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "score", err)
	}
	req := score.CardRequest{Model: paths[0], Top1: *top1, LatencyMS: *latency, N: *images, Reference: *ref, Bind: bind, Settings: *settings}
	if *manifestPath != "" {
		req.Manifest, req.ManifestName = manifest.File(*manifestPath), *manifestPath
	}
	card, err := score.Score(ctx, req)
	if err != nil {
		return failed(stderr, "score", err)
	}
	for _, h := range card.Hints {
		fmt.Fprintf(stderr, "netscore score: warning: %s\n", h)
	}
	if err := report.WriteScorecard(stdout, *format, card); err != nil {
		return failed(stderr, "score", err)
	}
	return ExitOK
}

// manifestInput adds the input column of a model's manifest row (if the
// manifest exists and has one) to the flags' shapes and values, which win.
func manifestInput(ctx context.Context, path, model string, bind analyze.Options) (analyze.Options, error) {
	if _, err := os.Stat(path); err != nil {
		return bind, nil // bench and eval create the manifest
	}
	row, err := manifest.Lookup(ctx, manifest.File(path), path, model)
	if err != nil {
		return bind, nil
	}
	if bind, err = row.Bind(bind); err != nil {
		return bind, fmt.Errorf("%s %v", path, err)
	}
	return bind, nil
}
