package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Indexing and selection: these pick elements and cost nothing, except
// TopK (one comparison per input element). Ops whose output size depends
// on the data (NonZero, Compress, Unique, NonMaxSuppression) leave that
// dim unknown.
func init() {
	register("", "index", Rule{Infer: sliceInfer, Operands: []int{from(1)}}, "Slice")
	register("", "index", Rule{Infer: gatherInfer, Operands: []int{1}}, "Gather")
	register("", "index", Rule{Infer: gatherElementsInfer, Operands: []int{1}}, "GatherElements")
	register("", "index", Rule{Infer: gatherNDInfer, Operands: []int{1}}, "GatherND")
	register("", "index", Rule{Infer: sameShape, Operands: []int{1}}, "ScatterElements", "ScatterND", "Scatter")
	register("", "index", Rule{Infer: sameShape, Operands: []int{1}}, "Trilu", "ReverseSequence")
	register("", "index", Rule{Infer: oneHotInfer, Operands: []int{1, 2}}, "OneHot")
	register("", "index", Rule{Infer: topKInfer, Cost: perInputElement(1), Operands: []int{1}}, "TopK")
	register("", "index", Rule{Infer: nonZeroInfer}, "NonZero")
	register("", "index", Rule{Infer: compressInfer, Operands: []int{1}}, "Compress")
	register("", "index", Rule{Infer: uniqueInfer}, "Unique")
	register("", "index", Rule{Infer: nmsInfer, Operands: []int{2, 3, 4}}, "NonMaxSuppression")
}

func sliceInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	r := len(t.Shape)
	var starts, ends, axesL, steps []int64
	if c.Opset() < 10 {
		starts, ends, axesL = c.IntList("starts"), c.IntList("ends"), c.IntList("axes")
	} else {
		if starts, err = c.Ints(1); err != nil {
			return err
		}
		if ends, err = c.Ints(2); err != nil {
			return err
		}
		if c.Has(3) {
			if axesL, err = c.Ints(3); err != nil {
				return err
			}
		}
		if c.Has(4) {
			if steps, err = c.Ints(4); err != nil {
				return err
			}
		}
	}
	if len(starts) != len(ends) {
		return fmt.Errorf("slice starts %v and ends %v differ in length", starts, ends)
	}
	if axesL == nil {
		for i := range starts {
			axesL = append(axesL, int64(i))
		}
	}
	if steps == nil {
		steps = make([]int64, len(starts))
		for i := range steps {
			steps[i] = 1
		}
	}
	if len(axesL) != len(starts) || len(steps) != len(starts) {
		return fmt.Errorf("slice axes %v / steps %v do not match starts %v", axesL, steps, starts)
	}
	ax, err := axesOf(axesL, r)
	if err != nil {
		return err
	}
	out := clone(t.Shape)
	begin := make([]int64, r)
	step := ones(r)
	for i, a := range ax {
		dim := t.Shape[a]
		if steps[i] == 0 {
			return fmt.Errorf("slice step 0")
		}
		if dim < 0 {
			out[a] = graph.Unknown
			continue
		}
		s, e, st := starts[i], ends[i], steps[i]
		if s < 0 {
			s += dim
		}
		if e < 0 {
			e += dim
		}
		if st > 0 {
			s, e = min(max(s, 0), dim), min(max(e, 0), dim)
			out[a] = max(0, (e-s+st-1)/st)
		} else {
			s, e = min(max(s, -1), dim-1), min(max(e, -1), dim-1)
			out[a] = max(0, (s-e-st-1)/(-st))
		}
		begin[a], step[a] = s, st
	}
	c.Set(0, t.DType, out)
	st := rowMajor(t.Shape)
	mapValues(c, t, out, func(coord []int64) int64 {
		var k int64
		for d := range coord {
			k += (begin[d] + coord[d]*step[d]) * st[d]
		}
		return k
	})
	return nil
}

