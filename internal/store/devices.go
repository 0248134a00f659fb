package store

import (
	"context"
	"strings"
	"time"
)

// Device is a registered worker's machine.
type Device struct {
	Name        string    `json:"name"`
	Labels      []string  `json:"labels"`      // k=v, sorted
	Fingerprint string    `json:"fingerprint"` // JSON, as the worker read it
	Registered  time.Time `json:"registered"`
	Heartbeat   time.Time `json:"heartbeat"`
}

// Stale reports whether the device has not been heard of for longer than after.
func (d *Device) Stale(now time.Time, after time.Duration) bool {
	return now.Sub(d.Heartbeat) > after
}

// RegisterDevice adds a device or updates its labels and fingerprint.
func (s *Store) RegisterDevice(ctx context.Context, d *Device) error {
	now := time.Now().UnixMilli()
	_, err := s.DB.ExecContext(ctx, s.q(`INSERT INTO ns_devices (name, labels, fingerprint, registered_ms, heartbeat_ms) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET labels = excluded.labels, fingerprint = excluded.fingerprint, heartbeat_ms = excluded.heartbeat_ms`),
		d.Name, strings.Join(d.Labels, ","), d.Fingerprint, now, now)
	return err
}

// Heartbeat records that a device is alive now.
func (s *Store) Heartbeat(ctx context.Context, name string) error {
	_, err := s.DB.ExecContext(ctx, s.q("UPDATE ns_devices SET heartbeat_ms = ? WHERE name = ?"), time.Now().UnixMilli(), name)
	return err
}

// Devices lists the registered devices by name.
func (s *Store) Devices(ctx context.Context) ([]*Device, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT name, labels, fingerprint, registered_ms, heartbeat_ms FROM ns_devices ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Device
	for rows.Next() {
		d := &Device{}
		var labels string
		var reg, hb int64
		if err := rows.Scan(&d.Name, &labels, &d.Fingerprint, &reg, &hb); err != nil {
			return nil, err
		}
		d.Labels = []string{}
		if labels != "" {
			d.Labels = strings.Split(labels, ",")
		}
		d.Registered, d.Heartbeat = time.UnixMilli(reg).UTC(), time.UnixMilli(hb).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// Result is one measurement a job made.
type Result struct {
	JobID   int64     `json:"job_id"`
	Kind    string    `json:"kind"` // bench, eval
	ModelID string    `json:"model_id"`
	Device  string    `json:"device"`
	Batch   string    `json:"batch,omitempty"` // the submission it belongs to
	Shard   int       `json:"shard"`
	Shards  int       `json:"shards"`
	Result  string    `json:"result"` // JSON of bench.Result or eval's counts
	Created time.Time `json:"created"`
}

// PutResult keeps a job's result once: a second one for the same job (the
// job run again after its worker died) is dropped. It reports whether
// this one was kept.
func (s *Store) PutResult(ctx context.Context, r *Result) (bool, error) {
	res, err := s.DB.ExecContext(ctx, s.q(`INSERT INTO ns_results (job_id, kind, model_id, device, batch, shard, shards, result, created_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING`),
		r.JobID, r.Kind, r.ModelID, r.Device, r.Batch, r.Shard, r.Shards, r.Result, time.Now().UnixMilli())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Results lists results, newest first; a non-empty model or batch filters.
func (s *Store) Results(ctx context.Context, model, batch string) ([]*Result, error) {
	q := "SELECT job_id, kind, model_id, device, batch, shard, shards, result, created_ms FROM ns_results WHERE 1 = 1"
	var args []any
	if model != "" {
		q += " AND model_id = ?"
		args = append(args, model)
	}
	if batch != "" {
		q += " AND batch = ?"
		args = append(args, batch)
	}
	return s.queryResults(ctx, q+" ORDER BY created_ms DESC, job_id DESC", args...)
}

// ResultsOf reads the results of these jobs (those that have one).
func (s *Store) ResultsOf(ctx context.Context, jobs []int64) ([]*Result, error) {
	var out []*Result
	for len(jobs) > 0 { // a few hundred placeholders per query at most
		n := min(len(jobs), 500)
		args := make([]any, n)
		for i, id := range jobs[:n] {
			args[i] = id
		}
		rs, err := s.queryResults(ctx, "SELECT job_id, kind, model_id, device, batch, shard, shards, result, created_ms FROM ns_results WHERE job_id IN (?"+
			strings.Repeat(", ?", n-1)+") ORDER BY created_ms DESC, job_id DESC", args...)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
		jobs = jobs[n:]
	}
	return out, nil
}

// queryResults runs a query of the result columns.
func (s *Store) queryResults(ctx context.Context, query string, args ...any) ([]*Result, error) {
	rows, err := s.read.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Result
	for rows.Next() {
		r := &Result{}
		var created int64
		if err := rows.Scan(&r.JobID, &r.Kind, &r.ModelID, &r.Device, &r.Batch, &r.Shard, &r.Shards, &r.Result, &created); err != nil {
			return nil, err
		}
		r.Created = time.UnixMilli(created).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
