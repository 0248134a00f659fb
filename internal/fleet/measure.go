package fleet

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/request"
)

// Noise thresholds: a p99 over twice the median, or a load average over
// half the cores before or after, marks a bench noisy.
const (
	noisyTail = 2.0
	noisyLoad = 0.5
)

// measureBench runs one bench and records its conditions.
func measureBench(ctx context.Context, cfg bench.Config, maxCI float64, fp Fingerprint) (*BenchResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	before := LoadAverage()
	res, err := bench.Run(ctx, cfg, nil)
	if err != nil {
		return nil, err
	}
	after := LoadAverage()
	c := Conditions{LoadBefore: before, LoadAfter: after, Threads: res.Threads, Provider: "CPUExecutionProvider", Emulated: fp.Emulated}
	cores := float64(runtime.NumCPU())
	if l := res.LatencyMs; l.P50 > 0 && l.P99/l.P50 > noisyTail {
		c.Noisy = true
		c.Notes = append(c.Notes, fmt.Sprintf("wide tail: p99 %.3g ms is %.1f× the median", l.P99, l.P99/l.P50))
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
		c.Notes = append(c.Notes, "repeating until the median's interval is narrow is not available yet: measured once")
	}
	return &BenchResult{Bench: res, Conditions: c}, nil
}

// retryable: a request error (settings the job got wrong, a build without
// ONNX Runtime) fails the same way every time.
func retryable(err error) bool {
	return !request.Is(err) && !errors.Is(err, ort.ErrNotBuilt) && !errors.Is(err, ort.ErrNotFound)
}
