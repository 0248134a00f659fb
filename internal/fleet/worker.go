package fleet

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/netscore/netscore/internal/store"
)

// WorkerConfig is what `netscore worker` takes.
type WorkerConfig struct {
	Name   string
	Labels []string
	// Fetch gets a model's file onto the device (from the server).
	Fetch *Fetcher
	// DataRoot is where a relative eval --data is found on this device
	// ("": the worker's working folder); an absolute one is taken as is.
	DataRoot string
	// Heartbeat is how often the device says it is alive (default 5 s).
	Heartbeat time.Duration
	// JobTimeout ends a job that runs longer when the job sets no timeout
	// of its own (default 10 minutes). Rescue: when this worker's River
	// client leads, a job still running after this long whose own timeout
	// has also passed (its worker died) is retried (default JobTimeout +
	// 1 minute; at least JobTimeout). River's rescuer looks every 30 s.
	JobTimeout, Rescue time.Duration
	Poll               time.Duration // how often idle queues are polled (default 200 ms)
	Logger             *slog.Logger
}

// Worker is a device's worker: registered, heartbeating, working jobs.
type Worker struct {
	cfg    WorkerConfig
	st     *store.Store
	client *river.Client[*sql.Tx]
	fp     Fingerprint
	// device is held while a job measures: one measurement at a time,
	// whatever queue its job came from. A channel, so that a job waiting
	// for the device gives up when its context ends.
	device chan struct{}
}

// Driver is River's driver for the store's database.
func Driver(st *store.Store) riverdriver.Driver[*sql.Tx] {
	if st.Dialect == store.Postgres {
		return riverdatabasesql.New(st.DB)
	}
	return riversqlite.New(st.DB)
}

// Stop stops a River client: running jobs finish until ctx ends, then
// they are cancelled (they go back to the queue and run again).
func Stop(ctx context.Context, c *river.Client[*sql.Tx]) error {
	err := c.Stop(ctx)
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return c.StopAndCancel(cctx)
	}
	return err
}

// Migrate applies River's migrations (the server does it too; a worker
// may start first).
func Migrate(ctx context.Context, st *store.Store) error {
	mig, err := rivermigrate.New(Driver(st), nil)
	if err != nil {
		return err
	}
	_, err = mig.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// NewWorker registers the device and makes its River client.
func NewWorker(ctx context.Context, st *store.Store, cfg WorkerConfig) (*Worker, error) {
	if err := ValidName(cfg.Name); err != nil {
		return nil, err
	}
	if cfg.Fetch == nil {
		return nil, errors.New("worker: no way to fetch model files (--server)")
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 5 * time.Second
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 10 * time.Minute
	}
	if cfg.Rescue <= 0 {
		cfg.Rescue = cfg.JobTimeout + time.Minute
	}
	cfg.Rescue = max(cfg.Rescue, cfg.JobTimeout) // River refuses less
	if cfg.Poll <= 0 {
		cfg.Poll = 200 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := Migrate(ctx, st); err != nil {
		return nil, fmt.Errorf("job queue migrations: %w", err)
	}
	w := &Worker{cfg: cfg, st: st, fp: ReadFingerprint(), device: make(chan struct{}, 1)}
	fp, _ := json.Marshal(w.fp)
	if err := st.RegisterDevice(ctx, &store.Device{Name: cfg.Name, Labels: cfg.Labels, Fingerprint: string(fp)}); err != nil {
		return nil, fmt.Errorf("registering %s: %w", cfg.Name, err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &benchWorker{w: w})
	river.AddWorker(workers, &evalWorker{w: w})
	river.AddWorker(workers, rescueAnalyze{})
	queues := map[string]river.QueueConfig{}
	for _, q := range Queues(cfg.Name, cfg.Labels) {
		queues[q] = river.QueueConfig{MaxWorkers: 1}
	}
	client, err := river.NewClient(Driver(st), &river.Config{
		Queues: queues, Workers: workers,
		JobTimeout: cfg.JobTimeout, RescueStuckJobsAfter: cfg.Rescue,
		FetchPollInterval: cfg.Poll, FetchCooldown: cfg.Poll / 4, PollOnly: true,
		ID:     cfg.Name + "-" + fmt.Sprint(time.Now().UnixNano()),
		Logger: cfg.Logger.With("component", "river"),
	})
	if err != nil {
		return nil, err
	}
	w.client = client
	return w, nil
}

// Fingerprint is what the worker read of its machine.
func (w *Worker) Fingerprint() Fingerprint { return w.fp }

// Run works jobs and heartbeats until ctx ends; then it lets the running
// job finish for up to grace, and cancels it after (it is retried).
func (w *Worker) Run(ctx context.Context, grace time.Duration) error {
	if err := w.client.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	w.cfg.Logger.Info("worker ready", "device", w.cfg.Name, "labels", w.cfg.Labels, "arch", runtime.GOARCH, "emulated", w.fp.Emulated)
	tick := time.NewTicker(w.cfg.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if err := w.st.Heartbeat(ctx, w.cfg.Name); err != nil && ctx.Err() == nil {
				w.cfg.Logger.Warn("heartbeat failed", "error", err)
			}
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), grace)
			defer cancel()
			return Stop(sctx, w.client)
		}
	}
}

