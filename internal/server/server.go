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
	// Workers bounds the analyses run at once; JobTimeout ends one.
	Workers    int
	JobTimeout time.Duration
	// Tokens allow writes; when the address is not loopback, writes need
	// one (NETSCORE_TOKEN). Only their sha256 is kept.
	Tokens []string
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
	// needToken: writes must carry a token (the address is not loopback).
	needToken bool
	// generation counts the store's changes seen here; caches key on it.
	generation atomic.Int64
}

// New opens the store and the queue (applying their migrations) and
// builds the handler; Start starts the job workers.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 1 << 30
	}
	if cfg.Reference == "" {
		cfg.Reference = "paper"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.needToken = !Loopback(cfg.Addr)
	if s.needToken && len(cfg.Tokens) == 0 {
		return nil, fmt.Errorf("address %s is not loopback: set NETSCORE_TOKEN to the token writes must carry (or listen on 127.0.0.1)", cfg.Addr)
	}
	st, err := store.Open(ctx, cfg.DataDir, cfg.DBURL)
	if err != nil {
		return nil, err
	}
	s.st = st
	for _, t := range cfg.Tokens {
		if err := st.AddToken(ctx, tokenHash(t)); err != nil {
			st.Close()
			return nil, fmt.Errorf("storing token: %w", err)
		}
	}
	s.queue, err = jobs.New(ctx, st, jobs.Config{Workers: cfg.Workers, Timeout: cfg.JobTimeout, Logger: cfg.Logger,
		OnDone: func(string) { s.changed() }})
	if err != nil {
		st.Close()
		return nil, err
	}
	s.board = newBoardCache(s)
	s.handler = s.routes()
	return s, nil
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
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // a large upload on a slow link
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
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
