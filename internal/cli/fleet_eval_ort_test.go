//go:build ort

package cli_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/fleet/fleettest"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestSubmitEvalWait: `netscore submit eval --wait` over three workers
// prints what `netscore eval` prints, but for the timings and a note on
// the shards; `netscore jobs` lists the shards and `jobs --eval` the report.
func TestSubmitEvalWait(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	st := storetest.Open(t, "")
	db := "sqlite:" + st.Where
	modelPath := filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx")
	val, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "digits", "val"))

	m := storetest.AddModel(t, st, modelPath, 90)
	blobs := storetest.BlobServer(t, st)
	for _, name := range []string{"alpha", "beta", "gamma"} {
		fleettest.StartWorker(ctx, t, st, blobs.URL, name, "pool=digits", "")
	}

	flags := []string{"--preset", "none", "--resize", "0", "--threads", "1", "--confused", "4"}
	code, single, errs := run(t, append([]string{"eval", modelPath, "--data", val}, flags...)...)
	if code != 0 {
		t.Fatalf("eval: %d %s", code, errs)
	}
	code, merged, errs := run(t, append([]string{"submit", "eval", m.ID, "--db", db, "--data", val, "--shards", "7", "--labels", "pool=digits", "--wait"}, flags...)...)
	if code != 0 {
		t.Fatalf("submit eval: %d %s", code, errs)
	}
	// The timings differ (and so the table's padding), the model is named
	// by its stored name, and a note says how it was sharded.
	norm := func(s string) string {
		s = regexp.MustCompile(`(?m)^speed.*\n`).ReplaceAllString(s, "")
		s = regexp.MustCompile(`(?m)^note: evaluated in 7 shards .*\n`).ReplaceAllString(s, "")
		s = strings.ReplaceAll(s, modelPath, "digits_cnn.onnx")
		return regexp.MustCompile(` +`).ReplaceAllString(s, " ")
	}
	if !strings.Contains(merged, "note: evaluated in 7 shards (image i in shard i mod 7) on ") || !strings.Contains(norm(merged), "top-1 96.94 % (349/360)") {
		t.Errorf("submit eval --wait:\n%s", merged)
	}
	t.Logf("submit eval --wait:\n%s", merged)
	if norm(merged) != norm(single) {
		t.Errorf("submit eval --wait:\n%s\nnetscore eval:\n%s", merged, single)
	}

	code, jobs, errs := run(t, "jobs", "--db", db)
	if code != 0 || strings.Count(jobs, "eval_shard") != 7 || !strings.Contains(jobs, "shard 6/7: top-1 ") {
		t.Errorf("jobs: %d %s\n%s", code, errs, jobs)
	}
	batch := regexp.MustCompile(`"batch": "(e[^"]+)"`).FindStringSubmatch(runJSON(t, db))
	if batch == nil {
		t.Fatal("no eval batch in jobs --format json")
	}
	code, again, errs := run(t, "jobs", "--db", db, "--eval", batch[1])
	if code != 0 || norm(again) != norm(merged) {
		t.Errorf("jobs --eval: %d %s\n%s", code, errs, again)
	}
	code, _, errs = run(t, "jobs", "--db", db, "--eval", "enope")
	if code == 0 || !strings.Contains(errs, `no eval batch "enope"`) {
		t.Errorf("jobs --eval of no batch: %d %s", code, errs)
	}
	code, _, errs = run(t, "submit", "eval", m.ID, "--db", db, "--data", val)
	if code != 2 || !strings.Contains(errs, "--shards N is required") {
		t.Errorf("submit eval without --shards: %d %s", code, errs)
	}
}

func runJSON(t *testing.T, db string) string {
	t.Helper()
	_, out, _ := run(t, "jobs", "--db", db, "--format", "json")
	return out
}
