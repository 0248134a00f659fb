package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// broadcast applies ONNX multidirectional (numpy) broadcasting.
func broadcast(shapes ...[]int64) ([]int64, error) {
	rank := 0
	for _, s := range shapes {
		rank = max(rank, len(s))
	}
	out := make([]int64, rank)
	for i := range out {
		out[i] = 1
	}
	for _, s := range shapes {
		off := rank - len(s)
		for i, d := range s {
			o := &out[off+i]
			switch {
			case d == 1:
			case *o == 1:
				*o = d
			case d == graph.Unknown:
			case *o == graph.Unknown:
				*o = d
			case *o != d:
				return nil, InvalidSizes("shapes %v cannot broadcast (dim %d: %d vs %d)", shapes, off+i, *o, d)
			}
		}
	}
	return out, nil
}

// axis normalises a possibly negative axis against a rank.
func axis(a int64, rank int) (int, error) {
	if a < 0 {
		a += int64(rank)
	}
	if a < 0 || a >= int64(rank) {
		return 0, fmt.Errorf("axis %d out of range for rank %d", a, rank)
	}
	return int(a), nil
}

// axes normalises a list of axes.
func axesOf(list []int64, rank int) ([]int, error) {
	out := make([]int, len(list))
	seen := map[int]bool{}
	for i, a := range list {
		x, err := axis(a, rank)
		if err != nil {
			return nil, err
		}
		if seen[x] {
			return nil, fmt.Errorf("axis %d repeated", a)
		}
		seen[x] = true
		out[i] = x
	}
	return out, nil
}

// strides returns row-major strides for shape, with 0 stride where a dim
// of 1 is broadcast against a larger output rank.
func bstrides(in, out []int64) []int64 {
	st := make([]int64, len(out))
	acc := int64(1)
	off := len(out) - len(in)
	for i := len(in) - 1; i >= 0; i-- {
		if in[i] != 1 {
			st[off+i] = acc
		}
		acc *= in[i]
	}
	return st
}

// forEachIndex walks the flat output index space of a broadcast, giving
// each input's flat index.
func forEachIndex(out []int64, ins [][]int64, fn func(o int, idx []int)) {
	n, ok := graph.Product(out)
	if !ok || n > maxValues {
		return
	}
	st := make([][]int64, len(ins))
	for k, s := range ins {
		st[k] = bstrides(s, out)
	}
	coord := make([]int64, len(out))
	idx := make([]int, len(ins))
	for o := 0; o < int(n); o++ {
		for k := range ins {
			var f int64
			for d := range out {
				f += coord[d] * st[k][d]
			}
			idx[k] = int(f)
		}
		fn(o, idx)
		for d := len(out) - 1; d >= 0; d-- {
			coord[d]++
			if coord[d] < out[d] {
				break
			}
			coord[d] = 0
		}
	}
}

// known reports whether a shape has every dim known.
func known(s []int64) bool {
	for _, d := range s {
		if d < 0 {
			return false
		}
	}
	return true
}

func clone(s []int64) []int64 { return append([]int64{}, s...) }

// spatialOut computes one output size of a windowed op (conv, pooling).
func spatialOut(in, k, stride, dil, padBegin, padEnd int64, ceil bool) int64 {
	if in < 0 {
		return graph.Unknown
	}
	dk := (k-1)*dil + 1
	num := in + padBegin + padEnd - dk
	if num < 0 {
		return graph.Unknown // the window is larger than the padded input: checked by window.out
	}
	if ceil {
		out := (num+stride-1)/stride + 1
		// The last window must start inside the input or left padding.
		if (out-1)*stride >= in+padBegin {
			out--
		}
		return out
	}
	return num/stride + 1
}

// windowAttrs reads kernel, strides, dilations and pads of a windowed op
// with n spatial dims, resolving auto_pad against the input sizes.
type window struct {
	kernel, strides, dil, padB, padE []int64
	ceil                             bool
}

