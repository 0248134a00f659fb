//go:build ort

package fleet_test

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/pgtest"
)

// TestProcesses runs the fleet as it is deployed: `netscore serve` and three
// `netscore worker` processes on loopback over a fresh PostgreSQL database,
// jobs submitted with `netscore submit bench` and read back with `netscore
// jobs`. It checks that
//   - a job lands only on a matching device: by name, by labels (one job per
//     device with them all), and --any (one job, the first free device with
//     the labels);
//   - a device measures one job at a time, whatever queue the jobs came
//     from: the measurements' [started, ended] spans on one device never
//     overlap (workers take a device job and a label job at once, so the
//     device lock is what keeps them apart);
//   - a stopped worker (SIGSTOP: no heartbeat) turns stale within
//     NETSCORE_STALE_AFTER (2 s here): the API shows it, a submission naming
//     it is refused naming it stale, one by labels leaves it out;
//   - a job that fails on every attempt ends discarded with its error shown
//     (a model whose external weights were never uploaded), and one whose
//     settings cannot fit the model ends cancelled at once with its error.
func TestProcesses(t *testing.T) {
	db := pgtest.FreshDatabase(t)
	c := newCluster(t, db, "NETSCORE_STALE_AFTER=2s")
	c.serve()
	digits := c.upload(filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx"))
	lenet := c.upload(filepath.Join("..", "..", "testdata", "extra", "lenet5.onnx"))
	noWeights := c.upload(filepath.Join("..", "..", "testdata", "extra", "lenet5_extdata.onnx"))
	c.worker("w1", "arch=x86,tier=a,pool=p")
	c.worker("w2", "arch=x86,pool=p")
	w3 := c.worker("w3", "tier=b,pool=p")
	c.waitDevices("w1", "w2", "w3")

	// A failing job first: its retries (River's backoff: 1 s, then 16 s)
	// run while the rest is measured.
	failing := c.submit(noWeights, "--devices", "w2", "--runs", "5")
	badInput := c.submit(digits, "--devices", "w1", "--runs", "5", "--input", "nosuch=1x2")

	type want struct {
		sub     fleet.Submitted
		devices []string // where its jobs may land
		jobs    int
	}
	quick := []string{"--runs", "30", "--threads", "1", "--warmup", "2"}
	var wants []want
	add := func(model string, devices []string, jobs int, args ...string) {
		wants = append(wants, want{c.submit(append(append([]string{model}, quick...), args...)...), devices, jobs})
	}
	add(digits, []string{"w2"}, 1, "--devices", "w2")
	add(digits, []string{"w1"}, 1, "--labels", "tier=a")
	add(lenet, []string{"w3"}, 1, "--labels", "tier=b")
	add(digits, []string{"w1", "w2"}, 2, "--labels", "arch=x86")
	add(lenet, []string{"w1", "w2", "w3"}, 3, "--devices", "w1,w2,w3")
	for range 4 { // contention: device jobs and label jobs for the same workers at once
		add(lenet, []string{"w1", "w2"}, 2, "--labels", "arch=x86")
		add(digits, []string{"w1", "w2"}, 1, "--labels", "arch=x86", "--any")
		add(digits, []string{"w1", "w2", "w3"}, 1, "--labels", "pool=p", "--any")
	}
	ids := map[int64]bool{}
	for _, w := range wants {
		if len(w.sub.Jobs) != w.jobs {
			t.Errorf("submission %s: %d jobs %v, want %d", w.sub.Batch, len(w.sub.Jobs), w.sub.Jobs, w.jobs)
		}
		for d, id := range w.sub.Jobs {
			ids[id] = true
			if d != "" && !slices.Contains(w.devices, d) {
				t.Errorf("job %d queued for %s, want one of %v", id, d, w.devices)
			}
		}
	}
	got := c.waitJobs(ids, 90*time.Second)

	type span struct {
		job        int64
		start, end time.Time
	}
	spans := map[string][]span{}
	for _, w := range wants {
		for d, id := range w.sub.Jobs {
			j := got[id]
			if j.State != "completed" {
				t.Errorf("job %d: %s %v", id, j.State, j.Errors)
				continue
			}
			r := benchResult(t, j)
			switch {
			case d != "" && j.MeasuredOn != d:
				t.Errorf("job %d for %s was measured on %s", id, d, j.MeasuredOn)
			case !slices.Contains(w.devices, j.MeasuredOn):
				t.Errorf("job %d (labels %v) was measured on %s, want one of %v", id, j.Labels, j.MeasuredOn, w.devices)
			}
			cond := r.Conditions
			if r.Bench.Runs != 30 || cond.Threads != 1 || cond.Provider == "" || cond.Started.IsZero() || !cond.Ended.After(cond.Started) ||
				cond.Rounds != 1 || cond.MedianCIMs == nil || cond.LoadBefore < 0 {
				t.Errorf("job %d: runs %d, conditions %+v", id, r.Bench.Runs, cond)
			}
			spans[j.MeasuredOn] = append(spans[j.MeasuredOn], span{id, cond.Started, cond.Ended})
		}
	}
	for dev, ss := range spans {
		sort.Slice(ss, func(a, b int) bool { return ss[a].start.Before(ss[b].start) })
		for i := 1; i < len(ss); i++ {
			if ss[i].start.Before(ss[i-1].end) {
				t.Errorf("%s measured jobs %d and %d at once: %s–%s and %s–%s", dev, ss[i-1].job, ss[i].job,
					ss[i-1].start.Format(time.StampMicro), ss[i-1].end.Format(time.StampMicro), ss[i].start.Format(time.StampMicro), ss[i].end.Format(time.StampMicro))
			}
		}
		t.Logf("%s: %d measurements, none overlapping", dev, len(ss))
	}
	for _, dev := range []string{"w1", "w2", "w3"} {
		if len(spans[dev]) == 0 {
			t.Errorf("%s measured nothing", dev)
		}
	}

	// Stale: w3 stops heartbeating.
	if err := w3.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer w3.Process.Signal(syscall.SIGCONT)
	deadline := time.Now().Add(15 * time.Second)
	stale := false
	for !stale && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		for _, d := range c.devices() {
			stale = stale || d.Name == "w3" && d.Stale
		}
	}
	if !stale {
		t.Fatalf("w3 stopped but the API does not show it stale: %+v", c.devices())
	}
	if _, errs, code := c.cli("submit", "bench", "--db", db, digits, "--devices", "w3"); code != 2 || !strings.Contains(errs, `device "w3" is stale`) {
		t.Errorf("submit --devices w3 (stale): exit %d, %q; want 2 naming it stale", code, errs)
	}
	sub := c.submit(digits, "--labels", "pool=p", "--runs", "5")
	if _, ok := sub.Jobs["w3"]; ok || len(sub.Jobs) != 2 {
		t.Errorf("submit --labels pool=p with w3 stale: jobs %v, want w1 and w2 only", sub.Jobs)
	}
	if _, errs, code := c.cli("submit", "bench", "--db", db, digits, "--labels", "tier=b"); code != 2 || !strings.Contains(errs, "no live device") {
		t.Errorf("submit --labels tier=b (only w3, stale): exit %d, %q", code, errs)
	}
	w3.Process.Signal(syscall.SIGCONT)

	// The failing jobs.
	fail := c.waitJobs(map[int64]bool{failing.Jobs["w2"]: true, badInput.Jobs["w1"]: true}, 60*time.Second)
	j := fail[failing.Jobs["w2"]]
	if j.State != "discarded" || j.Attempt != 3 || len(j.Errors) != 3 || !strings.Contains(j.Errors[2], "External data") || len(j.Result) > 0 {
		t.Errorf("the bench of a model without its weights: %s after %d attempts, errors %q, result %s; want discarded after 3 with ORT's error",
			j.State, j.Attempt, j.Errors, j.Result)
	}
	j = fail[badInput.Jobs["w1"]]
	if j.State != "cancelled" || j.Attempt != 1 || len(j.Errors) != 1 || !strings.Contains(j.Errors[0], "nosuch") {
		t.Errorf("a bench with an input the model lacks: %s after %d attempts, errors %q; want cancelled at once naming it", j.State, j.Attempt, j.Errors)
	}
	out, _, code := c.cli("jobs", "--db", db)
	if code != 1 || !strings.Contains(out, "discarded") || !strings.Contains(out, "External data") {
		t.Errorf("netscore jobs: exit %d (want 1: some failed), table:\n%s", code, out)
	}
}
