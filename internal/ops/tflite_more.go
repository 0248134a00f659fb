package ops

import (
	"github.com/netscore/netscore/internal/graph"
)

// More TensorFlow Lite builtins: transposed convolution, batched matrix
// products, resizing, gathers, splits and the smaller shape ops.
func init() {
	const d = "tflite"
	register(d, "conv", Rule{Infer: transposeConvInfer, Cost: transposeConvCost, Operands: []int{0}}, "TRANSPOSE_CONV")
	register(d, "matmul", Rule{Infer: batchMatMulInfer, Cost: batchMatMulCost}, "BATCH_MATMUL")
	register(d, "resize", Rule{Infer: tfliteResizeInfer, Cost: resizeCost, Operands: []int{1}}, "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR")
	register(d, "elementwise", Rule{Infer: broadcastInfer(false), Cost: perElement(1)}, "MAXIMUM", "MINIMUM", "PRELU")
	register(d, "elementwise", Rule{Infer: broadcastInfer(false), Cost: perElement(2)}, "SQUARED_DIFFERENCE")
	register(d, "elementwise", Rule{Infer: declaredType(graph.Undefined)}, "CAST")
	register(d, "index", Rule{Infer: tfliteGatherInfer}, "GATHER")
	register(d, "reduce", Rule{Infer: tfliteArgInfer, Cost: perInputElement(1), Operands: []int{1}}, "ARG_MAX", "ARG_MIN")
	register(d, "shape", Rule{Infer: tflitePadInfer, Operands: []int{1}}, "MIRROR_PAD")
	register(d, "shape", Rule{Infer: tfliteSplitInfer, Operands: []int{0}}, "SPLIT")
	register(d, "shape", Rule{Infer: tfliteSplitInfer, Operands: []int{1, 2}}, "SPLIT_V")
	register(d, "shape", Rule{Infer: expandDimsInfer, Operands: []int{1}}, "EXPAND_DIMS")
	register(d, "shape", Rule{Infer: tfliteSliceInfer, Operands: []int{1, 2}}, "SLICE")
	register(d, "shape", Rule{Infer: tfliteTileInfer, Operands: []int{1}}, "TILE")
	register(d, "shape", Rule{Infer: packInfer}, "PACK")
	register(d, "activation", Rule{Infer: unaryInfer, Cost: perElement(1)}, "FLOOR", "CEIL", "ROUND", "SIN", "COS", "GELU", "SIGN", "LOGICAL_NOT")
	register(d, "elementwise", Rule{Infer: broadcastInfer(false), Cost: perElement(1)}, "FLOOR_DIV", "FLOOR_MOD", "POW")
	register(d, "elementwise", Rule{Infer: broadcastInfer(true), Cost: perElement(1)},
		"LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL", "EQUAL", "NOT_EQUAL", "LOGICAL_AND", "LOGICAL_OR")
	register(d, "elementwise", Rule{Infer: whereInfer, Cost: perElement(1)}, "SELECT", "SELECT_V2")
	register(d, "normalization", Rule{Infer: sameShape, Cost: perElement(3)}, "L2_NORMALIZATION")
	register(d, "resize", Rule{Infer: spaceDepthInfer}, "SPACE_TO_DEPTH", "DEPTH_TO_SPACE")
	register(d, "shape", Rule{Infer: tfliteShapeInfer}, "SHAPE")
	register(d, "shape", Rule{Infer: unpackInfer}, "UNPACK")
	register(d, "index", Rule{Infer: gatherNDInfer}, "GATHER_ND")
	register(d, "normalization", Rule{Infer: sameShape, Cost: tfliteLRNCost}, "LOCAL_RESPONSE_NORMALIZATION")
	register(d, "recurrent", Rule{Infer: biLSTMInfer, Cost: biLSTMCost}, "BIDIRECTIONAL_SEQUENCE_LSTM")
	register(d, "recurrent", Rule{Infer: tfliteRNNInfer, Cost: tfliteRNNCost}, "RNN", "UNIDIRECTIONAL_SEQUENCE_RNN")
	register(d, "recurrent", Rule{Infer: biRNNInfer, Cost: biRNNCost}, "BIDIRECTIONAL_SEQUENCE_RNN")
	register(d, "recurrent", Rule{Infer: svdfInfer, Cost: fused(svdfCost)}, "SVDF")
}

