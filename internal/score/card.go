package score

import (
	"context"
	"errors"
	"fmt"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/zoo"
)

// CardRequest asks for one model's scorecard.
type CardRequest struct {
	Model string `json:"model"`
	// Top1 is the accuracy (percent, or a fraction with
	// Settings.Fraction); 0 takes it from Manifest.
	Top1 float64 `json:"top1,omitempty"`
	// LatencyMS adds the latency score Λ; 0 takes it from Manifest when
	// the top-1 comes from there.
	LatencyMS float64 `json:"latency_ms,omitempty"`
	// N is the number of images Top1 was measured on (its interval); 0
	// takes it from Manifest when the top-1 comes from there.
	N int `json:"n,omitempty"`
	// Manifest, with ManifestName naming it in messages, supplies what
	// the request leaves out.
	Manifest     manifest.Store  `json:"-"`
	ManifestName string          `json:"manifest,omitempty"`
	Reference    string          `json:"reference"` // a source, all or none
	Bind         analyze.Options `json:"bind"`
	Settings     Settings        `json:"settings"`
}

// Card is one model's NetScore and its standing among reference networks,
// the stable JSON of `netscore score` (docs/output.md).
type Card struct {
	Model        string     `json:"model"`
	Top1         float64    `json:"top1"`
	Params       int64      `json:"params"`
	MACs         int64      `json:"macs"`
	NetScore     float64    `json:"netscore"`
	Density      float64    `json:"density"`
	AccPerGMAC   float64    `json:"acc_per_gmac"`
	Reference    string     `json:"reference"`
	Rank         int        `json:"rank"`
	Of           int        `json:"of"`
	Percentile   float64    `json:"percentile"`
	Above        *RankedRow `json:"above,omitempty"`
	Below        *RankedRow `json:"below,omitempty"`
	ParetoMACs   bool       `json:"pareto_macs"`
	ParetoParams bool       `json:"pareto_params"`
	LatencyMS    float64    `json:"latency_ms,omitempty"`
	LatencyScore float64    `json:"latency_score,omitempty"`
	// 95 % intervals where known (as RankedRow's), and the reference
	// networks whose Ω intervals overlap the model's: not distinguishable
	// from it.
	N              int               `json:"n,omitempty"`
	Top1CI         *metrics.Interval `json:"top1_ci,omitempty"`
	NetScoreCI     *metrics.Interval `json:"netscore_ci,omitempty"`
	DensityCI      *metrics.Interval `json:"density_ci,omitempty"`
	LatencyCI      *metrics.Interval `json:"latency_ci_ms,omitempty"`
	LatencyScoreCI *metrics.Interval `json:"latency_score_ci,omitempty"`
	Indistinct     []string          `json:"indistinct,omitempty"`
	// Score is the --score expression's value and RankedBy the expression
	// when the model is ranked by one (rank, neighbours and percentile
	// then follow it).
	Score    *float64 `json:"score,omitempty"`
	RankedBy string   `json:"ranked_by,omitempty"`
	// Complete is false when some node could not be costed: MACs are then
	// a lower bound and NetScore an upper one. Coverage is the share of
	// nodes costed.
	Complete bool    `json:"complete"`
	Coverage float64 `json:"coverage"`
	// Shapes is "guessed" when free input dims took --assume-free-dims.
	Shapes      string               `json:"shapes"`
	GuessedDims []analyze.GuessedDim `json:"guessed_dims,omitempty"`
	InputHints  []string             `json:"input_hints,omitempty"`
	Uncosted    []inspect.OpCount    `json:"uncosted,omitempty"`
	// Quantization is the model's scheme (inspect.Summary.Quantization).
	Quantization *analyze.Quantization `json:"quantization,omitempty"`
	Warnings     []string              `json:"warnings"`
	// References is how many reference networks the model was ranked
	// among (0: none asked for).
	References int `json:"-"`
	// Hints are remarks on the request (an accuracy that reads like a
	// fraction), not on the model.
	Hints []string `json:"-"`
}

