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

const compareUsage = "Usage: netscore compare [flags] MODEL|FOLDER|GLOB... [--manifest acc.csv]\n\nAnalyses many models in parallel and ranks them by NetScore.\n\nFlags:\n"

func compareCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("compare", compareUsage, stderr)
	manifestPath := fs.String("manifest", "", "accuracy manifest, CSV or YAML: model (path or name), top1, top5, notes")
	ref := fs.String("ref", "none", "reference networks to rank among: "+strings.Join(zoo.SourceNames(), ", ")+", all or none")
	sortBy := fs.String("sort", "netscore", "order: netscore, top1, density, macs or params")
	format := fs.String("format", "table", "output format: table, json, csv or md")
	htmlOut := fs.String("html", "", "write a self-contained HTML report with charts to this file")
	plots := fs.String("plots", "", "write the charts as SVG and PNG into this folder")
	jobs := fs.Int("j", runtime.NumCPU(), "models analysed in parallel")
	settings := registerScoring(fs)
	var shapes shapeFlags
	shapes.register(fs)
	shapes.registerParams(fs)
	models, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	key, err := score.ParseSortKey(*sortBy)
	if err != nil {
		return usageErr(stderr, "compare", err)
	}
	if err := checkScoreExpr(fs, settings); err != nil {
		return usageErr(stderr, "compare", err)
	}
	if !contains(report.Formats, *format) {
		return usageErr(stderr, "compare", fmt.Errorf("unknown --format %q", *format))
	}
	bind, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "compare", err)
	}
	req := score.CompareRequest{Models: models, Reference: *ref, SortBy: key, Settings: *settings,
		Inspect: inspect.Request{Bind: bind, Layers: *htmlOut != "", Jobs: *jobs}}
	if *manifestPath != "" {
		req.Manifest, req.ManifestName = manifest.File(*manifestPath), *manifestPath
	}
	bar := newProgress(stderr, "models")
	res, err := score.Compare(ctx, req, bar.Update)
	bar.Done()
	if res != nil {
		for _, m := range res.Log {
			if m.Problem {
				fmt.Fprintf(stderr, "netscore: %s\n", m.Text)
			} else {
				fmt.Fprintf(stderr, "netscore compare: %s\n", m.Text)
			}
		}
	}
	switch {
	case errors.Is(err, score.ErrNoModels):
		return usageErr(stderr, "compare", err)
	case err != nil && request.Is(err):
		return usageErr(stderr, "compare", err)
	case err != nil:
		return ExitFailed
	}
	problems := res.Problems()
	if err := report.WriteComparison(stdout, *format, res.Comparison); err != nil {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
		problems++
	}
	if err := writeVisuals(res.Comparison, *htmlOut, *plots, stderr); err != nil {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
		problems++
	}
	if problems > 0 {
		fmt.Fprintf(stderr, "netscore compare: %d problem(s); the rest is reported above\n", problems)
		return ExitFailed
	}
	return ExitOK
}
