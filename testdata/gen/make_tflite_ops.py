#!/usr/bin/env python3
"""Builds the TFLite operator fixtures under testdata/tflite/ops/ with flatc
(from JSON, against the schema netscore carries), and writes
testdata/tflite/ops/expected.csv: each fixture's output shapes, params and
core MACs, worked out here by the textbook formulas (TensorFlow's SAME:
out = ceil(in / stride); VALID: out = ceil((in - dilated kernel + 1) /
stride); CONV_2D MACs = output elements x kh x kw x C_in; depthwise = output
elements x kh x kw; FULLY_CONNECTED = rows x inputs x units). netscore is
not used.

Usage: python3 testdata/gen/make_tflite_ops.py   (needs flatc: Debian's flatbuffers-compiler)
"""
import csv
import os
import struct
import sys
from math import ceil, prod

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tflite_json import flexbuffer, to_binary  # noqa: E402
from tflite_model import CODES, Model  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tflite", "ops")


def same(n, k, s):
    return ceil(n / s)


def valid(n, k, s, d=1):
    return ceil((n - (k - 1) * d) / s)


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


@case
def conv_int8_same_s2():
    # 9x9x3 input, 4 filters 3x3, SAME, stride 2: out ceil(9/2) = 5.
    m = Model()
    x = m.input("x", [1, 9, 9, 3], "INT8")
    q = {"scale": [0.1, 0.2, 0.3, 0.4], "zero_point": [0, 0, 0, 0], "quantized_dimension": 0}
    w = m.weight("w", [4, 3, 3, 3], "INT8", q)
    b = m.weight("b", [4], "INT32", {"scale": [0.1, 0.2, 0.3, 0.4], "zero_point": [0, 0, 0, 0]})
    h = same(9, 3, 2)
    shape = [1, h, h, 4]
    y = m.op("CONV_2D", [x, w, b], shape, dtype="INT8",
             options=("Conv2DOptions", {"padding": "SAME", "stride_w": 2, "stride_h": 2, "fused_activation_function": "RELU6"}))
    return m.doc([y]), [shape], 4 * 27 + 4, prod(shape) * 3 * 3 * 3


@case
def conv_valid_dilated():
    # 10x12 input, 3x3 kernel dilated by 2 (spans 5), VALID, strides h 1, w 2, no bias.
    m = Model()
    x = m.input("x", [1, 10, 12, 2])
    w = m.weight("w", [3, 3, 3, 2])
    shape = [1, valid(10, 3, 1, 2), valid(12, 3, 2, 2), 3]
    y = m.op("CONV_2D", [x, w, -1], shape,
             options=("Conv2DOptions", {"padding": "VALID", "stride_w": 2, "stride_h": 1, "dilation_w_factor": 2, "dilation_h_factor": 2}))
    return m.doc([y]), [shape], 54, prod(shape) * 3 * 3 * 2


@case
def depthwise_multiplier2():
    # 3 channels x multiplier 2 = 6 outputs; each reads one input channel.
    m = Model()
    x = m.input("x", [1, 8, 8, 3], signature=[-1, 8, 8, 3])
    w = m.weight("w", [1, 3, 3, 6])
    b = m.weight("b", [6])
    shape = [1, 8, 8, 6]
    y = m.op("DEPTHWISE_CONV_2D", [x, w, b], shape,
             options=("DepthwiseConv2DOptions", {"padding": "SAME", "stride_w": 1, "stride_h": 1, "depth_multiplier": 2}))
    return m.doc([y]), [shape], 54 + 6, prod(shape) * 3 * 3


@case
def fully_connected():
    # keep_num_dims: [1,4,8] x [5,8]^T -> [1,4,5]; without: [2,3,4] is 2 rows of 12.
    m = Model()
    x = m.input("x", [1, 4, 8])
    w = m.weight("w", [5, 8])
    b = m.weight("b", [5])
    y = m.op("FULLY_CONNECTED", [x, w, b], [1, 4, 5], options=("FullyConnectedOptions", {"keep_num_dims": True, "fused_activation_function": "RELU"}))
    x2 = m.input("x2", [2, 3, 4])
    w2 = m.weight("w2", [6, 12])
    y2 = m.op("FULLY_CONNECTED", [x2, w2, -1], [2, 6], options=("FullyConnectedOptions", {}))
    return m.doc([y, y2]), [[1, 4, 5], [2, 6]], 45 + 72, 4 * 8 * 5 + 2 * 12 * 6


@case
def pools():
    # MAX 3x3 stride 2 VALID on 7x7: 3x3; AVERAGE 2x2 stride 2 SAME on 7x7: 4x4.
    m = Model()
    x = m.input("x", [1, 7, 7, 4])
    a = [1, valid(7, 3, 2), valid(7, 3, 2), 4]
    b = [1, same(7, 2, 2), same(7, 2, 2), 4]
    y = m.op("MAX_POOL_2D", [x], a, options=("Pool2DOptions", {"padding": "VALID", "stride_w": 2, "stride_h": 2, "filter_width": 3, "filter_height": 3}))
    z = m.op("AVERAGE_POOL_2D", [x], b, options=("Pool2DOptions", {"padding": "SAME", "stride_w": 2, "stride_h": 2, "filter_width": 2, "filter_height": 2}))
    return m.doc([y, z]), [a, b], 0, 0


@case
def binary():
    # Four per-channel constants (3 values each) broadcast over 1x4x4x3.
    m = Model()
    v = m.input("x", [1, 4, 4, 3])
    for i, op in enumerate(["ADD", "SUB", "MUL", "DIV"]):
        c = m.weight("c%d" % i, [3])
        opts = {"fused_activation_function": "RELU"} if op == "ADD" else {}
        v = m.op(op, [v, c], [1, 4, 4, 3], options=(op.capitalize() + "Options", opts))
    return m.doc([v]), [[1, 4, 4, 3]], 12, 0


@case
def activations():
    # Shape-keeping ops chained on 2x5; RELU_0_TO_1 (152) needs builtin_code.
    m = Model()
    v = m.input("x", [2, 5])
    for op in ["RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LOGISTIC", "TANH", "HARD_SWISH", "LEAKY_RELU",
               "ELU", "ABS", "NEG", "EXP", "LOG", "SQRT", "RSQRT", "SQUARE", "SOFTMAX", "LOG_SOFTMAX"]:
        v = m.op(op, [v], [2, 5])
    return m.doc([v]), [[2, 5]], 0, 0


