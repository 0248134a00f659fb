package fleet

// Sharded eval over the fleet: SubmitEval queues one job per shard of a
// labelled set (eval.Config.Shard of Shards: image i of the listing goes
// to shard i mod Shards), on the label-set queue so that any free matching
// device takes the next shard, or on named devices' own queues; each
// worker evaluates its shard of the data under the path given at submit,
// which must be present on every device (a shared mount, or a copy in the
// same place, or under each worker's --data-root), and keeps the shard's
// exact counts as the job's result; EvalReport merges them (eval.Merge)
// into the report a single machine gives.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/store"
)

// KindEvalShard is the kind of an eval shard job.
const KindEvalShard = "fleet_eval_shard"

// EvalShardArgs evaluates one shard of a labelled set on a device.
type EvalShardArgs struct {
	Model ModelRef `json:"model"`
	// Device, when set, is the device whose own queue takes the shard;
	// else any live device with all of Labels (the label-set queue).
	Device string   `json:"device,omitempty"`
	Labels []string `json:"labels,omitempty"`
	Batch  string   `json:"batch"`
	// Config is the evaluation: Data is the path on the device (relative:
	// under the worker's data root), Shard and Shards this job's place;
	// Model is set by the worker to its copy of the file; Workers 0: the
	// device's cores.
	Config eval.Config `json:"config"`
	// Timeout stops an attempt that runs longer (0: the worker's
	// --job-timeout); like BenchArgs.Timeout it travels with the job so
	// that whichever client leads knows when a shard whose worker died is
	// stuck.
	Timeout time.Duration `json:"timeout_ns,omitempty"`
}

// Kind names the job in River's table.
func (EvalShardArgs) Kind() string { return KindEvalShard }

// InsertOpts: the device's queue or the label set's; three tries cover a
// worker that died mid-shard (a retry may land on another device).
func (a EvalShardArgs) InsertOpts() river.InsertOpts {
	q := LabelQueue(a.Labels)
	if a.Device != "" {
		q = DeviceQueue(a.Device)
	}
	return river.InsertOpts{Queue: q, MaxAttempts: 3}
}

// EvalShardResult is what an eval shard job keeps: the shard's exact
// counts (eval.Part) and the device that made them.
type EvalShardResult struct {
	Part   *eval.Part `json:"part"`
	Device string     `json:"device"`
}

// EvalRequest asks for a model's accuracy on a labelled set, in Shards
// shards, on the devices named (shard i on device i mod len(Devices)) or
// on any live device with all the labels (none: any device).
type EvalRequest struct {
	Model   ModelRef    `json:"model"`
	Devices []string    `json:"devices,omitempty"`
	Labels  []string    `json:"labels,omitempty"`
	Shards  int         `json:"shards"`
	Config  eval.Config `json:"config"`
	// Timeout bounds each shard's attempt (0: the worker's --job-timeout).
	Timeout time.Duration `json:"timeout_ns,omitempty"`
}

// EvalSubmitted is an eval submission: its batch and one job per shard.
type EvalSubmitted struct {
	Batch  string  `json:"batch"`
	Shards int     `json:"shards"`
	Jobs   []int64 `json:"jobs"`  // by shard
	Queue  string  `json:"queue"` // the label-set queue, or the devices' queues
}

// SubmitEval queues one job per shard, in one transaction. The shard
// count is checked against the images on the device (it cannot be here).
func SubmitEval(ctx context.Context, st *store.Store, req EvalRequest) (*EvalSubmitted, error) {
	cfg := req.Config
	cfg.Shard, cfg.Shards = 0, req.Shards
	if req.Shards < 1 {
		return nil, request.Errorf("--shards must be at least 1")
	}
	check := cfg
	check.Workers = max(1, check.Workers)
	if err := check.Validate(); err != nil {
		return nil, err
	}
	labels := slices.Clone(req.Labels)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	devices, err := pickDevices(ctx, st, req.Devices, labels)
	if err != nil {
		return nil, err
	}
	c, err := client(st)
	if err != nil {
		return nil, err
	}
	out := &EvalSubmitted{Batch: "e" + store.NewID()[1:], Shards: req.Shards, Jobs: make([]int64, req.Shards), Queue: LabelQueue(labels)}
	if len(req.Devices) > 0 {
		out.Queue = "devices " + strings.Join(devices, ",")
	}
	tx, err := st.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for s := range req.Shards {
		a := EvalShardArgs{Model: req.Model, Labels: labels, Batch: out.Batch, Config: cfg, Timeout: req.Timeout}
		a.Config.Shard = s
		if len(req.Devices) > 0 {
			a.Device = devices[s%len(devices)]
		}
		res, err := c.InsertTx(ctx, tx, a, nil)
		if err != nil {
			return nil, err
		}
		out.Jobs[s] = res.Job.ID
	}
	return out, tx.Commit()
}