// BIDIRECTIONAL_SEQUENCE_LSTM: input 0 is [time, batch, input] (or batch
// first); 1-8, 16 the forward gate, recurrent and projection matrices,
// 18-25, 33 the backward ones (UNIDIRECTIONAL_SEQUENCE_LSTM's layout, 17
// further on), 35-38 the states (variable tensors), 40-43 and 44-47 the
// optional auxiliary input's forward and backward matrices. Outputs are
// [x0, x1, forward output] and [x0, x1, backward output], or one
// [x0, x1, both] with merge_outputs.
func biLSTMDims(c *Ctx) (steps, cells int64, outs [][]int64, err error) {
	x, fw, err := twoShapes(c, 0, 8)
	if err != nil {
		return
	}
	bw, err := c.Shape(25)
	if err != nil {
		return
	}
	if len(x) != 3 || len(fw) != 2 || len(bw) != 2 {
		return 0, 0, nil, Invalid("LSTM input rank %d and recurrent weight ranks %d, %d", len(x), len(fw), len(bw))
	}
	steps, _ = graph.Product(x[:2])
	cells = addKnown(fw[0], bw[0])
	if c.Int("merge_outputs", 0) == 0 {
		return steps, cells, [][]int64{{x[0], x[1], fw[1]}, {x[0], x[1], bw[1]}}, nil
	}
	return steps, cells, [][]int64{{x[0], x[1], addKnown(fw[1], bw[1])}}, nil
}

// addKnown adds two dims, unknown (-1) if either is.
func addKnown(a, b int64) int64 {
	if a < 0 || b < 0 {
		return -1
	}
	return a + b
}

func biLSTMInfer(c *Ctx) error {
	_, _, outs, err := biLSTMDims(c)
	if err != nil {
		return err
	}
	for k, o := range outs {
		c.Set(k, c.In[0].DType, o)
	}
	return nil
}

// biLSTMCost: both directions' (and the auxiliary input's) matrices at
// every step, 17 ops per cell of each direction, as ONNX's bidirectional
// LSTM.
func biLSTMCost(c *Ctx) (Cost, error) {
	steps, cells, _, err := biLSTMDims(c)
	if err != nil {
		return Cost{}, err
	}
	return stepCost(c, steps, cells, recurrentShape["LSTM"].ops,
		1, 2, 3, 4, 5, 6, 7, 8, 16, 18, 19, 20, 21, 22, 23, 24, 25, 33, 40, 41, 42, 43, 44, 45, 46, 47)
}

// RNN: input 0 [batch, input], 1 the weights [units, input], 2 the
// recurrent weights [units, units], 3 the bias, 4 the state (a variable
// tensor); the output is [batch, units]. UNIDIRECTIONAL_SEQUENCE_RNN
// takes [batch, time, input] (time first with time_major) and gives
// [x0, x1, units].
func tfliteRNNDims(c *Ctx) (steps, units int64, out []int64, err error) {
	x, w, err := twoShapes(c, 0, 1)
	if err != nil {
		return
	}
	rank := 3
	if c.Node.Op == "RNN" {
		rank = 2
	}
	if len(x) != rank || len(w) != 2 {
		return 0, 0, nil, Invalid("%s input rank %d and weight rank %d", c.Node.Op, len(x), len(w))
	}
	steps, _ = graph.Product(x[:rank-1])
	return steps, w[0], append(clone(x[:rank-1]), w[0]), nil
}

func tfliteRNNInfer(c *Ctx) error {
	_, _, out, err := tfliteRNNDims(c)
	return setLike0(c, out, err)
}

// tfliteRNNCost: the input and recurrent matrices at every step and batch
// row, and ONNX RNN's 3 ops per unit (bias, recurrent add, the fused
// activation: it is the cell's activation, not added again).
func tfliteRNNCost(c *Ctx) (Cost, error) {
	steps, units, _, err := tfliteRNNDims(c)
	if err != nil {
		return Cost{}, err
	}
	return stepCost(c, steps, units, recurrentShape["RNN"].ops, 1, 2)
}

