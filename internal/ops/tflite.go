package ops

import (
	"github.com/netscore/netscore/internal/graph"
)

// TensorFlow Lite builtins (domain "tflite"). The reader sets the conv and
// pool attributes the ONNX rules read (strides, dilations, auto_pad,
// kernel_shape) and the node's layout (NHWC data, OHWI or 1HWO weights),
// so convolutions and pools are the ONNX rules; a fused activation
// (attribute fused_activation_function) adds one op per output element,
// as com.microsoft's fused ops do. Shape operands (RESHAPE's new shape,
// PAD's paddings, MEAN's axes, slice bounds) are never params.
func init() {
	const d = "tflite"
	register(d, "conv", Rule{Infer: convInfer(0, 1, graph.Undefined), Cost: fused(convCost(0, 1, 2))}, "CONV_2D", "DEPTHWISE_CONV_2D")
	register(d, "matmul", Rule{Infer: fcInfer, Cost: fused(fcCost)}, "FULLY_CONNECTED")
	register(d, "pooling", Rule{Infer: poolInfer, Cost: fused(poolCost)}, "AVERAGE_POOL_2D", "MAX_POOL_2D")
	register(d, "elementwise", Rule{Infer: broadcastInfer(false), Cost: fused(perElement(1))}, "ADD", "SUB", "MUL", "DIV")
	register(d, "activation", Rule{Infer: unaryInfer, Cost: perElement(1)},
		"RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LOGISTIC", "TANH", "HARD_SWISH", "LEAKY_RELU", "ELU", "ABS", "NEG", "EXP", "LOG", "SQRT", "RSQRT", "SQUARE")
	register(d, "normalization", Rule{Infer: sameShape, Cost: perElement(3)}, "SOFTMAX", "LOG_SOFTMAX")
	register(d, "shape", Rule{Infer: tfliteReshapeInfer, Operands: []int{1}}, "RESHAPE")
	register(d, "shape", Rule{Infer: tfliteSqueezeInfer}, "SQUEEZE")
	register(d, "shape", Rule{Infer: concatInfer, Cost: fusedOnly}, "CONCATENATION")
	register(d, "shape", Rule{Infer: tflitePadInfer, Operands: []int{1, 2}}, "PAD", "PADV2")
	register(d, "shape", Rule{Infer: tfliteTransposeInfer, Operands: []int{1}}, "TRANSPOSE")
	register(d, "index", Rule{Infer: stridedSliceInfer, Operands: []int{1, 2, 3}}, "STRIDED_SLICE")
	register(d, "reduce", Rule{Infer: tfliteReduceInfer, Cost: perInputElement(1), Operands: []int{1}}, "MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD")
	register(d, "quantization", Rule{Infer: declaredType(graph.Undefined), Cost: perElement(2)}, "QUANTIZE")
	register(d, "quantization", Rule{Infer: declaredType(graph.Float32), Cost: perElement(2)}, "DEQUANTIZE")
	register(d, "recurrent", Rule{Infer: seqLSTMInfer, Cost: seqLSTMCost}, "UNIDIRECTIONAL_SEQUENCE_LSTM", "LSTM")
}

// fused adds a fused activation's one op per output element to base.
func fused(base func(c *Ctx) (Cost, error)) func(c *Ctx) (Cost, error) {
	return func(c *Ctx) (Cost, error) {
		cost, err := base(c)
		if err != nil || c.Str("fused_activation_function", "") == "" {
			return cost, err
		}
		out, err := c.OutElems(0)
		if err != nil {
			return cost, err
		}
		cost.Ops, err = add(cost.Ops, out)
		return cost, err
	}
}

// fusedOnly costs an op that moves data and may apply a fused activation.
var fusedOnly = fused(func(*Ctx) (Cost, error) { return Cost{}, nil })

