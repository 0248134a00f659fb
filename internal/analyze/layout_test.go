package analyze_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
)

// twinCase is one module of testdata/layout_twins.json, whose figures come
// from PyTorch (testdata/gen/layout_twins.py), never from netscore.
type twinCase struct {
	Name        string  `json:"name"`
	InputNCHW   []int64 `json:"input_nchw"`
	WeightTorch []int64 `json:"weight_torch"` // OIHW; IOHW for the transposed conv
	Groups      int64   `json:"groups"`
	Stride      []int64 `json:"stride"`
	Padding     []int64 `json:"padding"`
	OutputNCHW  []int64 `json:"output_nchw"`
	WeightNumel int64   `json:"weight_numel"`
	BiasNumel   int64   `json:"bias_numel"`
	Params      int64   `json:"params"`
	MACs        int64   `json:"macs"`
	Kernel      int64   `json:"kernel"` // pooling window, square
	PoolOps     int64   `json:"pool_ops"`
}

func twinCases(t *testing.T) map[string]twinCase {
	t.Helper()
	data, err := os.ReadFile("testdata/layout_twins.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []twinCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	out := map[string]twinCase{}
	for _, c := range file.Cases {
		out[c.Name] = c
	}
	return out
}

// nhwc reorders an NCHW shape channels-last.
func nhwc(s []int64) []int64 { return []int64{s[0], s[2], s[3], s[1]} }

// perm picks dims of s in the given order.
func perm(s []int64, order ...int) []int64 {
	out := make([]int64, len(order))
	for i, o := range order {
		out[i] = s[o]
	}
	return out
}

// perChannel quantizes a tensor with one made-up scale per slice of axis.
func perChannel(n int64, axis int) *graph.Quantization {
	q := &graph.Quantization{Axis: axis, Scales: make([]float64, n), ZeroPoints: make([]int64, n)}
	for i := range q.Scales {
		q.Scales[i] = 0.01 * float64(i+1)
	}
	return q
}

// oneConv is a model of x -> op(x, w, b) -> y.
func oneConv(op string, x, w, b *graph.Tensor, layout graph.Layout, attrs map[string]*graph.Attr) *graph.Model {
	g := graph.NewGraph("main", nil)
	x.Name, x.Role, x.HasDeclared = "x", graph.Input, true
	for _, d := range x.Shape {
		x.Declared = append(x.Declared, graph.Dim{Value: d})
	}
	x.Shape = nil
	w.Name, w.Role, w.HasShape = "w", graph.Weight, true
	g.Tensors["x"], g.Tensors["w"], g.Tensors["y"] = x, w, &graph.Tensor{Name: "y"}
	g.Inputs, g.Outputs = []string{"x"}, []string{"y"}
	in := []string{"x", "w"}
	if b != nil {
		b.Name, b.Role, b.HasShape = "b", graph.Weight, true
		g.Tensors["b"] = b
		in = append(in, "b")
	}
	g.Nodes = []*graph.Node{{Name: "n", Op: op, Opset: 13, Inputs: in, Outputs: []string{"y"}, Attrs: attrs, Layout: layout}}
	return &graph.Model{Path: "twin", Format: "test", Graph: g}
}

func ints(name string, v ...int64) (string, *graph.Attr) {
	return name, &graph.Attr{Kind: graph.AttrInts, Ints: v}
}

func windowAttrs(c twinCase, withGroup bool) map[string]*graph.Attr {
	attrs := map[string]*graph.Attr{}
	k, v := ints("strides", c.Stride...)
	attrs[k] = v
	k, v = ints("pads", c.Padding[0], c.Padding[1], c.Padding[0], c.Padding[1])
	attrs[k] = v
	if withGroup {
		attrs["group"] = &graph.Attr{Kind: graph.AttrInt, I: c.Groups}
	}
	return attrs
}

func analyzeTwin(t *testing.T, m *graph.Model) *analyze.Result {
	t.Helper()
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) > 0 || r.NodesCosted != r.Nodes {
		t.Fatalf("costed %d of %d nodes; warnings %q", r.NodesCosted, r.Nodes, r.Warnings)
	}
	return r
}

