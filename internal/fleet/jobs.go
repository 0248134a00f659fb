package fleet

import (
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
}

// Kind names the job in River's table.
func (BenchArgs) Kind() string { return KindBench }

// InsertOpts: a bench that failed on every attempt ends discarded with its
// errors; three tries cover a worker that died mid-run.
func (a BenchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: DeviceQueue(a.Device), MaxAttempts: 3}
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
}
