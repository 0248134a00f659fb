package ops_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// ruleCase is a small model whose figures come from outside netscore: the
// ONNX spec's formulas worked by hand (in the case's comment), onnx's
// shape inference or a PyTorch count. The tests run the whole analyzer,
// so a rule is checked as users see it.
type ruleCase struct {
	name    string
	model   *graphtest.Builder // with its graph outputs declared
	shapes  [][]int64          // of the graph outputs, in order; -1 = unknown
	macs    int64              // core MACs
	ops     int64              // other elementary ops (docs/counting.md, `all`)
	params  int64
	buffers int64 // BatchNormalization running statistics
	// uncosted names the op left uncosted (its cost needs a dim that is
	// data-dependent); "" means every node must be costed.
	uncosted string
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := analyzeModel(t, tc.model)
			if got := outputShapes(r); !slices.EqualFunc(got, tc.shapes, slices.Equal) {
				t.Errorf("output shapes %v, want %v", got, tc.shapes)
			}
			if r.MACs != tc.macs || r.Ops != tc.ops || r.Params != tc.params || r.Buffers != tc.buffers {
				t.Errorf("MACs %d ops %d params %d buffers %d, want %d %d %d %d",
					r.MACs, r.Ops, r.Params, r.Buffers, tc.macs, tc.ops, tc.params, tc.buffers)
			}
			switch {
			case tc.uncosted == "" && r.NodesCosted != r.Nodes:
				t.Errorf("%d of %d nodes costed: %v %v", r.NodesCosted, r.Nodes, r.Uncosted, r.Warnings)
			case tc.uncosted != "" && r.Uncosted[tc.uncosted] == 0:
				t.Errorf("%s costed; want it left uncosted (uncosted: %v)", tc.uncosted, r.Uncosted)
			}
		})
	}
}

// analyzeModel runs shape inference and costing; warnings other than
// about free dims fail the test, so a rule that rejects a valid node
// shows.
func analyzeModel(t *testing.T, b *graphtest.Builder) *analyze.Result {
	t.Helper()
	r, err := analyze.Analyze(b.Model(), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range r.Warnings {
		if !strings.Contains(w, "using 1") {
			t.Errorf("warning: %s", w)
		}
	}
	return r
}

// outputShapes lists the graph outputs' shapes, in order.
func outputShapes(r *analyze.Result) [][]int64 {
	var shapes [][]int64
	for _, o := range r.Outputs {
		shapes = append(shapes, o.Shape)
	}
	return shapes
}