func gatherInfer(c *Ctx) error {
	data, err := c.InT(0)
	if err != nil {
		return err
	}
	idx, err := c.InT(1)
	if err != nil {
		return err
	}
	a, err := axis(c.Int("axis", 0), len(data.Shape))
	if err != nil {
		return err
	}
	out := append(append(clone(data.Shape[:a]), idx.Shape...), data.Shape[a+1:]...)
	c.Set(0, data.DType, out)
	if !data.HasValue() || idx.Ints == nil || !known(data.Shape) || !known(out) {
		return nil
	}
	if n, _ := graph.Product(out); n > maxValues {
		return nil
	}
	outer, _ := graph.Product(data.Shape[:a])
	inner, _ := graph.Product(data.Shape[a+1:])
	dim := data.Shape[a]
	var iv []int64
	var fv []float64
	for o := int64(0); o < outer; o++ {
		for _, k := range idx.Ints {
			if k < 0 {
				k += dim
			}
			if k < 0 || k >= dim {
				return fmt.Errorf("gather index %d out of range for dim %d", k, dim)
			}
			lo := (o*dim + k) * inner
			if data.Ints != nil {
				iv = append(iv, data.Ints[lo:lo+inner]...)
			} else {
				fv = append(fv, data.Floats[lo:lo+inner]...)
			}
		}
	}
	setValues(c, data.DType, out, data.Ints != nil, iv, fv)
	return nil
}

func gatherElementsInfer(c *Ctx) error {
	data, err := c.InT(0)
	if err != nil {
		return err
	}
	idx, err := c.Shape(1)
	if err != nil {
		return err
	}
	c.Set(0, data.DType, idx)
	return nil
}

func gatherNDInfer(c *Ctx) error {
	data, err := c.InT(0)
	if err != nil {
		return err
	}
	idx, err := c.Shape(1)
	if err != nil {
		return err
	}
	b := int(c.Int("batch_dims", 0))
	if len(idx) == 0 || idx[len(idx)-1] < 0 {
		return fmt.Errorf("GatherND indices %v need a known last dim", idx)
	}
	k := int(idx[len(idx)-1])
	if b+k > len(data.Shape) {
		return fmt.Errorf("GatherND indexes %d dims of a rank-%d tensor", b+k, len(data.Shape))
	}
	out := append(clone(idx[:len(idx)-1]), data.Shape[b+k:]...)
	c.Set(0, data.DType, out)
	return nil
}

func oneHotInfer(c *Ctx) error {
	idx, err := c.Shape(0)
	if err != nil {
		return err
	}
	depth, err := c.Floats(1)
	if err != nil || len(depth) != 1 {
		return fmt.Errorf("OneHot depth unknown")
	}
	vals, err := c.InT(2)
	if err != nil {
		return err
	}
	r := len(idx) + 1
	a, err := axis(c.Int("axis", -1), r)
	if err != nil {
		return err
	}
	out := append(append(clone(idx[:a]), int64(depth[0])), idx[a:]...)
	c.Set(0, vals.DType, out)
	return nil
}

func topKInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	a, err := axis(c.Int("axis", -1), len(t.Shape))
	if err != nil {
		return err
	}
	k := c.Int("k", graph.Unknown)
	if c.Has(1) {
		v, err := c.Ints(1)
		if err != nil || len(v) != 1 {
			k = graph.Unknown
		} else {
			k = v[0]
		}
	}
	out := clone(t.Shape)
	out[a] = k
	c.Set(0, t.DType, out)
	c.Set(1, graph.Int64, out)
	return nil
}

func nonZeroInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, graph.Int64, []int64{int64(len(t.Shape)), graph.Unknown})
	return nil
}

func compressInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	kept := graph.Unknown
	if !c.Has(1) {
		return fmt.Errorf("Compress needs a condition input")
	}
	if cond := c.In[1]; cond.Ints != nil {
		kept = 0
		for _, v := range cond.Ints {
			if v != 0 {
				kept++
			}
		}
	}
	if c.Attr("axis") == nil {
		c.Set(0, t.DType, []int64{kept})
		return nil
	}
	a, err := axis(c.Int("axis", 0), len(t.Shape))
	if err != nil {
		return err
	}
	out := clone(t.Shape)
	out[a] = kept
	c.Set(0, t.DType, out)
	return nil
}

func uniqueInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	if c.Attr("axis") == nil {
		c.Set(0, t.DType, []int64{graph.Unknown})
		c.Set(2, graph.Int64, []int64{t.Elements()})
	} else {
		a, err := axis(c.Int("axis", 0), len(t.Shape))
		if err != nil {
			return err
		}
		out := clone(t.Shape)
		out[a] = graph.Unknown
		c.Set(0, t.DType, out)
		c.Set(2, graph.Int64, []int64{t.Shape[a]})
	}
	c.Set(1, graph.Int64, []int64{graph.Unknown})
	c.Set(3, graph.Int64, []int64{graph.Unknown})
	return nil
}

func nmsInfer(c *Ctx) error {
	c.Set(0, graph.Int64, []int64{graph.Unknown, 3})
	return nil
}
