package server_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/pgtest"
	"github.com/netscore/netscore/internal/store"
)

// TestCrashDuringLoad kills `netscore serve` (SIGKILL) while 20 clients
// upload and read, restarts it on the same data, and checks what the issue
// asks of a crash: every upload that got a 202 is there, every queued job
// finishes, nothing is analysed twice. Uploads in flight at the kill may or
// may not be there; each that is must finish too, and no other row may
// exist. On SQLite and, when NETSCORE_TEST_POSTGRES is set, on a fresh
// PostgreSQL database (there a job running at the kill waits for River's
// rescuer: the dead leader's 15 s lease, then Rescue = --job-timeout + 5 s).
func TestCrashDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds netscore and runs it for ~15-40 s")
	}
	bin := buildNetscore(t)
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		crashTest(t, bin, "", 30*time.Second)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		crashTest(t, bin, pgtest.FreshDatabase(t), 50*time.Second)
	})
}

func crashTest(t *testing.T, bin, dbURL string, drain time.Duration) {
	data := t.TempDir()
	files := loadFiles(t, "resnet18_op13_dyn", "mobilenet_v2_op13_dyn", "squeezenet1_0_op13_dyn", "resnet50_op13_dyn", "swin_t_op13_dyn")
	srv := startServe(t, bin, data, dbURL, "first")
	l := newLoader(srv.url, files, t.Name())

	// Load for 3 to 6 s, then kill as soon as an analysis is running, so
	// that the kill finds both running and queued jobs.
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() { l.client(ctx, i) })
	}
	start := time.Now()
	for time.Since(start) < 6*time.Second {
		time.Sleep(100 * time.Millisecond)
		if time.Since(start) < 3*time.Second {
			continue
		}
		if c := l.counts(); c[store.Running] > 0 && c[store.Queued] > 0 {
			break
		}
	}
	l.killed.Store(true)
	srv.kill(t)
	stop()
	wg.Wait()
	before := jobStates(t, openStore(t, data, dbURL))
	t.Logf("killed after %.1f s: %d uploads acknowledged, %d in flight; jobs at the kill: %v",
		time.Since(start).Seconds(), len(l.acked), len(l.inflight), before)
	if before["running"] == 0 {
		t.Log("no job was running at the kill: this run did not exercise the rescue")
	}

	// Restart on the same data and go on loading for 2 s.
	l.killed.Store(false)
	srv = startServe(t, bin, data, dbURL, "second")
	l.base = srv.url
	ctx, stop = context.WithTimeout(context.Background(), 2*time.Second)
	for i := range 20 {
		wg.Go(func() { l.client(ctx, 100+i) })
	}
	wg.Wait()
	stop()
	if errs := l.errors(); len(errs) > 0 {
		t.Errorf("%d requests failed outside the kill, e.g.:\n%s", len(errs), strings.Join(errs[:min(len(errs), 5)], "\n"))
	}

	// Every row must end analysed and every job completed, within drain.
	// A job can outlive its model's analysis: killed after the analysis
	// was stored but before River recorded the job completed, it runs
	// again, finds the model done and ends.
	db := openStore(t, data, dbURL)
	deadline := time.Now().Add(drain)
	var models []listedModel
	for {
		var err error
		models, err = l.list()
		if err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, m := range models {
			if m.State == store.Queued || m.State == store.Running {
				pending++
			}
		}
		jobs := jobStates(t, db)
		if pending == 0 && len(jobs) == 1 && jobs["completed"] > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%d models still queued or running, jobs %v, %s after the restart's load", pending, jobs, drain)
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("drained %.1f s after the restart's load", time.Since(deadline.Add(-drain)).Seconds())
	srv.stop(t)

	l.mu.Lock()
	defer l.mu.Unlock()
	byID := map[string]int{}
	byName := map[string]int{}
	extraInFlight := 0
	for _, m := range models {
		byID[m.ID]++
		byName[m.Name]++
		if byName[m.Name] > 1 {
			t.Errorf("two rows named %s", m.Name)
		}
		if _, ok := l.acked[m.ID]; !ok {
			if !l.inflight[m.Name] {
				t.Errorf("row %s (%s) was neither acknowledged nor in flight at the kill", m.ID, m.Name)
			}
			extraInFlight++
		}
		if m.State != store.Done || m.Analyses != 1 {
			t.Errorf("%s (%s): state %s, analysed %d times %s; want done, once", m.ID, m.Name, m.State, m.Analyses, m.Error)
		}
	}
	lost := 0
	for id, name := range l.acked {
		if byID[id] != 1 {
			lost++
			t.Errorf("acknowledged upload %s (%s) is listed %d times; want once", id, name, byID[id])
		}
	}
	after := jobStates(t, db)
	for st, n := range after {
		if st != "completed" {
			t.Errorf("%d jobs %s after the drain; want every job completed", n, st)
		}
	}
	t.Logf("%d rows: %d acknowledged uploads (%d lost), %d of the %d in flight at the kill kept; jobs after: %v",
		len(models), len(l.acked), lost, extraInFlight, len(l.inflight), after)
}
