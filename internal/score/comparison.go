// Package score scores and ranks models among reference networks: the
// scorecard of one model, the comparison of many, and budget checks. It
// computes; package report renders what it returns.
package score

import (
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/zoo"
)

// UserSource marks a network the user analysed, as opposed to a reference row.
const UserSource zoo.Source = "user"

// Ranked is one network of a comparison: a user's model (with its
// analysis) or a reference row, with its figures of merit.
type Ranked struct {
	Scored
	Rank    int              // 1-based position in the comparison's order
	Top5    float64          // percent; 0 when not given
	Summary *inspect.Summary // the analysis of a user's model; nil for references
	// LatencyMS is a measured median latency (netscore bench), 0 when
	// none; LatencyScore is NetScore's latency companion Λ computed from it.
	LatencyMS, LatencyScore float64
	// ID and Link name a stored model in a served leaderboard (its id and
	// its page); empty elsewhere.
	ID, Link string
	// CI are the row's 95 % intervals (AddIntervals), where known.
	CI Intervals
	// Custom is the row's value of the --score expression; nil when the
	// comparison is ranked by a named key.
	Custom *float64
}

// IsReference reports whether the row comes from a published table.
func (r *Ranked) IsReference() bool { return r.Source != UserSource }

// Comparison is a ranked table of networks, as `compare`, `zoo` and the
// paper report show it.
type Comparison struct {
	Title   string
	SortBy  SortKey
	Metric  metrics.Params
	Entries []Ranked
	// Notes are shown under the table: sources, conventions, caveats.
	Notes []string
	// ScoreExpr is the --score expression the rows are ranked by, "" when
	// ranked by SortBy.
	ScoreExpr string
}

// Users returns the user's models of the comparison.
func (c *Comparison) Users() []Ranked {
	var out []Ranked
	for _, e := range c.Entries {
		if !e.IsReference() {
			out = append(out, e)
		}
	}
	return out
}

// RankedRow is the stable machine-readable form of a comparison row
// (docs/output.md).
type RankedRow struct {
	Rank         int     `json:"rank"`
	Name         string  `json:"name"`
	Source       string  `json:"source"`
	Top1         float64 `json:"top1"`
	Top5         float64 `json:"top5,omitempty"`
	ParamsM      float64 `json:"params_m"`
	GMACs        float64 `json:"gmacs"`
	NetScore     float64 `json:"netscore"`
	Density      float64 `json:"density"`
	AccPerGMAC   float64 `json:"acc_per_gmac"`
	ParetoMACs   bool    `json:"pareto_macs"`
	ParetoParams bool    `json:"pareto_params"`
	ImageSize    int     `json:"image_size,omitempty"`
	Note         string  `json:"note,omitempty"`
	Params       int64   `json:"params,omitempty"` // exact, for analysed models
	MACs         int64   `json:"macs,omitempty"`   // exact, for analysed models
	LatencyMS    float64 `json:"latency_ms,omitempty"`
	LatencyScore float64 `json:"latency_score,omitempty"`
	// For analysed models: the share of nodes costed (below 1, MACs are a
	// lower bound) and whether the input sizes were guessed.
	Coverage *float64 `json:"coverage,omitempty"`
	Complete *bool    `json:"complete,omitempty"`
	Shapes   string   `json:"shapes,omitempty"`
	ID       string   `json:"id,omitempty"` // a stored model's id (served leaderboard)
	// 95 % intervals where known (docs/output.md): n images behind the
	// top-1, its Wilson interval, Ω and density over it, the median
	// latency's bootstrap interval and Λ over both; Indistinct lists the
	// ranks whose Ω intervals overlap this row's.
	N              int               `json:"n,omitempty"`
	Top1CI         *metrics.Interval `json:"top1_ci,omitempty"`
	NetScoreCI     *metrics.Interval `json:"netscore_ci,omitempty"`
	DensityCI      *metrics.Interval `json:"density_ci,omitempty"`
	LatencyCI      *metrics.Interval `json:"latency_ci_ms,omitempty"`
	LatencyScoreCI *metrics.Interval `json:"latency_score_ci,omitempty"`
	Indistinct     []int             `json:"indistinct,omitempty"`
	// Score is the --score expression's value and RankedBy the expression,
	// when the comparison is ranked by one.
	Score    *float64 `json:"score,omitempty"`
	RankedBy string   `json:"ranked_by,omitempty"`
}

// Row returns the machine-readable form of r.
func (r *Ranked) Row() RankedRow {
	row := RankedRow{
		Rank: r.Rank, Name: r.Name, Source: r.Source.Label(), Top1: r.Top1, Top5: r.Top5,
		ParamsM: r.ParamsM, GMACs: r.GMACs, NetScore: r.NetScore, Density: r.Density,
		AccPerGMAC: r.AccPerGMAC, ParetoMACs: r.ParetoMACs, ParetoParams: r.ParetoParams,
		ImageSize: r.ImageSize, Note: r.Note, LatencyMS: r.LatencyMS, LatencyScore: r.LatencyScore, ID: r.ID,
		N: r.CI.N, Top1CI: r.CI.Top1, NetScoreCI: r.CI.NetScore, DensityCI: r.CI.Density, LatencyCI: r.CI.Latency,
		LatencyScoreCI: r.CI.LatencyScore, Indistinct: r.CI.Indistinct, Score: r.Custom,
	}
	if r.Summary != nil {
		row.Params, row.MACs = r.Summary.Params, r.Summary.MACs
		share, complete := r.Summary.Coverage.NodeShare, r.Summary.Complete
		row.Coverage, row.Complete, row.Shapes = &share, &complete, r.Summary.Shapes
	}
	return row
}

// HasLatency reports whether any entry carries a measured latency.
func (c *Comparison) HasLatency() bool {
	for _, e := range c.Entries {
		if e.LatencyMS > 0 {
			return true
		}
	}
	return false
}
