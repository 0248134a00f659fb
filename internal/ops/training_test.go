package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// Losses and optimizer steps: shapes from the ONNX backend tests' expected
// outputs (test_data_set_0/output_*.pb); their cost has no convention yet,
// so they stay uncosted.
func TestTraining(t *testing.T) {
	runCases(t, []ruleCase{{
		// node/test_nllloss_NCd1d2_with_weight: input [3 5 6 6], target
		// [3 6 6], reduction none -> loss [3 6 6].
		name: "NegativeLogLikelihoodLoss none",
		model: graphtest.New().Opset("", 13).
			Input("input", graph.Float32, 3, 5, 6, 6).Input("target", graph.Int64, 3, 6, 6).Input("weight", graph.Float32, 5).
			Node("NegativeLogLikelihoodLoss", "input", "target", "weight").Str("reduction", "none").Out("loss").
			Outputs("loss"),
		shapes:   [][]int64{{3, 6, 6}},
		uncosted: "NegativeLogLikelihoodLoss",
	}, {
		// node/test_nllloss_NCd1d2_reduction_mean: a scalar loss.
		name: "NegativeLogLikelihoodLoss mean",
		model: graphtest.New().Opset("", 13).
			Input("input", graph.Float32, 3, 5, 6, 6).Input("target", graph.Int64, 3, 6, 6).
			Node("NegativeLogLikelihoodLoss", "input", "target").Out("loss").
			Outputs("loss"),
		shapes:   [][]int64{{}},
		uncosted: "NegativeLogLikelihoodLoss",
	}, {
		// node/test_sce_none_weights_log_prob: x [3 5], y [3], w [5],
		// reduction none -> z [3], log_prob [3 5].
		name: "SoftmaxCrossEntropyLoss none with log_prob",
		model: graphtest.New().Opset("", 13).
			Input("x", graph.Float32, 3, 5).Input("y", graph.Int64, 3).Input("w", graph.Float32, 5).
			Node("SoftmaxCrossEntropyLoss", "x", "y", "w").Str("reduction", "none").Out("z", "log_prob").
			Outputs("z", "log_prob"),
		shapes:   [][]int64{{3}, {3, 5}},
		uncosted: "SoftmaxCrossEntropyLoss",
	}, {
		// node/test_sce_mean_3d: x [3 5 2], y [3 2] -> z [].
		name: "SoftmaxCrossEntropyLoss mean",
		model: graphtest.New().Opset("", 13).
			Input("x", graph.Float32, 3, 5, 2).Input("y", graph.Int64, 3, 2).
			Node("SoftmaxCrossEntropyLoss", "x", "y").Out("z").
			Outputs("z"),
		shapes:   [][]int64{{}},
		uncosted: "SoftmaxCrossEntropyLoss",
	}, {
		// node/test_adam: X, G, V, H of [2] -> X_new, V_new, H_new of [2].
		name: "Adam",
		model: graphtest.New().Opset("ai.onnx.preview.training", 1).
			Input("R", graph.Float32).Input("T", graph.Int64).
			Input("X", graph.Float32, 2).Input("G", graph.Float32, 2).Input("V", graph.Float32, 2).Input("H", graph.Float32, 2).
			Node("Adam", "R", "T", "X", "G", "V", "H").Domain("ai.onnx.preview.training").Out("X_new", "V_new", "H_new").
			Outputs("X_new", "V_new", "H_new"),
		shapes:   [][]int64{{2}, {2}, {2}},
		uncosted: "ai.onnx.preview.training::Adam",
	}, {
		// node/test_adagrad_multiple: X1 [1], X2 [2] with their G and H
		// -> X1_new [1], X2_new [2], H1_new [1], H2_new [2].
		name: "Adagrad of two tensors",
		model: graphtest.New().Opset("ai.onnx.preview.training", 1).
			Input("R", graph.Float32).Input("T", graph.Int64).
			Input("X1", graph.Float32, 1).Input("X2", graph.Float32, 2).Input("G1", graph.Float32, 1).Input("G2", graph.Float32, 2).
			Input("H1", graph.Float32, 1).Input("H2", graph.Float32, 2).
			Node("Adagrad", "R", "T", "X1", "X2", "G1", "G2", "H1", "H2").Domain("ai.onnx.preview.training").Out("X1_new", "X2_new", "H1_new", "H2_new").
			Outputs("X1_new", "X2_new", "H1_new", "H2_new"),
		shapes:   [][]int64{{1}, {2}, {1}, {2}},
		uncosted: "ai.onnx.preview.training::Adagrad",
	}})
}
