package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestModelLifecycle: the same rows and states on SQLite and PostgreSQL; an
// analysis is recorded once even when its job runs twice; a file is kept
// while a row uses it.
func TestModelLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		seen := map[int64]bool{}
		ctx := context.Background()
		tmp, sum, size, err := st.Blobs.Spool(strings.NewReader("model bytes"), 100)
		if err != nil || size != 11 {
			t.Fatalf("spool: %v, %d bytes", err, size)
		}
		// sha256 of "model bytes", from coreutils' sha256sum.
		if sum != "9cb7487000bc86ac36ce83c4acfabe8878552be99572a6770f65ab1d048a5c48" {
			t.Fatalf("sum %q", sum)
		}
		if err := st.Blobs.Keep(tmp, sum); err != nil {
			t.Fatal(err)
		}
		a := &store.Model{ID: store.NewID(), Name: "a.onnx", SHA256: sum, Size: size, Top1: 70, Tags: []string{"int8", "edge"}, Task: "imagenet"}
		b := &store.Model{ID: store.NewID(), Name: "b.onnx", SHA256: sum, Size: size, Top1: 60}
		insert(t, st, a, b)

		got, err := st.Get(ctx, a.ID)
		if err != nil || got.State != store.Queued || got.Name != "a.onnx" || strings.Join(got.Tags, ",") != "int8,edge" || got.Task != "imagenet" {
			t.Fatalf("get: %+v, %v", got, err)
		}
		if ok, err := st.Start(ctx, a.ID); !ok || err != nil {
			t.Fatalf("start: %v %v", ok, err)
		}
		an := store.Analysis{Format: "onnx", Params: 123, MACs: 456, Complete: true, Coverage: 1, Shapes: "exact", Summary: `{"params":123}`}
		if err := st.Finish(ctx, a.ID, an); err != nil {
			t.Fatal(err)
		}
		// The job again (a retry after a crash): nothing to start, nothing recorded twice.
		if ok, _ := st.Start(ctx, a.ID); ok {
			t.Error("a done model started again")
		}
		st.Finish(ctx, a.ID, an)
		got, _ = st.Get(ctx, a.ID)
		if got.State != store.Done || got.Params != 123 || got.MACs != 456 || !got.Complete || got.Analyses != 1 || got.Summary != `{"params":123}` {
			t.Fatalf("after finish: %+v", got)
		}
		if err := st.Fail(ctx, b.ID, "not a model"); err != nil {
			t.Fatal(err)
		}
		list, err := st.List(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %d, %v", len(list), err)
		}
		counts, _ := st.Count(ctx)
		if counts[store.Done] != 1 || counts[store.Failed] != 1 {
			t.Errorf("counts %v", counts)
		}
		path, _ := st.Blobs.Path(sum)
		if ok, err := st.Delete(ctx, a.ID); !ok || err != nil {
			t.Fatalf("delete: %v %v", ok, err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Error("the file went while b still uses it")
		}
		st.Delete(ctx, b.ID)
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Error("the file stayed with no row using it")
		}
		if ok, _ := st.Delete(ctx, b.ID); ok {
			t.Error("deleted twice")
		}
		if _, err := st.Get(ctx, b.ID); err != store.ErrNotFound {
			t.Errorf("get deleted: %v", err)
		}

		// Results are kept once per job: a job run again after its worker
		// died does not count twice.
		for _, id := range []int64{7, 8, 9, 7} {
			kept, err := st.PutResult(ctx, &store.Result{JobID: id, Kind: "bench", ModelID: "m1", Device: "d", Shards: 1, Result: fmt.Sprintf(`{"n":%d}`, id)})
			if err != nil || kept == seen[id] {
				t.Errorf("job %d: kept %v, %v", id, kept, err)
			}
			seen[id] = true
		}
		rs, err := st.ResultsOf(ctx, []int64{7, 9, 99})
		if err != nil || len(rs) != 2 || rs[0].JobID+rs[1].JobID != 16 {
			t.Errorf("results of 7, 9, 99: %v, %v", rs, err)
		}
	})
}

func TestBlobPaths(t *testing.T) {
	b, err := store.OpenBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("g", 64), strings.Repeat("A", 64), strings.Repeat("a", 63) + "/"} {
		if _, err := b.Path(bad); err == nil {
			t.Errorf("Path(%q) accepted", bad)
		}
	}
	if _, _, _, err := b.Spool(strings.NewReader("0123456789"), 9); err != store.ErrTooLarge {
		t.Errorf("over the limit: %v", err)
	}
}

func insert(t *testing.T, st *store.Store, ms ...*store.Model) {
	t.Helper()
	tx, err := st.DB.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func(tx *sql.Tx) { tx.Rollback() }(tx)
	for _, m := range ms {
		if err := st.Insert(context.Background(), tx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
