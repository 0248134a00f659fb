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
	}, {
		// node/test_stft: a [1 128 1] signal, frame_step 8, frame_length
		// 16 (the test's input values) -> [1 15 9 2].
		name: "STFT",
		model: graphtest.New().Opset("", 17).
			Input("signal", graph.Float32, 1, 128, 1).
			Ints("frame_step", graph.Int64, []int64{}, 8).Ints("frame_length", graph.Int64, []int64{}, 16).
			Node("STFT", "signal", "frame_step", "", "frame_length").Out("y").
			Outputs("y"),
		shapes:   [][]int64{{1, 15, 9, 2}},
		uncosted: "STFT",
	}, {
		// node/test_stft_with_window: the frame is the [16] window's length.
		name: "STFT with a window",
		model: graphtest.New().Opset("", 17).
			Input("signal", graph.Float32, 1, 128, 1).Input("window", graph.Float32, 16).
			Ints("frame_step", graph.Int64, []int64{}, 8).
			Node("STFT", "signal", "frame_step", "window").Out("y").
			Outputs("y"),
		shapes:   [][]int64{{1, 15, 9, 2}},
		uncosted: "STFT",
	}, {
		// node/test_melweightmatrix: num_mel_bins 8, dft_length 16 (the
		// test's input values) -> [9 8].
		name: "MelWeightMatrix",
		model: graphtest.New().Opset("", 17).
			Ints("num_mel_bins", graph.Int32, []int64{}, 8).Ints("dft_length", graph.Int32, []int64{}, 16).
			Ints("sample_rate", graph.Int32, []int64{}, 8192).
			Floats("lower", graph.Float32, []int64{}, 0).Floats("upper", graph.Float32, []int64{}, 4096).
			Node("MelWeightMatrix", "num_mel_bins", "dft_length", "sample_rate", "lower", "upper").Out("y").
			Outputs("y"),
		shapes: [][]int64{{9, 8}},
	}})
}