@case
def shapes():
    # 1x2x3x1 -SQUEEZE[3]-> 1x2x3 -RESHAPE[-1,6]-> 1x6 -CONCAT(axis 1, 1x2)-> 1x8
    # -TRANSPOSE[1,0]-> 8x1 -PAD[[1,2],[0,3]]-> 11x4 -PADV2 same, value 0-> 14x7.
    m = Model()
    x = m.input("x", [1, 2, 3, 1])
    y = m.input("y", [1, 2])
    s = m.op("SQUEEZE", [x], [1, 2, 3], options=("SqueezeOptions", {"squeeze_dims": [3]}))
    r = m.op("RESHAPE", [s, m.ints("shape", [-1, 6])], [1, 6], options=("ReshapeOptions", {"new_shape": [-1, 6]}))
    c = m.op("CONCATENATION", [r, y], [1, 8], options=("ConcatenationOptions", {"axis": 1}))
    t = m.op("TRANSPOSE", [c, m.ints("perm", [1, 0])], [8, 1])
    pads = m.ints("pads", [1, 2, 0, 3], [2, 2])
    p = m.op("PAD", [t, pads], [11, 4])
    p2 = m.op("PADV2", [p, pads, m.weight("value", [1])], [14, 7])
    return m.doc([p2]), [[14, 7]], 0, 0


@case
def reduce():
    # On 1x4x5x6: MEAN over (1, 2) keeping dims -> 1x1x1x6; the others over the
    # last axis without keeping it -> 1x4x5.
    m = Model()
    x = m.input("x", [1, 4, 5, 6])
    outs = [m.op("MEAN", [x, m.ints("hw", [1, 2])], [1, 1, 1, 6], options=("ReducerOptions", {"keep_dims": True}))]
    last = m.ints("last", [-1])
    for op in ["SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD"]:
        outs.append(m.op(op, [x, last], [1, 4, 5], options=("ReducerOptions", {"keep_dims": False})))
    return m.doc(outs), [[1, 1, 1, 6]] + [[1, 4, 5]] * 4, 0, 0


@case
def strided_slice():
    # 1x10x8x3 [0:1, 1:9:2, 0:8, 0:3] with axis 0 shrunk -> 4x8x3 (rows 1,3,5,7);
    # 6x5 [1:, 4::-2] (end masked on both axes) -> 5x3 (columns 4, 2, 0).
    m = Model()
    x = m.input("x", [1, 10, 8, 3])
    a = m.op("STRIDED_SLICE", [x, m.ints("b", [0, 1, 0, 0]), m.ints("e", [1, 9, 8, 3]), m.ints("s", [1, 2, 1, 1])], [4, 8, 3],
             options=("StridedSliceOptions", {"shrink_axis_mask": 1}))
    y = m.input("y", [6, 5])
    b = m.op("STRIDED_SLICE", [y, m.ints("b2", [1, 4]), m.ints("e2", [0, 0]), m.ints("s2", [1, -2])], [5, 3],
             options=("StridedSliceOptions", {"end_mask": 3}))
    return m.doc([a, b]), [[4, 8, 3], [5, 3]], 0, 0


# tf.strided_slice's ellipsis and new-axis masks, shapes by hand from
# TensorFlow's documentation of tf.strided_slice: an ellipsis position
# stands for as many whole dims as the other positions leave (at most one
# ellipsis); a new-axis position inserts a dim of 1, its begin, end and
# stride ignored; without an ellipsis the dims past the spec are whole.
# Where both bits are set the ellipsis wins (TensorFlow's BuildDenseSpec
# and TFLite's BuildStridedSliceParams test the ellipsis first), and a
# new axis ignores its shrink bit (BuildDenseSpec takes the new axis
# before looking at shrink_axis_mask). Each case names numpy's equivalent
# index, and main() checks the shapes against numpy when it is installed.
STRIDED_SLICE_NUMPY = []


@case
def strided_slice_masks():
    # a) x[..., None, 1:3] on 2x3x4x5: the ellipsis covers 4 - 1 = 3 dims
    #    (one position after it reads a dim, one is a new axis) -> 2x3x4,
    #    then 1, then 5[1:3] = 2: 2x3x4x1x2.
    # b) x[None, 2, ..., ::-2] on 6x5x4: 1, dim 0 shrunk at 2, the ellipsis
    #    covers dim 1 (5), dim 2 walked backwards from 3 by 2 (3, 1): 1x5x2.
    # c) new axis and shrink bits both on position 0, x[None, 1:3] on 3x4:
    #    1, 3[1:3] = 2, then dim 1 whole (implicit ellipsis): 1x2x4.
    # d) ellipsis and new-axis bits both on position 0, a new axis at 1:
    #    x[..., None] on 2x3: the ellipsis covers both dims, then 1: 2x3x1.
    m = Model()
    specs = [
        ("a", [2, 3, 4, 5], [0, 0, 1], [0, 0, 3], [1, 1, 1], {"ellipsis_mask": 1, "new_axis_mask": 2},
         [2, 3, 4, 1, 2], lambda x: x[..., None, 1:3]),
        ("b", [6, 5, 4], [0, 2, 0, 0], [0, 3, 0, 0], [1, 1, 1, -2],
         {"new_axis_mask": 1, "shrink_axis_mask": 2, "ellipsis_mask": 4, "begin_mask": 8, "end_mask": 8},
         [1, 5, 2], lambda x: x[None, 2, ..., ::-2]),
        ("c", [3, 4], [0, 1], [0, 3], [1, 1], {"new_axis_mask": 1, "shrink_axis_mask": 1},
         [1, 2, 4], lambda x: x[None, 1:3]),
        ("d", [2, 3], [0, 0], [0, 0], [1, 1], {"ellipsis_mask": 1, "new_axis_mask": 3},
         [2, 3, 1], lambda x: x[..., None]),
    ]
    outs, shapes = [], []
    for name, shape, b, e, st, masks, out, index in specs:
        x = m.input("x" + name, shape)
        outs.append(m.op("STRIDED_SLICE", [x, m.ints("b" + name, b), m.ints("e" + name, e), m.ints("s" + name, st)], out,
                         options=("StridedSliceOptions", masks)))
        shapes.append(out)
        STRIDED_SLICE_NUMPY.append((shape, out, index))
    return m.doc(outs), shapes, 0, 0


