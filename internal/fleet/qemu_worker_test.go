//go:build ort

package fleet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/pgtest"
	"github.com/netscore/netscore/internal/server"
	"github.com/netscore/netscore/internal/store"
)

// EnvARM64Worker names the folder scripts/build-arm64-worker.sh wrote
// (scripts/test.sh builds it once and sets this).
const EnvARM64Worker = "NETSCORE_ARM64_WORKER"

// TestEmulatedARM64Worker: the cross-built arm64 netscore runs under
// qemu-user as a simulated device: it finds its arm64 ONNX Runtime through
// NETSCORE_ORT_LIB, registers with architecture arm64 and emulated=true,
// completes a bench job fetched from a server, and the result and
// `netscore jobs` say the latencies are emulated. The store is PostgreSQL
// when NETSCORE_TEST_POSTGRES is set (as in scripts/test.sh), else a SQLite
// file both processes open.
func TestEmulatedARM64Worker(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the emulated arm64 worker takes a minute")
	}
	dir := arm64Worker(t)
	qemu := filepath.Join(dir, "netscore-qemu")
	lib := filepath.Join(dir, "libonnxruntime.so.1")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	env := append(os.Environ(), ort.EnvLibrary+"="+lib)
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		start := time.Now()
		cmd := exec.CommandContext(ctx, qemu, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("netscore %s (arm64, qemu): %v\n%s", strings.Join(args, " "), err, out)
		}
		t.Logf("netscore %s under qemu: %.1f s", args[0], time.Since(start).Seconds())
		return string(out)
	}

	if out := run(t, "version"); !strings.HasPrefix(out, "netscore ") {
		t.Errorf("version: %q", out)
	}
	var status ort.Status
	if err := json.Unmarshal([]byte(run(t, "ort", "status", "--format", "json")), &status); err != nil {
		t.Fatal(err)
	}
	if status.Library != lib || !status.Pinned {
		t.Errorf("ort status under qemu: library %q pinned %v, want %s, the pinned linux-arm64 build", status.Library, status.Pinned, lib)
	}

	for _, back := range []string{"sqlite", "postgres"} {
		t.Run(back, func(t *testing.T) {
			data := t.TempDir()
			dbURL := "sqlite:" + filepath.Join(data, "netscore.db") // a file both processes open
			if back == "postgres" {
				dbURL = pgtest.FreshDatabase(t) // skips without NETSCORE_TEST_POSTGRES
			}
			emulatedWorker(ctx, t, qemu, env, data, dbURL, run)
		})
	}
}

