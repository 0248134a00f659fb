package tflite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
)

// joined writes a map as "key:value;..." sorted by key, as the expected
// files write it.
func joined[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%v", k, m[k])
	}
	return strings.Join(parts, ";")
}

func checkQuant(t *testing.T, q *analyze.Quantization, row map[string]string) {
	t.Helper()
	if q == nil {
		t.Fatal("no quantization")
	}
	if q.Scheme != row["scheme"] {
		t.Errorf("scheme %q, want %q", q.Scheme, row["scheme"])
	}
	if q.Weights != row["weights"] {
		t.Errorf("weights %q, want %q", q.Weights, row["weights"])
	}
	if q.Activations != row["activations"] {
		t.Errorf("activations %q, want %q", q.Activations, row["activations"])
	}
	if got := joined(q.Layers); got != row["layers"] {
		t.Errorf("layers %q, want %q", got, row["layers"])
	}
}

// TestQuantFixtures checks the quantization fixtures of
// testdata/gen/make_tflite_quant.py against the schemes, params, weight
// bytes (INT4 packed two a byte) and activation bytes that script writes
// by hand. fp16_dequantize holds the DEQUANTIZE case: the stored float16
// weights are the params, once; the float32 copies are activations.
func TestQuantFixtures(t *testing.T) {
	dir := filepath.Join(fixtures, "quant")
	for _, row := range readCSV(t, filepath.Join(dir, "expected.csv")) {
		t.Run(row["model"], func(t *testing.T) {
			r := analyzeFile(t, filepath.Join(dir, row["model"]))
			checkQuant(t, r.Quantization, row)
			if want := num(t, row["params"]); r.Params != want {
				t.Errorf("params %d, want %d", r.Params, want)
			}
			if got := joined(r.WeightBytesByDType); got != row["weight_bytes_by_dtype"] {
				t.Errorf("weight bytes %s, want %s", got, row["weight_bytes_by_dtype"])
			}
			if want := num(t, row["activation_bytes"]); r.ActivationBytes != want {
				t.Errorf("activation bytes %d, want %d", r.ActivationBytes, want)
			}
			if r.NodesCosted != r.Nodes {
				t.Errorf("%d of %d nodes costed: %v", r.NodesCosted, r.Nodes, r.Uncosted)
			}
			if len(r.Warnings) > 0 {
				t.Errorf("warnings: %q", r.Warnings)
			}
		})
	}
}

// TestQuantReal checks the tflite-micro models against the schemes
// make_tflite_quant.py --real decides from flatc's JSON (no netscore).
func TestQuantReal(t *testing.T) {
	for _, row := range readCSV(t, filepath.Join(fixtures, "quant", "real.csv")) {
		t.Run(row["model"], func(t *testing.T) {
			path := filepath.Join(fixtures, row["model"])
			if _, err := os.Stat(path); err != nil {
				path = filepath.Join(sharedModels(), row["model"])
				if _, err := os.Stat(path); err != nil {
					t.Skipf("%s is in neither %s nor a shared/models/tflite above it", row["model"], fixtures)
				}
			}
			checkQuant(t, analyzeFile(t, path).Quantization, row)
		})
	}
}

// A rule's output type must not stick from one model to the next: after
// a float model, person_detect's layers still write the int8 its file
// declares (the conv and matmul rules once kept the first type they saw).
func TestOutputTypeNotShared(t *testing.T) {
	analyzeFile(t, filepath.Join(fixtures, "quant", "float32.tflite"))
	r := analyzeFile(t, filepath.Join(fixtures, "person_detect.tflite"))
	if got := r.Outputs[0].DType; got != "int8" {
		t.Errorf("output type %s after a float model, want int8 (flatc: type INT8)", got)
	}
}
