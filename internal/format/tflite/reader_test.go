package tflite_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/tflite"
	"github.com/netscore/netscore/internal/graph"
)

// TestFreeDims: shape_signature's -1 are free dims; the batch takes 1,
// height and width make the figures guessed (as for ONNX).
func TestFreeDims(t *testing.T) {
	m, err := tflite.Load(filepath.Join(fixtures, "ops", "free_dims.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var idx []int
	for _, g := range r.Guessed {
		idx = append(idx, g.Index)
	}
	if !slices.Equal(idx, []int{1, 2}) {
		t.Errorf("guessed dims %v, want x[1] and x[2]", r.Guessed)
	}
	r, err = analyze.Analyze(m, analyze.Options{Inputs: map[string][]int64{"x": {2, 16, 16, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Guessed) != 0 || !slices.Equal(r.Outputs[0].Shape, []int64{2, 16, 16, 3}) {
		t.Errorf("bound to 2x16x16x3: guessed %v, output %v", r.Guessed, r.Outputs[0].Shape)
	}
}

// TestModel: what the reader records beside the graph, on the fixtures
// testdata/gen/make_tflite_ops.py writes.
func TestModel(t *testing.T) {
	m, err := tflite.Load(filepath.Join(fixtures, "ops", "conv_int8_same_s2.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	meta, ok := m.Meta.(*tflite.Meta)
	if !ok || meta.Version != 3 || meta.Producer() != "netscore test fixture" || meta.OperatorSets() != nil {
		t.Errorf("meta %#v", m.Meta)
	}
	if m.Format != "tflite" || len(m.Subgraphs) != 1 || m.Subgraphs[0] != m.Graph {
		t.Errorf("format %q, %d subgraphs", m.Format, len(m.Subgraphs))
	}
	w := m.Graph.Tensors["w"]
	if w == nil || w.Role != graph.Weight || w.Quant == nil || !slices.Equal(w.Quant.Scales, []float64{float64(float32(0.1)), float64(float32(0.2)), float64(float32(0.3)), float64(float32(0.4))}) || w.Quant.Axis != 0 {
		t.Errorf("weight w: %+v", w)
	}
	if w != nil && (w.Data.Length != 4*27 || w.Data.Offset <= 0) {
		t.Errorf("weight w's data %+v, want 108 bytes in the file", w.Data)
	}
	n := m.Graph.Nodes[0]
	if n.Op != "CONV_2D" || n.Domain != tflite.Domain || n.Layout != (graph.Layout{Data: graph.NHWC, Weight: graph.OHWI}) ||
		!slices.Equal(n.Attrs["strides"].Ints, []int64{2, 2}) || n.Attrs["auto_pad"].S != "SAME_UPPER" || n.Attrs["fused_activation_function"].S != "RELU6" {
		t.Errorf("node %+v", n)
	}

	m, err = tflite.Load(filepath.Join(fixtures, "ops", "custom.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	n = m.Graph.Nodes[0]
	if n.Op != "NetscoreTestOp" || n.Domain != tflite.CustomDomain || n.Opaque == nil || n.Opaque.Format != "tflite" || string(n.Opaque.Data) != "\x01\x02\x03" {
		t.Errorf("custom node %+v (opaque %+v)", n, n.Opaque)
	}

	// RELU_0_TO_1 is builtin 152: only builtin_code can hold it.
	m, err = tflite.Load(filepath.Join(fixtures, "ops", "activations.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, n := range m.Graph.Nodes {
		ops = append(ops, n.Op)
	}
	if !slices.Contains(ops, "RELU_0_TO_1") {
		t.Errorf("ops %v lack RELU_0_TO_1", ops)
	}
}
