package server

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/jobs"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
)

// blob serves a stored model file by its sha256: how the fleet's workers
// get the files they measure (they check the sum themselves).
func (s *Server) blob(w http.ResponseWriter, r *http.Request) {
	p, err := s.st.Blobs.Path(r.PathValue("sha256"))
	if err != nil {
		s.apiError(w, r, badRequest("%v", err))
		return
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such file"})
		return
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // content-addressed
	http.ServeContent(w, r, "", time.Time{}, f)
}

// deviceRecord is a registered device as the API lists it.
type deviceRecord struct {
	*store.Device
	Stale bool `json:"stale"`
}

// devices lists the fleet's registered devices; a device whose heartbeat
// is older than fleet.StaleAfter is stale.
func (s *Server) devices(w http.ResponseWriter, r *http.Request) {
	devs, err := s.st.Devices(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]deviceRecord, 0, len(devs))
	now := time.Now()
	for _, d := range devs {
		out = append(out, deviceRecord{Device: d, Stale: d.Stale(now, fleet.StaleAfter)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": out})
}

// measurement is one bench result as the API shows it: the figures of
// the measurement, its conditions, and Λ when the model is ranked.
type measurement struct {
	JobID    int64     `json:"job_id"`
	Device   string    `json:"device"`
	ModelID  string    `json:"model_id"`
	Model    string    `json:"model,omitempty"` // its name; none when the model is gone
	Batch    string    `json:"batch,omitempty"`
	Measured time.Time `json:"measured"`
	P50      float64   `json:"p50_ms"`
	P99      float64   `json:"p99_ms"`
	Runs     int       `json:"runs"`
	Threads  int       `json:"threads"`
	Noisy    bool      `json:"noisy"`
	Emulated bool      `json:"emulated"`
	// LatencyScore is Λ from the model's top-1, params and P50.
	LatencyScore *float64 `json:"latency_score,omitempty"`
	GMACsPerS    *float64 `json:"gmacs_per_s,omitempty"`
	Notes        []string `json:"notes,omitempty"`
}

// parseMeasurement reads a bench result; false when it is not one.
func parseMeasurement(r *store.Result) (measurement, bool) {
	var br fleet.BenchResult
	if json.Unmarshal([]byte(r.Result), &br) != nil || br.Bench == nil || !(br.Bench.LatencyMs.P50 > 0) {
		return measurement{}, false
	}
	b := br.Bench
	return measurement{JobID: r.JobID, Device: r.Device, ModelID: r.ModelID, Batch: r.Batch, Measured: r.Created,
		P50: b.LatencyMs.P50, P99: b.LatencyMs.P99, Runs: b.Runs, Threads: br.Conditions.Threads,
		Noisy: br.Conditions.Noisy, Emulated: br.Conditions.Emulated, GMACsPerS: b.AchievedGMACsPerS, Notes: br.Conditions.Notes}, true
}

// latencyParams are Λ's exponents: the leaderboard's.
func latencyParams() metrics.Params { return score.DefaultSettings().Params() }

// latencyScore is Λ of a measured median for an analysed model; 0, false
// when the model is not analysed or cannot be scored.
func latencyScore(m *store.Model, p50 float64) (float64, bool) {
	if m == nil || m.State != store.Done || m.Params <= 0 {
		return 0, false
	}
	p, _ := metrics.FromCounts(m.Params, m.MACs)
	v, err := latencyParams().LatencyScore(m.Top1, p, p50)
	return v, err == nil
}

// scored fills in the model's name and Λ.
func (mm *measurement) scored(m *store.Model) {
	if m == nil {
		return
	}
	mm.Model = m.Name
	if v, ok := latencyScore(m, mm.P50); ok {
		mm.LatencyScore = &v
	}
	if mm.GMACsPerS == nil && m.State == store.Done && m.MACs > 0 {
		// A result without the worker's own rate: the stored count's.
		v := float64(m.MACs) / (mm.P50 / 1e3) / 1e9
		mm.GMACsPerS = &v
	}
}

// newestByDevice keeps each device's newest measurement (results come
// newest first), by device name.
func newestByDevice(results []*store.Result, m *store.Model) []measurement {
	seen := map[string]bool{}
	out := []measurement{}
	for _, r := range results {
		mm, ok := parseMeasurement(r)
		if !ok || seen[r.Device] {
			continue
		}
		seen[r.Device] = true
		mm.scored(m)
		out = append(out, mm)
	}
	slices.SortFunc(out, func(a, b measurement) int { return strings.Compare(a.Device, b.Device) })
	return out
}

// modelLatency is a model's newest measurement on each device.
func (s *Server) modelLatency(ctx context.Context, m *store.Model) ([]measurement, error) {
	results, err := s.st.BenchResults(ctx, m.ID, "", 0)
	if err != nil {
		return nil, err
	}
	return newestByDevice(results, m), nil
}

// deviceLatency is the newest measurement of each model on a device, by
// model id.
func (s *Server) deviceLatency(ctx context.Context, device string) (map[string]measurement, error) {
	results, err := s.st.BenchResults(ctx, "", device, 0)
	if err != nil {
		return nil, err
	}
	out := map[string]measurement{}
	for _, r := range results {
		if _, seen := out[r.ModelID]; seen {
			continue
		}
		if mm, ok := parseMeasurement(r); ok {
			out[r.ModelID] = mm
		}
	}
	return out, nil
}

// measuredModel is a model measured on a device: its newest measurement
// there, its figures, and how many measurements it has there.
type measuredModel struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Top1         float64   `json:"top1"`
	Params       int64     `json:"params"`
	MACs         int64     `json:"macs"`
	Complete     bool      `json:"complete"`
	P50          float64   `json:"p50_ms"`
	P99          float64   `json:"p99_ms"`
	Runs         int       `json:"runs"`
	Threads      int       `json:"threads"`
	Noisy        bool      `json:"noisy"`
	Emulated     bool      `json:"emulated"`
	LatencyScore *float64  `json:"latency_score,omitempty"`
	GMACsPerS    *float64  `json:"gmacs_per_s,omitempty"`
	Measured     time.Time `json:"measured"`
	Measurements int       `json:"measurements"`
	JobID        int64     `json:"job_id"`
}

// deviceDetail is a device with its measurements.
type deviceDetail struct {
	Name        string          `json:"name"`
	Labels      []string        `json:"labels"`
	Fingerprint json.RawMessage `json:"fingerprint"`
	Registered  time.Time       `json:"registered"`
	Heartbeat   time.Time       `json:"heartbeat"`
	Stale       bool            `json:"stale"`
	// Results are its newest measurements (at most historyLimit), newest first.
	Results []measurement `json:"results"`
	// Models are the stored models measured there, fastest first.
	Models []measuredModel `json:"models"`

	fp fleet.Fingerprint
}

// historyLimit bounds a device's history as shown.
const historyLimit = 500

func (s *Server) deviceDetail(ctx context.Context, name string) (*deviceDetail, error) {
	if fleet.ValidName(name) != nil {
		return nil, errNoDevice(name)
	}
	d, err := s.st.Device(ctx, name)
	if errors.Is(err, store.ErrNoDevice) {
		return nil, errNoDevice(name)
	}
	if err != nil {
		return nil, err
	}
	out := &deviceDetail{Name: d.Name, Labels: d.Labels, Registered: d.Registered, Heartbeat: d.Heartbeat,
		Stale: d.Stale(time.Now(), fleet.StaleAfter), Results: []measurement{}, Models: []measuredModel{}, Fingerprint: json.RawMessage("{}")}
	// The fingerprint as the worker wrote it (an object), so that fields a
	// newer worker adds come through.
	var fpObj map[string]any
	if json.Unmarshal([]byte(d.Fingerprint), &fpObj) == nil && fpObj != nil {
		out.Fingerprint = json.RawMessage(d.Fingerprint)
		json.Unmarshal([]byte(d.Fingerprint), &out.fp)
	}
	results, err := s.st.BenchResults(ctx, "", name, 0)
	if err != nil {
		return nil, err
	}
	_, models, err := s.board.get(ctx, boardQuery{Ref: "none", Sort: score.ByNetScore})
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	byModel := map[string]int{} // index in out.Models
	for _, r := range results {
		mm, ok := parseMeasurement(r)
		if !ok {
			continue
		}
		m := models[r.ModelID]
		mm.scored(m)
		if len(out.Results) < historyLimit {
			out.Results = append(out.Results, mm)
		}
		counts[r.ModelID]++
		if _, seen := byModel[r.ModelID]; seen || m == nil {
			continue
		}
		byModel[r.ModelID] = len(out.Models)
		out.Models = append(out.Models, measuredModel{ID: m.ID, Name: m.Name, Top1: m.Top1, Params: m.Params, MACs: m.MACs, Complete: m.Complete,
			P50: mm.P50, P99: mm.P99, Runs: mm.Runs, Threads: mm.Threads, Noisy: mm.Noisy, Emulated: mm.Emulated,
			LatencyScore: mm.LatencyScore, GMACsPerS: mm.GMACsPerS, Measured: mm.Measured, JobID: mm.JobID})
	}
	for i := range out.Models {
		out.Models[i].Measurements = counts[out.Models[i].ID]
	}
	slices.SortFunc(out.Models, func(a, b measuredModel) int {
		return cmp.Or(cmp.Compare(a.P50, b.P50), strings.Compare(a.Name, b.Name))
	})
	return out, nil
}

func errNoDevice(name string) error {
	return &httpError{http.StatusNotFound, "no such device: " + quoteShort(name)}
}

// quoteShort quotes a name from a request, cut to 64 bytes.
func quoteShort(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// getDevice: a device, its fingerprint, history and models measured.
func (s *Server) getDevice(w http.ResponseWriter, r *http.Request) {
	d, err := s.deviceDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// benchBody is POST /api/v1/models/{id}/bench's body.
type benchBody struct {
	Devices []string `json:"devices"`
	Labels  []string `json:"labels"`
	Threads *int     `json:"threads"`
	Runs    *int     `json:"runs"`
	Warmup  *int     `json:"warmup"`
}

// submitBench queues a bench of an analysed model on the devices named
// or those with the labels (live ones).
func (s *Server) submitBench(ctx context.Context, id string, b benchBody) (*fleet.Submitted, error) {
	if !store.ValidID(id) {
		return nil, store.ErrNotFound
	}
	m, err := s.st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.State != store.Done {
		return nil, badRequest("%s is %s: only analysed models are measured", m.Name, m.State)
	}
	if len(b.Devices) > 64 || len(b.Labels) > fleet.MaxLabels {
		return nil, badRequest("at most 64 devices and %d labels", fleet.MaxLabels)
	}
	labels, err := fleet.ParseLabels(strings.Join(b.Labels, ","))
	if err != nil {
		return nil, badRequest("labels: %v", err)
	}
	for _, d := range b.Devices {
		if err := fleet.ValidName(d); err != nil {
			return nil, badRequest("%v", err)
		}
	}
	cfg := bench.Defaults("")
	if b.Threads != nil {
		cfg.Threads = *b.Threads
	}
	if b.Warmup != nil {
		cfg.Warmup = *b.Warmup
	}
	if b.Runs != nil {
		cfg.Runs = b.Runs
	}
	switch {
	case cfg.Threads > 1024:
		return nil, badRequest("threads %d: at most 1024", cfg.Threads)
	case cfg.Warmup > 10_000:
		return nil, badRequest("warmup %d: at most 10000", cfg.Warmup)
	case cfg.Runs != nil && *cfg.Runs > 100_000:
		return nil, badRequest("runs %d: at most 100000", *cfg.Runs)
	}
	sub, err := fleet.SubmitBench(ctx, s.st, fleet.BenchRequest{Model: fleet.ModelRef{ID: m.ID, Name: m.Name, SHA256: m.SHA256},
		Devices: b.Devices, Labels: labels, Config: cfg})
	if err != nil {
		return nil, err
	}
	s.log.Info("bench submitted", "model", m.ID, "batch", sub.Batch, "jobs", len(sub.Jobs))
	return sub, nil
}

// decodeBody reads a small JSON request body into v, refusing fields v
// does not have.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// postBench: 202 with the batch and a job per device.
func (s *Server) postBench(w http.ResponseWriter, r *http.Request) {
	var b benchBody
	if err := decodeBody(w, r, &b); err != nil {
		s.apiError(w, r, badRequest("want a JSON object {devices, labels, threads, runs, warmup}: %v", err))
		return
	}
	id := r.PathValue("id")
	sub, err := s.submitBench(r.Context(), id, b)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"batch": sub.Batch, "jobs": sub.Jobs, "model": id,
		"page": "/models/" + id + "?batch=" + sub.Batch})
}

// jobRecord is a job as the API lists it: a fleet job adds its device,
// model, batch and (once measured) a summary of its result.
type jobRecord struct {
	jobs.Job
	Device string     `json:"device,omitempty"`
	Model  string     `json:"model,omitempty"`
	Batch  string     `json:"batch,omitempty"`
	Result *jobResult `json:"result,omitempty"`
}

// jobResult sums up a bench job's result.
type jobResult struct {
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	Runs     int     `json:"runs"`
	Noisy    bool    `json:"noisy"`
	Emulated bool    `json:"emulated"`
}

// jobList is the newest jobs of every kind, fleet jobs with their device
// and result.
func (s *Server) jobList(ctx context.Context, limit int) ([]jobRecord, error) {
	list, err := s.queue.List(ctx, limit)
	if err != nil {
		return nil, err
	}
	fl, err := fleet.ListJobs(ctx, s.st, limit)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*fleet.Job{}
	for i := range fl {
		byID[fl[i].ID] = &fl[i]
	}
	out := make([]jobRecord, 0, len(list))
	for _, j := range list {
		rec := jobRecord{Job: j}
		if f := byID[j.ID]; f != nil {
			rec.Device, rec.Model, rec.Batch = f.Device, f.Model, f.Batch
			if rec.ModelID == "" {
				rec.ModelID = f.ModelID
			}
			if len(f.Result) > 0 && f.Kind == fleet.KindBench {
				var br fleet.BenchResult
				if json.Unmarshal(f.Result, &br) == nil && br.Bench != nil {
					rec.Result = &jobResult{P50: br.Bench.LatencyMs.P50, P99: br.Bench.LatencyMs.P99, Runs: br.Bench.Runs,
						Noisy: br.Conditions.Noisy, Emulated: br.Conditions.Emulated}
				}
			}
		}
		out = append(out, rec)
	}
	return out, nil
}
