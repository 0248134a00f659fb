package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestGenerateShapesFromONNX(t *testing.T) { checkONNXShapes(t, "generate") }

// Construction ops cost nothing; their sizes come from values, so a value
// known only at run time leaves the size unknown.
func TestGenerate(t *testing.T) {
	runCases(t, []ruleCase{{
		// ConstantOfShape(Shape(x)) is x's shape, float32 by default.
		name: "ConstantOfShape of a Shape",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3).
			Node("Shape", "x").Out("s").
			Node("ConstantOfShape", "s").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3}},
	}, {
		// Range with a run-time limit has an unknown length.
		name: "Range with a run-time limit",
		model: graphtest.New().Opset("", 11).
			Input("limit", graph.Int64).
			Ints("start", graph.Int64, []int64{}, 0).Ints("delta", graph.Int64, []int64{}, 1).
			Node("Range", "start", "limit", "delta").Out("y").
			Outputs("y"),
		shapes: [][]int64{{-1}},
	}, {
		// A Constant's tensor value gives its shape: 2x2.
		name: "Constant tensor",
		model: graphtest.New().
			Node("Constant").Tensor("value", &graph.Tensor{DType: graph.Float32, Shape: []int64{2, 2}, HasShape: true, Floats: []float64{1, 2, 3, 4}}).Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 2}},
	}})
}
