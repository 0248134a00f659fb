package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestFleetViews: one device by name; bench results by model, by device,
// newest first and limited, eval results left out; counts per device.
func TestFleetViews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := st.RegisterDevice(ctx, &store.Device{Name: "alpha", Labels: []string{"arch=x86", "tier=a"}, Fingerprint: `{"cores":4}`}); err != nil {
			t.Fatal(err)
		}
		d, err := st.Device(ctx, "alpha")
		if err != nil || d.Name != "alpha" || len(d.Labels) != 2 || d.Fingerprint != `{"cores":4}` || d.Heartbeat.IsZero() {
			t.Fatalf("device alpha: %+v, %v", d, err)
		}
		if _, err := st.Device(ctx, "beta"); !errors.Is(err, store.ErrNoDevice) {
			t.Errorf("device beta: %v, want ErrNoDevice", err)
		}
		put := func(job int64, kind, model, device string) {
			t.Helper()
			if _, err := st.PutResult(ctx, &store.Result{JobID: job, Kind: kind, ModelID: model, Device: device, Shards: 1, Result: "{}"}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(3 * time.Millisecond)
		}
		put(1, "bench", "m1", "alpha")
		put(2, "bench", "m2", "alpha")
		put(3, "bench", "m1", "beta")
		put(4, "eval", "m1", "alpha")
		put(5, "bench", "m1", "alpha")
		jobs := func(rs []*store.Result) (out []int64) {
			for _, r := range rs {
				out = append(out, r.JobID)
			}
			return out
		}
		for _, c := range []struct {
			model, device string
			limit         int
			want          []int64
		}{
			{"", "", 0, []int64{5, 3, 2, 1}},
			{"m1", "", 0, []int64{5, 3, 1}},
			{"", "alpha", 0, []int64{5, 2, 1}},
			{"m1", "alpha", 0, []int64{5, 1}},
			{"", "alpha", 2, []int64{5, 2}},
			{"m3", "", 0, nil},
		} {
			rs, err := st.BenchResults(ctx, c.model, c.device, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := jobs(rs); !slices.Equal(got, c.want) {
				t.Errorf("bench results of model %q device %q limit %d: jobs %v, want %v", c.model, c.device, c.limit, got, c.want)
			}
		}
		counts, err := st.BenchCounts(ctx)
		if err != nil || counts["alpha"] != 3 || counts["beta"] != 1 || len(counts) != 2 {
			t.Errorf("bench counts: %v, %v", counts, err)
		}
	})
}