// ShardsError says which shards of a batch have no result, and why.
type ShardsError struct {
	Batch  string
	Shards int
	Ended  bool // every job has ended (some failed); else some are still to run
	Missed []ShardState
}

// ShardState is a shard's job: its state, the device that took it (or
// is named for it), its attempts and last error.
type ShardState struct {
	Shard   int    `json:"shard"`
	Job     int64  `json:"job"`
	State   string `json:"state"`
	Device  string `json:"device,omitempty"`
	Attempt int    `json:"attempt,omitempty"`
	Error   string `json:"error,omitempty"`
	// Images and Top1Correct are the shard's counts, once it has a result.
	Images      int `json:"images,omitempty"`
	Top1Correct int `json:"top1_correct,omitempty"`
}

func (e *ShardsError) Error() string {
	var s []string
	for _, m := range e.Missed {
		t := fmt.Sprintf("shard %d (job %d) %s", m.Shard, m.Job, m.State)
		if m.Error != "" {
			t += ": " + m.Error
		}
		s = append(s, t)
	}
	return fmt.Sprintf("eval %s: %d of %d shards have no result: %s", e.Batch, len(e.Missed), e.Shards, strings.Join(s, "; "))
}

// MergeError is a batch whose shards all have results that do not merge
// into one evaluation (eval.Merge refused them).
type MergeError struct {
	Batch string
	Err   error
}

func (e *MergeError) Error() string { return fmt.Sprintf("eval %s: %v", e.Batch, e.Err) }
func (e *MergeError) Unwrap() error { return e.Err }

// batchResults reads an eval batch's jobs and their results by job id.
func batchResults(ctx context.Context, st *store.Store, batch string) ([]*rivertype.JobRow, map[int64]*store.Result, error) {
	jobs, err := batchJobs(ctx, st, batch)
	if err != nil {
		return nil, nil, err
	}
	if len(jobs) == 0 {
		return nil, nil, request.Errorf("no eval batch %q", batch)
	}
	results, err := st.Results(ctx, "", batch)
	if err != nil {
		return nil, nil, err
	}
	byJob := map[int64]*store.Result{}
	for _, r := range results {
		byJob[r.JobID] = r
	}
	return jobs, byJob, nil
}

