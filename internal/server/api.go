package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
)

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
	writeJSON(w, http.StatusOK, d.record())
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

// leaderboard: the ranked rows (with ids for stored models) of the
// reference set, order and filters the query names.
func (s *Server) leaderboard(w http.ResponseWriter, r *http.Request) {
	q, err := s.boardQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	board, _, err := s.board.get(r.Context(), q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows := make([]score.RankedRow, 0, len(board.Entries))
	limit := len(board.Entries)
	if v := r.URL.Query().Get("limit"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < limit {
			limit = n
		}
	}
	users := 0
	for i := range board.Entries {
		if !board.Entries[i].IsReference() {
			users++
		}
		if len(rows) < limit {
			rows = append(rows, board.Entries[i].Row())
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"title": board.Title, "reference": q.Ref, "sort": q.Sort,
		"tag": q.Tag, "task": q.Task, "models": users, "total": len(board.Entries), "rows": rows, "notes": board.Notes})
}

// boardQuery reads ref, sort, tag and task.
func (s *Server) boardQuery(r *http.Request) (boardQuery, error) {
	v := r.URL.Query()
	q := boardQuery{Ref: v.Get("ref"), Tag: strings.ToLower(strings.TrimSpace(v.Get("tag"))), Task: strings.ToLower(strings.TrimSpace(v.Get("task")))}
	if q.Ref == "" {
		q.Ref = s.cfg.Reference
	}
	if _, err := s.board.references(q.Ref); err != nil {
		return q, badRequest("ref: %v", err)
	}
	sort := v.Get("sort")
	if sort == "" {
		sort = string(score.ByNetScore)
	}
	k, err := score.ParseSortKey(sort)
	if err != nil {
		return q, badRequest("sort: %v", err)
	}
	q.Sort = k
	return q, nil
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	list, err := s.queue.List(r.Context(), 200)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": list})
}