func readWindow(c *Ctx, in []int64, kernel []int64) (*window, error) {
	n := len(kernel)
	if len(in) != n {
		return nil, Invalid("kernel has %d dims but input has %d spatial dims", n, len(in))
	}
	w := &window{kernel: kernel, strides: ones(n), dil: ones(n), padB: make([]int64, n), padE: make([]int64, n)}
	if s := c.IntList("strides"); s != nil {
		if len(s) != n {
			return nil, Invalid("strides has %d values, want %d", len(s), n)
		}
		w.strides = s
	}
	if d := c.IntList("dilations"); d != nil {
		if len(d) != n {
			return nil, Invalid("dilations has %d values, want %d", len(d), n)
		}
		w.dil = d
	}
	for i := 0; i < n; i++ {
		if w.strides[i] <= 0 || w.dil[i] <= 0 || kernel[i] <= 0 {
			return nil, Invalid("kernel %v, strides %v and dilations %v must be positive", kernel, w.strides, w.dil)
		}
	}
	w.ceil = c.Int("ceil_mode", 0) != 0
	switch pad := c.Str("auto_pad", "NOTSET"); pad {
	case "NOTSET", "":
		if p := c.IntList("pads"); p != nil {
			if len(p) != 2*n {
				return nil, Invalid("pads has %d values, want %d", len(p), 2*n)
			}
			copy(w.padB, p[:n])
			copy(w.padE, p[n:])
		}
	case "VALID":
	case "SAME_UPPER", "SAME_LOWER":
		for i := 0; i < n; i++ {
			if in[i] < 0 {
				continue
			}
			out := (in[i] + w.strides[i] - 1) / w.strides[i]
			total := max(0, (out-1)*w.strides[i]+(kernel[i]-1)*w.dil[i]+1-in[i])
			small, big := total/2, total-total/2
			if pad == "SAME_UPPER" {
				w.padB[i], w.padE[i] = small, big
			} else {
				w.padB[i], w.padE[i] = big, small
			}
		}
	default:
		return nil, Invalid("unknown auto_pad %q", pad)
	}
	for i := 0; i < n; i++ {
		if w.padB[i] < 0 || w.padE[i] < 0 {
			return nil, Invalid("pads %v must not be negative", c.IntList("pads"))
		}
		if w.padB[i] > 1<<40 || w.padE[i] > 1<<40 || kernel[i] > 1<<40 || w.dil[i] > 1<<40 || w.strides[i] > 1<<40 {
			return nil, fmt.Errorf("pads %v, kernel %v, dilations %v or strides %v out of range", c.IntList("pads"), kernel, w.dil, w.strides)
		}
	}
	return w, nil
}

func (w *window) out(in []int64) ([]int64, error) {
	out := make([]int64, len(in))
	for i := range in {
		if in[i] >= 0 && in[i]+w.padB[i]+w.padE[i] < (w.kernel[i]-1)*w.dil[i]+1 {
			return nil, InvalidSizes("kernel %v (dilations %v) is larger than the input %v padded by %v", w.kernel, w.dil, in, append(clone(w.padB), w.padE...))
		}
		out[i] = spatialOut(in[i], w.kernel[i], w.strides[i], w.dil[i], w.padB[i], w.padE[i], w.ceil)
	}
	return out, nil
}

func ones(n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// sameShape infers outputs that copy input 0's shape and dtype.
func sameShape(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, t.DType, t.Shape)
	return nil
}

// perElement costs k elementary ops per output element.
func perElement(k int64) func(c *Ctx) (Cost, error) {
	return func(c *Ctx) (Cost, error) {
		n, err := c.OutElems(0)
		if err != nil {
			return Cost{}, err
		}
		ops, err := mul(n, k)
		return Cost{Ops: ops}, err
	}
}

// perInputElement costs k ops per element of input 0 (reductions, pools).
func perInputElement(k int64) func(c *Ctx) (Cost, error) {
	return func(c *Ctx) (Cost, error) {
		n, err := c.InElems(0)
		if err != nil {
			return Cost{}, err
		}
		ops, err := mul(n, k)
		return Cost{Ops: ops}, err
	}
}

// mapValues builds output values by mapping each output coordinate to a
// flat index of t (transpose, n-D slice). It does nothing when t carries
// no values or the output is too large.
func mapValues(c *Ctx, t *graph.Tensor, out []int64, src func(coord []int64) int64) {
	if !t.HasValue() || !known(out) || !known(t.Shape) {
		return
	}
	n, ok := graph.Product(out)
	if !ok || n > maxValues {
		return
	}
	coord := make([]int64, len(out))
	iv := make([]int64, n)
	fv := make([]float64, n)
	for o := int64(0); o < n; o++ {
		k := src(coord)
		if t.Ints != nil {
			iv[o] = t.Ints[k]
		} else {
			fv[o] = t.Floats[k]
		}
		for d := len(out) - 1; d >= 0; d-- {
			coord[d]++
			if coord[d] < out[d] {
				break
			}
			coord[d] = 0
		}
	}
	if t.Ints != nil {
		c.SetInts(0, t.DType, out, iv)
	} else {
		c.SetFloats(0, t.DType, out, fv)
	}
}

// rowMajor returns the strides of a shape.
func rowMajor(shape []int64) []int64 {
	st := make([]int64, len(shape))
	acc := int64(1)
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = acc
		acc *= shape[i]
	}
	return st
}

// keepValues carries values through a pure relayout that keeps order.
func keepValues(c *Ctx, t *graph.Tensor, out []int64) {
	if t.Ints != nil {
		c.SetInts(0, t.DType, out, t.Ints)
	} else if t.Floats != nil {
		c.SetFloats(0, t.DType, out, t.Floats)
	}
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

// setValues gives output 0 the gathered integer or float values (empty,
// not absent, when there are none).
func setValues(c *Ctx, dt graph.DType, out []int64, isInt bool, iv []int64, fv []float64) {
	if isInt {
		c.SetInts(0, dt, out, append([]int64{}, iv...))
	} else {
		c.SetFloats(0, dt, out, append([]float64{}, fv...))
	}
}

// allInputs returns every input, each present with a shape, and at least
// one.
func allInputs(c *Ctx) ([]*graph.Tensor, error) {
	var ins []*graph.Tensor
	for i := range c.In {
		t, err := c.InT(i)
		if err != nil {
			return nil, err
		}
		ins = append(ins, t)
	}
	if len(ins) == 0 {
		return nil, fmt.Errorf("no inputs")
	}
	return ins, nil
}
