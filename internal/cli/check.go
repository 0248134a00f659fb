package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/units"
)

// checkCmd enforces budgets for model CI pipelines: exit 0 when every
// budget holds, 1 with one line per broken budget.
func checkCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	maxMACs := fs.String("max-macs", "", "largest allowed core MACs, e.g. 600M")
	maxParams := fs.String("max-params", "", "largest allowed params, e.g. 5M")
	maxWeights := fs.String("max-weight-bytes", "", "largest allowed weight storage, e.g. 10MiB")
	maxPeak := fs.String("max-peak-activation-bytes", "", "largest allowed peak activation memory, e.g. 8MiB")
	minScore := fs.Float64("min-netscore", 0, "smallest allowed NetScore (needs --top1)")
	top1 := fs.Float64("top1", 0, "the model's top-1 accuracy in percent")
	minCoverage := fs.Float64("min-coverage", 1, "smallest allowed share of nodes costed (0..1): uncosted nodes make the counts lower bounds")
	var sc scoring
	sc.register(fs)
	var shapes shapeFlags
	shapes.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: netscore check MODEL [budgets]\n\nExits 1 when the model breaks a budget, for model CI pipelines.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(paths) != 1 {
		return usageErr(stderr, "check", errors.New("give exactly one model"))
	}
	if isSet(fs, "min-netscore") && !isSet(fs, "top1") {
		return usageErr(stderr, "check", errors.New("--min-netscore needs --top1"))
	}
	limits := map[string]float64{}
	for name, v := range map[string]string{"max-macs": *maxMACs, "max-params": *maxParams, "max-weight-bytes": *maxWeights, "max-peak-activation-bytes": *maxPeak} {
		if v == "" {
			continue
		}
		q, err := ParseQuantity(v)
		if err != nil {
			return usageErr(stderr, "check", fmt.Errorf("--%s: %v", name, err))
		}
		limits[name] = q
	}
	if len(limits) == 0 && !isSet(fs, "min-netscore") {
		return usageErr(stderr, "check", errors.New("no budget given (--max-macs, --max-params, --max-weight-bytes, --max-peak-activation-bytes, --min-netscore)"))
	}
	var a float64
	if isSet(fs, "top1") {
		if a, err = sc.accuracy(*top1); err != nil {
			return usageErr(stderr, "check", err)
		}
	}
	opt, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "check", err)
	}
	s, err := inspect.File(context.Background(), paths[0], inspect.Request{Bind: opt})
	if err != nil {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
		return ExitFailed
	}
	for _, w := range s.Warnings { // an unbound dim changes what the budgets measure
		fmt.Fprintf(stderr, "netscore check: %s: warning: %s\n", paths[0], w)
	}
	broken := 0
	limit := func(name string, got int64, show func(int64) string) {
		max, ok := limits[name]
		if !ok {
			return
		}
		if float64(got) > max {
			broken++
			g, m := show(got), show(int64(max))
			if g == m { // rounding hides the difference: give the exact figures
				g, m = units.Grouped(got), units.Grouped(int64(max))
			}
			fmt.Fprintf(stderr, "netscore check: %s: %s is %s, over the budget of %s\n", paths[0], name[4:], g, m)
		} else {
			fmt.Fprintf(stdout, "ok  %s %s <= %s\n", name[4:], show(got), show(int64(max)))
		}
	}
	limit("max-macs", s.MACs, units.Count)
	limit("max-params", s.Params, units.Count)
	limit("max-weight-bytes", s.WeightBytes, units.Bytes)
	limit("max-peak-activation-bytes", s.PeakActivationBytes, units.Bytes)
	if isSet(fs, "min-netscore") {
		ns, err := sc.params().ScoreCounts(a, s.Params, s.MACs)
		switch {
		case err != nil:
			broken++
			fmt.Fprintf(stderr, "netscore check: %s: cannot score: %v\n", paths[0], err)
		case ns < *minScore:
			broken++
			fmt.Fprintf(stderr, "netscore check: %s: NetScore is %.2f, under the minimum of %.2f\n", paths[0], ns, *minScore)
		default:
			fmt.Fprintf(stdout, "ok  NetScore %.2f >= %.2f\n", ns, *minScore)
		}
	}
	if s.Coverage.NodeShare < *minCoverage {
		broken++
		var ops []string
		for _, u := range s.Uncosted {
			ops = append(ops, fmt.Sprintf("%s×%d", u.Op, u.Count))
		}
		fmt.Fprintf(stderr, "netscore check: %s: only %s of nodes costed (uncosted: %s); the counts are lower bounds\n", paths[0], units.Percent(s.Coverage.NodeShare), strings.Join(ops, " "))
	}
	if broken > 0 {
		return ExitFailed
	}
	return ExitOK
}