def check_numpy():
    """The hand-worked STRIDED_SLICE shapes against numpy's indexing."""
    try:
        import numpy as np
    except ImportError:
        print("numpy not installed: STRIDED_SLICE shapes not checked against numpy", file=sys.stderr)
        return
    for shape, out, index in STRIDED_SLICE_NUMPY:
        got = list(index(np.empty(shape)).shape)
        assert got == out, "numpy gives %s for %s, the hand count %s" % (got, shape, out)
    print("STRIDED_SLICE shapes equal numpy's (%d cases)" % len(STRIDED_SLICE_NUMPY), file=sys.stderr)


@case
def quantize():
    # float -> int8 -> float, shapes kept.
    m = Model()
    x = m.input("x", [1, 4])
    q = m.op("QUANTIZE", [x], [1, 4], dtype="INT8", quant={"scale": [0.5], "zero_point": [3]})
    d = m.op("DEQUANTIZE", [q], [1, 4])
    return m.doc([d]), [[1, 4]], 0, 0


@case
def custom():
    # A custom op with options: read, left uncosted.
    m = Model()
    x = m.input("x", [1, 4])
    y = m.op("NetscoreTestOp", [x], [1, 4], custom=b"\x01\x02\x03")
    return m.doc([y]), [[1, 4]], 0, 0


@case
def transpose_conv():
    # 1x4x4x3 up by stride 2 (SAME) to the given 1x8x8x2 with a 2x3x3x3 OHWI
    # weight: every input element meets C_out x kh x kw = 18 weights.
    m = Model()
    x = m.input("x", [1, 4, 4, 3])
    w = m.weight("w", [2, 3, 3, 3])
    b = m.weight("b", [2])
    y = m.op("TRANSPOSE_CONV", [m.ints("out_shape", [1, 8, 8, 2]), w, x, b], [1, 8, 8, 2],
             options=("TransposeConvOptions", {"padding": "SAME", "stride_w": 2, "stride_h": 2}))
    return m.doc([y]), [[1, 8, 8, 2]], 54 + 2, 48 * 2 * 9


@case
def batch_matmul():
    # [2,3,4] x weight [4,5] -> [2,3,5]: 2*3*4*5; [2,1,3,4] x adj([5,6,4]) -> batch
    # [2,5], [2,5,3,6]: 2*5*3*4*6.
    m = Model()
    x = m.input("x", [2, 3, 4])
    y = m.op("BATCH_MATMUL", [x, m.weight("w", [4, 5])], [2, 3, 5], options=("BatchMatMulOptions", {}))
    a = m.input("a", [2, 1, 3, 4])
    b = m.input("b", [5, 6, 4])
    z = m.op("BATCH_MATMUL", [a, b], [2, 5, 3, 6], options=("BatchMatMulOptions", {"adj_y": True}))
    return m.doc([y, z]), [[2, 3, 5], [2, 5, 3, 6]], 20, 2 * 3 * 4 * 5 + 2 * 5 * 3 * 4 * 6


@case
def resize():
    # NHWC 1x4x6x3 to 8x12 (bilinear) and to 2x3 (nearest).
    m = Model()
    x = m.input("x", [1, 4, 6, 3])
    a = m.op("RESIZE_BILINEAR", [x, m.ints("s1", [8, 12])], [1, 8, 12, 3], options=("ResizeBilinearOptions", {}))
    b = m.op("RESIZE_NEAREST_NEIGHBOR", [x, m.ints("s2", [2, 3])], [1, 2, 3, 3], options=("ResizeNearestNeighborOptions", {}))
    return m.doc([a, b]), [[1, 8, 12, 3], [1, 2, 3, 3]], 0, 0


