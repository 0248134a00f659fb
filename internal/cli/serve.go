package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/netscore/netscore/internal/server"
	"github.com/netscore/netscore/internal/units"
)

const serveUsage = `Usage: netscore serve [flags]

Serves the leaderboard: web pages and the JSON API (docs/api.md) over one
store. With no flags it keeps everything in SQLite and files under the data
folder and listens on 127.0.0.1:8080: open http://127.0.0.1:8080/, upload a
model, see it ranked.

Environment:
  NETSCORE_TOKEN   write tokens, comma-separated; needed when --addr is not
                   loopback (then every upload and delete must carry one:
                   Authorization: Bearer TOKEN). Only their sha256 is kept.
  NETSCORE_DB      the database URL when --db is not given.
  NETSCORE_DATA    the data folder when --data is not given.

Flags:
`

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", serveUsage, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "`HOST:PORT` to listen on; a non-loopback address needs NETSCORE_TOKEN")
	data := fs.String("data", envOr("NETSCORE_DATA", defaultDataDir()), "data `DIR`: SQLite database and model files")
	db := fs.String("db", os.Getenv("NETSCORE_DB"), "database `URL`: postgres://user@host/db for a shared PostgreSQL; none for SQLite in --data")
	maxUpload := fs.String("max-upload", "1GiB", "largest model file taken (e.g. 200MiB)")
	workers := fs.Int("workers", 2, "analyses run at once")
	maxRequests := fs.Int("max-requests", 0, "requests worked at once; the others wait their turn (0: 4 per CPU)")
	jobTimeout := fs.Duration("job-timeout", 2*time.Minute, "an analysis running longer is stopped and retried")
	ref := fs.String("ref", "paper", "default reference set of the leaderboard")
	grace := fs.Duration("grace", 30*time.Second, "on SIGTERM or Ctrl-C, time left to requests and analyses in flight")
	logFormat := fs.String("log", "text", "log format on stderr: text or json")
	if _, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "netscore serve: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	limit, err := units.ParseQuantity(*maxUpload)
	if err != nil || limit < 1 {
		fmt.Fprintf(stderr, "netscore serve: --max-upload: %v\n", err)
		return ExitUsage
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	switch *logFormat {
	case "json":
		handler = slog.NewJSONHandler(stderr, nil)
	case "text":
	default:
		fmt.Fprintf(stderr, "netscore serve: --log %q: want text or json\n", *logFormat)
		return ExitUsage
	}
	log := slog.New(handler)
	var tokens []string
	for _, t := range strings.Split(os.Getenv("NETSCORE_TOKEN"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			tokens = append(tokens, t)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.New(ctx, server.Config{Addr: *addr, DataDir: *data, DBURL: *db, MaxUpload: int64(limit), MaxRequests: *maxRequests,
		Workers: *workers, JobTimeout: *jobTimeout, Tokens: tokens, Reference: *ref, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "netscore serve: %v\n", err)
		return ExitFailed
	}
	err = srv.Run(ctx, *grace, func(a string) {
		log.Info("serving", "url", "http://"+a+"/", "store", string(srv.Store().Dialect), "where", srv.Store().Where, "data", *data)
	})
	if err != nil {
		fmt.Fprintf(stderr, "netscore serve: %v\n", err)
		return ExitFailed
	}
	log.Info("stopped")
	return ExitOK
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// defaultDataDir is netscore's folder in the user's data dir.
func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "netscore")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "netscore")
	}
	return "netscore-data"
}
