// Package bench measures a model's latency in ONNX Runtime on seeded
// random inputs: the job behind `netscore bench`, for any front end.
package bench

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/units"
)

// Without Runs or Duration: DefaultRuns timed runs, stopping early after
// DefaultCap.
const (
	DefaultRuns = 100
	DefaultCap  = 10 * time.Second
	maxRuns     = 10_000_000 // bounds the latency record of a Duration run
)

// Config is one bench job. Its messages name the CLI's flags, the
// documented names of these fields.
type Config struct {
	Model   string `json:"model"`
	Threads int    `json:"threads"` // ORT intra-op threads; 0: ORT's default
	Warmup  int    `json:"warmup"`  // untimed runs first
	// Runs and Duration exclude each other; with neither, DefaultRuns
	// stopping after DefaultCap.
	Runs     *int            `json:"runs,omitempty"`
	Duration *time.Duration  `json:"duration_ns,omitempty"`
	Batch    int64           `json:"batch"` // size of free leading dims
	Seed     uint64          `json:"seed"`
	IntMax   int64           `json:"int_max"` // integer inputs other than 8-bit are drawn from [0, IntMax]
	MACs     string          `json:"macs"`    // convention of the counted figures: core or all
	Bind     analyze.Options `json:"bind"`    // --input and --dim
}

// Defaults is the configuration of a plain `netscore bench MODEL`.
func Defaults(model string) Config {
	return Config{Model: model, Warmup: 5, Batch: 1, Seed: 1, IntMax: 1, MACs: string(inspect.Core)}
}

// Validate checks the settings that need no model.
func (c Config) Validate() error {
	switch {
	case c.MACs != string(inspect.Core) && c.MACs != string(inspect.All):
		return request.Errorf("unknown --macs %q (want core or all)", c.MACs)
	case c.Threads < 0:
		return request.Errorf("--threads must be >= 0")
	case c.Warmup < 0:
		return request.Errorf("--warmup must be >= 0")
	case c.Runs != nil && c.Duration != nil:
		return request.Errorf("--runs and --duration exclude each other")
	case c.Runs != nil && *c.Runs < 1:
		return request.Errorf("--runs must be >= 1")
	case c.Duration != nil && *c.Duration <= 0:
		return request.Errorf("--duration must be > 0")
	case c.Batch < 1:
		return request.Errorf("--batch must be >= 1")
	case c.IntMax < 0:
		return request.Errorf("--int-max must be >= 0")
	}
	return nil
}

// Result is the record of one bench (its JSON is `netscore bench --format
// json`, documented in the command's help and bench/ort.md).
type Result struct {
	Model           string           `json:"model"`
	Runtime         string           `json:"runtime"`
	RuntimeVersion  string           `json:"runtime_version"`
	RuntimeLibrary  string           `json:"runtime_library"`
	Threads         int              `json:"threads"`
	Batch           int64            `json:"batch"`
	Seed            uint64           `json:"seed"`
	Inputs          []inspect.Tensor `json:"inputs"`
	RuntimeLoadMs   float64          `json:"runtime_load_ms"`
	SessionCreateMs float64          `json:"session_create_ms"`
	Warmup          int              `json:"warmup"`
	Runs            int              `json:"runs"`
	MeasuredS       float64          `json:"measured_s"`
	LatencyMs       Latency          `json:"latency_ms"`
	// LatencyP50CI is the 95 % percentile-bootstrap interval of the median
	// latency (MedianCI: BootstrapResamples resamples, fixed seed), in ms;
	// nil with fewer than two runs.
	LatencyP50CI      *metrics.Interval `json:"latency_p50_ci_ms,omitempty"`
	ThroughputPerS    float64           `json:"throughput_per_s"`
	PeakRSSBytes      int64             `json:"peak_rss_bytes"`
	MACsConvention    string            `json:"macs_convention"`
	Params            *int64            `json:"params"`
	MACs              *int64            `json:"macs"`
	FLOPs             *int64            `json:"flops"`
	AchievedGMACsPerS *float64          `json:"achieved_gmacs_per_s"`
	// MACsComplete is false when some node could not be costed: MACs,
	// FLOPs and the achieved GMAC/s are then lower bounds.
	MACsComplete *bool    `json:"macs_complete"`
	Warnings     []string `json:"warnings"`
	// Samples are the timed runs' latencies in the order they ran, for
	// callers that judge the run (a trend, an interval of the median);
	// not in the JSON.
	Samples []time.Duration `json:"-"`
}

