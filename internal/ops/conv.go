package ops

import (
	"fmt"
	"slices"

	"github.com/netscore/netscore/internal/graph"
)

// Convolutions: MACs = output elements x (C_in / group) x kernel elements;
// transposed: input elements x (C_out / group) x kernel elements. A bias
// adds one op per output element. Where channels and kernel sit comes
// from the node's layout (graph.Layout), so NHWC data and OHWI or 1HWO
// weights cost exactly as their NCHW/OIHW twins; quantized operands cost
// as float ones.
func init() {
	register("", "conv", Rule{Infer: convInfer(0, 1, graph.Undefined), Cost: convCost(0, 1, 2)}, "Conv")
	register("", "conv", Rule{Infer: convTransposeInfer, Cost: convTransposeCost}, "ConvTranspose")
	register("", "conv", Rule{Infer: convInfer(0, 1, graph.Int32), Cost: convCost(0, 1, -1), Operands: []int{2, 3}}, "ConvInteger")
	register("", "conv", Rule{Infer: convInfer(0, 3, graph.Undefined), Cost: convCost(0, 3, 8), Operands: []int{1, 2, 4, 5, 6, 7}}, "QLinearConv")
	// com.microsoft: Conv fused with an activation (and, optionally, a
	// residual add Z); NhwcConv's layout is set by the reader.
	register("com.microsoft", "conv", Rule{Infer: convInfer(0, 1, graph.Undefined), Cost: fusedConvCost}, "FusedConv", "NhwcConv")
}

// convGeometry returns the output shape of a convolution. The node's
// layout says where the input keeps its channels and which weight axes
// hold the output channels, the input channels and the kernel.
func convGeometry(c *Ctx, xi, wi int) ([]int64, error) {
	x, err := c.Shape(xi)
	if err != nil {
		return nil, err
	}
	w, err := c.Shape(wi)
	if err != nil {
		return nil, err
	}
	if len(x) < 3 || len(w) != len(x) {
		return nil, Invalid("conv input rank %d and weight rank %d do not fit", len(x), len(w))
	}
	data, weights := c.Node.Layout.Data, weightLayout(c, graph.OIHW)
	cin, spatial := data.Split(x)
	cout, perGroup, wkernel := weights.Split(w)
	kernel := c.IntList("kernel_shape")
	if kernel == nil {
		kernel = wkernel
	}
	if !known(kernel) {
		return nil, fmt.Errorf("kernel shape unknown")
	}
	if known(wkernel) && !slices.Equal(kernel, wkernel) {
		return nil, InvalidSizes("kernel_shape %v differs from the weight's kernel %v", kernel, wkernel)
	}
	win, err := readWindow(c, spatial, kernel)
	if err != nil {
		return nil, err
	}
	if err := checkGroups(c, weights, w, cin, cout, perGroup); err != nil {
		return nil, err
	}
	sp, err := win.out(spatial)
	if err != nil {
		return nil, err
	}
	return data.Join(x[0], cout, sp), nil
}

// weightLayout is the node's weight layout, or the op's ONNX one when the
// reader left it unset.
func weightLayout(c *Ctx, onnx graph.WeightLayout) graph.WeightLayout {
	if l := c.Node.Layout.Weight; l != graph.WeightDefault {
		return l
	}
	return onnx
}

// checkGroups checks the input channels against the weight. A 1HWO
// (depthwise) weight needs no group attribute: each output channel reads
// one input channel, so the group count is the input's channel count.
func checkGroups(c *Ctx, weights graph.WeightLayout, w []int64, cin, cout, perGroup int64) error {
	if weights == graph.IHWO && c.Attr("group") == nil {
		if perGroup != 1 {
			return InvalidSizes("depthwise (1HWO) weight %v has %d input channels per group, want 1", w, perGroup)
		}
		if cin > 0 && cout >= 0 && cout%cin != 0 {
			return InvalidSizes("depthwise weight %v: %d output channels are not a multiple of the %d input channels", w, cout, cin)
		}
		return nil
	}
	group := c.Int("group", 1)
	if group <= 0 {
		return Invalid("group %d must be positive", group)
	}
	if cin >= 0 && perGroup >= 0 && perGroup*group != cin {
		return InvalidSizes("input has %d channels but the weight %v expects %d (group %d)", cin, w, perGroup*group, group)
	}
	if cout >= 0 && cout%group != 0 {
		return InvalidSizes("the weight %v has %d output channels, not a multiple of group %d", w, cout, group)
	}
	return nil
}

func convInfer(xi, wi int, dt graph.DType) func(c *Ctx) error {
	return func(c *Ctx) error {
		out, err := convGeometry(c, xi, wi)
		if err != nil {
			return err
		}
		odt := dt // the closure's dt is shared by every node of the rule
		if odt == graph.Undefined {
			odt = c.In[xi].DType
		}
		c.Set(0, odt, out)
		return nil
	}
}

// convCost: bi is the bias position (-1: none).
func convCost(xi, wi, bi int) func(c *Ctx) (Cost, error) {
	return func(c *Ctx) (Cost, error) {
		out, err := c.OutElems(0)
		if err != nil {
			return Cost{}, err
		}
		w := c.In[wi].Shape
		if !known(w) {
			return Cost{}, ErrUnknownShape
		}
		_, perGroup, kernel := weightLayout(c, graph.OIHW).Split(w)
		perOut, err := mul(append([]int64{perGroup}, kernel...)...) // C_in/group x kernel elements
		if err != nil {
			return Cost{}, err
		}
		macs, err := mul(out, perOut)
		if err != nil {
			return Cost{}, err
		}
		var ops int64
		if bi >= 0 && c.Has(bi) {
			cout, _, _ := weightLayout(c, graph.OIHW).Split(w)
			if err := checkBias(c.In[bi], cout); err != nil {
				return Cost{}, err
			}
			ops = out
		}
		return Cost{MACs: macs, Ops: ops}, nil
	}
}

