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
	r, err := Analyze(&graph.Model{Path: "test.onnx", Format: "onnx", Opsets: map[string]int64{"": 13}, Graph: b.g}, opt)
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
	_, err := Analyze(&graph.Model{Path: "c.onnx", Opsets: map[string]int64{"": 13}, Graph: b.g}, Options{})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("err = %v", err)
	}
}

func TestBindingErrors(t *testing.T) {
	b := newBuilder()
	b.input("x", graph.Float32, 1, 3)
	b.node("Relu", []string{"x"}, []string{"y"}, nil)
	b.g.Outputs = []string{"y"}
	m := &graph.Model{Path: "b.onnx", Opsets: map[string]int64{"": 13}, Graph: b.g}
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
