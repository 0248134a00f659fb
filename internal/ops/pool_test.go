package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestPoolShapesFromONNX(t *testing.T) { checkONNXShapes(t, "pool") }

// Pooling sizes follow the ONNX MaxPool/AveragePool spec:
// floor((in + pads - ((k-1)*dilation + 1)) / stride) + 1, or ceil with
// ceil_mode (a last window must start inside the input), the same
// formula as PyTorch's nn.MaxPool2d. Ops: kernel elements per output.
func TestPooling(t *testing.T) {
	runCases(t, []ruleCase{{
		// 2x2 stride 2 halves 32: 16; 4 ops x 3*16*16.
		name: "MaxPool 2x2 stride 2",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 32, 32).
			Node("MaxPool", "x").Ints("kernel_shape", 2, 2).Ints("strides", 2, 2).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 3, 16, 16}},
		ops:    3072,
	}, {
		// ResNet's stem pool: (112+2-3)/2+1 = 56; 9 ops x 64*56*56.
		name: "MaxPool 3x3 stride 2 pad 1",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 64, 112, 112).
			Node("MaxPool", "x").Ints("kernel_shape", 3, 3).Ints("strides", 2, 2).Ints("pads", 1, 1, 1, 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 64, 56, 56}},
		ops:    1806336,
	}, {
		// ceil_mode: ceil((6-3)/2)+1 = 3 (floor would give 2); the third
		// window starts at 4 < 6, inside the input.
		name: "MaxPool ceil_mode",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 1, 6, 6).
			Node("MaxPool", "x").Ints("kernel_shape", 3, 3).Ints("strides", 2, 2).Int("ceil_mode", 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 1, 3, 3}},
		ops:    81,
	}, {
		// dilation 2 widens a 2-tap window to 3: 8-3+1 = 6.
		name: "MaxPool dilated",
		model: graphtest.New().Opset("", 12).
			Input("x", graph.Float32, 1, 1, 8, 8).
			Node("MaxPool", "x").Ints("kernel_shape", 2, 2).Ints("dilations", 2, 2).Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 1, 6, 6}},
		ops:    144,
	}, {
		// SAME_UPPER: ceil(5/2) = 3 whatever the kernel.
		name: "AveragePool SAME_UPPER",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 2, 5, 5).
			Node("AveragePool", "x").Ints("kernel_shape", 3, 3).Ints("strides", 2, 2).Str("auto_pad", "SAME_UPPER").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 2, 3, 3}},
		ops:    162,
	}, {
		// Global pooling: one op per input element, spatial dims become 1.
		name: "GlobalAveragePool",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 8, 7, 7).
			Node("GlobalAveragePool", "x").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 8, 1, 1}},
		ops:    392,
	}})
}
