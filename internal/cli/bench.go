package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	manifests "github.com/netscore/netscore/internal/manifest"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/units"
)

// Defaults of `netscore bench` when neither --runs nor --duration is given:
// defaultRuns timed runs, stopping early after defaultCap.
const (
	defaultRuns = 100
	defaultCap  = 10 * time.Second
	maxRuns     = 10_000_000 // bounds the latency record of a --duration run
)

// benchResult is the JSON record of one `netscore bench` (docs in the
// command's help and bench/ort.md).
type benchResult struct {
	Model             string           `json:"model"`
	Runtime           string           `json:"runtime"`
	RuntimeVersion    string           `json:"runtime_version"`
	RuntimeLibrary    string           `json:"runtime_library"`
	Threads           int              `json:"threads"`
	Batch             int64            `json:"batch"`
	Seed              uint64           `json:"seed"`
	Inputs            []inspect.Tensor `json:"inputs"`
	RuntimeLoadMs     float64          `json:"runtime_load_ms"`
	SessionCreateMs   float64          `json:"session_create_ms"`
	Warmup            int              `json:"warmup"`
	Runs              int              `json:"runs"`
	MeasuredS         float64          `json:"measured_s"`
	LatencyMs         benchLatency     `json:"latency_ms"`
	ThroughputPerS    float64          `json:"throughput_per_s"`
	PeakRSSBytes      int64            `json:"peak_rss_bytes"`
	MACsConvention    string           `json:"macs_convention"`
	Params            *int64           `json:"params"`
	MACs              *int64           `json:"macs"`
	FLOPs             *int64           `json:"flops"`
	AchievedGMACsPerS *float64         `json:"achieved_gmacs_per_s"`
	Warnings          []string         `json:"warnings"`
}

