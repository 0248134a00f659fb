//go:build ort

package fleet_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/fleet/fleettest"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestRouting: two workers with different names and labels; a bench for a
// name lands on that device only, one for labels on every device that has
// them all, and each result is the device's own measurement of the file
// it fetched and checked.
func TestRouting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		model := modelRef(t, st, filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx"))
		blobs := storetest.BlobServer(t, st)

		fleettest.StartWorker(ctx, t, st, blobs.URL, "alpha", "arch=x86,tier=a", "")
		fleettest.StartWorker(ctx, t, st, blobs.URL, "beta", "arch=x86", "")

		runs := 20
		cfg := bench.Defaults("")
		cfg.Runs, cfg.Threads = &runs, 1
		cases := []struct {
			devices, labels []string
			want            string
		}{
			{devices: []string{"beta"}, want: "beta"},
			{labels: []string{"tier=a"}, want: "alpha"},
			{labels: []string{"arch=x86"}, want: "alpha,beta"},
		}
		for _, c := range cases {
			sub, err := fleet.SubmitBench(ctx, st, fleet.BenchRequest{Model: model, Devices: c.devices, Labels: c.labels, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, id := range sub.Jobs {
				ids = append(ids, id)
			}
			if err := fleet.Wait(ctx, st, ids, 50*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			results, err := st.Results(ctx, "", sub.Batch)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := len(results) - 1; i >= 0; i-- {
				got = append(got, results[i].Device)
			}
			sortStrings(got)
			if strings.Join(got, ",") != c.want {
				t.Errorf("devices %v labels %v: measured on %v, want %s", c.devices, c.labels, got, c.want)
			}
			for _, r := range results {
				var br fleet.BenchResult
				if err := json.Unmarshal([]byte(r.Result), &br); err != nil || br.Bench == nil || br.Bench.Runs != runs || br.Bench.LatencyMs.P50 <= 0 {
					t.Errorf("result of job %d: %v %+v", r.JobID, err, br.Bench)
				}
			}
		}
		if _, err := fleet.SubmitBench(ctx, st, fleet.BenchRequest{Model: model, Labels: []string{"arch=arm64"}, Config: cfg}); err == nil {
			t.Error("a bench for labels no device has was queued")
		}
		if _, err := fleet.SubmitBench(ctx, st, fleet.BenchRequest{Model: model, Devices: []string{"gamma"}, Config: cfg}); err == nil {
			t.Error("a bench for an unknown device was queued")
		}
		devs, _ := st.Devices(ctx)
		// The runtime the worker will measure with: the release netscore pins.
		if len(devs) != 2 || devs[0].Name != "alpha" || !strings.Contains(devs[0].Fingerprint, `"arch"`) ||
			!strings.Contains(devs[0].Fingerprint, `"runtime":"onnxruntime `+ort.Version+`"`) {
			t.Errorf("devices: %+v", devs)
		}
	})
}

func modelRef(t *testing.T, st *store.Store, path string) fleet.ModelRef {
	t.Helper()
	m := storetest.AddModel(t, st, path, 90)
	return fleet.ModelRef{ID: m.ID, Name: m.Name, SHA256: m.SHA256}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