type benchWorker struct {
	river.WorkerDefaults[BenchArgs]
	w *Worker
}

// Timeout: a bench may take as long as its job allows, or else the worker.
func (b *benchWorker) Timeout(job *river.Job[BenchArgs]) time.Duration {
	return cmp.Or(job.Args.Timeout, b.w.cfg.JobTimeout)
}

func (b *benchWorker) Work(ctx context.Context, job *river.Job[BenchArgs]) error {
	w := b.w
	path, err := w.cfg.Fetch.Get(ctx, job.Args.Model.SHA256)
	if err != nil {
		return err
	}
	release, err := w.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	cfg := job.Args.Config
	cfg.Model = path
	res, err := measureBench(ctx, cfg, job.Args.MaxCIWidthPct, w.fp)
	if err != nil {
		if ctx.Err() == nil && !retryable(err) {
			return river.JobCancel(fmt.Errorf("%s: %w", job.Args.Model.Name, err))
		}
		return err
	}
	res.Bench.Model = job.Args.Model.Name
	js, err := json.Marshal(res)
	if err != nil {
		return err
	}
	kept, err := w.st.PutResult(ctx, &store.Result{JobID: job.ID, Kind: "bench", ModelID: job.Args.Model.ID, Device: w.cfg.Name,
		Batch: job.Args.Batch, Shards: 1, Result: string(js)})
	if err != nil {
		return err
	}
	w.cfg.Logger.Info("bench done", "job", job.ID, "model", job.Args.Model.Name, "p50_ms", res.Bench.LatencyMs.P50, "kept", kept)
	return nil
}

// River's rescuer runs on whichever client leads, and it discards a stuck
// job of a kind that client has no worker for ("unhandled job kind"). The
// server's client and the devices' clients share the database, so each
// registers the other's kinds: these workers are never given a job (no
// queue of theirs holds one); they tell the rescuer the job's timeout.

// acquire takes the device for one measurement, waiting at most until
// ctx ends (the job's timeout).
func (w *Worker) acquire(ctx context.Context) (release func(), err error) {
	select {
	case w.device <- struct{}{}:
		return func() { <-w.device }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the device: %w", ctx.Err())
	}
}

// AddRescuers registers the fleet's job kinds on a River client that does
// not work them (the server's), so that as leader it retries a bench whose
// worker died instead of discarding it, once the job's timeout has passed.
func AddRescuers(workers *river.Workers) {
	river.AddWorker(workers, rescueBench{})
	river.AddWorker(workers, rescueEval{})
}

type rescueEval struct {
	river.WorkerDefaults[EvalShardArgs]
}

func (rescueEval) Timeout(job *river.Job[EvalShardArgs]) time.Duration {
	return cmp.Or(job.Args.Timeout, DefaultJobTimeout)
}

func (rescueEval) Work(context.Context, *river.Job[EvalShardArgs]) error {
	return errors.New("fleet jobs are worked by netscore worker on a device, not here")
}

type rescueBench struct {
	river.WorkerDefaults[BenchArgs]
}

func (rescueBench) Timeout(job *river.Job[BenchArgs]) time.Duration {
	return cmp.Or(job.Args.Timeout, DefaultJobTimeout)
}

func (rescueBench) Work(context.Context, *river.Job[BenchArgs]) error {
	return errors.New("fleet jobs are worked by netscore worker on a device, not here")
}

// analyzeKind is the server's analysis job (internal/jobs.AnalyzeArgs; a
// test checks the kind), known here for the rescuer only.
type analyzeKind struct {
	ModelID string `json:"model_id"`
}

func (analyzeKind) Kind() string { return "analyze" }

type rescueAnalyze struct {
	river.WorkerDefaults[analyzeKind]
}

func (rescueAnalyze) Work(context.Context, *river.Job[analyzeKind]) error {
	return errors.New("analyses are worked by netscore serve, not by a device")
}
