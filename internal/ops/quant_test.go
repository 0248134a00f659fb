package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestQuantShapesFromONNX(t *testing.T) { checkONNXShapes(t, "quant") }

// Quantisation keeps shapes (ONNX QuantizeLinear/DequantizeLinear spec);
// (de)quantising is a scale and a shift, 2 ops per element. Scales and
// zero points are operands, never params (docs/counting.md); the int8
// weight a DequantizeLinear reads is a param.
func TestQuantization(t *testing.T) {
	runCases(t, []ruleCase{{
		name: "QuantizeLinear",
		model: graphtest.New().
			Input("x", graph.Float32, 1, 3, 4, 4).
			Floats("scale", graph.Float32, []int64{}, 0.02).Ints("zp", graph.Uint8, []int64{}, 128).
			Node("QuantizeLinear", "x", "scale", "zp").Out("q").
			Outputs("q"),
		shapes: [][]int64{{1, 3, 4, 4}},
		ops:    96,
	}, {
		// A QDQ conv weight: int8 8x3x3x3 (216 params) with per-channel
		// scales and zero points (8 each, operands).
		name: "DequantizeLinear per-channel weight",
		model: graphtest.New().
			Weight("w", graph.Int8, 8, 3, 3, 3).Weight("scale", graph.Float32, 8).Weight("zp", graph.Int8, 8).
			Node("DequantizeLinear", "w", "scale", "zp").Int("axis", 0).Out("wf").
			Outputs("wf"),
		shapes: [][]int64{{8, 3, 3, 3}},
		ops:    432, params: 216,
	}, {
		// Outputs y, y_scale (scalar), y_zero_point (scalar); 4 ops per
		// element (min/max, scale, round, shift).
		name: "DynamicQuantizeLinear",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 5).
			Node("DynamicQuantizeLinear", "x").Out("y", "s", "z").
			Outputs("y", "s", "z"),
		shapes: [][]int64{{2, 5}, {}, {}},
		ops:    40,
	}, {
		// QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp):
		// (2,4) @ (4,3), 24 MACs; only b's 12 int8 elements are params.
		name: "QLinearMatMul",
		model: graphtest.New().
			Input("a", graph.Uint8, 2, 4).
			Floats("as", graph.Float32, []int64{}, 0.1).Ints("az", graph.Uint8, []int64{}, 0).
			Weight("b", graph.Int8, 4, 3).
			Floats("bs", graph.Float32, []int64{}, 0.1).Ints("bz", graph.Int8, []int64{}, 0).
			Floats("ys", graph.Float32, []int64{}, 0.1).Ints("yz", graph.Uint8, []int64{}, 0).
			Node("QLinearMatMul", "a", "as", "az", "b", "bs", "bz", "ys", "yz").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3}},
		macs:   24, params: 12,
	}})
}
