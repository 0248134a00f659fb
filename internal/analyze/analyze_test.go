package analyze

import (
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/graph"
)

// builder assembles small graphs by hand.
type builder struct{ g *graph.Graph }

func newBuilder() *builder { return &builder{graph.NewGraph("main", nil)} }

func (b *builder) input(name string, dt graph.DType, dims ...int64) {
	t := &graph.Tensor{Name: name, DType: dt, Role: graph.Input, HasDeclared: true}
	for _, d := range dims {
		t.Declared = append(t.Declared, graph.Dim{Value: d})
	}
	b.g.Tensors[name] = t
	b.g.Inputs = append(b.g.Inputs, name)
}

func (b *builder) weight(name string, dt graph.DType, ints []int64, dims ...int64) {
	b.g.Tensors[name] = &graph.Tensor{Name: name, DType: dt, Role: graph.Weight, Shape: dims, HasShape: true, Ints: ints}
}

func (b *builder) node(op string, ins, outs []string, attrs map[string]*graph.Attr) {
	if attrs == nil {
		attrs = map[string]*graph.Attr{}
	}
	b.g.Nodes = append(b.g.Nodes, &graph.Node{Name: op + "_" + outs[0], Op: op, Opset: 13, Inputs: ins, Outputs: outs, Attrs: attrs})
	for _, o := range outs {
		b.g.Tensors[o] = &graph.Tensor{Name: o}
	}
}

func (b *builder) run(t *testing.T, opt Options) *Result {
	t.Helper()
	r, err := Analyze(&graph.Model{Path: "test.onnx", Format: "onnx", Graph: b.g}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Peak live memory over the schedule, worked by hand: with 768-byte
// tensors, in -> r1 -> r2 and Add(r1, r2) holds in/r1 (1536 B), then
// r1+r2+out (2304 B) at the Add.
func TestPeakActivation(t *testing.T) {
	b := newBuilder()
	b.input("in", graph.Float32, 1, 3, 8, 8)
	b.node("Relu", []string{"in"}, []string{"r1"}, nil)
	b.node("Relu", []string{"r1"}, []string{"r2"}, nil)
	b.node("Add", []string{"r1", "r2"}, []string{"out"}, nil)
	b.g.Outputs = []string{"out"}
	r := b.run(t, Options{})
	if r.PeakActivationBytes != 3*768 || r.ActivationBytes != 3*768 {
		t.Errorf("peak %d, total %d; want 2304, 2304", r.PeakActivationBytes, r.ActivationBytes)
	}
}

// Parameters follow docs/counting.md: data operands count once; shapes,
// indices, scalars and BatchNorm statistics do not.
func TestParamClassification(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 2, 4)
	b.input("ids", graph.Int64, 3)
	b.weight("W", graph.Float32, nil, 4, 4)          // read by two MatMuls: 16 once
	b.weight("half", graph.Float32, nil)             // scalar literal
	b.weight("shape", graph.Int64, []int64{1, 8}, 2) // Reshape target
	b.weight("table", graph.Float32, nil, 10, 8)     // embedding: 80
	b.weight("scale", graph.Float32, nil, 8)         // BN: 8 + 8 params
	b.weight("bias", graph.Float32, nil, 8)
	b.weight("mean", graph.Float32, nil, 8) // BN statistics: 16 buffers
	b.weight("var", graph.Float32, nil, 8)
	b.node("MatMul", []string{"x", "W"}, []string{"a"}, nil)
	b.node("MatMul", []string{"a", "W"}, []string{"b2"}, nil)
	b.node("Mul", []string{"b2", "half"}, []string{"c"}, nil)
	b.node("Reshape", []string{"c", "shape"}, []string{"d"}, nil)
	b.node("Gather", []string{"table", "ids"}, []string{"e"}, nil)
	b.node("BatchNormalization", []string{"d", "scale", "bias", "mean", "var"}, []string{"f"}, nil)
	b.g.Outputs = []string{"f", "e"}
	r := b.run(t, Options{})
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
	b := newBuilder()
	b.input("x", graph.Float32, 2)
	b.node("Add", []string{"x", "q"}, []string{"p"}, nil)
	b.node("Relu", []string{"p"}, []string{"q"}, nil)
	b.g.Outputs = []string{"q"}
	_, err := Analyze(&graph.Model{Path: "c.onnx", Graph: b.g}, Options{})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("err = %v", err)
	}
}

func TestBindingErrors(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 1, 3)
	b.node("Relu", []string{"x"}, []string{"y"}, nil)
	b.g.Outputs = []string{"y"}
	m := &graph.Model{Path: "b.onnx", Graph: b.g}
	if _, err := Analyze(m, Options{Inputs: map[string][]int64{"nope": {1}}}); err == nil || !strings.Contains(err.Error(), "no input of that name") {
		t.Errorf("unknown input: %v", err)
	}
	if _, err := Analyze(m, Options{Inputs: map[string][]int64{"x": {1, 3, 5}}}); err == nil || !strings.Contains(err.Error(), "declares 2") {
		t.Errorf("rank mismatch: %v", err)
	}
}

// A node without a rule is reported, never counted as zero silently.
func TestUncosted(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 4, 4)
	b.weight("W", graph.Float32, nil, 4, 4)
	b.node("MysteryOp", []string{"x", "W"}, []string{"y"}, nil)
	b.node("Relu", []string{"y"}, []string{"z"}, nil)
	b.g.Outputs = []string{"z"}
	r := b.run(t, Options{})
	if r.Uncosted["MysteryOp"] != 1 || r.NodesCosted != 0 || r.ParamsUncosted != 16 {
		t.Errorf("uncosted %v, costed %d, params in uncosted %d", r.Uncosted, r.NodesCosted, r.ParamsUncosted)
	}
}

