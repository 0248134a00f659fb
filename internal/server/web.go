package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/units"
	"github.com/netscore/netscore/internal/zoo"
)

// webRoutes: the pages. Form posts go through write (token, CSRF).
func (s *Server) webRoutes(mux *http.ServeMux, write func(http.HandlerFunc) http.Handler) {
	mux.HandleFunc("GET /{$}", s.leaderboardPage)
	mux.HandleFunc("GET /models/{id}", s.modelPage)
	mux.Handle("POST /models/{id}/delete", write(s.deleteForm))
	mux.Handle("POST /models/{id}/bench", write(s.benchForm))
	mux.Handle("POST /models/{id}/eval", write(s.evalForm))
	mux.HandleFunc("GET /devices", s.devicesPage)
	mux.HandleFunc("GET /devices/{name}", s.devicePage)
	mux.HandleFunc("GET /compare", s.comparePage)
	mux.HandleFunc("GET /upload", s.uploadPage)
	mux.Handle("POST /upload", write(s.uploadForm))
	mux.HandleFunc("GET /jobs", s.jobsPage)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.page(w, r, http.StatusNotFound, report.WebPage{Title: "Not found", Error: "No page at " + r.URL.Path + "."}, nil)
	})
}

// page renders a page; an error while rendering is logged.
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, p report.WebPage, c *score.Comparison) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := report.WriteWeb(w, p, c); err != nil {
		s.log.Error("rendering a page", "path", r.URL.Path, "error", err)
	}
}

// errorPage shows what went wrong as a page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.classify(r, err)
	s.page(w, r, status, report.WebPage{Title: http.StatusText(status), Error: msg}, nil)
}

