package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// DFT: shapes from the ONNX backend tests' expected outputs and, for
// onesided and dft_length, from the DFT-17 spec worked by hand.
func TestSignal(t *testing.T) {
	runCases(t, []ruleCase{{
		// node/test_dft_axis: a real [1 10 10 1] along axis 2 -> [1 10 10 2].
		name: "DFT of a real signal",
		model: graphtest.New().Opset("", 17).
			Input("x", graph.Float32, 1, 10, 10, 1).
			Node("DFT", "x").Int("axis", 2).Out("y").
			Outputs("y"),
		shapes:   [][]int64{{1, 10, 10, 2}},
		uncosted: "DFT",
	}, {
		// node/test_dft_inverse: complex in, complex out.
		name: "inverse DFT",
		model: graphtest.New().Opset("", 17).
			Input("x", graph.Float32, 1, 10, 10, 2).
			Node("DFT", "x").Int("inverse", 1).Out("y").
			Outputs("y"),
		shapes:   [][]int64{{1, 10, 10, 2}},
		uncosted: "DFT",
	}, {
		// Spec: dft_length 16 points along axis 1, onesided keeps
		// floor(16/2)+1 = 9 of them.
		name: "onesided DFT of dft_length points",
		model: graphtest.New().Opset("", 17).
			Input("x", graph.Float32, 2, 10, 1).
			Ints("n", graph.Int64, []int64{}, 16).
			Node("DFT", "x", "n").Int("onesided", 1).Out("y").
			Outputs("y"),
		shapes:   [][]int64{{2, 9, 2}},
		uncosted: "DFT",
	}})
}
