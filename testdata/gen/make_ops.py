#!/usr/bin/python3
"""One tiny ONNX model per operator, with expected shapes and counts computed
independently of netscore.

Run from anywhere:

    /usr/bin/python3 testdata/gen/make_ops.py

Writes testdata/ops/<domain>_<Op>.onnx and testdata/ops/expected.csv
(columns: file,params,buffers,macs,weight_bytes_by_dtype,outputs,how).

For every model the generator
  * builds the node(s) with onnx.helper (ops newer than onnx 1.12 and all
    com.microsoft ops are written without onnx.checker);
  * declares the graph outputs with their element type but NO shape, so a
    consumer must infer the shapes itself;
  * computes the expected output arrays with a numpy / torch implementation of
    the operator that follows its spec (the arrays' .shape is the expected
    shape); where onnx 1.12 knows the op, onnx.shape_inference is run as a
    second, independent check and must agree;
  * counts core MACs (docs/counting.md) of the torch equivalent with the
    aten-level MacCounter of export_torchvision.py (0 for ops without
    convolutions / matrix products);
  * counts params from the initializers that the generator itself tags as
    learned weights ("param") versus operands (scales, zero points, shapes,
    ratios, masks), following docs/counting.md "Parameters".

Fixed seeds; the output is byte-for-byte reproducible with the versions listed
in testdata/gen/README.md.
"""
import csv
import math
import os
import sys
import warnings

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_torchvision import MacCounter  # noqa: E402  (aten-level MAC counter)

ROOT = os.path.dirname(os.path.dirname(HERE))
OUT_DIR = os.path.join(ROOT, "testdata", "ops")
COLUMNS = ["file", "params", "buffers", "macs", "weight_bytes_by_dtype", "outputs", "how"]

torch.set_num_threads(1)

NP2ONNX = {
    np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.float16): TensorProto.FLOAT16,
    np.dtype(np.int8): TensorProto.INT8, np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.int16): TensorProto.INT16, np.dtype(np.uint16): TensorProto.UINT16,
    np.dtype(np.int32): TensorProto.INT32, np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.bool_): TensorProto.BOOL,
}
DTYPE_NAME = {
    np.dtype(np.float32): "float32", np.dtype(np.float64): "float64", np.dtype(np.float16): "float16",
    np.dtype(np.int8): "int8", np.dtype(np.uint8): "uint8", np.dtype(np.int16): "int16",
    np.dtype(np.uint16): "uint16", np.dtype(np.int32): "int32", np.dtype(np.int64): "int64",
    np.dtype(np.bool_): "bool",
}
# IR version that goes with the highest default-domain opset of a model
IR_FOR_OPSET = {1: 8, 2: 8, 7: 8, 11: 8, 13: 8, 17: 8, 18: 8, 20: 9, 21: 10}
MS = "com.microsoft"


class Case:
    """One model: node(s), graph inputs, initializers (tagged), expected outputs."""

    def __init__(self, domain, op, opset, suffix=""):
        self.domain, self.op, self.opset = domain, op, opset
        self.file = f"{'ai.onnx' if domain == '' else domain}_{op}{suffix}.onnx"
        self.nodes, self.inputs, self.inits, self.outputs = [], [], [], []
        self.expected = []        # (name, numpy array | shape tuple)
        self.macs = 0
        self.how = ""
        self.onnx_knows = False   # run onnx.checker + onnx.shape_inference as a cross-check

    def inp(self, name, arr):
        """graph input; arr gives dtype and concrete shape (its values are only used by the reference)."""
        self.inputs.append(helper.make_tensor_value_info(name, NP2ONNX[arr.dtype], list(arr.shape)))
        return arr

    def init(self, name, arr, role):
        """initializer; role 'param' (learned weight) or 'operand' (scale, zero point, shape, ratio...)."""
        assert role in ("param", "operand")
        self.inits.append((name, np.ascontiguousarray(arr), role))
        return arr

    def node(self, inputs, outputs, **attrs):
        dom = self.domain if self.domain else None
        self.nodes.append(helper.make_node(self.op, inputs, outputs, domain=dom, **attrs))

    def out(self, name, value, dtype=None):
        """graph output (type only, no shape); value = computed array (or shape tuple if no array)."""
        if isinstance(value, (np.ndarray, torch.Tensor)):
            arr = value.detach().numpy() if isinstance(value, torch.Tensor) else value
            dt = NP2ONNX[arr.dtype] if dtype is None else dtype
            self.expected.append((name, tuple(arr.shape)))
        else:
            assert dtype is not None
            dt = dtype
            self.expected.append((name, tuple(value)))
        self.outputs.append(helper.make_tensor_value_info(name, dt, None))

    # ------------------------------------------------------------------
    def model(self):
        inits = [numpy_helper.from_array(a, n) for n, a, _ in self.inits]
        g = helper.make_graph(self.nodes, self.op, self.inputs, self.outputs, initializer=inits)
        opsets = [helper.make_opsetid("", self.opset)]
        if self.domain == MS:
            opsets.append(helper.make_opsetid(MS, 1))
        m = helper.make_model(g, opset_imports=opsets, producer_name="netscore testdata/gen/make_ops.py")
        m.ir_version = IR_FOR_OPSET[self.opset]
        return m

    def row(self):
        params, by_dtype = 0, {}
        for _, a, role in self.inits:
            if role != "param":
                continue
            params += a.size
            k = DTYPE_NAME[a.dtype]
            by_dtype[k] = by_dtype.get(k, 0) + a.nbytes
        outs = ";".join(f"{n}:{'x'.join(str(d) for d in s) if len(s) else 'scalar'}" for n, s in self.expected)
        return {
            "file": self.file, "params": params, "buffers": 0, "macs": self.macs,
            "weight_bytes_by_dtype": ";".join(f"{k}:{by_dtype[k]}" for k in sorted(by_dtype)),
            "outputs": outs, "how": self.how,
        }


