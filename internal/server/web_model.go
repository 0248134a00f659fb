package server

import (
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
)

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