// The check: an NHWC, OHWI-weighted, per-channel-quantized conv
// counts the same MACs and params as its NCHW float twin, and so do a
// depthwise 1HWO conv, an OHWI transposed conv and an NHWC pool.
func TestLayoutTwins(t *testing.T) {
	cases := twinCases(t)
	type twin struct {
		name                 string
		op                   string
		float, quant         graph.Layout
		quantWeight          []int // OIHW/IOHW axes in the quantized twin's weight order
		quantAxis            int   // the weight's output-channel axis there
		groupAttrInQuantized bool
	}
	for _, tw := range []twin{
		{"conv", "Conv", graph.Layout{Data: graph.NCHW, Weight: graph.OIHW}, graph.Layout{Data: graph.NHWC, Weight: graph.OHWI}, []int{0, 2, 3, 1}, 0, true},
		// TFLite's depthwise weight: [1, kH, kW, C_in x multiplier], no group.
		{"depthwise", "Conv", graph.Layout{Data: graph.NCHW, Weight: graph.OIHW}, graph.Layout{Data: graph.NHWC, Weight: graph.IHWO}, []int{1, 2, 3, 0}, 3, false},
		// TFLite's TRANSPOSE_CONV weight: [C_out, kH, kW, C_in]; PyTorch's is IOHW.
		{"transpose", "ConvTranspose", graph.Layout{Data: graph.NCHW, Weight: graph.IOHW}, graph.Layout{Data: graph.NHWC, Weight: graph.OHWI}, []int{1, 2, 3, 0}, 0, true},
	} {
		t.Run(tw.name, func(t *testing.T) {
			c, ok := cases[tw.name]
			if !ok {
				t.Fatalf("no case %q in testdata/layout_twins.json", tw.name)
			}
			float := analyzeTwin(t, oneConv(tw.op,
				&graph.Tensor{DType: graph.Float32, Shape: c.InputNCHW},
				&graph.Tensor{DType: graph.Float32, Shape: c.WeightTorch},
				&graph.Tensor{DType: graph.Float32, Shape: []int64{c.BiasNumel}},
				tw.float, windowAttrs(c, true)))
			qw := perm(c.WeightTorch, tw.quantWeight...)
			quant := analyzeTwin(t, oneConv(tw.op,
				&graph.Tensor{DType: graph.Int8, Shape: nhwc(c.InputNCHW), Quant: &graph.Quantization{Scales: []float64{0.02}, ZeroPoints: []int64{-3}}},
				&graph.Tensor{DType: graph.Int8, Shape: qw, Quant: perChannel(qw[tw.quantAxis], tw.quantAxis)},
				&graph.Tensor{DType: graph.Int32, Shape: []int64{c.BiasNumel}, Quant: perChannel(c.BiasNumel, 0)},
				tw.quant, windowAttrs(c, tw.groupAttrInQuantized)))
			for _, r := range []struct {
				name  string
				res   *analyze.Result
				shape []int64
			}{{"float NCHW", float, c.OutputNCHW}, {"int8 NHWC", quant, nhwc(c.OutputNCHW)}} {
				if r.res.MACs != c.MACs || r.res.Params != c.Params {
					t.Errorf("%s: %d MACs, %d params; PyTorch: %d MACs, %d params", r.name, r.res.MACs, r.res.Params, c.MACs, c.Params)
				}
				if got := r.res.Outputs[0].Shape; !slices.Equal(got, r.shape) {
					t.Errorf("%s: output %v, PyTorch's (in this layout) %v", r.name, got, r.shape)
				}
			}
			if float.Ops != quant.Ops {
				t.Errorf("bias ops: float %d, quantized %d", float.Ops, quant.Ops)
			}
			// One byte per int8 weight, four per int32 bias; no float bytes.
			wantBytes := map[string]int64{"int8": c.WeightNumel, "int32": 4 * c.BiasNumel}
			if !mapsEqual(quant.WeightBytesByDType, wantBytes) {
				t.Errorf("quantized weight bytes %v, want %v", quant.WeightBytesByDType, wantBytes)
			}
		})
	}
	t.Run("maxpool", func(t *testing.T) {
		c := cases["maxpool"]
		pool := func(layout graph.Layout, shape []int64) *analyze.Result {
			m := oneConv("MaxPool", &graph.Tensor{DType: graph.Float32, Shape: shape}, &graph.Tensor{}, nil, layout, nil)
			g := m.Graph
			delete(g.Tensors, "w")
			n := g.Nodes[0]
			n.Inputs = []string{"x"}
			n.Attrs = map[string]*graph.Attr{}
			for _, kv := range [][2]any{
				{"kernel_shape", []int64{c.Kernel, c.Kernel}},
				{"strides", c.Stride},
				{"pads", []int64{c.Padding[0], c.Padding[0], c.Padding[0], c.Padding[0]}},
			} {
				n.Attrs[kv[0].(string)] = &graph.Attr{Kind: graph.AttrInts, Ints: kv[1].([]int64)}
			}
			return analyzeTwin(t, m)
		}
		for _, r := range []struct {
			name  string
			res   *analyze.Result
			shape []int64
		}{
			{"NCHW", pool(graph.Layout{Data: graph.NCHW}, c.InputNCHW), c.OutputNCHW},
			{"NHWC", pool(graph.Layout{Data: graph.NHWC}, nhwc(c.InputNCHW)), nhwc(c.OutputNCHW)},
		} {
			if r.res.Ops != c.PoolOps || r.res.MACs != 0 {
				t.Errorf("%s: %d MACs, %d ops; want 0 MACs, %d ops (PyTorch's output size x kernel)", r.name, r.res.MACs, r.res.Ops, c.PoolOps)
			}
			if got := r.res.Outputs[0].Shape; !slices.Equal(got, r.shape) {
				t.Errorf("%s: output %v, PyTorch's (in this layout) %v", r.name, got, r.shape)
			}
		}
	})
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Quantization parameters that do not fit their tensor are reported.
func TestQuantizationMismatchWarns(t *testing.T) {
	c := twinCases(t)["conv"]
	m := oneConv("Conv",
		&graph.Tensor{DType: graph.Int8, Shape: nhwc(c.InputNCHW)},
		&graph.Tensor{DType: graph.Int8, Shape: perm(c.WeightTorch, 0, 2, 3, 1), Quant: perChannel(c.WeightTorch[0]+1, 0)},
		nil, graph.Layout{Data: graph.NHWC, Weight: graph.OHWI}, windowAttrs(c, false))
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || !contains(r.Warnings[0], `weight "w"`, "17 scales along axis 0 of size 16") {
		t.Errorf("warnings %q; want one about w's 17 scales", r.Warnings)
	}
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
