package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// seedAnalysed stores an analysed model directly (no file, no analysis
// job): enough for the leaderboard, the fleet's submissions and its pages.
func seedAnalysed(t testing.TB, s *Server, name string, top1 float64, params, macs int64) string {
	t.Helper()
	ctx := context.Background()
	st := s.Store()
	m := &store.Model{ID: store.NewID(), Name: name, SHA256: strings.Repeat("ab", 32), Size: 1, Top1: top1, Tags: []string{}}
	tx, err := st.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := st.Insert(ctx, tx, m); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.Start(ctx, m.ID); err != nil || !ok {
		t.Fatalf("start %s: %v %v", m.ID, ok, err)
	}
	if err := st.Finish(ctx, m.ID, store.Analysis{Format: "onnx", Params: params, MACs: macs, Complete: true, Coverage: 1, Shapes: "exact",
		Summary: fmt.Sprintf(`{"format":"onnx","params":%d,"macs":%d,"complete":true,"shapes":"exact","coverage":{"nodes":1,"nodes_costed":1,"node_share":1,"params_share":1}}`, params, macs)}); err != nil {
		t.Fatal(err)
	}
	s.changed()
	return m.ID
}

// registerDevice registers a device as a worker would; stale sets its
// heartbeat a minute back.
func registerDevice(t testing.TB, st *store.Store, name, labels string, fp fleet.Fingerprint, stale bool) {
	t.Helper()
	ctx := context.Background()
	lbl, err := fleet.ParseLabels(labels)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(fp)
	if err := st.RegisterDevice(ctx, &store.Device{Name: name, Labels: lbl, Fingerprint: string(js)}); err != nil {
		t.Fatal(err)
	}
	if stale {
		old := time.Now().Add(-time.Minute).UnixMilli()
		q := "UPDATE ns_devices SET heartbeat_ms = ? WHERE name = ?"
		if st.Dialect == store.Postgres {
			q = "UPDATE ns_devices SET heartbeat_ms = $1 WHERE name = $2"
		}
		if _, err := st.DB.ExecContext(ctx, q, old, name); err != nil {
			t.Fatal(err)
		}
	}
}

// putBench writes a bench job's result as a worker would.
func putBench(t testing.TB, st *store.Store, job int64, device, model, batch string, p50, p99 float64, noisy, emulated bool) {
	t.Helper()
	res := fleet.BenchResult{Bench: &bench.Result{Model: "m.onnx", Runtime: "onnxruntime", Threads: 1, Runs: 20, LatencyMs: bench.Latency{P50: p50, P99: p99}},
		Conditions: fleet.Conditions{Threads: 1, Noisy: noisy, Emulated: emulated, Provider: "CPUExecutionProvider"}}
	if noisy {
		res.Conditions.Notes = []string{"wide tail: <b>p99</b>"}
	}
	js, _ := json.Marshal(res)
	kept, err := st.PutResult(context.Background(), &store.Result{JobID: job, Kind: "bench", ModelID: model, Device: device, Batch: batch, Shards: 1, Result: string(js)})
	if err != nil || !kept {
		t.Fatalf("result of job %d: kept %v, %v", job, kept, err)
	}
	time.Sleep(3 * time.Millisecond) // results are ordered by the millisecond they were kept
}

