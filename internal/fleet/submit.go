package fleet

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/store"
)

// StaleAfter: a device not heard of for this long is stale; it gets no
// new jobs of its own, and the API shows it stale. 30 s, or the duration
// in NETSCORE_STALE_AFTER (read at start; the multi-process tests shorten
// it in the commands they start, which are separate processes).
var StaleAfter = staleAfter(os.Getenv("NETSCORE_STALE_AFTER"))

func staleAfter(env string) time.Duration {
	if d, err := time.ParseDuration(env); err == nil && d > 0 {
		return d
	}
	return 30 * time.Second
}

// BenchRequest asks for a model's latency on devices named or matching
// labels (live ones only).
type BenchRequest struct {
	Model         ModelRef     `json:"model"`
	Devices       []string     `json:"devices,omitempty"`
	Labels        []string     `json:"labels,omitempty"`
	Config        bench.Config `json:"config"`
	MaxCIWidthPct float64      `json:"max_ci_width_pct,omitempty"`
	// Timeout bounds each attempt (0: the worker's --job-timeout).
	Timeout time.Duration `json:"timeout_ns,omitempty"`
}

// Submitted is a submission: its id and one job per device.
type Submitted struct {
	Batch string           `json:"batch"`
	Jobs  map[string]int64 `json:"jobs"` // device → job id
}

// client is an insert-only River client over the store's database.
func client(st *store.Store) (*river.Client[*sql.Tx], error) {
	return river.NewClient(Driver(st), &river.Config{})
}

// SubmitBench queues one bench job per device, in one transaction.
func SubmitBench(ctx context.Context, st *store.Store, req BenchRequest) (*Submitted, error) {
	if err := req.Config.Validate(); err != nil {
		return nil, err
	}
	if len(req.Devices) == 0 && len(req.Labels) == 0 {
		return nil, request.Errorf("name the devices (--devices) or their labels (--labels)")
	}
	targets, err := pickDevices(ctx, st, req.Devices, req.Labels)
	if err != nil {
		return nil, err
	}
	c, err := client(st)
	if err != nil {
		return nil, err
	}
	out := &Submitted{Batch: "b" + store.NewID()[1:], Jobs: map[string]int64{}}
	tx, err := st.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, d := range targets {
		res, err := c.InsertTx(ctx, tx, BenchArgs{Model: req.Model, Device: d, Batch: out.Batch, Config: req.Config,
			MaxCIWidthPct: req.MaxCIWidthPct, Timeout: req.Timeout}, nil)
		if err != nil {
			return nil, err
		}
		out.Jobs[d] = res.Job.ID
	}
	return out, tx.Commit()
}

// SubmitBenchAny queues one bench that any one live device with all of
// req.Labels may take (no labels: any device), on the labels' queue: the
// first such worker free takes it, and if that worker dies mid-run the job
// is rescued and taken by another. It is for spreading many measurements
// over a pool of alike devices (and for the fault tests); comparing
// devices needs SubmitBench, one job per device. Submitted.Jobs has the one
// job under "" (no device yet).
func SubmitBenchAny(ctx context.Context, st *store.Store, req BenchRequest) (*Submitted, error) {
	if err := req.Config.Validate(); err != nil {
		return nil, err
	}
	if len(req.Devices) > 0 {
		return nil, request.Errorf("a bench for any device names no devices (labels only)")
	}
	if _, err := pickDevices(ctx, st, nil, req.Labels); err != nil {
		return nil, err
	}
	c, err := client(st)
	if err != nil {
		return nil, err
	}
	out := &Submitted{Batch: "b" + store.NewID()[1:], Jobs: map[string]int64{}}
	res, err := c.Insert(ctx, BenchArgs{Model: req.Model, Labels: req.Labels, Batch: out.Batch, Config: req.Config,
		MaxCIWidthPct: req.MaxCIWidthPct, Timeout: req.Timeout}, nil)
	if err != nil {
		return nil, err
	}
	out.Jobs[""] = res.Job.ID
	return out, nil
}

