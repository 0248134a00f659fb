// Package pgtest gives tests a real PostgreSQL: the server scripts/pg.sh
// starts, whose URL scripts/test.sh exports as NETSCORE_TEST_POSTGRES.
//
// URL skips the test when no server is configured; FreshDatabase gives each
// test a database of its own, dropped when the test ends, so tests that run in
// parallel never share state.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the environment variable holding the server's URL.
const EnvVar = "NETSCORE_TEST_POSTGRES"

// URL returns the URL of the test server, or skips the test when
// NETSCORE_TEST_POSTGRES is unset.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvVar)
	if u == "" {
		t.Skip(EnvVar + " is unset, so the PostgreSQL tests are skipped: " +
			"scripts/pg.sh start; export " + EnvVar + "=$(scripts/pg.sh url)")
	}
	return u
}

// FreshDatabase creates a database of its own for the test (nt_ and 16 random
// hex digits) on the server URL names, drops it (WITH (FORCE), closing
// connections the test left open) when the test ends, and returns its URL.
func FreshDatabase(t testing.TB) string {
	t.Helper()
	base := URL(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %s=%q is not a URL: %v", EnvVar, base, err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := "nt_" + hex.EncodeToString(b[:])

	// Background contexts: t.Context() is already canceled when cleanups run.
	exec := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("pgtest: creating a database on %s (%s): %v", u.Redacted(), EnvVar, err)
	}
	t.Cleanup(func() {
		if err := exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: dropping database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}
