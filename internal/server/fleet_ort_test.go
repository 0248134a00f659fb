//go:build ort

package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestFleetEndToEnd: a real worker in process, fetching the file from the
// server it measures for; a bench asked through the API comes back as the
// model's latency on that device and its row of the leaderboard there.
func TestFleetEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		ts := newTestServer(t, st, Config{})
		id := ts.postModel(upload{filename: "digits_cnn.onnx", data: readFile(t, "../../testdata/digits/digits_cnn.onnx"), fields: [][2]string{{"top1", "98.5"}}})
		if rec := ts.wait(id); rec["state"] != store.Done {
			t.Fatalf("analysis: %v", rec["error"])
		}
		w, err := fleet.NewWorker(ctx, st, fleet.WorkerConfig{Name: "local", Labels: []string{"arch=x86"}, Poll: 50 * time.Millisecond,
			Fetch: &fleet.Fetcher{Server: ts.url, Dir: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		wctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- w.Run(wctx, 10*time.Second) }()
		defer func() { stop(); <-done }()

		r := ts.postJSON("/api/v1/models/"+id+"/bench", `{"devices": ["local"], "runs": 20, "threads": 1, "warmup": 2}`)
		if r.Status != http.StatusAccepted {
			t.Fatalf("bench: %d %s", r.Status, r.Body)
		}
		var sub struct{ Jobs map[string]int64 }
		r.Decode(t, &sub)
		if err := fleet.Wait(ctx, st, []int64{sub.Jobs["local"]}, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		var rec struct{ Latency []measurementAnswer }
		ts.get("/api/v1/models/"+id).Decode(t, &rec)
		if len(rec.Latency) != 1 || rec.Latency[0].Device != "local" || !(rec.Latency[0].P50 > 0) || rec.Latency[0].LatencyScore == nil ||
			rec.Latency[0].JobID != sub.Jobs["local"] {
			t.Fatalf("the model's latency after the bench: %+v", rec.Latency)
		}
		b := ts.leaderboard("?ref=none&device=local&sort=latency")
		if len(b.Rows) != 1 || b.Rows[0].ID != id || b.Rows[0].LatencyMS != rec.Latency[0].P50 || b.Rows[0].LatencyScore != *rec.Latency[0].LatencyScore {
			t.Errorf("the leaderboard by latency on local: %+v", b.Rows)
		}
		var dev struct {
			Fingerprint map[string]any
			Models      []struct{ ID string }
		}
		ts.get("/api/v1/devices/local").Decode(t, &dev)
		if dev.Fingerprint["arch"] == nil || len(dev.Models) != 1 || dev.Models[0].ID != id {
			t.Errorf("the device after the bench: %+v", dev)
		}
	})
}
