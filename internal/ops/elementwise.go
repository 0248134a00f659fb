package ops

import (
	"fmt"
	"math"

	"github.com/netscore/netscore/internal/graph"
)

// Elementwise arithmetic, activations, comparisons and casts.
func init() {
	// Activations and unary math: one op per output element.
	register("", "activation", Rule{Infer: unaryInfer, Cost: perElement(1)},
		"Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Cos", "Cosh", "Elu", "Erf",
		"HardSigmoid", "HardSwish", "LeakyRelu", "Log", "Mish", "Selu", "Shrink",
		"Sigmoid", "Sin", "Sinh", "Softplus", "Softsign", "Tan", "Tanh", "ThresholdedRelu",
		"Celu", "Gelu", "Exp", "Relu", "Sqrt", "Reciprocal", "Abs", "Neg", "Floor", "Ceil",
		"Round", "Sign", "BitwiseNot", "IsInf", "IsNaN", "Not")
	register("", "activation", Rule{Infer: unaryInfer, Cost: perElement(1), Operands: []int{1, 2}}, "Clip")
	register("", "activation", Rule{Infer: preluInfer, Cost: perElement(1)}, "PRelu")
	// Pure data movement: no arithmetic.
	register("", "elementwise", Rule{Infer: identityInfer, Containers: true}, "Identity")
	register("", "elementwise", Rule{Infer: castInfer}, "Cast")
	register("", "elementwise", Rule{Infer: castLikeInfer, Operands: []int{1}}, "CastLike")
	register("", "elementwise", Rule{Infer: dropoutInfer, Operands: []int{1, 2}}, "Dropout")
	// Broadcasting binary and variadic arithmetic.
	register("", "elementwise", Rule{Infer: broadcastInfer(false), Cost: variadicCost},
		"Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean",
		"BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor")
	register("", "elementwise", Rule{Infer: broadcastInfer(true), Cost: variadicCost},
		"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor")
	register("", "elementwise", Rule{Infer: whereInfer, Cost: perElement(1)}, "Where")
	register("com.microsoft", "activation", Rule{Infer: unaryInfer, Cost: perElement(1)},
		"Gelu", "FastGelu", "BiasGelu", "QuickGelu", "BiasFastGelu")
	register("com.microsoft", "elementwise", Rule{Infer: broadcastInfer(false), Cost: perElement(1)}, "BiasAdd")
	// BiasDropout(data, bias, residual, ratio, training_mode): inference is the adds.
	register("com.microsoft", "elementwise", Rule{Infer: dropoutInfer, Cost: perElement(2), Operands: []int{3, 4}}, "BiasDropout")
}

// unaryInfer infers a same-shape output, propagating values through the
// handful of functions that appear in shape computations.
func unaryInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	dt := t.DType
	if op := c.Node.Op; op == "IsInf" || op == "IsNaN" {
		dt = graph.Bool
	}
	c.Set(0, dt, t.Shape)
	if f, ok := valueFuncs[c.Node.Op]; ok && t.HasValue() {
		if t.Ints != nil {
			v := make([]int64, len(t.Ints))
			for i, x := range t.Ints {
				v[i] = int64(f(float64(x)))
			}
			c.SetInts(0, dt, t.Shape, v)
		} else {
			v := make([]float64, len(t.Floats))
			for i, x := range t.Floats {
				v[i] = f(x)
			}
			c.SetFloats(0, dt, t.Shape, v)
		}
	}
	return nil
}

var valueFuncs = map[string]func(float64) float64{
	"Identity": func(x float64) float64 { return x },
	"Neg":      func(x float64) float64 { return -x },
	"Abs":      math.Abs,
	"Floor":    math.Floor,
	"Ceil":     math.Ceil,
	"Round":    math.RoundToEven,
	"Sqrt":     math.Sqrt,
	"Relu":     func(x float64) float64 { return math.Max(x, 0) },
	"Sign": func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return 0
	},
	"Not": func(x float64) float64 {
		if x == 0 {
			return 1
		}
		return 0
	},
	"Reciprocal": func(x float64) float64 { return 1 / x },
}

func castInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	to := graph.DType(c.Int("to", int64(t.DType)))
	if a := c.Attr("to"); a != nil && a.Kind == graph.AttrString { // opset 1-5 named the type
		dt, ok := graph.DTypeByName(a.S)
		if !ok {
			return fmt.Errorf("Cast to unknown type %q", a.S)
		}
		to = dt
	}
	setConverted(c, t, to)
	return nil
}

func castLikeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	like, err := c.InT(1)
	if err != nil {
		return err
	}
	setConverted(c, t, like.DType)
	return nil
}

