package ops_test

import (
	"testing"

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
