// Command serve is the load generator of `netscore serve` (bench/serve.sh
// starts the server and runs it; see bench/README.md).
//
// It talks only to the server --url names, which must be loopback, for a
// bounded time with a bounded number of clients, and stops by itself:
//
//  1. seed: uploads --seed models (the files of --models under distinct
//     names and top-1 values) with a few clients and waits until they are
//     analysed, so that the leaderboard holds ~2,000 reference rows and
//     --seed user rows;
//  2. load: --clients clients for --duration, each picking, by the --mix
//     weights, GET /api/v1/leaderboard?ref=--ref, GET /api/v1/models/{id}
//     of a known model, GET / or a POST /api/v1/models upload, then thinking
//     (a random pause of 0 to 2×--think). An uploading client polls its
//     model's GET until it is done and has a rank (upload-to-ranked);
//  3. verify: waits (at most --wait) until no acknowledged model is queued
//     or running, then checks with GET /api/v1/models that every 202'd id
//     is there exactly once, done, analysed once, and that no row exists
//     that was not acknowledged.
//
// It prints the results (Markdown) and exits 1 on any error, lost,
// duplicated, extra or unfinished model.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	url       string
	clients   int
	duration  time.Duration
	models    string
	seed      int
	seedConc  int
	think     time.Duration
	ref       string
	mix       string
	wait      time.Duration
	poll      time.Duration
	rankWait  time.Duration
	tag       string
	jsonOut   string
	maxErrors int
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", "", "the server, e.g. http://127.0.0.1:8080 (loopback only)")
	flag.IntVar(&c.clients, "clients", 200, "concurrent clients during the load")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "length of the load")
	flag.StringVar(&c.models, "models", "testdata/models", "folder of .onnx files to upload")
	flag.IntVar(&c.seed, "seed", 1000, "user models uploaded (and analysed) before the load")
	flag.IntVar(&c.seedConc, "seed-clients", 8, "clients that upload the seed models")
	flag.DurationVar(&c.think, "think", time.Second, "mean pause of a client between requests (uniform in 0..2×think; 0: none)")
	flag.StringVar(&c.ref, "ref", "all", "reference set of the leaderboard reads")
	flag.StringVar(&c.mix, "mix", "leaderboard=40,model=30,page=20,upload=10", "weights of the operations")
	flag.DurationVar(&c.wait, "wait", 120*time.Second, "longest wait, after the load, for every upload to be analysed")
	flag.DurationVar(&c.poll, "poll", 20*time.Millisecond, "an uploader's first pause between polls of its model until ranked (each next pause a quarter longer, up to 10×)")
	flag.DurationVar(&c.rankWait, "rank-wait", 60*time.Second, "longest an uploader polls its model")
	flag.StringVar(&c.tag, "tag", "", "name prefix of this run's uploads (default: a random one)")
	flag.StringVar(&c.jsonOut, "json", "", "also write the results as JSON to `FILE`")
	flag.IntVar(&c.maxErrors, "show-errors", 10, "errors printed (all are counted)")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench/serve:", err)
		os.Exit(1)
	}
}

// op names an operation of the mix; reads are recorded by route.
type op string

const (
	opBoard  op = "leaderboard"
	opModel  op = "model"
	opPage   op = "page"
	opUpload op = "upload"
	opPoll   op = "poll"
)

type weighted struct {
	op op
	w  int
}

func parseMix(s string) ([]weighted, int, error) {
	var out []weighted
	total := 0
	for _, f := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(f), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return nil, 0, fmt.Errorf("--mix %q: want op=weight,...", s)
		}
		switch o := op(k); o {
		case opBoard, opModel, opPage, opUpload:
			out = append(out, weighted{o, n})
			total += n
		default:
			return nil, 0, fmt.Errorf("--mix: unknown op %q (leaderboard, model, page, upload)", k)
		}
	}
	if total == 0 {
		return nil, 0, errors.New("--mix: all weights are 0")
	}
	return out, total, nil
}

// state is what the clients share.
type state struct {
	c      config
	base   string
	hc     *http.Client
	files  []modelFile
	next   atomic.Int64 // upload sequence number
	mu     sync.Mutex
	acked  map[string]string // id -> name of every 202'd upload
	names  map[string]bool   // every name sent (acknowledged or not)
	ids    []string          // acknowledged ids, for GET /api/v1/models/{id}
	errs   []string
	nerr   atomic.Int64
	reqs   atomic.Int64
	bytes  atomic.Int64
	lat    map[op][]time.Duration
	ranked []rankedSample
}

