package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestMatmulShapesFromONNX(t *testing.T) { checkONNXShapes(t, "matmul") }

// Matrix products follow numpy matmul semantics (the ONNX MatMul spec);
// MACs are PyTorch's aten mm/bmm count, batch x M x K x N
// (testdata/gen/check_rule_costs.py checks the float cases against PyTorch).
func TestMatMul(t *testing.T) {
	runCases(t, []ruleCase{{
		// Batch dims broadcast: (2,1) with (5,) -> (2,5); MACs 2*5 x 3*4*6 = 720.
		name: "broadcast batch",
		model: graphtest.New().
			Input("a", graph.Float32, 2, 1, 3, 4).Input("b", graph.Float32, 5, 4, 6).
			Node("MatMul", "a", "b").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 5, 3, 6}},
		macs:   720,
	}, {
		// A 1-D left operand is promoted to 1xK and the 1 dropped: (4) @ (4,6) = (6).
		name: "vector times matrix",
		model: graphtest.New().
			Input("a", graph.Float32, 4).Weight("w", graph.Float32, 4, 6).
			Node("MatMul", "a", "w").Out("y").
			Outputs("y"),
		shapes: [][]int64{{6}},
		macs:   24, params: 24,
	}, {
		// A 1-D right operand is promoted to Kx1: (2,3,4) @ (4) = (2,3).
		name: "matrix times vector",
		model: graphtest.New().
			Input("a", graph.Float32, 2, 3, 4).Input("v", graph.Float32, 4).
			Node("MatMul", "a", "v").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3}},
		macs:   24,
	}, {
		// nn.Linear(8, 16) as Gemm(transB=1): MACs 2*8*16 = 256, the bias add
		// one op per output (32); params 16*8 + 16 = 144.
		name: "Gemm transB with bias",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 8).
			Weight("w", graph.Float32, 16, 8).Weight("b", graph.Float32, 16).
			Node("Gemm", "x", "w", "b").Int("transB", 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 16}},
		macs:   256, ops: 32, params: 144,
	}, {
		// transA: A is (K, M) = (8, 3); Y = A' B is 3x5, MACs 3*8*5 = 120.
		name: "Gemm transA",
		model: graphtest.New().
			Input("a", graph.Float32, 8, 3).Weight("w", graph.Float32, 8, 5).
			Node("Gemm", "a", "w").Int("transA", 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{3, 5}},
		macs:   120, params: 40,
	}, {
		// torch.einsum("bij,bjk->bik") is one bmm: 2 x 3*4*5 = 120.
		name: "Einsum batched matmul",
		model: graphtest.New().
			Input("a", graph.Float32, 2, 3, 4).Input("b", graph.Float32, 2, 4, 5).
			Node("Einsum", "a", "b").Str("equation", "bij,bjk->bik").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3, 5}},
		macs:   120,
	}, {
		// uint8 x int8 -> int32 (MatMulInteger spec); the int8 weight is a
		// param, its zero point an operand.
		name: "MatMulInteger",
		model: graphtest.New().
			Input("a", graph.Uint8, 2, 4).
			Weight("w", graph.Int8, 4, 3).Ints("a_zp", graph.Uint8, []int64{}, 0).
			Node("MatMulInteger", "a", "w", "a_zp").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2, 3}},
		macs:   24, params: 12,
	}, {
		// Det of a batch of 3x3 matrices is a batch of scalars; cost is an
		// LU factorisation, n^3/3 multiply-adds each: 2 x 27/3 = 18.
		name: "Det",
		model: graphtest.New().
			Input("x", graph.Float32, 2, 3, 3).
			Node("Det", "x").Out("y").
			Outputs("y"),
		shapes: [][]int64{{2}},
		macs:   18,
	}})
}
