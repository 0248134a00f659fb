package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/netscore/netscore/internal/format"
	manifests "github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/request"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/report"
)

const benchUsage = `Usage: netscore bench MODEL [flags]

Runs an ONNX model in ONNX Runtime (CPU) on seeded random inputs and reports
session creation time, latency (min/p50/p90/p99/max/mean/stdev), throughput,
peak RSS, and the achieved GMAC/s: the MACs netscore counts for the same
input shapes, divided by the median latency.

Free input dims become 1, except a free leading dim, which is the batch
(--batch); --dim and --input override. Inputs are drawn with a fixed seed:
floats uniform in [0,1), uint8/int8 over their range, bool 0/1, other
integers in [0, --int-max]. Warm-up runs are not timed. Without --runs or
--duration: 100 runs, stopping early after 10 s.

Needs a netscore built with ONNX Runtime, and the library:
  go build -tags ort ./cmd/netscore && ./netscore ort install
NETSCORE_ORT_LIB=/path/to/libonnxruntime.so selects another ORT build.

Flags:
`

// benchCmd is `netscore bench`: flags into a bench.Config, the job, the
// result through report.
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench", benchUsage, stderr)
	def := bench.Defaults("")
	threads := fs.Int("threads", def.Threads, "ORT intra-op threads (0: ORT's default, one per physical core)")
	warmup := fs.Int("warmup", def.Warmup, "untimed runs before the timed ones")
	runs := fs.Int("runs", bench.DefaultRuns, "timed runs")
	duration := fs.Duration("duration", 0, "time runs for this long (e.g. 10s) instead of a fixed --runs")
	batch := fs.Int64("batch", def.Batch, "size of free leading (batch) dims")
	format := fs.String("format", "table", "output format: table or json")
	seed := fs.Uint64("seed", def.Seed, "seed of the random inputs")
	intMax := fs.Int64("int-max", def.IntMax, "integer inputs other than 8-bit are drawn from [0, `N`]")
	macs := fs.String("macs", def.MACs, "MAC convention of the counted figures: core or all")
	manifest := fs.String("manifest", "", "record the median latency as latency_ms of MODEL's row in this manifest (for score and compare)")
	var shapeArgs shapeFlags
	shapeArgs.register(fs)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "netscore bench: "+format+"\n", a...)
		return ExitUsage
	}
	switch {
	case len(paths) != 1:
		return usageErr("want exactly one model, got %d (see netscore bench -h)", len(paths))
	case *format != "table" && *format != "json":
		return usageErr("unknown --format %q (want table or json)", *format)
	}
	cfg := bench.Config{Model: paths[0], Threads: *threads, Warmup: *warmup, Batch: *batch, Seed: *seed, IntMax: *intMax, MACs: *macs}
	set := setFlags(fs)
	if set["runs"] {
		cfg.Runs = runs
	}
	if set["duration"] {
		cfg.Duration = duration
	}
	if err := cfg.Validate(); err != nil {
		return usageErr("%v", err)
	}
	if cfg.Bind, err = shapeArgs.options(); err != nil {
		return usageErr("%v", err)
	}
	if *manifest != "" { // the model's input shapes and values, when its row has them
		if cfg.Bind, err = manifestInput(ctx, *manifest, cfg.Model, cfg.Bind); err != nil {
			return usageErr("%v", err)
		}
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "netscore bench: %v\n", err)
		return ExitFailed
	}
	if code, ok := onnxOnly("bench", cfg.Model, stderr); !ok {
		return code
	}

	bar := newProgress(stderr, "runs")
	res, err := bench.Run(ctx, cfg, bar.Update)
	bar.Done()
	if err != nil {
		if request.Is(err) {
			return usageErr("%v", err)
		}
		return fail(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "netscore bench: warning: %s\n", w)
	}
	if err := report.WriteBench(stdout, *format, res); err != nil {
		return fail(err)
	}
	if *manifest != "" {
		if _, err := manifests.File(*manifest).Put(ctx, res.ManifestRow()); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stderr, "netscore bench: latency_ms %.4g recorded in %s\n", res.LatencyMs.P50, *manifest)
	}
	return ExitOK
}

// onnxOnly refuses a model in a format ONNX Runtime cannot run (bench and
// eval measure ONNX models only), in one line.
func onnxOnly(cmd, path string, stderr io.Writer) (int, bool) {
	if f := format.Detect(path); f != "" && f != "onnx" {
		fmt.Fprintf(stderr, "netscore %s: %s: a %s model; %s needs ONNX Runtime and an ONNX model (inspect, score and compare read it)\n", cmd, path, formatNames[f], cmd)
		return ExitFailed, false
	}
	return 0, true
}

// formatNames are the registered formats as people name them.
var formatNames = map[string]string{"tflite": "TensorFlow Lite"}