def count_macs(fn, *args):
    """run fn under the aten-level MAC counter; returns (result, macs)."""
    with torch.enable_grad():
        mc = MacCounter()
        with mc:
            r = fn(*args)
    assert not mc.unhandled, mc.unhandled
    return r, mc.macs


def T(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def rng(seed):
    return np.random.default_rng(seed)


def f32(r, *shape, scale=1.0):
    return (r.standard_normal(shape) * scale).astype(np.float32)


def scalar(v, dt):
    return np.array(v, dtype=dt)


# ----------------------------------------------------------------------
# numpy reference implementations (following the ONNX / ORT op text)
# ----------------------------------------------------------------------
def np_center_crop_pad(x, shape, axes):
    """ONNX CenterCropPad-18: crop (centre, floor of the excess at the start) or zero-pad
    (centre, floor of the missing at the start) each axis in `axes` to `shape`."""
    y = x
    for s, ax in zip(shape, axes):
        d = y.shape[ax]
        if d > s:
            st = (d - s) // 2
            y = np.take(y, np.arange(st, st + s), axis=ax)
        elif d < s:
            st = (s - d) // 2
            pw = [(0, 0)] * y.ndim
            pw[ax] = (st, s - d - st)
            y = np.pad(y, pw)
    return y


def np_lp_pool2d(x, k, s, pads, p):
    """ONNX LpPool-11: zero padding, floor output size, (sum |x|^p)^(1/p) per window."""
    xp = np.pad(x, [(0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])])
    H = (xp.shape[2] - k[0]) // s[0] + 1
    W = (xp.shape[3] - k[1]) // s[1] + 1
    y = np.zeros(x.shape[:2] + (H, W), np.float32)
    for i in range(H):
        for j in range(W):
            win = xp[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]]
            y[:, :, i, j] = (np.abs(win) ** p).sum(axis=(2, 3)) ** (1.0 / p)
    return y


def np_quant(x, scale, zp, dt):
    info = np.iinfo(dt)
    return np.clip(np.rint(x / scale) + zp, info.min, info.max).astype(dt)


def np_dequant(q, scale, zp):
    return (q.astype(np.float32) - np.asarray(zp, np.float32)) * np.asarray(scale, np.float32)


def np_layer_norm(x, axis, scale, bias, eps=1e-5):
    ax = tuple(range(axis % x.ndim, x.ndim))
    mean = x.mean(axis=ax, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=ax, keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    y = (x - mean) * inv * scale + (0 if bias is None else bias)
    return y.astype(np.float32), mean.astype(np.float32), inv.astype(np.float32)


def np_rms_norm(x, axis, scale, eps=1e-6):
    ax = tuple(range(axis % x.ndim, x.ndim))
    inv = 1.0 / np.sqrt((x ** 2).mean(axis=ax, keepdims=True) + eps)
    return (x * inv * scale).astype(np.float32), inv.astype(np.float32)


def fast_gelu(x):
    return 0.5 * x * (1 + torch.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))


