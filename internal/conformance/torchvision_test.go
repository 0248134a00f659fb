package conformance

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
)

const modelDir = "../../testdata/models"

// readCSV reads a CSV with '#' comment lines into maps by header.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("bad number %q", s)
	}
	return v
}

func analyzeFile(t *testing.T, path string, opt analyze.Options) *analyze.Result {
	t.Helper()
	m, err := onnx.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Analyze(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestTorchvisionExports checks every exported network against counts
// made independently in PyTorch (testdata/gen/export_torchvision.py, at
// the aten level and from the modules): weight elements exact, MACs within
// 0.5% (in practice exact), every node costed.
func TestTorchvisionExports(t *testing.T) {
	for _, row := range readCSV(t, filepath.Join(modelDir, "manifest.csv")) {
		row := row
		t.Run(row["file"], func(t *testing.T) {
			r := analyzeFile(t, filepath.Join(modelDir, row["file"]), analyze.Options{})
			if r.NodesCosted != r.Nodes {
				t.Errorf("%d of %d nodes costed; uncosted %v", r.NodesCosted, r.Nodes, r.Uncosted)
			}
			// Every weight element the export holds, counted in PyTorch
			// from the modules (BatchNorm folded where torch folds it).
			if want := num(t, row["torch_params_folded"]); r.Params+r.Buffers != want {
				t.Errorf("params+buffers = %d+%d = %d, torch says %d", r.Params, r.Buffers, r.Params+r.Buffers, want)
			}
			if row["bn_folded"] == "false" { // BatchNorm kept: params and buffers as torch has them
				if want := num(t, row["torch_params"]); r.Params != want {
					t.Errorf("params = %d, torch parameters() = %d", r.Params, want)
				}
				if want := num(t, row["torch_buffers"]); r.Buffers != want {
					t.Errorf("buffers = %d, torch running stats = %d", r.Buffers, want)
				}
			}
			want := float64(num(t, row["torch_macs"]))
			if rel := math.Abs(float64(r.MACs)-want) / want; rel > 0.005 {
				t.Errorf("MACs = %d, aten-level count %d (%.2f%% off)", r.MACs, int64(want), 100*rel)
			}
		})
	}
}

// TestTorchvisionPublished checks MACs against torchvision's own published
// GFLOPS (which are GMACs) and, for exports that keep BatchNorm, params
// against its published num_params.
func TestTorchvisionPublished(t *testing.T) {
	published := map[string]map[string]string{}
	for _, row := range readCSV(t, "../../testdata/reference/torchvision_published.csv") {
		published[row["model"]] = row
	}
	checked := 0
	for _, row := range readCSV(t, filepath.Join(modelDir, "manifest.csv")) {
		pub, ok := published[row["model"]]
		if !ok || pub["gflops"] == "" && row["bn_folded"] != "false" {
			continue
		}
		r := analyzeFile(t, filepath.Join(modelDir, row["file"]), analyze.Options{})
		if g := pub["gflops"]; g != "" {
			gmacs, _ := strconv.ParseFloat(g, 64)
			// Published figures are rounded: allow 0.5% or half the last digit.
			decimals := len(g) - strings.IndexByte(g, '.') - 1
			tol := math.Max(0.005*gmacs, 0.5*math.Pow(10, -float64(decimals)))
			if got := float64(r.MACs) / 1e9; math.Abs(got-gmacs) > tol {
				t.Errorf("%s: %.4f GMACs, torchvision publishes %s", row["file"], got, g)
			}
			checked++
		}
		if row["bn_folded"] == "false" {
			if want := num(t, pub["num_params"]); r.Params != want {
				t.Errorf("%s: params %d, torchvision publishes %d", row["file"], r.Params, want)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d published figures checked", checked)
	}
}

// TestDynamicBatch: binding the symbolic batch dim scales MACs linearly
// and shows in the input shape.
func TestDynamicBatch(t *testing.T) {
	path := filepath.Join(modelDir, "resnet50_op13_dyn.onnx")
	one := analyzeFile(t, path, analyze.Options{})
	eight := analyzeFile(t, path, analyze.Options{Dims: map[string]int64{"batch": 8}})
	if eight.MACs != 8*one.MACs || eight.Params != one.Params {
		t.Errorf("batch 8: MACs %d params %d; batch 1: MACs %d params %d", eight.MACs, eight.Params, one.MACs, one.Params)
	}
	if got := eight.Inputs[0].Shape; got[0] != 8 {
		t.Errorf("input shape %v", got)
	}
	warned := false
	for _, w := range one.Warnings {
		warned = warned || strings.Contains(w, `"batch"`)
	}
	if !warned {
		t.Errorf("unset batch dim gave no warning: %v", one.Warnings)
	}
}
