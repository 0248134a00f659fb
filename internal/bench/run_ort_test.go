//go:build ort

package bench

// Tests of Run through ONNX Runtime. They need the library:
//
//	scripts/install-ort.sh && go test -tags ort ./internal/bench/

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/ort/orttest"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/units"
)

const lenet = "../../testdata/extra/lenet5.onnx"

func runs(n int) *int { return &n }

// quick is a short single-threaded job.
func quick(model string) Config {
	cfg := Defaults(model)
	cfg.Threads, cfg.Warmup, cfg.Runs = 1, 1, runs(3)
	return cfg
}

func mixedModel(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mixed.onnx")
	if err := os.WriteFile(path, orttest.Mixed(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func inputShapes(r *Result) map[string]string {
	m := map[string]string{}
	for _, in := range r.Inputs {
		m[in.Name] = in.DType + ":" + units.Shape(in.Shape)
	}
	return m
}

// TestRunDTypesAndDims benches a model with int64, bool, float16 and
// uint8 inputs and symbolic batch and seq dims (orttest.Mixed: core MACs
// batch*seq*12).
func TestRunDTypesAndDims(t *testing.T) {
	path := mixedModel(t)
	cfg := quick(path)
	cfg.Batch, cfg.IntMax = 3, 9
	cfg.Bind = analyze.Options{Dims: map[string]int64{"seq": 5}}
	r, err := Run(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ids": "int64:3x5", "mask": "bool:3x5", "h": "float16:3x5x4", "u": "uint8:3x5x4"}
	got := inputShapes(r)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("input %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if r.Batch != 3 || r.MACs == nil || *r.MACs != 3*5*4*3 || r.Runs != 3 || r.Warmup != 1 {
		t.Errorf("batch %d, macs %v, runs %d, warmup %d", r.Batch, r.MACs, r.Runs, r.Warmup)
	}
	// --input fixes the symbols it covers for the other inputs too.
	cfg = quick(path)
	cfg.Bind = analyze.Options{Inputs: map[string][]int64{"ids": {2, 7}}}
	if r, err = Run(context.Background(), cfg, nil); err != nil || r.Batch != 2 || *r.MACs != 2*7*4*3 {
		t.Errorf("--input ids=2x7: %v, batch %d macs %v", err, r.Batch, r.MACs)
	}
	// A free dim other than the batch that nothing sets is refused: the
	// run would measure a guessed size...
	var fe *analyze.FreeDimsError
	if _, err = Run(context.Background(), quick(path), nil); !errors.As(err, &fe) || request.Is(err) {
		t.Errorf("free seq: %v, want a FreeDimsError", err)
	}
	// ...unless --assume-free-dims accepts the guess, with a warning.
	cfg = quick(path)
	cfg.Bind = analyze.Options{AssumeFreeDims: 1}
	if r, err = Run(context.Background(), cfg, nil); err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "the figures are guessed") {
		t.Errorf("assumed seq: %v, warnings %q", err, r.Warnings)
	}
}

// TestRunUsageErrors: what the job got wrong is a request error, a model
// that cannot be run is not.
func TestRunUsageErrors(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"batch of a fixed model": func(c *Config) { c.Batch = 4 },
		"unknown input":          func(c *Config) { c.Bind.Inputs = map[string][]int64{"nope": {1, 1, 32, 32}} },
		"wrong rank":             func(c *Config) { c.Bind.Inputs = map[string][]int64{"input": {1, 32, 32}} },
		"fixed dim changed":      func(c *Config) { c.Bind.Inputs = map[string][]int64{"input": {2, 1, 32, 32}} },
		"unknown dim":            func(c *Config) { c.Bind.Dims = map[string]int64{"batch": 2} },
	} {
		cfg := quick(lenet)
		edit(&cfg)
		_, err := Run(context.Background(), cfg, nil)
		if !request.Is(err) {
			t.Errorf("%s: %v, want a request error", name, err)
		}
	}
	_, err := Run(context.Background(), quick("no-such.onnx"), nil)
	if err == nil || request.Is(err) {
		t.Errorf("missing model: %v, want a runtime failure", err)
	}
}

// TestRunProgressAndCancel: progress ends at the runs asked for; a
// cancelled context stops the job.
func TestRunProgressAndCancel(t *testing.T) {
	cfg := quick(lenet)
	cfg.Warmup, cfg.Runs = 2, runs(4)
	var last [2]int
	calls := 0
	if _, err := Run(context.Background(), cfg, func(done, total int) { last = [2]int{done, total}; calls++ }); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != [2]int{4, 4} {
		t.Errorf("%d progress calls, last %v, want the last at 4 of 4", calls, last)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, cfg, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