# ----------------------------------------------------------------------
# default domain
# ----------------------------------------------------------------------
def ai_onnx_cases():
    cs = []

    # Bitwise* (opset 18): multidirectional broadcasting
    for op, fn, dt, sa, sb, seed in [
        ("BitwiseAnd", np.bitwise_and, np.int32, (2, 3, 4), (3, 1), 1),
        ("BitwiseOr", np.bitwise_or, np.uint16, (4, 1, 5), (3, 5), 2),
        ("BitwiseXor", np.bitwise_xor, np.int8, (2, 1), (1, 6), 3),
    ]:
        c = Case("", op, 18)
        r = rng(seed)
        info = np.iinfo(dt)
        a = c.inp("A", r.integers(info.min, info.max, sa, dtype=dt, endpoint=True))
        b = c.inp("B", r.integers(info.min, info.max, sb, dtype=dt, endpoint=True))
        c.node(["A", "B"], ["C"])
        c.out("C", fn(a, b))
        c.how = f"numpy.{fn.__name__} (numpy broadcasting = ONNX multidirectional broadcasting)"
        cs.append(c)

    c = Case("", "BitwiseNot", 18)
    x = c.inp("X", rng(4).integers(0, 255, (3, 4, 5), dtype=np.uint8, endpoint=True))
    c.node(["X"], ["Y"])
    c.out("Y", np.bitwise_not(x))
    c.how = "numpy.bitwise_not"
    cs.append(c)

    # CenterCropPad (18): axis 1 cropped 20 -> 10, axis 2 padded 10 -> 16
    c = Case("", "CenterCropPad", 18)
    x = c.inp("input_data", f32(rng(5), 3, 20, 10))
    shape = c.init("shape", np.array([10, 16], np.int64), "operand")
    c.node(["input_data", "shape"], ["output_data"], axes=[1, 2])
    c.out("output_data", np_center_crop_pad(x, shape, [1, 2]))
    c.how = "numpy crop/pad per the CenterCropPad-18 text (axes=[1,2]); int64 shape input is an operand"
    cs.append(c)

    # Gelu (20), tanh approximation
    c = Case("", "Gelu", 20)
    x = c.inp("X", f32(rng(6), 2, 3, 8))
    c.node(["X"], ["Y"], approximate="tanh")
    y, c.macs = count_macs(lambda t: F.gelu(t, approximate="tanh"), T(x))
    c.out("Y", y)
    c.how = "torch F.gelu(approximate='tanh'); MACs by aten counter"
    cs.append(c)

    # GlobalLpPool (2), p=3
    c = Case("", "GlobalLpPool", 2)
    x = c.inp("X", f32(rng(7), 1, 3, 5, 6))
    c.node(["X"], ["Y"], p=3)
    c.out("Y", (np.abs(x) ** 3).sum(axis=(2, 3), keepdims=True) ** (1 / 3))
    c.how = "numpy (sum |x|^p over spatial axes, keepdims)^(1/p)"
    c.onnx_knows = True
    cs.append(c)

    # GroupNormalization (21: scale/bias per channel C; 18: per group)
    for opset, suffix in [(21, ""), (18, "_op18")]:
        c = Case("", "GroupNormalization", opset, suffix)
        r = rng(8 + opset)
        C, G = 6, 3
        x = c.inp("X", f32(r, 2, C, 4, 5))
        n = C if opset == 21 else G
        sc = c.init("scale", f32(r, n), "param")
        bi = c.init("bias", f32(r, n), "param")
        c.node(["X", "scale", "bias"], ["Y"], num_groups=G, epsilon=1e-5)
        w, b = (sc, bi) if opset == 21 else (np.repeat(sc, C // G), np.repeat(bi, C // G))
        y, c.macs = count_macs(lambda t: F.group_norm(t, G, T(w), T(b), 1e-5), T(x))
        c.out("Y", y)
        c.how = (f"torch F.group_norm(num_groups={G}); opset {opset}: scale/bias have "
                 f"{'C' if opset == 21 else 'num_groups'} elements")
        cs.append(c)

    # LpNormalization (1), p=1 axis=1
    c = Case("", "LpNormalization", 1)
    x = c.inp("input", f32(rng(9), 2, 3, 4))
    c.node(["input"], ["output"], axis=1, p=1)
    c.out("output", x / np.abs(x).sum(axis=1, keepdims=True))
    c.how = "numpy x / sum|x| along axis 1"
    c.onnx_knows = True
    cs.append(c)

    # LpPool (11)
    c = Case("", "LpPool", 11)
    x = c.inp("X", f32(rng(10), 1, 2, 9, 7))
    k, s, pads = [3, 2], [2, 2], [1, 0, 1, 1]
    c.node(["X"], ["Y"], kernel_shape=k, strides=s, pads=pads, p=2)
    c.out("Y", np_lp_pool2d(x, k, s, pads, 2))
    c.how = "numpy sliding-window (sum |x|^2)^(1/2) with zero pads [1,0,1,1], kernel [3,2], strides [2,2]"
    c.onnx_knows = True
    cs.append(c)

    # MaxRoiPool (1)
    import torchvision
    c = Case("", "MaxRoiPool", 1)
    r = rng(11)
    x = c.inp("X", f32(r, 1, 4, 16, 16))
    rois = c.inp("rois", np.array([[0, 0, 0, 7, 7], [0, 2, 3, 15, 12], [0, 5, 1, 9, 14]], np.float32))
    c.node(["X", "rois"], ["Y"], pooled_shape=[2, 3], spatial_scale=1.0)
    c.out("Y", torchvision.ops.roi_pool(T(x), T(rois), output_size=(2, 3), spatial_scale=1.0))
    c.how = "torchvision.ops.roi_pool (same [batch,x1,y1,x2,y2] rois); rois is a graph input"
    c.onnx_knows = True
    cs.append(c)

    # Mish (18)
    c = Case("", "Mish", 18)
    x = c.inp("X", f32(rng(12), 2, 5, 7))
    c.node(["X"], ["Y"])
    y, c.macs = count_macs(F.mish, T(x))
    c.out("Y", y)
    c.how = "torch F.mish"
    cs.append(c)

    # Multinomial (7): output (batch, sample_size), int32 by default
    c = Case("", "Multinomial", 7)
    x = c.inp("input", f32(rng(13), 2, 5))
    c.node(["input"], ["output"], sample_size=3, seed=1.0)
    g = torch.Generator().manual_seed(0)
    c.out("output", torch.multinomial(torch.softmax(T(x), -1), 3, replacement=True, generator=g).int())
    c.how = "torch.multinomial(softmax(input), sample_size=3, replacement=True); default dtype int32"
    c.onnx_knows = True
    cs.append(c)

    # RandomNormal (1): no inputs, shape attr
    c = Case("", "RandomNormal", 1)
    c.node([], ["output"], shape=[2, 3, 4], mean=0.0, scale=1.0, seed=2.0)
    c.out("output", rng(14).normal(0.0, 1.0, (2, 3, 4)).astype(np.float32))
    c.how = "numpy normal(size=shape attr); graph has no inputs"
    c.onnx_knows = True
    cs.append(c)

    # RandomNormalLike (1): shape of input, dtype attr DOUBLE
    c = Case("", "RandomNormalLike", 1)
    x = c.inp("input", f32(rng(15), 3, 5))
    c.node(["input"], ["output"], dtype=TensorProto.DOUBLE, seed=3.0)
    c.out("output", rng(15).normal(size=x.shape).astype(np.float64))
    c.how = "numpy normal(size=input.shape), dtype attr=DOUBLE"
    c.onnx_knows = True
    cs.append(c)

    # RandomUniform (1): shape attr, dtype DOUBLE
    c = Case("", "RandomUniform", 1)
    c.node([], ["output"], shape=[4, 6], dtype=TensorProto.DOUBLE, low=-1.0, high=2.0, seed=4.0)
    c.out("output", rng(16).uniform(-1.0, 2.0, (4, 6)).astype(np.float64))
    c.how = "numpy uniform(size=shape attr), dtype attr=DOUBLE; graph has no inputs"
    c.onnx_knows = True
    cs.append(c)

    # SimplifiedLayerNormalization in the default domain (ORT registers it in kOnnxDomain, since 1)
    c = Case("", "SimplifiedLayerNormalization", 17)
    r = rng(17)
    x = c.inp("X", f32(r, 2, 5, 16))
    sc = c.init("scale", f32(r, 16), "param")
    c.node(["X", "scale"], ["Y", "inv_std_var"], axis=-1, epsilon=1e-6)
    y, inv = np_rms_norm(x, -1, sc)
    c.out("Y", y)
    c.out("inv_std_var", inv)
    c.how = ("numpy RMS norm x*rsqrt(mean(x^2)+eps)*scale over axis -1; inv_std_var keeps X's rank "
             "with dims >= axis set to 1 (ORT LayerNormalization shape inference)")
    cs.append(c)
    return cs


# ----------------------------------------------------------------------
# com.microsoft
# ----------------------------------------------------------------------
def ms_cases():
    cs = []
    f = np.float32

    def ms(op):
        return Case(MS, op, 17)

    # BiasAdd: X (N,S,C) + bias (C) + skip (N,S,C)
    c = ms("BiasAdd")
    r = rng(101)
    x = c.inp("X", f32(r, 2, 6, 8))
    b = c.init("bias", f32(r, 8), "param")
    sk = c.inp("skip", f32(r, 2, 6, 8))
    c.node(["X", "bias", "skip"], ["Y"])
    c.out("Y", x + b + sk)
    c.how = "numpy X + bias + skip"
    cs.append(c)

    # BiasDropout: output, mask (bool) both shaped like data
    c = ms("BiasDropout")
    r = rng(102)
    x = c.inp("data", f32(r, 2, 4, 16))
    b = c.init("bias", f32(r, 16), "param")
    res = c.inp("residual", f32(r, 2, 4, 16))
    c.init("ratio", scalar(0.1, f), "operand")
    c.node(["data", "bias", "residual", "ratio"], ["output", "mask"], seed=0)
    y = x + b + res          # inference (training_mode absent): no drop
    c.out("output", y)
    c.out("mask", np.ones(y.shape, np.bool_))
    c.how = "numpy data+bias+residual (inference: nothing dropped), mask = ones_like(data) bool"
    cs.append(c)

    # BiasFastGelu: FastGelu(X + bias)
    c = ms("BiasFastGelu")
    r = rng(103)
    x = c.inp("X", f32(r, 2, 4, 16))
    b = c.init("bias", f32(r, 16), "param")
    c.node(["X", "bias"], ["Y"])
    y, c.macs = count_macs(lambda t, bb: fast_gelu(t + bb), T(x), T(b))
    c.out("Y", y)
    c.how = "torch tanh-GELU(X + bias); schema not in ContribOperators.md: inputs (X, bias) as BiasGelu's (A, B)"
    cs.append(c)

    # BiasSoftmax: softmax(data + bias) over axis 3; bias broadcast over dim 0
    c = ms("BiasSoftmax")
    r = rng(104)
    x = c.inp("data", f32(r, 2, 4, 5, 5))
    b = c.inp("bias", f32(r, 1, 4, 5, 5))
    c.node(["data", "bias"], ["output"], axis=3, is_inner_broadcast=0)
    y, c.macs = count_macs(lambda t, bb: torch.softmax(t + bb, dim=3), T(x), T(b))
    c.out("output", y)
    c.how = "torch softmax(data + bias, dim=3); bias (an additive mask) is a graph input"
    cs.append(c)

    # DequantizeLinear: int8 weight (4,6) per-axis (axis 0) -> float
    c = ms("DequantizeLinear")
    r = rng(105)
    q = c.init("x", r.integers(-128, 127, (4, 6), dtype=np.int8, endpoint=True), "param")
    s = c.init("x_scale", (r.uniform(0.01, 0.1, 4)).astype(f), "operand")
    z = c.init("x_zero_point", r.integers(-5, 5, 4, dtype=np.int8), "operand")
    c.node(["x", "x_scale", "x_zero_point"], ["y"], axis=0)
    c.out("y", np_dequant(q, s[:, None], z[:, None]))
    c.how = ("numpy (x - zp) * scale per axis 0; the stored int8 x is a quantized weight (param), "
             "per-axis scale/zero point (4 elements each) are operands")
    cs.append(c)

    # QuantizeLinear: float (2,3,4) per-axis (axis 1) -> uint8
    c = ms("QuantizeLinear")
    r = rng(106)
    x = c.inp("x", f32(r, 2, 3, 4))
    s = c.init("y_scale", np.array([0.02, 0.03, 0.05], f), "operand")
    z = c.init("y_zero_point", np.array([128, 120, 130], np.uint8), "operand")
    c.node(["x", "y_scale", "y_zero_point"], ["y"], axis=1)
    c.out("y", np_quant(x, s[None, :, None], z[None, :, None], np.uint8))
    c.how = "numpy saturate(round(x / scale) + zp) per axis 1, uint8 from zero point type; scale/zp are operands"
    cs.append(c)

    # DynamicQuantizeMatMul: A float (2,5,16) x B int8 (16,8), per-column b_scale/zp, bias (8)
    c = ms("DynamicQuantizeMatMul")
    r = rng(107)
    a = c.inp("A", f32(r, 2, 5, 16))
    bq = c.init("B", r.integers(-128, 127, (16, 8), dtype=np.int8, endpoint=True), "param")
    bs = c.init("b_scale", r.uniform(0.01, 0.05, 8).astype(f), "operand")
    bz = c.init("b_zero_point", r.integers(-3, 3, 8, dtype=np.int8), "operand")
    bias = c.init("bias", f32(r, 8), "param")
    c.node(["A", "B", "b_scale", "b_zero_point", "bias"], ["Y"])
    bf = np_dequant(bq, bs[None, :], bz[None, :])
    y, c.macs = count_macs(lambda t, w, bb: torch.matmul(t, w) + bb, T(a), T(bf), T(bias))
    c.out("Y", y)
    c.how = ("torch matmul(A, dequant(B)) + bias, MACs by aten counter (= 2*5*16*8); B int8 + bias float "
             "are params, per-column b_scale/b_zero_point (8 each) are operands")
    cs.append(c)

    # EmbedLayerNormalization
    c = ms("EmbedLayerNormalization")
    r = rng(108)
    B, S, H, V, P = 2, 6, 16, 30, 8
    ids = c.inp("input_ids", r.integers(0, V, (B, S), dtype=np.int32))
    seg = c.inp("segment_ids", r.integers(0, 2, (B, S), dtype=np.int32))
    we = c.init("word_embedding", f32(r, V, H, scale=0.1), "param")
    pe = c.init("position_embedding", f32(r, P, H, scale=0.1), "param")
    se = c.init("segment_embedding", f32(r, 2, H, scale=0.1), "param")
    gm = c.init("gamma", f32(r, H), "param")
    bt = c.init("beta", f32(r, H), "param")
    mask = c.inp("mask", np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], np.int32))
    c.node(["input_ids", "segment_ids", "word_embedding", "position_embedding", "segment_embedding",
            "gamma", "beta", "mask"], ["output", "mask_index", "embedding_sum"], epsilon=1e-12,
           mask_index_type=1)
    emb = we[ids] + pe[np.arange(S)][None] + se[seg]
    y, _, _ = np_layer_norm(emb, -1, gm, bt, 1e-12)
    c.out("output", y)
    c.out("mask_index", mask.sum(axis=1).astype(np.int32))
    c.out("embedding_sum", emb)
    c.how = ("numpy gather(word)+gather(position)+gather(segment) then LayerNorm over H; mask_index = "
             "per-batch count of mask ones (B); embedding_sum (B,S,H) per the ORT spec")
    cs.append(c)

    # FastGelu with bias
    c = ms("FastGelu")
    r = rng(109)
    x = c.inp("X", f32(r, 2, 4, 16))
    b = c.init("bias", f32(r, 16), "param")
    c.node(["X", "bias"], ["Y"])
    y, c.macs = count_macs(lambda t, bb: fast_gelu(t + bb), T(x), T(b))
    c.out("Y", y)
    c.how = "torch 0.5x(1+tanh(0.797885x+0.035677x^3)) of X+bias"
    cs.append(c)

    # FusedGemm: Gemm(transB=1) + Relu
    c = ms("FusedGemm")
    r = rng(110)
    a = c.inp("A", f32(r, 3, 10))
    w = c.init("B", f32(r, 6, 10), "param")
    b = c.init("C", f32(r, 6), "param")
    c.node(["A", "B", "C"], ["Y"], transB=1, alpha=1.0, beta=1.0, activation="Relu")
    y, c.macs = count_macs(lambda t, ww, bb: torch.relu(torch.addmm(bb, t, ww.t())), T(a), T(w), T(b))
    c.out("Y", y)
    c.how = "torch relu(addmm(C, A, B^T)); MACs by aten counter (= 3*10*6)"
    cs.append(c)

    # Gelu (com.microsoft, exact erf)
    c = ms("Gelu")
    x = c.inp("X", f32(rng(111), 2, 3, 8))
    c.node(["X"], ["Y"])
    y, c.macs = count_macs(F.gelu, T(x))
    c.out("Y", y)
    c.how = "torch F.gelu"
    cs.append(c)

    # GemmFastGelu: FastGelu(X @ W + bias)
    c = ms("GemmFastGelu")
    r = rng(112)
    x = c.inp("X", f32(r, 2, 5, 16))
    w = c.init("W", f32(r, 16, 12), "param")
    b = c.init("bias", f32(r, 12), "param")
    c.node(["X", "W", "bias"], ["Y"])
    y, c.macs = count_macs(lambda t, ww, bb: fast_gelu(torch.matmul(t, ww) + bb), T(x), T(w), T(b))
    c.out("Y", y)
    c.how = "torch fast-gelu(matmul(X, W) + bias); MACs by aten counter (= 2*5*16*12)"
    cs.append(c)

    # LayerNormalization (com.microsoft): axis 1 over (4,8), three outputs
    c = ms("LayerNormalization")
    r = rng(113)
    x = c.inp("X", f32(r, 2, 4, 8))
    sc = c.init("Scale", f32(r, 4, 8), "param")
    b = c.init("B", f32(r, 4, 8), "param")
    c.node(["X", "Scale", "B"], ["Y", "Mean", "InvStdDev"], axis=1, epsilon=1e-5)
    y, c.macs = count_macs(lambda t: F.layer_norm(t, (4, 8), T(sc), T(b), 1e-5), T(x))
    _, mean, inv = np_layer_norm(x, 1, sc, b)
    c.out("Y", y)
    c.out("Mean", mean)
    c.out("InvStdDev", inv)
    c.how = ("torch F.layer_norm over dims 1..; Mean/InvStdDev = numpy stats with keepdims "
             "(X's shape with dims >= axis set to 1)")
    cs.append(c)

    # MatMulIntegerToFloat: uint8 A (2,4,12) x int8 B (12,8)
    c = ms("MatMulIntegerToFloat")
    r = rng(114)
    a = c.inp("A", r.integers(0, 255, (2, 4, 12), dtype=np.uint8, endpoint=True))
    bq = c.init("B", r.integers(-128, 127, (12, 8), dtype=np.int8, endpoint=True), "param")
    a_s = c.init("a_scale", scalar(0.02, f), "operand")
    b_s = c.init("b_scale", r.uniform(0.01, 0.05, 8).astype(f), "operand")
    a_z = c.init("a_zero_point", scalar(128, np.uint8), "operand")
    b_z = c.init("b_zero_point", r.integers(-3, 3, 8, dtype=np.int8), "operand")
    bias = c.init("bias", f32(r, 8), "param")
    c.node(["A", "B", "a_scale", "b_scale", "a_zero_point", "b_zero_point", "bias"], ["Y"])
    af, bf = np_dequant(a, a_s, a_z), np_dequant(bq, b_s[None, :], b_z[None, :])
    y, c.macs = count_macs(lambda t, w, bb: torch.matmul(t, w) + bb, T(af), T(bf), T(bias))
    c.out("Y", y)
    c.how = ("torch matmul(dequant(A), dequant(B)) + bias, MACs by aten counter (= 2*4*12*8); "
             "B int8 + bias float are params, scales/zero points operands")
    cs.append(c)

    # NhwcConv: X (N,H,W,C)=(1,10,12,6), W (8,3,3,3) group 2, strides [2,1], pads 1, dilations [1,2]
    c = ms("NhwcConv")
    r = rng(115)
    x = c.inp("X", f32(r, 1, 10, 12, 6))
    w = c.init("W", f32(r, 8, 3, 3, 3), "param")
    b = c.init("B", f32(r, 8), "param")
    c.node(["X", "W", "B"], ["Y"], group=2, strides=[2, 1], pads=[1, 1, 1, 1], dilations=[1, 2],
           kernel_shape=[3, 3])
    y, c.macs = count_macs(
        lambda t, ww, bb: F.conv2d(t.permute(0, 3, 1, 2), ww, bb, stride=(2, 1), padding=1, dilation=(1, 2),
                                   groups=2).permute(0, 2, 3, 1), T(x), T(w), T(b))
    c.out("Y", y)
    c.how = ("torch conv2d on the NCHW view then back to NHWC (N,H_out,W_out,M); MACs by aten counter "
             "(= out elems x C/group x kH x kW)")
    cs.append(c)

    # NhwcMaxPool: uint8 (1,9,9,4), kernel 3 stride 2 pads 1
    c = ms("NhwcMaxPool")
    r = rng(116)
    x = c.inp("x", r.integers(0, 255, (1, 9, 9, 4), dtype=np.uint8, endpoint=True))
    c.node(["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    y = F.max_pool2d(T(x.astype(f)).permute(0, 3, 1, 2), 3, 2, 1).permute(0, 2, 3, 1)
    c.out("y", y.numpy().astype(np.uint8))
    c.how = "torch max_pool2d on the NCHW view then back to NHWC; uint8 in/out"
    cs.append(c)

    # QLinearAdd / QLinearMul (broadcasting; all quant params scalars)
    for op, dt, sa, sb, npop, seed in [("QLinearAdd", np.uint8, (2, 3, 4), (4,), "add", 117),
                                       ("QLinearMul", np.int8, (2, 1, 5), (3, 1), "mul", 118)]:
        c = ms(op)
        r = rng(seed)
        info = np.iinfo(dt)
        a = c.inp("A", r.integers(info.min, info.max, sa, dtype=dt, endpoint=True))
        a_s = c.init("A_scale", scalar(0.05, f), "operand")
        a_z = c.init("A_zero_point", scalar(3, dt), "operand")
        b = c.inp("B", r.integers(info.min, info.max, sb, dtype=dt, endpoint=True))
        b_s = c.init("B_scale", scalar(0.04, f), "operand")
        b_z = c.init("B_zero_point", scalar(1, dt), "operand")
        c_s = c.init("C_scale", scalar(0.1, f), "operand")
        c_z = c.init("C_zero_point", scalar(2, dt), "operand")
        c.node(["A", "A_scale", "A_zero_point", "B", "B_scale", "B_zero_point", "C_scale", "C_zero_point"], ["C"])
        fa, fb = np_dequant(a, a_s, a_z), np_dequant(b, b_s, b_z)
        c.out("C", np_quant(fa + fb if npop == "add" else fa * fb, c_s, c_z, dt))
        c.how = f"numpy dequant -> {npop} (numpy broadcasting) -> quant; scalar scales/zero points"
        cs.append(c)

    # QLinearAveragePool: uint8 NCHW (1,3,8,8), kernel 3 stride 2 pads 1, ceil_mode 1
    c = ms("QLinearAveragePool")
    r = rng(119)
    x = c.inp("X", r.integers(0, 255, (1, 3, 8, 8), dtype=np.uint8, endpoint=True))
    for n, v, dt in [("x_scale", 0.1, f), ("x_zero_point", 128, np.uint8), ("y_scale", 0.1, f),
                     ("y_zero_point", 128, np.uint8)]:
        c.init(n, scalar(v, dt), "operand")
    c.node(["X", "x_scale", "x_zero_point", "y_scale", "y_zero_point"], ["Y"], kernel_shape=[3, 3],
           strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=0)
    yf = F.avg_pool2d(T(np_dequant(x, 0.1, 128)), 3, 2, 1, ceil_mode=True, count_include_pad=False)
    assert yf.shape[-1] == math.ceil((8 + 2 - 3) / 2 + 1)   # the spec's ceil formula agrees with torch here
    c.out("Y", np_quant(yf.numpy(), 0.1, 128, np.uint8))
    c.how = ("torch avg_pool2d(ceil_mode=True, count_include_pad=False) on dequantized data; "
             "spec: ceil((8+2-3)/2+1)=5")
    cs.append(c)

    # QLinearConcat: axis 1
    c = ms("QLinearConcat")
    r = rng(120)
    c.init("Y_scale", scalar(0.1, f), "operand")
    c.init("Y_zero_point", scalar(128, np.uint8), "operand")
    x1 = c.inp("X1", r.integers(0, 255, (2, 3, 4), dtype=np.uint8, endpoint=True))
    c.init("X1_scale", scalar(0.08, f), "operand")
    c.init("X1_zero_point", scalar(120, np.uint8), "operand")
    x2 = c.inp("X2", r.integers(0, 255, (2, 5, 4), dtype=np.uint8, endpoint=True))
    c.init("X2_scale", scalar(0.12, f), "operand")
    c.init("X2_zero_point", scalar(130, np.uint8), "operand")
    c.node(["Y_scale", "Y_zero_point", "X1", "X1_scale", "X1_zero_point", "X2", "X2_scale", "X2_zero_point"],
           ["Y"], axis=1)
    yf = np.concatenate([np_dequant(x1, 0.08, 120), np_dequant(x2, 0.12, 130)], axis=1)
    c.out("Y", np_quant(yf, 0.1, 128, np.uint8))
    c.how = "numpy concatenate of dequantized inputs along axis 1 then quantize; inputs (Y_scale, Y_zp, [X, s, zp]...)"
    cs.append(c)

    # QLinearGlobalAveragePool: channels_last=1, (1,5,6,4) -> (1,1,1,4)
    c = ms("QLinearGlobalAveragePool")
    r = rng(121)
    x = c.inp("X", r.integers(0, 255, (1, 5, 6, 4), dtype=np.uint8, endpoint=True))
    for n, v, dt in [("x_scale", 0.1, f), ("x_zero_point", 128, np.uint8), ("y_scale", 0.1, f),
                     ("y_zero_point", 128, np.uint8)]:
        c.init(n, scalar(v, dt), "operand")
    c.node(["X", "x_scale", "x_zero_point", "y_scale", "y_zero_point"], ["Y"], channels_last=1)
    yf = np_dequant(x, 0.1, 128).mean(axis=(1, 2), keepdims=True)
    c.out("Y", np_quant(yf, 0.1, 128, np.uint8))
    c.how = "numpy mean over the spatial axes 1,2 of NHWC (channels_last=1), keepdims: N and C kept, others 1"
    cs.append(c)

    # QLinearLeakyRelu / QLinearSigmoid
    for op, dt, seed in [("QLinearLeakyRelu", np.int8, 122), ("QLinearSigmoid", np.uint8, 123)]:
        c = ms(op)
        r = rng(seed)
        info = np.iinfo(dt)
        x = c.inp("X", r.integers(info.min, info.max, (2, 3, 4), dtype=dt, endpoint=True))
        zx = 0 if dt == np.int8 else 128
        for n, v, d in [("X_scale", 0.05, f), ("X_zero_point", zx, dt), ("Y_scale", 0.05, f),
                        ("Y_zero_point", zx, dt)]:
            c.init(n, scalar(v, d), "operand")
        attrs = {"alpha": 0.1} if op == "QLinearLeakyRelu" else {}
        c.node(["X", "X_scale", "X_zero_point", "Y_scale", "Y_zero_point"], ["Y"], **attrs)
        xf = np_dequant(x, 0.05, zx)
        yf = np.where(xf < 0, 0.1 * xf, xf) if op == "QLinearLeakyRelu" else 1 / (1 + np.exp(-xf))
        c.out("Y", np_quant(yf, 0.05, zx, dt))
        c.how = f"numpy quantize({'leaky_relu(alpha=0.1)' if dt == np.int8 else 'sigmoid'}(dequantize(X)))"
        cs.append(c)

    # QLinearSoftmax (opset attr 13, axis -1)
    c = ms("QLinearSoftmax")
    r = rng(124)
    x = c.inp("X", r.integers(0, 255, (2, 3, 5), dtype=np.uint8, endpoint=True))
    for n, v, d in [("X_scale", 0.1, f), ("x_zero_point", 128, np.uint8), ("y_scale", 1 / 256, f),
                    ("y_zero_point", 0, np.uint8)]:
        c.init(n, scalar(v, d), "operand")
    c.node(["X", "X_scale", "x_zero_point", "y_scale", "y_zero_point"], ["Y"], axis=-1, opset=13)
    yf = torch.softmax(T(np_dequant(x, 0.1, 128)), -1).numpy()
    c.out("Y", np_quant(yf, 1 / 256, 0, np.uint8))
    c.how = "torch softmax(dequant(X), -1) then quantize; same shape as X"
    cs.append(c)

    # QuickGelu
    c = ms("QuickGelu")
    x = c.inp("X", f32(rng(125), 2, 3, 8))
    c.node(["X"], ["Y"], alpha=1.702)
    y, c.macs = count_macs(lambda t: t * torch.sigmoid(1.702 * t), T(x))
    c.out("Y", y)
    c.how = "torch x * sigmoid(1.702 x)"
    cs.append(c)

    # SimplifiedLayerNormalization (com.microsoft)
    c = ms("SimplifiedLayerNormalization")
    r = rng(126)
    x = c.inp("X", f32(r, 3, 4, 10))
    sc = c.init("scale", f32(r, 4, 10), "param")
    c.node(["X", "scale"], ["Y", "inv_std_var"], axis=1, epsilon=1e-6)
    y, inv = np_rms_norm(x, 1, sc)
    c.out("Y", y)
    c.out("inv_std_var", inv)
    c.how = ("numpy RMS norm over dims 1.. (axis=1, scale (4,10)); inv_std_var = X's shape with dims >= axis "
             "set to 1")
    cs.append(c)

    # SkipSimplifiedLayerNormalization: outputs output and input_skip_bias_sum (index 3)
    c = ms("SkipSimplifiedLayerNormalization")
    r = rng(127)
    x = c.inp("input", f32(r, 2, 5, 16))
    sk = c.inp("skip", f32(r, 2, 5, 16))
    gm = c.init("gamma", f32(r, 16), "param")
    bi = c.init("bias", f32(r, 16), "param")
    c.node(["input", "skip", "gamma", "bias"], ["output", "", "", "input_skip_bias_sum"], epsilon=1e-6)
    ssum = x + sk + bi
    y, _ = np_rms_norm(ssum, -1, gm)
    c.out("output", y)
    c.out("input_skip_bias_sum", ssum)
    c.how = ("numpy s = input+skip+bias, RMS norm of s over H times gamma; output index 3 "
             "(input_skip_bias_sum) requested with outputs 1,2 left empty")
    cs.append(c)

    # TransposeMatMul: A (2,3,8,5) transA, B (6,8) transB, alpha 0.5
    c = ms("TransposeMatMul")
    r = rng(128)
    a = c.inp("A", f32(r, 2, 3, 8, 5))
    b = c.init("B", f32(r, 6, 8), "param")
    c.node(["A", "B"], ["Y"], transA=1, transB=1, alpha=0.5)
    y, c.macs = count_macs(lambda t, w: 0.5 * torch.matmul(t.transpose(-1, -2), w.t()), T(a), T(b))
    c.out("Y", y)
    c.how = "torch 0.5 * matmul(A^T(last two), B^T); MACs by aten counter (= 2*3*5*8*6)"
    cs.append(c)
    return cs


# ----------------------------------------------------------------------
def onnx_cross_check(c, m):
    # the checker of onnx 1.12 insists on a shape on graph outputs: validate a copy that carries the
    # reference shapes, then let shape inference work on the original (output shapes absent)
    chk = onnx.ModelProto()
    chk.CopyFrom(m)
    for vi, (_, shape) in zip(chk.graph.output, c.expected):
        vi.type.tensor_type.shape.SetInParent()
        for d in shape:
            vi.type.tensor_type.shape.dim.add().dim_value = d
    onnx.checker.check_model(chk)
    inf = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    got = {}
    for vi in inf.graph.output:
        t = vi.type.tensor_type
        if t.HasField("shape"):
            got[vi.name] = tuple(d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim)
    for name, shape in c.expected:
        if name in got and got[name] != shape:
            raise SystemExit(f"{c.file}: onnx shape inference says {name} {got[name]}, reference {shape}")
    return got


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    cases = ai_onnx_cases() + ms_cases()
    rows = []
    for c in cases:
        m = c.model()
        note = ""
        if c.onnx_knows:
            got = onnx_cross_check(c, m)
            if got:
                note = " [onnx 1.12 shape inference agrees]"
        c.how += note
        data = m.SerializeToString(deterministic=True)
        with open(os.path.join(OUT_DIR, c.file), "wb") as fh:
            fh.write(data)
        rows.append(c.row())
        print(f"{c.file:55s} {len(data):6d} B  {rows[-1]['outputs']}  macs={c.macs} params={rows[-1]['params']}")
    with open(os.path.join(OUT_DIR, "expected.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in sorted(rows, key=lambda r: r["file"]):
            w.writerow(r)


if __name__ == "__main__":
    main()
