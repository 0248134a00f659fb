package analyze_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
	"github.com/netscore/netscore/internal/ops"
)

// fuzzProg reads a fuzzer's bytes as a little program that builds a graph;
// past the end it reads zeros, so every input builds something.
type fuzzProg struct {
	b []byte
	i int
}

func (p *fuzzProg) u8() byte {
	if p.i >= len(p.b) {
		return 0
	}
	p.i++
	return p.b[p.i-1]
}

func (p *fuzzProg) pick(n int) int {
	if n <= 0 {
		return 0
	}
	return int(p.u8()) % n
}

// interesting integers: small sizes, the edges of int64 and of the
// limits the code applies.
var fuzzInts = []int64{0, 1, 2, 3, 4, -1, -2, 5, 7, 8, 16, 224, -3, 1 << 20, 1 << 31, 1 << 40, 1<<40 + 1, math.MaxInt32, math.MaxInt64, math.MinInt64, -1 << 40, 4096, 4097, 100000, 1 << 62}

func (p *fuzzProg) int() int64 {
	k := p.u8()
	if k < 200 {
		return fuzzInts[int(k)%len(fuzzInts)]
	}
	return int64(k) - 228 // -28..27
}

func (p *fuzzProg) intList(max int) []int64 {
	n := p.pick(max + 1)
	out := make([]int64, n)
	for i := range out {
		out[i] = p.int()
	}
	return out
}

var fuzzFloats = []float32{0, 1, -1, 0.5, 2, 3, 1e30, -1e30, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-30, 7.5, 224, -0.5}

func (p *fuzzProg) float() float32 { return fuzzFloats[p.pick(len(fuzzFloats))] }

var fuzzStrs = []string{"", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID", "forward", "reverse", "bidirectional",
	"nearest", "linear", "cubic", "bilinear", "trilinear", "constant", "reflect", "edge", "DCR", "CRD",
	"not_larger", "not_smaller", "stretch", "ij,jk->ik", "...ii->...i", "bij,bjk->bik", "i,i", "->", "a,b->ab", "Relu", "Tanh,Sigmoid"}

var fuzzAttrNames = []string{"axis", "axes", "kernel_shape", "pads", "strides", "dilations", "shape", "perm", "split",
	"num_outputs", "starts", "ends", "start", "end", "size", "keepdims", "dtype", "to", "group", "auto_pad",
	"ceil_mode", "output_shape", "output_padding", "hidden_size", "direction", "mode", "value", "k",
	"batch_dims", "blocksize", "equation", "scales", "num_scan_inputs", "scan_input_axes", "scan_output_axes",
	"allowzero", "noop_with_empty_axes", "num_heads", "layout", "channels_last", "sample_size", "pooled_shape",
	"output_height", "output_width", "sampling_ratio", "stash_type", "paddings", "activation", "output_dtype",
	"keep_aspect_ratio_policy", "qkv_hidden_sizes", "transA", "transB", "epsilon", "alpha", "beta",
	"value_int", "value_ints", "value_float", "value_floats", "largest", "sorted"}

var fuzzOpsets = []int64{13, 1, 5, 7, 9, 10, 11, 12, 14, 17, 18, 19, 21, 22}

var fuzzDTypes = []int64{ot.Float, ot.Int64, ot.Int32, ot.Bool, ot.Uint8, ot.Double, 10, 16, 0, 999}

// fuzzOpList is every operator with a rule, plus control flow, in a fixed
// order. Registering an operator shifts the order, so a corpus file may
// then build another graph: the crashers found so far are also written
// out as readable graphs in TestFuzzCrashers (robust_test.go).
func fuzzOpList() [][2]string {
	var out [][2]string
	for d, names := range ops.Supported() {
		for _, n := range names {
			out = append(out, [2]string{d, n})
		}
	}
	out = append(out, [2]string{"", "If"}, [2]string{"", "Loop"}, [2]string{"", "Scan"}, [2]string{"", "NoSuchOp"})
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}

func (p *fuzzProg) tensor(name string) ot.Tensor {
	switch p.pick(4) {
	case 0: // float scalar or vector with values
		n := p.pick(5)
		t := ot.Tensor{Name: name, DType: ot.Float, Dims: []int64{int64(n)}, HasRaw: true}
		if p.pick(3) == 0 {
			t.Dims = []int64{}
			n = 1
		}
		vs := make([]float32, n)
		for i := range vs {
			vs[i] = p.float()
		}
		t.Raw = ot.RawFloats(vs...)
		return t
	case 1: // float weight of fuzzed small dims, zero data
		dims := make([]int64, p.pick(5))
		for i := range dims {
			dims[i] = int64(p.pick(9))
		}
		return ot.Weight(name, dims...)
	default: // int64 values (shapes, axes, indices)
		vs := p.intList(6)
		t := ot.Ints64(name, vs...)
		if len(vs) == 1 && p.pick(2) == 0 {
			t.Dims = []int64{}
		}
		return t
	}
}