// fcDims: FULLY_CONNECTED multiplies rows of K = weights[1] input values
// by the [units, K] weights. The output is [rows, units], or the input's
// shape with its last dim replaced when keep_num_dims is set.
func fcDims(c *Ctx) (out []int64, rows, k, units int64, err error) {
	x, w, err := twoShapes(c, 0, 1)
	if err != nil {
		return
	}
	if len(w) != 2 || len(x) == 0 {
		return nil, 0, 0, 0, Invalid("FULLY_CONNECTED input rank %d and weight rank %d do not fit", len(x), len(w))
	}
	if c.Int("weights_format", 0) != 0 {
		return nil, 0, 0, 0, Invalid("shuffled FULLY_CONNECTED weights are not read")
	}
	units, k = w[0], w[1]
	if c.Int("keep_num_dims", 0) != 0 {
		if x[len(x)-1] >= 0 && k >= 0 && x[len(x)-1] != k {
			return nil, 0, 0, 0, InvalidSizes("input %v does not end in the weight's %d inputs", x, k)
		}
		out = append(clone(x[:len(x)-1]), units)
		rows, _ = graph.Product(x[:len(x)-1])
		return out, rows, k, units, nil
	}
	rows = graph.Unknown
	if n, ok := graph.Product(x); ok && k > 0 {
		if n%k != 0 {
			return nil, 0, 0, 0, InvalidSizes("input %v does not split into rows of %d", x, k)
		}
		rows = n / k
	}
	return []int64{rows, units}, rows, k, units, nil
}

func fcInfer(c *Ctx) error {
	out, _, _, _, err := fcDims(c)
	return setLike0(c, out, err)
}

// setLike0 gives output 0 shape out in input 0's dtype, unless err.
func setLike0(c *Ctx, out []int64, err error) error {
	if err != nil {
		return err
	}
	c.Set(0, c.In[0].DType, out)
	return nil
}

// twoShapes returns the shapes of inputs i and j.
func twoShapes(c *Ctx, i, j int) (a, b []int64, err error) {
	if a, err = c.Shape(i); err != nil {
		return nil, nil, err
	}
	b, err = c.Shape(j)
	return a, b, err
}

// shapeAndInts returns input 0's shape and input 1's values (axes, pads,
// a permutation).
func shapeAndInts(c *Ctx) (x, v []int64, err error) {
	if x, err = c.Shape(0); err != nil {
		return nil, nil, err
	}
	v, err = c.Ints(1)
	return x, v, err
}

// fcCost: rows x K x units MACs, one op per output element for a bias.
func fcCost(c *Ctx) (Cost, error) {
	_, rows, k, units, err := fcDims(c)
	if err != nil {
		return Cost{}, err
	}
	if rows < 0 || k < 0 || units < 0 {
		return Cost{}, ErrUnknownShape
	}
	macs, err := mul(rows, k, units)
	if err != nil {
		return Cost{}, err
	}
	var ops int64
	if c.Has(2) {
		ops, err = mul(rows, units)
	}
	return Cost{MACs: macs, Ops: ops}, err
}

// tfliteReshapeInfer: the target is input 1's values, else the new_shape
// option; one -1 takes what is left. Unlike ONNX, 0 is a size.
func tfliteReshapeInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	target := c.IntList("new_shape")
	if c.Has(1) {
		if target, err = c.Ints(1); err != nil {
			return err
		}
	}
	if target == nil {
		return Invalid("RESHAPE has neither a shape input nor new_shape")
	}
	out, free := clone(target), -1
	known := int64(1)
	for i, d := range out {
		switch {
		case d == -1 && free < 0:
			free = i
		case d < 0:
			return Invalid("RESHAPE target %v", target)
		default:
			known *= max(d, 1)
		}
	}
	if free >= 0 {
		out[free] = graph.Unknown
		if n := x.Elements(); n >= 0 && known > 0 {
			if n%known != 0 {
				return InvalidSizes("cannot reshape %v to %v", x.Shape, target)
			}
			out[free] = n / known
		}
	}
	if x.Ints != nil {
		c.SetInts(0, x.DType, out, x.Ints)
		return nil
	}
	c.Set(0, x.DType, out)
	return nil
}

// tfliteSqueezeInfer drops the squeeze_dims axes (size 1), or every size-1
// dim when none are given.
func tfliteSqueezeInfer(c *Ctx) error {
	x, err := c.Shape(0)
	if err != nil {
		return err
	}
	drop := make([]bool, len(x))
	dims := c.IntList("squeeze_dims")
	for _, a := range dims {
		i, err := axis(a, len(x))
		if err != nil {
			return Invalid("%v", err)
		}
		drop[i] = true
	}
	var out []int64
	for i, d := range x {
		if len(dims) == 0 && d == 1 || drop[i] {
			if d > 1 {
				return InvalidSizes("SQUEEZE of axis %d of size %d", i, d)
			}
			continue
		}
		out = append(out, d)
	}
	return setLike0(c, out, nil)
}

