package ops_test

import (
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// TFLite rules on the forms the operator fixtures of
// testdata/gen/make_tflite_ops.py leave out; figures worked by hand from
// the TFLite kernels' definitions.
func TestTFLite(t *testing.T) {
	runCases(t, []ruleCase{{
		// RESHAPE with no shape input takes ReshapeOptions.new_shape:
		// 2x3x4 = 24 elements, [4, -1] -> 4x6.
		name: "RESHAPE new_shape option",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 4).
			Node("RESHAPE", "x").Domain("tflite").Ints("new_shape", 4, -1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{4, 6}},
	}, {
		// SQUEEZE without squeeze_dims drops every size-1 dim.
		name: "SQUEEZE all",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 1, 2).
			Node("SQUEEZE", "x").Domain("tflite").Out("y").
			Outputs("y"),
		shapes: [][]int64{{3, 2}},
	}, {
		// x[-3:, ::-1] on 5x4: rows 2..4 (3), columns 3..0 (begin masked
		// with a negative stride starts at the end): 3x4.
		name: "STRIDED_SLICE negative begin and reversed",
		model: graphtest.New().
			Input("x", graph.Float32, 5, 4).
			Ints("b", graph.Int32, []int64{2}, -3, 0).Ints("e", graph.Int32, []int64{2}, 5, 0).Ints("s", graph.Int32, []int64{2}, 1, -1).
			Node("STRIDED_SLICE", "x", "b", "e", "s").Domain("tflite").Int("begin_mask", 2).Int("end_mask", 2).Out("y").
			Outputs("y"),
		shapes: [][]int64{{3, 4}},
	}, {
		// tf.strided_slice's x[1, ..., 2:] on 4x5 (numpy: (3,)): the
		// ellipsis sits between two positions that read the input's two
		// dims, so it covers none; position 0 shrinks.
		name: "STRIDED_SLICE empty ellipsis",
		model: graphtest.New().
			Input("x", graph.Float32, 4, 5).
			Ints("b", graph.Int32, nil, 1, 0, 2).Ints("e", graph.Int32, nil, 2, 0, 0).Ints("s", graph.Int32, nil, 1, 1, 1).
			Node("STRIDED_SLICE", "x", "b", "e", "s").Domain("tflite").Int("ellipsis_mask", 2).Int("shrink_axis_mask", 1).Int("end_mask", 4).Out("y").
			Outputs("y"),
		shapes: [][]int64{{3}},
	}, {
		// x[None, ..., None, 0] on 4x5x6 (numpy: (1, 4, 5, 1)): a new
		// axis on each side of the ellipsis, which covers the two dims
		// the shrunk last position leaves; the free leading dim (bound to
		// 1) passes through the ellipsis.
		name: "STRIDED_SLICE new axes around an ellipsis",
		model: graphtest.New().
			Input("x", graph.Float32, "n", 5, 6).
			Ints("b", graph.Int32, nil, 0, 0, 0, 0).Ints("e", graph.Int32, nil, 0, 0, 0, 1).Ints("s", graph.Int32, nil, 1, 1, 1, 1).
			Node("STRIDED_SLICE", "x", "b", "e", "s").Domain("tflite").Int("new_axis_mask", 5).Int("ellipsis_mask", 2).Int("shrink_axis_mask", 8).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 1, 5, 1}},
	}, {
		// A new axis may take more positions than the input has dims:
		// x[None, None, :, None] on [3] -> 1x1x3x1 (numpy: (1, 1, 3, 1));
		// a new axis's stride (0 here) is ignored.
		name: "STRIDED_SLICE more positions than dims",
		model: graphtest.New().
			Input("x", graph.Float32, 3).
			Ints("b", graph.Int32, nil, 0, 0, 0, 0).Ints("e", graph.Int32, nil, 0, 0, 0, 0).Ints("s", graph.Int32, nil, 0, 1, 1, 0).
			Node("STRIDED_SLICE", "x", "b", "e", "s").Domain("tflite").Int("new_axis_mask", 11).Int("begin_mask", 4).Int("end_mask", 4).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 1, 3, 1}},
	}, {
		// BIDIRECTIONAL_SEQUENCE_RNN time-major, outputs apart, no
		// auxiliary input: [3 steps, 2 batch, 4]; forward 2 units, backward
		// 3. TFLite's Prepare sizes the forward output [3, 2, 2] and the
		// backward one [batch 2, time 3, 3] whatever time_major says. MACs
		// 6 rows x (8 + 4 + 12 + 9) = 198; ops 6 x 5 units x 3 = 90; params
		// 8 + 4 + 2 + 12 + 9 + 3 = 38 (the states are graph inputs here).
		name: "BIDIRECTIONAL_SEQUENCE_RNN time-major apart",
		model: graphtest.New().
			Input("x", graph.Float32, 3, 2, 4).Input("hf", graph.Float32, 2, 2).Input("hb", graph.Float32, 2, 3).
			Weight("fw", graph.Float32, 2, 4).Weight("fr", graph.Float32, 2, 2).Weight("fb", graph.Float32, 2).
			Weight("bw", graph.Float32, 3, 4).Weight("br", graph.Float32, 3, 3).Weight("bb", graph.Float32, 3).
			Node("BIDIRECTIONAL_SEQUENCE_RNN", "x", "fw", "fr", "fb", "hf", "bw", "br", "bb", "hb").Domain("tflite").Int("time_major", 1).Out("yf", "yb").
			Outputs("yf", "yb"),
		shapes: [][]int64{{3, 2, 2}, {2, 3, 3}},
		macs:   198, ops: 90, params: 38,
	}, {
		// The LSTM builtin's basic kernel with one batch row, input 2, 1
		// unit: weights [4, 3], MACs 1 x 4 x 3 = 12, ops 17; params 12 + 4.
		name: "LSTM basic kernel",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 2).Input("a", graph.Float32, 1, 1).Input("s", graph.Float32, 1, 1).
			Weight("w", graph.Float32, 4, 3).Weight("b", graph.Float32, 4).
			Node("LSTM", "x", "a", "w", "b", "s").Domain("tflite").Int("kernel_type", 1).Out("y", "state", "concat", "gates").
			Outputs("y", "state", "concat", "gates"),
		shapes: [][]int64{{1, 1}, {1, 1}, {1, 3}, {1, 4}},
		macs:   12, ops: 17, params: 16,
	}, {
		// FULLY_CONNECTED with keep_num_dims on a free batch (bound to 1):
		// 1x7x16 rows of 16 by 10 units: 7x16x10 = 1120 MACs, bias 70 ops,
		// fused RELU 70 ops; params 160 + 10.
		name: "FULLY_CONNECTED keep_num_dims fused RELU",
		model: graphtest.New().
			Input("x", graph.Float32, "n", 7, 16).
			Weight("w", graph.Float32, 10, 16).Weight("b", graph.Float32, 10).
			Node("FULLY_CONNECTED", "x", "w", "b").Domain("tflite").Int("keep_num_dims", 1).Str("fused_activation_function", "RELU").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 7, 10}},
		macs:   1120, ops: 140, params: 170,
	}, {
		// A 3x3 SAME depthwise conv in NHWC with a 1HWO weight and a
		// fused RELU6: 1x6x6x4 outputs x 9 = 1296 MACs; bias and
		// activation 144 ops each; params 36 + 4.
		name: "DEPTHWISE_CONV_2D fused RELU6",
		model: graphtest.New().
			Input("x", graph.Int8, 1, 6, 6, 4).
			Weight("w", graph.Int8, 1, 3, 3, 4).Weight("b", graph.Int32, 4).
			Node("DEPTHWISE_CONV_2D", "x", "w", "b").Domain("tflite").Layout(graph.NHWC, graph.IHWO).
			Str("auto_pad", "SAME_UPPER").Ints("strides", 1, 1).Ints("dilations", 1, 1).Str("fused_activation_function", "RELU6").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 6, 6, 4}},
		macs:   1296, ops: 288, params: 40,
	}, {
		// SVDF without bias, rank 1: 2 filters = 2 units, input 4, memory
		// 3. MACs 1 x 2 x (4 + 3) = 14; ops: the rank sums 2 + fused RELU
		// 2; params 8 + 6 (the state is an input, not a param).
		name: "SVDF no bias fused RELU",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 4).Input("s", graph.Float32, 1, 6).
			Weight("wf", graph.Float32, 2, 4).Weight("wt", graph.Float32, 2, 3).
			Node("SVDF", "x", "wf", "wt", "", "s").Domain("tflite").Int("rank", 1).Str("fused_activation_function", "RELU").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 2}},
		macs:   14, ops: 4, params: 14,
	}})
}

