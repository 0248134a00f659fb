package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/store"
)

const workerUsage = `Usage: netscore worker --db URL --server URL [--name NAME] [--labels k=v,...]

Runs on a device: registers it (name, labels and a fingerprint read from the
machine: CPU, cores, memory, OS, architecture, ONNX Runtime), heartbeats, and
measures the models submitted to it (netscore submit) one at a time, fetching
each file from the server and checking its sha256; eval shards read their
images on this device (a relative --data under --data-root). Stops on SIGTERM
or Ctrl-C after the measurement in flight (--grace).

Environment: NETSCORE_DB, NETSCORE_SERVER (for --db, --server).

Flags:
`

// fleetStore opens the shared database a fleet command names.
func fleetStore(ctx context.Context, db string) (*store.Store, error) {
	if db == "" {
		return nil, request.Errorf("no database: pass --db postgres://… (or set NETSCORE_DB)")
	}
	return store.Open(ctx, "", db) // no model files here: they stay with the server
}

func workerCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("worker", workerUsage, stderr)
	db := fs.String("db", os.Getenv("NETSCORE_DB"), "the shared database `URL` (postgres://…)")
	server := fs.String("server", os.Getenv("NETSCORE_SERVER"), "the netscore server's `URL`, where model files come from")
	host, _ := os.Hostname()
	name := fs.String("name", strings.ToLower(host), "this device's `NAME` (lower-case letters, digits, - and _)")
	labels := fs.String("labels", "", "`k=v,...` labels jobs can ask for (arch=arm64,board=pi5)")
	dataRoot := fs.String("data-root", "", "`DIR` where a relative eval --data is found on this device (default: the working folder)")
	cache := fs.String("cache", filepath.Join(os.TempDir(), "netscore-worker"), "`DIR` for fetched model files")
	heartbeat := fs.Duration("heartbeat", 5*time.Second, "how often the device says it is alive")
	jobTimeout := fs.Duration("job-timeout", 10*time.Minute, "a measurement running longer is stopped and retried (when its job sets no --job-timeout)")
	rescue := fs.Duration("rescue-after", 0, "as River's leader, retry a job still running this long whose timeout has passed: its worker died (default: --job-timeout + 1m)")
	grace := fs.Duration("grace", time.Minute, "on SIGTERM, time left to the measurement in flight")
	logFormat := fs.String("log", "text", "log format: text or json")
	if _, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	}
	lbl, err := fleet.ParseLabels(*labels)
	if err != nil {
		return usageErr(stderr, "worker", err)
	}
	if err := fleet.ValidName(*name); err != nil {
		return usageErr(stderr, "worker", err)
	}
	if *server == "" {
		return usageErr(stderr, "worker", errors.New("no server: pass --server http://HOST:PORT (model files come from it)"))
	}
	log := newLogger(stderr, *logFormat)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := fleetStore(ctx, *db)
	if err != nil {
		return fail(stderr, "worker", err)
	}
	defer st.Close()
	w, err := fleet.NewWorker(ctx, st, fleet.WorkerConfig{Name: *name, Labels: lbl, Heartbeat: *heartbeat, JobTimeout: *jobTimeout, Rescue: *rescue,
		Fetch: &fleet.Fetcher{Server: *server, Dir: *cache}, DataRoot: *dataRoot, Logger: log})
	if err != nil {
		return fail(stderr, "worker", err)
	}
	if err := w.Run(ctx, *grace); err != nil {
		return fail(stderr, "worker", err)
	}
	return ExitOK
}

