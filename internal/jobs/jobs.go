// Package jobs runs the server's work — analysing an uploaded model — as
// River jobs (github.com/riverqueue/river) in the store's own database: its
// SQLite driver for the embedded default, its database/sql PostgreSQL
// driver for shared deployments. Both take a *sql.Tx, so a job is inserted
// in the same transaction as the model row it works on: an upload that was
// answered is queued, and a queued job outlives a restart or a crash.
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/store"
)

// Config bounds the queue.
type Config struct {
	// Workers is the number of analyses run at once (default 2).
	Workers int
	// Timeout ends an analysis that runs longer (default 2 minutes);
	// a job left running by a process that died is rescued after Rescue
	// (default Timeout + a quarter of it, 5 to 30 s: 2m30s by default) and
	// run again. On SQLite, Start makes such jobs available at once.
	Timeout, Rescue time.Duration
	// Poll is how often idle workers look for jobs (default 50 ms).
	Poll   time.Duration
	Logger *slog.Logger
	// OnDone is told of every model whose analysis ended (done or failed).
	OnDone func(id string)
}

// Queue is River's client over the store's database.
type Queue struct {
	client *river.Client[*sql.Tx]
	st     *store.Store
	log    *slog.Logger
}

// AnalyzeArgs is the job that analyses one uploaded model.
type AnalyzeArgs struct {
	ModelID string `json:"model_id"`
}

// Kind names the job in River's table.
func (AnalyzeArgs) Kind() string { return "analyze" }

// InsertOpts: a failed analysis is a fact about the file, not a fluke, so
// a job has few attempts; the model id makes a job unique while queued.
func (AnalyzeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3}
}

// New migrates River's tables in st's database and makes its client.
func New(ctx context.Context, st *store.Store, cfg Config) (*Queue, error) {
	driver := fleet.Driver(st)
	if err := fleet.Migrate(ctx, st); err != nil {
		return nil, fmt.Errorf("job queue migrations: %w", err)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Rescue <= cfg.Timeout {
		cfg.Rescue = cfg.Timeout + rescueMargin(cfg.Timeout)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 50 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &analyzeWorker{st: st, onDone: cfg.OnDone, log: cfg.Logger})
	// The fleet's jobs share River's tables: as leader, this client's rescuer
	// must retry a device's stuck bench, not discard it as an unknown kind.
	fleet.AddRescuers(workers)
	client, err := river.NewClient(driver, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		JobTimeout:           cfg.Timeout,
		RescueStuckJobsAfter: cfg.Rescue,
		FetchPollInterval:    cfg.Poll,
		FetchCooldown:        cfg.Poll / 5,
		// LISTEN/NOTIFY is not there on SQLite nor through database/sql:
		// workers poll, every Poll.
		PollOnly: true,
		Logger:   cfg.Logger.With("component", "river"),
	})
	if err != nil {
		return nil, err
	}
	return &Queue{client: client, st: st, log: cfg.Logger}, nil
}

// rescueMargin is how long past its timeout a running job is taken for
// abandoned: a quarter of the timeout, at least 5 s and at most 30 s. A
// rescued job that was in fact still running costs a second analysis's
// time, never a second count: Store.Finish only records a running model.
func rescueMargin(timeout time.Duration) time.Duration {
	return min(max(timeout/4, 5*time.Second), 30*time.Second)
}

