// Package store keeps the served leaderboard's models: their rows in SQLite
// (the embedded default, in the data folder) or PostgreSQL (shared
// deployments), one schema for both applied by goose at start, and their
// files content-addressed by sha256 in the data folder (blobs.go).
//
// Both back ends are reached through database/sql, so a transaction is a
// *sql.Tx on either: the job queue (package jobs) inserts its jobs in the
// same transaction as the row they work on.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", cgo-free
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect names a back end.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is an open database and blob folder.
type Store struct {
	DB *sql.DB
	// read is where reads go: on SQLite a pool of read-only connections
	// beside DB's one writer (WAL lets them read while it writes); on
	// PostgreSQL, DB itself.
	read    *sql.DB
	Dialect Dialect
	Blobs   *Blobs
	// Where tells people where the rows are (never a password).
	Where string
}

// Open opens (creating when needed) the store: dbURL "" means SQLite in
// dataDir/netscore.db; a postgres:// or postgresql:// URL (or sqlite:PATH)
// means that database. Model files live under dataDir; with no dataDir
// (the fleet's commands, which only read and queue) Blobs is nil.
func Open(ctx context.Context, dataDir, dbURL string) (*Store, error) {
	if dataDir == "" && dbURL == "" {
		return nil, errors.New("store: no data folder and no database")
	}
	s := &Store{}
	if dataDir != "" {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
		blobs, err := OpenBlobs(filepath.Join(dataDir, "blobs"))
		if err != nil {
			return nil, err
		}
		s.Blobs = blobs
	}
	var err error
	switch {
	case dbURL == "" || strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(dbURL, "sqlite:")
		if path == "" && dataDir == "" {
			return nil, errors.New("store: sqlite: names no file")
		}
		if path == "" {
			path = filepath.Join(dataDir, "netscore.db")
		}
		s.Dialect, s.Where = SQLite, path
		// WAL lets readers go on while a write commits; a busy timeout
		// rather than SQLITE_BUSY errors; immediate transactions take the
		// write lock up front, so two writers never deadlock on upgrade.
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
		if s.DB, err = sql.Open("sqlite", dsn); err != nil {
			return nil, err
		}
		// SQLite writes one at a time; River's SQLite driver asks for one
		// connection (its docs), and so do we.
		s.DB.SetMaxOpenConns(1)
		if s.read, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)"); err != nil {
			s.DB.Close()
			return nil, err
		}
		s.read.SetMaxOpenConns(4)
	case strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://"):
		s.Dialect, s.Where = Postgres, redact(dbURL)
		if s.DB, err = sql.Open("pgx", dbURL); err != nil {
			return nil, err
		}
		s.DB.SetMaxOpenConns(20)
		s.read = s.DB
	default:
		return nil, fmt.Errorf("database %q: want a postgres:// URL, or none for SQLite in the data folder", redact(dbURL))
	}
	if err := s.DB.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("database %s: %w", s.Where, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("database %s: migrations: %w", s.Where, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if s.read != s.DB {
		s.read.Close()
	}
	return s.DB.Close()
}

func (s *Store) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if s.Dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.DB, fsys)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// q turns a query written with ? placeholders into the dialect's.
func (s *Store) q(query string) string {
	if s.Dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// redact drops a password from a database URL.
func redact(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	user := u[scheme+3 : at]
	if name, _, ok := strings.Cut(user, ":"); ok {
		return u[:scheme+3] + name + ":***" + u[at:]
	}
	return u
}
