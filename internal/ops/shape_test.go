package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestShapeShapesFromONNX(t *testing.T) { checkONNXShapes(t, "shape") }

// Shape ops move data and cost nothing; these cases are the ones onnx 1.12
// cannot infer (opset 18 forms) and values flowing into a Reshape.
func TestShape(t *testing.T) {
	runCases(t, []ruleCase{{
		// Shape(x)[1:] = [3, 4] is the Reshape target of 12 elements.
		name: "Shape values reach Reshape",
		model: graphtest.New().Opset("", 15).
			Input("x", graph.Float32, 2, 3, 4).Input("data", graph.Float32, 12).
			Node("Shape", "x").Int("start", 1).Out("s").
			Node("Reshape", "data", "s").Out("y").
			Outputs("y"),
		shapes: [][]int64{{3, 4}},
	}, {
		// allowzero=1 (opset 14): a 0 in the target is a 0-sized dim, not a
		// copy, so a 0x3 tensor reshapes to 3x0.
		name: "Reshape allowzero",
		model: graphtest.New().Opset("", 14).
			Input("x", graph.Float32, 0, 3).Int64s("s", 3, 0).
			Node("Reshape", "x", "s").Int("allowzero", 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{3, 0}},
	}, {
		// Split-18 num_outputs=3 of 10: ceil(10/3) = 4, 4, and the rest 2.
		name: "Split num_outputs opset 18",
		model: graphtest.New().Opset("", 18).
			Input("x", graph.Float32, 10).
			Node("Split", "x").Int("num_outputs", 3).Out("a", "b", "c").
			Outputs("a", "b", "c"),
		shapes: [][]int64{{4}, {4}, {2}},
	}, {
		// Pad-18 with axes [-1]: pads [1, 1] widen only the last axis, 3 -> 5.
		name: "Pad axes opset 18",
		model: graphtest.New().Opset("", 18).
			Input("x", graph.Float32, 2, 3).Int64s("p", 1, 1).Int64s("a", -1).
			Node("Pad", "x", "p", "", "a").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 5}},
	}, {
		// CenterCropPad-18: the listed axes take the given sizes (crop 10
		// -> 8, pad 7 -> 9), the others stay.
		name: "CenterCropPad",
		model: graphtest.New().Opset("", 18).
			Input("x", graph.Float32, 10, 7, 3).Int64s("s", 8, 9).
			Node("CenterCropPad", "x", "s").Ints("axes", 0, 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{8, 9, 3}},
	}})
}
