package server

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

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
	f := &report.WebFilters{Ref: q.Ref, Sort: q.sortName(), Tag: q.Tag, Task: q.Task, Score: q.Score, Device: q.Device,
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
