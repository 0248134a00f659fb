// Package server is netscore's web front end (`netscore serve`): a JSON API
// and server-rendered pages over the library — the store keeps models, River
// jobs analyse them with package inspect, package score ranks them and
// package report renders every page. It computes nothing itself.
package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/netscore/netscore/internal/jobs"
	"github.com/netscore/netscore/internal/store"
)

// Config is what `netscore serve` takes.
type Config struct {
	Addr    string // listen address (default 127.0.0.1:8080)
	DataDir string // the data folder: SQLite database and model files
	DBURL   string // postgres:// URL; "" for SQLite in DataDir
	// MaxUpload bounds an uploaded model file, in bytes (default 1 GiB).
	MaxUpload int64
	// MaxRequests bounds the requests worked at once (default 4 per CPU);
	// the others wait their turn.
	MaxRequests int
	// Workers bounds the analyses run at once; JobTimeout ends one.
	Workers    int
	JobTimeout time.Duration
	// Tokens allow writes; when the address is not loopback, writes need
	// one (NETSCORE_TOKEN). Only their sha256 is kept, in memory.
	Tokens []string
	// RequireToken makes writes need a token even on a loopback address
	// (behind a local reverse proxy; the tests).
	RequireToken bool
	// UploadTimeout bounds reading one upload and answering it (default
	// 10 minutes: a large model on a slow link); every other request gets
	// the server's shorter read and write timeouts (httpServer).
	UploadTimeout time.Duration
	// Reference is the leaderboard's default reference set (default paper).
	Reference string
	Logger    *slog.Logger
}

// Server holds the store, the queue and the handler.
type Server struct {
	cfg     Config
	st      *store.Store
	queue   *jobs.Queue
	log     *slog.Logger
	board   *boardCache
	handler http.Handler
	// needToken: writes must carry a token (the address is not loopback,
	// or cfg.RequireToken); tokens holds the sha256 of each.
	needToken bool
	tokens    map[string]bool
	// turns holds one token per request being worked (limited).
	turns chan struct{}
	// generation counts the store's changes seen here; caches key on it.
	generation atomic.Int64
}

// New opens the store and the queue (applying their migrations) and
// builds the handler; Start starts the job workers.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.DataDir, cfg.DBURL)
	if err != nil {
		return nil, err
	}
	s, err := NewWithStore(ctx, cfg, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// NewWithStore is New over a store already open (cfg.DataDir and DBURL are
// not used); the server closes it on Close.
func NewWithStore(ctx context.Context, cfg Config, st *store.Store) (*Server, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, st: st, tokens: map[string]bool{}}
	s.needToken = cfg.RequireToken || !Loopback(cfg.Addr)
	// Only the tokens' sha256 is kept, and only this process's: a token
	// taken out of NETSCORE_TOKEN stops working at the next start.
	for _, t := range cfg.Tokens {
		if strings.TrimSpace(t) != "" {
			s.tokens[tokenHash(t)] = true
		}
	}
	s.cfg.Tokens = nil
	var err error
	s.queue, err = jobs.New(ctx, st, jobs.Config{Workers: cfg.Workers, Timeout: cfg.JobTimeout, Logger: cfg.Logger,
		OnDone: func(string) { s.changed() }})
	if err != nil {
		return nil, err
	}
	s.board = newBoardCache(s)
	s.turns = make(chan struct{}, cfg.MaxRequests)
	s.handler = s.routes()
	return s, nil
}

// defaults fills in what cfg leaves unset and refuses writes without a
// token off loopback.
func (cfg *Config) defaults() error {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 1 << 30
	}
	if cfg.MaxRequests <= 0 {
		cfg.MaxRequests = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.UploadTimeout <= 0 {
		cfg.UploadTimeout = 10 * time.Minute
	}
	if cfg.Reference == "" {
		cfg.Reference = "paper"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if (cfg.RequireToken || !Loopback(cfg.Addr)) && strings.TrimSpace(strings.Join(cfg.Tokens, "")) == "" {
		if cfg.RequireToken {
			return errors.New("writes need a token, and none is set: set NETSCORE_TOKEN")
		}
		return fmt.Errorf("address %s is not loopback: set NETSCORE_TOKEN to the token writes must carry (or listen on 127.0.0.1)", cfg.Addr)
	}
	return nil
}

// Handler serves the API and the pages.
func (s *Server) Handler() http.Handler { return s.handler }

// Store is the server's store (for tests and tools).
func (s *Server) Store() *store.Store { return s.st }

// Start starts the job workers.
func (s *Server) Start(ctx context.Context) error { return s.queue.Start(ctx) }

// Close stops the workers (running analyses finish or, past ctx, go back
// to the queue) and closes the store.
func (s *Server) Close(ctx context.Context) error {
	err := s.queue.Stop(ctx)
	return errors.Join(err, s.st.Close())
}

// Run serves on cfg.Addr until ctx ends, then shuts down gracefully:
// requests in flight get up to grace to finish, then the workers stop.
func (s *Server) Run(ctx context.Context, grace time.Duration, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	srv := s.httpServer()
	if err := s.Start(context.WithoutCancel(ctx)); err != nil {
		ln.Close()
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return errors.Join(err, s.Close(context.Background()))
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err = srv.Shutdown(sctx)
	return errors.Join(err, s.Close(sctx))
}

// httpServer is the http.Server Run serves with. Its timeouts cut slow
// clients: headers must come within ReadHeaderTimeout (slow-loris), a
// whole request within ReadTimeout and its answer within WriteTimeout;
// an upload extends its own deadlines to cfg.UploadTimeout (upload.go).
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

func (s *Server) changed() { s.generation.Add(1) }

// Loopback reports whether a listen address only takes local connections.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func tokenHash(t string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(t)))
	return hex.EncodeToString(h[:])
}