func (p *fuzzProg) attr() ot.Attr {
	a := ot.Attr{Name: fuzzAttrNames[p.pick(len(fuzzAttrNames))]}
	switch p.pick(6) {
	case 0:
		a.Type, a.I = 2, ot.Int(p.int())
	case 1:
		a.Type, a.Ints = 7, p.intList(8)
	case 2:
		a.Type, a.F = 1, ot.F32(p.float())
	case 3:
		a.Type, a.S = 3, ot.Str(fuzzStrs[p.pick(len(fuzzStrs))])
	case 4:
		t := p.tensor("")
		a.Type, a.T = 4, &t
	default:
		a.Type = 6
		for i := p.pick(4); i > 0; i-- {
			a.Floats = append(a.Floats, p.float())
		}
	}
	return a
}

// body builds a small subgraph reading outer names; nIn inputs, nOut outputs.
func (p *fuzzProg) body(outer []string, nIn, nOut int, depth int) *ot.Graph {
	g := &ot.Graph{Name: "body"}
	names := append([]string{}, outer...)
	for i := 0; i < nIn; i++ {
		n := "b" + strconv.Itoa(depth) + "_in" + strconv.Itoa(i)
		v := ot.Value{Name: n, Elem: fuzzDTypes[p.pick(len(fuzzDTypes))], Dims: ot.Dims(p.intList(3)...)}
		if p.pick(3) == 0 {
			v.NoShape = true
		}
		g.Inputs = append(g.Inputs, v)
		names = append(names, n)
	}
	p.nodes(g, &names, 1+p.pick(3), depth+1)
	for i := 0; i < nOut; i++ {
		g.Outputs = append(g.Outputs, ot.Value{Name: names[len(names)-1-p.pick(min(len(names), 3))], NoShape: true})
	}
	return g
}

var fuzzOps = fuzzOpList()

// nodes appends count nodes to g, each reading names already defined.
func (p *fuzzProg) nodes(g *ot.Graph, names *[]string, count, depth int) {
	for k := 0; k < count; k++ {
		op := fuzzOps[(int(p.u8())<<8|int(p.u8()))%len(fuzzOps)]
		n := ot.Node{Name: "n" + strconv.Itoa(depth) + "_" + strconv.Itoa(k), Domain: op[0], Op: op[1]}
		for i := p.pick(5); i >= 0; i-- {
			if p.pick(8) == 0 {
				n.In = append(n.In, "")
				continue
			}
			n.In = append(n.In, (*names)[p.pick(len(*names))])
		}
		for i := p.pick(4); i > 0; i-- {
			n.Attrs = append(n.Attrs, p.attr())
		}
		nOut := 1 + p.pick(3)
		for i := 0; i < nOut; i++ {
			n.Out = append(n.Out, n.Name+"_out"+strconv.Itoa(i))
		}
		if depth < 3 {
			switch op[1] {
			case "If":
				n.Attrs = append(n.Attrs, ot.Attr{Name: "then_branch", Type: 5, G: p.body(*names, 0, nOut, depth)},
					ot.Attr{Name: "else_branch", Type: 5, G: p.body(*names, 0, nOut, depth)})
			case "Loop":
				n.Attrs = append(n.Attrs, ot.Attr{Name: "body", Type: 5, G: p.body(*names, len(n.In), 1+nOut, depth)})
			case "Scan":
				n.Attrs = append(n.Attrs, ot.Attr{Name: "body", Type: 5, G: p.body(*names, len(n.In), nOut, depth)})
			}
		}
		g.Nodes = append(g.Nodes, n)
		*names = append(*names, n.Out...)
	}
}

