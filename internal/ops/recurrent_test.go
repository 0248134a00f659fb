package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

func TestRecurrentShapesFromONNX(t *testing.T) { checkONNXShapes(t, "recurrent") }

// Recurrent layers. Shapes: the ONNX LSTM/GRU/RNN spec, Y is (seq, dirs,
// batch, hidden), or (batch, seq, dirs, hidden) with layout 1. MACs: the
// aten addmm count of PyTorch's nn.LSTM/GRU/RNN, per step and direction
// x@W_ih' + h@W_hh'; params: PyTorch's parameters() (ONNX B holds both of
// its biases). Gate ops per hidden unit and step: 17 (LSTM), 13 (GRU), 3
// (RNN), docs/counting.md. testdata/gen/check_rule_costs.py checks the
// MACs and params against PyTorch.
func TestRecurrent(t *testing.T) {
	runCases(t, []ruleCase{{
		// nn.LSTM(10, 20) over 28 steps, batch 1: per step 10*80 + 20*80 =
		// 2400 MACs, 67200 in all; params 4*20*(10+20+2) = 2560;
		// ops 28*20*17 = 9520.
		name: "LSTM",
		model: graphtest.New().
			Input("x", graph.Float32, 28, 1, 10).
			Weight("W", graph.Float32, 1, 80, 10).Weight("R", graph.Float32, 1, 80, 20).Weight("B", graph.Float32, 1, 160).
			Node("LSTM", "x", "W", "R", "B").Int("hidden_size", 20).Out("y", "y_h", "y_c").
			Outputs("y", "y_h", "y_c"),
		shapes: [][]int64{{28, 1, 1, 20}, {1, 1, 20}, {1, 1, 20}},
		macs:   67200, ops: 9520, params: 2560,
	}, {
		// nn.GRU(6, 4, bidirectional=True, batch_first=True), batch 2, 5
		// steps: per step, direction and sample 6*12 + 4*12 = 120 MACs,
		// x 2*5*2 = 2400; params 2*(12*6 + 12*4 + 24) = 288; ops
		// 5*2*2*4*13 = 1040.
		name: "GRU bidirectional batch-first",
		model: graphtest.New().Opset("", 14).
			Input("x", graph.Float32, 2, 5, 6).
			Weight("W", graph.Float32, 2, 12, 6).Weight("R", graph.Float32, 2, 12, 4).Weight("B", graph.Float32, 2, 24).
			Node("GRU", "x", "W", "R", "B").Int("hidden_size", 4).Str("direction", "bidirectional").Int("layout", 1).Out("y", "y_h").
			Outputs("y", "y_h"),
		shapes: [][]int64{{2, 5, 2, 4}, {2, 2, 4}},
		macs:   2400, ops: 1040, params: 288,
	}, {
		// nn.RNN(5, 7, bias=False), 3 steps, batch 2: 3*2*(35+49) = 504
		// MACs; 84 params; ops 3*2*7*3 = 126. Only Y_h is asked for.
		name: "RNN without bias",
		model: graphtest.New().
			Input("x", graph.Float32, 3, 2, 5).
			Weight("W", graph.Float32, 1, 7, 5).Weight("R", graph.Float32, 1, 7, 7).
			Node("RNN", "x", "W", "R").Int("hidden_size", 7).Out("", "y_h").
			Outputs("y_h"),
		shapes: [][]int64{{1, 2, 7}},
		macs:   504, ops: 126, params: 84,
	}})
}
