package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// A model's analysis states.
const (
	Queued  = "queued"
	Running = "running"
	Done    = "done"
	Failed  = "failed"
)

// Model is one uploaded model: what the user said of it, where its file
// is, and, once analysed, the figures the leaderboard ranks by and the
// whole analysis (inspect's JSON summary, with layers).
type Model struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	SHA256 string  `json:"sha256"`
	Size   int64   `json:"size"`
	Top1   float64 `json:"top1"`
	Top5   float64 `json:"top5,omitempty"`
	// N is the number of images the top-1 was measured on (0: not given).
	N     int64    `json:"n,omitempty"`
	Task  string   `json:"task,omitempty"`
	Tags  []string `json:"tags"`
	Input string   `json:"input,omitempty"` // as a manifest's input column: x=1x3x224x224;sr=16000
	State string   `json:"state"`
	Error string   `json:"error,omitempty"`

	Format   string  `json:"format,omitempty"`
	Params   int64   `json:"params"`
	MACs     int64   `json:"macs"`
	Complete bool    `json:"complete"`
	Coverage float64 `json:"coverage"`
	Shapes   string  `json:"shapes,omitempty"`
	// Summary is inspect's JSON summary; only Get fills it.
	Summary  string    `json:"-"`
	Analyses int       `json:"analyses"` // analyses that ran to their end (1 when all went well)
	Created  time.Time `json:"created"`
	Analysed time.Time `json:"analysed,omitzero"`
}

// ErrNotFound is the error of a model id that is not there.
var ErrNotFound = errors.New("no such model")

// NewID is a fresh model id: "m" and 16 hex digits.
func NewID() string {
	var b [8]byte
	rand.Read(b[:])
	return "m" + hex.EncodeToString(b[:])
}

// ValidID reports whether s has the shape of a model id.
func ValidID(s string) bool {
	if len(s) != 17 || s[0] != 'm' {
		return false
	}
	_, err := hex.DecodeString(s[1:])
	return err == nil
}

const listColumns = "id, name, sha256, size, top1, top5, n, task, tags, input, state, error, format, params, macs, complete, coverage, shapes, analyses, created_ms, analysed_ms"

// Insert adds a queued model in tx.
func (s *Store) Insert(ctx context.Context, tx *sql.Tx, m *Model) error {
	if m.Created.IsZero() {
		m.Created = time.Now()
	}
	m.State = Queued
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO ns_models (id, name, sha256, size, top1, top5, n, task, tags, input, state, created_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		m.ID, m.Name, m.SHA256, m.Size, m.Top1, m.Top5, m.N, m.Task, strings.Join(m.Tags, ","), m.Input, m.State, m.Created.UnixMilli())
	return err
}

// Get reads one model with its summary.
func (s *Store) Get(ctx context.Context, id string) (*Model, error) {
	row := s.read.QueryRowContext(ctx, s.q("SELECT "+listColumns+", COALESCE((SELECT summary FROM ns_summaries WHERE ns_summaries.id = ns_models.id), '') FROM ns_models WHERE id = ?"), id)
	m, err := scanModel(row.Scan, true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return m, err
}

// List reads every model without summaries, newest first.
func (s *Store) List(ctx context.Context) ([]*Model, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+listColumns+" FROM ns_models ORDER BY created_ms DESC, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Model
	for rows.Next() {
		m, err := scanModel(rows.Scan, false)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Count is the number of models by state.
func (s *Store) Count(ctx context.Context) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT state, COUNT(*) FROM ns_models GROUP BY state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// Start marks a queued (or a rescued running) model running; it reports
// false when the model is gone or already analysed, so that a job run
// twice analyses once.
func (s *Store) Start(ctx context.Context, id string) (bool, error) {
	res, err := s.DB.ExecContext(ctx, s.q("UPDATE ns_models SET state = ? WHERE id = ? AND state IN (?, ?)"), Running, id, Queued, Running)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Analysis is what an analysis found.
type Analysis struct {
	Format   string
	Params   int64
	MACs     int64
	Complete bool
	Coverage float64
	Shapes   string
	Summary  string // JSON
}

// Finish records an analysis of a running model: its figures in the
// model's row and the summary beside it, in one transaction.
func (s *Store) Finish(ctx context.Context, id string, a Analysis) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`UPDATE ns_models SET state = ?, error = '', format = ?, params = ?, macs = ?, complete = ?,
		coverage = ?, shapes = ?, analyses = analyses + 1, analysed_ms = ? WHERE id = ? AND state = ?`),
		Done, a.Format, a.Params, a.MACs, boolInt(a.Complete), a.Coverage, a.Shapes, time.Now().UnixMilli(), id, Running)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // not running (done by an earlier run of the job, or gone): nothing to record
	}
	if _, err := tx.ExecContext(ctx, s.q("INSERT INTO ns_summaries (id, summary) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET summary = excluded.summary"), id, a.Summary); err != nil {
		return err
	}
	return tx.Commit()
}

// Fail records why a model could not be analysed.
func (s *Store) Fail(ctx context.Context, id, reason string) error {
	_, err := s.DB.ExecContext(ctx, s.q("UPDATE ns_models SET state = ?, error = ?, analyses = analyses + 1, analysed_ms = ? WHERE id = ? AND state IN (?, ?)"),
		Failed, reason, time.Now().UnixMilli(), id, Queued, Running)
	return err
}

// Delete removes a model's row, and its file when no other row uses it.
// It reports false when there was no such model.
func (s *Store) Delete(ctx context.Context, id string) (bool, error) {
	m, err := s.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, table := range []string{"ns_summaries", "ns_models"} {
		if _, err := s.DB.ExecContext(ctx, s.q("DELETE FROM "+table+" WHERE id = ?"), id); err != nil {
			return false, err
		}
	}
	var others int
	if err := s.DB.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM ns_models WHERE sha256 = ?"), m.SHA256).Scan(&others); err != nil {
		return true, err
	}
	if others == 0 && s.Blobs != nil {
		return true, s.Blobs.Remove(m.SHA256)
	}
	return true, nil
}

func scanModel(scan func(...any) error, withSummary bool) (*Model, error) {
	m := &Model{}
	var tags string
	var complete int
	var created, analysed int64
	dest := []any{&m.ID, &m.Name, &m.SHA256, &m.Size, &m.Top1, &m.Top5, &m.N, &m.Task, &tags, &m.Input, &m.State, &m.Error,
		&m.Format, &m.Params, &m.MACs, &complete, &m.Coverage, &m.Shapes, &m.Analyses, &created, &analysed}
	if withSummary {
		dest = append(dest, &m.Summary)
	}
	if err := scan(dest...); err != nil {
		return nil, err
	}
	m.Tags = SplitTags(tags)
	m.Complete = complete != 0
	m.Created = time.UnixMilli(created).UTC()
	if analysed > 0 {
		m.Analysed = time.UnixMilli(analysed).UTC()
	}
	return m, nil
}

// SplitTags reads a comma-separated tag list: trimmed, lower-case, no
// empties or repeats.
func SplitTags(s string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BySHA256 finds the newest model stored with those bytes.
func (s *Store) BySHA256(ctx context.Context, sum string) (*Model, error) {
	var id string
	err := s.read.QueryRowContext(ctx, s.q("SELECT id FROM ns_models WHERE sha256 = ? ORDER BY created_ms DESC, id LIMIT 1"), sum).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}
