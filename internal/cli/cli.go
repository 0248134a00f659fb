// Package cli is netscore's command line: it turns flags into the library's
// request structs, calls the library and prints what package report
// renders. It computes nothing itself. cmd/netscore only calls Run.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/units"
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
  netscore inspect [flags] MODEL...          parameters, MACs, FLOPs and memory of ONNX and TFLite models
  netscore score MODEL --top1 ACC [flags]    NetScore of one model, ranked among reference networks
  netscore compare [flags] MODEL|DIR|GLOB... rank many models (accuracies from --manifest), HTML report
  netscore zoo [flags]                       published reference networks, ranked
  netscore paper [flags]                     the NetScore paper's rankings, reproduced
  netscore sensitivity [flags] [MODEL...]    how stable a NetScore ranking is under other exponents
  netscore check MODEL [budgets]             exit 1 when a model breaks a budget (for CI)
  netscore eval MODEL --data DIR|CSV [flags] top-1/top-5 of an image classifier through ONNX Runtime
  netscore bench MODEL [flags]               latency, throughput, peak RSS and GMAC/s in ONNX Runtime
  netscore serve [flags]                     the leaderboard as a web site and JSON API (SQLite or PostgreSQL)
  netscore worker --db URL --server URL      run on a device: measure the models submitted to it
  netscore submit bench MODEL --devices …    queue latency measurements on the fleet's devices
  netscore submit eval MODEL --data DIR      accuracy in shards over the fleet, merged exactly
  netscore jobs --db URL                     the fleet's jobs with state, device and result
  netscore ort install|status                install ONNX Runtime for eval and bench; where it is looked for
  netscore version