// Score analyses a model and scores it against the reference set.
func Score(ctx context.Context, req CardRequest) (*Card, error) {
	top1, latency, bind, n := req.Top1, req.LatencyMS, req.Bind, req.N
	var latencyCI *metrics.Interval
	custom, err := req.Settings.Expr()
	if err != nil {
		return nil, err
	}
	var row manifest.Row
	rowErr := errors.New("no manifest")
	if req.Manifest != nil {
		if row, rowErr = manifest.Lookup(ctx, req.Manifest, req.ManifestName, req.Model); rowErr == nil {
			var err error
			if bind, err = row.Bind(bind); err != nil {
				return nil, request.Wrap(fmt.Errorf("%s: %v", req.ManifestName, err))
			}
		}
	}
	switch {
	case top1 != 0:
	case req.Manifest == nil:
		return nil, request.Errorf("--top1 (the model's top-1 accuracy in percent) or --manifest is required")
	case rowErr != nil:
		return nil, request.Wrap(rowErr)
	case !row.HasTop1:
		return nil, request.Wrap(fmt.Errorf("%s has a latency but no top-1 for %s: run netscore eval --manifest, or pass --top1", req.ManifestName, req.Model))
	default:
		top1 = row.Top1
		if n == 0 {
			n = row.N
		}
		if latency == 0 {
			latency = row.LatencyMS
			if row.LatencyCIHigh > 0 {
				latencyCI = &metrics.Interval{Low: row.LatencyCILow, High: row.LatencyCIHigh}
			}
		}
	}
	if n < 0 {
		return nil, request.Errorf("--n %d: want the number of images the top-1 was measured on", n)
	}
	a, err := req.Settings.Accuracy(top1)
	if err != nil {
		return nil, request.Wrap(err)
	}
	var hints []string
	if h := req.Settings.FractionHint(top1); h != "" {
		hints = append(hints, h)
	}
	refs, err := References(req.Reference)
	if err != nil {
		return nil, request.Wrap(err)
	}
	if custom != nil { // before the model is analysed
		if err := custom.CheckReferences(refs, req.Reference); err != nil {
			return nil, err
		}
		if err := custom.CheckGiven(req.Model, 0, latency, n); err != nil {
			return nil, err
		}
	}
	s, err := inspect.File(ctx, req.Model, inspect.Request{Bind: bind, ExactShapes: true})
	if err != nil {
		return nil, err
	}
	ps := req.Settings.Params()
	p, m := metrics.FromCounts(s.Params, s.MACs)
	user := zoo.Row{Name: req.Model, Source: UserSource, Top1: a, ParamsM: p, GMACs: m}
	ranked, err := RankAll([]zoo.Row{user}, map[string]*inspect.Summary{req.Model: s}, refs, ByNetScore, ps)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", req.Model, err)
	}
	for i := range ranked {
		if ranked[i].Source == UserSource {
			ranked[i].LatencyMS = latency
		}
	}
	if err := AddIntervals(ranked, ps, map[string]UncertaintyInput{req.Model: {N: n, Latency: latencyCI}}); err != nil {
		return nil, request.Wrap(err)
	}
	if custom != nil {
		var errs []error
		if ranked, errs = RankByExpr(ranked, custom); len(errs) > 0 {
			return nil, request.Wrap(errs[0])
		}
	}
	card := &Card{Model: req.Model, Top1: a, Params: s.Params, MACs: s.MACs, Reference: req.Reference, Of: len(ranked),
		Warnings: s.Warnings, References: len(refs), Hints: hints, Complete: s.Complete, Coverage: s.Coverage.NodeShare,
		Shapes: s.Shapes, GuessedDims: s.GuessedDims, InputHints: s.InputHints, Uncosted: s.Uncosted,
		Quantization: s.Quantization}
	for i, r := range ranked {
		if r.Source != UserSource {
			continue
		}
		card.NetScore, card.Density, card.AccPerGMAC = r.NetScore, r.Density, r.AccPerGMAC
		card.Rank, card.ParetoMACs, card.ParetoParams = r.Rank, r.ParetoMACs, r.ParetoParams
		card.N, card.Top1CI, card.NetScoreCI, card.DensityCI = r.CI.N, r.CI.Top1, r.CI.NetScore, r.CI.Density
		card.LatencyCI, card.LatencyScoreCI, card.Score = r.CI.Latency, r.CI.LatencyScore, r.Custom
		for _, k := range r.CI.Indistinct {
			card.Indistinct = append(card.Indistinct, ranked[k-1].Name)
		}
		if custom != nil {
			card.RankedBy = custom.Source
		}
		if i > 0 {
			row := ranked[i-1].Row()
			card.Above = &row
		}
		if i+1 < len(ranked) {
			row := ranked[i+1].Row()
			card.Below = &row
		}
	}
	if latency != 0 {
		card.LatencyMS = latency
		if card.LatencyScore, err = ps.LatencyScore(a, p, latency); err != nil {
			return nil, request.Wrap(err)
		}
	}
	if len(refs) > 0 {
		var ns []float64
		mine := card.NetScore
		if card.Score != nil {
			mine = *card.Score
		}
		for _, r := range ranked {
			switch {
			case r.Source == UserSource:
			case r.Custom != nil:
				ns = append(ns, *r.Custom)
			default:
				ns = append(ns, r.NetScore)
			}
		}
		if st, err := metrics.Rank(mine, ns, true); err == nil {
			card.Percentile = st.Percentile
		}
	}
	return card, nil
}
