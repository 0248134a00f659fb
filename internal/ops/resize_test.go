package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestResizeShapesFromONNX(t *testing.T) { checkONNXShapes(t, "resize") }

// Resampling costs per output element (docs/counting.md): nearest 0,
// linear 2 and cubic 4 per resized axis, multiplied; GridSample 4;
// AffineGrid grid dims + 1; Col2Im one add per input element.
func TestResize(t *testing.T) {
	runCases(t, []ruleCase{{
		// Bilinear 8x8 -> 16x16: two resized axes, 2*2 = 4 ops x 768.
		name: "Resize bilinear",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 8, 8).Floats("s", graph.Float32, nil, 1, 1, 2, 2).
			Node("Resize", "x", "", "s").Str("mode", "linear").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 3, 16, 16}},
		ops:    3072,
	}, {
		// Cubic along W only: 4 ops x 4*10.
		name: "Resize cubic on one axis",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 1, 4, 5).Int64s("z", 1, 1, 4, 10).
			Node("Resize", "x", "", "", "z").Str("mode", "cubic").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 1, 4, 10}},
		ops:    160,
	}, {
		// Resize-18 axes [2, 3], sizes [50, 50], not_larger: scale =
		// min(50/100, 50/200) = 0.25, out = round(in * scale) = 25, 50.
		name: "Resize keep_aspect_ratio_policy not_larger",
		model: graphtest.New().Opset("", 18).
			Input("x", graph.Float32, 1, 3, 100, 200).Int64s("z", 50, 50).
			Node("Resize", "x", "", "", "z").Ints("axes", 2, 3).Str("keep_aspect_ratio_policy", "not_larger").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 3, 25, 50}},
	}, {
		// GridSample: (N, C) of x and the grid's (H_out, W_out); 4 ops x 126.
		name: "GridSample",
		model: graphtest.New().Opset("", 16).
			Input("x", graph.Float32, 1, 3, 10, 10).Input("g", graph.Float32, 1, 6, 7, 2).
			Node("GridSample", "x", "g").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 3, 6, 7}},
		ops:    504,
	}, {
		// AffineGrid-20: theta (N, 2, 3), size (N, C, H, W) -> (N, H, W, 2);
		// 3 ops x 2*8*9*2.
		name: "AffineGrid",
		model: graphtest.New().Opset("", 20).
			Input("theta", graph.Float32, 2, 2, 3).Int64s("size", 2, 3, 8, 9).
			Node("AffineGrid", "theta", "size").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 8, 9, 2}},
		ops:    864,
	}, {
		// Col2Im-18: (N, C*2*2, L) with a 5x5 image and 2x2 blocks -> (N,
		// C, 5, 5), C = 8/4 = 2; one add per input element, 128.
		name: "Col2Im",
		model: graphtest.New().Opset("", 18).
			Input("x", graph.Float32, 1, 8, 16).Int64s("image", 5, 5).Int64s("block", 2, 2).
			Node("Col2Im", "x", "image", "block").Out("y").
			Outputs("y"),
		shapes: [][]int64{{1, 2, 5, 5}},
		ops:    128,
	}})
}