// setConverted sets output 0 to t's shape in dtype to, converting values.
func setConverted(c *Ctx, t *graph.Tensor, to graph.DType) {
	c.Set(0, to, t.Shape)
	if !t.HasValue() {
		return
	}
	vals := t.Floats
	if vals == nil {
		vals = make([]float64, len(t.Ints))
		for i, v := range t.Ints {
			vals[i] = float64(v)
		}
	}
	switch {
	case to.IsFloat():
		c.SetFloats(0, to, t.Shape, vals)
	case to.IsInteger() && t.Ints != nil:
		c.SetInts(0, to, t.Shape, t.Ints)
	case to == graph.Bool:
		v := make([]int64, len(vals))
		for i, x := range vals {
			if x != 0 {
				v[i] = 1
			}
		}
		c.SetInts(0, to, t.Shape, v)
	case to.IsInteger():
		v := make([]int64, len(vals))
		for i, x := range vals {
			v[i] = int64(x)
		}
		c.SetInts(0, to, t.Shape, v)
	}
}

func dropoutInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, t.DType, t.Shape)
	c.Set(1, graph.Bool, t.Shape)
	if t.HasValue() {
		c.SetInts(0, t.DType, t.Shape, t.Ints)
		if t.Floats != nil {
			c.SetFloats(0, t.DType, t.Shape, t.Floats)
		}
	}
	return nil
}

// identityInfer copies a tensor (values included) or a sequence or
// optional (Identity-14 and 16).
func identityInfer(c *Ctx) error {
	if !c.Has(0) {
		return Invalid("input 0 is missing")
	}
	t := c.In[0]
	if !t.NotTensor {
		return unaryInfer(c)
	}
	if len(t.Nesting) == 0 {
		return ErrUnknownShape
	}
	c.SetContainer(0, t.Nesting, t.DType, elemShape(t))
	return nil
}

// preluInfer: from opset 7 the slope broadcasts to X (unidirectionally);
// before, PRelu-6 and older take a slope of one value or one per channel
// (dim 1), as PyTorch's PReLU exports it, and Y is shaped like X.
func preluInfer(c *Ctx) error {
	if c.Opset() >= 7 {
		return broadcastInfer(false)(c)
	}
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	slope, err := c.InT(1)
	if err != nil {
		return err
	}
	if n := slope.Elements(); n > 1 && len(x.Shape) > 1 && x.Shape[1] >= 0 && n != x.Shape[1] {
		return fmt.Errorf("slope %v has %d values; PRelu-%d wants 1 or one per channel (%d)", slope.Shape, n, c.Opset(), x.Shape[1])
	}
	c.Set(0, x.DType, x.Shape)
	return nil
}

func broadcastInfer(boolOut bool) func(c *Ctx) error {
	return func(c *Ctx) error {
		var shapes [][]int64
		var ins []*graph.Tensor
		for i := range c.In {
			t, err := c.InT(i)
			if err != nil {
				return err
			}
			shapes = append(shapes, t.Shape)
			ins = append(ins, t)
		}
		if len(ins) == 0 {
			return fmt.Errorf("no inputs")
		}
		dt := ins[0].DType
		if boolOut {
			dt = graph.Bool
		}
		out, err := broadcast(shapes...)
		if err != nil && c.Node.Domain == "" && c.Opset() < 7 && len(ins) == 2 {
			// Before opset 7 the second operand broadcasts into the first
			// (the broadcast and axis attributes; PRelu's slope along the
			// channels): the output has the first input's shape.
			c.Set(0, dt, ins[0].Shape)
			return nil
		}
		if err != nil {
			return err
		}
		c.Set(0, dt, out)
		propagateBroadcast(c, ins, shapes, out, dt)
		return nil
	}
}

// propagateBroadcast computes small integer or float results so shape
// arithmetic (Shape -> Mul -> Div -> Concat -> Reshape) resolves.
func propagateBroadcast(c *Ctx, ins []*graph.Tensor, shapes [][]int64, out []int64, dt graph.DType) {
	for _, t := range ins {
		if !t.HasValue() {
			return
		}
	}
	if !known(out) {
		return
	}
	n, ok := graph.Product(out)
	if !ok || n > maxValues {
		return
	}
	allInt := true
	for _, t := range ins {
		if t.Ints == nil {
			allInt = false
		}
	}
	f := binaryFuncs[c.Node.Op]
	if f == nil {
		return
	}
	res := make([]float64, n)
	ires := make([]int64, n)
	fail := false
	forEachIndex(out, shapes, func(o int, idx []int) {
		if allInt {
			acc := ins[0].Ints[idx[0]]
			for k := 1; k < len(ins); k++ {
				v, ok := intOp(c.Node.Op, acc, ins[k].Ints[idx[k]])
				if !ok {
					fail = true
					return
				}
				acc = v
			}
			if c.Node.Op == "Mean" {
				acc /= int64(len(ins))
			}
			ires[o] = acc
			return
		}
		acc := value(ins[0], idx[0])
		for k := 1; k < len(ins); k++ {
			acc = f(acc, value(ins[k], idx[k]))
		}
		if c.Node.Op == "Mean" {
			acc /= float64(len(ins))
		}
		res[o] = acc
	})
	if fail {
		return
	}
	switch {
	case allInt || dt == graph.Bool:
		if !allInt {
			for i, v := range res {
				ires[i] = int64(v)
			}
		}
		c.SetInts(0, dt, out, ires)
	case dt.IsFloat():
		c.SetFloats(0, dt, out, res)
	default:
		for i, v := range res {
			ires[i] = int64(v)
		}
		c.SetInts(0, dt, out, ires)
	}
}