func (s *Server) leaderboardPage(w http.ResponseWriter, r *http.Request) {
	q, err := s.viewQuery(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	devs, err := s.st.Devices(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	var devNames []string
	for _, d := range devs {
		devNames = append(devNames, d.Name)
	}
	key := "page:" + strings.Join(devNames, ",")
	if q.Device == "" {
		if rend := s.board.fresh(q.boardQuery, key); rend != nil {
			writeRendered(w, r, "text/html; charset=utf-8", rend)
			return
		}
	}
	release, ok := s.turn(w, r)
	if !ok {
		return
	}
	defer release()
	view, err := s.view(r.Context(), q)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	board, models := view.Board, view.Models
	f := &report.WebFilters{Ref: q.Ref, Sort: q.sortName(), Tag: q.Tag, Task: q.Task, Device: q.Device,
		Refs: append([]string{"none", "all"}, zoo.SourceNames()...)}
	for _, k := range score.SortKeys() {
		f.Sorts = append(f.Sorts, string(k))
	}
	f.Devices = devNames
	if len(f.Devices) > 0 {
		f.Sorts = append(f.Sorts, byLatency, byLatencyScore)
	}
	var pending []report.WebModel
	for _, m := range sortedModels(models) {
		switch m.State {
		case store.Queued, store.Running:
			f.Queued++
			pending = append(pending, report.WebModel{ID: m.ID, Name: m.Name, State: m.State})
		case store.Failed:
			f.Failed++
			pending = append(pending, report.WebModel{ID: m.ID, Name: m.Name, State: m.State, Detail: m.Error})
		}
	}
	if f.Tags, f.Tasks, err = s.knownLabels(r, q.Ref); err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := report.WebPage{Title: "Leaderboard: " + board.Title, Nav: "leaderboard", Filters: f, Models: pending}
	switch q.Order {
	case byLatency:
		p.SortLabel = "measured median latency on " + q.Device + " (fastest first)"
	case byLatencyScore:
		p.SortLabel = "Λ (latency) on " + q.Device
	}
	switch {
	case q.Order != "" && len(board.Entries) == 0:
		p.Notice = "No model of this filter is measured on " + q.Device + " yet: ask for it from a model's page (measure on…)."
		board = nil // nothing to chart
	case q.Device != "" && len(view.Unmeasured) > 0:
		p.Notice = fmt.Sprintf("Not measured on %s%s: %s.", q.Device, pick(q.Order != "", " (left out of this ranking)", ""), unmeasuredText(view.Unmeasured))
	case len(board.Users()) > 0:
	case q.Tag != "" || q.Task != "":
		p.Notice = "No analysed model has " + filterText(q.boardQuery) + ": clear the filter to see them all."
	default:
		p.Notice = "No analysed models yet: upload one to see it ranked among the reference networks."
	}
	if q.Device != "" {
		s.page(w, r, http.StatusOK, p, board)
		return
	}
	// Without a device the page depends on the board (and the devices
	// offered): drawn once per change of the store, not per request —
	// the charts of ~3,000 networks take 50-100 ms.
	rend, err := s.board.rendered(r.Context(), q.boardQuery, key, func(b *score.Comparison, _ map[string]*store.Model) ([]byte, error) {
		var buf bytes.Buffer
		err := report.WriteWeb(&buf, p, b)
		return buf.Bytes(), err
	})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	writeRendered(w, r, "text/html; charset=utf-8", rend)
}

// unmeasuredText names the first few models not measured.
func unmeasuredText(list []unmeasured) string {
	var names []string
	for i, u := range list {
		if i == 8 {
			names = append(names, fmt.Sprintf("and %d more", len(list)-i))
			break
		}
		names = append(names, u.Name)
	}
	return strings.Join(names, ", ")
}

// knownLabels are the tags and tasks of the stored models, sorted.
func (s *Server) knownLabels(r *http.Request, ref string) (tags, tasks []string, err error) {
	_, models, err := s.board.get(r.Context(), boardQuery{Ref: ref, Sort: score.ByNetScore})
	if err != nil {
		return nil, nil, err
	}
	seenTag, seenTask := map[string]bool{}, map[string]bool{}
	for _, m := range models {
		for _, t := range m.Tags {
			if !seenTag[t] {
				seenTag[t] = true
				tags = append(tags, t)
			}
		}
		if m.Task != "" && !seenTask[m.Task] {
			seenTask[m.Task] = true
			tasks = append(tasks, m.Task)
		}
	}
	slices.Sort(tags)
	slices.Sort(tasks)
	return tags, tasks, nil
}

func filterText(q boardQuery) string {
	var parts []string
	if q.Tag != "" {
		parts = append(parts, fmt.Sprintf("tag %q", q.Tag))
	}
	if q.Task != "" {
		parts = append(parts, fmt.Sprintf("task %q", q.Task))
	}
	return strings.Join(parts, " and ")
}

func (s *Server) modelPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.modelDetail(r.Context(), r.PathValue("id"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p, err := s.modelView(r, d, benchBody{}, nil)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	m := d.Model
	switch m.State {
	case store.Queued, store.Running:
		p.Refresh, p.Notice = 1, "Being analysed; this page reloads until it is done."
		s.page(w, r, http.StatusOK, p, nil)
		return
	case store.Failed:
		s.page(w, r, http.StatusOK, p, nil)
		return
	}
	c, err := s.modelBoard(r.Context(), d)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, p, c)
}

// modelBoard is an analysed model among the reference networks, with its
// layers (nil until ranked).
func (s *Server) modelBoard(ctx context.Context, d *detail) (*score.Comparison, error) {
	if d.Ranked == nil {
		return nil, nil
	}
	board, _, err := s.board.get(ctx, boardQuery{Ref: d.Reference, Sort: score.ByNetScore})
	if err != nil {
		return nil, err
	}
	return withSummaries(board, map[string]*inspect.Summary{d.Model.ID: d.Summary}, true), nil
}

// modelView is a model's page without its report: its card, its latency
// per device, the measure-on form (ticked as asked), and the jobs of the
// batch named by ?batch= (a measurement just asked for); the evaluate-on
// form (filled as asked, when not nil) and the eval batch named by ?eval=.
func (s *Server) modelView(r *http.Request, d *detail, asked benchBody, evalAsked *evalBody) (report.WebPage, error) {
	m := d.Model
	p := report.WebPage{Title: m.Name, Card: d.card(), OpenLayers: true}
	devs, err := s.st.Devices(r.Context())
	if err != nil {
		return p, err
	}
	now := time.Now()
	stale := map[string]bool{}
	for _, dv := range devs {
		stale[dv.Name] = dv.Stale(now, fleet.StaleAfter)
	}
	for _, mm := range d.Latency {
		row := webMeasurement(mm, nil)
		row.Stale = stale[mm.Device]
		p.Latency = append(p.Latency, row)
	}
	if m.State != store.Done {
		return p, nil
	}
	form := &report.WebBenchForm{ModelID: m.ID, NeedToken: s.needToken, Threads: 0, Runs: 100, Warmup: 5}
	if asked.Threads != nil {
		form.Threads = *asked.Threads
	}
	if asked.Runs != nil {
		form.Runs = *asked.Runs
	}
	if asked.Warmup != nil {
		form.Warmup = *asked.Warmup
	}
	labels := map[string][]string{} // label -> live devices with it
	for _, dv := range devs {
		if stale[dv.Name] {
			continue
		}
		form.Devices = append(form.Devices, report.WebChoice{Value: dv.Name, Title: strings.Join(dv.Labels, ", "), Checked: slices.Contains(asked.Devices, dv.Name)})
		for _, l := range dv.Labels {
			labels[l] = append(labels[l], dv.Name)
		}
	}
	for _, l := range slices.Sorted(maps.Keys(labels)) {
		form.Labels = append(form.Labels, report.WebChoice{Value: l, Title: strings.Join(labels[l], ", "), Checked: slices.Contains(asked.Labels, l)})
	}
	p.Bench = form
	if m.Format == "onnx" { // eval runs ONNX models
		p.Eval = s.evalFormView(m.ID, form.Devices, form.Labels, evalAsked)
	}
	if batch := r.URL.Query().Get("eval"); batch != "" {
		if err := s.evalBatchView(r.Context(), &p, m.ID, batch); err != nil {
			return p, err
		}
	}
	if batch := r.URL.Query().Get("batch"); validBatch(batch) {
		list, err := fleet.ListJobs(r.Context(), s.st, 200)
		if err != nil {
			return p, err
		}
		var devices []string
		for _, j := range list {
			if j.Batch != batch {
				continue
			}
			wj := report.WebJob{ID: j.ID, Kind: j.Kind, State: j.State, ModelID: j.ModelID, ModelName: m.Name, Attempt: j.Attempt,
				Errors: strings.Join(j.Errors, "; "), Created: j.Created.UTC().Format("2006-01-02 15:04:05"), Device: j.Device}
			if j.Finished != nil {
				wj.Finished = j.Finished.UTC().Format("2006-01-02 15:04:05")
				wj.Took = j.Finished.Sub(j.Created).Round(time.Millisecond).String()
			} else {
				p.Refresh = 2
			}
			wj.Result = resultText(j.Kind, j.Result)
			p.BenchJobs = append(p.BenchJobs, wj)
			devices = append(devices, j.Device)
		}
		if len(devices) > 0 {
			slices.Sort(devices)
			p.Notice = fmt.Sprintf("Measurement %s asked of %s", batch, strings.Join(devices, ", "))
			if p.Refresh > 0 {
				p.Notice += ": this page reloads until every job has ended."
			} else {
				p.Notice += ": done."
			}
		}
	}
	return p, nil
}

// validBatch: "b" and 16 hex digits, as fleet.SubmitBench names batches.
func validBatch(b string) bool { return len(b) == 17 && b[0] == 'b' && store.ValidID("m"+b[1:]) }

// webMeasurement writes a measurement's figures for a table; m, when
// given, adds the model's MACs.
func webMeasurement(mm measurement, m *store.Model) report.WebMeasurement {
	row := report.WebMeasurement{JobID: mm.JobID, Device: mm.Device, ModelID: mm.ModelID, Model: mm.Model, Batch: mm.Batch,
		When: mm.Measured.UTC().Format("2006-01-02 15:04:05"), P50: msText(mm.P50), P99: msText(mm.P99), Score: "–", Rate: "–",
		Runs: mm.Runs, Threads: mm.Threads, Noisy: mm.Noisy, Emulated: mm.Emulated, Notes: strings.Join(mm.Notes, "; ")}
	if mm.LatencyScore != nil {
		row.Score = fmt.Sprintf("%.2f", *mm.LatencyScore)
	}
	if mm.GMACsPerS != nil {
		row.Rate = fmt.Sprintf("%.3g", *mm.GMACsPerS)
	}
	if m != nil {
		row.MACs = units.Count(m.MACs)
		if !m.Complete {
			row.MACs = "≥ " + row.MACs
		}
	}
	return row
}

// msText writes a latency in milliseconds.
func msText(v float64) string {
	if !(v > 0) {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}

// resultText sums up a fleet job's result for the jobs table.
func resultText(kind string, raw []byte) string {
	if kind != fleet.KindBench || len(raw) == 0 {
		return ""
	}
	var br fleet.BenchResult
	if json.Unmarshal(raw, &br) != nil || br.Bench == nil {
		return ""
	}
	out := fmt.Sprintf("p50 %s ms, p99 %s ms, %d runs", msText(br.Bench.LatencyMs.P50), msText(br.Bench.LatencyMs.P99), br.Bench.Runs)
	if br.Conditions.Noisy {
		out += ", noisy"
	}
	if br.Conditions.Emulated {
		out += ", emulated"
	}
	return out
}

// benchForm is the model page's measure-on form: the API's checks, then
// the model's page with the batch's jobs (or the page again, with why).
func (s *Server) benchForm(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	var b benchBody
	err := r.ParseForm()
	if err == nil {
		b.Devices, b.Labels = r.PostForm["device"], r.PostForm["label"]
		for _, f := range []struct {
			name string
			to   **int
		}{{"threads", &b.Threads}, {"runs", &b.Runs}, {"warmup", &b.Warmup}} {
			v := strings.TrimSpace(r.PostForm.Get(f.name))
			if v == "" {
				continue
			}
			n, perr := strconv.Atoi(v)
			if perr != nil {
				err = badRequest("%s %s: want a whole number", f.name, quoteShort(v))
				break
			}
			*f.to = &n
		}
	} else {
		err = badRequest("reading the form: %v", err)
	}
	var sub *fleet.Submitted
	if err == nil {
		sub, err = s.submitBench(r.Context(), id, b)
	}
	if err == nil {
		http.Redirect(w, r, "/models/"+id+"?batch="+sub.Batch+"#latency", http.StatusSeeOther)
		return
	}
	s.formRefused(w, r, id, err, "Not measured: ", b, nil)
}

// formRefused shows the model's page again with a refused form's values
// (bench or eval) and why it was refused.
func (s *Server) formRefused(w http.ResponseWriter, r *http.Request, id string, refused error, what string, b benchBody, e *evalBody) {
	status, msg := s.classify(r, refused)
	d, err := s.modelDetail(r.Context(), id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p, err := s.modelView(r, d, b, e)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p.Error = what + msg
	c, err := s.modelBoard(r.Context(), d)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.page(w, r, status, p, c)
}

// devicesPage lists the registered devices.
func (s *Server) devicesPage(w http.ResponseWriter, r *http.Request) {
	devs, err := s.st.Devices(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	counts, err := s.st.BenchCounts(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := report.WebPage{Title: "Devices", Nav: "devices"}
	now := time.Now()
	for _, d := range devs {
		var fp fleet.Fingerprint
		json.Unmarshal([]byte(d.Fingerprint), &fp)
		p.Devices = append(p.Devices, report.WebDeviceRow{Name: d.Name, Labels: strings.Join(d.Labels, ", "), Arch: fp.Arch, CPU: fp.CPU,
			Runtime: fp.Runtime, Cores: fp.Cores, Results: counts[d.Name], Stale: d.Stale(now, fleet.StaleAfter), Emulated: fp.Emulated,
			Heartbeat: ago(now, d.Heartbeat)})
	}
	if len(devs) == 0 {
		p.Notice = "No device is registered: start `netscore worker --server URL --name NAME` on one."
	}
	s.page(w, r, http.StatusOK, p, nil)
}

// ago says how long ago t was, and when (UTC).
func ago(now, t time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	return fmt.Sprintf("%s ago (%s)", d.Round(time.Second), t.UTC().Format("2006-01-02 15:04:05"))
}

// devicePage: a device's fingerprint, its models measured, latency vs
// MACs, and its history.
func (s *Server) devicePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.deviceDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	_, models, err := s.board.get(r.Context(), boardQuery{Ref: "none", Sort: score.ByNetScore})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	now := time.Now()
	dev := &report.WebDevice{Name: d.Name, Stale: d.Stale, Labels: d.Labels, APIURL: "/api/v1/devices/" + d.Name}
	fp := d.fp
	add := func(k, v string) {
		if v != "" {
			dev.Facts = append(dev.Facts, [2]string{k, v})
		}
	}
	add("CPU", fp.CPU)
	if fp.Cores > 0 {
		add("cores", strconv.Itoa(fp.Cores))
	}
	if fp.MemoryBytes > 0 {
		add("memory", units.Bytes(fp.MemoryBytes))
	}
	add("arch", fp.Arch)
	add("OS", fp.OS)
	add("kernel", fp.Kernel)
	add("CPU governor", fp.Governor)
	add("runtime", fp.Runtime)
	add("execution providers", strings.Join(fp.Providers, ", "))
	add("emulated", pick(fp.Emulated, "yes: the latencies are an emulator's (qemu-user), not the device's", ""))
	add("hostname", fp.Hostname)
	add("labels", strings.Join(d.Labels, ", "))
	add("registered", d.Registered.UTC().Format("2006-01-02 15:04:05")+" UTC")
	add("heartbeat", ago(now, d.Heartbeat))
	var pts []report.LatencyPoint
	for _, mm := range d.Models {
		m := models[mm.ID]
		row := webMeasurement(measurement{JobID: mm.JobID, Device: d.Name, ModelID: mm.ID, Model: mm.Name, Measured: mm.Measured, P50: mm.P50, P99: mm.P99,
			Runs: mm.Runs, Threads: mm.Threads, Noisy: mm.Noisy, Emulated: mm.Emulated, LatencyScore: mm.LatencyScore, GMACsPerS: mm.GMACsPerS}, m)
		row.Measurements = mm.Measurements
		dev.Models = append(dev.Models, row)
		if mm.MACs > 0 {
			pts = append(pts, report.LatencyPoint{Name: mm.Name, Key: mm.ID, MACs: float64(mm.MACs), P50: mm.P50, LowerBound: !mm.Complete})
		}
	}
	for _, mm := range d.Results {
		dev.History = append(dev.History, webMeasurement(mm, nil))
	}
	if dev.Chart, dev.ChartNote, err = report.LatencyChart(d.Name, pts); err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := report.WebPage{Title: "Device " + d.Name, Nav: "devices", Device: dev}
	if d.Stale {
		p.Notice = fmt.Sprintf("%s is stale: no heartbeat for %s. It gets no new jobs until its worker runs again.", d.Name, now.Sub(d.Heartbeat).Round(time.Second))
	}
	s.page(w, r, http.StatusOK, p, nil)
}

// card is the model's facts, flags and op histogram.
func (d *detail) card() *report.WebCard {
	m := d.Model
	return report.ModelCard(m.ID, m.Name, m.State, m.Error, m.Top1, m.Top5, m.Tags, m.Task, m.Input,
		m.Size, m.SHA256, d.Summary, d.Ranked, d.Total, score.ReferenceLabel(d.Reference))
}

// withSummaries copies a board keeping the reference rows (when refs) and
// the given models, their full summaries (layers) in place.
func withSummaries(board *score.Comparison, sums map[string]*inspect.Summary, refs bool) *score.Comparison {
	c := *board
	c.Entries = nil
	for _, e := range board.Entries {
		if sum, ok := sums[e.ID]; ok && !e.IsReference() {
			e.Summary = sum
			c.Entries = append(c.Entries, e)
		} else if refs && e.IsReference() {
			c.Entries = append(c.Entries, e)
		}
	}
	return &c
}

func (s *Server) deleteForm(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ok, err := s.st.Delete(r.Context(), id)
	if err == nil && !ok {
		err = store.ErrNotFound
	}
	if err != nil || !store.ValidID(id) {
		s.errorPage(w, r, err)
		return
	}
	s.changed()
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) comparePage(w http.ResponseWriter, r *http.Request) {
	ids := r.URL.Query()["id"]
	q := boardQuery{Ref: "none", Sort: score.ByNetScore}
	if ref := r.URL.Query().Get("ref"); ref != "" {
		q.Ref = ref
	}
	if _, err := s.board.references(q.Ref); err != nil {
		s.errorPage(w, r, badRequest("ref: %v", err))
		return
	}
	board, models, err := s.board.get(r.Context(), q)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := report.WebPage{Title: "Compare models", Nav: "compare"}
	picker := &report.WebPicker{Ref: q.Ref, Refs: append([]string{"none", "all"}, zoo.SourceNames()...)}
	for _, m := range sortedModels(models) {
		if m.State == store.Done {
			picker.Models = append(picker.Models, report.WebModel{ID: m.ID, Name: m.Name, Selected: slices.Contains(ids, m.ID)})
		}
	}
	if len(picker.Models) > 0 {
		p.Picker = picker
	} else {
		p.Notice = "No analysed models to compare yet: upload two or more."
	}
	if len(ids) == 0 {
		if len(picker.Models) > 0 {
			p.Notice = "Tick two or more models and press compare."
		}
		s.page(w, r, http.StatusOK, p, nil)
		return
	}
	if len(ids) > 50 {
		s.errorPage(w, r, badRequest("compare at most 50 models at once"))
		return
	}
	sums := map[string]*inspect.Summary{}
	var names []string
	var cards []*report.WebCard
	for _, id := range ids {
		if sums[id] != nil {
			continue // named twice
		}
		d, err := s.modelDetail(r.Context(), id)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		if d.Summary == nil {
			p.Error = fmt.Sprintf("%s is %s: only analysed models are compared.", d.Model.Name, d.Model.State)
			continue
		}
		sums[id] = d.Summary
		names = append(names, d.Model.Name)
		cards = append(cards, d.card())
	}
	if len(cards) == 1 {
		p.Notice = "Only one model chosen: tick another to compare."
	}
	if len(cards) > 0 {
		p.Compared = report.CompareCards(cards)
	}
	p.OpenLayers = len(cards) <= 4
	c := withSummaries(board, sums, q.Ref != "none")
	c.Title = "Compared: " + strings.Join(names, ", ")
	p.Title = c.Title
	s.page(w, r, http.StatusOK, p, c)
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, http.StatusOK, s.uploadView(), nil)
}

func (s *Server) uploadView() report.WebPage {
	return report.WebPage{Title: "Upload a model", Nav: "upload",
		Upload: &report.WebUpload{MaxBytes: units.Bytes(s.cfg.MaxUpload), NeedToken: s.needToken}}
}

// uploadForm is the upload without the page's script: the same checks,
// then the model's page (or the form again, with why).
func (s *Server) uploadForm(w http.ResponseWriter, r *http.Request) {
	m, err := s.upload(w, r)
	if err != nil {
		status, msg := s.classify(r, err)
		p := s.uploadView()
		p.Error = msg
		s.page(w, r, status, p, nil)
		return
	}
	http.Redirect(w, r, "/models/"+m.ID, http.StatusSeeOther)
}

func (s *Server) jobsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.jobList(r.Context(), 200)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	_, models, err := s.board.get(r.Context(), boardQuery{Ref: "none", Sort: score.ByNetScore})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := report.WebPage{Title: "Jobs", Nav: "jobs"}
	for _, j := range list {
		wj := report.WebJob{ID: j.ID, Kind: j.Kind, State: j.State, ModelID: j.ModelID, Attempt: j.Attempt, Errors: strings.Join(j.Errors, "; "),
			Created: j.Created.UTC().Format("2006-01-02 15:04:05"), Device: j.Device}
		if m := models[j.ModelID]; m != nil {
			wj.ModelName = m.Name
		}
		if r := j.Result; r != nil {
			wj.Result = fmt.Sprintf("p50 %s ms, p99 %s ms, %d runs", msText(r.P50), msText(r.P99), r.Runs)
			if r.Noisy {
				wj.Result += ", noisy"
			}
			if r.Emulated {
				wj.Result += ", emulated"
			}
		}
		if !j.Finished.IsZero() {
			wj.Finished = j.Finished.UTC().Format("2006-01-02 15:04:05")
			wj.Took = j.Finished.Sub(j.Created).Round(time.Millisecond).String()
		} else {
			p.Refresh = 2 // a job still to run: the list moves
		}
		p.Jobs = append(p.Jobs, wj)
	}
	if len(list) == 0 {
		p.Notice = "No jobs yet."
	}
	s.page(w, r, http.StatusOK, p, nil)
}

// sortedModels lists models newest first.
func sortedModels(models map[string]*store.Model) []*store.Model {
	out := make([]*store.Model, 0, len(models))
	for _, m := range models {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *store.Model) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
