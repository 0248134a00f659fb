package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/report"
)

const inspectUsage = "Usage: netscore inspect [flags] MODEL...\n\nCounts parameters, MACs, FLOPs and activation memory of ONNX and TensorFlow Lite models.\n\nFlags:\n"

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
	paths, folderErrs := inspect.ExpandFolders(paths)
	for _, err := range folderErrs {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
	}
	switch {
	case len(paths) == 0 && len(folderErrs) == 0:
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
	// One set of flags over many models: each takes the --input and
	// --value names it has; the others are listed below.
	bind.SkipUnknownInputs = len(paths) > 1
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
	failed, misbound := len(folderErrs), 0 // a folder without models fails like a model
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
	for _, s := range good {
		if len(s.SkippedInputs) > 0 {
			fmt.Fprintf(stderr, "netscore: %s: no input %s; analysed without it\n", s.Model, strings.Join(s.SkippedInputs, ", "))
		}
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
		if *format == "json" && len(paths)+len(folderErrs) > 1 {
			write = func(w io.Writer, _ string, ss []*inspect.Summary) error { return report.WriteJSONArray(w, ss) }
		}
		if err := write(stdout, *format, good); err != nil {
			fmt.Fprintf(stderr, "netscore: %v\n", err)
			return ExitFailed
		}
	}
	if unused := unusedInputs(bind, good); len(unused) > 0 && len(good) > 0 {
		fmt.Fprintf(stderr, "netscore inspect: %s fits none of the models\n", strings.Join(unused, ", "))
		return ExitUsage
	}
	if len(paths) > 0 && misbound == len(paths) { // --input fits none of the models: a usage error
		return ExitUsage
	}
	if failed > 0 {
		if total := len(paths) + len(folderErrs); total > 1 {
			fmt.Fprintf(stderr, "netscore: %d of %d models failed\n", failed, total)
		}
		return ExitFailed
	}
	return ExitOK
}

// unusedInputs are the --input and --value names no analysed model has.
func unusedInputs(bind analyze.Options, ss []*inspect.Summary) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(bind.Inputs)) {
		if skippedByAll(name, ss) {
			out = append(out, "--input "+name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(bind.Values)) {
		if skippedByAll(name, ss) {
			out = append(out, "--value "+name)
		}
	}
	return out
}

func skippedByAll(name string, ss []*inspect.Summary) bool {
	for _, s := range ss {
		if !slices.Contains(s.SkippedInputs, name) {
			return false
		}
	}
	return true
}
