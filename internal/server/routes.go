package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// routes: the API under /api/v1, the pages at the root, assets under
// /assets. Writes pass the cross-origin check (CSRF) and, off loopback,
// the token check.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	write := func(h http.HandlerFunc) http.Handler { return s.requireToken(h) }

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/v1/openapi.yaml", serveOpenAPI)
	mux.Handle("POST /api/v1/models", write(s.postModel))
	mux.HandleFunc("GET /api/v1/models", s.listModels)
	mux.HandleFunc("GET /api/v1/models/{id}", s.getModel)
	mux.Handle("DELETE /api/v1/models/{id}", write(s.deleteModel))
	mux.HandleFunc("GET /api/v1/leaderboard", s.leaderboard)
	mux.HandleFunc("GET /api/v1/jobs", s.listJobs)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such API route: " + r.Method + " " + r.URL.Path})
	})

	s.webRoutes(mux, write)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "cross-origin request refused (CSRF): post from this server's own pages or without a browser"})
	}))
	return s.logged(s.recovered(securityHeaders(csrf.Handler(mux))))
}

// requireToken lets a write through when the server listens on loopback,
// or when it carries a stored token: "Authorization: Bearer TOKEN", or the
// netscore_token cookie the upload page sets.
func (s *Server) requireToken(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.needToken {
			h.ServeHTTP(w, r)
			return
		}
		tok := ""
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
			tok = strings.TrimPrefix(a, "Bearer ")
		} else if c, err := r.Cookie("netscore_token"); err == nil {
			tok = c.Value
		}
		if tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="netscore"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "writes need a token: Authorization: Bearer $NETSCORE_TOKEN"})
			return
		}
		ok, err := s.st.HasToken(r.Context(), tokenHash(tok))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if !ok {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "wrong token"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// securityHeaders: no framing, no sniffing, no scripts or styles from
// elsewhere (every page is self-contained).
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
		h.ServeHTTP(w, r)
	})
}

// recovered turns a panic in a handler into a 500 and a log line.
func (s *Server) recovered(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logged writes one structured line per request.
func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", float64(time.Since(start).Microseconds())/1000)
	})
}
