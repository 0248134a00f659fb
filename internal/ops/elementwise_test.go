package ops_test

import (
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestElementwiseShapesFromONNX(t *testing.T) { checkONNXShapes(t, "elementwise") }

// Elementwise outputs follow numpy broadcasting (ONNX Broadcasting.md):
// shapes align on the right and a dim of 1 stretches. Ops are the
// per-element rates of docs/counting.md, worked by hand.
func TestElementwise(t *testing.T) {
	runCases(t, []ruleCase{{
		// pytorch-converted/test_PReLU_2d_multiparam: PRelu-6 with one slope
		// per channel, X [2 3 4 5], slope [3] -> [2 3 4 5]; 120 ops at 1 per
		// output element.
		name: "PRelu-6 per-channel slope",
		model: graphtest.New().Opset("", 6).
			Input("x", graph.Float32, 2, 3, 4, 5).Weight("slope", graph.Float32, 3).
			Node("PRelu", "x", "slope").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3, 4, 5}},
		ops:    120, params: 3,
	}, {
		// (2,3,4) + (4) -> (2,3,4): one add per output element.
		name: "Add broadcasts a bias",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 4).Weight("b", graph.Float32, 4).
			Node("Add", "x", "b").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3, 4}},
		ops:    24, params: 4,
	}, {
		// (3,1,5) * (4,1) -> (3,4,5): both sides stretch.
		name: "Mul stretches both sides",
		model: graphtest.New().
			Input("a", graph.Float32, 3, 1, 5).Input("b", graph.Float32, 4, 1).
			Node("Mul", "a", "b").Out("y").
			Outputs("y"),
		shapes: [][]int64{{3, 4, 5}},
		ops:    60,
	}, {
		// Sum of 3 inputs: 2 adds per output; Mean adds the division: 3.
		name: "Sum and Mean of three",
		model: graphtest.New().
			Input("a", graph.Float32, 2, 3).Input("b", graph.Float32, 2, 3).Input("c", graph.Float32, 3).
			Node("Sum", "a", "b", "c").Out("s").
			Node("Mean", "a", "b", "c").Out("m").
			Outputs("s", "m"),
		shapes: [][]int64{{2, 3}, {2, 3}},
		ops:    6*2 + 6*3,
	}, {
		// Relu and Clip: one op per element; Clip's min and max are operands.
		name: "activations",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 10).
			Floats("lo", graph.Float32, []int64{}, 0).Floats("hi", graph.Float32, []int64{}, 6).
			Node("Relu", "x").Out("r").
			Node("Clip", "r", "lo", "hi").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 10}},
		ops:    20,
	}, {
		// Where broadcasts all three: (2,1), (1,3), () -> (2,3).
		name: "Where",
		model: graphtest.New().
			Input("cond", graph.Bool, 2, 1).Input("x", graph.Float32, 1, 3).Input("y", graph.Float32).
			Node("Where", "cond", "x", "y").Out("z").
			Outputs("z"),
		shapes: [][]int64{{2, 3}},
		ops:    6,
	}, {
		// Comparisons broadcast like arithmetic; Cast moves data for free.
		name: "Less then Cast",
		model: graphtest.New().
			Input("a", graph.Float32, 4, 5).Input("b", graph.Float32, 5).
			Node("Less", "a", "b").Out("m").
			Node("Cast", "m").Int("to", int64(graph.Float32)).Out("y").
			Outputs("y"),
		shapes: [][]int64{{4, 5}},
		ops:    20,
	}, {
		// Shape arithmetic resolves and is folded (costs nothing):
		// Shape(x) = [2, 3], times [2, 2] = [4, 6], the Reshape target of a
		// 24-element input.
		name: "shape arithmetic folds",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3).Input("data", graph.Float32, 24).
			Int64s("two", 2, 2).
			Node("Shape", "x").Out("s").
			Node("Mul", "s", "two").Out("target").
			Node("Reshape", "data", "target").Out("y").
			Outputs("y"),
		shapes: [][]int64{{4, 6}},
	}})
}

// Shapes that cannot broadcast make the model invalid: an error naming
// the node (onnx's shape inference refuses it too).
func TestElementwiseBroadcastMismatch(t *testing.T) {
	m := graphtest.New().
		Input("a", graph.Float32, 2, 3).Input("b", graph.Float32, 4).
		Node("Add", "a", "b").Out("y").
		Outputs("y").Model()
	_, err := analyze.Analyze(m, analyze.Options{})
	if err == nil || !strings.Contains(err.Error(), `node "Add_0" (Add): shapes [[2 3] [4]] cannot broadcast`) {
		t.Errorf("error %v, want the node and \"cannot broadcast\"", err)
	}
}