type modelFile struct {
	name string
	data []byte
}

type rankedSample struct {
	file string
	d    time.Duration
}

func run(c config) error {
	u, err := url.Parse(c.url)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("--url %q: want http://HOST:PORT", c.url)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--url %q: only loopback servers are loaded", c.url)
	}
	if c.clients < 1 || c.clients > 2000 || c.duration <= 0 || c.duration > time.Hour || c.seed < 0 || c.seed > 100000 {
		return errors.New("--clients in 1..2000, --duration in (0, 1h], --seed in 0..100000")
	}
	mix, total, err := parseMix(c.mix)
	if err != nil {
		return err
	}
	if c.tag == "" {
		c.tag = fmt.Sprintf("ld%04x", rand.IntN(1<<16))
	}
	s := &state{c: c, base: strings.TrimRight(c.url, "/"), acked: map[string]string{}, names: map[string]bool{}, lat: map[op][]time.Duration{}}
	s.hc = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: c.clients + c.seedConc + 8, MaxIdleConnsPerHost: c.clients + c.seedConc + 8,
		IdleConnTimeout: 90 * time.Second, DisableCompression: true,
	}}
	paths, _ := filepath.Glob(filepath.Join(c.models, "*.onnx"))
	slices.Sort(paths)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s.files = append(s.files, modelFile{strings.TrimSuffix(filepath.Base(p), ".onnx"), b})
	}
	if len(s.files) == 0 {
		return fmt.Errorf("--models %s: no .onnx files", c.models)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := s.health(ctx); err != nil {
		return err
	}

	// 1. seed
	seedStart := time.Now()
	if c.seed > 0 {
		var wg sync.WaitGroup
		var n atomic.Int64
		for range c.seedConc {
			wg.Go(func() {
				for ctx.Err() == nil && n.Add(1) <= int64(c.seed) {
					s.upload(ctx, false)
				}
			})
		}
		wg.Wait()
		if err := s.waitDone(ctx, c.wait); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
	}
	seedTook := time.Since(seedStart)
	seedErrors := s.nerr.Load()
	s.mu.Lock()
	seeded := len(s.acked)
	clear(s.lat)
	s.mu.Unlock()
	s.reqs.Store(0)
	s.bytes.Store(0)
	fmt.Fprintf(os.Stderr, "seeded %d models in %s; load: %d clients for %s\n", seeded, seedTook.Round(time.Millisecond), c.clients, c.duration)

	// 2. load
	lctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	loadStart := time.Now()
	var wg sync.WaitGroup
	for i := range c.clients {
		wg.Go(func() { s.client(lctx, uint64(i), mix, total) })
	}
	wg.Wait()
	loadTook := time.Since(loadStart)
	reqs, bytesRead := s.reqs.Load(), s.bytes.Load()

	// 3. verify
	verifyStart := time.Now()
	werr := s.waitDone(ctx, c.wait)
	v, verr := s.verify(ctx)
	if verr != nil {
		return verr
	}
	v.waited = time.Since(verifyStart)
	res := s.results(seeded, seedTook, seedErrors, loadTook, reqs, bytesRead, v)
	fmt.Print(res.markdown())
	if c.jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(c.jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if werr != nil {
		fmt.Fprintln(os.Stderr, "bench/serve:", werr)
	}
	if !res.OK {
		return errors.New("FAIL: errors, lost, duplicated, extra or unfinished models (see above)")
	}
	return nil
}

func (s *state) health(ctx context.Context) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/healthz", nil)
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET /healthz: %s", resp.Status)
	}
	return nil
}

func (s *state) fail(format string, args ...any) {
	s.nerr.Add(1)
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	if len(s.errs) < s.c.maxErrors {
		s.errs = append(s.errs, msg)
	}
	s.mu.Unlock()
}

func (s *state) record(o op, d time.Duration) {
	s.mu.Lock()
	s.lat[o] = append(s.lat[o], d)
	s.mu.Unlock()
}