// TensorFlow refuses a spec with two ellipses ("Multiple ellipses in slice
// spec not allowed") and one whose positions read more dims than the
// input has ("Index out of range using input dim"): the node is left
// uncosted with a warning naming it (a TFLite op: outside ONNX's spec,
// so not a failure of the model).
func TestStridedSliceBadSpec(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		ellipsis, newAxis, rank int64
		want                    string
	}{
		{"two ellipses", 5, 0, 3, "more than one ellipsis"},
		{"past the rank", 0, 1, 1, "spec of 3 positions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dims := []any{4, 5, 6}[:tc.rank]
			m := graphtest.New().
				Input("x", graph.Float32, dims...).
				Ints("b", graph.Int32, nil, 0, 0, 0).Ints("e", graph.Int32, nil, 1, 1, 1).Ints("s", graph.Int32, nil, 1, 1, 1).
				Node("STRIDED_SLICE", "x", "b", "e", "s").Domain("tflite").Name("ss").
				Int("ellipsis_mask", tc.ellipsis).Int("new_axis_mask", tc.newAxis).Out("y").
				Outputs("y").Model()
			r, err := analyze.Analyze(m, analyze.Options{})
			if err != nil {
				t.Fatal(err)
			}
			w := strings.Join(r.Warnings, "\n")
			if r.Uncosted["tflite::STRIDED_SLICE"] != 1 || !strings.Contains(w, `node "ss" (tflite::STRIDED_SLICE)`) || !strings.Contains(w, tc.want) {
				t.Errorf("uncosted %v, warnings %q; want the node uncosted and %q", r.Uncosted, r.Warnings, tc.want)
			}
		})
	}
}

// The basic kernel's Prepare requires weights [4 x units, input + units]:
// [4, 2] for input 2 and 1 unit is refused, the node left uncosted.
func TestLSTMBasicKernelWeights(t *testing.T) {
	m := graphtest.New().
		Input("x", graph.Float32, 1, 2).Input("a", graph.Float32, 1, 1).Input("s", graph.Float32, 1, 1).
		Weight("w", graph.Float32, 4, 2).Weight("b", graph.Float32, 4).
		Node("LSTM", "x", "a", "w", "b", "s").Domain("tflite").Name("cell").Int("kernel_type", 1).Out("y").
		Outputs("y").Model()
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(r.Warnings, "\n"); r.Uncosted["tflite::LSTM"] != 1 || !strings.Contains(w, `node "cell" (tflite::LSTM): basic-kernel LSTM weights [4 2]`) {
		t.Errorf("uncosted %v, warnings %q; want the cell uncosted for its weights", r.Uncosted, r.Warnings)
	}
}
