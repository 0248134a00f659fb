package analyze_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
)

// convBody is a subgraph a -> Conv(a, w, b) -> r of the PyTorch "conv"
// case, standing alone as TFLite subgraphs do (Parent nil).
func convBody(t *testing.T, name string) *graph.Graph {
	c := twinCases(t)["conv"]
	g := graph.NewGraph(name, nil)
	g.Tensors["a"] = &graph.Tensor{Name: "a", Role: graph.Input}
	g.Tensors["w"] = &graph.Tensor{Name: "w", DType: graph.Float32, Role: graph.Weight, Shape: c.WeightTorch, HasShape: true}
	g.Tensors["b"] = &graph.Tensor{Name: "b", DType: graph.Float32, Role: graph.Weight, Shape: []int64{c.BiasNumel}, HasShape: true}
	g.Tensors["r"] = &graph.Tensor{Name: "r"}
	g.Inputs, g.Outputs = []string{"a"}, []string{"r"}
	g.Nodes = []*graph.Node{{Name: name + "_conv", Op: "Conv", Opset: 13, Inputs: []string{"a", "w", "b"}, Outputs: []string{"r"}, Attrs: windowAttrs(c, true)}}
	return g
}

// withCaller is a model whose main graph feeds input x (the conv case's
// input) and the given extra weights to one node, whose output is y.
func withCaller(t *testing.T, n *graph.Node, extra map[string]*graph.Tensor, subgraphs ...*graph.Graph) *graph.Model {
	c := twinCases(t)["conv"]
	g := graph.NewGraph("main", nil)
	x := &graph.Tensor{Name: "x", DType: graph.Float32, Role: graph.Input, HasDeclared: true}
	for _, d := range c.InputNCHW {
		x.Declared = append(x.Declared, graph.Dim{Value: d})
	}
	g.Tensors["x"], g.Tensors["y"] = x, &graph.Tensor{Name: "y"}
	for name, t := range extra {
		t.Name, t.Role, t.HasShape = name, graph.Weight, true
		g.Tensors[name] = t
	}
	g.Inputs, g.Outputs = []string{"x"}, []string{"y"}
	n.Outputs = []string{"y"}
	g.Nodes = []*graph.Node{n}
	return &graph.Model{Path: "calls", Format: "test", Graph: g, Subgraphs: append([]*graph.Graph{g}, subgraphs...)}
}

func ref(i int64) *graph.Attr { return &graph.Attr{Kind: graph.AttrSubgraph, I: i} }

