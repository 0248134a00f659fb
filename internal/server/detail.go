package server

import (
	"context"
	"encoding/json"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
)

// detail is one model with its analysis and its place in the default
// leaderboard (nil until analysed and scored).
type detail struct {
	Model     *store.Model
	Summary   *inspect.Summary // nil until analysed
	raw       map[string]any   // the summary as inspect's JSON has it
	Ranked    *score.Ranked    // its row in the leaderboard
	Reference string
	Total     int // rows of that leaderboard
	// Latency is its newest measurement on each device, by device name.
	Latency []measurement
}

func (s *Server) modelDetail(ctx context.Context, id string) (*detail, error) {
	if !store.ValidID(id) {
		return nil, store.ErrNotFound
	}
	m, err := s.st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &detail{Model: m, Reference: s.cfg.Reference}
	if d.Latency, err = s.modelLatency(ctx, m); err != nil {
		return nil, err
	}
	if m.State != store.Done || m.Summary == "" {
		return d, nil
	}
	d.Summary = &inspect.Summary{}
	if err := json.Unmarshal([]byte(m.Summary), d.Summary); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(m.Summary), &d.raw); err != nil {
		return nil, err
	}
	board, _, err := s.board.get(ctx, boardQuery{Ref: s.cfg.Reference, Sort: score.ByNetScore})
	if err != nil {
		return nil, err
	}
	d.Total = len(board.Entries)
	for i := range board.Entries {
		if board.Entries[i].ID == id {
			r := board.Entries[i]
			r.Summary = d.Summary
			d.Ranked = &r
			break
		}
	}
	return d, nil
}

// record is the API's form: the stored model's fields, the analysis's
// (as `inspect --format json`), then the scores.
func (d *detail) record() map[string]any {
	out := map[string]any{}
	for k, v := range d.raw {
		out[k] = v
	}
	m := d.Model
	out["id"], out["name"], out["state"], out["sha256"], out["size"] = m.ID, m.Name, m.State, m.SHA256, m.Size
	out["top1"], out["tags"], out["created"] = m.Top1, m.Tags, m.Created
	out["latency"] = d.Latency
	if m.Top5 != 0 {
		out["top5"] = m.Top5
	}
	if m.N != 0 {
		out["n"] = m.N
	}
	if m.Task != "" {
		out["task"] = m.Task
	}
	if m.Input != "" {
		out["input"] = m.Input
	}
	if m.Error != "" {
		out["error"] = m.Error
	}
	if !m.Analysed.IsZero() {
		out["analysed"] = m.Analysed
	}
	if r := d.Ranked; r != nil {
		row := r.Row()
		out["model"] = m.Name
		sc := map[string]any{"netscore": row.NetScore, "density": row.Density, "acc_per_gmac": row.AccPerGMAC,
			"pareto_macs": row.ParetoMACs, "pareto_params": row.ParetoParams, "params_m": row.ParamsM, "gmacs": row.GMACs}
		if row.Top1CI != nil {
			sc["top1_ci"], sc["netscore_ci"], sc["density_ci"] = row.Top1CI, row.NetScoreCI, row.DensityCI
		}
		if len(row.Indistinct) > 0 {
			sc["indistinct"] = row.Indistinct
		}
		out["score"] = sc
		out["rank"], out["rank_of"], out["reference"] = r.Rank, d.Total, d.Reference
	}
	return out
}
