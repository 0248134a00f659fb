package analyze_test

import (
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// srBranches is Silero VAD's shape of choice: an int64 sample rate input
// decides, through Equal and If, which branch runs. Here the 16 kHz branch
// is a MatMul of [1,64] by [64,32] (64·32 = 2,048 MACs by the definition of
// a matrix product) and the other a MatMul of [1,64] by [64,8] (512 MACs).
func srBranches(t *testing.T) *graph.Model {
	t.Helper()
	branch := func(name string, n int64) *graph.Graph {
		g := graphtest.New().Weight(name+"_w", graph.Float32, 64, n).
			Node("MatMul", "x", name+"_w").Out(name + "_y").Outputs(name + "_y").Model().Graph
		return g
	}
	m := graphtest.New().
		Input("x", graph.Float32, 1, 64).
		Input("sr", graph.Int64).
		Ints("k16", graph.Int64, []int64{}, 16000).
		Node("Equal", "sr", "k16").Out("is16").
		Node("If", "is16").Attr("then_branch", &graph.Attr{Kind: graph.AttrGraph, G: branch("then", 32)}).
		Attr("else_branch", &graph.Attr{Kind: graph.AttrGraph, G: branch("else", 8)}).Out("y").
		Outputs("y").Model()
	for _, a := range m.Graph.Nodes[1].Attrs {
		a.G.Parent = m.Graph
	}
	return m
}

func TestValueDecidesIf(t *testing.T) {
	for _, c := range []struct {
		sr   float64
		macs int64
	}{{16000, 64 * 32}, {8000, 64 * 8}} {
		r, err := analyze.Analyze(srBranches(t), analyze.Options{Values: map[string][]float64{"sr": {c.sr}}})
		if err != nil {
			t.Fatal(err)
		}
		if r.MACs != c.macs {
			t.Errorf("sr %v: %d MACs, want %d", c.sr, r.MACs, c.macs)
		}
	}
	// Unknown at analysis time, the costlier branch counts, with a warning.
	r, err := analyze.Analyze(srBranches(t), analyze.Options{})
	if err != nil || r.MACs != 64*32 || len(r.Warnings) == 0 {
		t.Errorf("no value: %v MACs, warnings %q, %v", r.MACs, r.Warnings, err)
	}
	if _, err := analyze.Analyze(srBranches(t), analyze.Options{Values: map[string][]float64{"sr": {16000.5}}}); err == nil {
		t.Error("a fractional value for an int64 input was accepted")
	}
}
