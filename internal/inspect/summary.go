// Package inspect analyses model files: it opens each with the format
// registry, runs the analysis and summarises it in one data model (Summary)
// that every report format renders.
package inspect

import (
	"sort"

	"github.com/netscore/netscore/internal/analyze"
)

// Convention names the MAC counting convention.
type Convention string

const (
	Core Convention = "core" // conv, matmul-like and recurrent MACs only
	All  Convention = "all"  // plus normalisation, pooling, activations, elementwise
)

// Options shape every report.
type Options struct {
	MACs   Convention
	Layers bool
}

// Tensor is a graph input or output. Unknown dims are -1.
type Tensor struct {
	Name  string  `json:"name"`
	DType string  `json:"dtype"`
	Shape []int64 `json:"shape"`
}

// Coverage says how much of the model the rules could cost.
type Coverage struct {
	Nodes       int     `json:"nodes"`
	NodesCosted int     `json:"nodes_costed"`
	NodeShare   float64 `json:"node_share"`
	ParamsShare float64 `json:"params_share"` // params read by costed nodes / all params
}

// OpCount is an operator and how many nodes use it.
type OpCount struct {
	Op    string `json:"op"`
	Count int    `json:"count"`
}

// Layer is one node's row.
type Layer struct {
	Name         string    `json:"name"`
	Op           string    `json:"op"`
	Scope        string    `json:"scope,omitempty"`
	OutputShapes [][]int64 `json:"output_shapes"`
	Params       int64     `json:"params"`
	MACs         int64     `json:"macs"`
	FLOPs        int64     `json:"flops"`
	Share        float64   `json:"share"` // of the model's MACs (FLOPs when MACs are 0)
	Repeat       int64     `json:"repeat,omitempty"`
	Costed       bool      `json:"costed"`
	InTotal      bool      `json:"in_total"`
	Reason       string    `json:"reason,omitempty"`
}

// Summary is the stable, documented record of one model (docs/json.md).
type Summary struct {
	Model    string           `json:"model"`
	Format   string           `json:"format"`
	Producer string           `json:"producer,omitempty"` // from the format's metadata
	Opsets   map[string]int64 `json:"opsets,omitempty"`   // operator sets as the format names them; none for formats without

	MACsConvention   Convention               `json:"macs_convention"`
	ParamsConvention analyze.ParamsConvention `json:"params_convention"` // learned or stored (docs/counting.md)
	// Shapes is "exact" when every input dim was fixed by the file or set
	// by the user, "guessed" when a free dim took a size nobody gave
	// (GuessedDims); InputHints propose the --input values that fix them.
	Shapes      string               `json:"shapes"`
	GuessedDims []analyze.GuessedDim `json:"guessed_dims,omitempty"`
	InputHints  []string             `json:"input_hints,omitempty"`
	// SkippedInputs are --input/--value names this model has no input of.
	SkippedInputs       []string         `json:"skipped_inputs,omitempty"`
	Params              int64            `json:"params"`
	Buffers             int64            `json:"buffers"`
	MACs                int64            `json:"macs"`
	FLOPs               int64            `json:"flops"`
	WeightBytes         int64            `json:"weight_bytes"`
	WeightBytesByDType  map[string]int64 `json:"weight_bytes_by_dtype"`
	ActivationBytes     int64            `json:"activation_bytes"`
	PeakActivationBytes int64            `json:"peak_activation_bytes"`
	Inputs              []Tensor         `json:"inputs"`
	Outputs             []Tensor         `json:"outputs"`
	OpHistogram         []OpCount        `json:"op_histogram"`
	// Quantization is the model's scheme, its weights' and activations'
	// types and quantization (docs/output.md).
	Quantization *analyze.Quantization `json:"quantization"`
	// Complete is false when some node could not be costed: MACs and
	// FLOPs are then lower bounds.
	Complete bool `json:"complete"`
	// ParamsLowerBound is set when params are a lower bound too: a node
	// reads an accelerator's compiled blobs (a Vela-compiled model), whose
	// layers' params are not counted.
	ParamsLowerBound bool      `json:"params_lower_bound,omitempty"`
	Coverage         Coverage  `json:"coverage"`
	Uncosted         []OpCount `json:"uncosted"`
	Layers           []Layer   `json:"layers,omitempty"`
	Warnings         []string  `json:"warnings"`
}