// pickDevices resolves names and labels to live registered devices.
func pickDevices(ctx context.Context, st *store.Store, names, labels []string) ([]string, error) {
	devs, err := st.Devices(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	known := map[string]*store.Device{}
	for _, d := range devs {
		known[d.Name] = d
	}
	var out []string
	for _, n := range names {
		d, ok := known[n]
		switch {
		case !ok:
			return nil, request.Errorf("no device %q is registered (known: %s)", n, deviceNames(devs))
		case d.Stale(now, StaleAfter):
			return nil, request.Errorf("device %q is stale: no heartbeat for %s", n, now.Sub(d.Heartbeat).Round(time.Second))
		case !HasLabels(d.Labels, labels):
			return nil, request.Errorf("device %q lacks the labels %s", n, strings.Join(labels, ","))
		}
		out = append(out, n)
	}
	if len(names) == 0 {
		for _, d := range devs {
			if HasLabels(d.Labels, labels) && !d.Stale(now, StaleAfter) {
				out = append(out, d.Name)
			}
		}
		if len(out) == 0 {
			return nil, request.Errorf("no live device has the labels %s (known: %s)", strings.Join(labels, ","), deviceNames(devs))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func deviceNames(devs []*store.Device) string {
	if len(devs) == 0 {
		return "none; start `netscore worker` on a device"
	}
	var names []string
	for _, d := range devs {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

// Job is a fleet job as `netscore jobs` lists it.
type Job struct {
	ID     int64    `json:"id"`
	Kind   string   `json:"kind"`
	Queue  string   `json:"queue"`
	Device string   `json:"device,omitempty"`
	Labels []string `json:"labels,omitempty"` // a job for any device with them
	// MeasuredOn is the device whose result was kept.
	MeasuredOn string          `json:"measured_on,omitempty"`
	Model      string          `json:"model,omitempty"`
	ModelID    string          `json:"model_id,omitempty"`
	Batch      string          `json:"batch,omitempty"`
	Shard      *int            `json:"shard,omitempty"`  // an eval shard's
	Shards     int             `json:"shards,omitempty"` // of this many
	State      string          `json:"state"`
	Attempt    int             `json:"attempt"`
	Errors     []string        `json:"errors,omitempty"`
	Created    time.Time       `json:"created"`
	Finished   *time.Time      `json:"finished,omitempty"`
	Result     json.RawMessage `json:"result,omitempty"`
}

// ListJobs lists the newest fleet jobs with their results.
func ListJobs(ctx context.Context, st *store.Store, limit int) ([]Job, error) {
	c, err := client(st)
	if err != nil {
		return nil, err
	}
	res, err := c.JobList(ctx, river.NewJobListParams().Kinds(KindBench, KindEvalShard).First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc).
		States(allStates...))
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(res.Jobs))
	for i, j := range res.Jobs {
		ids[i] = j.ID
	}
	results, err := st.ResultsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	byJob := map[int64]*store.Result{}
	for _, r := range results {
		byJob[r.JobID] = r
	}
	out := make([]Job, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		job := Job{ID: j.ID, Kind: j.Kind, Queue: j.Queue, State: string(j.State), Attempt: j.Attempt, Created: j.CreatedAt, Finished: j.FinalizedAt}
		var args struct {
			BenchArgs
			Config struct {
				Shard  int `json:"shard"`
				Shards int `json:"shards"`
			} `json:"config"`
		}
		if err := json.Unmarshal(j.EncodedArgs, &args); err == nil {
			job.Device, job.Model, job.ModelID, job.Batch, job.Labels = args.Device, args.Model.Name, args.Model.ID, args.Batch, args.Labels
			if j.Kind == KindEvalShard {
				job.Shard, job.Shards = &args.Config.Shard, args.Config.Shards
			}
		}
		for _, e := range j.Errors {
			job.Errors = append(job.Errors, e.Error)
		}
		if r := byJob[j.ID]; r != nil {
			job.Result = json.RawMessage(r.Result)
			job.MeasuredOn = r.Device
			if job.Device == "" || j.Kind == KindEvalShard { // a job for any device: the one that took it
				job.Device = r.Device
			}
		}
		out = append(out, job)
	}
	return out, nil
}

// Wait blocks until every job of a submission has ended (completed,
// cancelled or discarded), or ctx ends.
func Wait(ctx context.Context, st *store.Store, ids []int64, poll time.Duration) error {
	c, err := client(st)
	if err != nil {
		return err
	}
	for {
		res, err := c.JobList(ctx, river.NewJobListParams().IDs(ids...).First(len(ids)).
			States(rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded))
		if err != nil {
			return err
		}
		if len(res.Jobs) == len(ids) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d jobs: %w", len(ids)-len(res.Jobs), ctx.Err())
		case <-time.After(poll):
		}
	}
}
