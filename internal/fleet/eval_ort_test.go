//go:build ort

package fleet_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/fleet/fleettest"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// digitsEval is the digits set's evaluation as testdata/digits/expected.json
// was made: the 8x8 PNGs as they are, x/255.
func digitsEval(data string) eval.Config {
	cfg := eval.Defaults("", data)
	noResize := 0
	cfg.Preset, cfg.Resize, cfg.Threads, cfg.Workers = "none", &noResize, 1, 1
	return cfg
}

// evalJSON is a report as `netscore eval --format json` writes it, less
// the timings (a merge sums the shards'), with the manifest note.
func evalJSON(t *testing.T, rep *eval.Report) string {
	t.Helper()
	flat := struct {
		eval.Report
		eval.Outcome
		ManifestNote string `json:"manifest_note"`
	}{*rep, *rep.Outcome, rep.ManifestNote}
	flat.Seconds, flat.InferSeconds, flat.ImagesPerSec, flat.Batches = 0, 0, 0, 0
	b, err := json.MarshalIndent(flat, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestShardedEval: the digits set in 7 shards over 3 workers merges into
// the single-process report exactly (top-1, top-5, per-class table,
// confusions, notes); shards routed to a device without the data end
// cancelled with the reason, and EvalReport names them.
func TestShardedEval(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	val := filepath.Join(testdata, "digits", "val")
	single, err := eval.Evaluate(context.Background(), func() eval.Config {
		c := digitsEval(val)
		c.Model = filepath.Join(testdata, "digits", "digits_cnn.onnx")
		return c
	}(), nil)
	if err != nil {
		t.Fatal(err)
	}
	single.Model = "digits_cnn.onnx" // the stored model's name, as the fleet reports it
	want := evalJSON(t, single)

	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		defer cancel()
		model := modelRef(t, st, filepath.Join(testdata, "digits", "digits_cnn.onnx"))
		blobs := storetest.BlobServer(t, st)
		// gamma keeps its data elsewhere: a relative --data is not there.
		fleettest.StartWorker(ctx, t, st, blobs.URL, "alpha", "pool=digits,tier=a", testdata)
		fleettest.StartWorker(ctx, t, st, blobs.URL, "beta", "pool=digits", testdata)
		fleettest.StartWorker(ctx, t, st, blobs.URL, "gamma", "pool=digits", t.TempDir())

		run := func(req fleet.EvalRequest) (*fleet.EvalSubmitted, *eval.Report, error) {
			t.Helper()
			req.Model = model
			sub, err := fleet.SubmitEval(ctx, st, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(sub.Jobs) != req.Shards {
				t.Fatalf("%d jobs for %d shards", len(sub.Jobs), req.Shards)
			}
			if err := fleet.Wait(ctx, st, sub.Jobs, 50*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			rep, err := fleet.EvalReport(ctx, st, sub.Batch)
			return sub, rep, err
		}
		check := func(what string, rep *eval.Report, data string) {
			t.Helper()
			if n := len(rep.Notes); n == 0 || !strings.HasPrefix(rep.Notes[n-1], "evaluated in 7 shards") {
				t.Errorf("%s: notes %q", what, rep.Notes)
			} else {
				t.Logf("%s: %s", what, rep.Notes[n-1])
				rep.Notes = rep.Notes[:n-1]
			}
			got := evalJSON(t, rep)
			if data != val {
				got = strings.ReplaceAll(got, data, val)
			}
			if got != want {
				t.Errorf("%s: merged\n%s\nsingle process\n%s", what, got, want)
			}
		}

		// Any device with the label takes the next shard; an absolute path
		// is the same on each.
		sub, rep, err := run(fleet.EvalRequest{Labels: []string{"pool=digits"}, Shards: 7, Config: digitsEval(val)})
		if err != nil {
			t.Fatal(err)
		}
		if sub.Queue != fleet.LabelQueue([]string{"pool=digits"}) {
			t.Errorf("queue %s", sub.Queue)
		}
		if rep.Outcome.Images != 360 || rep.Outcome.Top1Correct != 349 || rep.Outcome.Top5Correct != 360 {
			t.Errorf("merged: %d images, top-1 %d, top-5 %d; PyTorch: 360, 349, 360", rep.Outcome.Images, rep.Outcome.Top1Correct, rep.Outcome.Top5Correct)
		}
		check("labels", rep, val)

		// Named devices, shard i on device i mod 2, the data under each
		// worker's data root.
		_, rep, err = run(fleet.EvalRequest{Devices: []string{"beta", "alpha"}, Shards: 7, Config: digitsEval("digits/val")})
		if err != nil {
			t.Fatal(err)
		}
		check("devices", rep, "digits/val")

		// gamma lacks the data: its shards (2 and 5) end cancelled, and the
		// report says which and why.
		sub, _, err = run(fleet.EvalRequest{Devices: []string{"alpha", "beta", "gamma"}, Shards: 7, Config: digitsEval("digits/val")})
		var se *fleet.ShardsError
		if !errors.As(err, &se) || !se.Ended || len(se.Missed) != 2 || se.Missed[0].Shard != 2 || se.Missed[1].Shard != 5 ||
			se.Missed[0].State != "cancelled" || !strings.Contains(se.Missed[0].Error, "not on this device") {
			t.Fatalf("report of a batch with failed shards: %v", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "2 of 7 shards have no result: shard 2 (job") || !strings.Contains(msg, "on gamma: the data") {
			t.Errorf("error: %s", msg)
		}
		jobs, err := fleet.ListJobs(ctx, st, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, j := range jobs {
			if j.Batch != sub.Batch {
				continue
			}
			seen++
			failed := *j.Shard == 2 || *j.Shard == 5
			if j.Kind != fleet.KindEvalShard || j.Shards != 7 || failed != (j.State == "cancelled") || (failed && j.Device != "gamma") ||
				(!failed && len(j.Result) == 0) {
				t.Errorf("job %+v", j)
			}
		}
		if seen != 7 {
			t.Errorf("jobs lists %d of the batch's 7 jobs", seen)
		}
		if _, err := fleet.EvalReport(ctx, st, "enope"); err == nil {
			t.Error("a report of no batch")
		}
	})
}
