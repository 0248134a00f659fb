package fleet

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/request"
)

// Noise thresholds: a p99 over twice the median, a load average over half
// the cores before or after, or latency rising by more than a tenth from
// the first third of the runs to the last, marks a bench noisy.
const (
	noisyTail  = 2.0
	noisyLoad  = 0.5
	noisyTrend = 1.10
)

// Repeating for a narrow interval (BenchArgs.MaxCIWidthPct): at most
// maxRounds benches, pooled, and no new round once maxRepeat has gone by.
const (
	maxRounds = 10
	maxRepeat = 5 * time.Minute
	ciAlpha   = 0.05
)

// measureBench runs one bench and records its conditions; with maxCI > 0
// it benches again (a new session, the same settings), pooling the timed
// runs, until the median's 95% interval is narrower than maxCI percent of
// the median or a bound is hit.
func measureBench(ctx context.Context, cfg bench.Config, maxCI float64, fp Fingerprint) (*BenchResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	started := time.Now()
	before := LoadAverage()
	res, err := bench.Run(ctx, cfg, nil)
	if err != nil {
		return nil, err
	}
	rounds := 1
	ci := MedianInterval(res.Samples, ciAlpha)
	for maxCI > 0 && ci.WidthPct(res.LatencyMs.P50) > maxCI && rounds < maxRounds && time.Since(started) < maxRepeat {
		more, err := bench.Run(ctx, cfg, nil)
		if err != nil {
			return nil, err
		}
		rounds++
		pool(res, more)
		ci = MedianInterval(res.Samples, ciAlpha)
	}
	after := LoadAverage()
	c := Conditions{LoadBefore: before, LoadAfter: after, Threads: res.Threads, Provider: "CPUExecutionProvider", Emulated: fp.Emulated,
		Started: started.UTC(), Ended: time.Now().UTC(), Rounds: rounds, Trend: round3(Trend(res.Samples))}
	if ci.OK {
		c.MedianCIMs = &[2]float64{ci.Lo, ci.Hi}
		w := round3(ci.WidthPct(res.LatencyMs.P50))
		c.CIWidthPct = &w
	}
	cores := float64(runtime.NumCPU())
	if l := res.LatencyMs; l.P50 > 0 && l.P99/l.P50 > noisyTail {
		c.Noisy = true
		c.Notes = append(c.Notes, fmt.Sprintf("wide tail: p99 %.3g ms is %.1f× the median", l.P99, l.P99/l.P50))
	}
	if c.Trend > noisyTrend {
		c.Noisy = true
		c.Notes = append(c.Notes, fmt.Sprintf("rising latency over the run: the last third's median is %.2f× the first third's", c.Trend))
	}
	for _, l := range []struct {
		when string
		v    float64
	}{{"before", before}, {"after", after}} {
		if l.v > noisyLoad*cores {
			c.Noisy = true
			c.Notes = append(c.Notes, fmt.Sprintf("load average %.2f %s the run on %d cores: other work shared the device", l.v, l.when, runtime.NumCPU()))
		}
	}
	if fp.Emulated {
		c.Notes = append(c.Notes, "emulated: the latencies are an emulator's (qemu-user), not the device's")
	}
	if maxCI > 0 {
		switch w := ci.WidthPct(res.LatencyMs.P50); {
		case w <= maxCI:
			c.Notes = append(c.Notes, fmt.Sprintf("median's 95%% interval %.3g%% of it wide (asked ≤ %.3g%%) after %d round(s), %d runs", w, maxCI, rounds, res.Runs))
		default:
			c.Notes = append(c.Notes, fmt.Sprintf("median's 95%% interval still %.3g%% of it wide (asked ≤ %.3g%%) after %d round(s), %d runs: stopped at the bound", w, maxCI, rounds, res.Runs))
		}
	}
	return &BenchResult{Bench: res, Conditions: c}, nil
}

// pool adds a further round's runs to res and sums it up again.
func pool(res, more *bench.Result) {
	res.Samples = append(res.Samples, more.Samples...)
	res.Runs = len(res.Samples)
	res.MeasuredS += more.MeasuredS
	res.LatencyMs = bench.Summarize(res.Samples)
	if res.MeasuredS > 0 {
		res.ThroughputPerS = round3(float64(res.Batch) * float64(res.Runs) / res.MeasuredS)
	}
	if res.MACs != nil && res.LatencyMs.P50 > 0 {
		g := float64(*res.MACs) / (res.LatencyMs.P50 / 1e3) / 1e9
		g = math.Round(g*1e3) / 1e3
		res.AchievedGMACsPerS = &g
	}
	res.PeakRSSBytes = max(res.PeakRSSBytes, more.PeakRSSBytes)
}

func round3(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return 0
	}
	return math.Round(x*1e3) / 1e3
}

// retryable: a request error (settings the job got wrong, a build without
// ONNX Runtime) fails the same way every time.
func retryable(err error) bool {
	return !request.Is(err) && !errors.Is(err, ort.ErrNotBuilt) && !errors.Is(err, ort.ErrNotFound)
}