// What Summary.Shapes says.
const (
	ShapesExact   = "exact"
	ShapesGuessed = "guessed"
)

// Guessed reports whether the figures rest on guessed input sizes.
func (s *Summary) Guessed() bool { return s.Shapes == ShapesGuessed }

// GuessedText names the guessed dims and the flag that sets them.
func (s *Summary) GuessedText() string { return analyze.GuessedText(s.GuessedDims, s.InputHints) }

// RefuseGuessed is the error of a job that must not rest on guessed input
// sizes, unless assume (--assume-free-dims) accepts the guess.
func (s *Summary) RefuseGuessed(assume int64) error {
	if !s.Guessed() || assume > 0 {
		return nil
	}
	return &analyze.FreeDimsError{Model: s.Model, Guessed: s.GuessedDims, Hints: s.InputHints}
}

// Summarize builds the report model of one analysis.
func Summarize(r *analyze.Result, opt Options) *Summary {
	conv := opt.MACs
	if conv == "" {
		conv = Core
	}
	macs := func(m, o int64) int64 {
		if conv == All {
			return sat(m + o)
		}
		return m
	}
	s := &Summary{
		Model: r.Model.Path, Format: r.Model.Format,
		MACsConvention: conv, ParamsConvention: r.ParamsConvention, Params: r.Params, Buffers: r.Buffers,
		MACs: macs(r.MACs, r.Ops), FLOPs: r.FLOPs(), WeightBytes: r.WeightBytes,
		WeightBytesByDType: r.WeightBytesByDType, ActivationBytes: r.ActivationBytes,
		PeakActivationBytes: r.PeakActivationBytes, Warnings: r.Warnings,
		OpHistogram: counts(r.OpHistogram), Uncosted: counts(r.Uncosted), Quantization: r.Quantization,
	}
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	if meta := r.Model.Meta; meta != nil { // the format's own naming: ONNX says "ai.onnx"
		s.Producer = meta.Producer()
		if sets := meta.OperatorSets(); len(sets) > 0 {
			s.Opsets = sets
		}
	}
	for _, io := range r.Inputs {
		s.Inputs = append(s.Inputs, Tensor(io))
	}
	for _, io := range r.Outputs {
		s.Outputs = append(s.Outputs, Tensor(io))
	}
	s.Shapes, s.GuessedDims, s.InputHints, s.SkippedInputs = ShapesExact, r.Guessed, r.Hints, r.SkippedInputs
	if len(r.Guessed) > 0 {
		s.Shapes = ShapesGuessed
	}
	s.Complete = r.NodesCosted == r.Nodes
	s.ParamsLowerBound = r.ParamsHidden
	s.Coverage = Coverage{Nodes: r.Nodes, NodesCosted: r.NodesCosted, NodeShare: 1, ParamsShare: 1}
	if r.Nodes > 0 {
		s.Coverage.NodeShare = float64(r.NodesCosted) / float64(r.Nodes)
	}
	if r.Params > 0 {
		s.Coverage.ParamsShare = float64(r.Params-r.ParamsUncosted) / float64(r.Params)
	}
	if opt.Layers {
		s.Layers = []Layer{}
		for _, l := range r.Layers {
			row := Layer{
				Name: l.Name, Op: l.Op, Scope: l.Scope, OutputShapes: l.OutputShapes, Params: l.Params,
				MACs: macs(l.MACs, l.Ops), FLOPs: l.FLOPs(), Costed: l.Costed, InTotal: l.InTotal, Reason: l.Reason,
			}
			if l.Repeat != 1 {
				row.Repeat = l.Repeat
			}
			if row.OutputShapes == nil {
				row.OutputShapes = [][]int64{}
			}
			switch {
			case s.MACs > 0:
				row.Share = float64(row.MACs) / float64(s.MACs)
			case s.FLOPs > 0:
				row.Share = float64(row.FLOPs) / float64(s.FLOPs)
			}
			s.Layers = append(s.Layers, row)
		}
	}
	return s
}

func sat(v int64) int64 {
	if v < 0 {
		return 1<<63 - 1
	}
	return v
}

// counts sorts an op histogram by count, then name.
func counts(m map[string]int) []OpCount {
	out := make([]OpCount, 0, len(m))
	for op, n := range m {
		out = append(out, OpCount{op, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Op < out[j].Op
	})
	return out
}