// EvalReport merges an eval batch's shards into the report a single run
// gives (eval.Merge), once every shard has its result; otherwise the error
// is a *ShardsError naming the shards missing, failed or still to run.
func EvalReport(ctx context.Context, st *store.Store, batch string) (*eval.Report, error) {
	jobs, byJob, err := batchResults(ctx, st, batch)
	if err != nil {
		return nil, err
	}
	var parts []*eval.Part
	devices := map[string]int{}
	shards := 0
	serr := &ShardsError{Batch: batch, Ended: true}
	for _, j := range jobs {
		var a EvalShardArgs
		if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
			return nil, fmt.Errorf("job %d: %w", j.ID, err)
		}
		shards = a.Config.Shards
		r := byJob[j.ID]
		if r == nil {
			ss := ShardState{Shard: a.Config.Shard, Job: j.ID, State: string(j.State)}
			if n := len(j.Errors); n > 0 {
				ss.Error = j.Errors[n-1].Error
			}
			switch j.State {
			case rivertype.JobStateCompleted:
				ss.State, ss.Error = "completed", "without a result"
			case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
			default:
				serr.Ended = false
			}
			serr.Missed = append(serr.Missed, ss)
			continue
		}
		var res EvalShardResult
		if err := json.Unmarshal([]byte(r.Result), &res); err != nil || res.Part == nil {
			return nil, fmt.Errorf("shard %d (job %d): unreadable result: %v", a.Config.Shard, j.ID, err)
		}
		parts = append(parts, res.Part)
		devices[r.Device]++
	}
	serr.Shards = shards
	if len(jobs) != shards {
		return nil, fmt.Errorf("eval %s: %d jobs for %d shards", batch, len(jobs), shards)
	}
	if len(serr.Missed) > 0 {
		slices.SortFunc(serr.Missed, func(a, b ShardState) int { return a.Shard - b.Shard })
		return nil, serr
	}
	rep, err := eval.Merge(parts)
	if err != nil {
		err = &MergeError{Batch: batch, Err: err}
	}
	if rep != nil {
		var on []string
		for _, d := range slices.Sorted(maps.Keys(devices)) {
			on = append(on, fmt.Sprintf("%s (%d)", d, devices[d]))
		}
		rep.Notes = append(rep.Notes, fmt.Sprintf("evaluated in %d shards (image i in shard i mod %d) on %s; the times are summed over the shards",
			shards, shards, strings.Join(on, ", ")))
	}
	return rep, err
}

// BatchJobs are the job ids of an eval batch, by shard.
func BatchJobs(ctx context.Context, st *store.Store, batch string) ([]int64, error) {
	jobs, err := batchJobs(ctx, st, batch)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	return ids, nil
}

// batchJobs lists an eval batch's jobs, in every state.
func batchJobs(ctx context.Context, st *store.Store, batch string) ([]*rivertype.JobRow, error) {
	c, err := client(st)
	if err != nil {
		return nil, err
	}
	res, err := c.JobList(ctx, river.NewJobListParams().Kinds(KindEvalShard).First(eval.MaxShards).OrderBy(river.JobListOrderByID, river.SortOrderAsc).
		States(allStates...).Where("args ->> 'batch' = @batch", river.NamedArgs{"batch": batch}))
	if err != nil {
		return nil, err
	}
	return res.Jobs, nil
}

var allStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable,
	rivertype.JobStateScheduled, rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateCancelled, rivertype.JobStatePending}

type evalWorker struct {
	river.WorkerDefaults[EvalShardArgs]
	w *Worker
}

// Timeout: a shard may take as long as its job allows, or else the worker.
func (e *evalWorker) Timeout(job *river.Job[EvalShardArgs]) time.Duration {
	return cmp.Or(job.Args.Timeout, e.w.cfg.JobTimeout)
}

// Work evaluates the shard. It holds the device lock: an eval's figures do
// not depend on what else runs, but a bench on the same device would
// measure with the eval's load beside it, and two shards at once would
// only share the cores.
func (e *evalWorker) Work(ctx context.Context, job *river.Job[EvalShardArgs]) error {
	w, a := e.w, job.Args
	cancel := func(err error) error {
		return river.JobCancel(fmt.Errorf("shard %d of %d on %s: %w", a.Config.Shard, a.Config.Shards, w.cfg.Name, err))
	}
	data := a.Config.Data
	if !filepath.IsAbs(data) && w.cfg.DataRoot != "" {
		data = filepath.Join(w.cfg.DataRoot, data)
	}
	if _, err := os.Stat(data); err != nil {
		// Not there now, not there on a retry: the device lacks the data.
		return cancel(fmt.Errorf("the data %s is not on this device (give every device the same data root): %w", data, errors.Unwrap(err)))
	}
	path, err := w.cfg.Fetch.Get(ctx, a.Model.SHA256)
	if err != nil {
		return err
	}
	cfg := a.Config
	cfg.Model, cfg.Data = path, data
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	release, err := w.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	part, err := eval.EvaluateShard(ctx, cfg, nil)
	if err != nil {
		if ctx.Err() == nil && !retryable(err) {
			return cancel(fmt.Errorf("%s: %w", a.Model.Name, err))
		}
		return err
	}
	// The report names what was submitted, not this device's paths, so
	// that the shards agree.
	part.Report.Model, part.Report.Data = a.Model.Name, a.Config.Data
	for i, f := range part.Outcome.Failed {
		if rel, err := filepath.Rel(data, f.Path); err == nil && !strings.HasPrefix(rel, "..") {
			part.Outcome.Failed[i].Path = filepath.Join(a.Config.Data, rel)
		}
	}
	js, err := json.Marshal(EvalShardResult{Part: part, Device: w.cfg.Name})
	if err != nil {
		return err
	}
	kept, err := w.st.PutResult(ctx, &store.Result{JobID: job.ID, Kind: "eval", ModelID: a.Model.ID, Device: w.cfg.Name,
		Batch: a.Batch, Shard: a.Config.Shard, Shards: a.Config.Shards, Result: string(js)})
	if err != nil {
		return err
	}
	w.cfg.Logger.Info("eval shard done", "job", job.ID, "model", a.Model.Name, "shard", a.Config.Shard, "shards", a.Config.Shards,
		"images", part.Outcome.Images, "top1_correct", part.Outcome.Top1Correct, "kept", kept)
	return nil
}