// buildFuzzGraph turns the program into a model and binding options.
func buildFuzzGraph(b []byte) (*ot.Model, analyze.Options) {
	p := &fuzzProg{b: b}
	g := &ot.Graph{Name: "fuzz"}
	var names []string
	opt := analyze.Options{Inputs: map[string][]int64{}, Dims: map[string]int64{}}
	for i := p.pick(3); i >= 0; i-- {
		name := "x" + strconv.Itoa(i)
		v := ot.Value{Name: name, Elem: fuzzDTypes[p.pick(len(fuzzDTypes))]}
		for j := p.pick(6); j > 0; j-- {
			switch p.pick(4) {
			case 0:
				v.Dims = append(v.Dims, ot.Sym("N"))
			case 1:
				v.Dims = append(v.Dims, ot.Dim{})
			default:
				v.Dims = append(v.Dims, ot.Dim{Value: p.int(), HasValue: true})
			}
		}
		if p.pick(6) == 0 {
			v.NoShape = true
		}
		if p.pick(5) == 0 {
			s := make([]int64, len(v.Dims))
			for j := range s {
				s[j] = max(0, min(p.int(), 1<<40)) // what --input accepts
			}
			opt.Inputs[name] = s
		}
		g.Inputs = append(g.Inputs, v)
		names = append(names, name)
	}
	if p.pick(3) == 0 {
		opt.Dims["N"] = max(0, min(p.int(), 1<<40))
	}
	for i := p.pick(5); i > 0; i-- {
		t := p.tensor("c" + strconv.Itoa(i))
		g.Inits = append(g.Inits, t)
		names = append(names, t.Name)
	}
	p.nodes(g, &names, 1+p.pick(6), 0)
	for i := 1 + p.pick(2); i > 0; i-- {
		g.Outputs = append(g.Outputs, ot.Value{Name: names[len(names)-1-p.pick(min(len(names), 4))], NoShape: true})
	}
	m := &ot.Model{IRVersion: 8, Opsets: map[string]int64{"": fuzzOpsets[p.pick(len(fuzzOpsets))], "com.microsoft": 1}, Graph: g}
	return m, opt
}

// FuzzShapes builds small graphs of every operator with fuzzed shapes,
// attributes and constant values, and runs the analysis: it must never
// panic nor hang.
func FuzzShapes(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	for i := 0; i < 16; i++ {
		b := make([]byte, 64)
		for j := range b {
			b[j] = byte(i*37 + j*11)
		}
		f.Add(b)
	}
	path := filepath.Join(f.TempDir(), "fuzz.onnx")
	f.Fuzz(func(t *testing.T, b []byte) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic("FuzzShapes: input took over 10s (hang)") })
		defer watchdog.Stop()
		ot.Guard(t, b, func() {
			m, opt := buildFuzzGraph(b)
			model, err := onnx.Decode(path, m.Bytes())
			if err != nil {
				return
			}
			start := time.Now()
			_, _ = analyze.Analyze(model, opt)
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("analysis took %v", d)
			}
		})
	})
}

// TestDescribeFuzzInput prints the graph a FuzzShapes corpus file builds,
// to debug a crasher:
//
//	NETSCORE_DESCRIBE=testdata/fuzz/FuzzShapes/range_nan go test -run TestDescribeFuzzInput -v ./internal/analyze/
func TestDescribeFuzzInput(t *testing.T) {
	path := os.Getenv("NETSCORE_DESCRIBE")
	if path == "" {
		t.Skip("set NETSCORE_DESCRIBE to a FuzzShapes corpus file")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(raw), "\n", 3)
	if len(lines) < 2 {
		t.Fatal("not a corpus file")
	}
	b, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
	if err != nil {
		t.Fatal(err)
	}
	m, opt := buildFuzzGraph([]byte(b))
	var s strings.Builder
	fmt.Fprintf(&s, "fuzzOpsets %v, options %+v\n", m.Opsets, opt)
	for _, v := range m.Graph.Inputs {
		fmt.Fprintf(&s, "input %s elem %d dims %+v noshape %v\n", v.Name, v.Elem, v.Dims, v.NoShape)
	}
	for _, in := range m.Graph.Inits {
		fmt.Fprintf(&s, "initializer %s dtype %d dims %v raw %x\n", in.Name, in.DType, in.Dims, in.Raw)
	}
	for _, n := range m.Graph.Nodes {
		fmt.Fprintf(&s, "node %s %s::%s in %q out %q\n", n.Name, n.Domain, n.Op, n.In, n.Out)
		for _, a := range n.Attrs {
			fmt.Fprintf(&s, "    attr %s type %d", a.Name, a.Type)
			if a.I != nil {
				fmt.Fprintf(&s, " i=%d", *a.I)
			}
			if a.Ints != nil {
				fmt.Fprintf(&s, " fuzzInts=%v", a.Ints)
			}
			if a.F != nil {
				fmt.Fprintf(&s, " f=%v", *a.F)
			}
			if a.S != nil {
				fmt.Fprintf(&s, " s=%q", *a.S)
			}
			if a.T != nil {
				fmt.Fprintf(&s, " tensor dtype %d dims %v raw %x", a.T.DType, a.T.Dims, a.T.Raw)
			}
			if a.G != nil {
				fmt.Fprintf(&s, " graph of %d nodes", len(a.G.Nodes))
			}
			s.WriteByte('\n')
		}
	}
	t.Log("\n" + s.String())
}
