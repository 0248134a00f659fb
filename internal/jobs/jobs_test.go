package jobs_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/jobs"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestAnalysisJob queues the analysis of torchvision's ResNet-18 and of a
// file that is not a model, on each back end, and reads back PyTorch's
// counts (testdata/models/manifest.csv: 11,684,712 params with BatchNorm
// folded, 1,814,073,344 MACs) and the reader's error.
func TestAnalysisJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var mu sync.Mutex
		done := map[string]bool{}
		wake := make(chan struct{}, 10)
		q, err := jobs.New(ctx, st, jobs.Config{OnDone: func(id string) {
			mu.Lock()
			done[id] = true
			mu.Unlock()
			wake <- struct{}{}
		}})
		if err != nil {
			t.Fatal(err)
		}
		good := add(t, st, q, "resnet18.onnx", filepath.Join("..", "..", "testdata", "models", "resnet18_op13_dyn.onnx"), "")
		bad := add(t, st, q, "notes.onnx", "jobs.go", "")
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		for {
			mu.Lock()
			n := len(done)
			mu.Unlock()
			if n == 2 {
				break
			}
			select {
			case <-wake:
			case <-ctx.Done():
				t.Fatal("analyses did not end in time")
			}
		}
		m, err := st.Get(ctx, good)
		if err != nil {
			t.Fatal(err)
		}
		if m.State != store.Done || m.Params != 11684712 || m.MACs != 1814073344 || m.Analyses != 1 || !m.Complete {
			t.Errorf("resnet18: state %s params %d MACs %d analyses %d complete %v; want done 11684712 1814073344 1 true (%s)",
				m.State, m.Params, m.MACs, m.Analyses, m.Complete, m.Error)
		}
		if m.Summary == "" {
			t.Error("no summary stored")
		}
		b, err := st.Get(ctx, bad)
		if err != nil {
			t.Fatal(err)
		}
		if b.State != store.Failed || b.Error == "" || filepath.IsAbs(b.Error) {
			t.Errorf("not a model: state %s error %q", b.State, b.Error)
		}
		list, err := q.List(ctx, 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("job list: %v, %d jobs", err, len(list))
		}
	})
}

func add(t *testing.T, st *store.Store, q *jobs.Queue, name, path, input string) string {
	t.Helper()
	sum, size := storetest.Keep(t, st, path)
	m := &store.Model{ID: store.NewID(), Name: name, SHA256: sum, Size: size, Top1: 69.758, Input: input}
	storetest.Insert(t, st, func(tx *sql.Tx) error {
		_, err := q.EnqueueAnalysis(context.Background(), tx, m.ID)
		return err
	}, m)
	return m.ID
}
