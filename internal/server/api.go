package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
)

// encodeJSON is v as writeJSON writes it.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return b.Bytes(), err
}

// writeRaw answers with a body already encoded.
func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// apiError answers with {"error": "..."} and the error's status: 4xx for
// the request's own fault, 500 (logged, not shown) otherwise.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.classify(r, err)
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) classify(r *http.Request, err error) (int, string) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "no such model"
	case request.Is(err):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		return http.StatusServiceUnavailable, "request cancelled" // the client went away: nothing to log
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "timed out"
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	return http.StatusInternalServerError, "internal error (logged on the server)"
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	counts, err := s.st.Count(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "error": "database unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "store": string(s.st.Dialect), "models": counts})
}

// postModel: 202 with the model's id; its analysis is queued.
func (s *Server) postModel(w http.ResponseWriter, r *http.Request) {
	m, err := s.upload(w, r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/models/"+m.ID)
	writeJSON(w, http.StatusAccepted, map[string]any{"id": m.ID, "state": m.State, "name": m.Name, "sha256": m.SHA256,
		"url": "/api/v1/models/" + m.ID, "page": "/models/" + m.ID})
}

func (s *Server) listModels(w http.ResponseWriter, r *http.Request) {
	models, err := s.st.List(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if models == nil {
		models = []*store.Model{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": models})
}

// getModel: the model's state, then (once analysed) the fields of
// `inspect --format json` and its scores and rank.
func (s *Server) getModel(w http.ResponseWriter, r *http.Request) {
	d, err := s.modelDetail(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rec := d.record()
	// ?layers=false leaves out the layer table (most of a large model's
	// record): what a client polling for the state wants.
	if v := r.URL.Query().Get("layers"); v == "false" || v == "0" {
		delete(rec, "layers")
	}
	writeJSON(w, http.StatusOK, rec)
}

func (s *Server) deleteModel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !store.ValidID(id) {
		s.apiError(w, r, store.ErrNotFound)
		return
	}
	ok, err := s.st.Delete(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if !ok {
		s.apiError(w, r, store.ErrNotFound)
		return
	}
	s.changed()
	s.log.Info("model deleted", "model", id)
	w.WriteHeader(http.StatusNoContent)
}

// pendingModel is a model of the leaderboard's filter that is not ranked
// (yet): queued, running or failed.
type pendingModel struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	State string `json:"state"`
	Error string `json:"error,omitempty"`
}

// leaderboard: the ranked rows (with ids for stored models) of the
// reference set, order and filters the query names, and the user's models
// of that filter not ranked yet.
func (s *Server) leaderboard(w http.ResponseWriter, r *http.Request) {
	q, err := s.viewQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	limit := -1
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.apiError(w, r, badRequest("limit %q: want a whole number of rows, 0 or more", v))
			return
		}
		limit = n
	}
	key := "json:" + strconv.Itoa(limit)
	if q.Device == "" {
		if rend := s.board.fresh(q.boardQuery, key); rend != nil {
			writeRendered(w, r, "application/json", rend)
			return
		}
	}
	release, ok := s.turn(w, r)
	if !ok {
		return
	}
	defer release()
	render := func(view *boardView) ([]byte, error) {
		board, models := view.Board, view.Models
		n := limit
		if n < 0 || n > len(board.Entries) {
			n = len(board.Entries)
		}
		rows := make([]score.RankedRow, 0, n)
		users := 0
		for i := range board.Entries {
			if !board.Entries[i].IsReference() {
				users++
			}
			if len(rows) < n {
				rows = append(rows, board.Entries[i].Row())
			}
		}
		pending := []pendingModel{}
		for _, m := range sortedModels(models) {
			if m.State != store.Done {
				pending = append(pending, pendingModel{ID: m.ID, Name: m.Name, State: m.State, Error: m.Error})
			}
		}
		notes := board.Notes
		if notes == nil {
			notes = []string{}
		}
		return encodeJSON(map[string]any{"title": board.Title, "reference": q.Ref, "sort": q.sortName(), "device": q.Device,
			"tag": q.Tag, "task": q.Task, "models": users, "total": len(board.Entries), "rows": rows, "pending": pending,
			"unmeasured": view.Unmeasured, "notes": notes})
	}
	if q.Device == "" {
		// Without a device the answer depends on the board alone: encoded
		// once per change of the store (1 MB at ref=all), not per request.
		rend, err := s.board.rendered(r.Context(), q.boardQuery, key, func(board *score.Comparison, models map[string]*store.Model) ([]byte, error) {
			return render(&boardView{Board: board, Models: models, Unmeasured: []unmeasured{}})
		})
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		writeRendered(w, r, "application/json", rend)
		return
	}
	view, err := s.view(r.Context(), q)
	var body []byte
	if err == nil {
		body, err = render(view)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, "application/json", body)
}

// compare: the rows of the models named by id (and of a reference set when
// ref is not none), as the compare page shows them; each keeps its rank in
// the leaderboard of that reference set and every stored model.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	ids := v["id"]
	if len(ids) == 0 || len(ids) > 50 {
		s.apiError(w, r, badRequest("name 1 to 50 models: ?id=ID&id=ID…"))
		return
	}
	q := boardQuery{Ref: "none", Sort: score.ByNetScore}
	if ref := v.Get("ref"); ref != "" {
		q.Ref = ref
	}
	if _, err := s.board.references(q.Ref); err != nil {
		s.apiError(w, r, badRequest("ref: %v", err))
		return
	}
	if sort := v.Get("sort"); sort != "" {
		k, err := score.ParseSortKey(sort)
		if err != nil {
			s.apiError(w, r, badRequest("sort: %v", err))
			return
		}
		q.Sort = k
	}
	board, models, err := s.board.get(r.Context(), q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	want := map[string]bool{}
	pending := []pendingModel{}
	for _, id := range ids {
		m, ok := models[id]
		if !store.ValidID(id) || !ok {
			s.apiError(w, r, &httpError{http.StatusNotFound, fmt.Sprintf("no such model: %q", id)})
			return
		}
		if m.State != store.Done && !want[id] {
			pending = append(pending, pendingModel{ID: m.ID, Name: m.Name, State: m.State, Error: m.Error})
		}
		want[id] = true
	}
	rows := []score.RankedRow{}
	for i := range board.Entries {
		if e := &board.Entries[i]; e.IsReference() || want[e.ID] {
			rows = append(rows, e.Row())
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"reference": q.Ref, "sort": q.Sort, "rows": rows, "pending": pending})
}

// viewQuery reads ref, sort, tag, task and device. Sorting by latency
// or latency_score needs a device.
func (s *Server) viewQuery(r *http.Request) (viewQuery, error) {
	v := r.URL.Query()
	q := viewQuery{boardQuery: boardQuery{Ref: v.Get("ref"), Tag: strings.ToLower(strings.TrimSpace(v.Get("tag"))), Task: strings.ToLower(strings.TrimSpace(v.Get("task")))}}
	if q.Ref == "" {
		q.Ref = s.cfg.Reference
	}
	if _, err := s.board.references(q.Ref); err != nil {
		return q, badRequest("ref: %v", err)
	}
	sort := strings.ToLower(strings.TrimSpace(v.Get("sort")))
	switch sort {
	case "":
		q.Sort = score.ByNetScore
	case byLatency, byLatencyScore:
		q.Sort, q.Order = score.ByNetScore, sort
	default:
		k, err := score.ParseSortKey(sort)
		if err != nil {
			return q, badRequest("sort: %v, latency or latency_score (with device)", err)
		}
		q.Sort = k
	}
	if dev := strings.TrimSpace(v.Get("device")); dev != "" {
		if fleet.ValidName(dev) != nil {
			return q, badRequest("device %s: not a device name", quoteShort(dev))
		}
		if _, err := s.st.Device(r.Context(), dev); errors.Is(err, store.ErrNoDevice) {
			return q, badRequest("device %s: no such device is registered (GET /api/v1/devices lists them)", quoteShort(dev))
		} else if err != nil {
			return q, err
		}
		q.Device = dev
	}
	if q.Order != "" && q.Device == "" {
		return q, badRequest("sort=%s ranks by a device's measurements: name the device (device=NAME)", q.Order)
	}
	if expr := strings.TrimSpace(v.Get("score")); expr != "" {
		if len(expr) > 500 {
			return q, badRequest("score: at most 500 characters")
		}
		if sort != "" && sort != string(score.ByNetScore) { // the page's form always sends its default
			return q, badRequest("score ranks by its expression: leave out sort")
		}
		// Compiled and checked up front: a bad expression is this
		// request's 400, not a cached board's failure.
		if _, err := (score.Settings{Score: expr}).Expr(); err != nil {
			return q, badRequest("%v", err)
		}
		q.Score = expr
	}
	return q, nil
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	list, err := s.jobList(r.Context(), 200)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": list})
}
