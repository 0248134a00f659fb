package ops

import (
	"fmt"
	"math"

	"github.com/netscore/netscore/internal/graph"
)

// Tensor construction: constants, ranges and random tensors. They cost
// nothing; ConstantOfShape, Range and Constant carry their values so shape
// subgraphs built from them resolve.
func init() {
	register("", "generate", Rule{Infer: constantInfer}, "Constant")
	register("", "generate", Rule{Infer: constantOfShapeInfer, Operands: []int{0}}, "ConstantOfShape")
	register("", "generate", Rule{Infer: rangeInfer, Operands: []int{0, 1, 2}}, "Range")
	register("", "generate", Rule{Infer: likeInfer}, "EyeLike")
	register("", "generate", Rule{Infer: randomInfer}, "RandomNormal", "RandomUniform")
	register("", "generate", Rule{Infer: likeInfer}, "RandomNormalLike", "RandomUniformLike")
	register("", "generate", Rule{Infer: sameShape, Operands: []int{1}}, "Bernoulli")
	register("", "generate", Rule{Infer: multinomialInfer}, "Multinomial")
}

// constantInfer reads the value of a Constant node.
func constantInfer(c *Ctx) error {
	for name, a := range c.Node.Attrs {
		switch name {
		case "value", "sparse_value":
			if a.T == nil {
				return fmt.Errorf("constant %s is not a tensor", name)
			}
			c.Set(0, a.T.DType, a.T.Shape)
			if a.T.Ints != nil {
				c.SetInts(0, a.T.DType, a.T.Shape, a.T.Ints)
			} else if a.T.Floats != nil {
				c.SetFloats(0, a.T.DType, a.T.Shape, a.T.Floats)
			}
		case "value_float":
			c.SetFloats(0, graph.Float32, []int64{}, []float64{a.F})
		case "value_floats":
			c.SetFloats(0, graph.Float32, []int64{int64(len(a.Floats))}, a.Floats)
		case "value_int":
			c.SetInts(0, graph.Int64, []int64{}, []int64{a.I})
		case "value_ints":
			c.SetInts(0, graph.Int64, []int64{int64(len(a.Ints))}, a.Ints)
		case "value_string":
			c.Set(0, graph.String, []int64{})
		case "value_strings":
			c.Set(0, graph.String, []int64{int64(len(a.Strings))})
		default:
			continue
		}
		return nil
	}
	return fmt.Errorf("constant without a value")
}

func constantOfShapeInfer(c *Ctx) error {
	shape, err := c.Ints(0)
	if err != nil {
		return err
	}
	for _, d := range shape {
		if d < 0 {
			return Invalid("ConstantOfShape of negative dims %v", shape)
		}
	}
	dt := graph.Float32
	var fill float64
	if a := c.Attr("value"); a != nil && a.T != nil {
		dt = a.T.DType
		if a.T.Ints != nil && len(a.T.Ints) > 0 {
			fill = float64(a.T.Ints[0])
		} else if len(a.T.Floats) > 0 {
			fill = a.T.Floats[0]
		}
	}
	c.Set(0, dt, shape)
	if n, ok := graph.Product(shape); ok && n <= maxValues {
		if dt.IsFloat() {
			v := make([]float64, n)
			for i := range v {
				v[i] = fill
			}
			c.SetFloats(0, dt, shape, v)
		} else {
			v := make([]int64, n)
			for i := range v {
				v[i] = int64(fill)
			}
			c.SetInts(0, dt, shape, v)
		}
	}
	return nil
}

func rangeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	v := make([]float64, 3)
	for i := range v {
		f, err := c.Floats(i)
		if err != nil {
			c.Set(0, t.DType, []int64{graph.Unknown})
			return nil
		}
		if len(f) != 1 {
			return fmt.Errorf("Range input %d is not a scalar", i)
		}
		v[i] = f[0]
	}
	if v[2] == 0 {
		return fmt.Errorf("Range delta is 0")
	}
	count := math.Max(math.Ceil((v[1]-v[0])/v[2]), 0)
	if math.IsNaN(count) || count > 1<<40 {
		return fmt.Errorf("Range(%v, %v, %v) has no sensible length", v[0], v[1], v[2])
	}
	n := int64(count)
	c.Set(0, t.DType, []int64{n})
	if n <= maxValues {
		if t.DType.IsFloat() {
			out := make([]float64, n)
			for i := range out {
				out[i] = v[0] + float64(i)*v[2]
			}
			c.SetFloats(0, t.DType, []int64{n}, out)
		} else {
			out := make([]int64, n)
			for i := range out {
				out[i] = int64(v[0]) + int64(i)*int64(v[2])
			}
			c.SetInts(0, t.DType, []int64{n}, out)
		}
	}
	return nil
}

func randomInfer(c *Ctx) error {
	c.Set(0, graph.DType(c.Int("dtype", int64(graph.Float32))), c.IntList("shape"))
	return nil
}

// likeInfer: input 0's shape, in the dtype attribute's type or input 0's.
func likeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, graph.DType(c.Int("dtype", int64(t.DType))), t.Shape)
	return nil
}

func multinomialInfer(c *Ctx) error {
	s, err := c.Shape(0)
	if err != nil {
		return err
	}
	if len(s) != 2 {
		return fmt.Errorf("Multinomial input of rank %d", len(s))
	}
	c.Set(0, graph.DType(c.Int("dtype", int64(graph.Int32))), []int64{s[0], c.Int("sample_size", 1)})
	return nil
}
