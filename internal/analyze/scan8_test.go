package analyze_test

import (
	"slices"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
)

// TestScan8 runs the batched Scan of opset 8 as the ONNX backend test
// node/test_scan_sum builds it: initial [1 2], x [1 3 2], a body adding
// each step to the running sum. Its expected outputs (output_0.pb,
// output_1.pb) are y [1 2] and z [1 3 2]; the body's Add costs 2 ops (one
// per element, docs/counting.md) on each of 1 x 3 runs.
func TestScan8(t *testing.T) {
	body := graph.NewGraph("body", nil)
	for _, name := range []string{"sum_in", "next"} {
		body.Tensors[name] = &graph.Tensor{Name: name, Role: graph.Input, DType: graph.Float32}
	}
	body.Tensors["sum_out"] = &graph.Tensor{Name: "sum_out"}
	body.Tensors["scan_out"] = &graph.Tensor{Name: "scan_out"}
	body.Inputs, body.Outputs = []string{"sum_in", "next"}, []string{"sum_out", "scan_out"}
	body.Nodes = []*graph.Node{
		{Op: "Add", Opset: 8, Inputs: []string{"sum_in", "next"}, Outputs: []string{"sum_out"}},
		{Op: "Identity", Opset: 8, Inputs: []string{"sum_out"}, Outputs: []string{"scan_out"}},
	}
	g := graph.NewGraph("main", nil)
	body.Parent = g
	g.Tensors["initial"] = &graph.Tensor{Name: "initial", Role: graph.Input, DType: graph.Float32, HasDeclared: true, Declared: []graph.Dim{{Value: 1}, {Value: 2}}}
	g.Tensors["x"] = &graph.Tensor{Name: "x", Role: graph.Input, DType: graph.Float32, HasDeclared: true, Declared: []graph.Dim{{Value: 1}, {Value: 3}, {Value: 2}}}
	g.Tensors["y"], g.Tensors["z"] = &graph.Tensor{Name: "y"}, &graph.Tensor{Name: "z"}
	g.Inputs, g.Outputs = []string{"initial", "x"}, []string{"y", "z"}
	g.Nodes = []*graph.Node{{Name: "scan", Op: "Scan", Opset: 8, Inputs: []string{"", "initial", "x"}, Outputs: []string{"y", "z"},
		Attrs: map[string]*graph.Attr{"body": {Kind: graph.AttrGraph, G: body}, "num_scan_inputs": {Kind: graph.AttrInt, I: 1}}}}
	r, err := analyze.Analyze(&graph.Model{Path: "scan8", Format: "test", Graph: g}, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Outputs[0].Shape, []int64{1, 2}) || !slices.Equal(r.Outputs[1].Shape, []int64{1, 3, 2}) {
		t.Errorf("outputs %v %v, want [1 2] [1 3 2] (warnings %v)", r.Outputs[0].Shape, r.Outputs[1].Shape, r.Warnings)
	}
	if r.Ops != 6 {
		t.Errorf("%d ops, want 6", r.Ops)
	}
}
