//go:build ort

package fleet_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/fleet"
)

// The multi-process harness: the ort build of netscore, `netscore serve`
// and `netscore worker` processes on loopback over one PostgreSQL, and the
// CLI (submit, jobs) run as a user would.

// cluster is one server, its workers and the commands run against them.
type cluster struct {
	t      *testing.T
	bin    string // the netscore binary
	db     string // the database URL
	server string // the server's base URL, with a trailing /
	dir    string // logs and worker caches
	env    []string
	procs  map[string]*proc
}

// proc is a started process; done is closed when it has exited.
type proc struct {
	*exec.Cmd
	done chan struct{}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// buildNetscore builds the ort binary once per test into its temp folder
// (the build cache makes a second build a link).
func buildNetscore(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "netscore")
	cmd := exec.Command("go", "build", "-tags", "ort", "-o", bin, "github.com/netscore/netscore/cmd/netscore")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags ort: %v\n%s", err, out)
	}
	return bin
}

func newCluster(t *testing.T, db string, env ...string) *cluster {
	c := &cluster{t: t, bin: buildNetscore(t), db: db, dir: t.TempDir(), procs: map[string]*proc{},
		env: append(os.Environ(), env...)}
	t.Cleanup(c.stopAll)
	return c
}

// start starts a long-running netscore command, its output in dir/name.log.
func (c *cluster) start(name string, args ...string) *proc {
	c.t.Helper()
	logf, err := os.Create(filepath.Join(c.dir, name+".log"))
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(c.bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = c.env, logf, logf
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	p := &proc{Cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); logf.Close(); close(p.done) }()
	c.procs[name] = p
	return p
}

// stopAll ends every process still running (SIGCONT first, for one
// stopped), and on failure shows the tail of every log.
func (c *cluster) stopAll() {
	for _, p := range c.procs {
		if !p.exited() {
			p.Process.Signal(syscall.SIGCONT)
			p.Process.Signal(syscall.SIGTERM)
		}
	}
	for _, p := range c.procs {
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			p.Process.Kill()
			<-p.done
		}
	}
	if c.t.Failed() || testing.Verbose() {
		for name := range c.procs {
			b, _ := os.ReadFile(filepath.Join(c.dir, name+".log"))
			if len(b) > 6000 {
				b = b[len(b)-6000:]
			}
			c.t.Logf("--- %s.log (tail) ---\n%s", name, b)
		}
	}
}

