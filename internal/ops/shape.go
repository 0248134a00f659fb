package ops

import (
	"fmt"
	"math"

	"github.com/netscore/netscore/internal/graph"
)

// Shape manipulation, indexing and tensor construction. These move or
// select data and cost nothing, except CumSum (one add per element); their
// shape rules propagate small integer values so shape subgraphs resolve.
func init() {
	register("", "shape", Rule{Infer: shapeInfer}, "Shape")
	register("", "shape", Rule{Infer: sizeInfer}, "Size")
	register("", "shape", Rule{Infer: reshapeInfer, Operands: []int{1}}, "Reshape")
	register("", "shape", Rule{Infer: flattenInfer}, "Flatten")
	register("", "shape", Rule{Infer: squeezeInfer, Operands: []int{1}}, "Squeeze")
	register("", "shape", Rule{Infer: unsqueezeInfer, Operands: []int{1}}, "Unsqueeze")
	register("", "shape", Rule{Infer: transposeInfer}, "Transpose")
	register("", "shape", Rule{Infer: concatInfer}, "Concat")
	register("", "shape", Rule{Infer: splitInfer, Operands: []int{1}}, "Split")
	register("", "shape", Rule{Infer: sliceInfer, Operands: []int{from(1)}}, "Slice")
	register("", "shape", Rule{Infer: gatherInfer, Operands: []int{1}}, "Gather")
	register("", "shape", Rule{Infer: gatherElementsInfer, Operands: []int{1}}, "GatherElements")
	register("", "shape", Rule{Infer: gatherNDInfer, Operands: []int{1}}, "GatherND")
	register("", "shape", Rule{Infer: sameShape, Operands: []int{1}}, "ScatterElements", "ScatterND", "Scatter")
	register("", "shape", Rule{Infer: expandInfer, Operands: []int{1}}, "Expand")
	register("", "shape", Rule{Infer: tileInfer, Operands: []int{1}}, "Tile")
	register("", "shape", Rule{Infer: padInfer, Operands: []int{from(1)}}, "Pad")
	register("", "shape", Rule{Infer: constantOfShapeInfer, Operands: []int{0}}, "ConstantOfShape")
	register("", "shape", Rule{Infer: rangeInfer, Operands: []int{0, 1, 2}}, "Range")
	register("", "shape", Rule{Infer: constantInfer}, "Constant")
	register("", "shape", Rule{Infer: likeInfer}, "EyeLike")
	register("", "shape", Rule{Infer: oneHotInfer, Operands: []int{1, 2}}, "OneHot")
	register("", "shape", Rule{Infer: sameShape, Operands: []int{1}}, "Trilu", "ReverseSequence", "Bernoulli")
	register("", "shape", Rule{Infer: sameShape, Cost: perElement(1), Operands: []int{1}}, "CumSum")
	register("", "shape", Rule{Infer: topKInfer, Cost: perInputElement(1), Operands: []int{1}}, "TopK")
	register("", "shape", Rule{Infer: nonZeroInfer}, "NonZero")
	register("", "shape", Rule{Infer: compressInfer, Operands: []int{1}}, "Compress")
	register("", "shape", Rule{Infer: uniqueInfer}, "Unique")
	register("", "shape", Rule{Infer: nmsInfer, Operands: []int{2, 3, 4}}, "NonMaxSuppression")
	register("", "shape", Rule{Infer: centerCropPadInfer, Operands: []int{1}}, "CenterCropPad")
	register("", "shape", Rule{Infer: randomInfer}, "RandomNormal", "RandomUniform")
	register("", "shape", Rule{Infer: likeInfer}, "RandomNormalLike", "RandomUniformLike")
	register("", "shape", Rule{Infer: multinomialInfer}, "Multinomial")
	register("", "shape", Rule{Infer: detInfer, Cost: detCost}, "Det")
	register("", "resize", Rule{Infer: gridSampleInfer, Cost: perElement(4), Operands: []int{1}}, "GridSample")
	register("", "resize", Rule{Infer: affineGridInfer, Cost: affineGridCost, Operands: []int{1}}, "AffineGrid")
	register("", "shape", Rule{Infer: col2ImInfer, Cost: perInputElement(1), Operands: []int{1, 2}}, "Col2Im")
}

func shapeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	r := int64(len(t.Shape))
	start, end := c.Int("start", 0), c.Int("end", r)
	clamp := func(v int64) int64 {
		if v < 0 {
			v += r
		}
		return min(max(v, 0), r)
	}
	start, end = clamp(start), clamp(end)
	if end < start {
		end = start
	}
	dims := clone(t.Shape[start:end])
	c.Set(0, graph.Int64, []int64{end - start})
	if known(dims) {
		c.SetInts(0, graph.Int64, []int64{end - start}, dims)
	}
	return nil
}

func sizeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, graph.Int64, []int64{})
	if n := t.Elements(); n >= 0 {
		c.SetInts(0, graph.Int64, []int64{}, []int64{n})
	}
	return nil
}

// reshapeTarget resolves 0 (copy) and -1 (infer) in a Reshape target.
func reshapeTarget(in, target []int64, allowZero bool) ([]int64, error) {
	out := clone(target)
	infer := -1
	for i, d := range out {
		switch {
		case d == 0 && !allowZero:
			if i >= len(in) {
				return nil, fmt.Errorf("reshape target %v copies dim %d of a rank-%d input", target, i, len(in))
			}
			out[i] = in[i]
		case d == -1:
			if infer >= 0 {
				return nil, fmt.Errorf("reshape target %v has two -1 dims", target)
			}
			infer = i
		case d < -1:
			return nil, fmt.Errorf("reshape target %v has a negative dim", target)
		}
	}
	if infer >= 0 {
		total, ok := graph.Product(in)
		rest := int64(1)
		for i, d := range out {
			if i != infer {
				if d < 0 {
					ok = false
					break
				}
				rest *= d
			}
		}
		switch {
		case !ok:
			out[infer] = graph.Unknown
		case rest == 0 || total%rest != 0:
			return nil, fmt.Errorf("cannot reshape %v to %v", in, target)
		default:
			out[infer] = total / rest
		}
	}
	if a, ok1 := graph.Product(in); ok1 {
		if b, ok2 := graph.Product(out); ok2 && a != b {
			return nil, fmt.Errorf("cannot reshape %v (%d elements) to %v (%d elements)", in, a, target, b)
		}
	}
	return out, nil
}

func reshapeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	var target []int64
	if c.Opset() < 5 && c.Attr("shape") != nil {
		target = c.IntList("shape")
	} else if target, err = c.Ints(1); err != nil {
		return err
	}
	out, err := reshapeTarget(t.Shape, target, c.Int("allowzero", 0) != 0)
	if err != nil {
		return err
	}
	c.Set(0, t.DType, out)
	keepValues(c, t, out)
	return nil
}

// keepValues carries values through a pure relayout that keeps order.
func keepValues(c *Ctx, t *graph.Tensor, out []int64) {
	if t.Ints != nil {
		c.SetInts(0, t.DType, out, t.Ints)
	} else if t.Floats != nil {
		c.SetFloats(0, t.DType, out, t.Floats)
	}
}

func flattenInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	r := len(t.Shape)
	a := c.Int("axis", 1)
	if a < 0 {
		a += int64(r)
	}
	if a < 0 || a > int64(r) {
		return fmt.Errorf("axis %d out of range for rank %d", c.Int("axis", 1), r)
	}
	outer, ok1 := graph.Product(t.Shape[:a])
	inner, ok2 := graph.Product(t.Shape[a:])
	if !ok1 {
		outer = graph.Unknown
	}
	if !ok2 {
		inner = graph.Unknown
	}
	c.Set(0, t.DType, []int64{outer, inner})
	keepValues(c, t, []int64{outer, inner})
	return nil
}

// axesArg reads axes from input i (newer opsets) or the "axes" attribute.
func axesArg(c *Ctx, i int) ([]int64, bool, error) {
	if c.Has(i) {
		v, err := c.Ints(i)
		return v, true, err
	}
	if a := c.Attr("axes"); a != nil {
		return a.Ints, true, nil
	}
	return nil, false, nil
}

func squeezeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	list, given, err := axesArg(c, 1)
	if err != nil {
		return err
	}
	drop := map[int]bool{}
	if given {
		ax, err := axesOf(list, len(t.Shape))
		if err != nil {
			return err
		}
		for _, a := range ax {
			if d := t.Shape[a]; d != 1 && d != graph.Unknown {
				return fmt.Errorf("cannot squeeze axis %d of size %d", a, d)
			}
			drop[a] = true
		}
	} else {
		for i, d := range t.Shape {
			if d == 1 {
				drop[i] = true
			}
		}
	}
	var out []int64
	for i, d := range t.Shape {
		if !drop[i] {
			out = append(out, d)
		}
	}
	c.Set(0, t.DType, out)
	keepValues(c, t, out)
	return nil
}

func unsqueezeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	list, _, err := axesArg(c, 1)
	if err != nil {
		return err
	}
	r := len(t.Shape) + len(list)
	ax, err := axesOf(list, r)
	if err != nil {
		return err
	}
	ins := map[int]bool{}
	for _, a := range ax {
		ins[a] = true
	}
	out := make([]int64, 0, r)
	j := 0
	for i := 0; i < r; i++ {
		if ins[i] {
			out = append(out, 1)
		} else {
			out = append(out, t.Shape[j])
			j++
		}
	}
	c.Set(0, t.DType, out)
	keepValues(c, t, out)
	return nil
}

func transposeInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	r := len(t.Shape)
	perm := c.IntList("perm")
	if perm == nil {
		for i := r - 1; i >= 0; i-- {
			perm = append(perm, int64(i))
		}
	}
	if len(perm) != r {
		return fmt.Errorf("perm %v for rank %d", perm, r)
	}
	ax, err := axesOf(perm, r)
	if err != nil {
		return err
	}
	out := make([]int64, r)
	for i, a := range ax {
		out[i] = t.Shape[a]
	}
	c.Set(0, t.DType, out)
	st := rowMajor(t.Shape)
	mapValues(c, t, out, func(coord []int64) int64 {
		var k int64
		for i, a := range ax {
			k += coord[i] * st[a]
		}
		return k
	})
	return nil
}

func concatInfer(c *Ctx) error {
	var ins []*graph.Tensor
	for i := range c.In {
		t, err := c.InT(i)
		if err != nil {
			return err
		}
		ins = append(ins, t)
	}
	if len(ins) == 0 {
		return fmt.Errorf("no inputs")
	}
	r := len(ins[0].Shape)
	a, err := axis(c.Int("axis", 0), r)
	if err != nil {
		return err
	}
	out := clone(ins[0].Shape)
	for _, t := range ins[1:] {
		if len(t.Shape) != r {
			return fmt.Errorf("concat of ranks %d and %d", r, len(t.Shape))
		}
		for d := range out {
			switch {
			case d == a:
				if out[d] < 0 || t.Shape[d] < 0 {
					out[d] = graph.Unknown
				} else {
					out[d] += t.Shape[d]
				}
			case out[d] == graph.Unknown:
				out[d] = t.Shape[d]
			case t.Shape[d] != graph.Unknown && t.Shape[d] != out[d]:
				return fmt.Errorf("concat on axis %d of %v and %v", a, ins[0].Shape, t.Shape)
			}
		}
	}
	c.Set(0, ins[0].DType, out)
	// Values: each input contributes shape[a]*inner values per outer index.
	for _, t := range ins {
		if !t.HasValue() || !known(t.Shape) {
			return nil
		}
	}
	if !known(out) {
		return nil
	}
	outer, _ := graph.Product(out[:a])
	inner, _ := graph.Product(out[a+1:])
	if n, _ := graph.Product(out); n > maxValues {
		return nil
	}
	isInt := ins[0].Ints != nil
	var iv []int64
	var fv []float64
	for o := int64(0); o < outer; o++ {
		for _, t := range ins {
			chunk := t.Shape[a] * inner
			lo, hi := o*chunk, (o+1)*chunk
			if isInt {
				if t.Ints == nil {
					return nil
				}
				iv = append(iv, t.Ints[lo:hi]...)
			} else {
				if t.Floats == nil {
					return nil
				}
				fv = append(fv, t.Floats[lo:hi]...)
			}
		}
	}
	setValues(c, ins[0].DType, out, isInt, iv, fv)
	return nil
}

func splitInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	a, err := axis(c.Int("axis", 0), len(t.Shape))
	if err != nil {
		return err
	}
	n := c.NOut()
	var sizes []int64
	switch {
	case c.Has(1):
		if sizes, err = c.Ints(1); err != nil {
			return err
		}
	case c.Attr("split") != nil:
		sizes = c.IntList("split")
	default:
		if no := c.Int("num_outputs", 0); no > 0 {
			n = int(no)
		}
		dim := t.Shape[a]
		if dim < 0 {
			for i := 0; i < c.NOut(); i++ {
				s := clone(t.Shape)
				s[a] = graph.Unknown
				c.Set(i, t.DType, s)
			}
			return nil
		}
		chunk := (dim + int64(n) - 1) / int64(n)
		for i := 0; i < n; i++ {
			sizes = append(sizes, max(0, min(chunk, dim-int64(i)*chunk)))
		}
	}
	if len(sizes) != c.NOut() {
		return fmt.Errorf("split into %d parts for %d outputs", len(sizes), c.NOut())
	}
	var total int64
	for _, s := range sizes {
		if s < 0 {
			return fmt.Errorf("split sizes %v include a negative size", sizes)
		}
		total += s
	}
	if dim := t.Shape[a]; dim >= 0 && total != dim {
		return fmt.Errorf("split sizes %v add up to %d, not the dim %d", sizes, total, dim)
	}
	for i, s := range sizes {
		o := clone(t.Shape)
		o[a] = s
		c.Set(i, t.DType, o)
	}
	if t.Ints != nil && len(t.Shape) == 1 {
		off := int64(0)
		for i, s := range sizes {
			if off+s <= int64(len(t.Ints)) {
				c.SetInts(i, t.DType, []int64{s}, t.Ints[off:off+s])
			}
			off += s
		}
	}
	return nil
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

func expandInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	shape, err := c.Ints(1)
	if err != nil {
		return err
	}
	out, err := broadcast(t.Shape, shape)
	if err != nil {
		return err
	}
	c.Set(0, t.DType, out)
	if t.HasValue() && known(out) {
		if n, ok := graph.Product(out); ok && n <= maxValues {
			iv := make([]int64, n)
			fv := make([]float64, n)
			forEachIndex(out, [][]int64{t.Shape}, func(o int, idx []int) {
				if t.Ints != nil {
					iv[o] = t.Ints[idx[0]]
				} else {
					fv[o] = t.Floats[idx[0]]
				}
			})
			if t.Ints != nil {
				c.SetInts(0, t.DType, out, iv)
			} else {
				c.SetFloats(0, t.DType, out, fv)
			}
		}
	}
	return nil
}

func tileInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	rep, err := c.Ints(1)
	if err != nil {
		return err
	}
	if len(rep) != len(t.Shape) {
		return fmt.Errorf("repeats %v for rank %d", rep, len(t.Shape))
	}
	out := clone(t.Shape)
	for i := range out {
		if rep[i] < 0 {
			return fmt.Errorf("Tile repeats %v include a negative count", rep)
		}
		if out[i] >= 0 {
			var ok bool
			if out[i], ok = graph.MulCheck(out[i], rep[i]); !ok {
				out[i] = graph.Unknown
			}
		}
	}
	c.Set(0, t.DType, out)
	st := rowMajor(t.Shape)
	mapValues(c, t, out, func(coord []int64) int64 {
		var k int64
		for d := range coord {
			k += (coord[d] % t.Shape[d]) * st[d]
		}
		return k
	})
	return nil
}

func padInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	r := len(t.Shape)
	var pads []int64
	if c.Opset() < 11 {
		pads = c.IntList("pads")
		if pads == nil {
			pads = c.IntList("paddings")
		}
	} else if pads, err = c.Ints(1); err != nil {
		return err
	}
	ax := make([]int, r)
	for i := range ax {
		ax[i] = i
	}
	if c.Has(3) {
		list, err := c.Ints(3)
		if err != nil {
			return err
		}
		if ax, err = axesOf(list, r); err != nil {
			return err
		}
	}
	if len(pads) != 2*len(ax) {
		return fmt.Errorf("pads %v for %d axes", pads, len(ax))
	}
	out := clone(t.Shape)
	for i, a := range ax {
		if out[a] >= 0 {
			out[a] += pads[i] + pads[len(ax)+i]
		}
	}
	c.Set(0, t.DType, out)
	return nil
}

