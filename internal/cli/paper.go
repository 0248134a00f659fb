package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
)

const paperUsage = "Usage: netscore paper [flags]\n\nThe NetScore paper's analysis, reproduced on its (reconstructed) network set:\nrankings by NetScore, top-1 and information density, and the figures.\n\nFlags:\n"

// paperCmd reproduces the paper's analysis: its network set ranked by
// NetScore, by top-1 and by information density, with the figures.
func paperCmd(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("paper", paperUsage, stderr)
	format := fs.String("format", "md", "output format: md, table, json or csv")
	htmlOut := fs.String("html", "", "also write the HTML report with charts to this file")
	plots := fs.String("plots", "", "write the charts as SVG and PNG into this folder")
	top := fs.Int("top", 0, "show only the first N rows of each ranking")
	settings := registerScoring(fs)
	if _, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	}
	if !contains(report.Formats, *format) {
		return usageErr(stderr, "paper", fmt.Errorf("unknown --format %q", *format))
	}
	if settings.Score != "" {
		return usageErr(stderr, "paper", fmt.Errorf("--score: the paper's rankings are its own; use netscore zoo --source paper --score EXPR"))
	}
	p, err := score.PaperRankings(score.PaperRequest{Top: *top, Settings: *settings})
	if err != nil {
		fmt.Fprintf(stderr, "netscore paper: %v\n", err)
		return ExitFailed
	}
	if err := report.WritePaper(stdout, *format, p, *plots); err != nil {
		return usageErr(stderr, "paper", err)
	}
	if err := writeVisuals(p.Overview, *htmlOut, *plots, stderr); err != nil {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}