func (s *state) client(ctx context.Context, seed uint64, mix []weighted, total int) {
	rng := rand.New(rand.NewPCG(seed, uint64(time.Now().UnixNano())))
	for ctx.Err() == nil {
		n := rng.IntN(total)
		var o op
		for _, w := range mix {
			if n < w.w {
				o = w.op
				break
			}
			n -= w.w
		}
		switch o {
		case opBoard:
			s.get(ctx, opBoard, "/api/v1/leaderboard?ref="+url.QueryEscape(s.c.ref), nil)
		case opModel:
			s.mu.Lock()
			id := ""
			if len(s.ids) > 0 {
				id = s.ids[rng.IntN(len(s.ids))]
			}
			s.mu.Unlock()
			if id != "" {
				s.get(ctx, opModel, "/api/v1/models/"+id, nil)
			}
		case opPage:
			s.get(ctx, opPage, "/", nil)
		case opUpload:
			s.upload(ctx, true)
		}
		if s.c.think > 0 {
			t := time.NewTimer(time.Duration(rng.Int64N(int64(2 * s.c.think))))
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
	}
}

// get reads a route; a request cut by the end of the load is not an error
// and not timed. into, when not nil, receives the decoded JSON.
func (s *state) get(ctx context.Context, o op, path string, into any) bool {
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+path, nil)
	start := time.Now()
	resp, err := s.hc.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			s.fail("GET %s: %v", path, err)
		}
		return false
	}
	defer resp.Body.Close()
	var n int64
	if into != nil {
		var b []byte
		b, err = io.ReadAll(resp.Body)
		n = int64(len(b))
		if err == nil && resp.StatusCode == 200 {
			err = json.Unmarshal(b, into)
		}
	} else {
		n, err = io.Copy(io.Discard, resp.Body)
	}
	d := time.Since(start)
	if err != nil {
		if ctx.Err() == nil {
			s.fail("GET %s: reading: %v", path, err)
		}
		return false
	}
	if resp.StatusCode != 200 {
		s.fail("GET %s: %s", path, resp.Status)
		return false
	}
	s.reqs.Add(1)
	s.bytes.Add(n)
	s.record(o, d)
	return true
}

