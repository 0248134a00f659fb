// Package cli is netscore's command line: argument parsing and the wiring
// of loaders, analysis and reports. cmd/netscore only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/report"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailed  = 1 // some model could not be analysed
	ExitUsage   = 2
	versionText = "netscore 0.1.0"
)

const usage = `netscore: count, score and compare neural networks for on-device use.

Usage:
  netscore inspect [flags] MODEL...          parameters, MACs, FLOPs and memory of ONNX models
  netscore score MODEL --top1 ACC [flags]    NetScore of one model, ranked among reference networks
  netscore compare [flags] MODEL|DIR|GLOB... rank many models (accuracies from --manifest), HTML report
  netscore zoo [flags]                       published reference networks, ranked
  netscore paper [flags]                     the NetScore paper's rankings, reproduced
  netscore check MODEL [budgets]             exit 1 when a model breaks a budget (for CI)
  netscore eval MODEL --data DIR|CSV [flags] top-1/top-5 of an image classifier through ONNX Runtime
  netscore bench MODEL [flags]               latency, throughput, peak RSS and GMAC/s in ONNX Runtime
  netscore version

Run 'netscore COMMAND -h' for a command's flags.
`

// Main runs the command line and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "inspect":
		return inspectCmd(args[1:], stdout, stderr)
	case "score":
		return scoreCmd(args[1:], stdout, stderr)
	case "compare":
		return compareCmd(args[1:], stdout, stderr)
	case "zoo":
		return zooCmd(args[1:], stdout, stderr)
	case "paper":
		return paperCmd(args[1:], stdout, stderr)
	case "check":
		return checkCmd(args[1:], stdout, stderr)
	case "eval":
		return evalCmd(args[1:], stdout, stderr)
	case "bench":
		return benchCmd(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionText)
		return ExitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "netscore: unknown command %q\n\n%s", args[0], usage)
	return ExitUsage
}

// repeated collects a repeatable NAME=VALUE flag.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

// parseInterleaved lets flags follow positional arguments, as users type
// them: netscore inspect model.onnx --layers.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// ParseDims reads 1x3x224x224 (also 1,3,224,224).
func ParseDims(s string) ([]int64, error) {
	if s == "" || s == "scalar" {
		return []int64{}, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == 'x' || r == 'X' || r == ',' })
	dims := make([]int64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || v < 0 || v > 1<<40 {
			return nil, fmt.Errorf("bad dim %q in %q (want sizes like 1x3x224x224)", p, s)
		}
		dims[i] = v
	}
	return dims, nil
}

// shapeFlags are --input and --dim, taken by every command that analyses
// or runs a model.
type shapeFlags struct{ inputs, dims repeated }

func (s *shapeFlags) register(fs *flag.FlagSet) {
	fs.Var(&s.inputs, "input", "set an input's shape, NAME=1x3x224x224 (repeatable)")
	fs.Var(&s.dims, "dim", "set a symbolic dim, NAME=N (repeatable)")
}

// options parses the flags into analysis options.
func (s *shapeFlags) options() (analyze.Options, error) { return parseBindings(s.inputs, s.dims) }

func parseBindings(inputs, dims repeated) (analyze.Options, error) {
	opt := analyze.Options{Inputs: map[string][]int64{}, Dims: map[string]int64{}}
	for _, s := range inputs {
		name, val, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return opt, fmt.Errorf("--input %q: want NAME=DIMS, e.g. input=1x3x224x224", s)
		}
		d, err := ParseDims(val)
		if err != nil {
			return opt, fmt.Errorf("--input %s: %v", name, err)
		}
		opt.Inputs[name] = d
	}
	for _, s := range dims {
		name, val, ok := strings.Cut(s, "=")
		v, err := strconv.ParseInt(val, 10, 64)
		if !ok || name == "" || err != nil {
			return opt, fmt.Errorf("--dim %q: want NAME=N, e.g. batch=1", s)
		}
		if v < 0 || v > 1<<40 {
			return opt, fmt.Errorf("--dim %s: %d is out of range [0, 2^40]", name, v)
		}
		opt.Dims[name] = v
	}
	return opt, nil
}

func inspectCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: table, json, csv or md")
	layers := fs.Bool("layers", false, "add a per-node table")
	macs := fs.String("macs", "core", "MAC convention: core (conv/matmul/recurrent) or all (plus elementwise, norm, pooling)")
	jobs := fs.Int("j", runtime.NumCPU(), "models analysed in parallel")
	netron := fs.String("netron", "", "also write a Netron attachment (per-node metrics) to this JSON `file`; one model only")
	var shapes shapeFlags
	shapes.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: netscore inspect [flags] MODEL...\n\nCounts parameters, MACs, FLOPs and activation memory of ONNX models.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	paths = expandFolders(paths)
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "netscore inspect: no model given")
		fs.Usage()
		return ExitUsage
	}
	if !contains(report.Formats, *format) {
		fmt.Fprintf(stderr, "netscore inspect: unknown --format %q (want %s)\n", *format, strings.Join(report.Formats, ", "))
		return ExitUsage
	}
	if *macs != string(inspect.Core) && *macs != string(inspect.All) {
		fmt.Fprintf(stderr, "netscore inspect: unknown --macs %q (want core or all)\n", *macs)
		return ExitUsage
	}
	if *netron != "" && len(paths) != 1 {
		fmt.Fprintln(stderr, "netscore inspect: --netron takes exactly one model")
		return ExitUsage
	}
	opt, err := shapes.options()
	if err != nil {
		fmt.Fprintf(stderr, "netscore inspect: %v\n", err)
		return ExitUsage
	}
	req := inspect.Request{Bind: opt, MACs: inspect.Convention(*macs), Layers: *layers || *netron != "", Jobs: *jobs}
	bar := newProgress(stderr, "models")
	results := inspect.Files(context.Background(), paths, req, bar.Update)
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

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// expandFolders replaces each folder argument by the model files under
// it; other arguments stay as given (a missing file fails on its own).
func expandFolders(args []string) []string {
	var out []string
	for _, a := range args {
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			if files, errs := expandPaths([]string{a}); len(errs) == 0 {
				out = append(out, files...)
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// writeFile creates path and writes it with fn.
func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %v", path, err)
	}
	return f.Close()
}

// Run is Main on the process's arguments and streams.
func Run() int { return Main(os.Args[1:], os.Stdout, os.Stderr) }
