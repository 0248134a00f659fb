package ops

import (
	"github.com/netscore/netscore/internal/graph"
)

// Quantisation: (de)quantising costs 2 ops per element (scale and shift);
// the QLinear* elementwise ops of com.microsoft cost as their float forms
// plus requantisation. Scales and zero points are operands, not params.
func init() {
	register("", "quantization", Rule{Infer: quantizeInfer, Cost: perElement(2), Operands: []int{1, 2}}, "QuantizeLinear")
	register("", "quantization", Rule{Infer: dequantizeInfer, Cost: perElement(2), Operands: []int{1, 2}}, "DequantizeLinear")
	register("", "quantization", Rule{Infer: dynQuantInfer, Cost: perElement(4)}, "DynamicQuantizeLinear")
	register("com.microsoft", "quantization", Rule{Infer: quantizeInfer, Cost: perElement(2), Operands: []int{1, 2}}, "QuantizeLinear")
	register("com.microsoft", "quantization", Rule{Infer: dequantizeInfer, Cost: perElement(2), Operands: []int{1, 2}}, "DequantizeLinear")
	// QLinearAdd/Mul(A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp)
	register("com.microsoft", "quantization", Rule{Infer: qBinaryInfer, Cost: perElement(3), Operands: []int{1, 2, 4, 5, 6, 7}}, "QLinearAdd", "QLinearMul")
	// QLinearSigmoid/LeakyRelu(X, X_scale, X_zp, Y_scale, Y_zp)
	register("com.microsoft", "quantization", Rule{Infer: sameShape, Cost: perElement(3), Operands: []int{1, 2, 3, 4}}, "QLinearSigmoid", "QLinearLeakyRelu")
	// QLinearSoftmax(X, X_scale, X_zp, Y_scale, Y_zp)
	register("com.microsoft", "quantization", Rule{Infer: sameShape, Cost: perElement(5), Operands: []int{1, 2, 3, 4}}, "QLinearSoftmax")
	// QLinearConcat(Y_scale, Y_zp, X1, X1_scale, X1_zp, ...)
	register("com.microsoft", "quantization", Rule{Infer: qConcatInfer, Cost: perElement(2), Operands: []int{0, 1}}, "QLinearConcat")
	register("com.microsoft", "quantization", Rule{Infer: globalPoolInfer, Cost: perInputElement(1), Operands: []int{1, 2, 3, 4}}, "QLinearGlobalAveragePool")
	// The reader turns their channels_last attribute into the NHWC layout.
	register("com.microsoft", "quantization", Rule{Infer: poolInfer, Cost: poolCost, Operands: []int{1, 2, 3, 4}}, "QLinearAveragePool")
}

func quantizeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	dt := graph.Uint8
	if c.Has(2) {
		dt = c.In[2].DType
	} else if a := c.Attr("output_dtype"); a != nil && a.I != 0 {
		dt = graph.DType(a.I)
	}
	c.Set(0, dt, t.Shape)
	return nil
}

func dequantizeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	dt := graph.Float32
	if c.Has(1) && c.In[1].DType.IsFloat() {
		dt = c.In[1].DType
	}
	c.Set(0, dt, t.Shape)
	return nil
}

func dynQuantInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, graph.Uint8, t.Shape)
	c.Set(1, graph.Float32, []int64{})
	c.Set(2, graph.Uint8, []int64{})
	return nil
}

func qBinaryInfer(c *Ctx) error {
	a, err := c.InT(0)
	if err != nil {
		return err
	}
	b, err := c.Shape(3)
	if err != nil {
		return err
	}
	out, err := broadcast(a.Shape, b)
	if err != nil {
		return err
	}
	c.Set(0, a.DType, out)
	return nil
}

// qConcatInfer concatenates the data inputs at positions 2, 5, 8, ...
func qConcatInfer(c *Ctx) error {
	sub := &Ctx{Node: c.Node, Out: c.Out}
	for i := 2; i < len(c.In); i += 3 {
		sub.In = append(sub.In, c.In[i])
	}
	return concatInfer(sub)
}
