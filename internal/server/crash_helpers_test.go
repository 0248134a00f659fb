package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/store"
)

// buildNetscore builds the netscore command into a temp dir.
func buildNetscore(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "netscore")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/netscore/netscore/cmd/netscore")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// served is a running `netscore serve`.
type served struct {
	cmd  *exec.Cmd
	url  string
	log  string
	done chan struct{}
}

var servingRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:[0-9]+)/`)

// startServe starts `netscore serve` on a free loopback port over data
// (and dbURL when not ""); its log goes to data/serve-NAME.log. The
// process is killed when the test ends if still running.
func startServe(t *testing.T, bin, data, dbURL, name string) *served {
	t.Helper()
	args := []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--job-timeout", "2s", "--workers", "2", "--grace", "5s"}
	if dbURL != "" {
		args = append(args, "--db", dbURL)
	}
	logPath := filepath.Join(data, "serve-"+name+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NETSCORE_TOKEN=", "NETSCORE_DB=", "NETSCORE_DATA=")
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, log: logPath, done: make(chan struct{})}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logf, line)
			if m := servingRE.FindStringSubmatch(line); m != nil {
				select {
				case urlc <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
		logf.Close()
	}()
	go func() {
		cmd.Wait()
		pw.Close()
		close(s.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	select {
	case s.url = <-urlc:
	case <-s.done:
		b, _ := os.ReadFile(logPath)
		t.Fatalf("netscore serve exited at start:\n%s", b)
	case <-time.After(30 * time.Second):
		t.Fatal("netscore serve did not start within 30 s")
	}
	return s
}

func (s *served) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.done
}

// stop ends the server as Ctrl-C would, and wants a clean exit.
func (s *served) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		t.Error("netscore serve did not stop within 15 s of SIGTERM")
		s.cmd.Process.Kill()
		<-s.done
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		b, _ := os.ReadFile(s.log)
		t.Errorf("netscore serve exited %d after SIGTERM; log tail:\n%s", code, tail(b, 2000))
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

type modelFile struct {
	name string
	data []byte
}

func loadFiles(t *testing.T, names ...string) []modelFile {
	t.Helper()
	var out []modelFile
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "models", n+".onnx"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, modelFile{n, b})
	}
	return out
}

// loader uploads and reads, and keeps what the server acknowledged.
type loader struct {
	base   string
	files  []modelFile
	prefix string
	hc     *http.Client
	killed atomic.Bool // failures from now on are the kill's
	next   atomic.Int64

	mu       sync.Mutex
	acked    map[string]string // id -> name, every 202
	inflight map[string]bool   // names sent with no answer when the server was killed
	ids      []string
	errs     []string
}

func newLoader(base string, files []modelFile, testName string) *loader {
	return &loader{base: base, files: files, prefix: fmt.Sprintf("crash%04x", rand.IntN(1<<16)),
		hc:    &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		acked: map[string]string{}, inflight: map[string]bool{}}
}

func (l *loader) fail(format string, args ...any) {
	if l.killed.Load() {
		return
	}
	l.mu.Lock()
	l.errs = append(l.errs, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *loader) errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.errs...)
}

// client: 60% uploads, 40% reads, with short pauses, until ctx ends.
func (l *loader) client(ctx context.Context, seed int) {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(time.Now().UnixNano())))
	for ctx.Err() == nil {
		switch n := rng.IntN(10); {
		case n < 6:
			l.upload()
		case n < 8:
			l.get(ctx, "/api/v1/leaderboard?limit=20")
		default:
			l.mu.Lock()
			id := ""
			if len(l.ids) > 0 {
				id = l.ids[rng.IntN(len(l.ids))]
			}
			l.mu.Unlock()
			if id != "" {
				l.get(ctx, "/api/v1/models/"+id)
			}
		}
		time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond)
	}
}

func (l *loader) get(ctx context.Context, path string) {
	req, _ := http.NewRequestWithContext(ctx, "GET", l.base+path, nil)
	resp, err := l.hc.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			l.fail("GET %s: %v", path, err)
		}
		return
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil && ctx.Err() == nil {
		l.fail("GET %s: %v", path, err)
	}
	if resp.StatusCode != 200 {
		l.fail("GET %s: %s", path, resp.Status)
	}
}

// upload posts the next file under a new name. A request with no answer
// once the server was killed is in flight: it may or may not have been kept.
func (l *loader) upload() {
	n := l.next.Add(1)
	f := l.files[int(n)%len(l.files)]
	name := fmt.Sprintf("%s-%05d-%s.onnx", l.prefix, n, f.name)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("top1", strconv.FormatFloat(50+float64(n%40000)/1000, 'f', 3, 64))
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(f.data)
	mw.Close()
	req, _ := http.NewRequest("POST", l.base+"/api/v1/models", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := l.hc.Do(req)
	var b []byte
	if err == nil {
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err != nil {
		if l.killed.Load() {
			l.mu.Lock()
			l.inflight[name] = true
			l.mu.Unlock()
			return
		}
		l.fail("POST %s: %v", name, err)
		return
	}
	var ack struct {
		ID string `json:"id"`
	}
	if resp.StatusCode != http.StatusAccepted || json.Unmarshal(b, &ack) != nil || ack.ID == "" {
		l.fail("POST %s: %s %.200s", name, resp.Status, b)
		return
	}
	l.mu.Lock()
	l.acked[ack.ID] = name
	l.ids = append(l.ids, ack.ID)
	l.mu.Unlock()
}

// counts is /healthz's count of models by state (empty on an error).
func (l *loader) counts() map[string]int {
	var h struct {
		Models map[string]int `json:"models"`
	}
	resp, err := l.hc.Get(l.base + "/healthz")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(&h)
	return h.Models
}

type listedModel struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	State    string `json:"state"`
	Analyses int    `json:"analyses"`
	Error    string `json:"error"`
}

func (l *loader) list() ([]listedModel, error) {
	resp, err := l.hc.Get(l.base + "/api/v1/models")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET /api/v1/models: %s", resp.Status)
	}
	var out struct {
		Models []listedModel `json:"models"`
	}
	return out.Models, json.NewDecoder(resp.Body).Decode(&out)
}

// openStore opens the server's database beside it (SQLite in WAL mode takes
// a reader in another process), closed when the test ends.
func openStore(t *testing.T, data, dbURL string) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := store.Open(ctx, data, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// jobStates counts River's jobs by state.
func jobStates(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rows, err := st.DB.QueryContext(ctx, "SELECT state, COUNT(*) FROM river_job GROUP BY state")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