// checkBias checks that a bias holds one value per output channel.
func checkBias(b *graph.Tensor, cout int64) error {
	if len(b.Shape) != 1 || b.Shape[0] >= 0 && b.Shape[0] != cout {
		return InvalidSizes("bias %v for %d output channels", b.Shape, cout)
	}
	return nil
}

func fusedConvCost(c *Ctx) (Cost, error) {
	cost, err := convCost(0, 1, 2)(c)
	if err != nil {
		return cost, err
	}
	out, _ := c.OutElems(0)
	extra := int64(0)
	if c.Str("activation", "") != "" {
		extra += out
	}
	if c.Has(3) { // Z: residual add
		extra += out
	}
	cost.Ops, err = add(cost.Ops, extra)
	return cost, err
}

func convTransposeInfer(c *Ctx) error {
	x, err := c.Shape(0)
	if err != nil {
		return err
	}
	w, err := c.Shape(1)
	if err != nil {
		return err
	}
	if len(x) < 3 || len(w) != len(x) {
		return Invalid("conv-transpose input rank %d and weight rank %d do not fit", len(x), len(w))
	}
	n := len(x) - 2
	data := c.Node.Layout.Data
	cin, spatial := data.Split(x)
	coutPerGroup, win, wkernel := weightLayout(c, graph.IOHW).Split(w)
	group := c.Int("group", 1)
	if group <= 0 {
		return Invalid("group %d must be positive", group)
	}
	if cin >= 0 && win >= 0 && (cin != win || cin%group != 0) {
		return InvalidSizes("input has %d channels but the weight %v takes %d in groups of %d", cin, w, win, group)
	}
	kernel := c.IntList("kernel_shape")
	if kernel == nil {
		kernel = wkernel
	}
	strides, dil := ones(n), ones(n)
	if s := c.IntList("strides"); s != nil {
		strides = s
	}
	if d := c.IntList("dilations"); d != nil {
		dil = d
	}
	outPad := make([]int64, n)
	if p := c.IntList("output_padding"); p != nil {
		outPad = p
	}
	if len(kernel) != n || len(strides) != n || len(dil) != n || len(outPad) != n {
		return Invalid("kernel_shape %v, strides %v, dilations %v or output_padding %v do not match %d spatial dims", kernel, strides, dil, outPad, n)
	}
	for i := 0; i < n; i++ {
		if strides[i] <= 0 || dil[i] <= 0 || kernel[i] <= 0 {
			return Invalid("kernel %v, strides %v and dilations %v must be positive", kernel, strides, dil)
		}
	}
	cout := coutPerGroup * group
	if os := c.IntList("output_shape"); os != nil {
		if len(os) == len(x) {
			_, os = data.Split(os)
		}
		if len(os) != n {
			return Invalid("output_shape %v does not match %d spatial dims", os, n)
		}
		c.Set(0, c.In[0].DType, data.Join(x[0], cout, os))
		return nil
	}
	pads := make([]int64, 2*n)
	if p := c.IntList("pads"); p != nil {
		if len(p) != 2*n {
			return Invalid("pads has %d values, want %d", len(p), 2*n)
		}
		pads = p
	}
	for _, p := range pads {
		if p < 0 {
			return Invalid("pads %v must not be negative", pads)
		}
	}
	autoPad := c.Str("auto_pad", "NOTSET")
	var out []int64
	for i := 0; i < n; i++ {
		in := spatial[i]
		if in < 0 {
			out = append(out, graph.Unknown)
			continue
		}
		full := strides[i]*(in-1) + outPad[i] + (kernel[i]-1)*dil[i] + 1
		switch autoPad {
		case "SAME_UPPER", "SAME_LOWER":
			out = append(out, in*strides[i])
		case "VALID":
			out = append(out, full)
		default:
			out = append(out, full-pads[i]-pads[n+i])
		}
		if out[i] <= 0 {
			return InvalidSizes("output size %d along spatial axis %d: pads %v exceed the full output of input %v", out[i], i, pads, spatial)
		}
	}
	c.Set(0, c.In[0].DType, data.Join(x[0], cout, out))
	return nil
}

func convTransposeCost(c *Ctx) (Cost, error) {
	in, err := c.InElems(0)
	if err != nil {
		return Cost{}, err
	}
	w := c.In[1].Shape
	if !known(w) || len(w) < 3 {
		return Cost{}, ErrUnknownShape
	}
	// Each input element is multiplied into C_out/group x kernel outputs.
	coutPerGroup, _, kernel := weightLayout(c, graph.IOHW).Split(w)
	perIn, err := mul(append([]int64{coutPerGroup}, kernel...)...)
	if err != nil {
		return Cost{}, err
	}
	macs, err := mul(in, perIn)
	if err != nil {
		return Cost{}, err
	}
	var ops int64
	if c.Has(2) {
		if err := checkBias(c.In[2], coutPerGroup*c.Int("group", 1)); err != nil {
			return Cost{}, err
		}
		if ops, err = c.OutElems(0); err != nil {
			return Cost{}, err
		}
	}
	return Cost{MACs: macs, Ops: ops}, nil
}
