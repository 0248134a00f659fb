package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/store"
)

const submitEvalUsage = `Usage: netscore submit eval MODEL --data DIR|LIST.csv --shards N [--labels k=v,... | --devices a,b] [--wait] [eval flags]

Measures a model's accuracy on the fleet (MODEL: its id on the server, or a
file, found by its bytes or uploaded to --server with --top1): the labelled set is split
into N shards by index (image i of the listing in shard i mod N), one job per
shard. With --labels (or neither), any live device with all the labels takes
the next shard; with --devices, shard i goes to the i mod len-th device named.
--data is a path on the devices, not here: every device must have the set at
that path (a shared mount or the same copy; a relative path is taken under
each worker's --data-root). Each shard's exact counts are kept; --wait blocks
until every shard has ended and prints the merged report as 'netscore eval'
does: its top-1, top-5, per-class table and confusions are the single-machine
figures exactly. 'netscore jobs' lists the shards.

Flags:
`

// submitEvalCmd is `netscore submit eval`.
func submitEvalCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("submit eval", submitEvalUsage, stderr)
	db := fs.String("db", os.Getenv("NETSCORE_DB"), "the shared database `URL`")
	devices := fs.String("devices", "", "device `NAMES`, comma-separated: shard i on the (i mod count)-th")
	labels := fs.String("labels", "", "`k=v,...`: any live device with all of them takes a shard (default: any device)")
	shards := fs.Int("shards", 0, "split the set into `N` shards, one job each")
	wait := fs.Bool("wait", false, "wait until every shard has ended and print the merged report")
	timeout := fs.Duration("timeout", 2*time.Hour, "with --wait, give up after this long")
	jobTimeout := fs.Duration("job-timeout", 0, "stop a shard's attempt running longer, and retry it (0: the worker's --job-timeout)")
	data := fs.String("data", "", "labelled images on the devices: an ImageFolder `dir` or a CSV list (path,label)")
	classNames := fs.String("class-names", "", "class names `file` on the devices, one per line (eval's --labels)")
	var ef evalFlags
	ef.register(fs, ", then shard them")
	jobs := fs.Int("j", 0, "images decoded in parallel on a device (0: its cores)")
	format := fs.String("format", "table", "output: table or json")
	var mf modelFlags
	mf.register(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageErr(stderr, "submit eval", errors.New("name one model id"))
	}
	if *format != "table" && *format != "json" {
		return usageErr(stderr, "submit eval", fmt.Errorf("unknown --format %q (want table or json)", *format))
	}
	lbl, err := fleet.ParseLabels(*labels)
	if err != nil {
		return usageErr(stderr, "submit eval", err)
	}
	cfg, err := ef.config(fs)
	if err != nil {
		return usageErr(stderr, "submit eval", err)
	}
	cfg.Data, cfg.Labels, cfg.Workers = *data, *classNames, *jobs
	if *shards < 1 {
		return usageErr(stderr, "submit eval", errors.New("--shards N is required (at least 1)"))
	}
	if *jobTimeout < 0 {
		return usageErr(stderr, "submit eval", errors.New("--job-timeout must be >= 0"))
	}
	st, err := fleetStore(ctx, *db)
	if err != nil {
		return fail(stderr, "submit eval", err)
	}
	defer st.Close()
	m, err := mf.submittedModel(ctx, st, pos[0], stderr)
	if err != nil {
		return fail(stderr, "submit eval", err)
	}
	var names []string
	for _, d := range strings.Split(*devices, ",") {
		if d = strings.TrimSpace(d); d != "" {
			names = append(names, d)
		}
	}
	sub, err := fleet.SubmitEval(ctx, st, fleet.EvalRequest{Model: fleet.ModelRef{ID: m.ID, Name: m.Name, SHA256: m.SHA256},
		Devices: names, Labels: lbl, Shards: *shards, Config: cfg, Timeout: *jobTimeout})
	if err != nil {
		return fail(stderr, "submit eval", err)
	}
	if !*wait {
		return printJSONOr(stdout, *format, sub, func(w io.Writer) {
			fmt.Fprintf(w, "submitted %s: %d shards of %s on %s (jobs %d-%d); merged report: netscore jobs --eval %s\n",
				sub.Batch, sub.Shards, *data, sub.Queue, sub.Jobs[0], sub.Jobs[len(sub.Jobs)-1], sub.Batch)
		})
	}
	wctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := fleet.Wait(wctx, st, sub.Jobs, 200*time.Millisecond); err != nil {
		return fail(stderr, "submit eval", err)
	}
	return printEvalBatch(ctx, st, sub.Batch, *format, stdout, stderr)
}

// printEvalBatch prints a batch's merged report as `netscore eval` does.
func printEvalBatch(ctx context.Context, st *store.Store, batch, format string, stdout, stderr io.Writer) int {
	rep, err := fleet.EvalReport(ctx, st, batch)
	if err != nil {
		if rep != nil && rep.Outcome != nil {
			evalListFailed(stderr, rep.Outcome.Failed)
		}
		return fail(stderr, "submit eval", err)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "netscore submit eval: warning: %s\n", w)
	}
	code := ExitOK
	if len(rep.Outcome.Failed) > 0 {
		evalListFailed(stderr, rep.Outcome.Failed)
		code = ExitFailed
	}
	if err := report.WriteEval(stdout, format, rep); err != nil {
		return fail(stderr, "submit eval", err)
	}
	if n := len(rep.Outcome.Failed); n > 0 {
		fmt.Fprintf(stderr, "netscore submit eval: %d of %d images could not be read and were skipped; the accuracy is over the other %d\n",
			n, rep.Listed, rep.Outcome.Images)
	}
	return code
}

// evalResultText is an eval shard's result in a few words.
func evalResultText(j fleet.Job) (string, bool) {
	if j.Kind != fleet.KindEvalShard || j.Shard == nil {
		return "", false
	}
	s := fmt.Sprintf("shard %d/%d", *j.Shard, j.Shards)
	var r fleet.EvalShardResult
	if len(j.Result) > 0 && json.Unmarshal(j.Result, &r) == nil && r.Part != nil && r.Part.Outcome != nil {
		o := r.Part.Outcome
		s += fmt.Sprintf(": top-1 %d/%d (%.2f %%)", o.Top1Correct, o.Images, o.Top1)
		if len(o.Failed) > 0 {
			s += fmt.Sprintf(", %d unreadable", len(o.Failed))
		}
		return s, true
	}
	if len(j.Errors) > 0 {
		return s + ": " + j.Errors[len(j.Errors)-1], true
	}
	return s, true
}
