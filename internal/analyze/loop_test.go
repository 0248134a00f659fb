package analyze_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
	"github.com/netscore/netscore/internal/inspect"
)

// loopModel is ONNX's Loop(M, cond, x) over a body v -> MatMul(v, w) with
// x [1,4] and w [4,4]: 1 x 4 x 4 = 16 MACs per trip (the MatMul's
// M x K x N). M is a graph input (trips "M") or absent (trips "").
func loopModel(trips string) *graph.Model {
	b := graphtest.New().
		Input("x", graph.Float32, 1, 4).
		Ints("cond", graph.Bool, []int64{}, 1)
	if trips != "" {
		b.Input(trips, graph.Int64)
	}
	m := b.Node("Loop", trips, "cond", "x").Name("loop").Out("y").Outputs("y").Model()
	body := graph.NewGraph("body", m.Graph)
	for _, in := range []struct {
		name string
		dt   graph.DType
	}{{"iter", graph.Int64}, {"c", graph.Bool}, {"v", graph.Float32}} {
		body.Tensors[in.name] = &graph.Tensor{Name: in.name, DType: in.dt, Role: graph.Input}
		body.Inputs = append(body.Inputs, in.name)
	}
	body.Tensors["w"] = &graph.Tensor{Name: "w", DType: graph.Float32, Role: graph.Weight, Shape: []int64{4, 4}, HasShape: true}
	body.Tensors["c_out"], body.Tensors["v_out"] = &graph.Tensor{Name: "c_out"}, &graph.Tensor{Name: "v_out"}
	body.Nodes = []*graph.Node{
		{Name: "keep", Op: "Identity", Opset: 13, Inputs: []string{"c"}, Outputs: []string{"c_out"}},
		{Name: "mm", Op: "MatMul", Opset: 13, Inputs: []string{"v", "w"}, Outputs: []string{"v_out"}},
	}
	body.Outputs = []string{"c_out", "v_out"}
	m.Graph.Nodes[0].Attrs["body"] = &graph.Attr{Kind: graph.AttrGraph, G: body}
	return m
}

// A Loop whose trip count is known only at run time counts its body once
// and is itself uncosted, so the totals are lower bounds (Complete false)
// and a warning names it; --value M=4 makes the count exact: 4 x 16.
func TestLoopTripCount(t *testing.T) {
	const reason = "trip count known only at run time; body counted once"
	for _, tc := range []struct {
		name     string
		trips    string
		values   map[string][]float64
		macs     int64
		complete bool
	}{
		{"M a graph input", "M", nil, 16, false},
		{"no M", "", nil, 16, false},
		{"M set by --value", "M", map[string][]float64{"M": {4}}, 4 * 16, true},
		{"M set to 0", "M", map[string][]float64{"M": {0}}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := analyze.Analyze(loopModel(tc.trips), analyze.Options{Values: tc.values})
			if err != nil {
				t.Fatal(err)
			}
			s := inspect.Summarize(r, inspect.Options{})
			if r.MACs != tc.macs || s.Complete != tc.complete || r.Params != 16 {
				t.Errorf("MACs %d, params %d, complete %v; want %d, 16, %v", r.MACs, r.Params, s.Complete, tc.macs, tc.complete)
			}
			if !slices.Equal(r.Outputs[0].Shape, []int64{1, 4}) {
				t.Errorf("output %v, want [1 4]", r.Outputs[0].Shape)
			}
			var loop analyze.Layer
			for _, l := range r.Layers {
				if l.Name == "loop" {
					loop = l
				}
			}
			w := strings.Join(r.Warnings, "\n")
			if tc.complete {
				if len(r.Uncosted) != 0 || !loop.Costed || w != "" {
					t.Errorf("uncosted %v, loop layer %+v, warnings %q; want an exact count", r.Uncosted, loop, r.Warnings)
				}
				return
			}
			if r.Uncosted["Loop"] != 1 || r.NodesCosted != r.Nodes-1 || loop.Costed || loop.Reason != reason {
				t.Errorf("uncosted %v, %d of %d costed, loop layer %+v; want the Loop alone uncosted for %q", r.Uncosted, r.NodesCosted, r.Nodes, loop, reason)
			}
			if !strings.Contains(w, `node "loop" (Loop): `+reason) {
				t.Errorf("warnings %q; want the loop named with %q", r.Warnings, reason)
			}
		})
	}
}