// emulatedWorker runs the arm64 worker under qemu against a store and an
// in-process server over it, and one bench job on it.
func emulatedWorker(ctx context.Context, t *testing.T, qemu string, env []string, data, dbURL string, run func(*testing.T, ...string) string) {
	st, err := store.Open(ctx, data, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.NewWithStore(ctx, server.Config{}, st)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	model := modelRef(t, st, filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx"))

	// The worker, under qemu.
	start := time.Now()
	worker := exec.Command(qemu, "worker", "--db", dbURL, "--server", ts.URL, "--name", "pi-sim",
		"--labels", "arch=arm64,board=qemu", "--cache", t.TempDir(), "--heartbeat", "1s", "--grace", "20s")
	worker.Env = env
	var logs syncBuffer
	worker.Stdout, worker.Stderr = &logs, &logs
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- worker.Wait() }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		worker.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("worker exited after SIGTERM: %v\n%s", err, logs.String())
			}
		case <-time.After(30 * time.Second):
			worker.Process.Kill()
			t.Errorf("worker still running 30 s after SIGTERM\n%s", logs.String())
		}
	}
	defer stop()

	var fp fleet.Fingerprint
	for fp.Arch == "" {
		select {
		case err := <-exited:
			t.Fatalf("worker exited before registering: %v\n%s", err, logs.String())
		case <-ctx.Done():
			t.Fatalf("worker did not register\n%s", logs.String())
		case <-time.After(200 * time.Millisecond):
		}
		devs, err := st.Devices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range devs {
			if d.Name == "pi-sim" {
				if err := json.Unmarshal([]byte(d.Fingerprint), &fp); err != nil {
					t.Fatalf("fingerprint %s: %v", d.Fingerprint, err)
				}
			}
		}
	}
	t.Logf("worker registered under qemu in %.1f s: %+v", time.Since(start).Seconds(), fp)
	if fp.Arch != "arm64" || !fp.Emulated || fp.JPEGDecoder != "image/jpeg" {
		t.Errorf("fingerprint: arch %q emulated %v JPEG decoder %q, want arm64, emulated, image/jpeg (noturbojpeg)", fp.Arch, fp.Emulated, fp.JPEGDecoder)
	}
	// The server's API shows the device as the worker registered it.
	resp, err := http.Get(ts.URL + "/api/v1/devices")
	if err != nil {
		t.Fatal(err)
	}
	var api struct {
		Devices []struct {
			Name        string   `json:"name"`
			Labels      []string `json:"labels"`
			Fingerprint string   `json:"fingerprint"`
		} `json:"devices"`
	}
	err = json.NewDecoder(resp.Body).Decode(&api)
	resp.Body.Close()
	if err != nil || len(api.Devices) != 1 || api.Devices[0].Name != "pi-sim" ||
		!strings.Contains(api.Devices[0].Fingerprint, `"arch":"arm64"`) || !strings.Contains(api.Devices[0].Fingerprint, `"emulated":true`) {
		t.Errorf("GET /api/v1/devices: %v %+v", err, api)
	}

	// One bench, on the emulated device.
	runs := 10
	cfg := bench.Defaults("")
	cfg.Runs, cfg.Threads, cfg.Warmup = &runs, 1, 2
	sub, err := fleet.SubmitBench(ctx, st, fleet.BenchRequest{Model: model, Labels: []string{"arch=arm64"}, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	id, ok := sub.Jobs["pi-sim"]
	if !ok || len(sub.Jobs) != 1 {
		t.Fatalf("submitted %v, want one job on pi-sim", sub.Jobs)
	}
	start = time.Now()
	if err := fleet.Wait(ctx, st, []int64{id}, 200*time.Millisecond); err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	t.Logf("bench job %d done under qemu in %.1f s", id, time.Since(start).Seconds())
	results, err := st.Results(ctx, "", sub.Batch)
	if err != nil || len(results) != 1 {
		t.Fatalf("results of %s: %v %+v\n%s", sub.Batch, err, results, logs.String())
	}
	var br fleet.BenchResult
	if err := json.Unmarshal([]byte(results[0].Result), &br); err != nil {
		t.Fatal(err)
	}
	if results[0].Device != "pi-sim" || br.Bench == nil || br.Bench.Runs != runs || br.Bench.LatencyMs.P50 <= 0 {
		t.Errorf("result: device %s %+v", results[0].Device, br.Bench)
	}
	if !br.Conditions.Emulated || !strings.Contains(strings.Join(br.Conditions.Notes, "; "), "emulated") {
		t.Errorf("conditions %+v: want emulated, with a note saying so", br.Conditions)
	}
	if br.Bench != nil {
		t.Logf("emulated p50 %.3g ms, p99 %.3g ms (%d runs)", br.Bench.LatencyMs.P50, br.Bench.LatencyMs.P99, br.Bench.Runs)
	}
	stop()

	// `netscore jobs`, by the arm64 binary too.
	jobs := run(t, "jobs", "--db", dbURL)
	if !strings.Contains(jobs, "pi-sim") || !strings.Contains(jobs, "(emulated)") || !strings.Contains(jobs, "completed") {
		t.Errorf("netscore jobs:\n%s", jobs)
	}
}

// arm64Worker is the folder scripts/build-arm64-worker.sh wrote: $NETSCORE_ARM64_WORKER,
// or one built here when the cross compiler and qemu are installed.
func arm64Worker(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv(EnvARM64Worker); dir != "" {
		for _, f := range []string{"netscore-linux-arm64", "libonnxruntime.so.1", "netscore-qemu"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Fatalf("%s=%s: %v (scripts/build-arm64-worker.sh DIR writes it)", EnvARM64Worker, dir, err)
			}
		}
		return dir
	}
	for _, tool := range []string{"aarch64-linux-gnu-gcc", "qemu-aarch64-static"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s: the emulated arm64 worker is not tested; scripts/test.sh installs gcc-aarch64-linux-gnu and qemu-user-static "+
				"and builds it (or: scripts/build-arm64-worker.sh DIR; %s=DIR go test -tags ort ./internal/fleet)", tool, EnvARM64Worker)
		}
	}
	dir := t.TempDir()
	start := time.Now()
	out, err := exec.Command(filepath.Join("..", "..", "scripts", "build-arm64-worker.sh"), dir).CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/build-arm64-worker.sh: %v\n%s", err, out)
	}
	t.Logf("built the arm64 worker in %.0f s", time.Since(start).Seconds())
	return dir
}

// syncBuffer is a bytes.Buffer a process's output and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
