package fleet

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/netscore/netscore/internal/bench"
)

// Job kinds.
const (
	KindBench = "fleet_bench"
)

// ModelRef names a stored model and its file by content.
type ModelRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// BenchArgs measures a model's latency on one device.
type BenchArgs struct {
	Model  ModelRef     `json:"model"`
	Device string       `json:"device"`
	Batch  string       `json:"batch"`  // the submission's id
	Config bench.Config `json:"config"` // Model is set by the worker to its copy of the file
	// MaxCIWidthPct repeats the timed runs until the median's 95%
	// interval is narrower than this share of the median (0: once).
	MaxCIWidthPct float64 `json:"max_ci_width_pct,omitempty"`
	// Labels: a job any live device with all of them may take (Device is
	// then empty; SubmitBenchAny).
	Labels []string `json:"labels,omitempty"`
	// Timeout stops an attempt that runs longer (0: the worker's
	// --job-timeout). It travels with the job so that whichever River client
	// leads (the server, another device) knows when an attempt whose worker
	// died is stuck, and rescues it then.
	Timeout time.Duration `json:"timeout_ns,omitempty"`
}

// DefaultJobTimeout is a bench attempt's timeout when neither the job nor
// the worker sets one.
const DefaultJobTimeout = 10 * time.Minute

// Kind names the job in River's table.
func (BenchArgs) Kind() string { return KindBench }

// maxAttempts: a bench that failed on every attempt ends discarded with its
// errors; three tries cover a worker that died mid-run.
const maxAttempts = 3

// InsertOpts: the device's queue, or the labels' one when no device is named.
func (a BenchArgs) InsertOpts() river.InsertOpts {
	q := DeviceQueue(a.Device)
	if a.Device == "" {
		q = LabelQueue(a.Labels)
	}
	return river.InsertOpts{Queue: q, MaxAttempts: maxAttempts}
}

// BenchResult is what a bench job keeps: the measurement and the
// conditions it was made in.
type BenchResult struct {
	Bench      *bench.Result `json:"bench"`
	Conditions Conditions    `json:"conditions"`
}

// Conditions of a measurement: what else the device was doing, and whether
// the figures look disturbed.
type Conditions struct {
	LoadBefore float64  `json:"load_before"` // 1-minute load average; -1 unknown
	LoadAfter  float64  `json:"load_after"`
	Threads    int      `json:"threads"`
	Provider   string   `json:"execution_provider"`
	Emulated   bool     `json:"emulated"`
	Noisy      bool     `json:"noisy"`
	Notes      []string `json:"notes,omitempty"`
	// Started and Ended bound the measurement, taken while the worker held
	// its device: two measurements on one device never overlap.
	Started time.Time `json:"started"`
	Ended   time.Time `json:"ended"`
	// Trend is the median of the last third of the timed runs over that of
	// the first third (0: too few runs); over 1.1 is noisy.
	Trend float64 `json:"trend"`
	// Rounds is how many benches were pooled (more than one when repeating
	// for a narrow interval); MedianCIMs the median's distribution-free 95%
	// interval over all the runs and CIWidthPct its width in percent of
	// the median (absent under 6 runs).
	Rounds     int         `json:"rounds"`
	MedianCIMs *[2]float64 `json:"median_ci_ms,omitempty"`
	CIWidthPct *float64    `json:"ci_width_pct,omitempty"`
}
