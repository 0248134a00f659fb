package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Shape manipulation: these move data and cost nothing. Their rules
// propagate small integer values so shape subgraphs (Shape -> Gather ->
// Concat -> Reshape) resolve to concrete shapes.
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
	register("", "shape", Rule{Infer: expandInfer, Operands: []int{1}}, "Expand")
	register("", "shape", Rule{Infer: tileInfer, Operands: []int{1}}, "Tile")
	register("", "shape", Rule{Infer: padInfer, Operands: []int{from(1)}}, "Pad")
	register("", "shape", Rule{Infer: centerCropPadInfer, Operands: []int{1}}, "CenterCropPad")
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
				return nil, Invalid("reshape target %v has two -1 dims", target)
			}
			infer = i
		case d < -1:
			return nil, Invalid("reshape target %v has a negative dim", target)
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
			return nil, InvalidSizes("cannot reshape %v to %v", in, target)
		default:
			out[infer] = total / rest
		}
	}
	if a, ok1 := graph.Product(in); ok1 {
		if b, ok2 := graph.Product(out); ok2 && a != b {
			return nil, InvalidSizes("cannot reshape %v (%d elements) to %v (%d elements)", in, a, target, b)
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
	ins, err := allInputs(c)
	if err != nil {
		return err
	}
	r := len(ins[0].Shape)
	a, err := axis(c.Int("axis", 0), r)
	if err != nil {
		return err
	}
	out := clone(ins[0].Shape)
	for _, t := range ins[1:] {
		if len(t.Shape) != r {
			return Invalid("concat of ranks %d and %d", r, len(t.Shape))
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
				return InvalidSizes("concat on axis %d of %v and %v", a, ins[0].Shape, t.Shape)
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
			return Invalid("split sizes %v include a negative size", sizes)
		}
		total += s
	}
	if dim := t.Shape[a]; dim >= 0 && total != dim {
		return InvalidSizes("split sizes %v add up to %d, not the dim %d", sizes, total, dim)
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