type benchLatency struct {
	Min   float64 `json:"min"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
	Stdev float64 `json:"stdev"`
}

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

Needs a netscore built with ONNX Runtime:
  scripts/install-ort.sh && go build -tags ort ./cmd/netscore
NETSCORE_ORT_LIB=/path/to/libonnxruntime.so selects another ORT build.

Flags:
`

// benchCmd is `netscore bench`.
func benchCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	threads := fs.Int("threads", 0, "ORT intra-op threads (0: ORT's default, one per physical core)")
	warmup := fs.Int("warmup", 5, "untimed runs before the timed ones")
	runs := fs.Int("runs", defaultRuns, "timed runs")
	duration := fs.Duration("duration", 0, "time runs for this long (e.g. 10s) instead of a fixed --runs")
	batch := fs.Int64("batch", 1, "size of free leading (batch) dims")
	format := fs.String("format", "table", "output format: table or json")
	seed := fs.Uint64("seed", 1, "seed of the random inputs")
	intMax := fs.Int64("int-max", 1, "integer inputs other than 8-bit are drawn from [0, `N`]")
	macs := fs.String("macs", "core", "MAC convention of the counted figures: core or all")
	manifest := fs.String("manifest", "", "record the median latency as latency_ms of MODEL's row in this manifest (for score and compare)")
	var shapeArgs shapeFlags
	shapeArgs.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, benchUsage)
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	set := setFlags(fs)
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "netscore bench: "+format+"\n", a...)
		return ExitUsage
	}
	switch {
	case len(paths) != 1:
		return usageErr("want exactly one model, got %d (see netscore bench -h)", len(paths))
	case *format != "table" && *format != "json":
		return usageErr("unknown --format %q (want table or json)", *format)
	case *macs != string(inspect.Core) && *macs != string(inspect.All):
		return usageErr("unknown --macs %q (want core or all)", *macs)
	case *threads < 0:
		return usageErr("--threads must be >= 0")
	case *warmup < 0:
		return usageErr("--warmup must be >= 0")
	case set["runs"] && set["duration"]:
		return usageErr("--runs and --duration exclude each other")
	case *runs < 1:
		return usageErr("--runs must be >= 1")
	case set["duration"] && *duration <= 0:
		return usageErr("--duration must be > 0")
	case *batch < 1:
		return usageErr("--batch must be >= 1")
	case *intMax < 0:
		return usageErr("--int-max must be >= 0")
	}
	bind, err := shapeArgs.options()
	if err != nil {
		return usageErr("%v", err)
	}
	path := paths[0]
	fail := func(err error) int {
		fmt.Fprintf(stderr, "netscore bench: %v\n", err)
		return ExitFailed
	}
	if !ort.Enabled {
		return fail(ort.ErrNotBuilt)
	}

	res := &benchResult{Model: path, Runtime: "onnxruntime", Threads: *threads, Seed: *seed,
		Warmup: *warmup, MACsConvention: *macs, Warnings: []string{}}
	start := time.Now()
	lib, version, err := ort.Load()
	if err != nil {
		return fail(err)
	}
	res.RuntimeLoadMs = benchRound(benchMs(time.Since(start)), 1e3)
	res.RuntimeLibrary, res.RuntimeVersion = lib, version

	sess, err := ort.Open(path, ort.Options{Threads: *threads})
	if err != nil {
		if msg := err.Error(); strings.Contains(msg, "External data path does not exist") {
			err = fmt.Errorf("%s; running a model needs its weights (netscore inspect counts without them)", msg)
		}
		return fail(err)
	}
	defer sess.Close()
	res.SessionCreateMs = benchRound(benchMs(sess.CreateTime()), 1e3)

	shapes, b, warns, err := benchShapes(sess.Inputs(), bind, *batch, set["batch"])
	if err != nil {
		var ue benchUsageError
		if errors.As(err, &ue) {
			return usageErr("%v", err)
		}
		return fail(fmt.Errorf("%s: %v", path, err))
	}
	res.Batch = b
	res.Warnings = append(res.Warnings, warns...)
	rng := ort.NewRand(*seed)
	feeds := map[string]*ort.Tensor{}
	for _, in := range sess.Inputs() {
		t, err := ort.NewTensor(in.DType, shapes[in.Name])
		if err == nil {
			err = ort.Fill(t, rng, ort.FillOptions{IntMax: *intMax})
		}
		if err != nil {
			return fail(fmt.Errorf("%s: input %s: %v", path, in.Name, err))
		}
		feeds[in.Name] = t
		res.Inputs = append(res.Inputs, inspect.Tensor{Name: in.Name, DType: in.DType.String(), Shape: t.Shape})
	}
	binding, err := sess.Bind(feeds)
	if err != nil {
		return fail(fmt.Errorf("%s: %v", path, err))
	}
	defer binding.Close()

	lat, wall, err := benchTimeRuns(binding, *warmup, *runs, *duration, set["runs"], set["duration"], newBenchBar(stderr))
	if err != nil {
		return fail(err)
	}
	res.PeakRSSBytes = ort.PeakRSS() // before the analysis below, which is not the model's
	res.Runs = len(lat)
	res.MeasuredS = wall.Seconds()
	res.LatencyMs = benchStats(lat)
	if wall > 0 {
		res.ThroughputPerS = benchRound(float64(res.Batch)*float64(res.Runs)/wall.Seconds(), 1e3)
	}

	s, err := inspect.File(context.Background(), path, inspect.Request{Bind: analyze.Options{Inputs: shapes, Dims: map[string]int64{}}, MACs: inspect.Convention(*macs)})
	if err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("no counted figures: %v", err))
	} else {
		res.Params, res.MACs, res.FLOPs = &s.Params, &s.MACs, &s.FLOPs
		if res.LatencyMs.P50 > 0 {
			g := float64(s.MACs) / (res.LatencyMs.P50 / 1e3) / 1e9
			if g > 0 { // six significant digits
				g = benchRound(g, math.Pow(10, 5-math.Floor(math.Log10(g))))
			}
			res.AchievedGMACsPerS = &g
		}
		for _, w := range s.Warnings {
			if !strings.Contains(w, "external-data") { // ORT found the weights, or failed
				res.Warnings = append(res.Warnings, w)
			}
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "netscore bench: warning: %s\n", w)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	} else {
		err = writeBenchTable(stdout, res)
	}
	if err != nil {
		return fail(err)
	}
	if *manifest != "" {
		if _, err := manifests.Update(*manifest, manifests.Row{Model: paths[0], LatencyMS: res.LatencyMs.P50}); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stderr, "netscore bench: latency_ms %.4g recorded in %s\n", res.LatencyMs.P50, *manifest)
	}
	return ExitOK
}

