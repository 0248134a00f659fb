//go:build ort

package cli

// Tests of `netscore bench` through ONNX Runtime. They need the library:
//
//	scripts/install-ort.sh && go test -tags ort ./internal/cli/ -run Bench

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/ort"
)

const benchLenet = "../../testdata/extra/lenet5.onnx"

func benchRunCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = benchCmd(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func benchJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := benchRunCmd(t, append(args, "--format", "json")...)
	if code != ExitOK {
		if strings.Contains(errs, "ONNX Runtime not found") {
			t.Fatalf("%s(CI must run scripts/install-ort.sh before go test -tags ort)", errs)
		}
		t.Fatalf("bench %v: exit %d: %s", args, code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	return m
}

// benchInspectJSON is `netscore inspect --format json` of a model.
func benchInspectJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	if code := inspectCmd(context.Background(), append(args, "--format", "json"), &out, &errb); code != ExitOK {
		t.Fatalf("inspect %v: exit %d: %s", args, code, errb.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBenchJSON(t *testing.T) {
	m := benchJSON(t, benchLenet, "--threads", "1", "--warmup", "2", "--runs", "7")
	for _, k := range []string{"model", "runtime", "runtime_version", "runtime_library", "threads", "batch", "seed",
		"inputs", "runtime_load_ms", "session_create_ms", "warmup", "runs", "measured_s", "latency_ms",
		"throughput_per_s", "peak_rss_bytes", "macs_convention", "params", "macs", "flops", "achieved_gmacs_per_s", "warnings"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %v", k, m)
		}
	}
	if m["runs"] != 7.0 || m["warmup"] != 2.0 || m["threads"] != 1.0 || m["batch"] != 1.0 || m["runtime"] != "onnxruntime" {
		t.Errorf("runs %v warmup %v threads %v batch %v runtime %v", m["runs"], m["warmup"], m["threads"], m["batch"], m["runtime"])
	}
	lat := m["latency_ms"].(map[string]any)
	get := func(k string) float64 { return lat[k].(float64) }
	if !(0 < get("min") && get("min") <= get("p50") && get("p50") <= get("p90") && get("p90") <= get("p99") &&
		get("p99") <= get("max") && get("min") <= get("mean") && get("mean") <= get("max") && get("stdev") >= 0) {
		t.Errorf("latency figures out of order: %v", lat)
	}
	if m["session_create_ms"].(float64) <= 0 || m["throughput_per_s"].(float64) <= 0 || m["peak_rss_bytes"].(float64) < 1<<20 {
		t.Errorf("session %v throughput %v rss %v", m["session_create_ms"], m["throughput_per_s"], m["peak_rss_bytes"])
	}
	in := m["inputs"].([]any)
	if len(in) != 1 {
		t.Fatalf("inputs %v", in)
	}
	if x := in[0].(map[string]any); x["name"] != "input" || x["dtype"] != "float32" || len(x["shape"].([]any)) != 4 {
		t.Errorf("input %v", x)
	}
	want := benchInspectJSON(t, benchLenet)
	if m["macs"] != want["macs"] || m["params"] != want["params"] || m["flops"] != want["flops"] || m["macs"] != 416520.0 {
		t.Errorf("macs %v params %v flops %v; inspect says %v %v %v", m["macs"], m["params"], m["flops"], want["macs"], want["params"], want["flops"])
	}
	g := m["achieved_gmacs_per_s"].(float64)
	if wantG := m["macs"].(float64) / get("p50") / 1e6; math.Abs(g-wantG) > 1e-3*wantG+1e-4 {
		t.Errorf("achieved_gmacs_per_s %v, want macs/p50 = %v", g, wantG)
	}
	if lib := m["runtime_library"].(string); !filepath.IsAbs(lib) {
		t.Errorf("runtime_library %q is not absolute", lib)
	}
}

func TestBenchTable(t *testing.T) {
	code, out, errs := benchRunCmd(t, benchLenet, "--threads", "1", "--warmup", "1", "--runs", "5")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"model", "onnxruntime 1.", "1 thread", "p50", "p99", "throughput", "peak RSS", "416.5 K (core)", "GMAC/s", "5 timed"} {
		if !strings.Contains(out, s) {
			t.Errorf("no %q in\n%s", s, out)
		}
	}
	if errs != "" { // stderr is not a terminal: no progress bar, and no warnings here
		t.Errorf("stderr: %q", errs)
	}
}

func TestBenchDuration(t *testing.T) {
	m := benchJSON(t, benchLenet, "--threads", "1", "--warmup", "0", "--duration", "50ms")
	if runs := m["runs"].(float64); runs < 2 {
		t.Errorf("runs = %v in 50ms", runs)
	}
	if s := m["measured_s"].(float64); s < 0.05 || s > 5 {
		t.Errorf("measured_s = %v for --duration 50ms", s)
	}
}

func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{benchLenet, benchLenet},
		{benchLenet, "--runs", "3", "--duration", "1s"},
		{benchLenet, "--runs", "0"},
		{benchLenet, "--format", "csv"},
		{benchLenet, "--threads", "-1"},
		{benchLenet, "--batch", "4"}, // lenet5's batch is fixed at 1
		{benchLenet, "--input", "nope=1x1x32x32"},
		{benchLenet, "--input", "input=1x32x32"},
		{benchLenet, "--input", "input=2x1x32x32"},
		{benchLenet, "--dim", "batch=2"},
	} {
		code, _, errs := benchRunCmd(t, args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitUsage, errs)
		}
		if !strings.HasPrefix(errs, "netscore bench: ") && !strings.HasPrefix(errs, "Usage") {
			t.Errorf("%v: stderr %q", args, errs)
		}
	}
	if code, _, errs := benchRunCmd(t, "no-such.onnx"); code != ExitFailed || strings.Count(errs, "\n") != 1 {
		t.Errorf("missing model: exit %d, stderr %q", code, errs)
	}
}

// TestBenchMissingLibrary runs bench in a child process (the library is
// loaded once per process) with NETSCORE_ORT_LIB pointing nowhere.
func TestBenchMissingLibrary(t *testing.T) {
	if os.Getenv("NETSCORE_BENCH_CHILD") == "1" {
		os.Exit(benchCmd(context.Background(), []string{benchLenet}, os.Stdout, os.Stderr))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchMissingLibrary$")
	cmd.Env = append(os.Environ(), "NETSCORE_BENCH_CHILD=1", ort.EnvLibrary+"=/nonexistent/libonnxruntime.so")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != ExitFailed {
		t.Fatalf("exit: %v, want status 1; stderr %q", err, stderr.String())
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "netscore bench: ONNX Runtime not found") ||
		!strings.Contains(msg, "netscore ort install") || stdout.Len() != 0 {
		t.Errorf("want one line saying how to install ORT; stderr %q stdout %q", msg, stdout.String())
	}
}
