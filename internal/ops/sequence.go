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
	seq := Rule{Infer: needsInput0(seqSameInfer), Containers: true, Operands: []int{from(1)}}
	register("", "sequence", seq, "SequenceErase")
	register("", "sequence", Rule{Infer: seqConstructInfer}, "SequenceConstruct")
	register("", "sequence", Rule{Infer: seqEmptyInfer}, "SequenceEmpty")
	register("", "sequence", Rule{Infer: needsInput0(seqInsertInfer), Containers: true, Operands: []int{2}}, "SequenceInsert")
	register("", "sequence", Rule{Infer: needsInput0(seqAtInfer), Containers: true, Operands: []int{1}}, "SequenceAt")
	register("", "sequence", Rule{Infer: needsInput0(seqLengthInfer), Containers: true}, "SequenceLength")
	register("", "sequence", Rule{Infer: splitToSeqInfer, Operands: []int{1}}, "SplitToSequence")
	register("", "sequence", Rule{Infer: needsInput0(concatFromSeqInfer), Containers: true}, "ConcatFromSequence")
	register("", "sequence", Rule{Infer: optionalHasElementInfer, Containers: true}, "OptionalHasElement")
	register("", "sequence", Rule{Infer: optionalInfer, Containers: true}, "Optional")
	register("", "sequence", Rule{Infer: needsInput0(optionalGetElementInfer), Containers: true}, "OptionalGetElement")
}

// needsInput0 guards a rule that reads input 0, which its op requires: a
// file that leaves it out is invalid.
func needsInput0(infer func(*Ctx) error) func(*Ctx) error {
	return func(c *Ctx) error {
		if !c.Has(0) {
			return Invalid("input 0 is missing")
		}
		return infer(c)
	}
}

// seqOfTensors is a sequence of tensors' nesting.
var seqOfTensors = []graph.ValueKind{graph.Sequence}

// nestingOf is what a value holds: a sequence's nesting when the file
// did not say (a sequence op's input is one).
func nestingOf(t *graph.Tensor) []graph.ValueKind {
	if len(t.Nesting) == 0 {
		return seqOfTensors
	}
	return t.Nesting
}

// setInner gives output 0 what container t holds once unwrapped: a
// tensor, or the next container in.
func setInner(c *Ctx, t *graph.Tensor) error {
	inner := nestingOf(t)[1:]
	if len(inner) == 0 && !t.HasShape {
		return ErrUnknownShape
	}
	c.SetContainer(0, inner, t.DType, elemShape(t))
	return nil
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
	c.SetContainer(0, nestingOf(c.In[0]), c.In[0].DType, elemShape(c.In[0]))
	return nil
}

func seqConstructInfer(c *Ctx) error {
	ts, err := allInputs(c)
	if err != nil {
		return err
	}
	c.SetContainer(0, seqOfTensors, ts[0].DType, mergeShapes(ts...))
	return nil
}

// seqEmptyInfer: an empty sequence of `dtype` (float32 by default).
func seqEmptyInfer(c *Ctx) error {
	c.SetContainer(0, seqOfTensors, graph.DType(c.Int("dtype", int64(graph.Float32))), nil)
	return nil
}

// seqInsertInfer: the elements are the old ones and the inserted tensor.
func seqInsertInfer(c *Ctx) error {
	t, err := c.InT(1)
	if err != nil {
		return err
	}
	c.SetContainer(0, nestingOf(c.In[0]), t.DType, mergeShapes(c.In[0], t))
	return nil
}

// seqAtInfer: one element.
func seqAtInfer(c *Ctx) error { return setInner(c, c.In[0]) }

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
		c.SetContainer(0, seqOfTensors, c.In[0].DType, elem)
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
	c.SetContainer(0, seqOfTensors, c.In[0].DType, elem)
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

// optionalInfer: Optional-15 wraps its input, or is empty of the `type`
// attribute's type.
func optionalInfer(c *Ctx) error {
	if c.Has(0) {
		t := c.In[0]
		if t.NotTensor && len(t.Nesting) == 0 {
			return ErrUnknownShape
		}
		c.SetContainer(0, append([]graph.ValueKind{graph.Optional}, t.Nesting...), t.DType, elemShape(t))
		return nil
	}
	a := c.Attr("type")
	if a == nil || a.Kind != graph.AttrType || a.T == nil {
		return fmt.Errorf("an empty Optional needs its type attribute")
	}
	var elem []int64
	if a.T.HasDeclared {
		elem = a.T.DeclaredDims()
	}
	c.SetContainer(0, append([]graph.ValueKind{graph.Optional}, a.T.Nesting...), a.T.DType, elem)
	return nil
}

// optionalGetElementInfer: what the optional holds; from opset 18 a
// tensor or sequence passes through.
func optionalGetElementInfer(c *Ctx) error {
	t := c.In[0]
	if !t.NotTensor {
		c.Set(0, t.DType, t.Shape)
		return nil
	}
	if len(t.Nesting) == 0 {
		return ErrUnknownShape
	}
	if t.Nesting[0] != graph.Optional {
		c.SetContainer(0, t.Nesting, t.DType, elemShape(t))
		return nil
	}
	return setInner(c, t)
}

// optionalHasElementInfer: a bool scalar.
func optionalHasElementInfer(c *Ctx) error {
	c.Set(0, graph.Bool, []int64{})
	return nil
}
