//go:build ort

package cli_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/fleet/fleettest"
	"github.com/netscore/netscore/internal/server"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestSubmitBenchFile: `netscore submit bench FILE` uploads a file not yet
// on the server (with its --top1) and measures it on the device named; the
// same file again is found by its bytes, not uploaded twice.
func TestSubmitBenchFile(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	st := storetest.Open(t, "")
	db := "sqlite:" + st.Where
	srv, err := server.NewWithStore(ctx, server.Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	fleettest.StartWorker(ctx, t, st, hs.URL, "alpha", "", "")

	model := filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx")
	args := []string{"submit", "bench", model, "--db", db, "--devices", "alpha", "--runs", "5", "--threads", "1", "--wait", "--format", "json"}
	if code, _, errs := run(t, args...); code != 2 || !strings.Contains(errs, "--server URL and --top1") {
		t.Errorf("a new file without --server: exit %d, %s", code, errs)
	}
	args = append(args, "--server", hs.URL, "--top1", "96.94")
	code, out, errs := run(t, args...)
	if code != 0 || !strings.Contains(errs, "uploaded as model m") {
		t.Fatalf("submit bench FILE: exit %d\n%s\n%s", code, errs, out)
	}
	var jobs []fleet.Job
	if err := json.Unmarshal([]byte(out), &jobs); err != nil || len(jobs) != 1 || jobs[0].State != "completed" || jobs[0].Device != "alpha" {
		t.Fatalf("jobs: %v %+v", err, jobs)
	}
	code, out, errs = run(t, args...)
	if code != 0 || !strings.Contains(errs, "is model "+jobs[0].ModelID+" on the server") {
		t.Errorf("the same file again: exit %d\n%s\n%s", code, errs, out)
	}
	models, _ := st.List(ctx)
	if len(models) != 1 {
		t.Errorf("%d models stored, want 1", len(models))
	}
}