// benchUsageError marks a binding problem the user's flags caused.
type benchUsageError struct{ msg string }

func (e benchUsageError) Error() string { return e.msg }

// benchShapes gives every model input a concrete shape: --input first,
// then --dim and the dims those --input shapes imply for symbols, the
// batch for free leading dims, and 1 for any other free dim (with a
// warning). It returns the batch: --batch when some leading dim took it,
// else the first input's leading dim.
func benchShapes(ins []ort.TensorInfo, bind analyze.Options, batch int64, batchSet bool) (map[string][]int64, int64, []string, error) {
	var warns []string
	known := map[string]bool{}
	params := map[string]bool{}
	for _, in := range ins {
		known[in.Name] = true
		for _, p := range in.DimParams {
			if p != "" {
				params[p] = true
			}
		}
	}
	for name := range bind.Inputs {
		if !known[name] {
			return nil, 0, nil, benchUsageError{fmt.Sprintf("--input %s: the model has no input of that name (inputs: %s)", name, benchTensorNames(ins))}
		}
	}
	for name := range bind.Dims {
		if !params[name] {
			return nil, 0, nil, benchUsageError{fmt.Sprintf("--dim %s: no input has a dim of that name", name)}
		}
	}
	sym := map[string]int64{}
	for k, v := range bind.Dims {
		sym[k] = v
	}
	// Symbols fixed by --input shapes.
	for _, in := range ins {
		s, ok := bind.Inputs[in.Name]
		if !ok {
			continue
		}
		if in.Shape != nil && len(s) != len(in.Shape) {
			return nil, 0, nil, benchUsageError{fmt.Sprintf("--input %s: %d dims given, the model declares %d (%s)", in.Name, len(s), len(in.Shape), benchDeclared(in))}
		}
		for i, d := range in.Shape {
			if d >= 0 && s[i] != d {
				return nil, 0, nil, benchUsageError{fmt.Sprintf("--input %s: dim %d is %d, the model fixes it at %d (%s)", in.Name, i, s[i], d, benchDeclared(in))}
			}
			if p := in.DimParams[i]; p != "" {
				if v, ok := sym[p]; ok && v != s[i] {
					return nil, 0, nil, benchUsageError{fmt.Sprintf("--input %s: dim %q is %d here but %d elsewhere", in.Name, p, s[i], v)}
				}
				sym[p] = s[i]
			}
		}
	}
	batchUsed := false
	// Leading symbols take the batch unless set.
	for _, in := range ins {
		if _, ok := bind.Inputs[in.Name]; ok || len(in.Shape) == 0 || in.Shape[0] >= 0 {
			continue
		}
		if p := in.DimParams[0]; p != "" {
			if _, ok := sym[p]; !ok {
				sym[p] = batch
				batchUsed = true
			} else if sym[p] == batch {
				batchUsed = true
			}
		}
	}
	shapes := map[string][]int64{}
	var firstLead int64 = -1
	for _, in := range ins {
		if in.NotTensor {
			return nil, 0, nil, fmt.Errorf("input %s is a sequence, map or optional value: bench feeds tensors only", in.Name)
		}
		if !in.DType.Valid() {
			return nil, 0, nil, fmt.Errorf("input %s declares no element type", in.Name)
		}
		var s []int64
		if v, ok := bind.Inputs[in.Name]; ok {
			s = append([]int64{}, v...)
		} else if in.Shape == nil {
			return nil, 0, nil, benchUsageError{fmt.Sprintf("input %s declares no shape: set it with --input %s=DIMS", in.Name, in.Name)}
		} else {
			s = make([]int64, len(in.Shape))
			for i, d := range in.Shape {
				p := in.DimParams[i]
				switch v, ok := sym[p]; {
				case d >= 0:
					s[i] = d
				case p != "" && ok:
					s[i] = v
				case i == 0:
					s[i], batchUsed = batch, true
				default:
					s[i] = 1
					name := p
					if name == "" {
						name = strconv.Itoa(i)
					}
					if p != "" {
						sym[p] = 1
						warns = append(warns, fmt.Sprintf("dim %q of input %s is free; using 1 (set it with --dim %s=N)", p, in.Name, p))
					} else {
						warns = append(warns, fmt.Sprintf("dim %s of input %s is free; using 1 (set it with --input %s=DIMS)", name, in.Name, in.Name))
					}
				}
			}
		}
		if firstLead < 0 && len(s) > 0 {
			firstLead = s[0]
		}
		shapes[in.Name] = s
	}
	switch {
	case batchUsed:
		return shapes, batch, warns, nil
	case batchSet && batch != 1:
		return nil, 0, nil, benchUsageError{"--batch: no input has a free leading dim; set shapes with --input NAME=DIMS"}
	case firstLead > 0:
		return shapes, firstLead, warns, nil
	}
	return shapes, 1, warns, nil
}