// Identity copies of one stored tensor (PyTorch's exporter writes equal
// biases once) count once per copy, as the source model has them.
func TestIdentityAliases(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 2, 8)
	b.weight("bias", graph.Float32, nil, 8)
	b.node("Identity", []string{"bias"}, []string{"bias_copy"}, nil)
	b.node("Add", []string{"x", "bias"}, []string{"y"}, nil)
	b.node("Add", []string{"y", "bias_copy"}, []string{"z"}, nil)
	b.g.Outputs = []string{"z"}
	if r := b.run(t, Options{}); r.Params != 16 {
		t.Errorf("params %d, want 16", r.Params)
	}
}

// Shape arithmetic through ReduceMax and Tile resolves: Reshape(x, [max
// of x's dims, -1]) of a 2x3x4 input is 4x6, and Reshape to Tile([2, 3],
// 2) = [2, 3, 2, 3] of a 36-element input keeps those dims.
func TestReduceAndTileValues(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 2, 3, 4)
	b.input("y", graph.Float32, 36)
	b.weight("minus1", graph.Int64, []int64{-1}, 1)
	b.weight("axes0", graph.Int64, []int64{0}, 1)
	b.weight("base", graph.Int64, []int64{2, 3}, 2)
	b.weight("reps", graph.Int64, []int64{2}, 1)
	b.node("Shape", []string{"x"}, []string{"s"}, nil)
	b.node("ReduceMax", []string{"s"}, []string{"m"}, map[string]*graph.Attr{"keepdims": {Kind: graph.AttrInt, I: 1}})
	b.node("Concat", []string{"m", "minus1"}, []string{"target"}, map[string]*graph.Attr{"axis": {Kind: graph.AttrInt, I: 0}})
	b.node("Reshape", []string{"x", "target"}, []string{"r1"}, nil)
	b.node("Tile", []string{"base", "reps"}, []string{"tiled"}, nil)
	b.node("Reshape", []string{"y", "tiled"}, []string{"r2"}, nil)
	b.g.Outputs = []string{"r1", "r2"}
	r := b.run(t, Options{})
	if got := r.Outputs[0].Shape; len(got) != 2 || got[0] != 4 || got[1] != 6 {
		t.Errorf("reshape through ReduceMax: %v, want [4 6]", got)
	}
	if got := r.Outputs[1].Shape; len(got) != 4 || got[0] != 2 || got[1] != 3 || got[2] != 2 || got[3] != 3 {
		t.Errorf("reshape through Tile: %v, want [2 3 2 3]", got)
	}
}

// Inconsistent files are not given made-up numbers: a Conv whose weight
// expects other channels, a Gemm whose inner dims differ, a window larger
// than its padded input are reported and left uncosted.
func TestInconsistentNodes(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 1, 3, 8, 8)
	b.input("a", graph.Float32, 2, 3)
	b.weight("w", graph.Float32, nil, 4, 5, 3, 3)
	b.weight("k", graph.Float32, nil, 4, 3, 9, 9)
	b.weight("g", graph.Float32, nil, 5, 7)
	b.node("Conv", []string{"x", "w"}, []string{"c1"}, nil)
	b.node("Conv", []string{"x", "k"}, []string{"c2"}, nil)
	b.node("Gemm", []string{"a", "g"}, []string{"m"}, nil)
	b.g.Outputs = []string{"c1", "c2", "m"}
	r := b.run(t, Options{})
	if r.NodesCosted != 0 || r.MACs != 0 || r.Uncosted["Conv"] != 2 || r.Uncosted["Gemm"] != 1 {
		t.Errorf("costed %d, MACs %d, uncosted %v", r.NodesCosted, r.MACs, r.Uncosted)
	}
	all := strings.Join(r.Warnings, "\n")
	for _, want := range []string{"input has 3 channels but the weight", "larger than the padded input", "gemm inner dims differ"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

// A model-local function's attribute references take the caller's values,
// or the function's defaults: Transpose with perm from the caller.
func TestFunctionAttributeRefs(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 2, 3)
	b.node("T", []string{"x"}, []string{"y"}, map[string]*graph.Attr{"p": {Kind: graph.AttrInts, Ints: []int64{1, 0}}})
	b.g.Nodes[0].Domain = "local"
	b.g.Outputs = []string{"y"}
	fn := &graph.Function{Domain: "local", Name: "T", Inputs: []string{"in"}, Outputs: []string{"out"},
		Nodes: []*graph.Node{{Name: "tr", Op: "Transpose", Opset: 13, Inputs: []string{"in"}, Outputs: []string{"out"},
			Attrs: map[string]*graph.Attr{"perm": {Kind: graph.AttrInts, Ref: "p"}}}}}
	m := &graph.Model{Path: "f.onnx", Graph: b.g, Functions: map[string]*graph.Function{"local::T": fn}}
	r, err := Analyze(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Outputs[0].Shape; len(got) != 2 || got[0] != 3 || got[1] != 2 || r.NodesCosted != r.Nodes {
		t.Errorf("output %v, %d of %d nodes costed", got, r.NodesCosted, r.Nodes)
	}
}
