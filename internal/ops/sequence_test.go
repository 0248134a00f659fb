package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// Sequences: shapes from the ONNX backend tests' expected outputs
// (simple/test_sequence_model*), and the spec where a size is known only
// at run time.
func TestSequence(t *testing.T) {
	runCases(t, []ruleCase{{
		// simple/test_sequence_model2: three [2 3 4] tensors, one erased,
		// one taken -> [2 3 4].
		name: "SequenceConstruct, SequenceErase, SequenceAt",
		model: graphtest.New().Opset("", 12).
			Input("X", graph.Float32, 2, 3, 4).Input("Y", graph.Float32, 2, 3, 4).Input("Z", graph.Float32, 2, 3, 4).
			Input("pos_erase", graph.Int32).Input("pos_at", graph.Int32).
			Node("SequenceConstruct", "X", "Y", "Z").Out("seq_1").
			Node("SequenceErase", "seq_1", "pos_erase").Out("seq_2").
			Node("SequenceAt", "seq_2", "pos_at").Out("out").
			Outputs("out"),
		shapes: [][]int64{{2, 3, 4}},
	}, {
		// simple/test_sequence_model7: X [2 3 4] split along 0 without
		// keeping the axis -> elements [3 4].
		name: "SplitToSequence keepdims 0",
		model: graphtest.New().Opset("", 12).
			Input("X", graph.Float32, 2, 3, 4).Input("pos_at", graph.Int32).
			Node("SplitToSequence", "X").Int("axis", 0).Int("keepdims", 0).Out("seq_1").
			Node("SequenceAt", "seq_1", "pos_at").Out("out").
			Outputs("out"),
		shapes: [][]int64{{3, 4}},
	}, {
		// simple/test_sequence_model6: SequenceLength is an int64 scalar.
		name: "SequenceLength",
		model: graphtest.New().Opset("", 12).
			Input("X", graph.Float32, 2, 3, 4).
			Node("SplitToSequence", "X").Int("axis", -1).Out("seq_1").
			Node("SequenceLength", "seq_1").Out("len").
			Outputs("len"),
		shapes: [][]int64{{}},
	}, {
		// Spec: a scalar split of 2 divides 6, so every piece is [2 4]; a
		// sequence's length is a run-time value, so concatenating its
		// elements along axis 0 has an unknown dim there.
		name: "SplitToSequence by 2, ConcatFromSequence",
		model: graphtest.New().Opset("", 12).
			Input("X", graph.Float32, 6, 4).Input("pos_at", graph.Int32).
			Ints("split", graph.Int64, []int64{}, 2).
			Node("SplitToSequence", "X", "split").Out("seq").
			Node("SequenceAt", "seq", "pos_at").Out("piece").
			Node("ConcatFromSequence", "seq").Int("axis", 0).Out("joined").
			Outputs("piece", "joined"),
		shapes: [][]int64{{2, 4}, {-1, 4}},
	}, {
		// Spec: a scalar split of 4 leaves a last piece of 2 from 6.
		name: "SplitToSequence by a size that does not divide",
		model: graphtest.New().Opset("", 12).
			Input("X", graph.Float32, 6, 4).Input("pos_at", graph.Int32).
			Ints("split", graph.Int64, []int64{}, 4).
			Node("SplitToSequence", "X", "split").Out("seq").
			Node("SequenceAt", "seq", "pos_at").Out("piece").
			Outputs("piece"),
		shapes: [][]int64{{-1, 4}},
	}, {
		// node/test_optional_get_element: an optional holding a [4]
		// tensor gives back [4].
		name: "Optional, OptionalGetElement",
		model: graphtest.New().Opset("", 15).
			Input("x", graph.Float32, 4).
			Node("Optional", "x").Out("opt").
			Node("OptionalGetElement", "opt").Out("y").
			Outputs("y"),
		shapes: [][]int64{{4}},
	}, {
		// node/test_identity_opt and test_optional_get_element_sequence:
		// an optional sequence of [5] tensors through Identity, unwrapped
		// and indexed -> [5].
		name: "Identity of an optional sequence",
		model: graphtest.New().Opset("", 16).
			Input("x", graph.Float32, 5).Input("pos", graph.Int64).
			Node("SequenceConstruct", "x").Out("seq").
			Node("Optional", "seq").Out("opt").
			Node("Identity", "opt").Out("opt2").
			Node("OptionalGetElement", "opt2").Out("seq2").
			Node("SequenceAt", "seq2", "pos").Out("y").
			Outputs("y"),
		shapes: [][]int64{{5}},
	}, {
		// node/test_optional_has_element_empty: OptionalHasElement of an
		// empty optional (of the `type` attribute's type) is a bool scalar.
		name: "empty Optional",
		model: graphtest.New().Opset("", 15).
			Node("Optional").Attr("type", &graph.Attr{Kind: graph.AttrType, T: &graph.Tensor{DType: graph.Int32, HasDeclared: true, Declared: []graph.Dim{}}}).Out("opt").
			Node("OptionalHasElement", "opt").Out("y").
			Outputs("y"),
		shapes: [][]int64{{}},
	}})
}
