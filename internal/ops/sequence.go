package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Sequences (opset 11+) and OptionalHasElement. A sequence value is a
// graph.Tensor with NotTensor set whose Shape, when known, is the shape
// every element has (a dim the elements disagree on is unknown). Building
// and indexing sequences moves data and costs nothing.
func init() {
	seq := Rule{Infer: seqSameInfer, Containers: true, Operands: []int{from(1)}}
	register("", "sequence", seq, "SequenceErase")
	register("", "sequence", Rule{Infer: seqConstructInfer}, "SequenceConstruct")
	register("", "sequence", Rule{Infer: seqEmptyInfer}, "SequenceEmpty")
	register("", "sequence", Rule{Infer: seqInsertInfer, Containers: true, Operands: []int{2}}, "SequenceInsert")
	register("", "sequence", Rule{Infer: seqAtInfer, Containers: true, Operands: []int{1}}, "SequenceAt")
	register("", "sequence", Rule{Infer: seqLengthInfer, Containers: true}, "SequenceLength")
	register("", "sequence", Rule{Infer: splitToSeqInfer, Operands: []int{1}}, "SplitToSequence")
	register("", "sequence", Rule{Infer: concatFromSeqInfer, Containers: true}, "ConcatFromSequence")
	register("", "sequence", Rule{Infer: optionalHasElementInfer, Containers: true}, "OptionalHasElement")
}

// mergeShapes is the shape values of these shapes all have: dims that
// differ are unknown; nil when the ranks differ or a shape is unknown.
func mergeShapes(ts ...*graph.Tensor) []int64 {
	var out []int64
	for i, t := range ts {
		if !t.HasShape {
			return nil
		}
		if i == 0 {
			out = clone(t.Shape)
			continue
		}
		if len(t.Shape) != len(out) {
			return nil
		}
		for d := range out {
			if out[d] != t.Shape[d] {
				out[d] = graph.Unknown
			}
		}
	}
	return out
}

func elemShape(t *graph.Tensor) []int64 {
	if !t.HasShape {
		return nil
	}
	return t.Shape
}

// seqSameInfer: SequenceErase keeps the sequence's element type.
func seqSameInfer(c *Ctx) error {
	c.SetContainer(0, c.In[0].DType, elemShape(c.In[0]))
	return nil
}

func seqConstructInfer(c *Ctx) error {
	var ts []*graph.Tensor
	for i := range c.In {
		t, err := c.InT(i)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return fmt.Errorf("no inputs")
	}
	c.SetContainer(0, ts[0].DType, mergeShapes(ts...))
	return nil
}

// seqEmptyInfer: an empty sequence of `dtype` (float32 by default).
func seqEmptyInfer(c *Ctx) error {
	c.SetContainer(0, graph.DType(c.Int("dtype", int64(graph.Float32))), nil)
	return nil
}

// seqInsertInfer: the elements are the old ones and the inserted tensor.
func seqInsertInfer(c *Ctx) error {
	t, err := c.InT(1)
	if err != nil {
		return err
	}
	c.SetContainer(0, t.DType, mergeShapes(c.In[0], t))
	return nil
}

// seqAtInfer: one element, a tensor.
func seqAtInfer(c *Ctx) error {
	if !c.In[0].HasShape {
		return ErrUnknownShape
	}
	c.Set(0, c.In[0].DType, c.In[0].Shape)
	return nil
}

// seqLengthInfer: an int64 scalar.
func seqLengthInfer(c *Ctx) error {
	c.Set(0, graph.Int64, []int64{})
	return nil
}

// splitToSeqInfer: SplitToSequence-11 splits input along axis (default
// 0) into pieces of `split` (input 1: a scalar size, or one size per
// piece), or of 1 without split, where keepdims 0 drops the axis.
func splitToSeqInfer(c *Ctx) error {
	in, err := c.Shape(0)
	if err != nil {
		return err
	}
	ax, err := axis(c.Int("axis", 0), len(in))
	if err != nil {
		return err
	}
	elem := clone(in)
	if !c.Has(1) {
		elem[ax] = 1
		if c.Int("keepdims", 1) == 0 {
			elem = append(elem[:ax], elem[ax+1:]...)
		}
		c.SetContainer(0, c.In[0].DType, elem)
		return nil
	}
	sizes, err := c.Ints(1)
	elem[ax] = graph.Unknown
	if err == nil && len(sizes) > 0 {
		same := true
		for _, s := range sizes {
			same = same && s == sizes[0]
		}
		// A scalar split leaves a shorter last piece unless it divides.
		if scalar := len(c.In[1].Shape) == 0; same && (!scalar || in[ax] >= 0 && sizes[0] > 0 && in[ax]%sizes[0] == 0) {
			elem[ax] = sizes[0]
		}
	}
	c.SetContainer(0, c.In[0].DType, elem)
	return nil
}

// concatFromSeqInfer: the elements joined along axis (stacked on a new
// one with new_axis 1); how many there are is not known, so that axis is.
func concatFromSeqInfer(c *Ctx) error {
	if !c.In[0].HasShape {
		return ErrUnknownShape
	}
	out := clone(c.In[0].Shape)
	rank := len(out)
	if c.Int("new_axis", 0) != 0 {
		rank++
	}
	ax, err := axis(c.Int("axis", 0), rank)
	if err != nil {
		return err
	}
	if rank > len(out) {
		out = append(out[:ax], append([]int64{graph.Unknown}, out[ax:]...)...)
	} else {
		out[ax] = graph.Unknown
	}
	c.Set(0, c.In[0].DType, out)
	return nil
}

// optionalHasElementInfer: a bool scalar.
func optionalHasElementInfer(c *Ctx) error {
	c.Set(0, graph.Bool, []int64{})
	return nil
}
