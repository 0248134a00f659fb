package ops

import (
	"github.com/netscore/netscore/internal/graph"
)

// Reductions: one op per input element (two for the squared forms).
func init() {
	register("", "reduce", Rule{Infer: reduceInfer, Cost: perInputElement(1), Operands: []int{1}},
		"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
		"ReduceLogSum", "ReduceLogSumExp")
	register("", "reduce", Rule{Infer: reduceInfer, Cost: perInputElement(2), Operands: []int{1}},
		"ReduceL2", "ReduceSumSquare")
	register("", "reduce", Rule{Infer: argInfer, Cost: perInputElement(1)}, "ArgMax", "ArgMin")
}

func reduceInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	list, given, err := axesArg(c, 1)
	if err != nil {
		return err
	}
	keep := c.Int("keepdims", 1) != 0
	r := len(t.Shape)
	red := map[int]bool{}
	if !given || len(list) == 0 {
		if c.Int("noop_with_empty_axes", 0) != 0 {
			c.Set(0, t.DType, t.Shape)
			keepValues(c, t, t.Shape)
			return nil
		}
		for i := 0; i < r; i++ {
			red[i] = true
		}
	} else {
		ax, err := axesOf(list, r)
		if err != nil {
			return err
		}
		for _, a := range ax {
			red[a] = true
		}
	}
	out := []int64{}
	for i, d := range t.Shape {
		switch {
		case !red[i]:
			out = append(out, d)
		case keep:
			out = append(out, 1)
		}
	}
	c.Set(0, t.DType, out)
	// Full reductions of shape vectors (ReduceProd of a Shape slice).
	if len(red) == r && t.Ints != nil {
		var v int64
		switch c.Node.Op {
		case "ReduceProd":
			v = 1
			for _, x := range t.Ints {
				v *= x
			}
		case "ReduceSum":
			for _, x := range t.Ints {
				v += x
			}
		default:
			return nil
		}
		c.SetInts(0, t.DType, out, []int64{v})
	}
	return nil
}

func argInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	a, err := axis(c.Int("axis", 0), len(t.Shape))
	if err != nil {
		return err
	}
	out := clone(t.Shape)
	if c.Int("keepdims", 1) != 0 {
		out[a] = 1
	} else {
		out = append(out[:a], out[a+1:]...)
	}
	c.Set(0, graph.Int64, out)
	return nil
}
