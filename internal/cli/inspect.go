package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/report"
)

const inspectUsage = "Usage: netscore inspect [flags] MODEL...\n\nCounts parameters, MACs, FLOPs and activation memory of ONNX models.\n\nFlags:\n"

func inspectCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inspect", inspectUsage, stderr)
	format := fs.String("format", "table", "output format: table, json, csv or md")
	layers := fs.Bool("layers", false, "add a per-node table")
	macs := fs.String("macs", "core", "MAC convention: core (conv/matmul/recurrent) or all (plus elementwise, norm, pooling)")
	jobs := fs.Int("j", runtime.NumCPU(), "models analysed in parallel")
	netron := fs.String("netron", "", "also write a Netron attachment (per-node metrics) to this JSON `file`; one model only")
	var shapes shapeFlags
	shapes.register(fs)
	shapes.registerParams(fs)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	paths = inspect.ExpandFolders(paths)
	switch {
	case len(paths) == 0:
		fmt.Fprintln(stderr, "netscore inspect: no model given")
		fs.Usage()
		return ExitUsage
	case !contains(report.Formats, *format):
		return usageErr(stderr, "inspect", fmt.Errorf("unknown --format %q (want %s)", *format, strings.Join(report.Formats, ", ")))
	case *macs != string(inspect.Core) && *macs != string(inspect.All):
		return usageErr(stderr, "inspect", fmt.Errorf("unknown --macs %q (want core or all)", *macs))
	case *netron != "" && len(paths) != 1:
		return usageErr(stderr, "inspect", errors.New("--netron takes exactly one model"))
	}
	bind, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "inspect", err)
	}
	req := inspect.Request{Bind: bind, MACs: inspect.Convention(*macs), Layers: *layers || *netron != "", Jobs: *jobs}
	bar := newProgress(stderr, "models")
	results := inspect.Files(ctx, paths, req, bar.Update)
	bar.Done()
	if *netron != "" && results[0].Err == nil {
		if err := writeFile(*netron, func(w io.Writer) error { return report.WriteNetron(w, results[0].Summary) }); err != nil {
			fmt.Fprintf(stderr, "netscore: %v\n", err)
			return ExitFailed
		}
		if !*layers {
			results[0].Summary.Layers = nil
		}
	}
	var good []*inspect.Summary
	failed, misbound := 0, 0
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(stderr, "netscore: %v\n", r.Err)
			failed++
			var be *analyze.BindingError
			if errors.As(r.Err, &be) {
				misbound++
			}
			continue
		}
		good = append(good, r.Summary)
	}
	// Only the single-model card and JSON carry warnings: repeat them on
	// stderr for the other forms, so no unbound dim passes unnoticed.
	if card := *format == "table" && len(good) == 1 && len(paths) == 1; !card && *format != "json" {
		for _, s := range good {
			for _, w := range s.Warnings {
				fmt.Fprintf(stderr, "netscore: %s: warning: %s\n", s.Model, w)
			}
		}
	}
	if len(good) > 0 || *format == "json" {
		write := report.Write
		if *format == "json" && len(paths) > 1 {
			write = func(w io.Writer, _ string, ss []*inspect.Summary) error { return report.WriteJSONArray(w, ss) }
		}
		if err := write(stdout, *format, good); err != nil {
			fmt.Fprintf(stderr, "netscore: %v\n", err)
			return ExitFailed
		}
	}
	if misbound == len(paths) { // --input fits none of the models: a usage error
		return ExitUsage
	}
	if failed > 0 {
		if len(paths) > 1 {
			fmt.Fprintf(stderr, "netscore: %d of %d models failed\n", failed, len(paths))
		}
		return ExitFailed
	}
	return ExitOK
}
