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

	for _, rt := range s.apiRoutes() {
		h := http.Handler(rt.handler)
		if rt.write {
			h = write(rt.handler)
		}
		mux.Handle(rt.method+" "+rt.path, h)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such API route: " + r.Method + " " + r.URL.Path})
	})

	s.webRoutes(mux, write)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "cross-origin request refused (CSRF): post from this server's own pages or without a browser"})
	}))
	return s.logged(s.recovered(securityHeaders(s.limited(csrf.Handler(mux)))))
}

// apiRoute is one route of the JSON API; openapi.yaml describes each (a
// test checks that the two lists agree).
type apiRoute struct {
	method, path string
	write        bool // needs a token off loopback
	handler      http.HandlerFunc
}

func (s *Server) apiRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/healthz", false, s.healthz},
		{"GET", "/api/v1/openapi.yaml", false, serveOpenAPI},
		{"POST", "/api/v1/models", true, s.postModel},
		{"GET", "/api/v1/models", false, s.listModels},
		{"GET", "/api/v1/models/{id}", false, s.getModel},
		{"DELETE", "/api/v1/models/{id}", true, s.deleteModel},
		{"POST", "/api/v1/models/{id}/bench", true, s.postBench},
		{"POST", "/api/v1/models/{id}/eval", true, s.postEval},
		{"GET", "/api/v1/evals/{batch}", false, s.getEval},
		{"GET", "/api/v1/leaderboard", false, s.leaderboard},
		{"GET", "/api/v1/compare", false, s.compare},
		{"GET", "/api/v1/jobs", false, s.listJobs},
		{"GET", "/api/v1/blobs/{sha256}", false, s.blob},
		{"GET", "/api/v1/devices", false, s.devices},
		{"GET", "/api/v1/devices/{name}", false, s.getDevice},
	}
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
		if !s.tokens[tokenHash(tok)] {
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
				if strings.HasPrefix(r.URL.Path, "/api/") {
					writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error (logged on the server)"})
					return
				}
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

// limited lets at most cfg.MaxRequests requests work at once, so that under
// a crowd the analyses (two goroutines) still get the CPU that hundreds of
// page renders would take (bench/README.md, "netscore serve under load").
// A request waits for its turn while its context lasts, up to 10 s, then
// gets 503. Health checks and uploads (which mostly wait on the network)
// pass, and so do leaderboard reads, which take a turn only when they
// must render (leaderboard, leaderboardPage).
func (s *Server) limited(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.Method == http.MethodPost && (r.URL.Path == "/api/v1/models" || r.URL.Path == "/upload") ||
			r.Method == http.MethodGet && (r.URL.Path == "/api/v1/leaderboard" || r.URL.Path == "/") {
			h.ServeHTTP(w, r)
			return
		}
		release, ok := s.turn(w, r)
		if !ok {
			return
		}
		defer release()
		h.ServeHTTP(w, r)
	})
}

// turn waits for one of the MaxRequests turns; without one (10 s, or the
// client gone) it has answered 503 and reports false.
func (s *Server) turn(w http.ResponseWriter, r *http.Request) (release func(), ok bool) {
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	select {
	case s.turns <- struct{}{}:
		return func() { <-s.turns }, true
	case <-t.C:
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "busy: try again"})
	case <-r.Context().Done():
	}
	return nil, false
}
