package analyze_test

import (
	"slices"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// TestSequenceMap mirrors the ONNX backend test
// node/test_sequence_map_extract_shapes: a sequence input of [H W 3]
// images, a body taking each element's Shape. Its expected output
// (output_0.pb) is a sequence of [3] tensors.
func TestSequenceMap(t *testing.T) {
	body := graph.NewGraph("body", nil)
	body.Tensors["x"] = &graph.Tensor{Name: "x", Role: graph.Input, DType: graph.Float32}
	body.Tensors["s"] = &graph.Tensor{Name: "s"}
	body.Inputs, body.Outputs = []string{"x"}, []string{"s"}
	body.Nodes = []*graph.Node{{Op: "Shape", Opset: 17, Inputs: []string{"x"}, Outputs: []string{"s"}}}
	m := graphtest.New().Opset("", 17).
		Input("in_seq", graph.Float32, "H", "W", 3).
		Node("SequenceMap", "in_seq").Attr("body", &graph.Attr{Kind: graph.AttrGraph, G: body}).Out("shapes").
		Outputs("shapes").Model()
	in := m.Graph.Tensors["in_seq"]
	in.NotTensor, in.Nesting = true, []graph.ValueKind{graph.Sequence}
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := m.Graph.Tensors["shapes"] // its Shape is its elements'
	if r.Outputs[0].Shape != nil {
		t.Errorf("a sequence output reports shape %v; want none (it is not a tensor)", r.Outputs[0].Shape)
	}
	if !slices.Equal(out.Shape, []int64{3}) || !out.NotTensor || !slices.Equal(out.Nesting, []graph.ValueKind{graph.Sequence}) {
		t.Errorf("output %v (not a tensor: %v, %v); want a sequence of [3] (warnings %v)", out.Shape, out.NotTensor, out.Nesting, r.Warnings)
	}
}