@case
def elementwise_more():
    # Per-channel constants (3 each) broadcast over 1x2x2x3, then a cast.
    m = Model()
    v = m.input("x", [1, 2, 2, 3])
    for i, op in enumerate(["MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "PRELU"]):
        v = m.op(op, [v, m.weight("k%d" % i, [3])], [1, 2, 2, 3])
    v = m.op("CAST", [v], [1, 2, 2, 3], dtype="INT32")
    return m.doc([v]), [[1, 2, 2, 3]], 12, 0


@case
def gather_arg():
    # Rows of a [10,4] table at [2,3] indices -> [2,3,4]; ARG_MAX over axis 1
    # of 2x5x7 -> 2x7, ARG_MIN over the last -> 2x5.
    m = Model()
    idx = m.input("idx", [2, 3], "INT32")
    g = m.op("GATHER", [m.weight("table", [10, 4]), idx], [2, 3, 4], options=("GatherOptions", {"axis": 0}))
    x = m.input("x", [2, 5, 7])
    a = m.op("ARG_MAX", [x, m.ints("a1", [1])], [2, 7], dtype="INT32")
    b = m.op("ARG_MIN", [x, m.ints("a2", [-1])], [2, 5], dtype="INT32")
    return m.doc([g, a, b]), [[2, 3, 4], [2, 7], [2, 5]], 40, 0


@case
def split_shapes():
    # 2x6x3: SPLIT in 3 on axis 1 -> 3 x [2,2,3]; SPLIT_V [1,-1,2] -> [2,1,3],
    # [2,3,3], [2,2,3]; EXPAND_DIMS [3,4] at -1 -> [3,4,1]; SLICE [5,6] from
    # [1,2] size [3,-1] -> [3,4]; TILE [2,3] by [2,1] -> [4,3]; PACK two [2,3]
    # on axis 1 -> [2,2,3]; MIRROR_PAD [3,3] by [[1,1],[2,2]] -> [5,7].
    m = Model()
    x = m.input("x", [2, 6, 3])
    s = m.op_multi("SPLIT", [m.ints("axis", [1], []), x], [[2, 2, 3]] * 3, options=("SplitOptions", {"num_splits": 3}))
    v = m.op_multi("SPLIT_V", [x, m.ints("sizes", [1, -1, 2]), m.ints("axis_v", [1], [])], [[2, 1, 3], [2, 3, 3], [2, 2, 3]],
                   options=("SplitVOptions", {"num_splits": 3}))
    e = m.op("EXPAND_DIMS", [m.input("e", [3, 4]), m.ints("ea", [-1])], [3, 4, 1])
    sl = m.op("SLICE", [m.input("s", [5, 6]), m.ints("sb", [1, 2]), m.ints("ss", [3, -1])], [3, 4])
    t = m.op("TILE", [m.input("t", [2, 3]), m.ints("tm", [2, 1])], [4, 3])
    p = m.op("PACK", [m.input("p1", [2, 3]), m.input("p2", [2, 3])], [2, 2, 3], options=("PackOptions", {"values_count": 2, "axis": 1}))
    mp = m.op("MIRROR_PAD", [m.input("mp", [3, 3]), m.ints("mpp", [1, 1, 2, 2], [2, 2])], [5, 7])
    outs = s + v + [e, sl, t, p, mp]
    shapes = [[2, 2, 3]] * 3 + [[2, 1, 3], [2, 3, 3], [2, 2, 3], [3, 4, 1], [3, 4], [4, 3], [2, 2, 3], [5, 7]]
    return m.doc(outs), shapes, 0, 0


@case
def compare_select():
    # Shape-keeping unary ops, then comparisons of 2x3 with a broadcast [3]
    # constant (bool out), SELECT/SELECT_V2 between two 2x3 values, 2x3 each;
    # L2_NORMALIZATION keeps 2x3; SPACE_TO_DEPTH 1x4x6x2 by 2 -> 1x2x3x8 and
    # DEPTH_TO_SPACE back -> 1x4x6x2; SHAPE of that -> [4].
    m = Model()
    x = m.input("x", [2, 3])
    v = x
    for op in ["FLOOR", "CEIL", "ROUND", "SIN", "COS", "GELU", "SIGN"]:
        v = m.op(op, [v], [2, 3])
    for i, op in enumerate(["FLOOR_DIV", "FLOOR_MOD", "POW"]):
        v = m.op(op, [v, m.weight("k%d" % i, [3])], [2, 3])
    conds = [m.op(op, [v, m.weight("c%d" % i, [3])], [2, 3], dtype="BOOL")
             for i, op in enumerate(["LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL", "EQUAL", "NOT_EQUAL"])]
    c = m.op("LOGICAL_AND", [conds[0], conds[1]], [2, 3], dtype="BOOL")
    c = m.op("LOGICAL_OR", [c, conds[2]], [2, 3], dtype="BOOL")
    c = m.op("LOGICAL_NOT", [c], [2, 3], dtype="BOOL")
    s1 = m.op("SELECT", [c, v, x], [2, 3])
    s2 = m.op("SELECT_V2", [conds[3], s1, x], [2, 3])
    n = m.op("L2_NORMALIZATION", [s2], [2, 3])
    img = m.input("img", [1, 4, 6, 2])
    sd = m.op("SPACE_TO_DEPTH", [img], [1, 2, 3, 8], options=("SpaceToDepthOptions", {"block_size": 2}))
    ds = m.op("DEPTH_TO_SPACE", [sd], [1, 4, 6, 2], options=("DepthToSpaceOptions", {"block_size": 2}))
    sh = m.op("SHAPE", [ds], [4], dtype="INT32")
    outs = [n, conds[4], conds[5], ds, sh]
    return m.doc(outs), [[2, 3], [2, 3], [2, 3], [1, 4, 6, 2], [4]], 3 * 3 + 6 * 3, 0


@case
def unpack_gather_nd():
    # UNPACK [2,3,4] along axis 1 -> 3 x [2,4]; GATHER_ND of [4,5,6] at [3,2]
    # indices (pairs) -> [3,6].
    m = Model()
    x = m.input("x", [2, 3, 4])
    u = m.op_multi("UNPACK", [x], [[2, 4]] * 3, options=("UnpackOptions", {"num": 3, "axis": 1}))
    g = m.op("GATHER_ND", [m.input("p", [4, 5, 6]), m.input("i", [3, 2], "INT32")], [3, 6])
    return m.doc(u + [g]), [[2, 4]] * 3 + [[3, 6]], 0, 0


# Recurrent builtins: MACs are every present gate, recurrent and projection
# matrix's elements per step and batch row (ONNX LSTM/RNN's convention,
# docs/counting.md); states are variable tensors, not params.
@case
def lstm():
    # One step of a full-kernel LSTM: batch 2, input 5, 4 cells, projected to
    # 3 outputs, peepholes, no layer norm. Params: input weights 4 x [4,5] =
    # 80, recurrent 4 x [4,3] = 48, peepholes 3 x 4 = 12, biases 4 x 4 = 16,
    # projection [3,4] = 12: 168. MACs = batch x (80 + 48 + 12) = 2 x 140.
    # Ops: ONNX LSTM's 17 per cell per step and batch row: 2 x 4 x 17.
    m = Model()
    ins = [-1] * 24
    ins[0] = m.input("x", [2, 5])
    m.weights(ins, "wi", range(1, 5), [4, 5])
    m.weights(ins, "wr", range(5, 9), [4, 3])
    m.weights(ins, "v", range(9, 16), [4])
    ins[16] = m.weight("proj", [3, 4])
    ins[18], ins[19] = m.state("h", [2, 3]), m.state("c", [2, 4])
    y = m.op("LSTM", ins, [2, 3], options=("LSTMOptions", {"fused_activation_function": "TANH"}))
    return m.doc([y]), [[2, 3]], 80 + 48 + 12 + 16 + 12, 2 * (80 + 48 + 12), 2 * 4 * 17


@case
def bidirectional_lstm():
    # Time-major [3 steps, batch 2, input 4]; forward: 5 cells, 5 outputs;
    # backward: CIFG (no input gate: inputs 18, 22, 29 absent), 3 cells, 3
    # outputs; merge_outputs -> [3,2,5+3]. Params: forward 4 x [5,4] + 4 x
    # [5,5] + 4 x 5 = 200; backward 3 x [3,4] + 3 x [3,3] + 3 x 3 = 72.
    # MACs = 3 x 2 steps x (80 + 100 + 36 + 27); ops 3 x 2 x (5 + 3 cells) x 17.
    m = Model()
    ins = [-1] * 48
    ins[0] = m.input("x", [3, 2, 4])
    m.weights(ins, "fwi", range(1, 5), [5, 4])
    m.weights(ins, "fwr", range(5, 9), [5, 5])
    m.weights(ins, "fwb", range(12, 16), [5])
    m.weights(ins, "bwi", range(19, 22), [3, 4])
    m.weights(ins, "bwr", range(23, 26), [3, 3])
    m.weights(ins, "bwb", range(30, 33), [3])
    ins[35], ins[36] = m.state("fwh", [2, 5]), m.state("fwc", [2, 5])
    ins[37], ins[38] = m.state("bwh", [2, 3]), m.state("bwc", [2, 3])
    y = m.op("BIDIRECTIONAL_SEQUENCE_LSTM", ins, [3, 2, 8],
             options=("BidirectionalSequenceLSTMOptions", {"merge_outputs": True, "time_major": True}))
    return m.doc([y]), [[3, 2, 8]], 200 + 72, 3 * 2 * (80 + 100 + 36 + 27), 3 * 2 * 8 * 17


@case
def svdf():
    # Batch 2, input 6, 3 units at rank 2: 6 filters, memory 4. Params:
    # feature weights [6,6] + time weights [6,4] + bias [3] = 63; the state
    # [2, 4 x 6] is a variable tensor. MACs (TFLite's reference kernel), per
    # batch row: filters x input (feature matmul) + filters x memory (time
    # weight dot products) = 2 x 6 x (6 + 4); the bias is an add, not a MAC.
    # Ops: each batch row sums its 6 filters into the 3 bias-initialised
    # outputs (6 adds), then the fused RELU (3): 2 x (6 + 3).
    m = Model()
    x = m.input("x", [2, 6])
    ins = [x, m.weight("wf", [6, 6]), m.weight("wt", [6, 4]), m.weight("b", [3]), m.state("s", [2, 24])]
    y = m.op("SVDF", ins, [2, 3], options=("SVDFOptions", {"rank": 2, "fused_activation_function": "RELU"}))
    return m.doc([y]), [[2, 3]], 36 + 24 + 3, 2 * 6 * (6 + 4), 2 * (6 + 3)


@case
def rnn():
    # RNN: one step, batch 2, input 4, 3 units: W [3,4], R [3,3], bias 3 ->
    # [2,3], MACs 2 x (12 + 9). UNIDIRECTIONAL_SEQUENCE_RNN: batch 2 x 5
    # steps (batch first) of its own W, R, bias -> [2,5,3], MACs 10 x 21.
    # Ops: ONNX RNN's 3 per unit per step and row (the TANH among them):
    # (2 + 10) x 3 x 3.
    m = Model()
    y = m.op("RNN", [m.input("x", [2, 4]), m.weight("w", [3, 4]), m.weight("r", [3, 3]), m.weight("b", [3]),
                     m.state("h", [2, 3])], [2, 3], options=("RNNOptions", {"fused_activation_function": "TANH"}))
    s = m.op("UNIDIRECTIONAL_SEQUENCE_RNN",
             [m.input("xs", [2, 5, 4]), m.weight("ws", [3, 4]), m.weight("rs", [3, 3]), m.weight("bs", [3]),
              m.state("hs", [2, 3])], [2, 5, 3],
             options=("SequenceRNNOptions", {"time_major": False, "fused_activation_function": "TANH"}))
    return m.doc([y, s]), [[2, 3], [2, 5, 3]], 2 * (12 + 9 + 3), 2 * 21 + 10 * 21, (2 + 10) * 3 * 3


@case
def bidirectional_rnn():
    # TFLite's kernels/bidirectional_sequence_rnn.cc: inputs 1-4 the forward
    # W [units, input], R [units, units], bias, state; 5-8 the backward
    # ones; 9 an auxiliary input with its forward and backward weights 10,
    # 11. (1) Batch first [2 batch, 3 steps, 4 inputs], forward 5 units,
    # backward 3, an auxiliary input [2,3,2], outputs kept apart: [2,3,5]
    # and [2,3,3]. Params: forward 20 + 25 + 5, backward 12 + 9 + 3, aux
    # 5x2 + 3x2: 90. MACs: 2 x 3 rows x (20 + 25 + 12 + 9 + 10 + 6) = 492.
    # (2) Time-major [4 steps, 1 batch, 2 inputs], 2 units each way, merged:
    # [4,1,4]; params 2 x (4 + 4 + 2) = 20, MACs 4 x (4 + 4 + 4 + 4) = 64.
    # Ops: ONNX RNN's 3 per unit per step and row, each direction (the TANH
    # among them): 6 x 8 x 3 + 4 x 4 x 3.
    m = Model()
    ins = [-1] * 12
    ins[0] = m.input("x", [2, 3, 4])
    ins[1], ins[2], ins[3] = m.weight("fw_w", [5, 4]), m.weight("fw_r", [5, 5]), m.weight("fw_b", [5])
    ins[4] = m.state("fw_h", [2, 5])
    ins[5], ins[6], ins[7] = m.weight("bw_w", [3, 4]), m.weight("bw_r", [3, 3]), m.weight("bw_b", [3])
    ins[8] = m.state("bw_h", [2, 3])
    ins[9] = m.input("aux", [2, 3, 2])
    ins[10], ins[11] = m.weight("fw_aux", [5, 2]), m.weight("bw_aux", [3, 2])
    a = m.op_multi("BIDIRECTIONAL_SEQUENCE_RNN", ins, [[2, 3, 5], [2, 3, 3]],
                   options=("BidirectionalSequenceRNNOptions", {"time_major": False, "fused_activation_function": "TANH"}))
    ins2 = [m.input("xt", [4, 1, 2]), m.weight("fw_w2", [2, 2]), m.weight("fw_r2", [2, 2]), m.weight("fw_b2", [2]), m.state("fw_h2", [1, 2]),
            m.weight("bw_w2", [2, 2]), m.weight("bw_r2", [2, 2]), m.weight("bw_b2", [2]), m.state("bw_h2", [1, 2])]
    b = m.op("BIDIRECTIONAL_SEQUENCE_RNN", ins2, [4, 1, 4],
             options=("BidirectionalSequenceRNNOptions", {"time_major": True, "merge_outputs": True, "fused_activation_function": "TANH"}))
    return (m.doc(a + [b]), [[2, 3, 5], [2, 3, 3], [4, 1, 4]], 90 + 20, 2 * 3 * (20 + 25 + 12 + 9 + 10 + 6) + 4 * 16,
            2 * 3 * 8 * 3 + 4 * 4 * 3)


@case
def lstm_basic():
    # The LSTM builtin's basic kernel (kernel_type BASIC; TFLite's
    # kernels/lstm.cc, namespace basic): inputs the input [2 batch, 3],
    # the previous activation [2, 4 units], the four gates' weights in one
    # [4 x 4, 3 + 4] matrix, biases [16], the previous state [2, 4];
    # outputs the activation [2,4], the state [2,4], the concatenated
    # input [2, 7] and the gate activations [2, 16] (its Prepare). Params
    # 16 x 7 + 16 = 128 (the previous activation and state are variable
    # tensors). MACs: the gates' fully connected layer on [input, previous
    # activation], batch x 4 units x (input + units) = 2 x 16 x 7; ops:
    # LSTM's 17 per cell and row, 2 x 4 x 17.
    m = Model()
    ins = [m.input("x", [2, 3]), m.state("prev_activ", [2, 4]), m.weight("w", [16, 7]), m.weight("b", [16]), m.state("prev_state", [2, 4])]
    outs = m.op_multi("LSTM", ins, [[2, 4], [2, 4], [2, 7], [2, 16]],
                      options=("LSTMOptions", {"fused_activation_function": "TANH", "kernel_type": "BASIC"}))
    return m.doc(outs), [[2, 4], [2, 4], [2, 7], [2, 16]], 16 * 7 + 16, 2 * 16 * 7, 2 * 4 * 17


@case
def lrn_gather_batch():
    # LOCAL_RESPONSE_NORMALIZATION over 1x3x3x8, radius 2: a 5-channel window,
    # ONNX LRN's size + 2 ops per element: 72 x 7. GATHER with batch_dims
    # (TensorFlow: params[:axis] + indices[batch_dims:] + params[axis+1:]):
    # a [2,5,4] table (40 params) at [2,3] indices, axis 1, batch_dims 1 ->
    # [2,3,4]; [2,3,6,4] at [2,3,5] indices, axis 2, batch_dims -1 (= 3 - 1)
    # -> [2,3,5,4].
    m = Model()
    n = m.op("LOCAL_RESPONSE_NORMALIZATION", [m.input("x", [1, 3, 3, 8])], [1, 3, 3, 8],
             options=("LocalResponseNormalizationOptions", {"radius": 2, "bias": 1.0, "alpha": 1e-4, "beta": 0.75}))
    g1 = m.op("GATHER", [m.weight("table", [2, 5, 4]), m.input("i1", [2, 3], "INT32")], [2, 3, 4],
              options=("GatherOptions", {"axis": 1, "batch_dims": 1}))
    g2 = m.op("GATHER", [m.input("p", [2, 3, 6, 4]), m.input("i2", [2, 3, 5], "INT32")], [2, 3, 5, 4],
              options=("GatherOptions", {"axis": 2, "batch_dims": -1}))
    return m.doc([n, g1, g2]), [[1, 3, 3, 8], [2, 3, 4], [2, 3, 5, 4]], 40, 0, 72 * (2 * 2 + 1 + 2)


def subgraph(inputs, build):
    """A subgraph doc and its model: build(m, input indices) returns its outputs."""
    b = Model()
    ins = [b.input("in%d" % k, sh) for k, sh in enumerate(inputs)]
    return b, b.doc(build(b, ins))["subgraphs"][0]


def merge(d, parts):
    """Appends subgraphs (with their buffers and operator codes) to model doc d."""
    names = [c["builtin_code"] if "custom_code" not in c else c["custom_code"] for c in d["operator_codes"]]
    for b, sg in parts:
        off = len(d["buffers"]) - 1
        for t in sg["tensors"]:
            if "buffer" in t:
                t["buffer"] += off
        d["buffers"] += b.buffers[1:]
        for op in sg["operators"]:
            name, code = b.codes[op["opcode_index"]]
            if name not in names:
                names.append(name)
                d["operator_codes"].append(code)
            op["opcode_index"] = names.index(name)
        d["subgraphs"].append(sg)
    return d


@case
def if_branches():
    # IF on a stored true: the then branch (one 8->4 FULLY_CONNECTED, 32 MACs)
    # runs; the else branch (8->4->4, 48 MACs) does not, but its weights are
    # the model's too: params 32 + 32 + 16.
    m = Model()
    cond = m.tensor("cond", [], "BOOL", b"\x01")
    x = m.input("x", [1, 8])
    y = m.op("IF", [cond, x], [1, 4], options=("IfOptions", {"then_subgraph_index": 1, "else_subgraph_index": 2}))

    def fc(b, v, n_in, n_out, name):
        return b.op("FULLY_CONNECTED", [v, b.weight(name, [n_out, n_in]), -1], [1, n_out], options=("FullyConnectedOptions", {}))

    then = subgraph([[1, 8]], lambda b, ins: [fc(b, ins[0], 8, 4, "wt")])
    other = subgraph([[1, 8]], lambda b, ins: [fc(b, fc(b, ins[0], 8, 4, "we1"), 4, 4, "we2")])
    return merge(m.doc([y]), [then, other]), [[1, 4]], 32 + 32 + 16, 32


@case
def while_loop():
    # WHILE (cond subgraph 1, body subgraph 2) over (i, v): the cond is
    # i < 5, the body i + 1 and an 8 -> 8 FULLY_CONNECTED (64 MACs, 64
    # params). Run from i = 0 it would take 5 trips, 320 MACs, but the trip
    # count is data the file does not hold: the body counts once (64 MACs,
    # the LESS and ADD 1 op each) and the WHILE is uncosted, so the totals
    # are lower bounds. Output: v, [1,8].
    m = Model()
    i0, x = m.input("i0", [1], "INT32"), m.input("x", [1, 8])
    outs = m.op_multi("WHILE", [i0, x], [[1], [1, 8]], options=("WhileOptions", {"cond_subgraph_index": 1, "body_subgraph_index": 2}))
    m.tensors[outs[0]]["type"] = "INT32"

    def loop_graph(build):
        b = Model()
        ins = [b.input("i", [1], "INT32"), b.input("v", [1, 8])]
        return b, b.doc(build(b, ins))["subgraphs"][0]

    cond = loop_graph(lambda b, ins: [b.op("LESS", [ins[0], b.ints("limit", [5])], [1], dtype="BOOL")])
    body = loop_graph(lambda b, ins: [
        b.op("ADD", [ins[0], b.ints("one", [1])], [1], dtype="INT32", options=("AddOptions", {})),
        b.op("FULLY_CONNECTED", [ins[1], b.weight("w", [8, 8]), -1], [1, 8], options=("FullyConnectedOptions", {}))])
    return merge(m.doc([outs[1]]), [cond, body]), [[1, 8]], 64, 64, 2


def renumber(d, order):
    """Reorders the main graph's tensors: order lists the old indices."""
    sg = d["subgraphs"][0]
    new = {old: k for k, old in enumerate(order)}
    sg["tensors"] = [sg["tensors"][old] for old in order]
    sg["inputs"] = [new[i] for i in sg["inputs"]]
    sg["outputs"] = [new[i] for i in sg["outputs"]]
    for op in sg["operators"]:
        for key in ("inputs", "outputs"):
            op[key] = [new[i] if i >= 0 else i for i in op[key]]
    return d


@case
def vela_ethosu():
    # A model as Arm's Vela compiler writes it when every layer runs on the
    # Ethos-U NPU and the model has float input and output: QUANTIZE (CPU),
    # one CUSTOM "ethos-u" (NPU), DEQUANTIZE (CPU). Layout from
    # ethos-u-vela (github.com/nxp-imx/ethos-u-vela mirrors Arm's
    # review.mlplatform.org/ml/ethos-u/ethos-u-vela):
    # - npu_serialisation.py, rewrite_npu_call_ops: the op's inputs are
    #   the command stream, the flash tensor (the weights and biases
    #   encoded for the NPU), the scratch and scratch_fast areas (all
    #   uint8, rank 1, named <npu subgraph>_command_stream, _flash,
    #   _scratch, _scratch_fast; "_split_1_..." in the files Vela
    #   writes), then the network's inputs; the command stream and flash
    #   are constants, the scratch areas have no data.
    # - driver_actions.py: the command stream is a driver payload of
    #   little-endian words: fourcc "COP1", a config action (tag, config
    #   word, id word), NOPs up to the command-stream action (tag 2, the
    #   length in words in its top 16 bits), then the register commands.
    # - tflite_mapping.py, CustomOptionsSerializer: custom_options are the
    #   flexbuffer [0x01, 0x04, 0x01] (the uint8 1 that tflite-micro's
    #   kernels/ethos_u/ethosu.cc checks as CO_TYPE_ETHOSU), format 0.
    # - tflite_writer.py: operator code CUSTOM with custom_code "ethos-u";
    #   tensors sorted by name; description "Vela Optimised"; metadata
    #   "OfflineMemoryAllocation" (int32: version 0, subgraphs, tensors,
    #   then each tensor's arena offset, -1 where the runtime allocates).
    # The NPU blobs hold whatever Vela compiled (here: 60 register words
    # of zeros, 1,424 bytes of encoded weights); they are not the network's
    # parameters, so params and MACs are 0 and the ethos-u op is uncosted.
    # Weight bytes are the blobs' bytes: 272 + 1,424 = 1,696 uint8.
    # Ops: QUANTIZE and DEQUANTIZE, 2 per element: 2 x 192 + 2 x 4 = 392.
    m = Model()
    x = m.input("serving_default_input:0", [1, 8, 8, 3])
    q8 = {"scale": [0.0078125], "zero_point": [0]}
    xq = m.op("QUANTIZE", [x], [1, 8, 8, 3], out_name="tfl.quantize", dtype="INT8", quant=q8)
    words = [0x31504F43, 0x00100001, 0, 0, 5, 5, 5, 2 | 60 << 16] + [0] * 60
    cms = m.tensor("_split_1_command_stream", [4 * len(words)], "UINT8", struct.pack("<%dI" % len(words), *words))
    flash = m.tensor("_split_1_flash", [1424], "UINT8", bytes(1424))
    scratch = m.tensor("_split_1_scratch", [1536], "UINT8")
    fast = m.tensor("_split_1_scratch_fast", [1536], "UINT8")
    y8 = m.op("ethos-u", [cms, flash, scratch, fast, xq], [1, 4], out_name="functional/dense/BiasAdd", dtype="INT8",
              custom=bytes([0x01, 0x04, 0x01]), quant={"scale": [0.05], "zero_point": [-3]})
    y = m.op("DEQUANTIZE", [y8], [1, 4], out_name="StatefulPartitionedCall:0")
    d = m.doc([y])
    d["description"] = "Vela Optimised"
    sg = d["subgraphs"][0]
    order = sorted(range(len(sg["tensors"])), key=lambda k: sg["tensors"][k]["name"])
    renumber(d, order)
    arena = {"_split_1_scratch": 0, "_split_1_scratch_fast": 0, "tfl.quantize": 0, "functional/dense/BiasAdd": 192}
    alloc = [0, 1, len(sg["tensors"])] + [arena.get(t["name"], -1) for t in sg["tensors"]]
    d["buffers"].append({"data": list(struct.pack("<%di" % len(alloc), *alloc))})
    d["metadata"] = [{"name": "OfflineMemoryAllocation", "buffer": len(d["buffers"]) - 1}]
    return d, [[1, 4]], 0, 0, 2 * 192 + 2 * 4


@case
def ssd_postprocess():
    # A tiny SSD laid out as TF Object Detection API's
    # export_tflite_ssd_graph_lib.py and the TFLite converter write it
    # (github.com/tensorflow/models, research/object_detection): the
    # feature extractor, a box-encoding and a class-prediction conv per
    # feature map reshaped to [1, anchors, 4] and [1, anchors, classes + 1],
    # the score conversion (sigmoid: LOGISTIC), then the custom op
    # TFLite_Detection_PostProcess reading raw_outputs/box_encodings,
    # raw_outputs/class_predictions and the constant "anchors" [N, 4]
    # (center-size encoded: y, x, h, w) with four float32 outputs: boxes
    # [1, max_detections, 4], classes, scores [1, max_detections] and the
    # count [1]. Custom options: a flexbuffer map of the op's attributes
    # (max_detections, max_classes_per_detection, nms_score_threshold,
    # nms_iou_threshold, num_classes, y/x/h/w_scale, as
    # append_postprocessing_op sets them; detections_per_class and
    # use_regular_nms as later exporters add; TFLite's
    # kernels/detection_postprocess.cc reads them).
    # One 4x4 feature map, 2 anchors a cell (aspect ratios 1 and 2), 2
    # classes + background: N = 4 x 4 x 2 = 32.
    # conv0 3x3/2 SAME, 3 -> 8 on 8x8x3: 4x4x8; 128 x 27 = 3,456 MACs, 216 + 8 params.
    # box head 3x3 SAME, 8 -> 2 x 4: 128 x 72 = 9,216 MACs, 576 + 8 params.
    # class head 3x3 SAME, 8 -> 2 x 3: 96 x 72 = 6,912 MACs, 432 + 6 params.
    # MACs 19,584; params 1,246. The anchors (128 floats) are not params:
    # the anchor generator computes them from the feature map sizes,
    # scales and aspect ratios of the pipeline config (no variable,
    # training never changes them) and the exporter freezes them as
    # tf.constant(name="anchors"), as torchvision's SSD keeps its default
    # boxes out of parameters(). Ops: biases 128 + 128 + 96, conv0's
    # RELU6 128, LOGISTIC 96 = 576. TFLite_Detection_PostProcess is
    # uncosted: decoding is per anchor, but its non-max suppression depends
    # on how many scores pass the threshold.
    m = Model()
    x = m.input("normalized_input_image_tensor", [1, 8, 8, 3])

    def conv(v, name, cout, cin, stride, act=None):
        w = m.weight(name + "/weights", [cout, 3, 3, cin])
        b = m.weight(name + "/biases", [cout])
        h = same(8 if stride == 2 else 4, 3, stride)
        opts = {"padding": "SAME", "stride_w": stride, "stride_h": stride}
        if act:
            opts["fused_activation_function"] = act
        return m.op("CONV_2D", [v, w, b], [1, h, h, cout], out_name=name + "/BiasAdd", options=("Conv2DOptions", opts))

    f = conv(x, "FeatureExtractor/conv0", 8, 3, 2, "RELU6")
    box = conv(f, "BoxPredictor_0/BoxEncodingPredictor", 2 * 4, 8, 1)
    cls = conv(f, "BoxPredictor_0/ClassPredictor", 2 * 3, 8, 1)
    box = m.op("RESHAPE", [box, m.ints("BoxPredictor_0/Reshape/shape", [1, 32, 4])], [1, 32, 4], out_name="raw_outputs/box_encodings",
               options=("ReshapeOptions", {"new_shape": [1, 32, 4]}))
    cls = m.op("RESHAPE", [cls, m.ints("BoxPredictor_0/Reshape_1/shape", [1, 32, 3])], [1, 32, 3], out_name="BoxPredictor_0/Reshape_1",
               options=("ReshapeOptions", {"new_shape": [1, 32, 3]}))
    cls = m.op("LOGISTIC", [cls], [1, 32, 3], out_name="raw_outputs/class_predictions")
    anchors = []
    for i in range(4):
        for j in range(4):
            for ar in (1.0, 2.0):
                anchors += [(i + 0.5) / 4, (j + 0.5) / 4, 0.2 / ar ** 0.5, 0.2 * ar ** 0.5]
    a = m.tensor("anchors", [32, 4], "FLOAT32", struct.pack("<128f", *anchors))
    opts = flexbuffer({"_output_quantized": True, "max_detections": 10, "max_classes_per_detection": 1,
                       "detections_per_class": 100, "use_regular_nms": False, "nms_score_threshold": 1e-8,
                       "nms_iou_threshold": 0.6, "num_classes": 2, "y_scale": 10.0, "x_scale": 10.0, "h_scale": 5.0, "w_scale": 5.0})
    shapes = [[1, 10, 4], [1, 10], [1, 10], [1]]
    outs = m.op_multi("TFLite_Detection_PostProcess", [box, cls, a], shapes)
    m.ops[-1]["custom_options"] = list(opts)
    for k, o in enumerate(outs):
        m.tensors[o]["name"] = "TFLite_Detection_PostProcess" + (":%d" % k if k else "")
    return m.doc(outs), shapes, 224 + 584 + 438, 3456 + 9216 + 6912, 256 + 128 + 96 + 96


# The ops a fixture leaves uncosted, as netscore names them (domain::op);
# every other fixture must be costed whole.
UNCOSTED = {"custom": "tflite.custom::NetscoreTestOp", "while_loop": "tflite::WHILE", "vela_ethosu": "tflite.custom::ethos-u",
            "ssd_postprocess": "tflite.custom::TFLite_Detection_PostProcess"}


def free_dims():
    """Not in expected.csv: a free batch and free height and width
    (shape_signature [-1, -1, -1, 3]); reader_test.go checks the binding."""
    m = Model()
    x = m.input("x", [1, 8, 8, 3], signature=[-1, -1, -1, 3])
    y = m.op("RELU", [x], [1, 8, 8, 3])
    return m.doc([y])


# Broken files: (name, model doc, a phrase the one-line error must hold).
def bad_cases():
    def simple(**kw):
        m = Model()
        x = m.input("x", kw.get("shape", [1, 4]))
        y = m.op("RELU", [x], kw.get("shape", [1, 4]))
        return m, m.doc([y])

    out = []
    m, d = simple(shape=[1, 1 << 30, 1 << 30, 1 << 30])
    out.append(("absurd_dims", d, "implausible"))
    m, d = simple()
    d["subgraphs"][0]["tensors"][0]["shape"] = [1, -3]
    out.append(("negative_dim", d, "negative dim"))
    m, d = simple()
    d["subgraphs"][0]["tensors"][0]["buffer"] = 99
    out.append(("buffer_index", d, "refers to buffer 99"))
    m, d = simple()
    d["subgraphs"][0]["operators"][0]["inputs"] = [42]
    out.append(("tensor_index", d, "refers to tensor 42"))
    m, d = simple()
    d["subgraphs"][0]["operators"][0]["opcode_index"] = 7
    out.append(("opcode_index", d, "opcode index 7"))
    m, d = simple()
    d["version"] = 2
    out.append(("version", d, "schema version 2"))
    # WHILE in the main graph runs subgraph 1, whose WHILE runs subgraph 1 again.
    m, d = simple()
    code = {"deprecated_builtin_code": CODES["WHILE"], "builtin_code": "WHILE", "version": 1}
    d["operator_codes"].append(code)
    loop = {"opcode_index": 1, "inputs": [0], "outputs": [1], "builtin_options_type": "WhileOptions",
            "builtin_options": {"cond_subgraph_index": 1, "body_subgraph_index": 1}}
    sub = {"tensors": [{"name": "a", "shape": [1, 4]}, {"name": "b", "shape": [1, 4]}], "inputs": [0], "outputs": [1],
           "operators": [dict(loop)], "name": "body"}
    d["subgraphs"][0]["operators"] = [loop]
    d["subgraphs"].append(sub)
    out.append(("while_loop", d, "calls loop"))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    bad = os.path.join(OUT, "..", "bad")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "expected.csv"), "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["model", "error"])
        for name, doc, msg in bad_cases():
            to_binary(doc, os.path.join(bad, name + ".tflite"))
            w.writerow([name + ".tflite", msg])
    rows = []
    to_binary(free_dims(), os.path.join(OUT, "free_dims.tflite"))
    for fn in CASES:
        doc, shapes, params, macs, *ops = fn()
        to_binary(doc, os.path.join(OUT, fn.__name__ + ".tflite"))
        rows.append([fn.__name__ + ".tflite", ";".join("x".join(map(str, s)) for s in shapes), params, macs] + (ops or [""]) +
                    [UNCOSTED.get(fn.__name__, "")])
    with open(os.path.join(OUT, "expected.csv"), "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["model", "shapes", "params", "macs", "ops", "uncosted"])
        w.writerows(rows)
    check_numpy()


if __name__ == "__main__":
    main()
