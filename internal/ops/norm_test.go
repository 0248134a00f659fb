package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestNormShapesFromONNX(t *testing.T) { checkONNXShapes(t, "norm") }

// Normalisations keep their input's shape; ops per element are the rates
// of docs/counting.md; params are the learned scale and shift, as in
// PyTorch's nn.BatchNorm2d / nn.LayerNorm (affine).
func TestNormalization(t *testing.T) {
	runCases(t, []ruleCase{{
		// BatchNorm2d(4): weight + bias = 8 params, running mean + var = 8
		// buffers; inference is a folded scale and shift, 2 ops x 100.
		name: "BatchNormalization",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 4, 5, 5).
			Weight("scale", graph.Float32, 4).Weight("bias", graph.Float32, 4).
			Weight("mean", graph.Float32, 4).Weight("var", graph.Float32, 4).
			Node("BatchNormalization", "x", "scale", "bias", "mean", "var").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 4, 5, 5}},
		ops:    200, params: 8, buffers: 8,
	}, {
		// LayerNorm(8) over the last axis (opset 17): 16 params, 5 ops x 48;
		// the optional Mean output keeps the normalised axes as 1.
		name: "LayerNormalization with Mean output",
		model: graphtest.New().Opset("", 17).
			Input("x", graph.Float32, 2, 3, 8).
			Weight("scale", graph.Float32, 8).Weight("bias", graph.Float32, 8).
			Node("LayerNormalization", "x", "scale", "bias").Int("axis", -1).Out("y", "mean").
			Outputs("y", "mean"),
		shapes: [][]int64{{2, 3, 8}, {2, 3, 1}},
		ops:    240, params: 16,
	}, {
		// InstanceNorm: 5 ops per element; Softmax 3 (exp, sum, divide).
		name: "InstanceNormalization then Softmax",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 4, 4).
			Weight("s", graph.Float32, 3).Weight("b", graph.Float32, 3).
			Node("InstanceNormalization", "x", "s", "b").Out("n").
			Node("Softmax", "n").Int("axis", 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 3, 4, 4}},
		ops:    48*5 + 48*3, params: 6,
	}, {
		// LRN(size=5), AlexNet's: size + 2 ops per element.
		name: "LRN",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 8, 3, 3).
			Node("LRN", "x").Int("size", 5).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 8, 3, 3}},
		ops:    72 * 7,
	}})
}