// postJSON posts a JSON body.
func (ts *testServer) postJSON(path, body string, header ...string) *response {
	ts.t.Helper()
	req, err := http.NewRequest("POST", ts.url+path, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	setHeaders(req, header)
	return ts.do(req)
}

// postForm posts a form as a browser would (no redirects followed).
func (ts *testServer) postForm(path string, form url.Values) *response {
	ts.t.Helper()
	req, err := http.NewRequest("POST", ts.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return &response{Status: res.StatusCode, Header: res.Header, Body: b.Bytes()}
}

// measurementAnswer is a Measurement of the API.
type measurementAnswer struct {
	JobID        int64    `json:"job_id"`
	Device       string   `json:"device"`
	ModelID      string   `json:"model_id"`
	Model        string   `json:"model"`
	P50          float64  `json:"p50_ms"`
	P99          float64  `json:"p99_ms"`
	Noisy        bool     `json:"noisy"`
	Emulated     bool     `json:"emulated"`
	LatencyScore *float64 `json:"latency_score"`
}

// TestFleetAPI: benches asked through the API land as jobs on the devices
// named or labelled (live ones only); results written as workers write
// them show in the model's latency, the device's record, the jobs list and
// the leaderboard for that device, ranked by latency or Λ; the pages show
// the same, escaped. On each store.
func TestFleetAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		fast := seedAnalysed(t, ts.Server, "fast-net", 70, 2_000_000, 300_000_000)
		slow := seedAnalysed(t, ts.Server, "slow <script>alert(1)</script>", 76, 25_000_000, 4_000_000_000)
		never := seedAnalysed(t, ts.Server, "never-measured", 72, 5_000_000, 600_000_000)
		fp := fleet.ReadFingerprint()
		fp.CPU = "Test CPU <i>x</i>"
		registerDevice(t, st, "alpha", "arch=x86,tier=a", fp, false)
		registerDevice(t, st, "beta", "arch=x86", fleet.Fingerprint{Arch: "arm64", Emulated: true}, false)
		registerDevice(t, st, "old", "arch=x86", fleet.Fingerprint{}, true)

		// Submissions.
		r := ts.postJSON("/api/v1/models/"+fast+"/bench", `{"devices": ["alpha"], "runs": 20, "threads": 1}`)
		if r.Status != http.StatusAccepted {
			t.Fatalf("bench on alpha: %d %s", r.Status, r.Body)
		}
		var sub struct {
			Batch string
			Jobs  map[string]int64
			Page  string
		}
		r.Decode(t, &sub)
		if len(sub.Jobs) != 1 || sub.Jobs["alpha"] == 0 || !validBatch(sub.Batch) || sub.Page != "/models/"+fast+"?batch="+sub.Batch {
			t.Fatalf("bench answer: %s", r.Body)
		}
		r = ts.postJSON("/api/v1/models/"+slow+"/bench", `{"labels": ["arch=x86"]}`)
		var byLabel struct{ Jobs map[string]int64 }
		r.Decode(t, &byLabel)
		if r.Status != http.StatusAccepted || len(byLabel.Jobs) != 2 || byLabel.Jobs["alpha"] == 0 || byLabel.Jobs["beta"] == 0 {
			t.Errorf("bench by label arch=x86 (alpha, beta live; old stale): %d %s", r.Status, r.Body)
		}
		for _, c := range []struct{ body, want string }{
			{`{"devices": ["old"]}`, "stale"},
			{`{"devices": ["gamma"]}`, "no device"},
			{`{"devices": ["Bad Name"]}`, "device name"},
			{`{"labels": ["arch=sparc"]}`, "no live device"},
			{`{"labels": ["nolabel"]}`, "label"},
			{`{}`, "name the devices"},
			{`{"devices": ["alpha"], "runs": 0}`, "runs"},
			{`{"devices": ["alpha"], "threads": -1}`, "threads"},
			{`{"devices": ["alpha"], "speed": 1}`, "unknown field"},
			{`not json`, "JSON"},
		} {
			r := ts.postJSON("/api/v1/models/"+fast+"/bench", c.body)
			if r.Status != http.StatusBadRequest || !strings.Contains(r.JSON(t)["error"].(string), c.want) {
				t.Errorf("bench %s: %d %s (want 400 saying %q)", c.body, r.Status, r.Body, c.want)
			}
		}
		if r := ts.postJSON("/api/v1/models/"+store.NewID()+"/bench", `{"devices": ["alpha"]}`); r.Status != http.StatusNotFound {
			t.Errorf("bench of a model not stored: %d %s", r.Status, r.Body)
		}

		// Results, as the workers would keep them: fast on alpha twice
		// (the newer counts), slow on alpha (noisy) and on beta (emulated).
		putBench(t, st, 9001, "alpha", fast, "bold", 5, 6, false, false)
		putBench(t, st, sub.Jobs["alpha"], "alpha", fast, sub.Batch, 2, 2.5, false, false)
		putBench(t, st, byLabel.Jobs["alpha"], "alpha", slow, "", 8, 30, true, false)
		putBench(t, st, byLabel.Jobs["beta"], "beta", slow, "", 40, 45, false, true)

		ps := score.DefaultSettings().Params()
		lambda := func(top1 float64, params int64, p50 float64) float64 {
			v, err := ps.LatencyScore(top1, float64(params)/1e6, p50)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

		// The model's latency per device.
		var rec struct{ Latency []measurementAnswer }
		ts.get("/api/v1/models/"+slow).Decode(t, &rec)
		if len(rec.Latency) != 2 || rec.Latency[0].Device != "alpha" || rec.Latency[1].Device != "beta" ||
			rec.Latency[0].P50 != 8 || !rec.Latency[0].Noisy || !rec.Latency[1].Emulated || rec.Latency[0].LatencyScore == nil ||
			!near(*rec.Latency[0].LatencyScore, lambda(76, 25_000_000, 8)) {
			t.Errorf("slow's latency: %+v", rec.Latency)
		}
		ts.get("/api/v1/models/"+fast).Decode(t, &rec)
		if len(rec.Latency) != 1 || rec.Latency[0].P50 != 2 || rec.Latency[0].JobID != sub.Jobs["alpha"] {
			t.Errorf("fast's latency (its newest measurement on alpha): %+v", rec.Latency)
		}
		ts.get("/api/v1/models/"+never).Decode(t, &rec)
		if rec.Latency == nil || len(rec.Latency) != 0 {
			t.Errorf("never's latency: %+v", rec.Latency)
		}

		// The leaderboard for a device.
		type lbAnswer struct {
			Sort, Device string
			Total        int
			Rows         []score.RankedRow
			Unmeasured   []unmeasured
		}
		board := func(q string) lbAnswer {
			t.Helper()
			r := ts.get("/api/v1/leaderboard" + q)
			if r.Status != http.StatusOK {
				t.Fatalf("leaderboard%s: %d %s", q, r.Status, r.Body)
			}
			var b lbAnswer
			r.Decode(t, &b)
			return b
		}
		names := func(b lbAnswer) string {
			var out []string
			for _, r := range b.Rows {
				out = append(out, fmt.Sprintf("%d:%s", r.Rank, r.ID))
			}
			return strings.Join(out, " ")
		}
		b := board("?ref=none&device=alpha&sort=latency")
		if want := "1:" + fast + " 2:" + slow; names(b) != want || b.Sort != "latency" || b.Device != "alpha" || len(b.Unmeasured) != 1 || b.Unmeasured[0].ID != never {
			t.Errorf("by latency on alpha: rows %s (want %s), sort %s, unmeasured %+v", names(b), want, b.Sort, b.Unmeasured)
		}
		if r := b.Rows[0]; r.LatencyMS != 2 || !near(r.LatencyScore, lambda(70, 2_000_000, 2)) {
			t.Errorf("fast on alpha: latency %v Λ %v", r.LatencyMS, r.LatencyScore)
		}
		// Ranked by Λ: slow's accuracy does not make up for its latency.
		wantLS := []string{fast, slow}
		if lambda(76, 25_000_000, 8) > lambda(70, 2_000_000, 2) {
			wantLS = []string{slow, fast}
		}
		if b := board("?ref=paper&device=alpha&sort=latency_score"); names(b) != "1:"+wantLS[0]+" 2:"+wantLS[1] || b.Total != 2 {
			t.Errorf("by Λ on alpha among the paper's networks: %s (reference rows and unmeasured models left out)", names(b))
		}
		b = board("?ref=none&device=beta")
		if b.Sort != "netscore" || len(b.Rows) != 3 || len(b.Unmeasured) != 2 {
			t.Errorf("netscore order with beta's latency: %s, unmeasured %+v", names(b), b.Unmeasured)
		}
		for _, r := range b.Rows {
			if (r.ID == slow) != (r.LatencyMS == 40) || (r.ID != slow && r.LatencyScore != 0) {
				t.Errorf("row %s on beta: latency %v Λ %v", r.Name, r.LatencyMS, r.LatencyScore)
			}
		}
		if b := board("?ref=none"); b.Device != "" || len(b.Unmeasured) != 0 || b.Rows[0].LatencyMS != 0 {
			t.Errorf("without a device: %+v", b)
		}
		for _, q := range []string{"?sort=latency", "?device=gamma", "?device=Bad%20Name", "?sort=speed&device=alpha"} {
			if r := ts.get("/api/v1/leaderboard" + q); r.Status != http.StatusBadRequest {
				t.Errorf("leaderboard%s: %d %s", q, r.Status, r.Body)
			}
		}
		if b := board("?ref=none&device=old&sort=latency"); len(b.Rows) != 0 || len(b.Unmeasured) != 3 {
			t.Errorf("a device that measured nothing: %+v", b)
		}

		// The device.
		var dev struct {
			Name        string
			Stale       bool
			Fingerprint map[string]any
			Results     []measurementAnswer
			Models      []struct {
				ID           string
				P50          float64 `json:"p50_ms"`
				Measurements int
			}
		}
		ts.get("/api/v1/devices/alpha").Decode(t, &dev)
		if dev.Name != "alpha" || dev.Stale || dev.Fingerprint["cpu"] != fp.CPU || dev.Fingerprint["arch"] != fp.Arch {
			t.Errorf("alpha: %+v", dev)
		}
		if len(dev.Results) != 3 || dev.Results[0].ModelID != slow || dev.Results[2].P50 != 5 {
			t.Errorf("alpha's history (newest first): %+v", dev.Results)
		}
		if len(dev.Models) != 2 || dev.Models[0].ID != fast || dev.Models[0].P50 != 2 || dev.Models[0].Measurements != 2 || dev.Models[1].ID != slow {
			t.Errorf("alpha's models (fastest first): %+v", dev.Models)
		}
		ts.get("/api/v1/devices/old").Decode(t, &dev)
		if !dev.Stale || len(dev.Results) != 0 || len(dev.Models) != 0 {
			t.Errorf("old: %+v", dev)
		}
		for _, name := range []string{"gamma", "Bad%20Name", strings.Repeat("x", 100)} {
			if r := ts.get("/api/v1/devices/" + name); r.Status != http.StatusNotFound {
				t.Errorf("device %s: %d %s", name, r.Status, r.Body)
			}
		}

		// The jobs: the fleet's with their device and result.
		var jobs struct {
			Jobs []struct {
				ID     int64
				Kind   string
				Device string
				Model  string
				Batch  string
				Result *struct {
					P50 float64 `json:"p50_ms"`
				}
			}
		}
		ts.get("/api/v1/jobs").Decode(t, &jobs)
		found := false
		for _, j := range jobs.Jobs {
			if j.ID == sub.Jobs["alpha"] {
				found = true
				if j.Kind != fleet.KindBench || j.Device != "alpha" || j.Model != "fast-net" || j.Batch != sub.Batch || j.Result == nil || j.Result.P50 != 2 {
					t.Errorf("the bench job in the list: %+v", j)
				}
			}
		}
		if !found {
			t.Errorf("job %d is not in the jobs list", sub.Jobs["alpha"])
		}

		// The pages.
		page := func(path string, status int) string {
			t.Helper()
			r := ts.get(path)
			if r.Status != status {
				t.Fatalf("GET %s: %d, want %d\n%s", path, r.Status, status, r.Body)
			}
			return string(r.Body)
		}
		html := page("/devices", http.StatusOK)
		for _, want := range []string{`href="/devices/alpha"`, `href="/devices/old"`, ">stale<", ">emulated<", `class="on">Devices`} {
			if !strings.Contains(html, want) {
				t.Errorf("/devices lacks %s", want)
			}
		}
		html = page("/devices/alpha", http.StatusOK)
		for _, want := range []string{`id="fingerprint"`, "Test CPU &lt;i&gt;x&lt;/i&gt;", `id="latency_vs_macs"`, `id="device-models"`, `id="device-history"`,
			"slow &lt;script&gt;", "wide tail: &lt;b&gt;p99&lt;/b&gt;", ">noisy<", "GMAC/s", `id="live"`} {
			if !strings.Contains(html, want) {
				t.Errorf("/devices/alpha lacks %s", want)
			}
		}
		if strings.Contains(html, "<script>alert") || strings.Contains(html, "<i>x</i>") {
			t.Error("/devices/alpha writes a name or fingerprint unescaped")
		}
		if n := len(regexp.MustCompile(`<circle[^>]*class="pt user"`).FindAllString(html, -1)); n != 2 {
			t.Errorf("the latency chart has %d marks, want 2 (one per model measured)", n)
		}
		if html := page("/devices/old", http.StatusOK); !strings.Contains(html, `id="stale"`) || !strings.Contains(html, `id="no-history"`) {
			t.Error("/devices/old shows no stale badge or no empty history")
		}
		page("/devices/gamma", http.StatusNotFound)

		html = page("/?ref=none&device=alpha&sort=latency", http.StatusOK)
		for _, want := range []string{"p50 ms", "Λ (latency)", "measured median latency on alpha", "Not measured on alpha (left out of this ranking): never-measured",
			`<option selected>alpha</option>`, `<option selected>latency</option>`} {
			if !strings.Contains(html, want) {
				t.Errorf("the leaderboard by latency on alpha lacks %s", want)
			}
		}
		page("/?sort=latency", http.StatusBadRequest)

		html = page("/models/"+slow, http.StatusOK)
		for _, want := range []string{`id="latency-table"`, `href="/devices/alpha"`, `href="/devices/beta"`, ">emulated<", `id="bench-form"`,
			`name="device" value="alpha"`, `name="device" value="beta"`, `name="label" value="tier=a"`} {
			if !strings.Contains(html, want) {
				t.Errorf("the model's page lacks %s", want)
			}
		}
		if strings.Contains(html, `value="old"`) {
			t.Error("the measure-on form offers the stale device")
		}

		// The form: queued, then the model's page following the batch.
		r = ts.postForm("/models/"+never+"/bench", url.Values{"device": {"alpha"}, "label": {"tier=a"}, "threads": {"1"}, "runs": {"10"}, "warmup": {"1"}})
		loc := r.Header.Get("Location")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/models/"+never+"?batch=b") {
			t.Fatalf("the measure-on form: %d, Location %q\n%s", r.Status, loc, r.Body)
		}
		html = page(strings.TrimSuffix(loc, "#latency"), http.StatusOK)
		if !strings.Contains(html, `id="jobs-table"`) || !strings.Contains(html, "asked of alpha") || !strings.Contains(html, `http-equiv="refresh"`) {
			t.Error("the model's page after the form does not follow the batch's job")
		}
		r = ts.postForm("/models/"+never+"/bench", url.Values{"device": {"old"}, "runs": {"7"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "stale") || !strings.Contains(string(r.Body), `value="7"`) {
			t.Errorf("the form for a stale device: %d\n%s", r.Status, r.Body)
		}
		r = ts.postForm("/models/"+never+"/bench", url.Values{"device": {"alpha"}, "runs": {"many"}})
		if r.Status != http.StatusBadRequest {
			t.Errorf("the form with runs=many: %d", r.Status)
		}
		html = page("/jobs", http.StatusOK)
		if !strings.Contains(html, "fleet_bench") || !strings.Contains(html, "p50 2.000 ms") {
			t.Error("the jobs page lacks the fleet's jobs or their results")
		}
	})
}
