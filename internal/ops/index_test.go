package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestIndexShapesFromONNX(t *testing.T) { checkONNXShapes(t, "index") }

// Indexing selects data and costs nothing but TopK (one comparison per
// input element, docs/counting.md). Where onnx leaves a size unknown but
// the values are constant, the spec's formula is worked by hand.
func TestIndex(t *testing.T) {
	runCases(t, []ruleCase{{
		// Compress keeps the entries whose condition is true: 2 of 3 rows.
		name: "Compress with a constant condition",
		model: graphtest.New().
			Input("x", graph.Float32, 3, 2).Ints("cond", graph.Bool, nil, 1, 0, 1).
			Node("Compress", "x", "cond").Int("axis", 0).Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 2}},
	}, {
		// Without an axis the input is flattened first: 3 of 6 elements.
		name: "Compress flattened",
		model: graphtest.New().
			Input("x", graph.Float32, 3, 2).Ints("cond", graph.Bool, nil, 1, 0, 1, 1, 0, 0).
			Node("Compress", "x", "cond").Out("y").
			Outputs("y"),
		shapes: [][]int64{{3}},
	}, {
		// OneHot inserts depth (10) at axis: -1 appends it, 0 prepends it.
		name: "OneHot depth at axis",
		model: graphtest.New().Opset("", 11).
			Input("i", graph.Int64, 2, 3).
			Ints("depth", graph.Int64, []int64{}, 10).Floats("values", graph.Float32, nil, 0, 1).
			Node("OneHot", "i", "depth", "values").Out("last").
			Node("OneHot", "i", "depth", "values").Int("axis", 0).Out("first").
			Outputs("last", "first"),
		shapes: [][]int64{{2, 3, 10}, {10, 2, 3}},
	}, {
		// TopK(k=3) of 4x10 along the last axis: values and indices 4x3;
		// one op per input element, 40.
		name: "TopK cost",
		model: graphtest.New().
			Input("x", graph.Float32, 4, 10).Int64s("k", 3).
			Node("TopK", "x", "k").Out("v", "i").
			Outputs("v", "i"),
		shapes: [][]int64{{4, 3}, {4, 3}},
		ops:    40,
	}, {
		// Slicing a Shape keeps its values: Shape(2x3x4)[1:3] = [3, 4].
		name: "Slice of a Shape reaches Reshape",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 4).Input("data", graph.Float32, 12).
			Int64s("starts", 1).Int64s("ends", 3).
			Node("Shape", "x").Out("s").
			Node("Slice", "s", "starts", "ends").Out("hw").
			Node("Reshape", "data", "hw").Out("y").
			Outputs("y"),
		shapes: [][]int64{{3, 4}},
	}, {
		// NonZero's count is data-dependent: what consumes it cannot be
		// costed, and is reported rather than counted as zero.
		name: "NonZero leaves its consumer uncosted",
		model: graphtest.New().
			Input("x", graph.Float32, 3, 4).
			Node("NonZero", "x").Out("nz").
			Node("Relu", "nz").Out("y").
			Outputs("y"),
		shapes:   [][]int64{{2, -1}},
		uncosted: "Relu",
	}})
}
