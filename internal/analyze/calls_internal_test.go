package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/graph"
)

// Subgraphs that each call the next several times expand exponentially
// within the depth bound; the node-run budget stops them with one error.
func TestCallExpansionBounded(t *testing.T) {
	defer func(old int) { maxCalledNodes = old }(maxCalledNodes)
	maxCalledNodes = 1000
	const levels, fanOut = 10, 4 // 4^10 runs of the innermost graph unbounded
	main := graph.NewGraph("main", nil)
	subs := []*graph.Graph{main}
	for i := 1; i <= levels; i++ {
		g := graph.NewGraph(fmt.Sprint("level", i), nil)
		g.Tensors["a"] = &graph.Tensor{Name: "a", Role: graph.Input}
		g.Inputs = []string{"a"}
		for k := 0; k < fanOut; k++ {
			out := fmt.Sprint("r", k)
			g.Tensors[out] = &graph.Tensor{Name: out}
			n := &graph.Node{Name: fmt.Sprint("call", i, "_", k), Op: "Relu", Opset: 13, Inputs: []string{"a"}, Outputs: []string{out}}
			if i < levels {
				n.Op, n.Domain, n.Attrs = "CALL", "tflite", map[string]*graph.Attr{"f": {Kind: graph.AttrSubgraph, I: int64(i + 1)}}
			}
			g.Nodes = append(g.Nodes, n)
		}
		subs = append(subs, g)
	}
	main.Tensors["x"] = &graph.Tensor{Name: "x", DType: graph.Float32, Role: graph.Input, HasDeclared: true, Declared: []graph.Dim{{Value: 4}}}
	main.Tensors["y"] = &graph.Tensor{Name: "y"}
	main.Inputs, main.Outputs = []string{"x"}, []string{"y"}
	main.Nodes = []*graph.Node{{Name: "top", Op: "CALL", Domain: "tflite", Inputs: []string{"x"}, Outputs: []string{"y"}, Attrs: map[string]*graph.Attr{"f": {Kind: graph.AttrSubgraph, I: 1}}}}
	_, err := Analyze(&graph.Model{Path: "fan", Graph: main, Subgraphs: subs}, Options{})
	if err == nil || !strings.Contains(err.Error(), "more than 1000 node runs") {
		t.Errorf("error %v; want the node-run budget", err)
	}
}
