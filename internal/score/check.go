package score

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/request"
)

// Budgets are the limits a model must keep; a nil limit is not checked.
type Budgets struct {
	MaxMACs                *float64 `json:"max_macs,omitempty"`
	MaxParams              *float64 `json:"max_params,omitempty"`
	MaxWeightBytes         *float64 `json:"max_weight_bytes,omitempty"`
	MaxPeakActivationBytes *float64 `json:"max_peak_activation_bytes,omitempty"`
	// MinNetScore needs Top1.
	MinNetScore *float64 `json:"min_netscore,omitempty"`
	Top1        *float64 `json:"top1,omitempty"`
	// MinCoverage is the smallest share of nodes costed (0..1), 0 for none.
	MinCoverage float64 `json:"min_coverage,omitempty"`
	// AllowUncosted checks lower bounds as if they were exact: without it,
	// a budget that an uncosted node could break is not verified.
	AllowUncosted bool `json:"allow_uncosted,omitempty"`
}

// CheckRequest asks whether a model keeps its budgets.
type CheckRequest struct {
	Model   string  `json:"model"`
	Budgets Budgets `json:"budgets"`
	// Manifest, named ManifestName in messages, gives the model's input
	// shapes and values and, when Budgets has none, its top-1.
	Manifest     manifest.Store  `json:"-"`
	ManifestName string          `json:"manifest,omitempty"`
	Bind         analyze.Options `json:"bind"`
	Settings     Settings        `json:"settings"`
}

// Unit says how a budget's figures read.
type Unit int

const (
	CountUnit Unit = iota // powers of 1000
	ByteUnit              // powers of 1024
	ScoreUnit             // a NetScore
	ShareUnit             // a share of nodes
)

// Verdict is one budget's outcome.
type Verdict struct {
	Budget string // macs, params, weight-bytes, peak-activation-bytes, netscore, coverage
	Unit   Unit
	OK     bool
	Got    float64
	Limit  float64
	// Err says why the budget could not be checked (a model NetScore
	// cannot score, a lower bound under its limit); the verdict then fails.
	Err string
	// Uncosted lists the ops without a cost rule, for the coverage budget.
	Uncosted []inspect.OpCount
	// LowerBound says Got is a lower bound (uncosted nodes; an upper bound
	// for a NetScore).
	LowerBound bool
}

// CheckResult is every budget's verdict, in a fixed order.
type CheckResult struct {
	Model    string
	Warnings []string // the analysis's: an unbound dim changes what the budgets measure
	Verdicts []Verdict
}

// Broken counts the budgets not kept.
func (r *CheckResult) Broken() int {
	n := 0
	for _, v := range r.Verdicts {
		if !v.OK {
			n++
		}
	}
	return n
}

// Validate checks the budgets before any model is read.
func (b Budgets) Validate(s Settings) error {
	if b.MinNetScore != nil && b.Top1 == nil {
		return errors.New("--min-netscore needs --top1")
	}
	if b.MaxMACs == nil && b.MaxParams == nil && b.MaxWeightBytes == nil && b.MaxPeakActivationBytes == nil && b.MinNetScore == nil {
		return errors.New("no budget given (--max-macs, --max-params, --max-weight-bytes, --max-peak-activation-bytes, --min-netscore)")
	}
	if b.Top1 != nil {
		if _, err := s.Accuracy(*b.Top1); err != nil {
			return err
		}
	}
	return nil
}

// Check analyses a model and checks every budget.
func Check(ctx context.Context, req CheckRequest) (*CheckResult, error) {
	b, bind := req.Budgets, req.Bind
	if req.Manifest != nil {
		row, err := manifest.Lookup(ctx, req.Manifest, req.ManifestName, req.Model)
		if err != nil {
			return nil, request.Wrap(err)
		}
		if bind, err = row.Bind(bind); err != nil {
			return nil, request.Wrap(fmt.Errorf("%s: %v", req.ManifestName, err))
		}
		if b.Top1 == nil && row.HasTop1 {
			b.Top1 = &row.Top1
		}
	}
	if err := b.Validate(req.Settings); err != nil {
		return nil, request.Wrap(err)
	}
	s, err := inspect.File(ctx, req.Model, inspect.Request{Bind: bind, ExactShapes: true})
	if err != nil {
		return nil, err
	}
	res := &CheckResult{Model: req.Model, Warnings: s.Warnings}
	// With uncosted nodes, MACs and activation memory are lower bounds:
	// over the limit is a verified failure, under it unverified.
	unverified := ""
	if !s.Complete && !b.AllowUncosted {
		unverified = fmt.Sprintf("cannot verify: %d nodes uncosted: %s (--allow-uncosted checks the lower bound)",
			s.Coverage.Nodes-s.Coverage.NodesCosted, opCounts(s.Uncosted))
	}
	limit := func(name string, max *float64, got int64, unit Unit, lowerBound bool) {
		if max == nil {
			return
		}
		v := Verdict{Budget: name, Unit: unit, OK: float64(got) <= *max, Got: float64(got), Limit: *max, LowerBound: lowerBound && !s.Complete}
		if v.OK && lowerBound && unverified != "" {
			v.OK, v.Err = false, unverified
		}
		res.Verdicts = append(res.Verdicts, v)
	}
	limit("macs", b.MaxMACs, s.MACs, CountUnit, true)
	// Params are the stored tensors, exact either way, unless compiled blobs
	// hold some (a Vela-compiled model).
	limit("params", b.MaxParams, s.Params, CountUnit, s.ParamsLowerBound)
	limit("weight-bytes", b.MaxWeightBytes, s.WeightBytes, ByteUnit, false)
	limit("peak-activation-bytes", b.MaxPeakActivationBytes, s.PeakActivationBytes, ByteUnit, true)
	if b.MinNetScore != nil {
		v := Verdict{Budget: "netscore", Unit: ScoreUnit, Limit: *b.MinNetScore, LowerBound: !s.Complete}
		a, _ := req.Settings.Accuracy(*b.Top1) // validated above
		ns, err := req.Settings.Params().ScoreCounts(a, s.Params, s.MACs)
		switch {
		case err != nil:
			v.Err = fmt.Sprintf("cannot score: %v", err)
		default:
			// Lower-bound MACs make Ω an upper bound: under the minimum is
			// a verified failure.
			v.Got, v.OK = ns, ns >= *b.MinNetScore
			if v.OK && unverified != "" {
				v.OK, v.Err = false, unverified
			}
		}
		res.Verdicts = append(res.Verdicts, v)
	}
	if share := s.Coverage.NodeShare; share < b.MinCoverage {
		res.Verdicts = append(res.Verdicts, Verdict{Budget: "coverage", Unit: ShareUnit, Got: share, Limit: b.MinCoverage, Uncosted: s.Uncosted})
	}
	return res, nil
}

// opCounts writes uncosted ops as Op×count items.
func opCounts(ops []inspect.OpCount) string {
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = fmt.Sprintf("%s×%d", o.Op, o.Count)
	}
	return strings.Join(parts, " ")
}
