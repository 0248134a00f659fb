// Package manifest keeps what is known of each model beyond its file:
// measured top-1/top-5, latency and notes, in a CSV or YAML file beside the
// models. One row type serves reading (score, compare, check) and writing
// (eval, bench); Store is the interface a server backs with its database.
package manifest

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format"
	"github.com/netscore/netscore/internal/units"
)

// Row is one model's entry.
type Row struct {
	Line  int    `json:"-"` // row number in the file, for messages
	Model string `json:"model"`
	// Top1 and Top5 are percentages. A row without a top-1 holds only a
	// latency (bench before any eval); Top5 0 means not measured.
	Top1    float64 `json:"top1,omitempty"`
	HasTop1 bool    `json:"has_top1"`
	Top5    float64 `json:"top5,omitempty"`
	// N is how many images the top-1 was measured on (netscore eval), 0
	// when not known: it gives the top-1 its binomial interval.
	N int `json:"n,omitempty"`
	// LatencyMS is a measured median latency (netscore bench), 0 when none.
	LatencyMS float64 `json:"latency_ms,omitempty"`
	// LatencyCILow and LatencyCIHigh are the 95 % bootstrap interval of
	// that median (netscore bench), both 0 when not known.
	LatencyCILow  float64 `json:"latency_ci_low_ms,omitempty"`
	LatencyCIHigh float64 `json:"latency_ci_high_ms,omitempty"`
	// Input sets the model's input shapes and values, as --input and
	// --value do: x=1x3x640x640 or input=1x512;sr=16000 (ParseInput).
	Input string `json:"input,omitempty"`
	Notes string `json:"notes,omitempty"`
	// Path is the model file the entry names, resolved against the
	// manifest's folder and then the working directory; "" for a bare name.
	Path string `json:"-"`
}

// Store holds rows: a manifest file, or a server's database.
type Store interface {
	// Rows returns the good rows and the problems of the bad ones.
	Rows(ctx context.Context) ([]Row, []error, error)
	// Put records a row, replacing the model's own; it reports whether
	// one was there.
	Put(ctx context.Context, row Row) (updated bool, err error)
}

// File is a manifest file as a Store.
type File string

// Rows reads the file.
func (f File) Rows(ctx context.Context) ([]Row, []error, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return Read(string(f))
}

// Put updates the file in place.
func (f File) Put(ctx context.Context, row Row) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return Update(string(f), row)
}

// modelKeys are the columns (or YAML keys) naming the model, in the order
// they are tried.
var modelKeys = []string{"model", "path", "name", "file"}

// ModelName is a file's name without folder and extension: what a bare
// manifest entry names.
func ModelName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// LooksLikePath tells a manifest's file paths from bare model names.
func LooksLikePath(entry string) bool {
	return strings.ContainsAny(entry, `/\`) || format.IsModelFile(entry)
}

// Matches tells whether a manifest entry names the model given as model (a
// path): the same text, the same file (the entry resolved against the
// manifest's folder, then the working directory, as Read does), or a bare
// name equal to the model's file name without extension.
func Matches(entry, model, manifestDir string) bool {
	entry = strings.TrimSpace(entry)
	if entry == "" {
		return false
	}
	if entry == model || filepath.Clean(entry) == filepath.Clean(model) {
		return true
	}
	if !LooksLikePath(entry) {
		return entry == ModelName(model)
	}
	mst, err := os.Stat(model)
	if err != nil {
		return false
	}
	for _, cand := range []string{filepath.Join(manifestDir, entry), entry} {
		if st, err := os.Stat(cand); err == nil && !st.IsDir() {
			return os.SameFile(st, mst)
		}
	}
	return false
}

// Lookup finds a model's row in a store, by file, path or name; name is
// the store's name in messages.
func Lookup(ctx context.Context, store Store, name, model string) (Row, error) {
	rows, bad, err := store.Rows(ctx)
	if err != nil {
		return Row{}, err
	}
	for _, r := range rows {
		if (r.Path != "" && sameFile(r.Path, model)) || r.Model == model || r.Model == ModelName(model) {
			return r, nil
		}
	}
	if len(bad) > 0 {
		return Row{}, fmt.Errorf("%s has no usable row for %s (%v)", name, model, bad[0])
	}
	return Row{}, fmt.Errorf("%s has no row for %s", name, model)
}

// sameFile compares two paths by the file they name.
func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// ParseInput reads an input cell: items NAME=SPEC joined by ";". A SPEC
// with an "x" (1x3x640x640) or written shape:N is a shape; a number, a
// list 1,2,3 or value:V is a value (sr=16000).
func ParseInput(cell string) (analyze.Options, error) {
	opt := analyze.Options{}
	for _, item := range strings.Split(cell, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, spec, ok := strings.Cut(item, "=")
		name, spec = strings.TrimSpace(name), strings.TrimSpace(spec)
		if !ok || name == "" || spec == "" {
			return opt, fmt.Errorf("%q: want NAME=1x3x224x224 or NAME=VALUE", item)
		}
		shape, isShape := strings.CutPrefix(spec, "shape:")
		value, isValue := strings.CutPrefix(spec, "value:")
		switch {
		case isShape || !isValue && strings.ContainsAny(spec, "xX"):
			dims, err := units.ParseShape(shape)
			if err != nil {
				return opt, err
			}
			if slices.Contains(dims, 0) {
				return opt, fmt.Errorf("%s: a dim of size 0", item)
			}
			if opt.Inputs == nil {
				opt.Inputs = map[string][]int64{}
			}
			opt.Inputs[name] = dims
		default:
			var vals []float64
			for _, p := range strings.Split(value, ",") {
				v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return opt, fmt.Errorf("%s: %q is not a number", item, p)
				}
				vals = append(vals, v)
			}
			if opt.Values == nil {
				opt.Values = map[string][]float64{}
			}
			opt.Values[name] = vals
		}
	}
	return opt, nil
}

// Bind adds the row's input shapes and values to over's; over's (flags
// given for this one model) win.
func (r Row) Bind(over analyze.Options) (analyze.Options, error) {
	if r.Input == "" {
		return over, nil
	}
	opt, err := ParseInput(r.Input)
	if err != nil {
		return over, fmt.Errorf("line %d: input %q: %v", r.Line, r.Input, err)
	}
	return opt.Merge(over), nil
}