func benchDeclared(in ort.TensorInfo) string {
	parts := make([]string, len(in.Shape))
	for i, d := range in.Shape {
		switch {
		case d >= 0:
			parts[i] = strconv.FormatInt(d, 10)
		case in.DimParams[i] != "":
			parts[i] = in.DimParams[i]
		default:
			parts[i] = "?"
		}
	}
	return strings.Join(parts, "x")
}

func benchTensorNames(ins []ort.TensorInfo) string {
	n := make([]string, len(ins))
	for i, in := range ins {
		n[i] = in.Name
	}
	return strings.Join(n, ", ")
}

// benchTimeRuns does the warm-up and the timed runs. Each run is timed alone
// (two clock reads around each run); wall is the whole timed loop.
func benchTimeRuns(b *ort.Binding, warmup, runs int, duration time.Duration, runsSet, durSet bool, bar *benchBar) (lat []time.Duration, wall time.Duration, err error) {
	runtime.LockOSThread() // one OS thread for every run, as a C loop has
	defer runtime.UnlockOSThread()
	for i := range warmup {
		if err := b.Run(); err != nil {
			bar.clear()
			return nil, 0, err
		}
		bar.show(func() string { return fmt.Sprintf("warm-up %d/%d", i+1, warmup) }, float64(i+1)/float64(warmup))
	}
	limit, capAt := runs, time.Duration(0)
	switch {
	case durSet:
		limit, capAt = maxRuns, duration
	case !runsSet:
		capAt = defaultCap
	}
	lat = make([]time.Duration, 0, min(limit, 1<<16))
	start := time.Now()
	last := start
	for len(lat) < limit && (capAt == 0 || len(lat) == 0 || last.Sub(start) < capAt) {
		t0 := time.Now()
		err := b.Run()
		last = time.Now()
		if err != nil {
			bar.clear()
			return nil, 0, err
		}
		lat = append(lat, last.Sub(t0))
		if bar.on {
			n := len(lat)
			frac := float64(n) / float64(limit)
			if capAt > 0 {
				frac = max(frac, float64(last.Sub(start))/float64(capAt))
			}
			bar.show(func() string {
				if durSet {
					return fmt.Sprintf("run %d, %.1f/%.0f s", n, last.Sub(start).Seconds(), capAt.Seconds())
				}
				return fmt.Sprintf("run %d/%d", n, limit)
			}, frac)
		}
	}
	wall = last.Sub(start)
	bar.clear()
	return lat, wall, nil
}

// benchStats summarises latencies in milliseconds. Percentiles interpolate
// linearly between order statistics (numpy's default); stdev is the
// sample standard deviation.
func benchStats(lat []time.Duration) benchLatency {
	if len(lat) == 0 {
		return benchLatency{}
	}
	v := make([]float64, len(lat))
	sum := 0.0
	for i, d := range lat {
		v[i] = benchMs(d)
		sum += v[i]
	}
	slices.Sort(v)
	mean := sum / float64(len(v))
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	sd := 0.0
	if len(v) > 1 {
		sd = math.Sqrt(ss / float64(len(v)-1))
	}
	r := func(x float64) float64 { return benchRound(x, 1e6) } // whole nanoseconds
	return benchLatency{Min: r(v[0]), P50: r(benchPercentile(v, 50)), P90: r(benchPercentile(v, 90)), P99: r(benchPercentile(v, 99)),
		Max: r(v[len(v)-1]), Mean: r(mean), Stdev: r(sd)}
}

func benchPercentile(sorted []float64, p float64) float64 {
	pos := p / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (sorted[hi]-sorted[lo])*(pos-float64(lo))
}

