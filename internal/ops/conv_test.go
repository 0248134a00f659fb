package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestConvShapesFromONNX(t *testing.T) { checkONNXShapes(t, "conv") }

// Output sizes follow the ONNX Conv spec,
// out = floor((in + pad_begin + pad_end - ((k-1)*dilation + 1)) / stride) + 1,
// and MACs are PyTorch's aten convolution count, out elements x C_in/group x
// kernel elements (transposed: in elements x C_out/group x kernel elements),
// as testdata/gen/export_torchvision.py counts them. testdata/gen/check_rule_costs.py
// checks these cases' shapes, MACs and params against PyTorch.
func TestConv(t *testing.T) {
	runCases(t, []ruleCase{{
		// (32+1+1-3)/1+1 = 32; MACs 8*32*32 x 3*3*3 = 221184; bias 1 op per
		// output element: 8192; params 8*3*3*3 + 8 = 224.
		name: "3x3 pad 1 with bias",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 32, 32).
			Weight("w", graph.Float32, 8, 3, 3, 3).Weight("b", graph.Float32, 8).
			Node("Conv", "x", "w", "b").Ints("pads", 1, 1, 1, 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 8, 32, 32}},
		macs:   221184, ops: 8192, params: 224,
	}, {
		// SAME_UPPER: out = ceil(15/2) = 8 (total pad (8-1)*2+3-15 = 2);
		// MACs 4*8*8 x 27 = 6912.
		name: "SAME_UPPER stride 2",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 15, 15).
			Weight("w", graph.Float32, 4, 3, 3, 3).
			Node("Conv", "x", "w").Str("auto_pad", "SAME_UPPER").Ints("strides", 2, 2).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 4, 8, 8}},
		macs:   6912, params: 108,
	}, {
		// VALID: (15-3)/2+1 = 7.
		name: "VALID stride 2",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 15, 15).
			Weight("w", graph.Float32, 4, 3, 3, 3).
			Node("Conv", "x", "w").Str("auto_pad", "VALID").Ints("strides", 2, 2).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 4, 7, 7}},
		macs:   4 * 7 * 7 * 27, params: 108,
	}, {
		// MobileNet's depthwise 3x3: group = C = 32, weight 32x1x3x3;
		// MACs 32*56*56 x 1*9 = 903168.
		name: "depthwise",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 32, 56, 56).
			Weight("w", graph.Float32, 32, 1, 3, 3).
			Node("Conv", "x", "w").Int("group", 32).Ints("pads", 1, 1, 1, 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 32, 56, 56}},
		macs:   903168, params: 288,
	}, {
		// group 2: each output channel sees C_in/2 = 4 channels; (10-3)+1 = 8;
		// MACs 16*8*8 x 4*9 = 36864.
		name: "grouped",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 8, 10, 10).
			Weight("w", graph.Float32, 16, 4, 3, 3).
			Node("Conv", "x", "w").Int("group", 2).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 16, 8, 8}},
		macs:   36864, params: 576,
	}, {
		// dilation 2 widens a 3-tap kernel to 5: (10-5)+1 = 6; the MACs per
		// output stay 1*9: 2*6*6*9 = 648.
		name: "dilated",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 1, 10, 10).
			Weight("w", graph.Float32, 2, 1, 3, 3).
			Node("Conv", "x", "w").Ints("dilations", 2, 2).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 2, 6, 6}},
		macs:   648, params: 18,
	}, {
		// 1-D, stride 3: floor((100-5)/3)+1 = 32; MACs 6*32 x 4*5 = 3840.
		name: "1-D stride 3",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 4, 100).
			Weight("w", graph.Float32, 6, 4, 5).
			Node("Conv", "x", "w").Ints("strides", 3).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 6, 32}},
		macs:   3840, params: 120,
	}, {
		// 3-D: (8-3)+1 = 6 per axis; MACs 2*6*6*6 x 3*27 = 34992.
		name: "3-D",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 8, 8, 8).
			Weight("w", graph.Float32, 2, 3, 3, 3, 3).
			Node("Conv", "x", "w").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 2, 6, 6, 6}},
		macs:   34992, params: 162,
	}, {
		// ConvTranspose spec: out = stride*(in-1) + output_padding +
		// (k-1)*dilation + 1 - pads = 2*7 + 3 + 1 - 2 = 16. PyTorch's
		// ConvTranspose2d(4, 2, 4, stride=2, padding=1) gives 16x16 too;
		// MACs 4*8*8 inputs x 2*4*4 = 8192; bias 2*16*16 = 512 ops.
		name: "ConvTranspose stride 2",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 4, 8, 8).
			Weight("w", graph.Float32, 4, 2, 4, 4).Weight("b", graph.Float32, 2).
			Node("ConvTranspose", "x", "w", "b").Ints("strides", 2, 2).Ints("pads", 1, 1, 1, 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 2, 16, 16}},
		macs:   8192, ops: 512, params: 130,
	}, {
		// output_padding 1 and group 2 (DCGAN-style): 2*(5-1) + 1 + 3 = 12;
		// C_out = 3 per group x 2 = 6; MACs 4*5*5 x 3*3*3 = 2700.
		name: "ConvTranspose grouped with output_padding",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 4, 5, 5).
			Weight("w", graph.Float32, 4, 3, 3, 3).
			Node("ConvTranspose", "x", "w").Int("group", 2).Ints("strides", 2, 2).Ints("output_padding", 1, 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 6, 12, 12}},
		macs:   2700, params: 108,
	}, {
		// A symbolic batch left unset counts as 1 (with a warning).
		name: "symbolic batch",
		model: graphtest.New().
			Input("x", graph.Float32, "N", 3, 4, 4).
			Weight("w", graph.Float32, 5, 3, 1, 1).
			Node("Conv", "x", "w").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 5, 4, 4}},
		macs:   5 * 16 * 3, params: 15,
	}})
}
