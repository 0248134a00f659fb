// Package storetest runs a test on each store back end: SQLite in a temp
// folder always, and PostgreSQL in a fresh database when
// NETSCORE_TEST_POSTGRES names a server (scripts/pg.sh starts one; the test
// script always does).
package storetest

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/pgtest"
	"github.com/netscore/netscore/internal/store"
)

// Each runs f as a subtest on SQLite and on PostgreSQL.
func Each(t *testing.T, f func(t *testing.T, st *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { f(t, Open(t, "")) })
	t.Run("postgres", func(t *testing.T) { f(t, Open(t, pgtest.FreshDatabase(t))) })
}

// Open opens a store with its data folder in a temp dir, closed at the
// test's end; url "" is SQLite.
func Open(t testing.TB, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Keep stores the file at path in st's blob folder and returns its sha256
// and size.
func Keep(t testing.TB, st *store.Store, path string) (sum string, size int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tmp, sum, size, err := st.Blobs.Spool(f, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Blobs.Keep(tmp, sum); err != nil {
		t.Fatal(err)
	}
	return sum, size
}

// Insert adds queued models in one transaction; also, when not nil, runs
// in it too (a job queued with its rows).
func Insert(t testing.TB, st *store.Store, also func(*sql.Tx) error, ms ...*store.Model) {
	t.Helper()
	ctx := context.Background()
	tx, err := st.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, m := range ms {
		if err := st.Insert(ctx, tx, m); err != nil {
			t.Fatal(err)
		}
	}
	if also != nil {
		if err := also(tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// AddModel stores the file at path and a queued model row for it, named
// after the file.
func AddModel(t testing.TB, st *store.Store, path string, top1 float64) *store.Model {
	t.Helper()
	sum, size := Keep(t, st, path)
	m := &store.Model{ID: store.NewID(), Name: filepath.Base(path), SHA256: sum, Size: size, Top1: top1}
	Insert(t, st, nil, m)
	return m
}

// BlobServer serves st's files as the server's GET /api/v1/blobs/{sha256}
// does, for workers under test; closed at the test's end.
func BlobServer(t testing.TB, st *store.Store) *httptest.Server {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := st.Blobs.Path(strings.TrimPrefix(r.URL.Path, "/api/v1/blobs/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, p)
	}))
	t.Cleanup(hs.Close)
	return hs
}
