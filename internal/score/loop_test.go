package score_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
	"github.com/netscore/netscore/internal/score"
)

// An ONNX Loop whose trip count M is a graph input: its body (MatMul
// [1,4] x [4,4], 16 MACs a trip) counts once, so check cannot verify a MAC
// budget; --value M=4 makes the count exact (4 x 16 = 64) and the budget
// verified.
func TestCheckLoopTripCount(t *testing.T) {
	body := &ot.Graph{Name: "body",
		Inputs:  []ot.Value{{Name: "i", Elem: ot.Int64, Dims: ot.Dims()}, {Name: "cin", Elem: ot.Bool, Dims: ot.Dims()}, {Name: "v", Elem: ot.Float, NoShape: true}},
		Nodes:   []ot.Node{{Name: "mm", Op: "MatMul", In: []string{"v", "w"}, Out: []string{"vo"}}, {Name: "id", Op: "Identity", In: []string{"cin"}, Out: []string{"cout"}}},
		Outputs: []ot.Value{{Name: "cout", NoShape: true}, {Name: "vo", NoShape: true}}}
	m := ot.Relu(1, 4)
	m.Graph.Inputs = append(m.Graph.Inputs, ot.Value{Name: "M", Elem: ot.Int64, Dims: ot.Dims()})
	m.Graph.Inits = []ot.Tensor{ot.Weight("w", 4, 4), {Name: "cond", DType: ot.Bool, Dims: []int64{}, Raw: []byte{1}, HasRaw: true}}
	m.Graph.Nodes = []ot.Node{{Name: "loop", Op: "Loop", In: []string{"M", "cond", "x"}, Out: []string{"y"}, Attrs: []ot.Attr{{Name: "body", Type: 5, G: body}}}}
	path := filepath.Join(t.TempDir(), "loop.onnx")
	if err := os.WriteFile(path, m.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	limit := 1e6
	for _, tc := range []struct {
		name   string
		values map[string][]float64
		got    float64
		ok     bool
		err    string
	}{
		{"M at run time", nil, 16, false, "cannot verify: 1 nodes uncosted: Loop×1"},
		{"M=4", map[string][]float64{"M": {4}}, 64, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := score.Check(context.Background(), score.CheckRequest{Model: path,
				Budgets: score.Budgets{MaxMACs: &limit}, Bind: analyze.Options{Values: tc.values}})
			if err != nil {
				t.Fatal(err)
			}
			v := res.Verdicts[0]
			if v.Got != tc.got || v.OK != tc.ok || v.LowerBound == tc.ok || !strings.Contains(v.Err, tc.err) {
				t.Errorf("verdict %+v; want %v MACs, ok %v, error %q", v, tc.got, tc.ok, tc.err)
			}
			if w := strings.Join(res.Warnings, "\n"); tc.ok == strings.Contains(w, `node "loop" (Loop): trip count known only at run time`) {
				t.Errorf("warnings %q", res.Warnings)
			}
		})
	}
}