const submitUsage = `Usage: netscore submit bench MODEL --devices a,b | --labels k=v [--any] [flags]
       netscore submit eval MODEL --data DIR --shards N [flags] (netscore submit eval -h)

Queues a latency measurement of a model on every live device named or having all the
labels: one job per device, each measured alone on its device. With --any,
one job that the first free live device with all the labels takes (a pool of
alike devices). --max-ci repeats the timed runs until the median's 95%
interval is narrower than that share of the median (at most 10 rounds).
--wait blocks until they end and prints their results.

MODEL is a model's id on the server (as POST /api/v1/models answered it), or
a model file: the model stored with the same bytes, else the file uploaded
to --server with its --top1 (and NETSCORE_TOKEN, when set).

Environment: NETSCORE_DB, NETSCORE_SERVER, NETSCORE_TOKEN; NETSCORE_STALE_AFTER (default 30s: a device
not heard of for this long is stale and gets no jobs).

Flags:
`

func submitCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "eval" {
		return submitEvalCmd(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "bench" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stderr, submitUsage)
			return ExitOK
		}
		return usageErr(stderr, "submit", errors.New("want: netscore submit bench MODEL --devices … or netscore submit eval MODEL --data DIR --shards N"))
	}
	fs := newFlags("submit bench", submitUsage, stderr)
	db := fs.String("db", os.Getenv("NETSCORE_DB"), "the shared database `URL`")
	devices := fs.String("devices", "", "device `NAMES`, comma-separated")
	labels := fs.String("labels", "", "`k=v,...`: every live device with all of them")
	threads := fs.Int("threads", 0, "ONNX Runtime intra-op threads (0: its default)")
	runs := fs.Int("runs", 0, "timed runs (default: bench's)")
	warmup := fs.Int("warmup", 5, "untimed runs first")
	anyDev := fs.Bool("any", false, "one job for any one live device with the labels")
	maxCI := fs.Float64("max-ci", 0, "repeat until the median's 95% interval is narrower than `PCT` percent of it (0: measure once)")
	jobTimeout := fs.Duration("job-timeout", 0, "stop an attempt running longer, and retry it (0: the worker's --job-timeout)")
	wait := fs.Bool("wait", false, "wait until the jobs end and print their results")
	timeout := fs.Duration("timeout", 30*time.Minute, "with --wait, give up after this long")
	format := fs.String("format", "table", "output: table or json")
	var sf shapeFlags
	sf.register(fs)
	var mf modelFlags
	mf.register(fs)
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageErr(stderr, "submit", errors.New("name one model: its id on the server, or a file"))
	}
	lbl, err := fleet.ParseLabels(*labels)
	if err != nil {
		return usageErr(stderr, "submit", err)
	}
	bind, err := sf.options()
	if err != nil {
		return usageErr(stderr, "submit", err)
	}
	cfg := bench.Defaults("")
	cfg.Threads, cfg.Warmup, cfg.Bind = *threads, *warmup, bind
	if *runs > 0 {
		cfg.Runs = runs
	}
	st, err := fleetStore(ctx, *db)
	if err != nil {
		return fail(stderr, "submit", err)
	}
	defer st.Close()
	m, err := mf.submittedModel(ctx, st, pos[0], stderr)
	if err != nil {
		return fail(stderr, "submit", err)
	}
	var names []string
	for _, d := range strings.Split(*devices, ",") {
		if d = strings.TrimSpace(d); d != "" {
			names = append(names, d)
		}
	}
	if *maxCI < 0 || *jobTimeout < 0 {
		return usageErr(stderr, "submit", errors.New("--max-ci and --job-timeout must be >= 0"))
	}
	req := fleet.BenchRequest{Model: fleet.ModelRef{ID: m.ID, Name: m.Name, SHA256: m.SHA256},
		Devices: names, Labels: lbl, Config: cfg, MaxCIWidthPct: *maxCI, Timeout: *jobTimeout}
	submit := fleet.SubmitBench
	if *anyDev {
		submit = fleet.SubmitBenchAny
	}
	sub, err := submit(ctx, st, req)
	if err != nil {
		return fail(stderr, "submit", err)
	}
	ids := make([]int64, 0, len(sub.Jobs))
	for _, id := range sub.Jobs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if !*wait {
		return printJSONOr(stdout, *format, sub, func(w io.Writer) {
			fmt.Fprintf(w, "submitted %s: %d jobs\n", sub.Batch, len(ids))
			for _, d := range slices.Sorted(maps.Keys(sub.Jobs)) {
				if d == "" {
					fmt.Fprintf(w, "  job %d on any device with labels %s\n", sub.Jobs[d], strings.Join(lbl, ","))
					continue
				}
				fmt.Fprintf(w, "  job %d on %s\n", sub.Jobs[d], d)
			}
		})
	}
	wctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := fleet.Wait(wctx, st, ids, 200*time.Millisecond); err != nil {
		return fail(stderr, "submit", err)
	}
	return printJobs(ctx, st, stdout, stderr, *format, func(j fleet.Job) bool { return j.Batch == sub.Batch })
}

func jobsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("jobs", "Usage: netscore jobs --db URL [--format json] [--eval BATCH]\n\nLists the fleet's jobs (bench, eval shard), newest first, with state, device and\nresult; --eval prints an eval batch's merged report as 'netscore eval' does\n(an error names the shards without a result).\n\nFlags:\n", stderr)
	db := fs.String("db", os.Getenv("NETSCORE_DB"), "the shared database `URL`")
	format := fs.String("format", "table", "output: table or json")
	evalBatch := fs.String("eval", "", "print the merged report of the eval `BATCH` (netscore submit eval's id)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	}
	st, err := fleetStore(ctx, *db)
	if err != nil {
		return fail(stderr, "jobs", err)
	}
	defer st.Close()
	if *evalBatch != "" {
		return printEvalBatch(ctx, st, *evalBatch, *format, stdout, stderr)
	}
	return printJobs(ctx, st, stdout, stderr, *format, nil)
}

func printJobs(ctx context.Context, st *store.Store, stdout, stderr io.Writer, format string, keep func(fleet.Job) bool) int {
	list, err := fleet.ListJobs(ctx, st, 500)
	if err != nil {
		return fail(stderr, "jobs", err)
	}
	var shown []fleet.Job
	failed := false
	for _, j := range list {
		if keep == nil || keep(j) {
			shown = append(shown, j)
			failed = failed || j.State == "discarded" || j.State == "cancelled"
		}
	}
	if shown == nil {
		shown = []fleet.Job{}
	}
	code := printJSONOr(stdout, format, shown, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "job\tkind\tdevice\tmodel\tstate\tattempt\tresult")
		for _, j := range shown {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", j.ID, strings.TrimPrefix(j.Kind, "fleet_"), j.Device, j.Model, j.State, j.Attempt, resultText(j))
		}
		tw.Flush()
	})
	if code == ExitOK && failed {
		return ExitFailed
	}
	return code
}

// resultText is a job's result in a few words.
func resultText(j fleet.Job) string {
	if s, ok := evalResultText(j); ok {
		return s
	}
	if len(j.Result) > 0 {
		var r fleet.BenchResult
		if json.Unmarshal(j.Result, &r) == nil && r.Bench != nil {
			s := fmt.Sprintf("p50 %.3g ms, p99 %.3g ms", r.Bench.LatencyMs.P50, r.Bench.LatencyMs.P99)
			if r.Conditions.Noisy {
				s += " (noisy)"
			}
			if r.Conditions.Emulated {
				s += " (emulated)"
			}
			return s
		}
	}
	if len(j.Errors) > 0 {
		return j.Errors[len(j.Errors)-1]
	}
	return ""
}

func printJSONOr(w io.Writer, format string, v any, table func(io.Writer)) int {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return ExitFailed
		}
	case "table", "":
		table(w)
	default:
		fmt.Fprintf(w, "unknown --format %q (want table or json)\n", format)
		return ExitUsage
	}
	return ExitOK
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "netscore %s: %v\n", cmd, err)
	if request.Is(err) {
		return ExitUsage
	}
	return ExitFailed
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
