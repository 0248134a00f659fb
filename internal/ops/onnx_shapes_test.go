package ops_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// testdata/onnx_shapes.json holds single-node cases whose output shapes
// and element types come from onnx's shape inference (strict mode),
// written by
//
//	/usr/bin/python3 testdata/gen/make_rule_shapes.py
//
// Each family's test file checks its own cases with checkONNXShapes.
type onnxCase struct {
	Family, Name, Op string
	Opset            int64
	Inputs           []onnxTensor
	Weights          []onnxTensor
	NodeInputs       []string `json:"node_inputs"`
	Attrs            map[string]onnxAttr
	Outputs          []string
	Shapes           [][]int64
	DTypes           []graph.DType
}

type onnxTensor struct {
	Name   string
	DType  graph.DType
	Shape  []int64
	Ints   []int64
	Floats []float64
}

type onnxAttr struct {
	I      *int64
	F      *float64
	S      *string
	Ints   []int64
	Floats []float64
	T      *onnxTensor
}

func (a onnxAttr) graphAttr() *graph.Attr {
	switch {
	case a.I != nil:
		return &graph.Attr{Kind: graph.AttrInt, I: *a.I}
	case a.F != nil:
		return &graph.Attr{Kind: graph.AttrFloat, F: *a.F}
	case a.S != nil:
		return &graph.Attr{Kind: graph.AttrString, S: *a.S}
	case a.T != nil:
		return &graph.Attr{Kind: graph.AttrTensor, T: &graph.Tensor{
			DType: a.T.DType, Shape: a.T.Shape, HasShape: true, Ints: a.T.Ints, Floats: a.T.Floats}}
	case a.Floats != nil:
		return &graph.Attr{Kind: graph.AttrFloats, Floats: a.Floats}
	}
	return &graph.Attr{Kind: graph.AttrInts, Ints: a.Ints}
}

func (c onnxCase) model() *graphtest.Builder {
	b := graphtest.New().Opset("", c.Opset)
	for _, in := range c.Inputs {
		dims := make([]any, len(in.Shape))
		for i, d := range in.Shape {
			dims[i] = d
		}
		b.Input(in.Name, in.DType, dims...)
	}
	for _, w := range c.Weights {
		if w.DType.IsFloat() {
			b.Floats(w.Name, w.DType, w.Shape, w.Floats...)
		} else {
			b.Ints(w.Name, w.DType, w.Shape, w.Ints...)
		}
	}
	n := b.Node(c.Op, c.NodeInputs...)
	for name, a := range c.Attrs {
		n.Attr(name, a.graphAttr())
	}
	return n.Out(c.Outputs...).Outputs(c.Outputs...)
}

// checkONNXShapes runs a family's cases through the analyzer and compares
// the output shapes and element types with onnx's.
func checkONNXShapes(t *testing.T, family string) {
	t.Helper()
	data, err := os.ReadFile("testdata/onnx_shapes.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Cases []onnxCase }
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range file.Cases {
		if c.Family != family {
			continue
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			r := analyzeModel(t, c.model())
			if got := outputShapes(r); !slices.EqualFunc(got, c.Shapes, slices.Equal) {
				t.Errorf("%s opset %d: shapes %v, onnx infers %v", c.Op, c.Opset, got, c.Shapes)
			}
			for i, o := range r.Outputs {
				if want := c.DTypes[i].String(); o.DType != want {
					t.Errorf("%s opset %d: output %d is %s, onnx infers %s", c.Op, c.Opset, i, o.DType, want)
				}
			}
		})
	}
	if n == 0 {
		t.Fatalf("no %s cases in testdata/onnx_shapes.json", family)
	}
}
