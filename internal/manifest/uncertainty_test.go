package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eval writes n beside the top-1, bench the median's interval beside
// latency_ms; both read back, and a bad cell is the row's problem.
func TestManifestUncertaintyColumns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "acc.csv")
	if _, err := Update(path, Row{Model: "m.onnx", Top1: 71.5, HasTop1: true, N: 50000}); err != nil {
		t.Fatal(err)
	}
	if _, err := Update(path, Row{Model: "m.onnx", LatencyMS: 12.5, LatencyCILow: 12.25, LatencyCIHigh: 12.75}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "model,top1,top5,notes,n,latency_ms,latency_ci_low_ms,latency_ci_high_ms\nm.onnx,71.5,,,50000,12.5,12.25,12.75\n"
	if string(got) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", got, want)
	}
	rows, bad, err := Read(path)
	if err != nil || len(bad) > 0 || len(rows) != 1 {
		t.Fatalf("%v %v %v", rows, bad, err)
	}
	if r := rows[0]; r.N != 50000 || r.LatencyCILow != 12.25 || r.LatencyCIHigh != 12.75 {
		t.Errorf("read back %+v", r)
	}
	// A top-1 without n (typed by hand through a Store) clears the old n.
	if _, err := Update(path, Row{Model: "m.onnx", Top1: 72, HasTop1: true}); err != nil {
		t.Fatal(err)
	}
	if rows, _, _ = Read(path); rows[0].N != 0 || rows[0].LatencyMS != 12.5 {
		t.Errorf("after a top-1 without n: %+v", rows[0])
	}

	ypath := filepath.Join(dir, "acc.yaml")
	if _, err := Update(ypath, Row{Model: "m.onnx", Top1: 71.5, HasTop1: true, N: 1000}); err != nil {
		t.Fatal(err)
	}
	if _, err := Update(ypath, Row{Model: "m.onnx", LatencyMS: 3, LatencyCILow: 2.9, LatencyCIHigh: 3.2}); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(ypath)
	if want := "- model: m.onnx\n  top1: 71.5\n  n: 1000\n  latency_ms: 3\n  latency_ci_low_ms: 2.9\n  latency_ci_high_ms: 3.2\n"; string(got) != want {
		t.Errorf("yaml:\n%s\nwant:\n%s", got, want)
	}

	bads := map[string]string{
		"model,top1,n\na,70,0\n":                                                   "not a positive whole number",
		"model,top1,n\na,70,1.5\n":                                                 "not a positive whole number",
		"model,top1,n,latency_ms\na,,100,3\n":                                      "n without a top-1",
		"model,top1,latency_ci_low_ms,latency_ci_high_ms\na,70,1,2\n":              "without latency_ms",
		"model,top1,latency_ms,latency_ci_low_ms,latency_ci_high_ms\na,70,3,1,2\n": "does not hold",
	}
	for text, msg := range bads {
		p := filepath.Join(dir, "bad.csv")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, bad, err := Read(p)
		if err != nil || len(bad) != 1 || !strings.Contains(bad[0].Error(), msg) {
			t.Errorf("%q: %v %v, want %q", text, bad, err, msg)
		}
	}
}
