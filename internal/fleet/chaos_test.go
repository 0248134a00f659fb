//go:build ort

package fleet_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/pgtest"
	"github.com/netscore/netscore/internal/store"
)

// TestChaos: three workers share one label queue (jobs for any device)
// and 60 jobs: 40 short benches (fleet.SubmitBenchAny) and two evals of the
// digits set in 10 shards each (fleet.SubmitEval), queued in turn; one
// worker is killed with SIGKILL while it measures, and PostgreSQL is
// restarted once (down 2 s, every connection cut) while jobs run. At the
// end every job is completed exactly once — one result row per job, kept
// under its River job id — none is lost, the killed worker's job was
// rescued by River and finished by another worker, the survivors worked on
// after the restart, and each eval's merged report, read from the server
// (GET /api/v1/evals/{batch}), equals a single-process `netscore eval` of
// the same data exactly (all but the timings).
//
// It has a PostgreSQL of its own (scripts/pg.sh with a state file of its
// own), since it restarts it; it runs when NETSCORE_TEST_POSTGRES is set
// (PostgreSQL is installed) and not with -short. Bounded: River's rescuer
// looks every 30 s, and the server (which usually leads) rescues a stuck job
// after its --job-timeout + 30 s, here 32 s, once the job's own timeout (6 s)
// has passed; the whole run takes about a minute, 150 s at most.
func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("chaos: about a minute; skipped with -short")
	}
	pgtest.URL(t) // skips without PostgreSQL
	pgsh, _ := filepath.Abs(filepath.Join("..", "..", "scripts", "pg.sh"))
	pgEnv := append(os.Environ(), "NETSCORE_PG_STATE="+filepath.Join(t.TempDir(), "pg.env"))
	pg := func(args ...string) string {
		cmd := exec.Command(pgsh, args...)
		cmd.Env = pgEnv
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("scripts/pg.sh %s: %v %s", strings.Join(args, " "), err, err.(*exec.ExitError).Stderr)
		}
		return strings.TrimSpace(string(out))
	}
	db := pg("start")
	t.Cleanup(func() { pg("stop") })

	ctx, cancel := context.WithTimeout(context.Background(), 170*time.Second)
	defer cancel()
	c := newCluster(t, db)
	c.serve("--job-timeout", "2s")
	digits := c.upload(filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx"))
	lenet := c.upload(filepath.Join("..", "..", "testdata", "extra", "lenet5.onnx"))
	workerArgs := []string{"--job-timeout", "6s", "--rescue-after", "6s"}
	c.worker("w1", "arch=x86,pool=c", workerArgs...)
	victim := c.worker("w2", "tier=a,pool=c", workerArgs...)
	c.worker("w3", "pool=c", workerArgs...)
	c.waitDevices("w1", "w2", "w3")

	st, err := store.Open(ctx, t.TempDir(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids := map[int64]bool{}
	dur := 300 * time.Millisecond
	ref := func(id string) fleet.ModelRef {
		m, err := st.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return fleet.ModelRef{ID: m.ID, Name: m.Name, SHA256: m.SHA256}
	}
	val, err := filepath.Abs(filepath.Join("..", "..", "testdata", "digits", "val"))
	if err != nil {
		t.Fatal(err)
	}
	var evals []string // the eval batches
	for i := range 40 {
		id := digits
		if i%2 == 1 {
			id = lenet
		}
		cfg := bench.Defaults("")
		cfg.Duration, cfg.Threads, cfg.Warmup = &dur, 1, 2
		sub, err := fleet.SubmitBenchAny(ctx, st, fleet.BenchRequest{Model: ref(id), Labels: []string{"pool=c"}, Config: cfg, Timeout: 6 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		ids[sub.Jobs[""]] = true
		if i%20 == 9 { // an eval after the 10th and the 30th bench
			esub, err := fleet.SubmitEval(ctx, st, fleet.EvalRequest{Model: ref(digits), Labels: []string{"pool=c"}, Shards: 10,
				Config: digitsEval(val), Timeout: 6 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			evals = append(evals, esub.Batch)
			for _, j := range esub.Jobs {
				ids[j] = true
			}
		}
	}
	if len(ids) != 60 {
		t.Fatalf("%d jobs queued, want 60", len(ids))
	}
	start := time.Now()

	// SIGKILL w2 while it measures: a job it began under 100 ms ago has
	// about 200 ms of runs left at least.
	var killed int64
	for killed == 0 {
		if time.Since(start) > 30*time.Second {
			t.Fatal("w2 never ran a job")
		}
		st.DB.QueryRowContext(ctx, `SELECT id FROM river_job WHERE kind = 'fleet_bench' AND state = 'running' AND attempted_by[array_length(attempted_by, 1)] LIKE 'w2-%'
			AND attempted_at > now() - interval '100 milliseconds' ORDER BY id LIMIT 1`).Scan(&killed)
		if killed == 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	t.Logf("%.1f s: SIGKILL w2 while it ran job %d", time.Since(start).Seconds(), killed)

	count := func(q string) int {
		n := -1
		st.DB.QueryRowContext(ctx, q).Scan(&n)
		return n
	}
	for count("SELECT count(*) FROM river_job WHERE kind IN ('fleet_bench', 'fleet_eval_shard') AND state = 'completed'") < 25 {
		if time.Since(start) > 60*time.Second {
			t.Fatal("25 jobs did not complete in 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	restarted := time.Now()
	t.Logf("%.1f s: restarting PostgreSQL (%d jobs completed)", restarted.Sub(start).Seconds(),
		count("SELECT count(*) FROM river_job WHERE kind IN ('fleet_bench', 'fleet_eval_shard') AND state = 'completed'"))
	pg("restart", "2")
	t.Logf("%.1f s: PostgreSQL is back", time.Since(start).Seconds())

	// Every job ends; polled through the store, whose pool reconnects.
	deadline := start.Add(150 * time.Second)
	for {
		open := count("SELECT count(*) FROM river_job WHERE kind IN ('fleet_bench', 'fleet_eval_shard') AND finalized_at IS NULL")
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still open after 150 s", open)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("%.1f s: every job ended", time.Since(start).Seconds())

	jobs := c.jobs()
	results, err := st.Results(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	perJob := map[int64]int{}
	for _, r := range results {
		perJob[r.JobID]++
	}
	byDevice := map[string]int{}
	attempts := map[int]int{}
	seen := 0
	for _, j := range jobs {
		if !ids[j.ID] {
			continue
		}
		seen++
		attempts[j.Attempt]++
		if j.State != "completed" || perJob[j.ID] != 1 || len(j.Result) == 0 {
			t.Errorf("job %d: %s after %d attempts, %d results, errors %q", j.ID, j.State, j.Attempt, perJob[j.ID], j.Errors)
			continue
		}
		byDevice[j.MeasuredOn]++
		if j.ID == killed {
			if j.MeasuredOn == "w2" || j.Attempt < 2 {
				t.Errorf("the killed worker's job %d: measured on %s at attempt %d, errors %q; want another device, rescued", j.ID, j.MeasuredOn, j.Attempt, j.Errors)
			} else {
				t.Logf("job %d, killed on w2, was rescued and finished on %s at attempt %d (%q)", j.ID, j.MeasuredOn, j.Attempt, j.Errors)
			}
		}
	}
	if seen != 60 || len(perJob) != 60 || len(results) != 60 {
		t.Errorf("%d of the 60 jobs listed, %d result rows for %d jobs; want 60, 60, 60", seen, len(results), len(perJob))
	}
	t.Logf("results by device %v; jobs by attempts %v", byDevice, attempts)

	// Each eval, merged by the server, is the single process's report.
	out, errs, code := c.cli("eval", filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx"), "--data", val, "--preset", "none",
		"--resize", "0", "--threads", "1", "-j", "1", "--format", "json")
	if code != 0 {
		t.Fatalf("netscore eval: exit %d: %s", code, errs)
	}
	want := reportJSON(t, []byte(out), false)
	for _, b := range evals {
		resp, err := http.Get(c.server + "api/v1/evals/" + b)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			State  string
			Error  string
			Report json.RawMessage
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || got.State != fleet.EvalDone {
			t.Errorf("eval %s: HTTP %d, %s %s (%v)", b, resp.StatusCode, got.State, got.Error, err)
			continue
		}
		if merged := reportJSON(t, got.Report, true); merged != want {
			t.Errorf("eval %s merged by the server:\n%s\nsingle process:\n%s", b, merged, want)
		} else {
			t.Logf("eval %s: the merge of its 10 shards equals the single process's report (%d bytes of JSON less the timings)", b, len(merged))
		}
	}

	after := count("SELECT count(*) FROM ns_results WHERE created_ms > " + strconv.FormatInt(restarted.Add(2*time.Second).UnixMilli(), 10))
	if after == 0 {
		t.Error("no result was kept after PostgreSQL's restart")
	}
	for _, w := range []string{"w1", "w3"} {
		if c.procs[w].exited() {
			t.Errorf("%s exited", w)
		}
	}
	devs := c.devices()
	for _, d := range devs {
		if (d.Name == "w1" || d.Name == "w3") && d.Stale {
			t.Errorf("%s is stale after the restart: its heartbeat did not come back", d.Name)
		}
	}
	t.Logf("%d results kept after the restart; devices %+v", after, devs)
}

// reportJSON is an eval report (`netscore eval --format json`) less its
// timings, the model named as stored; merged drops the merge's own note
// (the shards and devices), which must be there.
func reportJSON(t *testing.T, raw []byte, merged bool) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("report: %v: %s", err, raw)
	}
	for _, k := range []string{"seconds", "inference_seconds", "images_per_sec", "batches"} {
		delete(m, k)
	}
	m["model"] = "digits_cnn.onnx"
	if merged {
		notes, _ := m["notes"].([]any)
		if n := len(notes); n == 0 || !strings.HasPrefix(fmt.Sprint(notes[n-1]), "evaluated in 10 shards") {
			t.Errorf("merged notes %q", notes)
		} else {
			m["notes"] = notes[:n-1]
		}
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
