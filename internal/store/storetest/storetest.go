// Package storetest runs a test on each store back end: SQLite in a temp
// folder always, and PostgreSQL in a fresh database when
// NETSCORE_TEST_POSTGRES names a server (scripts/pg.sh starts one; the test
// script always does).
package storetest

import (
	"context"
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