func value(t *graph.Tensor, i int) float64 {
	if t.Ints != nil {
		return float64(t.Ints[i])
	}
	return t.Floats[i]
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var binaryFuncs = map[string]func(a, b float64) float64{
	"Add": func(a, b float64) float64 { return a + b },
	"Sub": func(a, b float64) float64 { return a - b },
	"Mul": func(a, b float64) float64 { return a * b },
	"Div": func(a, b float64) float64 { return a / b },
	"Pow": math.Pow,
	"Mod": math.Mod,
	"Max": math.Max,
	"Min": math.Min,
	"Sum": func(a, b float64) float64 { return a + b },
	"Mean": func(a, b float64) float64 {
		return a + b
	},
	"Equal":          func(a, b float64) float64 { return b2f(a == b) },
	"Less":           func(a, b float64) float64 { return b2f(a < b) },
	"Greater":        func(a, b float64) float64 { return b2f(a > b) },
	"LessOrEqual":    func(a, b float64) float64 { return b2f(a <= b) },
	"GreaterOrEqual": func(a, b float64) float64 { return b2f(a >= b) },
	"And":            func(a, b float64) float64 { return b2f(a != 0 && b != 0) },
	"Or":             func(a, b float64) float64 { return b2f(a != 0 || b != 0) },
	"Xor":            func(a, b float64) float64 { return b2f((a != 0) != (b != 0)) },
}

// intOp is exact integer arithmetic for shape values (Div truncates, as
// ONNX Runtime does for integer tensors).
func intOp(op string, a, b int64) (int64, bool) {
	switch op {
	case "Add", "Sum", "Mean":
		return a + b, true
	case "Sub":
		return a - b, true
	case "Mul":
		return a * b, true
	case "Div":
		if b == 0 {
			return 0, false
		}
		return a / b, true
	case "Mod":
		if b == 0 {
			return 0, false
		}
		m := a % b
		if m != 0 && (m < 0) != (b < 0) {
			m += b // integer Mod follows the divisor's sign (fmod=0)
		}
		return m, true
	case "Max":
		return max(a, b), true
	case "Min":
		return min(a, b), true
	case "Pow":
		return int64(math.Pow(float64(a), float64(b))), true
	}
	if f, ok := binaryFuncs[op]; ok {
		return int64(f(float64(a), float64(b))), true
	}
	return 0, false
}

// variadicCost is one op per output element for each input past the first.
func variadicCost(c *Ctx) (Cost, error) {
	n, err := c.OutElems(0)
	if err != nil {
		return Cost{}, err
	}
	k := int64(0)
	for i := range c.In {
		if c.Has(i) {
			k++
		}
	}
	if c.Node.Op == "Mean" {
		k++ // the final division
	}
	ops, err := mul(n, max(k-1, 1))
	return Cost{Ops: ops}, err
}

func whereInfer(c *Ctx) error {
	var shapes [][]int64
	for i := 0; i < 3; i++ {
		s, err := c.Shape(i)
		if err != nil {
			return err
		}
		shapes = append(shapes, s)
	}
	out, err := broadcast(shapes...)
	if err != nil {
		return err
	}
	dt := c.In[1].DType
	c.Set(0, dt, out)
	cond, x, y := c.In[0], c.In[1], c.In[2]
	if cond.Ints == nil || !x.HasValue() || !y.HasValue() || !known(out) {
		return nil
	}
	if x.Ints != nil && y.Ints != nil {
		n, _ := graph.Product(out)
		if n > maxValues {
			return nil
		}
		v := make([]int64, n)
		forEachIndex(out, shapes, func(o int, idx []int) {
			if cond.Ints[idx[0]] != 0 {
				v[o] = x.Ints[idx[1]]
			} else {
				v[o] = y.Ints[idx[2]]
			}
		})
		c.SetInts(0, dt, out, v)
	} else if x.Floats != nil && y.Floats != nil {
		n, _ := graph.Product(out)
		if n > maxValues {
			return nil
		}
		v := make([]float64, n)
		forEachIndex(out, shapes, func(o int, idx []int) {
			if cond.Ints[idx[0]] != 0 {
				v[o] = x.Floats[idx[1]]
			} else {
				v[o] = y.Floats[idx[2]]
			}
		})
		c.SetFloats(0, dt, out, v)
	}
	return nil
}