func TestSubgraphsByIndex(t *testing.T) {
	c := twinCases(t)["conv"]
	check := func(t *testing.T, m *graph.Model, macs, params int64) *analyze.Result {
		t.Helper()
		r, err := analyze.Analyze(m, analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.MACs != macs || r.Params != params {
			t.Errorf("%d MACs, %d params; want %d, %d", r.MACs, r.Params, macs, params)
		}
		if got := r.Outputs[0].Shape; !slices.Equal(got, c.OutputNCHW) {
			t.Errorf("output %v, want PyTorch's %v", got, c.OutputNCHW)
		}
		return r
	}
	t.Run("If", func(t *testing.T) {
		// TFLite's IF(cond, args...): the branches take the args. The
		// condition is known, so only the then branch counts; the else
		// branch's weights are in the file all the same.
		elseG := convBody(t, "else")
		elseG.Tensors["w"].Shape = []int64{16, 3, 1, 1}
		n := &graph.Node{Name: "if", Op: "If", Opset: 13, Inputs: []string{"cond", "x"},
			Attrs: map[string]*graph.Attr{"then_branch": ref(1), "else_branch": ref(2)}}
		m := withCaller(t, n, map[string]*graph.Tensor{"cond": {DType: graph.Bool, Shape: []int64{}, Ints: []int64{1}}}, convBody(t, "then"), elseG)
		r := check(t, m, c.MACs, c.Params+16*3+16)
		if l := r.Layers[0]; l.Scope != "if/then_branch" || !l.InTotal {
			t.Errorf("first layer %+v; want the then branch's conv, in the total", l)
		}
	})
	t.Run("Loop", func(t *testing.T) {
		// ONNX's Loop(M, cond, v) with its body by index: M = 3 trips.
		body := convBody(t, "body")
		body.Tensors["iter"] = &graph.Tensor{Name: "iter", Role: graph.Input}
		body.Tensors["c"] = &graph.Tensor{Name: "c", Role: graph.Input}
		body.Tensors["c_out"] = &graph.Tensor{Name: "c_out"}
		body.Inputs = []string{"iter", "c", "a"}
		body.Outputs = []string{"c_out", "r"}
		body.Nodes = append(body.Nodes, &graph.Node{Name: "keep", Op: "Identity", Opset: 13, Inputs: []string{"c"}, Outputs: []string{"c_out"}})
		n := &graph.Node{Name: "loop", Op: "Loop", Opset: 13, Inputs: []string{"trips", "go", "x"}, Attrs: map[string]*graph.Attr{"body": ref(1)}}
		m := withCaller(t, n, map[string]*graph.Tensor{
			"trips": {DType: graph.Int64, Shape: []int64{}, Ints: []int64{3}},
			"go":    {DType: graph.Bool, Shape: []int64{}, Ints: []int64{1}},
		}, body)
		check(t, m, 3*c.MACs, c.Params)
	})
	t.Run("call", func(t *testing.T) {
		// An op with no rule that refers to subgraphs (TFLite's WHILE):
		// each runs once; the body, first by name, gives the outputs. A
		// `body` makes it a loop whose trip count is data: the node is
		// uncosted and the totals (the body once) lower bounds.
		cond := graph.NewGraph("cond", nil)
		cond.Tensors["a"] = &graph.Tensor{Name: "a", Role: graph.Input}
		cond.Inputs, cond.Outputs = []string{"a"}, []string{"a"}
		n := &graph.Node{Name: "while", Op: "WHILE", Domain: "tflite", Inputs: []string{"x"},
			Attrs: map[string]*graph.Attr{"cond": ref(1), "body": ref(2)}}
		r := check(t, withCaller(t, n, nil, cond, convBody(t, "body")), c.MACs, c.Params)
		if r.Uncosted["tflite::WHILE"] != 1 || r.NodesCosted != r.Nodes-1 ||
			!slices.Contains(r.Warnings, `node "while" (tflite::WHILE): trip count known only at run time; body counted once`) {
			t.Errorf("uncosted %v, warnings %q; want the WHILE uncosted, named", r.Uncosted, r.Warnings)
		}
	})
	t.Run("call once", func(t *testing.T) {
		// CALL_ONCE's `init` runs once: an exact count, costed.
		n := &graph.Node{Name: "once", Op: "CALL_ONCE", Domain: "tflite", Inputs: []string{"x"},
			Attrs: map[string]*graph.Attr{"init": ref(1)}}
		r := check(t, withCaller(t, n, nil, convBody(t, "init")), c.MACs, c.Params)
		if r.NodesCosted != r.Nodes || len(r.Warnings) != 0 {
			t.Errorf("%d of %d costed, warnings %q; want all costed", r.NodesCosted, r.Nodes, r.Warnings)
		}
	})
}

func TestSubgraphIndexFaults(t *testing.T) {
	t.Run("bad-index", func(t *testing.T) {
		n := &graph.Node{Name: "while_7", Op: "WHILE", Domain: "tflite", Inputs: []string{"x"}, Attrs: map[string]*graph.Attr{"body": ref(7)}}
		_, err := analyze.Analyze(withCaller(t, n, nil, convBody(t, "body")), analyze.Options{})
		if err == nil || !contains(err.Error(), `node "while_7"`, "subgraph 7 does not exist (the model has 2)") {
			t.Errorf("error %v; want one naming while_7 and the bad index", err)
		}
	})
	t.Run("recursion", func(t *testing.T) {
		// Subgraph 1 calls itself, and the main graph (subgraph 0) calls
		// the main graph: each is refused once, not run forever.
		self := convBody(t, "self")
		self.Tensors["again"] = &graph.Tensor{Name: "again"}
		self.Nodes = append(self.Nodes, &graph.Node{Name: "again", Op: "CALL", Domain: "tflite", Inputs: []string{"r"}, Outputs: []string{"again"}, Attrs: map[string]*graph.Attr{"f": ref(1)}})
		n := &graph.Node{Name: "outer", Op: "CALL", Domain: "tflite", Inputs: []string{"x"}, Attrs: map[string]*graph.Attr{"f": ref(1)}}
		m := withCaller(t, n, nil, self)
		m.Graph.Tensors["z"] = &graph.Tensor{Name: "z"}
		m.Graph.Nodes = append(m.Graph.Nodes, &graph.Node{Name: "main_again", Op: "CALL", Domain: "tflite", Inputs: []string{"x"}, Outputs: []string{"z"}, Attrs: map[string]*graph.Attr{"f": ref(0)}})
		r, err := analyze.Analyze(m, analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		w := strings.Join(r.Warnings, "\n")
		if !contains(w, `node "again"`, `subgraph "self" calls itself`, `node "main_again"`, `subgraph "main" calls itself`) {
			t.Errorf("warnings %q; want both recursions refused", r.Warnings)
		}
	})
	t.Run("depth", func(t *testing.T) {
		// 20 subgraphs, each calling the next: refused past the bound.
		var subs []*graph.Graph
		for i := 1; i <= 20; i++ {
			g := graph.NewGraph(fmt.Sprint("level", i), nil)
			g.Tensors["a"] = &graph.Tensor{Name: "a", Role: graph.Input}
			g.Tensors["r"] = &graph.Tensor{Name: "r"}
			g.Inputs, g.Outputs = []string{"a"}, []string{"r"}
			n := &graph.Node{Name: fmt.Sprint("call", i), Op: "Relu", Opset: 13, Inputs: []string{"a"}, Outputs: []string{"r"}}
			if i < 20 {
				n.Op, n.Domain, n.Attrs = "CALL", "tflite", map[string]*graph.Attr{"f": ref(int64(i + 1))}
			}
			g.Nodes = []*graph.Node{n}
			subs = append(subs, g)
		}
		n := &graph.Node{Name: "top", Op: "CALL", Domain: "tflite", Inputs: []string{"x"}, Attrs: map[string]*graph.Attr{"f": ref(1)}}
		r, err := analyze.Analyze(withCaller(t, n, nil, subs...), analyze.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "calls nest deeper than 16") {
			t.Errorf("warnings %q; want the depth bound", r.Warnings)
		}
	})
}

// A custom op's options travel with its node untouched: nothing neutral
// reads them, so the op is uncosted until its format registers a rule.
func TestOpaqueOptionsCarried(t *testing.T) {
	opts := []byte{0x0a, 0x03, 'a', 'b', 'c'}
	n := &graph.Node{Name: "custom", Op: "MyCustomOp", Domain: "tflite", Inputs: []string{"x"},
		Opaque: &graph.Opaque{Format: "tflite", Data: slices.Clone(opts)}}
	m := withCaller(t, n, nil)
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Graph.Nodes[0].Opaque; got.Format != "tflite" || !slices.Equal(got.Data, opts) {
		t.Errorf("options now %+v, want tflite %v", got, opts)
	}
	if l := r.Layers[0]; l.Costed || l.Reason != "no rule for this operator" {
		t.Errorf("layer %+v; want uncosted for want of a rule", l)
	}
}
