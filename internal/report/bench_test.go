package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/report"
)

func benchResult() *bench.Result {
	macs, params, flops, g := int64(416520), int64(61706), int64(840000), 1.23456
	return &bench.Result{
		Model: "m.onnx", Runtime: "onnxruntime", RuntimeVersion: "1.30.0", RuntimeLibrary: "/lib/libonnxruntime.so",
		Threads: 2, Batch: 4, Seed: 1,
		Inputs:        []inspect.Tensor{{Name: "x", DType: "float32", Shape: []int64{4, 1, 32, 32}}, {Name: "s", DType: "int64", Shape: []int64{}}},
		RuntimeLoadMs: 12.3456, SessionCreateMs: 0.85, Warmup: 5, Runs: 100, MeasuredS: 1.25,
		LatencyMs:      bench.Latency{Min: 0.5, P50: 0.75, P90: 1.5, P99: 12.5, Max: 1500, Mean: 1, Stdev: 0.25},
		ThroughputPerS: 320, PeakRSSBytes: 50 << 20, MACsConvention: "core",
		Params: &params, MACs: &macs, FLOPs: &flops, AchievedGMACsPerS: &g, Warnings: []string{},
	}
}

func TestWriteBenchTable(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteBench(&buf, "table", benchResult()); err != nil {
		t.Fatal(err)
	}
	want := `model        m.onnx
runtime      onnxruntime 1.30.0, CPU, 2 threads
inputs       x  float32  4x1x32x32; s  int64  scalar  (batch 4, seed 1)
session      created in 850.0 µs (library loaded in 12.35 ms)
runs         100 timed in 1.250 s, after 5 warm-up
latency      p50 750.0 µs   p90 1.500 ms   p99 12.50 ms
             min 500.0 µs   max 1.500 s   mean 1.000 ms ± 250.0 µs
throughput   320.0/s (items: batch × runs / time)
peak RSS     50.00 MiB
MACs         416.5 K (core), achieved 1.23 GMAC/s at p50
params       61.71 K
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriteBenchTableUncounted(t *testing.T) {
	r := benchResult()
	r.Threads, r.Batch, r.ThroughputPerS, r.MACs, r.Params = 0, 1, 42.5, nil, nil
	var buf bytes.Buffer
	if err := report.WriteBench(&buf, "table", r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CPU, ORT's default threads\n", "throughput   42.50/s\n", "MACs         not counted (see the warning)\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("no %q in\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), "params") {
		t.Errorf("params without counts:\n%s", buf.String())
	}
}

func TestWriteBenchJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteBench(&buf, "json", benchResult()); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	lat := m["latency_ms"].(map[string]any)
	if m["runtime_load_ms"] != 12.3456 || m["macs"] != 416520.0 || lat["p99"] != 12.5 || m["achieved_gmacs_per_s"] != 1.23456 || len(m) != 23 {
		t.Errorf("%d keys: %v", len(m), m)
	}
	if err := report.WriteBench(&buf, "csv", benchResult()); err == nil {
		t.Error("csv: no error")
	}
}