// BIDIRECTIONAL_SEQUENCE_RNN (TFLite's kernels/bidirectional_sequence_rnn.cc):
// input 0 [batch, time, input] (time first with time_major); 1-3 the
// forward weights [fw units, input], recurrent weights and bias, 4 its
// state (a variable tensor); 5-8 the backward ones; 9 an optional
// auxiliary input with its forward and backward weights 10 and 11 (or,
// without them, the backward cell's input). Outputs: the forward one
// [x0, x1, fw units], and the backward one, which the kernel sizes
// [batch, time, bw units] whatever time_major says; with merge_outputs
// one [x0, x1, fw + bw units].
func biRNNDims(c *Ctx) (steps, units int64, outs [][]int64, err error) {
	x, fw, err := twoShapes(c, 0, 1)
	if err != nil {
		return
	}
	bw, err := c.Shape(5)
	if err != nil {
		return
	}
	if len(x) != 3 || len(fw) != 2 || len(bw) != 2 {
		return 0, 0, nil, Invalid("BIDIRECTIONAL_SEQUENCE_RNN input rank %d and weight ranks %d, %d", len(x), len(fw), len(bw))
	}
	steps, _ = graph.Product(x[:2])
	units = addKnown(fw[0], bw[0])
	if c.Int("merge_outputs", 0) != 0 {
		return steps, units, [][]int64{{x[0], x[1], units}}, nil
	}
	batch, time := x[0], x[1]
	if c.Int("time_major", 0) != 0 {
		batch, time = x[1], x[0]
	}
	return steps, units, [][]int64{{x[0], x[1], fw[0]}, {batch, time, bw[0]}}, nil
}

func biRNNInfer(c *Ctx) error {
	_, _, outs, err := biRNNDims(c)
	if err != nil {
		return err
	}
	for k, o := range outs {
		c.Set(k, c.In[0].DType, o)
	}
	return nil
}

// biRNNCost: both directions' input, recurrent (and auxiliary input)
// matrices at every step and batch row, and ONNX RNN's 3 ops per unit of
// each direction (the fused activation among them), as ONNX's
// bidirectional RNN.
func biRNNCost(c *Ctx) (Cost, error) {
	steps, units, _, err := biRNNDims(c)
	if err != nil {
		return Cost{}, err
	}
	return stepCost(c, steps, units, recurrentShape["RNN"].ops, 1, 2, 5, 6, 10, 11)
}

// SVDF: input 0 [batch, input], 1 the feature weights [filters, input],
// 2 the time weights [filters, memory], 3 an optional bias [units], 4 the
// state [batch, memory x filters] (a variable tensor); filters = units x
// rank, and the output is [batch, units].
func svdfDims(c *Ctx) (batch, filters, units int64, err error) {
	x, wf, err := twoShapes(c, 0, 1)
	if err != nil {
		return
	}
	wt, err := c.Shape(2)
	if err != nil {
		return
	}
	rank := c.Int("rank", 0)
	if len(x) != 2 || len(wf) != 2 || len(wt) != 2 || rank <= 0 {
		return 0, 0, 0, Invalid("SVDF input rank %d, weight ranks %d and %d, rank %d", len(x), len(wf), len(wt), rank)
	}
	if wf[0] >= 0 && wf[0]%rank != 0 {
		return 0, 0, 0, InvalidSizes("SVDF of %d filters at rank %d", wf[0], rank)
	}
	return x[0], wf[0], divKnown(wf[0], rank), nil
}

func svdfInfer(c *Ctx) error {
	batch, _, units, err := svdfDims(c)
	return setLike0(c, []int64{batch, units}, err)
}

// svdfCost follows TFLite's reference kernel: per batch row, the feature
// matrix times the input (filters x input MACs) and each filter's time
// weights dotted with its memory (filters x memory MACs), then the rank
// sums into the bias-initialised output (filters adds, in ops).
func svdfCost(c *Ctx) (Cost, error) {
	batch, filters, _, err := svdfDims(c)
	if err != nil {
		return Cost{}, err
	}
	return stepCost(c, batch, filters, 1, 1, 2)
}

// unpackInfer splits input 0 along axis into its slices, one per output.
func unpackInfer(c *Ctx) error {
	x, err := c.Shape(0)
	if err != nil {
		return err
	}
	i, err := axis(c.Int("axis", 0), len(x))
	if err != nil {
		return Invalid("%v", err)
	}
	if x[i] >= 0 && x[i] != int64(len(c.Out)) {
		return InvalidSizes("UNPACK of %v along %d into %d outputs", x, i, len(c.Out))
	}
	out := append(clone(x[:i]), x[i+1:]...)
	for k := range c.Out {
		c.Set(k, c.In[0].DType, out)
	}
	return nil
}

