package onnx_test

import (
	"maps"
	"testing"

	"github.com/netscore/netscore/internal/format/onnx"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
	"github.com/netscore/netscore/internal/graph"
)

// The reader states ONNX's layouts on the ops whose rules read them, so the
// rules never guess from op names.
func TestReaderSetsLayouts(t *testing.T) {
	channelsLast := func(v int64) []ot.Attr {
		return []ot.Attr{{Name: "channels_last", Type: 2, I: ot.Int(v)}}
	}
	m := ot.Relu(1, 4)
	m.Opsets = map[string]int64{"": 13, "com.microsoft": 1}
	want := map[string]graph.Layout{}
	for _, n := range []struct {
		op, domain string
		attrs      []ot.Attr
		layout     graph.Layout
	}{
		{"Conv", "", nil, graph.Layout{Data: graph.NCHW, Weight: graph.OIHW}},
		{"ConvTranspose", "", nil, graph.Layout{Data: graph.NCHW, Weight: graph.IOHW}},
		{"MaxPool", "", nil, graph.Layout{Data: graph.NCHW}},
		{"NhwcConv", "com.microsoft", nil, graph.Layout{Data: graph.NHWC, Weight: graph.OIHW}},
		{"NhwcMaxPool", "com.microsoft", nil, graph.Layout{Data: graph.NHWC}},
		{"QLinearAveragePool", "com.microsoft", channelsLast(1), graph.Layout{Data: graph.NHWC}},
		{"QLinearGlobalAveragePool", "com.microsoft", channelsLast(0), graph.Layout{Data: graph.NCHW}},
		{"Add", "", nil, graph.Layout{}},
	} {
		name := n.domain + n.op
		m.Graph.Nodes = append(m.Graph.Nodes, ot.Node{Name: name, Op: n.op, Domain: n.domain, In: []string{"x"}, Out: []string{name + "_out"}, Attrs: n.attrs})
		want[name] = n.layout
	}
	_, g, err := loadModel(t, m)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, n := range g.Graph.Nodes {
		w, ok := want[n.Name]
		if !ok {
			continue
		}
		seen++
		if n.Layout != w {
			t.Errorf("%s: layout %v/%v, want %v/%v", n.Name, n.Layout.Data, n.Layout.Weight, w.Data, w.Weight)
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d nodes, want %d", seen, len(want))
	}
}

// IR version, producer and opsets are the format's: onnx.Meta, which names
// the default domain "ai.onnx" as ONNX does.
func TestReaderMeta(t *testing.T) {
	m := ot.Relu(1, 4)
	m.IRVersion, m.Producer = 8, "pytorch"
	m.Opsets = map[string]int64{"": 13, "com.microsoft": 1}
	_, g, err := loadModel(t, m)
	if err != nil {
		t.Fatal(err)
	}
	meta, ok := g.Meta.(*onnx.Meta)
	if !ok {
		t.Fatalf("Meta is %T, want *onnx.Meta", g.Meta)
	}
	if meta.IRVersion != 8 || meta.Producer() != "pytorch" {
		t.Errorf("IR version %d, producer %q; want 8, pytorch", meta.IRVersion, meta.Producer())
	}
	if got, want := meta.OperatorSets(), map[string]int64{"ai.onnx": 13, "com.microsoft": 1}; !maps.Equal(got, want) {
		t.Errorf("operator sets %v, want %v", got, want)
	}
}
