package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// What the served pages read of the fleet: one device, and the bench
// results of a model or a device.

// ErrNoDevice is the error of a device name nobody registered.
var ErrNoDevice = errors.New("no such device")

// Device returns one registered device.
func (s *Store) Device(ctx context.Context, name string) (*Device, error) {
	d := &Device{Name: name}
	var labels string
	var reg, hb int64
	err := s.read.QueryRowContext(ctx, s.q("SELECT labels, fingerprint, registered_ms, heartbeat_ms FROM ns_devices WHERE name = ?"), name).
		Scan(&labels, &d.Fingerprint, &reg, &hb)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoDevice
	}
	if err != nil {
		return nil, err
	}
	d.Labels = []string{}
	if labels != "" {
		d.Labels = strings.Split(labels, ",")
	}
	d.Registered, d.Heartbeat = time.UnixMilli(reg).UTC(), time.UnixMilli(hb).UTC()
	return d, nil
}

// BenchResults lists the bench results (kind "bench"), newest first; a
// non-empty model or device filters, and limit > 0 keeps the newest limit.
func (s *Store) BenchResults(ctx context.Context, model, device string, limit int) ([]*Result, error) {
	q := "SELECT job_id, kind, model_id, device, batch, shard, shards, result, created_ms FROM ns_results WHERE kind = 'bench'"
	var args []any
	if model != "" {
		q += " AND model_id = ?"
		args = append(args, model)
	}
	if device != "" {
		q += " AND device = ?"
		args = append(args, device)
	}
	q += " ORDER BY created_ms DESC, job_id DESC"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	return s.queryResults(ctx, q, args...)
}

// BenchCounts counts the bench results of each device.
func (s *Store) BenchCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT device, COUNT(*) FROM ns_results WHERE kind = 'bench' GROUP BY device")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out[d] = n
	}
	return out, rows.Err()
}