// spaceDepthInfer: NHWC; SPACE_TO_DEPTH moves block_size x block_size
// pixels into channels, DEPTH_TO_SPACE back.
func spaceDepthInfer(c *Ctx) error {
	x, err := c.Shape(0)
	if err != nil {
		return err
	}
	b := c.Int("block_size", 0)
	if len(x) != 4 || b <= 0 || b > 1<<20 {
		return Invalid("%s of %v with block size %d", c.Node.Op, x, b)
	}
	out := clone(x)
	if c.Node.Op == "SPACE_TO_DEPTH" {
		for _, i := range []int{1, 2} {
			if x[i] >= 0 && x[i]%b != 0 {
				return InvalidSizes("SPACE_TO_DEPTH of %v: dim %d is not a multiple of %d", x, i, b)
			}
		}
		out[1], out[2], out[3] = divKnown(x[1], b), divKnown(x[2], b), mulKnown(x[3], b*b)
	} else {
		if x[3] >= 0 && x[3]%(b*b) != 0 {
			return InvalidSizes("DEPTH_TO_SPACE of %v: %d channels are not a multiple of %d", x, x[3], b*b)
		}
		out[1], out[2], out[3] = mulKnown(x[1], b), mulKnown(x[2], b), divKnown(x[3], b*b)
	}
	return setLike0(c, out, nil)
}

func divKnown(d, b int64) int64 {
	if d < 0 {
		return d
	}
	return d / b
}

func mulKnown(d, b int64) int64 {
	if d < 0 {
		return d
	}
	return d * b
}

// tfliteShapeInfer: the input's shape as values, in the declared type.
func tfliteShapeInfer(c *Ctx) error {
	x, err := c.Shape(0)
	if err != nil {
		return err
	}
	o, err := out0(c)
	if err != nil {
		return err
	}
	if known(x) {
		c.SetInts(0, o.DType, []int64{int64(len(x))}, clone(x))
		return nil
	}
	c.Set(0, o.DType, []int64{int64(len(x))})
	return nil
}

// TRANSPOSE_CONV: input 0 holds the output shape, 1 the OHWI weight, 2
// the NHWC input, 3 an optional bias. MACs = input elements x C_out x
// kernel elements (ONNX ConvTranspose's convention); a bias adds one op
// per output element.
func transposeConvInfer(c *Ctx) error {
	shape, err := c.Ints(0)
	if err != nil {
		return err
	}
	x, w, err := twoShapes(c, 2, 1)
	if err != nil {
		return err
	}
	if len(shape) != 4 || len(x) != 4 || len(w) != 4 {
		return Invalid("TRANSPOSE_CONV output shape %v, input rank %d, weight rank %d", shape, len(x), len(w))
	}
	if x[3] >= 0 && w[3] >= 0 && x[3] != w[3] {
		return InvalidSizes("input has %d channels, the weight %v takes %d", x[3], w, w[3])
	}
	if w[0] >= 0 && shape[3] != w[0] {
		return InvalidSizes("output shape %v does not end in the weight's %d output channels", shape, w[0])
	}
	for _, d := range shape {
		if d < 0 {
			return Invalid("TRANSPOSE_CONV output shape %v", shape)
		}
	}
	c.Set(0, c.In[2].DType, shape)
	return nil
}

func transposeConvCost(c *Ctx) (Cost, error) {
	in, err := c.InElems(2)
	if err != nil {
		return Cost{}, err
	}
	w := c.In[1].Shape
	if !known(w) {
		return Cost{}, ErrUnknownShape
	}
	macs, err := mul(in, w[0], w[1], w[2])
	if err != nil || !c.Has(3) {
		return Cost{MACs: macs}, err
	}
	out, err := c.OutElems(0)
	return Cost{MACs: macs, Ops: out}, err
}

// BATCH_MATMUL: [..., M, K] x [..., K, N] (adj_x, adj_y transpose the
// last two dims) with broadcast batch dims: batch x M x K x N MACs.
func batchMatMulDims(c *Ctx) (batch []int64, m, k, n int64, err error) {
	x, y, err := twoShapes(c, 0, 1)
	if err != nil {
		return
	}
	if len(x) < 2 || len(y) < 2 {
		return nil, 0, 0, 0, Invalid("BATCH_MATMUL of ranks %d and %d", len(x), len(y))
	}
	last := func(s []int64, adj bool) (int64, int64) {
		a, b := s[len(s)-2], s[len(s)-1]
		if adj {
			return b, a
		}
		return a, b
	}
	m, k = last(x, c.Int("adj_x", 0) != 0)
	k2, n := last(y, c.Int("adj_y", 0) != 0)
	if k >= 0 && k2 >= 0 && k != k2 {
		return nil, 0, 0, 0, InvalidSizes("BATCH_MATMUL of %v and %v: inner dims %d and %d", x, y, k, k2)
	}
	batch, err = broadcast(x[:len(x)-2], y[:len(y)-2])
	return batch, m, max(k, k2), n, err
}

