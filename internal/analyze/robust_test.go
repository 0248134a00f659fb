package analyze_test

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
	"github.com/netscore/netscore/internal/graph"
)

// decode turns a built model into a graph, as the CLI would load it.
func decodeBuilt(t *testing.T, m *ot.Model) *graph.Model {
	t.Helper()
	g, err := onnx.Decode(filepath.Join(t.TempDir(), "model.onnx"), m.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func analyzeFails(t *testing.T, m *ot.Model, opt analyze.Options, want ...string) {
	t.Helper()
	r, err := analyze.Analyze(decodeBuilt(t, m), opt)
	if err == nil {
		t.Fatalf("analysed (%d nodes, warnings %q); want an error containing %q", r.Nodes, r.Warnings, want)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("error %q spans several lines", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
}

// graphOf is a model with input x (float 1x4), output y and these nodes.
func graphOfNodes(nodes ...ot.Node) *ot.Model {
	m := ot.Relu(1, 4)
	m.Graph.Nodes = nodes
	return m
}

func TestCycle(t *testing.T) {
	t.Run("two-nodes", func(t *testing.T) {
		analyzeFails(t, graphOfNodes(
			ot.Node{Name: "a", Op: "Add", In: []string{"x", "b"}, Out: []string{"a"}},
			ot.Node{Name: "b", Op: "Relu", In: []string{"a"}, Out: []string{"b"}},
			ot.Node{Name: "out", Op: "Relu", In: []string{"b"}, Out: []string{"y"}},
		), analyze.Options{}, "cycle")
	})
	t.Run("self", func(t *testing.T) {
		analyzeFails(t, graphOfNodes(
			ot.Node{Name: "self", Op: "Add", In: []string{"x", "y"}, Out: []string{"y"}},
		), analyze.Options{}, "cycle", "self")
	})
	t.Run("in-a-branch", func(t *testing.T) {
		// A cycle inside an If branch: an error or a warning that says
		// so, never a hang or a panic.
		body := &ot.Graph{Name: "then", Nodes: []ot.Node{
			{Name: "p", Op: "Add", In: []string{"x", "q"}, Out: []string{"p"}},
			{Name: "q", Op: "Relu", In: []string{"p"}, Out: []string{"q"}},
		}, Outputs: []ot.Value{{Name: "q", NoShape: true}}}
		m := graphOfNodes(ot.Node{Name: "if", Op: "If", In: []string{"c"}, Out: []string{"y"}, Attrs: []ot.Attr{{Name: "then_branch", Type: 5, G: body}, {Name: "else_branch", Type: 5, G: body}}})
		m.Graph.Inputs = append(m.Graph.Inputs, ot.Value{Name: "c", Elem: ot.Bool, Dims: ot.Dims()})
		r, err := analyze.Analyze(decodeBuilt(t, m), analyze.Options{})
		if err != nil {
			if !strings.Contains(err.Error(), "cycle") {
				t.Fatalf("error %v", err)
			}
			return
		}
		if !strings.Contains(strings.Join(r.Warnings, "\n"), "cycle") {
			t.Fatalf("no word of the cycle: warnings %q", r.Warnings)
		}
	})
}

func TestDangling(t *testing.T) {
	analyzeFails(t, graphOfNodes(ot.Node{Name: "r", Op: "Relu", In: []string{"ghost"}, Out: []string{"y"}}),
		analyze.Options{}, `node "r" (Relu) reads "ghost"`, "no node, initializer or graph input provides")

	m := graphOfNodes(ot.Node{Name: "r", Op: "Relu", In: []string{"x"}, Out: []string{"y"}})
	m.Graph.Outputs = append(m.Graph.Outputs, ot.Value{Name: "nowhere", NoShape: true})
	analyzeFails(t, m, analyze.Options{}, `graph output "nowhere" is produced by nothing`)
}

func TestInputBinding(t *testing.T) {
	m := ot.Relu(1, 4)
	analyzeFails(t, m, analyze.Options{Inputs: map[string][]int64{"nope": {1}}}, "--input nope", "no input of that name", "inputs: x")
	analyzeFails(t, m, analyze.Options{Inputs: map[string][]int64{"x": {1, 2, 3}}}, "--input x", "3 dims given", "declares 2")

	// A negative declared dim is unknown: bound to 1 with a warning.
	m.Graph.Inputs[0].Dims = ot.Dims(-5, 4)
	r, err := analyze.Analyze(decodeBuilt(t, m), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Inputs[0].Shape; len(got) != 2 || got[0] != 1 || got[1] != 4 {
		t.Fatalf("input shape %v, want [1 4]", got)
	}
	w := strings.Join(r.Warnings, "\n")
	if !strings.Contains(w, "declares dim 0 as -5") || !strings.Contains(w, `dim 0 of input "x" is free; using 1`) {
		t.Fatalf("warnings %q", r.Warnings)
	}
}

// Shapes near the int64 limits saturate; they never wrap negative.
func TestHugeShapes(t *testing.T) {
	conv := ot.Chain([]int64{1, 3, 8, 8}, ot.Node{Name: "c", Op: "Conv", In: []string{"", "k"}})
	conv.Graph.Inits = []ot.Tensor{ot.Weight("k", 16, 3, 3, 3)}
	checkHuge(t, conv, [][]int64{
		{1, 3, 1 << 20, 1 << 20},
		{1 << 40, 3, 1 << 40, 1 << 40}, // element count overflows: unknown
	})
	t.Run("bytes-overflow", func(t *testing.T) {
		// 3*2^60 float elements: the count fits int64, the bytes do not.
		// The byte counts saturate; they never wrap to negative.
		checkHuge(t, conv, [][]int64{{1 << 20, 3, 1 << 20, 1 << 20}})
	})

	// A Loop whose trip count is the largest int64.
	body := &ot.Graph{Name: "body",
		Inputs:  []ot.Value{{Name: "i", Elem: ot.Int64, Dims: ot.Dims()}, {Name: "cin", Elem: ot.Bool, Dims: ot.Dims()}, {Name: "v", Elem: ot.Float, NoShape: true}},
		Nodes:   []ot.Node{{Name: "mm", Op: "MatMul", In: []string{"v", "w"}, Out: []string{"vo"}}, {Name: "id", Op: "Identity", In: []string{"cin"}, Out: []string{"cout"}}},
		Outputs: []ot.Value{{Name: "cout", NoShape: true}, {Name: "vo", NoShape: true}}}
	loop := ot.Relu(4, 4)
	loop.Graph.Inits = []ot.Tensor{ot.Ints64("M", math.MaxInt64), ot.Weight("w", 4, 4), {Name: "cond", DType: ot.Bool, Dims: []int64{}, Raw: []byte{1}}}
	loop.Graph.Inits[0].Dims = []int64{}
	loop.Graph.Nodes = []ot.Node{{Name: "loop", Op: "Loop", In: []string{"M", "cond", "x"}, Out: []string{"y"}, Attrs: []ot.Attr{{Name: "body", Type: 5, G: body}}}}
	r, err := analyze.Analyze(decodeBuilt(t, loop), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.MACs != math.MaxInt64 {
		t.Errorf("loop of 2^63-1 trips: MACs %d, want saturated %d", r.MACs, int64(math.MaxInt64))
	}
}

func checkHuge(t *testing.T, m *ot.Model, shapes [][]int64) {
	t.Helper()
	for _, dims := range shapes {
		r, err := analyze.Analyze(decodeBuilt(t, m), analyze.Options{Inputs: map[string][]int64{"x": dims}})
		if err != nil {
			t.Fatalf("%v: %v", dims, err)
		}
		for name, v := range map[string]int64{"MACs": r.MACs, "FLOPs": r.FLOPs(), "Ops": r.Ops, "ActivationBytes": r.ActivationBytes, "PeakActivationBytes": r.PeakActivationBytes, "Params": r.Params} {
			if v < 0 {
				t.Errorf("%v: %s = %d", dims, name, v)
			}
		}
	}
}

// The shape-moving ops that propagate values must not allocate in
// proportion to the shapes a hostile file claims.
func TestAnalyzeMemoryBound(t *testing.T) {
	m := ot.Relu(1)
	g := m.Graph
	g.Inits = []ot.Tensor{
		ot.Ints64("big", 1<<40, 1<<20),
		ot.Ints64("start", 0), ot.Ints64("limit", 1<<40), ot.Ints64("delta", 1),
		ot.Ints64("reps", 1<<40),
	}
	for i := 1; i <= 3; i++ {
		g.Inits[i].Dims = []int64{}
	}
	g.Nodes = []ot.Node{
		{Name: "cos", Op: "ConstantOfShape", In: []string{"big"}, Out: []string{"c"}},
		{Name: "range", Op: "Range", In: []string{"start", "limit", "delta"}, Out: []string{"rg"}},
		{Name: "expand", Op: "Expand", In: []string{"x", "big"}, Out: []string{"e"}},
		{Name: "tile", Op: "Tile", In: []string{"x", "reps"}, Out: []string{"tl"}},
		{Name: "shape", Op: "Shape", In: []string{"c"}, Out: []string{"s"}},
		{Name: "cos2", Op: "ConstantOfShape", In: []string{"s"}, Out: []string{"c2"}},
		{Name: "relu", Op: "Relu", In: []string{"x"}, Out: []string{"y"}},
	}
	model := m.Bytes()
	path := filepath.Join(t.TempDir(), "model.onnx")
	var err error
	allocated := allocBytes(func() {
		var gm *graph.Model
		if gm, err = onnx.Decode(path, model); err == nil {
			_, err = analyze.Analyze(gm, analyze.Options{})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if allocated > 4<<20 {
		t.Fatalf("a %d-byte model took %d bytes of allocations", len(model), allocated)
	}
}

func allocBytes(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A graph of many independent nodes: the topological sort must stay
// O(n log n) (it once re-sorted its ready list per node). Speed is a
// benchmark, not a test: go test -bench WideGraph ./internal/analyze/
func BenchmarkWideGraph(b *testing.B) {
	m := ot.Relu(1, 4)
	g := m.Graph
	g.Nodes = nil
	const n = 40000
	for i := 0; i < n; i++ {
		g.Nodes = append(g.Nodes, ot.Node{Op: "Relu", In: []string{"x"}, Out: []string{"r" + strconv.Itoa(i)}})
	}
	g.Nodes = append(g.Nodes, ot.Node{Op: "Relu", In: []string{"x"}, Out: []string{"y"}})
	data := m.Bytes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gm, err := onnx.Decode("wide.onnx", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := analyze.Analyze(gm, analyze.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A chain of If nodes, each in the then-branch of the one above, with a
// condition known only at run time: each branch must be analysed once (it
// once ran twice per level, 2^depth in all).
func BenchmarkNestedIf(b *testing.B) {
	data := ifChain(16, 50).Bytes()
	for i := 0; i < b.N; i++ {
		gm, err := onnx.Decode("if.onnx", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := analyze.Analyze(gm, analyze.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// Nested run-time Ifs: one layer per node of every branch, the costlier
// branch of each level in the total, the other outside it.
func TestNestedIfLayers(t *testing.T) {
	r, err := analyze.Analyze(decodeBuilt(t, ifChain(3, 5)), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, out := 0, 0
	for _, l := range r.Layers {
		if l.InTotal {
			in++
		} else {
			out++
		}
	}
	if in == 0 || out == 0 || r.Nodes != in {
		t.Errorf("%d layers in the total, %d outside, %d nodes counted", in, out, r.Nodes)
	}
}

// ifChain nests depth If nodes, each level holding width Relu nodes.
func ifChain(depth, width int) *ot.Model {
	other := &ot.Graph{Name: "else", Nodes: []ot.Node{{Op: "Identity", In: []string{"v"}, Out: []string{"eo"}}}, Outputs: []ot.Value{{Name: "eo", NoShape: true}}}
	var g *ot.Graph
	for i := 0; i < depth; i++ {
		var ns []ot.Node
		for k := 0; k < width; k++ {
			ns = append(ns, ot.Node{Op: "Relu", In: []string{"v"}, Out: []string{"l" + strconv.Itoa(i) + "_" + strconv.Itoa(k)}})
		}
		out := "o" + strconv.Itoa(i)
		if g == nil {
			ns = append(ns, ot.Node{Op: "Identity", In: []string{"v"}, Out: []string{out}})
		} else {
			ns = append(ns, ot.Node{Op: "If", In: []string{"c"}, Out: []string{out}, Attrs: []ot.Attr{{Name: "then_branch", Type: 5, G: g}, {Name: "else_branch", Type: 5, G: other}}})
		}
		g = &ot.Graph{Name: "level", Nodes: ns, Outputs: []ot.Value{{Name: out, NoShape: true}}}
	}
	g.Inputs = []ot.Value{{Name: "c", Elem: ot.Bool, Dims: ot.Dims()}, {Name: "v", Elem: ot.Float, Dims: ot.Dims(1, 8)}}
	return &ot.Model{IRVersion: 8, Graph: g}
}

// Every committed fixture, cut short or with bytes flipped, decodes to an
// error or analyses without a panic.
func TestDamagedFixtures(t *testing.T) {
	for _, name := range []string{"resnet18_op13_dyn.onnx", "lstm_classifier_op13_dyn.onnx", "tiny_transformer_op13_dyn.onnx"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/models", name))
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, len(data))
		for i := 0; i < 200; i++ {
			copy(buf, data)
			buf[(i*7919)%len(buf)] ^= byte(1 + i%255)
			buf[(i*104729)%len(buf)] = byte(i)
			if gm, err := onnx.Decode(name, buf); err == nil {
				_, _ = analyze.Analyze(gm, analyze.Options{})
			}
		}
	}
}

// noPanic runs fn, failing t (not the whole test binary) on a panic.
func noPanic(t *testing.T, fn func()) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	fn()
}

// Crashers the fuzzers found, written out as readable graphs (their
// corpus files are in testdata/fuzz). The analysis may refuse or leave a
// node uncosted; it must not panic.
func TestFuzzCrashers(t *testing.T) {
	scalar := func(name string, dtype int64, raw []byte) ot.Tensor {
		return ot.Tensor{Name: name, DType: dtype, Dims: []int64{}, Raw: raw, HasRaw: true}
	}
	nan := float32(math.NaN())
	branch := &ot.Graph{Name: "b", Nodes: []ot.Node{{Op: "Identity", In: []string{"x"}, Out: []string{"bo"}}}, Outputs: []ot.Value{{Name: "bo", NoShape: true}}}
	cases := []struct {
		name  string
		inits []ot.Tensor
		node  ot.Node
	}{
		{"Range of NaNs", []ot.Tensor{scalar("nan", ot.Float, ot.RawFloats(nan))},
			ot.Node{Op: "Range", In: []string{"nan", "nan", "nan"}}},
		{"Expand to an overflowing shape", []ot.Tensor{scalar("half", ot.Float, ot.RawFloats(0.5)), ot.Ints64("shape", 100000, 100000, 100000, 100000, 100000, 100000)},
			ot.Node{Op: "Expand", In: []string{"half", "shape"}}},
		{"Split with a negative size", []ot.Tensor{ot.Ints64("v", 100000), ot.Ints64("sizes", -2)},
			ot.Node{Op: "Split", In: []string{"v", "sizes"}}},
		{"DepthToSpace blocksize 2^62", nil,
			ot.Node{Op: "DepthToSpace", In: []string{"x4"}, Attrs: []ot.Attr{{Name: "blocksize", Type: 2, I: ot.Int(1 << 62)}}}},
		{"Compress with one input", nil,
			ot.Node{Op: "Compress", In: []string{"x"}}},
		{"If without a condition", nil,
			ot.Node{Op: "If", Attrs: []ot.Attr{{Name: "then_branch", Type: 5, G: branch}, {Name: "else_branch", Type: 5, G: branch}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := ot.Relu(1, 4)
			m.Graph.Inputs = append(m.Graph.Inputs, ot.Value{Name: "x4", Elem: ot.Float, Dims: ot.Dims(1, 8, 2, 2)})
			m.Graph.Inits = c.inits
			n := c.node
			n.Name, n.Out = "n", []string{"y"}
			m.Graph.Nodes = []ot.Node{n}
			gm := decodeBuilt(t, m)
			noPanic(t, func() { _, _ = analyze.Analyze(gm, analyze.Options{}) })
		})
	}
}