// Run benches cfg.Model. progress, when not nil, hears of the warm-up runs
// (done of Warmup), then of the timed ones (done of the runs asked for;
// with Duration, hundredths of it elapsed), at most ten times a second.
// Cancelling ctx stops the job between runs. Errors are request errors (request.Is) when
// the job does not fit the model, others when running it failed.
func Run(ctx context.Context, cfg Config, progress func(done, total int)) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !ort.Enabled {
		return nil, ort.ErrNotBuilt
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	path := cfg.Model
	res := &Result{Model: path, Runtime: "onnxruntime", Threads: cfg.Threads, Seed: cfg.Seed,
		Warmup: cfg.Warmup, MACsConvention: cfg.MACs, Warnings: []string{}}
	start := time.Now()
	lib, version, err := ort.Load()
	if err != nil {
		return nil, err
	}
	res.RuntimeLoadMs = round(units.DurationMillis(time.Since(start)), 1e3)
	res.RuntimeLibrary, res.RuntimeVersion = lib, version

	sess, err := ort.Open(path, ort.Options{Threads: cfg.Threads})
	if err != nil {
		if msg := err.Error(); strings.Contains(msg, "External data path does not exist") {
			err = fmt.Errorf("%s; running a model needs its weights (netscore inspect counts without them)", msg)
		}
		return nil, err
	}
	defer sess.Close()
	res.SessionCreateMs = round(units.DurationMillis(sess.CreateTime()), 1e3)

	shapes, err := bindShapes(sess.Inputs(), cfg, res)
	if err != nil {
		var be *analyze.BindingError
		if errors.As(err, &be) {
			return nil, request.Wrap(be)
		}
		var fe *analyze.FreeDimsError
		if request.Is(err) || errors.As(err, &fe) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	rng := ort.NewRand(cfg.Seed)
	feeds := map[string]*ort.Tensor{}
	for _, in := range sess.Inputs() {
		t, err := ort.NewTensor(in.DType, shapes[in.Name])
		if err == nil {
			err = ort.Fill(t, rng, ort.FillOptions{IntMax: cfg.IntMax})
		}
		if vals, ok := cfg.Bind.Values[in.Name]; ok && err == nil {
			err = t.SetValues(vals)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: input %s: %v", path, in.Name, err)
		}
		feeds[in.Name] = t
		res.Inputs = append(res.Inputs, inspect.Tensor{Name: in.Name, DType: in.DType.String(), Shape: t.Shape})
	}
	binding, err := sess.Bind(feeds)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	defer binding.Close()

	lat, wall, err := timeRuns(ctx, binding, cfg, progress)
	if err != nil {
		return nil, err
	}
	res.PeakRSSBytes = ort.PeakRSS() // before the analysis below, which is not the model's
	res.Runs = len(lat)
	res.Samples = lat
	res.MeasuredS = wall.Seconds()
	res.LatencyMs = Summarize(lat)
	res.LatencyP50CI = medianInterval(lat)
	if wall > 0 {
		res.ThroughputPerS = round(float64(res.Batch)*float64(res.Runs)/wall.Seconds(), 1e3)
	}
	count(ctx, res, analyze.Options{Inputs: shapes, Values: cfg.Bind.Values})
	return res, nil
}

// bindShapes gives every input a concrete shape (analyze.Bind) and sets
// res.Batch: cfg.Batch when some leading dim took it, else the first
// input's leading dim.
func bindShapes(ins []ort.TensorInfo, cfg Config, res *Result) (map[string][]int64, error) {
	declared := make([]analyze.DeclaredInput, len(ins))
	for i, in := range ins {
		if in.NotTensor {
			return nil, fmt.Errorf("input %s is a sequence, map or optional value: bench feeds tensors only", in.Name)
		}
		if !in.DType.Valid() {
			return nil, fmt.Errorf("input %s declares no element type", in.Name)
		}
		declared[i] = analyze.DeclaredInput{Name: in.Name, Dims: in.Shape, Symbols: in.DimParams}
	}
	b, err := analyze.Bind(declared, cfg.Bind, analyze.BindRules{Feed: true, Batch: cfg.Batch})
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, b.Warnings...)
	if len(b.Guessed) > 0 && cfg.Bind.AssumeFreeDims == 0 {
		return nil, &analyze.FreeDimsError{Model: cfg.Model, Guessed: b.Guessed, Hints: b.Hints}
	}
	if err := valueShapes(b.Shapes, cfg.Bind.Values); err != nil {
		return nil, err
	}
	switch {
	case b.BatchUsed:
		res.Batch = cfg.Batch
	case cfg.Batch != 1:
		return nil, request.Errorf("--batch: no input has a free leading dim; set shapes with --input NAME=DIMS")
	default:
		res.Batch = 1
		for _, in := range ins { // the first input of rank > 0
			if s := b.Shapes[in.Name]; len(s) > 0 {
				res.Batch = max(s[0], 1)
				break
			}
		}
	}
	return b.Shapes, nil
}

