package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestReduceShapesFromONNX(t *testing.T) { checkONNXShapes(t, "reduce") }

// Reductions follow numpy's sum(axis, keepdims) (the ONNX Reduce* spec):
// reduced axes are dropped, or kept as 1 with keepdims (the default);
// no axes reduces all. Ops: one per input element, two for ReduceL2 and
// ReduceSumSquare (square, add).
func TestReduce(t *testing.T) {
	runCases(t, []ruleCase{{
		// opset 13 ReduceSum reads axes as an input.
		name: "ReduceSum axes input keepdims",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 4).Int64s("axes", 1).
			Node("ReduceSum", "x", "axes").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 1, 4}},
		ops:    24,
	}, {
		// opset 13 ReduceMean takes the attribute; -1 is the last axis.
		name: "ReduceMean negative axis no keepdims",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 4).
			Node("ReduceMean", "x").Ints("axes", -1).Int("keepdims", 0).Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3}},
		ops:    24,
	}, {
		name: "ReduceL2 over all axes",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 4).
			Node("ReduceL2", "x").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 1, 1}},
		ops:    48,
	}, {
		// opset 18 moved every Reduce*'s axes to an input.
		name: "ReduceMax opset 18",
		model: graphtest.New().Opset("", 18).
			Input("x", graph.Float32, 2, 3, 4).Int64s("axes", 0, 2).
			Node("ReduceMax", "x", "axes").Int("keepdims", 0).Out("y").
			Outputs("y"),
		shapes: [][]int64{{3}},
		ops:    24,
	}, {
		// ArgMax drops (keepdims 0) the axis; int64 indices.
		name: "ArgMax",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 4).
			Node("ArgMax", "x").Int("axis", 1).Int("keepdims", 0).Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 4}},
		ops:    24,
	}, {
		// CumSum: a running sum, one add per element, same shape.
		name: "CumSum",
		model: graphtest.New().
			Input("x", graph.Float32, 5, 6).Ints("axis", graph.Int64, []int64{}, 1).
			Node("CumSum", "x", "axis").Out("y").
			Outputs("y"),
		shapes: [][]int64{{5, 6}},
		ops:    30,
	}})
}