// upload posts the next model under a new name; with rank it then polls
// the model until it is done and ranked and records the time taken.
func (s *state) upload(ctx context.Context, rank bool) {
	n := s.next.Add(1)
	f := s.files[int(n)%len(s.files)]
	name := fmt.Sprintf("%s-%06d-%s.onnx", s.c.tag, n, f.name)
	// distinct top-1 values in (30, 90): 4 decimals, n-th of 600,000
	top1 := 30 + float64(n%600000)/10000
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("top1", strconv.FormatFloat(top1, 'f', 4, 64))
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(f.data)
	mw.Close()
	s.mu.Lock()
	s.names[name] = true
	s.mu.Unlock()
	// An upload is never cut short by the end of the load: its outcome
	// must be known for the check.
	uctx := context.WithoutCancel(ctx)
	req, _ := http.NewRequestWithContext(uctx, "POST", s.base+"/api/v1/models", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	start := time.Now()
	resp, err := s.hc.Do(req)
	if err != nil {
		s.fail("POST %s: %v", name, err)
		return
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	var ack struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err == nil && resp.StatusCode == http.StatusAccepted {
		err = json.Unmarshal(b, &ack)
	}
	if err != nil || resp.StatusCode != http.StatusAccepted || ack.ID == "" {
		s.fail("POST %s: %s %v %.200s", name, resp.Status, err, b)
		return
	}
	s.reqs.Add(1)
	s.mu.Lock()
	s.acked[ack.ID] = name
	s.ids = append(s.ids, ack.ID)
	s.mu.Unlock()
	if !rank {
		return
	}
	s.record(opUpload, d)
	deadline := start.Add(s.c.rankWait)
	wait := s.c.poll // growing by a quarter each poll, up to 10×
	for {
		var m struct {
			State string `json:"state"`
			Rank  int    `json:"rank"`
			Error string `json:"error"`
		}
		if s.get(uctx, opPoll, "/api/v1/models/"+ack.ID+"?layers=false", &m) {
			if m.State == "done" && m.Rank > 0 {
				s.mu.Lock()
				s.ranked = append(s.ranked, rankedSample{f.name, time.Since(start)})
				s.mu.Unlock()
				return
			}
			if m.State == "failed" {
				s.fail("model %s (%s) failed: %s", ack.ID, name, m.Error)
				return
			}
		}
		if time.Now().After(deadline) {
			s.fail("model %s (%s) not ranked %s after its upload (state %s)", ack.ID, name, s.c.rankWait, m.State)
			return
		}
		time.Sleep(wait)
		wait = min(wait*5/4, 10*s.c.poll)
	}
}

type listed struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	State    string `json:"state"`
	Analyses int    `json:"analyses"`
	Error    string `json:"error"`
}

func (s *state) list(ctx context.Context) ([]listed, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/api/v1/models", nil)
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET /api/v1/models: %s", resp.Status)
	}
	var out struct {
		Models []listed `json:"models"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("GET /api/v1/models: %v", err)
	}
	return out.Models, nil
}

// waitDone waits until none of the acknowledged models is queued or running.
func (s *state) waitDone(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		models, err := s.list(ctx)
		if err != nil {
			return err
		}
		s.mu.Lock()
		pending := 0
		for _, m := range models {
			if _, ok := s.acked[m.ID]; ok && (m.State == "queued" || m.State == "running") {
				pending++
			}
		}
		s.mu.Unlock()
		if pending == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d models still queued or running after %s", pending, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

type verdict struct {
	acked, present, lost, duplicated, extra, notDone, reanalysed int
	problems                                                     []string
	waited                                                       time.Duration
}

func (s *state) verify(ctx context.Context) (verdict, error) {
	var v verdict
	models, err := s.list(ctx)
	if err != nil {
		return v, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v.acked = len(s.acked)
	byID := map[string]int{}
	byName := map[string]int{}
	note := func(format string, args ...any) {
		if len(v.problems) < 20 {
			v.problems = append(v.problems, fmt.Sprintf(format, args...))
		}
	}
	for _, m := range models {
		if !strings.HasPrefix(m.Name, s.c.tag+"-") {
			continue // not this run's
		}
		byID[m.ID]++
		byName[m.Name]++
		if byName[m.Name] == 2 {
			v.duplicated++
			note("duplicated: two rows named %s", m.Name)
		}
		if _, ok := s.acked[m.ID]; !ok {
			v.extra++
			note("extra: %s (%s) was never acknowledged", m.ID, m.Name)
		}
		if m.State != "done" {
			v.notDone++
			note("not done: %s (%s) is %s %s", m.ID, m.Name, m.State, m.Error)
		} else if m.Analyses != 1 {
			v.reanalysed++
			note("analysed %d times: %s (%s)", m.Analyses, m.ID, m.Name)
		}
	}
	for id, name := range s.acked {
		switch byID[id] {
		case 0:
			v.lost++
			note("lost: %s (%s) was acknowledged and is not listed", id, name)
		case 1:
			v.present++
		default:
			v.duplicated++
			note("duplicated: id %s listed %d times", id, byID[id])
		}
	}
	return v, nil
}

// Results is what a run found (also written with --json).
type Results struct {
	When          string            `json:"when"`
	URL           string            `json:"url"`
	Clients       int               `json:"clients"`
	DurationS     float64           `json:"duration_s"`
	Think         string            `json:"think"`
	Mix           string            `json:"mix"`
	Ref           string            `json:"ref"`
	Seeded        int               `json:"seeded"`
	SeedS         float64           `json:"seed_s"`
	SeedErrors    int64             `json:"seed_errors"`
	Requests      int64             `json:"requests"`
	RPS           float64           `json:"requests_per_s"`
	MBRead        float64           `json:"mb_read"`
	Routes        []RouteStats      `json:"routes"`
	Ranked        RouteStats        `json:"upload_to_ranked"`
	RankedByModel map[string]string `json:"upload_to_ranked_by_model"`
	Errors        int64             `json:"errors"`
	ErrorSamples  []string          `json:"error_samples,omitempty"`
	Acked         int               `json:"acknowledged"`
	Present       int               `json:"present_once"`
	Lost          int               `json:"lost"`
	Duplicated    int               `json:"duplicated"`
	Extra         int               `json:"extra"`
	NotDone       int               `json:"not_done"`
	Reanalysed    int               `json:"analysed_not_once"`
	Problems      []string          `json:"problems,omitempty"`
	DrainS        float64           `json:"drain_s"`
	OK            bool              `json:"ok"`
}

// RouteStats are one route's latencies, in milliseconds.
type RouteStats struct {
	Route string  `json:"route"`
	N     int     `json:"n"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

func stats(route string, ds []time.Duration) RouteStats {
	r := RouteStats{Route: route, N: len(ds)}
	if len(ds) == 0 {
		return r
	}
	slices.Sort(ds)
	q := func(p float64) float64 {
		i := int(p*float64(len(ds))+0.999999) - 1 // nearest rank
		i = max(0, min(i, len(ds)-1))
		return float64(ds[i].Microseconds()) / 1000
	}
	r.P50, r.P90, r.P99, r.Max = q(0.50), q(0.90), q(0.99), float64(ds[len(ds)-1].Microseconds())/1000
	return r
}

func (s *state) results(seeded int, seedTook time.Duration, seedErrors int64, loadTook time.Duration, reqs, bytesRead int64, v verdict) *Results {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &Results{When: time.Now().UTC().Format("2006-01-02 15:04 UTC"), URL: s.base, Clients: s.c.clients, DurationS: loadTook.Seconds(),
		Think: s.c.think.String(), Mix: s.c.mix, Ref: s.c.ref, Seeded: seeded, SeedS: seedTook.Seconds(), SeedErrors: seedErrors,
		Requests: reqs, RPS: float64(reqs) / loadTook.Seconds(), MBRead: float64(bytesRead) / 1e6,
		Errors: s.nerr.Load(), ErrorSamples: s.errs, Acked: v.acked, Present: v.present, Lost: v.lost, Duplicated: v.duplicated,
		Extra: v.extra, NotDone: v.notDone, Reanalysed: v.reanalysed, Problems: v.problems, DrainS: v.waited.Seconds(),
		RankedByModel: map[string]string{}}
	for _, o := range []op{opBoard, opModel, opPage, opUpload, opPoll} {
		name := map[op]string{opBoard: "GET /api/v1/leaderboard?ref=" + s.c.ref, opModel: "GET /api/v1/models/{id}", opPage: "GET /",
			opUpload: "POST /api/v1/models (202)", opPoll: "GET /api/v1/models/{id} (uploader's polls)"}[o]
		r.Routes = append(r.Routes, stats(name, s.lat[o]))
	}
	var all []time.Duration
	by := map[string][]time.Duration{}
	for _, x := range s.ranked {
		all = append(all, x.d)
		by[x.file] = append(by[x.file], x.d)
	}
	r.Ranked = stats("upload to ranked (all files)", all)
	for f, ds := range by {
		st := stats(f, ds)
		r.RankedByModel[f] = fmt.Sprintf("n=%d p50=%.1fms p99=%.1fms", st.N, st.P50, st.P99)
	}
	r.OK = r.Errors == 0 && r.Lost == 0 && r.Duplicated == 0 && r.Extra == 0 && r.NotDone == 0 && r.Reanalysed == 0
	return r
}

func (r *Results) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s, %s: %d clients for %.1f s (think %s, mix %s), leaderboard ref=%s, %d user models seeded first (%.1f s)\n\n",
		r.When, r.URL, r.Clients, r.DurationS, r.Think, r.Mix, r.Ref, r.Seeded, r.SeedS)
	fmt.Fprintf(&b, "%d requests (%.0f/s), %.0f MB read\n\n", r.Requests, r.RPS, r.MBRead)
	fmt.Fprintf(&b, "| route | n | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n")
	for _, s := range append(r.Routes, r.Ranked) {
		fmt.Fprintf(&b, "| %s | %d | %.1f | %.1f | %.1f | %.1f |\n", s.Route, s.N, s.P50, s.P90, s.P99, s.Max)
	}
	keys := make([]string, 0, len(r.RankedByModel))
	for k := range r.RankedByModel {
		if strings.HasPrefix(k, "resnet50") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\nupload to ranked, %s: %s", k, r.RankedByModel[k])
	}
	fmt.Fprintf(&b, "\n\nacknowledged %d (seed included), present once %d, lost %d, duplicated %d, extra %d, not done %d, analysed other than once %d; errors %d (seed %d); drained in %.1f s\n",
		r.Acked, r.Present, r.Lost, r.Duplicated, r.Extra, r.NotDone, r.Reanalysed, r.Errors, r.SeedErrors, r.DrainS)
	for _, e := range r.ErrorSamples {
		fmt.Fprintf(&b, "  error: %s\n", e)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	if r.OK {
		b.WriteString("result: OK\n")
	} else {
		b.WriteString("result: FAIL\n")
	}
	return b.String()
}