// Start starts working jobs; the workers stop when ctx ends or Stop is called.
//
// On SQLite one process owns the database, so a job marked running when it
// starts was left by a process that died (kill -9, power loss): it is made
// available again now, instead of waiting for River's rescuer (which runs
// on the elected leader, after the dead one's 15 s lease, every 30 s, for
// jobs running longer than Rescue). The model's row says running, which
// Store.Start accepts; its analysis count only moves when an analysis ends.
func (q *Queue) Start(ctx context.Context) error {
	if q.st.Dialect == store.SQLite {
		res, err := q.st.DB.ExecContext(ctx, "UPDATE river_job SET state = 'available' WHERE state = 'running'")
		if err != nil {
			return fmt.Errorf("requeueing the jobs of a previous run: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			q.log.Info("requeued jobs left running by a previous run", "jobs", n)
		}
	}
	return q.client.Start(ctx)
}

// Stop waits for running jobs to finish, until ctx ends; then it cancels
// them (they go back to the queue and run again after a restart).
func (q *Queue) Stop(ctx context.Context) error { return fleet.Stop(ctx, q.client) }

// EnqueueAnalysis queues the analysis of a model in tx.
func (q *Queue) EnqueueAnalysis(ctx context.Context, tx *sql.Tx, modelID string) (int64, error) {
	res, err := q.client.InsertTx(ctx, tx, AnalyzeArgs{ModelID: modelID}, nil)
	if err != nil {
		return 0, err
	}
	return res.Job.ID, nil
}

// Job is one job as the job list shows it.
type Job struct {
	ID       int64     `json:"id"`
	Kind     string    `json:"kind"`
	State    string    `json:"state"`
	ModelID  string    `json:"model_id,omitempty"`
	Attempt  int       `json:"attempt"`
	Errors   []string  `json:"errors,omitempty"`
	Created  time.Time `json:"created"`
	Finished time.Time `json:"finished,omitzero"`
}

// List returns the newest jobs, at most limit.
func (q *Queue) List(ctx context.Context, limit int) ([]Job, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc).
		States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
			rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateCancelled, rivertype.JobStatePending))
	if err != nil {
		return nil, err
	}
	out := make([]Job, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		job := Job{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempt: j.Attempt, Created: j.CreatedAt}
		if j.FinalizedAt != nil {
			job.Finished = *j.FinalizedAt
		}
		var args AnalyzeArgs
		if json.Unmarshal(j.EncodedArgs, &args) == nil {
			job.ModelID = args.ModelID
		}
		for _, e := range j.Errors {
			job.Errors = append(job.Errors, e.Error)
		}
		out = append(out, job)
	}
	return out, nil
}

type analyzeWorker struct {
	river.WorkerDefaults[AnalyzeArgs]
	st     *store.Store
	onDone func(string)
	log    *slog.Logger
}

// Work analyses the model once: a job run again after a crash finds the
// model done and returns.
func (w *analyzeWorker) Work(ctx context.Context, job *river.Job[AnalyzeArgs]) error {
	id := job.Args.ModelID
	ok, err := w.st.Start(ctx, id)
	if err != nil || !ok {
		return err // gone or done: nothing to do
	}
	a, ferr := Analyze(ctx, w.st, id)
	if ferr != nil {
		if ctx.Err() != nil {
			return ferr // timeout or shutdown: River retries it
		}
		w.log.Info("analysis failed", "model", id, "error", ferr)
		if err := w.st.Fail(ctx, id, ferr.Error()); err != nil {
			return err
		}
		w.done(id)
		return river.JobCancel(ferr) // the file's fault: trying again finds the same
	}
	if err := w.st.Finish(ctx, id, *a); err != nil {
		return err
	}
	w.log.Info("analysed", "model", id, "params", a.Params, "macs", a.MACs, "job", job.ID)
	w.done(id)
	return nil
}

func (w *analyzeWorker) done(id string) {
	if w.onDone != nil {
		w.onDone(id)
	}
}

// Analyze runs inspect on a stored model with its inputs, layers included,
// and names the model by its upload name, never by its blob path.
func Analyze(ctx context.Context, st *store.Store, id string) (*store.Analysis, error) {
	m, err := st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	path, err := st.Blobs.Path(m.SHA256)
	if err != nil {
		return nil, err
	}
	bind, err := manifest.ParseInput(m.Input)
	if err != nil {
		return nil, fmt.Errorf("input %q: %v", m.Input, err)
	}
	s, err := inspect.File(ctx, path, inspect.Request{Bind: bind, Layers: true})
	if err != nil {
		return nil, errors.New(strings.ReplaceAll(err.Error(), path, m.Name))
	}
	s.Model = m.Name
	js, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return &store.Analysis{Format: s.Format, Params: s.Params, MACs: s.MACs, Complete: s.Complete,
		Coverage: s.Coverage.NodeShare, Shapes: s.Shapes, Summary: string(js)}, nil
}