func batchMatMulInfer(c *Ctx) error {
	batch, m, _, n, err := batchMatMulDims(c)
	return setLike0(c, append(batch, m, n), err)
}

func batchMatMulCost(c *Ctx) (Cost, error) {
	batch, m, k, n, err := batchMatMulDims(c)
	if err != nil {
		return Cost{}, err
	}
	if !known(batch) || m < 0 || k < 0 || n < 0 {
		return Cost{}, ErrUnknownShape
	}
	macs, err := mul(append(batch, m, k, n)...)
	return Cost{MACs: macs}, err
}

// tfliteResizeInfer: NHWC input, input 1 the new [height, width]. The
// reader names the interpolation (mode) for resizeCost.
func tfliteResizeInfer(c *Ctx) error {
	x, size, err := shapeAndInts(c)
	if err != nil {
		return err
	}
	if len(x) != 4 || len(size) != 2 || size[0] < 0 || size[1] < 0 {
		return Invalid("resize of %v to %v", x, size)
	}
	if _, err := out0(c); err != nil { // resizeCost reads it
		return err
	}
	return setLike0(c, []int64{x[0], size[0], size[1], x[3]}, nil)
}

// tfliteGatherInfer is ONNX Gather's (axis as an option); with batch_dims
// b (negative: from the indices' rank), the first b dims of data and
// indices are one, as TensorFlow's gather.
func tfliteGatherInfer(c *Ctx) error {
	b := c.Int("batch_dims", 0)
	if b == 0 {
		return gatherInfer(c)
	}
	x, idx, err := twoShapes(c, 0, 1)
	if err != nil {
		return err
	}
	if b < 0 {
		b += int64(len(idx))
	}
	a, err := axis(c.Int("axis", 0), len(x))
	if err != nil {
		return Invalid("%v", err)
	}
	if b < 0 || b > int64(len(idx)) || b > int64(a) {
		return Invalid("GATHER batch_dims %d with axis %d and indices of rank %d", c.Int("batch_dims", 0), a, len(idx))
	}
	// data[:axis] + indices[b:] + data[axis+1:]
	c.Set(0, c.In[0].DType, append(append(clone(x[:a]), idx[b:]...), x[a+1:]...))
	return nil
}

// tfliteLRNCost: ONNX LRN's size + 2 ops per element, the window being
// 2 x radius + 1 channels.
func tfliteLRNCost(c *Ctx) (Cost, error) {
	r := c.Int("radius", 0)
	if r < 0 {
		return Cost{}, Invalid("LOCAL_RESPONSE_NORMALIZATION radius %d", r)
	}
	return perElement(2*r + 3)(c)
}

// tfliteArgInfer: input 1 is the axis, dropped from the output; the output
// type is the one the file declares (output_type).
func tfliteArgInfer(c *Ctx) error {
	x, i, err := shapeAndAxis(c, 0, 1, 0)
	if err != nil {
		return err
	}
	o, err := out0(c)
	if err != nil {
		return err
	}
	c.Set(0, o.DType, append(clone(x[:i]), x[i+1:]...))
	return nil
}

// tfliteSplitInfer: SPLIT (axis, x) cuts into num_splits equal parts;
// SPLIT_V (x, size_splits, axis) into the given sizes (one -1 takes the
// rest).
func tfliteSplitInfer(c *Ctx) error {
	xi, ai := 1, 0
	if c.Node.Op == "SPLIT_V" {
		xi, ai = 0, 2
	}
	shape, i, err := shapeAndAxis(c, xi, ai, 0)
	if err != nil {
		return err
	}
	x := c.In[xi]
	dim, parts := shape[i], int64(len(c.Out))
	sizes := make([]int64, parts)
	if c.Node.Op == "SPLIT_V" {
		if sizes, err = c.Ints(1); err != nil {
			return err
		}
		if int64(len(sizes)) != parts {
			return Invalid("%d split sizes for %d outputs", len(sizes), parts)
		}
		sizes = fillRest(clone(sizes), dim)
	} else {
		if parts == 0 || dim >= 0 && dim%parts != 0 {
			return InvalidSizes("dim %d of %v does not split in %d", i, x.Shape, parts)
		}
		for k := range sizes {
			sizes[k] = graph.Unknown
			if dim >= 0 {
				sizes[k] = dim / parts
			}
		}
	}
	for k, n := range sizes {
		out := clone(x.Shape)
		out[i] = n
		c.Set(k, x.DType, out)
	}
	return nil
}