Run 'netscore COMMAND -h' for a command's flags.
`

// Main runs the command line and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return MainContext(context.Background(), args, stdout, stderr)
}

// MainContext is Main under a context: cancelling it stops the work.
func MainContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) int{
		"inspect": inspectCmd, "score": scoreCmd, "compare": compareCmd, "zoo": zooCmd,
		"paper": paperCmd, "check": checkCmd, "eval": evalCmd, "bench": benchCmd, "ort": ortCmd, "serve": serveCmd,
		"worker": workerCmd, "submit": submitCmd, "jobs": jobsCmd, "sensitivity": sensitivityCmd,
	}
	if cmd, ok := cmds[args[0]]; ok {
		if asksHelp(args[1:]) { // help is output asked for: stdout
			return cmd(ctx, []string{"-h"}, stdout, stdout)
		}
		return cmd(ctx, args[1:], stdout, stderr)
	}
	switch args[0] {
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionText)
		return ExitOK
	case "help", "-h", "--help":
		if len(args) > 1 { // netscore help inspect
			if cmd, ok := cmds[args[1]]; ok {
				return cmd(ctx, []string{"-h"}, stdout, stdout)
			}
			fmt.Fprintf(stderr, "netscore help: unknown command %q\n\n%s", args[1], usage)
			return ExitUsage
		}
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "netscore: unknown command %q\n\n%s", args[0], usage)
	return ExitUsage
}

// Run is Main on the process's arguments and streams; Ctrl-C cancels the
// work in progress.
func Run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return MainContext(ctx, os.Args[1:], os.Stdout, os.Stderr)
}

// asksHelp reports whether a command's arguments ask for its help.
func asksHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// newFlags is a command's flag set, its usage text printed by -h.
func newFlags(name, text string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, text)
		printFlags(stderr, fs)
	}
	return fs
}

// printFlags lists a command's flags as users type them and the README
// writes them: --name VALUE, then what it does and its default.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		if def := f.DefValue; def != "" && def != "0" && def != "false" && def != "[]" {
			if kind == "string" {
				def = strconv.Quote(def)
			}
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
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

// shapeFlags are --input, --dim, --value and --assume-free-dims, taken by
// every command that analyses or runs a model, and --params, taken by
// those that count.
type shapeFlags struct {
	inputs, dims, values repeated
	assume               int64
	params               string
}

func (s *shapeFlags) register(fs *flag.FlagSet) {
	fs.Var(&s.inputs, "input", "set an input's shape, `NAME=1x3x224x224` (repeatable)")
	fs.Var(&s.dims, "dim", "set a symbolic dim, `NAME=N` (repeatable)")
	fs.Var(&s.values, "value", "set an input's value, `NAME=V` or NAME=V1,V2,... (repeatable; e.g. sr=16000)")
	fs.Int64Var(&s.assume, "assume-free-dims", 0, "accept guessed figures: free dims (other than batch) no flag sets take size `N`, and the output says so")
}

// registerParams adds --params, the params convention.
func (s *shapeFlags) registerParams(fs *flag.FlagSet) {
	fs.StringVar(&s.params, "params", string(analyze.Learned), "params `convention`: learned (one-element literals left out) or stored (every stored tensor read as data)")
}

// options parses the flags into analysis options. A zero size is a usage
// error: no model runs on an empty image.
func (s *shapeFlags) options() (analyze.Options, error) {
	opt := analyze.Options{Inputs: map[string][]int64{}, Dims: map[string]int64{}, AssumeFreeDims: s.assume, Params: analyze.ParamsConvention(s.params)}
	if s.params != "" && s.params != string(analyze.Learned) && s.params != string(analyze.Stored) {
		return opt, fmt.Errorf("unknown --params %q (want %s or %s)", s.params, analyze.Learned, analyze.Stored)
	}
	if s.assume < 0 || s.assume > units.MaxDim {
		return opt, fmt.Errorf("--assume-free-dims %d is out of range [1, 2^40]", s.assume)
	}
	for _, s := range s.inputs {
		name, val, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return opt, fmt.Errorf("--input %q: want NAME=DIMS, e.g. input=1x3x224x224", s)
		}
		d, err := units.ParseShape(val)
		if err != nil {
			return opt, fmt.Errorf("--input %s: %v", name, err)
		}
		if slices.Contains(d, 0) {
			return opt, fmt.Errorf("--input %s=%s: a dim of size 0 (want sizes >= 1)", name, val)
		}
		opt.Inputs[name] = d
	}
	for _, s := range s.dims {
		name, val, ok := strings.Cut(s, "=")
		v, err := strconv.ParseInt(val, 10, 64)
		if !ok || name == "" || err != nil {
			return opt, fmt.Errorf("--dim %q: want NAME=N, e.g. batch=1", s)
		}
		if v < 1 || v > units.MaxDim {
			return opt, fmt.Errorf("--dim %s: %d is out of range [1, 2^40]", name, v)
		}
		opt.Dims[name] = v
	}
	for _, s := range s.values {
		name, val, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return opt, fmt.Errorf("--value %q: want NAME=V, e.g. sr=16000", s)
		}
		v, err := parseValues(val)
		if err != nil {
			return opt, fmt.Errorf("--value %s: %v", name, err)
		}
		if opt.Values == nil {
			opt.Values = map[string][]float64{}
		}
		opt.Values[name] = v
	}
	return opt, nil
}

// maxValues bounds a --value literal: it sets control inputs (a sample
// rate, a flag, a few sizes), not tensors of data.
const maxValues = 64

// parseValues reads 16000, 0.5, or a short list 1,2,3 (brackets allowed).
func parseValues(s string) ([]float64, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "["), "]")
	parts := strings.Split(s, ",")
	if len(parts) > maxValues {
		return nil, fmt.Errorf("%d values; at most %d", len(parts), maxValues)
	}
	out := make([]float64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		out[i] = v
	}
	return out, nil
}

// setFlags are the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// isSet reports whether a flag was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool { return setFlags(fs)[name] }

func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

func usageErr(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "netscore %s: %v\n", cmd, err)
	return ExitUsage
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

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
