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
	// CumSum: a running sum, one add per element.
	register("", "reduce", Rule{Infer: sameShape, Cost: perElement(1), Operands: []int{1}}, "CumSum")
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
	reduceValues(c, t, red, out)
	return nil
}

// reduceValues folds small known tensors (shape arithmetic such as the
// ReduceMax of image sizes in detection models' resize code).
func reduceValues(c *Ctx, t *graph.Tensor, red map[int]bool, out []int64) {
	op := c.Node.Op
	if !t.HasValue() || !known(t.Shape) || (op != "ReduceSum" && op != "ReduceProd" && op != "ReduceMax" && op != "ReduceMin" && op != "ReduceMean") {
		return
	}
	n, ok := graph.Product(t.Shape)
	if !ok || n > maxValues || n == 0 {
		return
	}
	kept := clone(t.Shape) // the output with kept (size-1) reduced dims: same flat order
	for a := range red {
		kept[a] = 1
	}
	m, _ := graph.Product(kept)
	inSt, outSt := rowMajor(t.Shape), rowMajor(kept)
	acc := make([]float64, m)
	seen := make([]bool, m)
	for i := int64(0); i < n; i++ {
		var o int64
		for d := range t.Shape {
			if !red[d] {
				o += (i / inSt[d] % t.Shape[d]) * outSt[d]
			}
		}
		v := value(t, int(i))
		switch {
		case !seen[o]:
			acc[o], seen[o] = v, true
		case op == "ReduceSum" || op == "ReduceMean":
			acc[o] += v
		case op == "ReduceProd":
			acc[o] *= v
		case op == "ReduceMax":
			acc[o] = max(acc[o], v)
		case op == "ReduceMin":
			acc[o] = min(acc[o], v)
		}
	}
	if op == "ReduceMean" {
		for i := range acc {
			acc[i] /= float64(n / m)
		}
	}
	if t.Ints != nil {
		iv := make([]int64, m)
		for i, v := range acc {
			iv[i] = int64(v)
		}
		c.SetInts(0, t.DType, out, iv)
	} else {
		c.SetFloats(0, t.DType, out, acc)
	}
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
