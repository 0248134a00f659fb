package analyze

import (
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// run analyzes a model built in the test.
func run(t *testing.T, b *graphtest.Builder, opt Options) *Result {
	t.Helper()
	r, err := Analyze(b.Model(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Peak live memory over the schedule, worked by hand: with 768-byte
// tensors, in -> r1 -> r2 and Add(r1, r2) holds in/r1 (1536 B), then
// r1+r2+out (2304 B) at the Add.
func TestPeakActivation(t *testing.T) {
	b := graphtest.New().
		Input("in", graph.Float32, 1, 3, 8, 8).
		Node("Relu", "in").Out("r1").
		Node("Relu", "r1").Out("r2").
		Node("Add", "r1", "r2").Out("out").
		Outputs("out")
	r := run(t, b, Options{})
	if r.PeakActivationBytes != 3*768 || r.ActivationBytes != 3*768 {
		t.Errorf("peak %d, total %d; want 2304, 2304", r.PeakActivationBytes, r.ActivationBytes)
	}
}

// Parameters follow docs/counting.md: data operands count once; shapes,
// indices, scalars and BatchNorm statistics do not.
func TestParamClassification(t *testing.T) {
	b := graphtest.New().
		Input("x", graph.Float32, 2, 4).
		Input("ids", graph.Int64, 3).
		Weight("W", graph.Float32, 4, 4).      // read by two MatMuls: 16 once
		Weight("onnx::Mul_7", graph.Float32).  // scalar literal
		Int64s("shape", 1, 8).                 // Reshape target
		Weight("table", graph.Float32, 10, 8). // embedding: 80
		Weight("scale", graph.Float32, 8).     // BN: 8 + 8 params
		Weight("bias", graph.Float32, 8).
		Weight("mean", graph.Float32, 8). // BN statistics: 16 buffers
		Weight("var", graph.Float32, 8).
		Node("MatMul", "x", "W").Out("a").
		Node("MatMul", "a", "W").Out("b2").
		Node("Mul", "b2", "onnx::Mul_7").Out("c").
		Node("Reshape", "c", "shape").Out("d").
		Node("Gather", "table", "ids").Out("e").
		Node("BatchNormalization", "d", "scale", "bias", "mean", "var").Out("f").
		Outputs("f", "e")
	r := run(t, b, Options{})
	if r.Params != 16+80+16 || r.Buffers != 16 {
		t.Errorf("params %d buffers %d; want 112, 16", r.Params, r.Buffers)
	}
	if r.WeightBytes != 4*(112+16) {
		t.Errorf("weight bytes %d", r.WeightBytes)
	}
	// 2x4x4 twice.
	if r.MACs != 64 {
		t.Errorf("MACs %d, want 64", r.MACs)
	}
	if got := r.Outputs[0].Shape; len(got) != 2 || got[0] != 1 || got[1] != 8 {
		t.Errorf("reshaped to %v", got)
	}
}

func TestCycle(t *testing.T) {
	m := graphtest.New().
		Input("x", graph.Float32, 2).
		Node("Add", "x", "q").Out("p").
		Node("Relu", "p").Out("q").
		Outputs("q").Model()
	_, err := Analyze(m, Options{})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("err = %v", err)
	}
}

func TestBindingErrors(t *testing.T) {
	m := graphtest.New().
		Input("x", graph.Float32, 1, 3).
		Node("Relu", "x").Out("y").
		Outputs("y").Model()
	if _, err := Analyze(m, Options{Inputs: map[string][]int64{"nope": {1}}}); err == nil || !strings.Contains(err.Error(), "no input of that name") {
		t.Errorf("unknown input: %v", err)
	}
	if _, err := Analyze(m, Options{Inputs: map[string][]int64{"x": {1, 3, 5}}}); err == nil || !strings.Contains(err.Error(), "declares 2") {
		t.Errorf("rank mismatch: %v", err)
	}
}

// A symbolic dim takes its --dim value; one left unset becomes 1 with a
// warning naming it.
func TestSymbolicDims(t *testing.T) {
	build := func() *graphtest.Builder {
		return graphtest.New().
			Input("x", graph.Float32, "batch", 4).
			Weight("W", graph.Float32, 4, 5).
			Node("MatMul", "x", "W").Out("y").
			Outputs("y")
	}
	// batch x 4 x 5 MACs.
	if r := run(t, build(), Options{Dims: map[string]int64{"batch": 8}}); r.MACs != 8*4*5 {
		t.Errorf("batch 8: MACs %d, want 160", r.MACs)
	}
	r := run(t, build(), Options{})
	if r.MACs != 4*5 || !strings.Contains(strings.Join(r.Warnings, "\n"), `dim "batch" of input "x" is unset`) {
		t.Errorf("batch unset: MACs %d, warnings %q", r.MACs, r.Warnings)
	}
}

// A node without a rule is reported, never counted as zero silently.
func TestUncosted(t *testing.T) {
	b := graphtest.New().
		Input("x", graph.Float32, 4, 4).
		Weight("W", graph.Float32, 4, 4).
		Node("MysteryOp", "x", "W").Out("y").
		Node("Relu", "y").Out("z").
		Outputs("z")
	r := run(t, b, Options{})
	if r.Uncosted["MysteryOp"] != 1 || r.NodesCosted != 0 || r.ParamsUncosted != 16 {
		t.Errorf("uncosted %v, costed %d, params in uncosted %d", r.Uncosted, r.NodesCosted, r.ParamsUncosted)
	}
}

// Identity copies of one stored tensor (PyTorch's exporter writes equal
// biases once) count once per copy, as the source model has them.
func TestIdentityAliases(t *testing.T) {
	b := graphtest.New().
		Input("x", graph.Float32, 2, 8).
		Weight("bias", graph.Float32, 8).
		Node("Identity", "bias").Out("bias_copy").
		Node("Add", "x", "bias").Out("y").
		Node("Add", "y", "bias_copy").Out("z").
		Outputs("z")
	if r := run(t, b, Options{}); r.Params != 16 {
		t.Errorf("params %d, want 16", r.Params)
	}
}

// Shape arithmetic through ReduceMax and Tile resolves: Reshape(x, [max
// of x's dims, -1]) of a 2x3x4 input is 4x6, and Reshape to Tile([2, 3],
// 2) = [2, 3, 2, 3] of a 36-element input keeps those dims.
func TestReduceAndTileValues(t *testing.T) {
	b := graphtest.New().
		Input("x", graph.Float32, 2, 3, 4).
		Input("y", graph.Float32, 36).
		Int64s("minus1", -1).
		Int64s("base", 2, 3).
		Int64s("reps", 2).
		Node("Shape", "x").Out("s").
		Node("ReduceMax", "s").Int("keepdims", 1).Out("m").
		Node("Concat", "m", "minus1").Int("axis", 0).Out("target").
		Node("Reshape", "x", "target").Out("r1").
		Node("Tile", "base", "reps").Out("tiled").
		Node("Reshape", "y", "tiled").Out("r2").
		Outputs("r1", "r2")
	r := run(t, b, Options{})
	if got := r.Outputs[0].Shape; len(got) != 2 || got[0] != 4 || got[1] != 6 {
		t.Errorf("reshape through ReduceMax: %v, want [4 6]", got)
	}
	if got := r.Outputs[1].Shape; len(got) != 4 || got[0] != 2 || got[1] != 3 || got[2] != 2 || got[3] != 3 {
		t.Errorf("reshape through Tile: %v, want [2 3 2 3]", got)
	}
}

// A model-local function's attribute references take the caller's values,
// or the function's defaults: Transpose with perm from the caller.
func TestFunctionAttributeRefs(t *testing.T) {
	fn := &graph.Function{Domain: "local", Name: "T", Inputs: []string{"in"}, Outputs: []string{"out"},
		Nodes: []*graph.Node{{Name: "tr", Op: "Transpose", Opset: 13, Inputs: []string{"in"}, Outputs: []string{"out"},
			Attrs: map[string]*graph.Attr{"perm": {Kind: graph.AttrInts, Ref: "p"}}}}}
	b := graphtest.New().
		Input("x", graph.Float32, 2, 3).
		Node("T", "x").Domain("local").Ints("p", 1, 0).Out("y").
		Outputs("y").
		Function(fn)
	r := run(t, b, Options{})
	if got := r.Outputs[0].Shape; len(got) != 2 || got[0] != 3 || got[1] != 2 || r.NodesCosted != r.Nodes {
		t.Errorf("output %v, %d of %d nodes costed", got, r.NodesCosted, r.Nodes)
	}
}