func benchMs(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// benchRound keeps JSON figures free of binary noise: benchRound(x, 1e3) keeps three
// decimals.
func benchRound(x, scale float64) float64 { return math.Round(x*scale) / scale }

// benchFmtMs writes a latency in the unit that suits it.
func benchFmtMs(v float64) string {
	switch {
	case v < 1:
		return fmt.Sprintf("%.1f µs", v*1e3)
	case v < 1000:
		return strconv.FormatFloat(v, 'f', max(0, 3-int(math.Floor(math.Log10(v)))), 64) + " ms"
	}
	return fmt.Sprintf("%.3f s", v/1e3)
}

func writeBenchTable(w io.Writer, r *benchResult) error {
	threads := "ORT's default threads"
	if r.Threads > 0 {
		threads = fmt.Sprintf("%d thread", r.Threads)
		if r.Threads > 1 {
			threads += "s"
		}
	}
	var ins []string
	for _, in := range r.Inputs {
		ins = append(ins, fmt.Sprintf("%s  %s  %s", in.Name, in.DType, benchDims(in.Shape)))
	}
	l := r.LatencyMs
	lines := [][2]string{
		{"model", r.Model},
		{"runtime", fmt.Sprintf("onnxruntime %s, CPU, %s", r.RuntimeVersion, threads)},
		{"inputs", strings.Join(ins, "; ") + fmt.Sprintf("  (batch %d, seed %d)", r.Batch, r.Seed)},
		{"session", fmt.Sprintf("created in %s (library loaded in %s)", benchFmtMs(r.SessionCreateMs), benchFmtMs(r.RuntimeLoadMs))},
		{"runs", fmt.Sprintf("%d timed in %s, after %d warm-up", r.Runs, benchFmtMs(r.MeasuredS*1e3), r.Warmup)},
		{"latency", fmt.Sprintf("p50 %s   p90 %s   p99 %s", benchFmtMs(l.P50), benchFmtMs(l.P90), benchFmtMs(l.P99))},
		{"", fmt.Sprintf("min %s   max %s   mean %s ± %s", benchFmtMs(l.Min), benchFmtMs(l.Max), benchFmtMs(l.Mean), benchFmtMs(l.Stdev))},
		{"throughput", fmt.Sprintf("%s/s", strings.TrimSpace(benchFmtRate(r.ThroughputPerS))) + map[bool]string{true: " (items: batch × runs / time)", false: ""}[r.Batch > 1]},
		{"peak RSS", units.Bytes(r.PeakRSSBytes)},
	}
	if r.MACs != nil {
		macs := fmt.Sprintf("%s (%s)", units.Count(*r.MACs), r.MACsConvention)
		if r.AchievedGMACsPerS != nil {
			macs += fmt.Sprintf(", achieved %.2f GMAC/s at p50", *r.AchievedGMACsPerS)
		}
		lines = append(lines, [2]string{"MACs", macs}, [2]string{"params", units.Count(*r.Params)})
	} else {
		lines = append(lines, [2]string{"MACs", "not counted (see the warning)"})
	}
	for _, ln := range lines {
		if _, err := fmt.Fprintf(w, "%-11s  %s\n", ln[0], ln[1]); err != nil {
			return err
		}
	}
	return nil
}

func benchFmtRate(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func benchDims(s []int64) string {
	if len(s) == 0 {
		return "scalar"
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.FormatInt(d, 10)
	}
	return strings.Join(parts, "x")
}

// benchBar is the bench progress line: on a terminal only, redrawn at
// most ten times a second so that it costs the timed loop nothing.
type benchBar struct {
	w    io.Writer
	on   bool
	next time.Time
}

func newBenchBar(w io.Writer) *benchBar {
	b := &benchBar{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.on = true
		}
	}
	return b
}

func (b *benchBar) show(label func() string, frac float64) {
	if !b.on {
		return
	}
	now := time.Now()
	if now.Before(b.next) && frac < 1 {
		return
	}
	b.next = now.Add(100 * time.Millisecond)
	const width = 30
	fill := min(width, max(0, int(frac*width)))
	fmt.Fprintf(b.w, "\r[%s%s] %-40.40s", strings.Repeat("#", fill), strings.Repeat(" ", width-fill), label())
}

func (b *benchBar) clear() {
	if b.on {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 80))
	}
}