// timeRuns does the warm-up and the timed runs. Each run is timed alone
// (two clock reads around each run); wall is the whole timed loop.
func timeRuns(ctx context.Context, b *ort.Binding, cfg Config, progress func(done, total int)) (lat []time.Duration, wall time.Duration, err error) {
	runtime.LockOSThread() // one OS thread for every run, as a C loop has
	defer runtime.UnlockOSThread()
	done := ctx.Done()
	cancelled := func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
	const every = 100 * time.Millisecond // progress reports, cheap next to the runs
	nextReport := time.Now()
	for i := range cfg.Warmup {
		if cancelled() {
			return nil, 0, ctx.Err()
		}
		if err := b.Run(); err != nil {
			return nil, 0, err
		}
		if now := time.Now(); !now.Before(nextReport) || i+1 == cfg.Warmup {
			progress(i+1, cfg.Warmup)
			nextReport = now.Add(every)
		}
	}
	limit, capAt := DefaultRuns, DefaultCap
	switch {
	case cfg.Duration != nil:
		limit, capAt = maxRuns, *cfg.Duration
	case cfg.Runs != nil:
		limit, capAt = *cfg.Runs, 0
	}
	lat = make([]time.Duration, 0, min(limit, 1<<16))
	start := time.Now()
	last := start
	report := func() {
		if cfg.Duration != nil {
			progress(min(100, int(100*last.Sub(start)/capAt)), 100)
		} else {
			progress(len(lat), limit)
		}
	}
	for len(lat) < limit && (capAt == 0 || len(lat) == 0 || last.Sub(start) < capAt) {
		if cancelled() {
			return nil, 0, ctx.Err()
		}
		t0 := time.Now()
		err := b.Run()
		last = time.Now()
		if err != nil {
			return nil, 0, err
		}
		lat = append(lat, last.Sub(t0))
		if !last.Before(nextReport) {
			report()
			nextReport = last.Add(every)
		}
	}
	report() // the final state, which the throttle may have skipped
	return lat, last.Sub(start), nil
}

// count adds netscore's own figures for the shapes run, and the GMAC/s
// they make at the median latency; failing to count is a warning.
func count(ctx context.Context, res *Result, bind analyze.Options) {
	s, err := inspect.File(ctx, res.Model, inspect.Request{Bind: bind, MACs: inspect.Convention(res.MACsConvention)})
	if err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("no counted figures: %v", err))
		return
	}
	res.Params, res.MACs, res.FLOPs = &s.Params, &s.MACs, &s.FLOPs
	complete := s.Complete
	res.MACsComplete = &complete
	if res.LatencyMs.P50 > 0 {
		g := roundSignificant(float64(s.MACs) / (res.LatencyMs.P50 / 1e3) / 1e9)
		res.AchievedGMACsPerS = &g
	}
	for _, w := range s.Warnings {
		if !strings.Contains(w, "external-data") { // ORT found the weights, or failed
			res.Warnings = append(res.Warnings, w)
		}
	}
}

// ManifestRow is what a benchmark records for the model: its median
// latency, leaving any accuracy in the row as it is.
func (r *Result) ManifestRow() manifest.Row {
	row := manifest.Row{Model: r.Model, LatencyMS: r.LatencyMs.P50}
	if ci := r.LatencyP50CI; ci != nil {
		row.LatencyCILow, row.LatencyCIHigh = ci.Low, ci.High
	}
	return row
}

// medianInterval is the bootstrap interval of the runs' median, in ms
// rounded to whole nanoseconds as Summarize rounds; nil with fewer than
// two runs.
func medianInterval(runs []time.Duration) *metrics.Interval {
	v := make([]float64, len(runs))
	for i, d := range runs {
		v[i] = units.DurationMillis(d)
	}
	lo, hi, ok := MedianCI(v, BootstrapResamples, BootstrapSeed, BootstrapLevel)
	if !ok {
		return nil
	}
	return &metrics.Interval{Low: round(lo, 1e6), High: round(hi, 1e6)}
}

// valueShapes sizes the inputs --value sets: a free rank-0 or rank-1 input
// takes as many elements as values are given; any other must hold exactly
// that many.
func valueShapes(shapes map[string][]int64, values map[string][]float64) error {
	for _, name := range slices.Sorted(maps.Keys(values)) {
		s, ok := shapes[name]
		n := int64(len(values[name]))
		if !ok {
			return request.Errorf("--value %s: the model has no tensor input of that name", name)
		}
		if elems, _ := graph.Product(s); elems == n {
			continue
		}
		if len(s) > 1 {
			return request.Errorf("--value %s: %d value(s) for an input of shape %s", name, n, units.Shape(s))
		}
		shapes[name] = []int64{n}
	}
	return nil
}