// serve starts `netscore serve` on 127.0.0.1:0 and waits for its url= line.
func (c *cluster) serve(extra ...string) {
	c.t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(c.dir, "data"), "--db", c.db, "--grace", "5s"}, extra...)
	c.start("serve", args...)
	re := regexp.MustCompile(`url=(http://\S+/)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(c.dir, "serve.log"))
		if m := re.FindSubmatch(b); m != nil {
			c.server = string(m[1])
			return
		}
		if c.procs["serve"].exited() {
			c.t.Fatalf("serve exited: %s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatal("serve did not start in 30 s")
}

// upload posts a model file and returns its id.
func (c *cluster) upload(path string) string {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	b, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(b)
	mw.WriteField("top1", "90")
	mw.Close()
	resp, err := http.Post(c.server+"api/v1/models", mw.FormDataContentType(), &body)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var posted struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&posted)
	if resp.StatusCode != http.StatusAccepted || posted.ID == "" {
		c.t.Fatalf("upload %s: HTTP %d, id %q", path, resp.StatusCode, posted.ID)
	}
	return posted.ID
}

// worker starts `netscore worker` with a 1 s heartbeat and its own cache.
func (c *cluster) worker(name, labels string, extra ...string) *proc {
	c.t.Helper()
	args := append([]string{"worker", "--db", c.db, "--server", c.server, "--name", name, "--labels", labels,
		"--heartbeat", "1s", "--cache", filepath.Join(c.dir, "cache-"+name), "--grace", "2s"}, extra...)
	return c.start(name, args...)
}

// waitDevices waits until the API lists these devices, all live.
func (c *cluster) waitDevices(names ...string) {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		live := map[string]bool{}
		for _, d := range c.devices() {
			live[d.Name] = !d.Stale
		}
		all := true
		for _, n := range names {
			all = all && live[n]
		}
		if all {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.t.Fatalf("devices %v did not all register in 30 s: %+v", names, c.devices())
}

type apiDevice struct {
	Name   string   `json:"name"`
	Labels []string `json:"labels"`
	Stale  bool     `json:"stale"`
}

func (c *cluster) devices() []apiDevice {
	c.t.Helper()
	resp, err := http.Get(c.server + "api/v1/devices")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Devices []apiDevice }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		c.t.Fatal(err)
	}
	return out.Devices
}

// cli runs a short netscore command; it returns stdout, stderr and the
// exit code.
func (c *cluster) cli(args ...string) (string, string, int) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Env = c.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			c.t.Fatalf("netscore %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

// submit runs `netscore submit bench … --format json` and returns its jobs.
func (c *cluster) submit(args ...string) fleet.Submitted {
	c.t.Helper()
	out, errs, code := c.cli(append([]string{"submit", "bench", "--db", c.db, "--format", "json"}, args...)...)
	if code != 0 {
		c.t.Fatalf("netscore submit bench %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	var sub fleet.Submitted
	if err := json.Unmarshal([]byte(out), &sub); err != nil {
		c.t.Fatalf("submit's JSON: %v: %s", err, out)
	}
	return sub
}

// jobs runs `netscore jobs --format json`.
func (c *cluster) jobs() []fleet.Job {
	c.t.Helper()
	out, errs, code := c.cli("jobs", "--db", c.db, "--format", "json")
	if code != 0 && code != 1 { // 1: some job failed, which tests may want
		c.t.Fatalf("netscore jobs: exit %d: %s", code, errs)
	}
	var jobs []fleet.Job
	if err := json.Unmarshal([]byte(out), &jobs); err != nil {
		c.t.Fatalf("jobs' JSON: %v: %s", err, out)
	}
	return jobs
}

// waitJobs polls `netscore jobs` until every job of ids has ended.
func (c *cluster) waitJobs(ids map[int64]bool, timeout time.Duration) map[int64]fleet.Job {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := map[int64]fleet.Job{}
		ended := 0
		for _, j := range c.jobs() {
			if ids[j.ID] {
				got[j.ID] = j
				if j.State == "completed" || j.State == "discarded" || j.State == "cancelled" {
					ended++
				}
			}
		}
		if ended == len(ids) {
			return got
		}
		if time.Now().After(deadline) {
			var open []string
			for _, j := range got {
				if j.State != "completed" && j.State != "discarded" && j.State != "cancelled" {
					open = append(open, fmt.Sprintf("%d %s on %s (attempt %d, %v)", j.ID, j.State, j.Device, j.Attempt, j.Errors))
				}
			}
			c.t.Fatalf("%d of %d jobs still open after %s: %s", len(ids)-ended, len(ids), timeout, strings.Join(open, "; "))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// grep reports whether a process's log has a line matching re.
func (c *cluster) grep(name, re string) bool {
	f, err := os.Open(filepath.Join(c.dir, name+".log"))
	if err != nil {
		return false
	}
	defer f.Close()
	rx := regexp.MustCompile(re)
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	for sc.Scan() {
		if rx.MatchString(sc.Text()) {
			return true
		}
	}
	return false
}

// benchResult decodes a job's kept result.
func benchResult(t *testing.T, j fleet.Job) fleet.BenchResult {
	t.Helper()
	var r fleet.BenchResult
	if err := json.Unmarshal(j.Result, &r); err != nil || r.Bench == nil {
		t.Fatalf("job %d: result %s: %v", j.ID, j.Result, err)
	}
	return r
}
