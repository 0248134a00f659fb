// Package fleettest runs in-process workers for tests.
package fleettest

import (
	"context"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/store"
)

// StartWorker runs a worker named name with labels ("k=v,…") on st until
// the test ends, fetching model files from server; dataRoot is where it
// finds a relative eval --data ("" for the working folder).
func StartWorker(ctx context.Context, t testing.TB, st *store.Store, server, name, labels, dataRoot string) {
	t.Helper()
	lbl, err := fleet.ParseLabels(labels)
	if err != nil {
		t.Fatal(err)
	}
	w, err := fleet.NewWorker(ctx, st, fleet.WorkerConfig{Name: name, Labels: lbl, Poll: 50 * time.Millisecond, DataRoot: dataRoot,
		Fetch: &fleet.Fetcher{Server: server, Dir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx, 10*time.Second) }()
	t.Cleanup(func() { stop(); <-done })
}