// tflitePadInfer: input 1 holds [rank, 2] pads (before, after).
func tflitePadInfer(c *Ctx) error {
	x, p, err := shapeAndInts(c)
	if err != nil {
		return err
	}
	if len(p) != 2*len(x) {
		return Invalid("%d paddings for rank %d", len(p), len(x))
	}
	out := clone(x)
	for i := range out {
		if p[2*i] < 0 || p[2*i+1] < 0 {
			return Invalid("negative paddings %v", p)
		}
		if out[i] >= 0 {
			out[i] += p[2*i] + p[2*i+1]
		}
	}
	return setLike0(c, out, nil)
}

// tfliteTransposeInfer: input 1 is the permutation.
func tfliteTransposeInfer(c *Ctx) error {
	x, perm, err := shapeAndInts(c)
	if err != nil {
		return err
	}
	if len(perm) != len(x) {
		return Invalid("permutation %v for rank %d", perm, len(x))
	}
	out := make([]int64, len(x))
	seen := make([]bool, len(x))
	for i, p := range perm {
		a, err := axis(p, len(x))
		if err != nil || seen[a] {
			return Invalid("permutation %v", perm)
		}
		seen[a], out[i] = true, x[a]
	}
	return setLike0(c, out, nil)
}

// tfliteReduceInfer: input 1 lists the axes; keep_dims keeps them as 1.
func tfliteReduceInfer(c *Ctx) error {
	x, axes, err := shapeAndInts(c)
	if err != nil {
		return err
	}
	drop := make([]bool, len(x))
	for _, a := range axes {
		i, err := axis(a, len(x))
		if err != nil {
			return Invalid("%v", err)
		}
		drop[i] = true
	}
	keep := c.Int("keep_dims", 0) != 0
	out := []int64{}
	for i, d := range x {
		switch {
		case !drop[i]:
			out = append(out, d)
		case keep:
			out = append(out, 1)
		}
	}
	return setLike0(c, out, nil)
}

// stridedSliceInfer: begin, end and strides are inputs 1-3 (the sparse
// spec, one entry per position); the masks are options. As TensorFlow's
// tf.strided_slice (BuildDenseSpec) and TFLite's kernel: an ellipsis
// position (ellipsis_mask; at most one) takes every input dim the other
// positions leave, whole; a new-axis position (new_axis_mask, ignored
// where the ellipsis bit is set too) inserts a dim of 1 and reads no
// input dim, its bounds, stride and shrink bit ignored; without an
// ellipsis, the dims past the spec are taken whole.
func stridedSliceInfer(c *Ctx) error {
	x, err := c.Shape(0)
	if err != nil {
		return err
	}
	var b [3][]int64
	for i := range b {
		if b[i], err = c.Ints(i + 1); err != nil {
			return err
		}
	}
	begin, end, strides := b[0], b[1], b[2]
	n := len(begin)
	if len(end) != n || len(strides) != n || n > 32 {
		return Invalid("STRIDED_SLICE bounds %v, %v, %v", begin, end, strides)
	}
	bit := func(mask string, i int) bool { return c.Int(mask, 0)>>i&1 != 0 }
	ellipsis, positions := -1, n
	for i := range n {
		if bit("ellipsis_mask", i) {
			if ellipsis >= 0 {
				return Invalid("STRIDED_SLICE with more than one ellipsis (ellipsis_mask %d)", c.Int("ellipsis_mask", 0))
			}
			ellipsis = i
		}
	}
	if ellipsis < 0 { // an implicit ellipsis after the spec
		ellipsis, positions = n, n+1
	}
	newAxis := func(i int) bool { return i < n && i != ellipsis && bit("new_axis_mask", i) }
	addedAfter := 0 // new axes after the ellipsis, which read no input dim
	for i := ellipsis + 1; i < n; i++ {
		if newAxis(i) {
			addedAfter++
		}
	}
	var out []int64
	full := 0 // the next input dim
	for i := range positions {
		switch {
		case i == ellipsis:
			next := min(len(x)-(positions-i)+1+addedAfter, len(x))
			for ; full < next; full++ {
				out = append(out, x[full])
			}
			continue
		case newAxis(i):
			out = append(out, 1)
			continue
		}
		if full >= len(x) {
			return Invalid("STRIDED_SLICE spec of %d positions (ellipsis_mask %d, new_axis_mask %d) for rank %d",
				n, c.Int("ellipsis_mask", 0), c.Int("new_axis_mask", 0), len(x))
		}
		d := x[full]
		full++
		size, err := sliceSize(c, d, begin[i], end[i], strides[i], bit("begin_mask", i), bit("end_mask", i))
		if err != nil {
			return err
		}
		if !bit("shrink_axis_mask", i) {
			out = append(out, size)
		}
	}
	return setLike0(c, out, nil)
}