func constantOfShapeInfer(c *Ctx) error {
	shape, err := c.Ints(0)
	if err != nil {
		return err
	}
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("ConstantOfShape of negative dims %v", shape)
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

func centerCropPadInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	shape, err := c.Ints(1)
	if err != nil {
		return err
	}
	ax := make([]int, len(t.Shape))
	for i := range ax {
		ax[i] = i
	}
	if list := c.IntList("axes"); list != nil {
		if ax, err = axesOf(list, len(t.Shape)); err != nil {
			return err
		}
	}
	if len(shape) != len(ax) {
		return fmt.Errorf("shape %v for %d axes", shape, len(ax))
	}
	out := clone(t.Shape)
	for i, a := range ax {
		out[a] = shape[i]
	}
	c.Set(0, t.DType, out)
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

func detInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	if len(t.Shape) < 2 {
		return fmt.Errorf("Det of rank %d", len(t.Shape))
	}
	c.Set(0, t.DType, t.Shape[:len(t.Shape)-2])
	return nil
}

// detCost: an LU factorisation, n^3/3 multiply-adds per matrix.
func detCost(c *Ctx) (Cost, error) {
	s := c.In[0].Shape
	n := s[len(s)-1]
	batch, err := prod(s[:len(s)-2])
	if err != nil {
		return Cost{}, err
	}
	macs, err := mul(batch, n, n, n)
	return Cost{MACs: macs / 3}, err
}

func gridSampleInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	g, err := c.Shape(1)
	if err != nil {
		return err
	}
	if len(x.Shape) < 3 || len(g) != len(x.Shape) {
		return fmt.Errorf("GridSample input %v and grid %v", x.Shape, g)
	}
	out := append([]int64{x.Shape[0], x.Shape[1]}, g[1:len(g)-1]...)
	c.Set(0, x.DType, out)
	return nil
}

// affineGridInfer: theta (N, 2, 3) or (N, 3, 4) and size (N, C, [D,] H, W)
// give a grid (N, [D,] H, W, 2|3).
func affineGridInfer(c *Ctx) error {
	theta, err := c.InT(0)
	if err != nil {
		return err
	}
	size, err := c.Ints(1)
	if err != nil {
		return err
	}
	if len(size) != 4 && len(size) != 5 {
		return fmt.Errorf("AffineGrid size %v", size)
	}
	nd := int64(len(size) - 2)
	out := append(append([]int64{size[0]}, size[2:]...), nd)
	c.Set(0, theta.DType, out)
	return nil
}

// affineGridCost: each grid point is an affine map, nd+1 multiply-adds
// per output coordinate.
func affineGridCost(c *Ctx) (Cost, error) {
	out := c.Out[0].Shape
	return perElement(out[len(out)-1] + 1)(c)
}

// col2ImInfer: (N, C x prod(block), L) -> (N, C, image_shape...).
func col2ImInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	image, err := c.Ints(1)
	if err != nil {
		return err
	}
	block, err := c.Ints(2)
	if err != nil {
		return err
	}
	if len(x.Shape) != 3 || len(block) != len(image) {
		return fmt.Errorf("Col2Im input %v, image_shape %v, block_shape %v", x.Shape, image, block)
	}
	k, err := prod(block)
	if err != nil || k == 0 {
		return fmt.Errorf("Col2Im block_shape %v", block)
	}
	ch := graph.Unknown
	if x.Shape[1] >= 0 {
		ch = x.Shape[1] / k
	}
	c.Set(0, x.DType, append([]int64{x.Shape[0], ch}, image...))
	return nil
}

// setValues gives output 0 the gathered integer or float values (empty,
// not absent, when there are none).
func setValues(c *Ctx, dt graph.DType, out []int64, isInt bool, iv []int64, fv []float64) {
	if isInt {
		c.SetInts(0, dt, out, append([]int64{}, iv...))
	} else {
		c.SetFloats(0, dt, out, append([]float64{}, fv...))
	}
}
