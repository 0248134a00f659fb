package analyze

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// One-element tensors under each convention, case by case as
// docs/counting.md lists them.
func TestParamsConventionScalars(t *testing.T) {
	b := graphtest.New().
		Input("x", graph.Float32, 1, 4).
		Weight("W", graph.Float32, 4, 1).                   // 4
		Weight("onnx::Gemm_9", graph.Float32, 1).           // a layer's [1] bias: learned whatever its name
		Weight("block.w_0", graph.Float32, 1).              // Paddle's learned scale, read by Mul
		Weight("alpha", graph.Float32).                     // a torch nn.Parameter scalar, read by Mul
		Weight("slope", graph.Float32, 1).                  // PReLU's one slope
		Weight("onnx::Mul_3", graph.Float32).               // literals, by their generated names
		Weight("/gelu/Constant_2_output_0", graph.Float32). //
		Weight("p2o.helper.constant.4", graph.Float32).     //
		Weight("17", graph.Float32).                        //
		Weight("const_fold_opt__5", graph.Float32).         //
		Weight("lo", graph.Float32).                        // Clip's bound: an operand in both conventions
		Node("Gemm", "x", "W", "onnx::Gemm_9").Out("a").
		Node("Mul", "block.w_0", "a").Out("b").
		Node("Mul", "b", "alpha").Out("c").
		Node("PRelu", "c", "slope").Out("d").
		Node("Mul", "d", "onnx::Mul_3").Out("e").
		Node("Add", "e", "/gelu/Constant_2_output_0").Out("f").
		Node("Div", "f", "p2o.helper.constant.4").Out("g").
		Node("Sub", "g", "17").Out("h").
		Node("Add", "h", "const_fold_opt__5").Out("i").
		Node("Clip", "i", "lo").Out("y").
		Outputs("y")
	for _, c := range []struct {
		conv ParamsConvention
		want int64
	}{{"", 4 + 4}, {Learned, 4 + 4}, {Stored, 4 + 4 + 5}} {
		r := run(t, b, Options{Params: c.conv})
		if r.Params != c.want {
			t.Errorf("%q: params %d, want %d", c.conv, r.Params, c.want)
		}
		if want := c.conv; want != "" && r.ParamsConvention != want || want == "" && r.ParamsConvention != Learned {
			t.Errorf("%q: reported as %q", c.conv, r.ParamsConvention)
		}
	}
	if _, err := Analyze(b.Model(), Options{Params: "all"}); err == nil {
		t.Error("an unknown convention was accepted")
	}
}
