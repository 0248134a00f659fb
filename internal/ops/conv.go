package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Convolutions: MACs = output elements x (C_in / group) x kernel elements;
// transposed: input elements x (C_out / group) x kernel elements. A bias
// adds one op per output element.
func init() {
	register("", "conv", Rule{Infer: convInfer(0, 1, graph.Undefined), Cost: convCost(0, 1, 2)}, "Conv")
	register("", "conv", Rule{Infer: convTransposeInfer, Cost: convTransposeCost}, "ConvTranspose")
	register("", "conv", Rule{Infer: convInfer(0, 1, graph.Int32), Cost: convCost(0, 1, -1), Operands: []int{2, 3}}, "ConvInteger")
	register("", "conv", Rule{Infer: convInfer(0, 3, graph.Undefined), Cost: convCost(0, 3, 8), Operands: []int{1, 2, 4, 5, 6, 7}}, "QLinearConv")
	// com.microsoft: Conv fused with an activation (and, optionally, a residual add Z).
	register("com.microsoft", "conv", Rule{Infer: convInfer(0, 1, graph.Undefined), Cost: fusedConvCost}, "FusedConv", "NhwcConv")
}

// convGeometry returns the output shape of a convolution, reading the
// layout from input x and weight w.
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
		return nil, fmt.Errorf("conv input rank %d and weight rank %d do not fit", len(x), len(w))
	}
	nhwc := c.Node.Op == "NhwcConv"
	spatial := x[2:]
	if nhwc {
		spatial = x[1 : len(x)-1]
	}
	kernel := c.IntList("kernel_shape")
	if kernel == nil {
		kernel = w[2:]
	}
	if !known(kernel) {
		return nil, fmt.Errorf("kernel shape unknown")
	}
	win, err := readWindow(c, spatial, kernel)
	if err != nil {
		return nil, err
	}
	group := c.Int("group", 1)
	if group <= 0 {
		return nil, fmt.Errorf("group %d must be positive", group)
	}
	cin := x[1]
	if nhwc {
		cin = x[len(x)-1]
	}
	if cin >= 0 && w[1] >= 0 && w[1]*group != cin {
		return nil, fmt.Errorf("input has %d channels but the weight %v expects %d (group %d)", cin, w, w[1]*group, group)
	}
	sp, err := win.out(spatial)
	if err != nil {
		return nil, err
	}
	out := append([]int64{x[0], w[0]}, sp...)
	if nhwc {
		out = append(append([]int64{x[0]}, sp...), w[0])
	}
	return out, nil
}

func convInfer(xi, wi int, dt graph.DType) func(c *Ctx) error {
	return func(c *Ctx) error {
		out, err := convGeometry(c, xi, wi)
		if err != nil {
			return err
		}
		if dt == graph.Undefined {
			dt = c.In[xi].DType
		}
		c.Set(0, dt, out)
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
		perOut, err := prod(w[1:]) // C_in/group x kernel elements
		if err != nil {
			return Cost{}, err
		}
		macs, err := mul(out, perOut)
		if err != nil {
			return Cost{}, err
		}
		var ops int64
		if bi >= 0 && c.Has(bi) {
			ops = out
		}
		return Cost{MACs: macs, Ops: ops}, nil
	}
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
		return fmt.Errorf("conv-transpose input rank %d and weight rank %d do not fit", len(x), len(w))
	}
	n := len(x) - 2
	group := c.Int("group", 1)
	kernel := c.IntList("kernel_shape")
	if kernel == nil {
		kernel = w[2:]
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
		return fmt.Errorf("conv-transpose attributes do not match %d spatial dims", n)
	}
	out := []int64{x[0], w[1] * group}
	if os := c.IntList("output_shape"); os != nil {
		if len(os) == len(x) {
			os = os[2:]
		}
		if len(os) != n {
			return fmt.Errorf("output_shape %v does not match %d spatial dims", os, n)
		}
		c.Set(0, c.In[0].DType, append(out, os...))
		return nil
	}
	pads := make([]int64, 2*n)
	if p := c.IntList("pads"); p != nil && len(p) == 2*n {
		pads = p
	}
	autoPad := c.Str("auto_pad", "NOTSET")
	for i := 0; i < n; i++ {
		in := x[2+i]
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
	}
	c.Set(0, c.In[0].DType, out)
	return nil
}

func convTransposeCost(c *Ctx) (Cost, error) {
	in, err := c.InElems(0)
	if err != nil {
		return Cost{}, err
	}
	w := c.In[1].Shape
	if !known(w) || len(w) < 2 {
		return Cost{}, ErrUnknownShape
	}
	// Each input element is multiplied into C_out/group x kernel outputs.
	perIn, err := prod(w[1:])
	if err != nil {
		return Cost{}, err
	}
	macs, err := mul(in, perIn)
	if err != nil {
		return Cost{}, err
	}
	var ops int64
	if c.Has(2) {
		if ops, err = c.OutElems(0); err != nil {
			return Cost{}, err
		}
	}
	return Cost{MACs: macs, Ops: ops}, nil
}