// EvalBatch is an eval batch's progress: every shard's job, and once every
// shard has its result the merged report.
type EvalBatch struct {
	Batch   string `json:"batch"`
	ModelID string `json:"model_id"`
	Model   string `json:"model"`
	Data    string `json:"data"`
	Shards  int    `json:"shards"`
	// State is running (some shard is still to run), done (every shard has
	// its result: Report is the merge) or failed (every job has ended and
	// some shard has no result, or the shards do not merge: Error says
	// which and why).
	State string `json:"state"`
	// Done counts the shards with a result.
	Done        int          `json:"done"`
	ShardStates []ShardState `json:"shard_states"`
	Error       string       `json:"error,omitempty"`
	Report      *eval.Report `json:"-"`
}

// Eval batch states.
const (
	EvalRunning = "running"
	EvalDone    = "done"
	EvalFailed  = "failed"
)

// EvalStatus says how far an eval batch has got; the error is a request
// error (request.Is) when there is no such batch.
func EvalStatus(ctx context.Context, st *store.Store, batch string) (*EvalBatch, error) {
	jobs, byJob, err := batchResults(ctx, st, batch)
	if err != nil {
		return nil, err
	}
	out := &EvalBatch{Batch: batch, ShardStates: make([]ShardState, 0, len(jobs))}
	ended := true
	for _, j := range jobs {
		var a EvalShardArgs
		if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
			return nil, fmt.Errorf("job %d: %w", j.ID, err)
		}
		out.ModelID, out.Model, out.Data, out.Shards = a.Model.ID, a.Model.Name, a.Config.Data, a.Config.Shards
		ss := ShardState{Shard: a.Config.Shard, Job: j.ID, State: string(j.State), Device: a.Device, Attempt: j.Attempt}
		if n := len(j.Errors); n > 0 {
			ss.Error = j.Errors[n-1].Error
		}
		if r := byJob[j.ID]; r != nil {
			out.Done++
			ss.Device = r.Device
			var res EvalShardResult
			if json.Unmarshal([]byte(r.Result), &res) == nil && res.Part != nil && res.Part.Outcome != nil {
				ss.Images, ss.Top1Correct = res.Part.Outcome.Images, res.Part.Outcome.Top1Correct
			}
		} else if j.FinalizedAt == nil {
			ended = false
		}
		out.ShardStates = append(out.ShardStates, ss)
	}
	slices.SortFunc(out.ShardStates, func(a, b ShardState) int { return a.Shard - b.Shard })
	switch {
	case out.Done == len(jobs) || ended:
		rep, err := EvalReport(ctx, st, batch)
		if err != nil {
			var se *ShardsError
			var me *MergeError
			if !errors.As(err, &se) && !errors.As(err, &me) {
				return nil, err
			}
			out.State, out.Error = EvalFailed, err.Error()
			return out, nil
		}
		out.State, out.Report = EvalDone, rep
	default:
		out.State = EvalRunning
	}
	return out, nil
}