// sliceSize is the length of one sliced dim of size n (unknown if n is).
func sliceSize(c *Ctx, n, lo, hi, s int64, beginMasked, endMasked bool) (int64, error) {
	if s == 0 {
		return 0, Invalid("STRIDED_SLICE stride 0")
	}
	if n < 0 {
		return graph.Unknown, nil
	}
	if c.Int("offset", 0) != 0 {
		hi += lo
	}
	lo, hi = sliceBound(lo, n, s, beginMasked, true), sliceBound(hi, n, s, endMasked, false)
	switch {
	case s > 0 && hi > lo:
		return (hi - lo + s - 1) / s, nil
	case s < 0 && lo > hi:
		return (lo - hi - s - 1) / -s, nil
	}
	return 0, nil
}

// sliceBound resolves one slice bound of a dim of size n (masked: the
// start or the end of the walk, by the stride's sign).
func sliceBound(v, n, stride int64, masked, begin bool) int64 {
	if masked {
		if (stride > 0) == begin {
			return 0 - b2i64(stride < 0)
		}
		return n - b2i64(stride < 0)
	}
	if v < 0 {
		v += n
	}
	if stride > 0 {
		return min(max(v, 0), n)
	}
	return min(max(v, -1), n-1)
}

func b2i64(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// declaredType keeps input 0's shape in dt, or (Undefined) in the type
// the file declares for the output (QUANTIZE's int8 or uint8).
func declaredType(dt graph.DType) func(c *Ctx) error {
	return func(c *Ctx) error {
		x, err := c.InT(0)
		if err != nil {
			return err
		}
		t := dt
		if t == graph.Undefined && len(c.Out) > 0 && c.Out[0] != nil {
			t = c.Out[0].DType
		}
		c.Set(0, t, x.Shape)
		return nil
	}
}

// UNIDIRECTIONAL_SEQUENCE_LSTM: input 0 is [batch, time, input] (time
// first with time_major); inputs 1-4 the input-to-gate weights [cell,
// input] (input gate absent with CIFG), 5-8 the recurrent weights [cell,
// output], 16 an optional projection [output, cell]; 18 and 19 the state
// (variable tensors). The output is [batch, time, output]. LSTM (the
// full kernel) takes the same inputs for one step: input [batch, input],
// output [batch, output]; its basic kernel is basicLSTMDims.
func seqLSTMDims(c *Ctx) (steps, cells, outUnits int64, out []int64, err error) {
	rank := 3
	if c.Node.Op == "LSTM" {
		if len(c.In) < 9 {
			return 0, 0, 0, nil, Invalid("full-kernel LSTM with %d inputs", len(c.In))
		}
		rank = 2
	}
	x, r, err := twoShapes(c, 0, 8)
	if err != nil {
		return
	}
	if len(x) != rank || len(r) != 2 {
		return 0, 0, 0, nil, Invalid("LSTM input rank %d and recurrent weight rank %d", len(x), len(r))
	}
	cells, outUnits = r[0], r[1]
	steps, _ = graph.Product(x[:rank-1])
	return steps, cells, outUnits, append(clone(x[:rank-1]), outUnits), nil
}

func seqLSTMInfer(c *Ctx) error {
	if basic, err := lstmBasic(c); basic || err != nil {
		return basicLSTMInfer(c, err)
	}
	_, _, _, out, err := seqLSTMDims(c)
	return setLike0(c, out, err)
}

// seqLSTMCost: per step and batch row, every present gate and projection
// matrix's elements in MACs, and LSTM's 17 ops per cell (docs/counting.md).
func seqLSTMCost(c *Ctx) (Cost, error) {
	if basic, err := lstmBasic(c); basic || err != nil {
		return basicLSTMCost(c, err)
	}
	steps, cells, _, _, err := seqLSTMDims(c)
	if err != nil {
		return Cost{}, err
	}
	return stepCost(c, steps, cells, recurrentShape["LSTM"].ops, 1, 2, 3, 4, 5, 6, 7, 8, 16)
}

// stepCost: steps x (elements of the present matrices among inputs) MACs
// and steps x units x ops elementwise ops.
func stepCost(c *Ctx, steps, units, ops int64, matrices ...int) (Cost, error) {
	var weights int64
	for _, i := range matrices {
		if !c.Has(i) {
			continue
		}
		n, err := c.InElems(i)
		if err != nil {
			return Cost{}, err
		}
		if weights, err = add(weights, n); err != nil {
			return Cost{}, err
		}
	}
	if steps < 0 || units < 0 {
		return Cost{}, ErrUnknownShape
	}
	macs, err := mul(steps, weights)
	if err != nil {
		return Cost{}, err
	}
	n, err := mul(steps, units, ops)
	return Cost{MACs: macs, Ops: n}, err
}

// lstmBasic reports an LSTM builtin with kernel_type BASIC (1); FULL is 0.
func lstmBasic(c *Ctx) (bool, error) {
	if c.Node.Op != "LSTM" {
		return false, nil
	}
	switch k := c.Int("kernel_type", 0); k {
	case 0, 1:
		return k == 1, nil
	default:
		return false, Invalid("LSTM kernel_type %d", k)
	}
}

// The LSTM builtin's basic kernel (TFLite's kernels/lstm.cc, namespace
// basic): inputs 0 the input [batch, input], 1 the previous activation
// [batch, units], 2 the weights of the four gates in one matrix [4 x
// units, input + units], 3 the biases [4 x units], 4 the previous state
// [batch, units]; outputs the activation and the state [batch, units],
// the concatenated input [batch, input + units] and the gate activations
// [batch, 4 x units]. The previous activation and state are the cell's
// state (variable tensors), not params.
func basicLSTMDims(c *Ctx) (batch, units int64, outs [][]int64, err error) {
	x, prev, err := twoShapes(c, 0, 1)
	if err != nil {
		return
	}
	w, err := c.Shape(2)
	if err != nil {
		return
	}
	if len(c.In) != 5 || len(x) != 2 || len(prev) != 2 || len(w) != 2 {
		return 0, 0, nil, Invalid("basic-kernel LSTM of %d inputs, input rank %d, activation rank %d, weight rank %d", len(c.In), len(x), len(prev), len(w))
	}
	batch, units = x[0], prev[1]
	total := addKnown(x[1], units)
	if w[0] >= 0 && units >= 0 && w[0] != 4*units || w[1] >= 0 && total >= 0 && w[1] != total {
		return 0, 0, nil, InvalidSizes("basic-kernel LSTM weights %v for input %v and %d units (want [4 x units, input + units])", w, x, units)
	}
	return batch, units, [][]int64{{batch, units}, {batch, units}, {batch, total}, {batch, mulKnown(units, 4)}}, nil
}

func basicLSTMInfer(c *Ctx, err error) error {
	if err != nil {
		return err
	}
	_, _, outs, err := basicLSTMDims(c)
	if err != nil {
		return err
	}
	for k, o := range outs {
		if k < len(c.Out) && c.Out[k] != nil {
			dt := c.Out[k].DType // the quantized kernel keeps its state in int16
			if dt == graph.Undefined {
				dt = c.In[0].DType
			}
			c.Set(k, dt, o)
		}
	}
	return nil
}

// basicLSTMCost: the gate matrix times [input, previous activation] for
// each batch row, batch x 4 x units x (input + units) MACs, and LSTM's 17
// ops per cell (the bias among them).
func basicLSTMCost(c *Ctx, err error) (Cost, error) {
	if err != nil {
		return Cost{}, err
	}
	batch, units, _, err := basicLSTMDims(c)
	if err != nil {
		return Cost{}, err
	}
	return stepCost(c, batch, units, recurrentShape["LSTM"].ops, 2)
}
