package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
)

const checkUsage = "Usage: netscore check MODEL [budgets]\n\nExits 1 when the model breaks a budget, for model CI pipelines.\n\nFlags:\n"

// checkCmd enforces budgets for model CI pipelines: exit 0 when every
// budget holds, 1 with one line per broken budget.
func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", checkUsage, stderr)
	maxMACs := fs.String("max-macs", "", "largest allowed core MACs, e.g. 600M")
	maxParams := fs.String("max-params", "", "largest allowed params, e.g. 5M")
	maxWeights := fs.String("max-weight-bytes", "", "largest allowed weight storage, e.g. 10MiB")
	maxPeak := fs.String("max-peak-activation-bytes", "", "largest allowed peak activation memory, e.g. 8MiB")
	minScore := fs.Float64("min-netscore", 0, "smallest allowed NetScore (needs --top1)")
	top1 := fs.Float64("top1", 0, "the model's top-1 accuracy in percent")
	minCoverage := fs.Float64("min-coverage", 0, "smallest allowed share of nodes costed (0..1)")
	manifestPath := fs.String("manifest", "", "take MODEL's input shapes and values (and --top1, unless given) from this manifest")
	allowUncosted := fs.Bool("allow-uncosted", false, "check MACs and activation memory as lower bounds when some nodes are uncosted (otherwise such budgets cannot be verified and fail)")
	settings := registerScoring(fs)
	var shapes shapeFlags
	shapes.register(fs)
	shapes.registerParams(fs)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(paths) != 1 {
		return usageErr(stderr, "check", errors.New("give exactly one model"))
	}
	b := score.Budgets{MinCoverage: *minCoverage, AllowUncosted: *allowUncosted}
	for _, q := range []struct {
		flag, value string
		dst         **float64
	}{{"max-macs", *maxMACs, &b.MaxMACs}, {"max-params", *maxParams, &b.MaxParams},
		{"max-weight-bytes", *maxWeights, &b.MaxWeightBytes}, {"max-peak-activation-bytes", *maxPeak, &b.MaxPeakActivationBytes}} {
		if q.value == "" {
			continue
		}
		v, err := units.ParseQuantity(q.value)
		if err != nil {
			return usageErr(stderr, "check", fmt.Errorf("--%s: %v", q.flag, err))
		}
		*q.dst = &v
	}
	if isSet(fs, "min-netscore") {
		b.MinNetScore = minScore
	}
	if isSet(fs, "top1") {
		b.Top1 = top1
	}
	bind, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "check", err)
	}
	req := score.CheckRequest{Model: paths[0], Budgets: b, Bind: bind, Settings: *settings}
	if *manifestPath != "" {
		req.Manifest, req.ManifestName = manifest.File(*manifestPath), *manifestPath
	}
	res, err := score.Check(ctx, req)
	if err != nil {
		return failed(stderr, "check", err)
	}
	report.WriteCheck(stdout, stderr, res)
	if res.Broken() > 0 {
		return ExitFailed
	}
	return ExitOK
}