// shapeAndAxis returns input xi's shape and the one axis input ai holds,
// resolved against the shape's rank + extra (EXPAND_DIMS adds a dim).
func shapeAndAxis(c *Ctx, xi, ai, extra int) (x []int64, i int, err error) {
	if x, err = c.Shape(xi); err != nil {
		return nil, 0, err
	}
	a, err := c.Ints(ai)
	if err != nil {
		return nil, 0, err
	}
	if len(a) != 1 {
		return nil, 0, Invalid("%s axis %v", c.Node.Op, a)
	}
	if i, err = axis(a[0], len(x)+extra); err != nil {
		return nil, 0, Invalid("%v", err)
	}
	return x, i, nil
}

// out0 is the node's first output, which the rule reads.
func out0(c *Ctx) (*graph.Tensor, error) {
	if len(c.Out) == 0 || c.Out[0] == nil {
		return nil, Invalid("%s has no output", c.Node.Op)
	}
	return c.Out[0], nil
}

// fillRest gives a -1 size what the others leave of dim.
func fillRest(sizes []int64, dim int64) []int64 {
	rest, free := dim, -1
	for k, n := range sizes {
		if n < 0 {
			free = k
			continue
		}
		rest -= n
	}
	if free >= 0 {
		sizes[free] = graph.Unknown
		if dim >= 0 && rest >= 0 {
			sizes[free] = rest
		}
	}
	return sizes
}

// expandDimsInfer inserts a 1 at input 1's axis (-rank-1 .. rank).
func expandDimsInfer(c *Ctx) error {
	x, i, err := shapeAndAxis(c, 0, 1, 1)
	if err != nil {
		return err
	}
	out := append(append(clone(x[:i]), 1), x[i:]...)
	t := c.In[0]
	if t.Ints != nil {
		c.SetInts(0, t.DType, out, t.Ints)
		return nil
	}
	return setLike0(c, out, nil)
}

// tfliteSliceInfer: input 1 the begin, input 2 the size (-1: to the end).
func tfliteSliceInfer(c *Ctx) error {
	x, begin, err := shapeAndInts(c)
	if err != nil {
		return err
	}
	size, err := c.Ints(2)
	if err != nil {
		return err
	}
	if len(begin) != len(x) || len(size) != len(x) {
		return Invalid("SLICE of %v at %v size %v", x, begin, size)
	}
	out := clone(size)
	for i := range out {
		if out[i] == -1 {
			out[i] = graph.Unknown
			if x[i] >= 0 {
				out[i] = x[i] - begin[i]
			}
		}
		if out[i] < -1 || begin[i] < 0 || x[i] >= 0 && out[i] >= 0 && begin[i]+out[i] > x[i] {
			return InvalidSizes("SLICE of %v at %v size %v", x, begin, size)
		}
	}
	return setLike0(c, out, nil)
}

// tfliteTileInfer: input 1 multiplies each dim.
func tfliteTileInfer(c *Ctx) error {
	x, m, err := shapeAndInts(c)
	if err != nil {
		return err
	}
	if len(m) != len(x) {
		return Invalid("TILE of %v by %v", x, m)
	}
	out := clone(x)
	for i := range out {
		if m[i] < 0 {
			return Invalid("TILE multiples %v", m)
		}
		if out[i] >= 0 {
			out[i] *= m[i]
		}
	}
	return setLike0(c, out, nil)
}

// packInfer stacks its equal-shaped inputs along a new axis.
func packInfer(c *Ctx) error {
	ins, err := allInputs(c)
	if err != nil {
		return err
	}
	x := ins[0].Shape
	for _, t := range ins[1:] {
		if _, err := broadcast(x, t.Shape); err != nil || len(t.Shape) != len(x) {
			return InvalidSizes("PACK of %v and %v", x, t.Shape)
		}
	}
	i, err := axis(c.Int("axis", 0), len(x)+1)
	if err != nil {
		return Invalid("%v", err)
	}
	return setLike0(c, append(append(clone(x[:i]), int64(len(ins))), x[i:]...), nil)
}
