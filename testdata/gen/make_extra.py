#!/usr/bin/python3
"""Build small hand-made ONNX fixtures for what the torchvision exports do not
cover, plus their independently computed expected figures.

Run from anywhere:

    /usr/bin/python3 testdata/gen/make_extra.py

Writes testdata/extra/*.onnx (+ lenet5_extdata.bin) and
testdata/extra/expected.csv with columns
file,params,buffers,macs,weight_bytes_by_dtype,outputs,how.

Nothing here reads a generated ONNX file back (and netscore is never run) to
obtain an expected number:

* params / weight_bytes_by_dtype come from the numpy arrays (or the PyTorch
  module) the fixture is built from, counting only the tensors that are real
  parameters (conv/gemm/matmul weights and biases, norm scales and shifts);
  scales, zero points, shapes, axes, pads, trip counts and scalars are not.
* macs come from running a mathematically equivalent PyTorch function under
  the aten-level MacCounter of export_torchvision.py (core convention:
  convolution out_elems x C_in/groups x prod(k), mm/addmm MxKxN, bmm BxMxKxN),
  and for control flow also from hand formulas (asserted equal).
* outputs (expected graph-output shapes) come from the operator specs
  (ONNX Operators.md, onnxruntime docs/ContribOperators.md) written out as
  formulas below; where a PyTorch equivalent exists its output shape is
  asserted equal to the formula.

See the "testdata/extra" section of testdata/gen/README.md.
"""
import csv
import math
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import onnx
from onnx import TensorProto, helper, numpy_helper

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "testdata", "extra")
sys.path.insert(0, HERE)
from export_torchvision import MacCounter, randomize_  # noqa: E402  (aten-level MAC counter)

COLUMNS = ["file", "params", "buffers", "macs", "weight_bytes_by_dtype", "outputs", "how"]
ROWS = []

F32, F16, I8, U8, I32, I64, BOOL = (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.INT8,
                                    TensorProto.UINT8, TensorProto.INT32, TensorProto.INT64,
                                    TensorProto.BOOL)
MS = "com.microsoft"
# IR version required by the highest default-domain opset of each fixture
IR_FOR_OPSET = {13: 7, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def torch_macs(fn, *args):
    """Run fn(*args) under the aten MacCounter; return (macs, result)."""
    c = MacCounter()
    with torch.enable_grad(), c:
        res = fn(*args)
    assert not c.unhandled, c.unhandled
    macs = c.macs
    c.keep.clear()
    return macs, res


def shape_str(dims):
    return "scalar" if len(dims) == 0 else "x".join(str(int(d)) for d in dims)


def outputs_str(pairs):
    return ";".join(f"{n}:{shape_str(d)}" for n, d in pairs)


def wbytes(arrays):
    acc = {}
    for a in arrays:
        acc[a.dtype.name] = acc.get(a.dtype.name, 0) + a.size * a.dtype.itemsize
    return ";".join(f"{k}:{acc[k]}" for k in sorted(acc))


class Init:
    """Collects initializers; remembers which of them are real parameters."""

    def __init__(self):
        self.tensors = []
        self.params = []

    def add(self, name, arr, param):
        arr = np.asarray(arr)
        self.tensors.append(numpy_helper.from_array(arr, name))
        if param:
            assert arr.size > 1
            self.params.append(arr)
        return name


def vi(name, elem, dims=None):
    """dims: list of ints, or an int = rank only (every dim unknown: graph outputs are
    declared this way so that a consumer has to infer their sizes)."""
    if isinstance(dims, int):
        dims = [None] * dims
    return helper.make_tensor_value_info(name, elem, dims)


def build(nodes, name, inputs, outputs, init, opset, ms=False, extra_opsets=()):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=init.tensors)
    ops = [helper.make_opsetid("", opset)]
    if ms:
        ops.append(helper.make_opsetid(MS, 1))
    ops += [helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(g, opset_imports=ops, producer_name="netscore-testdata-make_extra")
    m.ir_version = IR_FOR_OPSET[opset]
    return m


def check(m, expect, loose=False):
    """Consistency check with onnx 1.12 (only for default-domain opset <= 17):
    checker + strict shape inference must agree with the spec-derived shapes.
    loose: onnx 1.12 leaves Loop-carried / Scan outputs with unknown dims (0 here);
    then only the rank and the dims it does know are compared."""
    onnx.checker.check_model(m)
    inf = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    got = {o.name: [d.dim_value for d in o.type.tensor_type.shape.dim] for o in inf.graph.output}
    vinfo = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in inf.graph.value_info}
    for n, d in expect:
        have = got.get(n) or vinfo.get(n)
        if loose and have is not None and len(have) == len(d):
            have = [h if h else int(e) for h, e in zip(have, d)]
        assert have and list(have) == list(d), (n, have, d)


def emit(fname, model, params, macs, outputs, how, wb=None, buffers=0):
    path = os.path.join(OUT, fname)
    onnx.save_model(model, path)
    ROWS.append({
        "file": fname,
        "params": sum(a.size for a in params) if not isinstance(params, int) else params,
        "buffers": buffers,
        "macs": "" if macs is None else macs,
        "weight_bytes_by_dtype": wb if wb is not None else wbytes(params),
        "outputs": outputs_str(outputs),
        "how": how,
    })
    print(f"{fname:42s} params={ROWS[-1]['params']} macs={ROWS[-1]['macs']} "
          f"wb={ROWS[-1]['weight_bytes_by_dtype']} out={ROWS[-1]['outputs']}", flush=True)


def conv_out(n, k, s=1, p0=0, p1=0, d=1):
    """ONNX Conv/Pool output length (floor mode)."""
    return (n + p0 + p1 - d * (k - 1) - 1) // s + 1


def rnd(rng, shape, scale=0.1, dtype=np.float32):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def qint8(rng, shape):
    v = rng.integers(-127, 128, size=shape, dtype=np.int64).astype(np.int8)
    v.flat[0] = 1  # never all-equal
    return v


def qint32(rng, shape):
    return rng.integers(-20000, 20000, size=shape, dtype=np.int64).astype(np.int32)


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a).astype(np.float32))


# --------------------------------------------------------------------------
# 1. onnxruntime com.microsoft contrib ops (+ default-domain integer ops)
# --------------------------------------------------------------------------
def ms_fusedconv():
    rng = np.random.default_rng(101)
    I = Init()
    w1, b1 = rnd(rng, (8, 3, 3, 3)), rnd(rng, (8,))
    w2, b2 = rnd(rng, (16, 8, 3, 3)), rnd(rng, (16,))
    I.add("W1", w1, True), I.add("B1", b1, True), I.add("W2", w2, True), I.add("B2", b2, True)
    nodes = [
        helper.make_node("FusedConv", ["X", "W1", "B1"], ["Y1"], domain=MS, activation="Relu",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1], dilations=[1, 1], group=1),
        helper.make_node("FusedConv", ["Y1", "W2", "B2"], ["Y"], domain=MS, activation="Sigmoid",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2], dilations=[1, 1], group=1),
    ]
    m = build(nodes, "fusedconv", [vi("X", F32, [1, 3, 16, 16])], [vi("Y", F32, 4)], I, 17, ms=True)
    x = torch.randn(1, 3, 16, 16)
    macs, y = torch_macs(lambda x: torch.sigmoid(F.conv2d(torch.relu(F.conv2d(x, t(w1), t(b1), padding=1)),
                                                             t(w2), t(b2), stride=2, padding=1)), x)
    out = [("Y", [1, 16, conv_out(16, 3, 2, 1, 1), conv_out(16, 3, 2, 1, 1)])]
    assert list(y.shape) == out[0][1]
    emit("ms_fusedconv.onnx", m, I.params, macs, out,
         "aten counter on F.conv2d+relu / F.conv2d(stride 2)+sigmoid; shape = Conv formula (FusedConv schema = Conv + activation)")


def ms_fusedmatmul():
    rng = np.random.default_rng(102)
    I = Init()
    b1, b2 = rnd(rng, (2, 16, 32)), rnd(rng, (16, 24))
    I.add("B1", b1, True), I.add("B2", b2, True)
    nodes = [
        helper.make_node("FusedMatMul", ["A", "B1"], ["Y1"], domain=MS, alpha=0.125, transA=1, transB=1),
        helper.make_node("FusedMatMul", ["Y1", "B2"], ["Y"], domain=MS, alpha=1.0, transA=0, transB=0),
    ]
    m = build(nodes, "fusedmatmul", [vi("A", F32, [2, 32, 8])], [vi("Y", F32, 3)], I, 17, ms=True)
    a = torch.randn(2, 32, 8)
    macs, y = torch_macs(lambda a: torch.matmul(torch.matmul(a.transpose(-1, -2), t(b1).transpose(-1, -2)) * 0.125,
                                                t(b2)), a)
    out = [("Y", [2, 8, 24])]
    assert list(y.shape) == out[0][1]
    emit("ms_fusedmatmul.onnx", m, I.params, macs, out,
         "aten counter on matmul(A^T(2x8x32), B1^T(2x32x16))*alpha then matmul(., B2 16x24): bmm 8192 + mm 6144")


def _attention_ref(x, w, b, heads, past=None):
    B, S, _ = x.shape
    qkv = torch.matmul(x, w) + b
    H = w.shape[1] // 3
    hd = H // heads
    q, k, v = qkv.split(H, dim=-1)
    sh = lambda z: z.reshape(B, -1, heads, hd).transpose(1, 2)  # noqa: E731
    q, k, v = sh(q), sh(k), sh(v)
    if past is not None:
        k = torch.cat([past[0], k], dim=2)
        v = torch.cat([past[1], v], dim=2)
    att = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd), dim=-1)
    o = torch.matmul(att, v).transpose(1, 2).reshape(B, S, H)
    return o, torch.stack([k, v])


def ms_attention(with_past):
    rng = np.random.default_rng(103)
    I = Init()
    w, b = rnd(rng, (64, 192)), rnd(rng, (192,))
    I.add("weights", w, True), I.add("bias", b, True)
    B, S, heads, hd, P = 2, 8, 4, 16, 4
    ins = [vi("input", F32, [B, S, 64])]
    outs = [vi("output", F32, 3)]
    node_in = ["input", "weights", "bias"]
    node_out = ["output"]
    if with_past:
        ins.append(vi("past", F32, [2, B, heads, P, hd]))
        outs.append(vi("present", F32, 5))
        node_in += ["", "past"]  # mask_index omitted
        node_out.append("present")
    nodes = [helper.make_node("Attention", node_in, node_out, domain=MS, num_heads=heads)]
    m = build(nodes, "attention", ins, outs, I, 17, ms=True)
    x = torch.randn(B, S, 64)
    past = torch.randn(2, B, heads, P, hd) if with_past else None
    macs, (o, pres) = torch_macs(lambda x: _attention_ref(x, t(w), t(b), heads, past), x)
    # spec: output (B, S, v_hidden); present (2, B, heads, past_len + S, head_size)
    out = [("output", [B, S, 64])]
    if with_past:
        out.append(("present", [2, B, heads, P + S, hd]))
        assert list(pres.shape) == out[1][1]
    assert list(o.shape) == out[0][1]
    total = P + S if with_past else S
    formula = B * S * 64 * 192 + B * S * total * 64 + B * S * total * 64
    assert macs == formula, (macs, formula)
    emit(f"ms_attention{'_past' if with_past else ''}.onnx", m, I.params, macs, out,
         "aten counter on x@W+b, split q/k/v, 4 heads, q@k^T, softmax@v"
         + (" with past k/v (len 4) concatenated: S_kv=12" if with_past else "")
         + "; equals B*S*64*192 + 2*B*S*S_kv*64; shapes from ContribOperators.md")


def ms_multiheadattention():
    rng = np.random.default_rng(104)
    I = Init()
    b = rnd(rng, (192,))
    I.add("bias", b, True)
    B, S, L, D, heads = 2, 8, 10, 64, 4
    nodes = [helper.make_node("MultiHeadAttention", ["query", "key", "value", "bias"], ["output"],
                              domain=MS, num_heads=heads)]
    m = build(nodes, "mha", [vi("query", F32, [B, S, D]), vi("key", F32, [B, L, D]), vi("value", F32, [B, L, D])],
              [vi("output", F32, 3)], I, 17, ms=True)

    def ref(q, k, v):
        bq, bk, bv = t(b).split(D)
        sh = lambda z: z.reshape(B, -1, heads, D // heads).transpose(1, 2)  # noqa: E731
        q, k, v = sh(q + bq), sh(k + bk), sh(v + bv)
        a = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / 4.0, -1)
        return torch.matmul(a, v).transpose(1, 2).reshape(B, S, D)

    macs, o = torch_macs(ref, torch.randn(B, S, D), torch.randn(B, L, D), torch.randn(B, L, D))
    out = [("output", [B, S, D])]
    assert list(o.shape) == out[0][1] and macs == B * S * L * D * 2
    emit("ms_multiheadattention.onnx", m, I.params, macs, out,
         "aten counter on per-head q@k^T and softmax@v (bias add only; no projections): B*S*L*D + B*S*L*Dv")


def ms_skiplayernorm():
    rng = np.random.default_rng(105)
    I = Init()
    g, be = (1 + rnd(rng, (64,))).astype(np.float32), rnd(rng, (64,))
    I.add("gamma", g, True), I.add("beta", be, True)
    nodes = [helper.make_node("SkipLayerNormalization", ["input", "skip", "gamma", "beta"], ["output"],
                              domain=MS, epsilon=1e-5)]
    m = build(nodes, "skipln", [vi("input", F32, [2, 8, 64]), vi("skip", F32, [2, 8, 64])],
              [vi("output", F32, 3)], I, 17, ms=True)
    macs, o = torch_macs(lambda a, s: F.layer_norm(a + s, (64,), t(g), t(be), 1e-5),
                         torch.randn(2, 8, 64), torch.randn(2, 8, 64))
    out = [("output", [2, 8, 64])]
    assert list(o.shape) == out[0][1]
    emit("ms_skiplayernorm.onnx", m, I.params, macs, out,
         "aten counter on layer_norm(input+skip, gamma, beta): 0 core MACs; params gamma+beta")


def ms_biasgelu():
    rng = np.random.default_rng(106)
    I = Init()
    b = rnd(rng, (128,))
    I.add("B", b, True)
    nodes = [helper.make_node("BiasGelu", ["A", "B"], ["C"], domain=MS)]
    m = build(nodes, "biasgelu", [vi("A", F32, [2, 8, 128])], [vi("C", F32, 3)], I, 17, ms=True)
    macs, o = torch_macs(lambda a: F.gelu(a + t(b)), torch.randn(2, 8, 128))
    out = [("C", [2, 8, 128])]
    assert list(o.shape) == out[0][1]
    emit("ms_biasgelu.onnx", m, I.params, macs, out, "aten counter on gelu(A+B): 0 core MACs; params = bias")


def ms_qgemm():
    rng = np.random.default_rng(107)
    I = Init()
    M, K, N = 4, 64, 32
    wq, bq = qint8(rng, (N, K)), qint32(rng, (N,))
    I.add("a_scale", np.array(0.02, np.float32), False)
    I.add("a_zero_point", np.array(128, np.uint8), False)
    I.add("B", wq, True)
    I.add("b_scale", (rng.random(N) * 0.01 + 0.001).astype(np.float32), False)
    I.add("b_zero_point", np.zeros(N, np.int8), False)
    I.add("C", bq, True)
    I.add("y_scale", np.array(0.05, np.float32), False)
    I.add("y_zero_point", np.array(128, np.uint8), False)
    nodes = [helper.make_node("QGemm", ["A", "a_scale", "a_zero_point", "B", "b_scale", "b_zero_point",
                                        "C", "y_scale", "y_zero_point"], ["Y"], domain=MS, transB=1, alpha=1.0)]
    m = build(nodes, "qgemm", [vi("A", U8, [M, K])], [vi("Y", U8, 2)], I, 17, ms=True)
    macs, y = torch_macs(lambda a: torch.addmm(t(bq), a, t(wq).t()), torch.randn(M, K))
    out = [("Y", [M, N])]
    assert list(y.shape) == out[0][1]
    emit("ms_qgemm.onnx", m, I.params, macs, out,
         "aten counter on float addmm with the same shapes (A 4x64, B^T 64x32); params = int8 B + int32 C")


def qlinearmatmul():
    rng = np.random.default_rng(108)
    I = Init()
    wq = qint8(rng, (64, 32))
    I.add("a_scale", np.array(0.02, np.float32), False)
    I.add("a_zero_point", np.array(128, np.uint8), False)
    I.add("b", wq, True)
    I.add("b_scale", (rng.random(32) * 0.01 + 0.001).astype(np.float32), False)
    I.add("b_zero_point", np.zeros(32, np.int8), False)
    I.add("y_scale", np.array(0.05, np.float32), False)
    I.add("y_zero_point", np.array(128, np.uint8), False)
    nodes = [helper.make_node("QLinearMatMul", ["a", "a_scale", "a_zero_point", "b", "b_scale", "b_zero_point",
                                                "y_scale", "y_zero_point"], ["y"])]
    m = build(nodes, "qlinearmatmul", [vi("a", U8, [2, 8, 64])], [vi("y", U8, 3)], I, 17)
    out = [("y", [2, 8, 32])]
    check(m, out)
    macs, y = torch_macs(lambda a: torch.matmul(a, t(wq)), torch.randn(2, 8, 64))
    assert list(y.shape) == out[0][1]
    emit("qlinearmatmul.onnx", m, I.params, macs, out,
         "aten counter on float matmul 2x8x64 @ 64x32; params = int8 b (scales/zero points excluded)")


def matmulinteger():
    rng = np.random.default_rng(109)
    I = Init()
    wq = qint8(rng, (64, 16))
    I.add("B", wq, True)
    I.add("a_zero_point", np.array(128, np.uint8), False)
    I.add("b_zero_point", np.zeros(16, np.int8), False)
    nodes = [helper.make_node("MatMulInteger", ["A", "B", "a_zero_point", "b_zero_point"], ["Y"])]
    m = build(nodes, "matmulinteger", [vi("A", U8, [4, 64])], [vi("Y", I32, 2)], I, 17)
    out = [("Y", [4, 16])]
    check(m, out)
    macs, y = torch_macs(lambda a: torch.matmul(a, t(wq)), torch.randn(4, 64))
    assert list(y.shape) == out[0][1]
    emit("matmulinteger.onnx", m, I.params, macs, out, "aten counter on float mm 4x64 @ 64x16; params = int8 B")


def convinteger():
    rng = np.random.default_rng(110)
    I = Init()
    wq = qint8(rng, (8, 4, 3, 3))
    I.add("w", wq, True)
    I.add("x_zero_point", np.array(128, np.uint8), False)
    I.add("w_zero_point", np.zeros(8, np.int8), False)
    nodes = [helper.make_node("ConvInteger", ["x", "w", "x_zero_point", "w_zero_point"], ["y"], kernel_shape=[3, 3])]
    m = build(nodes, "convinteger", [vi("x", U8, [1, 4, 10, 10])], [vi("y", I32, 4)], I, 17)
    out = [("y", [1, 8, 8, 8])]
    check(m, out)
    macs, y = torch_macs(lambda x: F.conv2d(x, t(wq)), torch.randn(1, 4, 10, 10))
    assert list(y.shape) == out[0][1]
    emit("convinteger.onnx", m, I.params, macs, out,
         "aten counter on float conv2d 1x4x10x10 * 8x4x3x3 (no pad); params = int8 w")


# --------------------------------------------------------------------------
# 2. fp16 / QDQ int8 / QLinearConv int8 weight storage
# --------------------------------------------------------------------------
class SmallConvNet(nn.Module):
    """1x3x32x32 -> 1x10: 3 convs + Linear (the fp16 fixtures)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.c3 = nn.Conv2d(32, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.relu(self.c2(x))
        x = F.relu(self.c3(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def fp16_models():
    torch.manual_seed(0)
    net = SmallConvNet().eval()
    randomize_(net, 201)
    params = sum(p.numel() for p in net.parameters())
    macs, y = torch_macs(net, torch.randn(1, 3, 32, 32))
    assert list(y.shape) == [1, 10]
    sd = {k: v.detach().numpy().astype(np.float16) for k, v in net.state_dict().items()}
    assert sum(a.size for a in sd.values()) == params
    convs = [("c1", 1), ("c2", 2), ("c3", 2)]

    for variant in ("fp16_convnet", "fp16_castweights"):
        I = Init()
        for k, a in sd.items():
            I.add(k, a, True)
        nodes = []
        if variant == "fp16_convnet":
            # every tensor fp16 (keep_io_types style: Cast at the graph input and output only)
            nodes.append(helper.make_node("Cast", ["input"], ["x0"], to=F16))
            wname = lambda k: k  # noqa: E731
        else:
            # fp16 storage, fp32 compute: each initializer goes through Cast(to=FLOAT)
            for k in sd:
                nodes.append(helper.make_node("Cast", [k], [k + "_f32"], to=F32))
            nodes.append(helper.make_node("Identity", ["input"], ["x0"]))
            wname = lambda k: k + "_f32"  # noqa: E731
        cur = "x0"
        for i, (c, s) in enumerate(convs, 1):
            nodes.append(helper.make_node("Conv", [cur, wname(c + ".weight"), wname(c + ".bias")], [f"conv{i}"],
                                          kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[s, s]))
            nodes.append(helper.make_node("Relu", [f"conv{i}"], [f"relu{i}"]))
            cur = f"relu{i}"
        nodes += [helper.make_node("GlobalAveragePool", [cur], ["gap"]),
                  helper.make_node("Flatten", ["gap"], ["flat"], axis=1),
                  helper.make_node("Gemm", ["flat", wname("fc.weight"), wname("fc.bias")], ["logits"], transB=1)]
        if variant == "fp16_convnet":
            nodes.append(helper.make_node("Cast", ["logits"], ["output"], to=F32))
        else:
            nodes.append(helper.make_node("Identity", ["logits"], ["output"]))
        m = build(nodes, variant, [vi("input", F32, [1, 3, 32, 32])], [vi("output", F32, [1, 10])], I, 13)
        out = [("output", [1, 10])]
        check(m, out)
        emit(variant + ".onnx", m, I.params, macs, out,
             "params = sum(p.numel()) of the PyTorch SmallConvNet whose weights are stored as float16 "
             + ("(all compute fp16; Cast only at graph input/output)" if variant == "fp16_convnet"
                else "(each initializer read through Cast to float)")
             + "; MACs = aten counter on the float32 module")


def qdq_int8():
    rng = np.random.default_rng(202)
    I = Init()
    s_in = 0.03
    layers = [("conv1", (16, 3, 3, 3), 1), ("conv2", (32, 16, 3, 3), 2), ("fc", (10, 32), None)]
    nodes = [helper.make_node("QuantizeLinear", ["input", "act_scale", "act_zp"], ["input_q"]),
             helper.make_node("DequantizeLinear", ["input_q", "act_scale", "act_zp"], ["input_dq"])]
    I.add("act_scale", np.array(s_in, np.float32), False)
    I.add("act_zp", np.array(0, np.int8), False)
    float_w = {}
    cur = "input_dq"
    for name, shape, stride in layers:
        cout = shape[0]
        wq = qint8(rng, shape)
        ws = (rng.random(cout) * 0.01 + 0.002).astype(np.float32)
        bq = qint32(rng, (cout,))
        bs = (ws * s_in).astype(np.float32)
        I.add(name + ".weight_q", wq, True)
        I.add(name + ".weight_scale", ws, False)
        I.add(name + ".weight_zp", np.zeros(cout, np.int8), False)
        I.add(name + ".bias_q", bq, True)
        I.add(name + ".bias_scale", bs, False)
        I.add(name + ".bias_zp", np.zeros(cout, np.int32), False)
        nodes.append(helper.make_node("DequantizeLinear", [name + ".weight_q", name + ".weight_scale",
                                                           name + ".weight_zp"], [name + ".weight"], axis=0))
        nodes.append(helper.make_node("DequantizeLinear", [name + ".bias_q", name + ".bias_scale",
                                                           name + ".bias_zp"], [name + ".bias"], axis=0))
        float_w[name] = (wq.astype(np.float32) * ws.reshape((-1,) + (1,) * (len(shape) - 1)), bq * bs)
        if stride is not None:
            nodes.append(helper.make_node("Conv", [cur, name + ".weight", name + ".bias"], [name + "_out"],
                                          kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[stride, stride]))
            nodes.append(helper.make_node("Relu", [name + "_out"], [name + "_relu"]))
            nodes.append(helper.make_node("QuantizeLinear", [name + "_relu", "act_scale", "act_zp"], [name + "_q"]))
            nodes.append(helper.make_node("DequantizeLinear", [name + "_q", "act_scale", "act_zp"], [name + "_dq"]))
            cur = name + "_dq"
            if name == "conv2":
                nodes.append(helper.make_node("GlobalAveragePool", [cur], ["gap"]))
                nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], axis=1))
                cur = "flat"
        else:
            nodes.append(helper.make_node("Gemm", [cur, name + ".weight", name + ".bias"], ["output"], transB=1))
    m = build(nodes, "qdq_int8", [vi("input", F32, [1, 3, 32, 32])], [vi("output", F32, 2)], I, 13)
    out = [("output", [1, 10])]
    check(m, out)

    def ref(x):
        w1, b1 = (t(a) for a in float_w["conv1"])
        w2, b2 = (t(a) for a in float_w["conv2"])
        wf, bf = (t(a) for a in float_w["fc"])
        x = F.relu(F.conv2d(x, w1, b1, padding=1))
        x = F.relu(F.conv2d(x, w2, b2, stride=2, padding=1))
        return F.linear(F.adaptive_avg_pool2d(x, 1).flatten(1), wf, bf)

    macs, y = torch_macs(ref, torch.randn(1, 3, 32, 32))
    assert list(y.shape) == out[0][1]
    emit("qdq_int8_convnet.onnx", m, I.params, macs, out,
         "QDQ: int8 weights (per-channel scale axis 0) and int32 biases each read by DequantizeLinear; params = those "
         "int8+int32 tensors (scales/zero points excluded); MACs = aten counter on the dequantized float net")


def qlinearconv_int8():
    rng = np.random.default_rng(203)
    I = Init()
    I.add("x_scale", np.array(0.02, np.float32), False)
    I.add("x_zp", np.array(128, np.uint8), False)
    I.add("y1_scale", np.array(0.04, np.float32), False)
    I.add("y1_zp", np.array(128, np.uint8), False)
    I.add("y2_scale", np.array(0.05, np.float32), False)
    I.add("y2_zp", np.array(128, np.uint8), False)
    w1, b1 = qint8(rng, (16, 8, 3, 3)), qint32(rng, (16,))
    w2, b2 = qint8(rng, (16, 1, 3, 3)), qint32(rng, (16,))
    I.add("w1", w1, True)
    I.add("w1_scale", (rng.random(16) * 0.01 + 0.002).astype(np.float32), False)
    I.add("w1_zp", np.zeros(16, np.int8), False)
    I.add("b1", b1, True)
    I.add("w2", w2, True)
    I.add("w2_scale", (rng.random(16) * 0.01 + 0.002).astype(np.float32), False)
    I.add("w2_zp", np.zeros(16, np.int8), False)
    I.add("b2", b2, True)
    nodes = [
        helper.make_node("QuantizeLinear", ["input", "x_scale", "x_zp"], ["xq"]),
        # inputs: x x_scale x_zp w w_scale w_zp y_scale y_zp B(index 8)
        helper.make_node("QLinearConv", ["xq", "x_scale", "x_zp", "w1", "w1_scale", "w1_zp", "y1_scale", "y1_zp", "b1"],
                         ["y1q"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("QLinearConv", ["y1q", "y1_scale", "y1_zp", "w2", "w2_scale", "w2_zp", "y2_scale", "y2_zp", "b2"],
                         ["y2q"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2], group=16),
        helper.make_node("DequantizeLinear", ["y2q", "y2_scale", "y2_zp"], ["output"]),
    ]
    m = build(nodes, "qlinearconv", [vi("input", F32, [1, 8, 16, 16])], [vi("output", F32, 4)], I, 13)
    out = [("output", [1, 16, 8, 8])]
    check(m, out)
    macs, y = torch_macs(lambda x: F.conv2d(F.conv2d(x, t(w1), t(b1), padding=1), t(w2), t(b2), stride=2, padding=1,
                                            groups=16), torch.randn(1, 8, 16, 16))
    assert list(y.shape) == out[0][1]
    emit("qlinearconv_int8.onnx", m, I.params, macs, out,
         "QLinearConv x2 (3x3 8->16, then depthwise group=16 stride 2) with int8 w and int32 bias at input 8; "
         "MACs = aten counter on the float conv2d equivalents; params = int8 w + int32 B")


# --------------------------------------------------------------------------
# 3. newer opsets (onnx 1.12 knows only up to 17: no checker, no inference)
# --------------------------------------------------------------------------
def i64(v):
    return np.array(v, dtype=np.int64)


def op18_reduce():
    I = Init()
    I.add("axes_hw", i64([2, 3]), False)
    I.add("axes_c", i64([-3]), False)
    nodes = [helper.make_node("ReduceMean", ["X", "axes_hw"], ["mean_hw"], keepdims=1),
             helper.make_node("ReduceMax", ["X", "axes_c"], ["max_c"], keepdims=0),
             helper.make_node("ReduceMean", ["X"], ["mean_all"], keepdims=1)]  # no axes: reduce all
    m = build(nodes, "reduce18", [vi("X", F32, [2, 3, 8, 8])],
              [vi("mean_hw", F32, 4), vi("max_c", F32, 3), vi("mean_all", F32, 4)], I, 18)
    x = np.zeros((2, 3, 8, 8), np.float32)
    out = [("mean_hw", x.mean(axis=(2, 3), keepdims=True).shape), ("max_c", x.max(axis=-3).shape),
           ("mean_all", x.mean(axis=None, keepdims=True).shape)]
    emit("op18_reduce_axes_input.onnx", m, [], 0, out,
         "opset 18 axes as input (int64 initializer); shapes by numpy mean/max with the same axes/keepdims; "
         "no axes + noop_with_empty_axes=0 reduces all")


def op18_split():
    nodes = [helper.make_node("Split", ["X"], ["s0", "s1", "s2"], axis=1, num_outputs=3),
             helper.make_node("Split", ["X"], ["t0", "t1"], axis=-1, num_outputs=2)]
    m = build(nodes, "split18", [vi("X", F32, [1, 10, 4, 4])],
              [vi(n, F32, 4) for n in ("s0", "s1", "s2", "t0", "t1")], Init(), 18)

    def split_sizes(n, k):  # Split-18: chunks of ceil(n/k), the last one smaller
        c = -(-n // k)
        return [min(c, n - i * c) for i in range(k)]

    a = split_sizes(10, 3)
    b = split_sizes(4, 2)
    assert a == [4, 4, 2] and b == [2, 2]
    out = [(f"s{i}", [1, a[i], 4, 4]) for i in range(3)] + [(f"t{i}", [1, 10, 4, b[i]]) for i in range(2)]
    emit("op18_split_num_outputs.onnx", m, [], 0, out,
         "Split-18 num_outputs: chunk = ceil(dim/num_outputs), last chunk smaller (10/3 -> 4,4,2)")


def op18_pad():
    I = Init()
    I.add("pads_hw", i64([1, 0, 2, 3]), False)   # [H_begin, W_begin, H_end, W_end] for axes [2,3]
    I.add("axes_hw", i64([2, 3]), False)
    I.add("pads_w", i64([2, 2]), False)
    I.add("axes_w", i64([-1]), False)
    I.add("cval", np.array(0.0, np.float32), False)
    nodes = [helper.make_node("Pad", ["X", "pads_hw", "cval", "axes_hw"], ["y1"], mode="constant"),
             helper.make_node("Pad", ["X", "pads_w", "", "axes_w"], ["y2"], mode="reflect")]
    m = build(nodes, "pad18", [vi("X", F32, [1, 3, 8, 8])], [vi("y1", F32, 4), vi("y2", F32, 4)], I, 18)
    x = np.zeros((1, 3, 8, 8), np.float32)
    y1 = np.pad(x, [(0, 0), (0, 0), (1, 2), (0, 3)])
    y2 = np.pad(x, [(0, 0), (0, 0), (0, 0), (2, 2)], mode="reflect")
    out = [("y1", y1.shape), ("y2", y2.shape)]
    emit("op18_pad_axes.onnx", m, [], 0, out,
         "Pad-18 axes input: pads = [begins..., ends...] for the listed axes only; shapes by np.pad")


def op18_resize():
    I = Init()
    I.add("sizes_hw", i64([60, 60]), False)
    I.add("scales_w", np.array([1.5], np.float32), False)
    nodes = [
        helper.make_node("Resize", ["X", "", "", "sizes_hw"], ["r_not_larger"], mode="linear",
                         axes=[2, 3], keep_aspect_ratio_policy="not_larger"),
        helper.make_node("Resize", ["X", "", "", "sizes_hw"], ["r_not_smaller"], mode="nearest",
                         axes=[2, 3], keep_aspect_ratio_policy="not_smaller"),
        helper.make_node("Resize", ["X", "", "scales_w"], ["r_scales_axes"], mode="linear", axes=[-1]),
    ]
    m = build(nodes, "resize18", [vi("X", F32, [1, 3, 20, 30])],
              [vi("r_not_larger", F32, 4), vi("r_not_smaller", F32, 4), vi("r_scales_axes", F32, 4)], I, 18)
    ins = np.array([1, 3, 20, 30])
    sizes = np.array([60, 60])
    ax = [2, 3]

    def policy(f):
        sc = f(sizes / ins[ax])
        o = ins.copy()
        o[ax] = np.round(sc * ins[ax]).astype(int)  # exact here: scale 2 / 3
        return o

    o3 = ins.copy()
    o3[3] = int(np.floor(ins[3] * 1.5))  # scales: floor(in * scale) on the listed axis
    out = [("r_not_larger", policy(np.min)), ("r_not_smaller", policy(np.max)), ("r_scales_axes", o3)]
    assert list(out[0][1]) == [1, 3, 40, 60] and list(out[1][1]) == [1, 3, 60, 90]
    emit("op18_resize_axes_policy.onnx", m, [], 0, out,
         "Resize-18 spec: not_larger scale=min(sizes/in) not_smaller scale=max; out=round(scale*in) on axes [2,3]; "
         "scales+axes [-1]: floor(30*1.5)")


def op18_centercroppad():
    I = Init()
    I.add("shape_hw", i64([10, 16]), False)
    I.add("shape_all", i64([4, 20, 8]), False)
    nodes = [helper.make_node("CenterCropPad", ["X", "shape_hw"], ["y_axes"], axes=[1, 2]),
             helper.make_node("CenterCropPad", ["X", "shape_all"], ["y_all"])]
    m = build(nodes, "ccp18", [vi("X", F32, [3, 20, 10])], [vi("y_axes", F32, 3), vi("y_all", F32, 3)], I, 18)
    out = [("y_axes", [3, 10, 16]), ("y_all", [4, 20, 8])]
    emit("op18_centercroppad.onnx", m, [], 0, out,
         "CenterCropPad-18: output dim axes[i] = shape[i] (crop 20->10 and pad 10->16), other dims unchanged")


def groupnorm(opset):
    rng = np.random.default_rng(300 + opset)
    I = Init()
    C, G = 16, 4
    n = G if opset == 18 else C  # GroupNormalization-18: scale/bias (num_groups); -21: (C)
    s, b = (1 + rnd(rng, (n,))).astype(np.float32), rnd(rng, (n,))
    I.add("scale", s, True), I.add("bias", b, True)
    nodes = [helper.make_node("GroupNormalization", ["X", "scale", "bias"], ["Y"], num_groups=G, epsilon=1e-5)]
    m = build(nodes, f"groupnorm{opset}", [vi("X", F32, [2, C, 8, 8])], [vi("Y", F32, 4)], I, opset)
    if opset == 21:
        macs, y = torch_macs(lambda x: F.group_norm(x, G, t(s), t(b)), torch.randn(2, C, 8, 8))
        assert list(y.shape) == [2, C, 8, 8]
    else:
        macs = 0
    out = [("Y", [2, C, 8, 8])]
    emit(f"op{opset}_groupnorm.onnx", m, I.params, macs, out,
         f"GroupNormalization-{opset} num_groups=4: scale/bias shape ({'num_groups' if opset == 18 else 'C'}) "
         "are params; output = input shape; 0 core MACs" + (" (aten counter on F.group_norm)" if opset == 21 else ""))


def op18_col2im():
    I = Init()
    I.add("image_shape", i64([5, 5]), False)
    I.add("block_shape", i64([2, 2]), False)
    nodes = [helper.make_node("Col2Im", ["X", "image_shape", "block_shape"], ["Y"])]
    m = build(nodes, "col2im18", [vi("X", F32, [1, 12, 16])], [vi("Y", F32, 4)], I, 18)
    L = conv_out(5, 2) * conv_out(5, 2)
    assert L == 16
    out = [("Y", [1, 12 // 4, 5, 5])]
    emit("op18_col2im.onnx", m, [], 0, out,
         "Col2Im-18: (N, C*prod(block), L) -> (N, C, *image_shape), L = prod((5-2)/1+1) = 16; data movement, 0 MACs")


def op19_pad_pool_conv():
    rng = np.random.default_rng(319)
    I = Init()
    w, b = rnd(rng, (8, 4, 3, 3)), rnd(rng, (8,))
    I.add("pads", i64([0, 0, 2, 2, 0, 0, 2, 2]), False)
    I.add("W", w, True), I.add("B", b, True)
    nodes = [helper.make_node("Pad", ["X", "pads"], ["xp"], mode="wrap"),
             helper.make_node("AveragePool", ["xp"], ["pool"], kernel_shape=[3, 3], dilations=[2, 2], strides=[1, 1]),
             helper.make_node("Conv", ["pool", "W", "B"], ["Y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    m = build(nodes, "op19", [vi("X", F32, [1, 4, 16, 16])], [vi("Y", F32, 4)], I, 19)
    hp = 16 + 2 + 2                                     # wrap pad: same size rule as constant
    hpool = conv_out(hp, 3, 1, 0, 0, 2)                 # AveragePool-19 dilations: (20-2*2-1)/1+1 = 16
    assert np.pad(np.zeros((16, 16)), 2, mode="wrap").shape == (hp, hp) and hpool == 16
    macs, y = torch_macs(lambda x: F.conv2d(x, t(w), t(b), padding=1), torch.randn(1, 4, hpool, hpool))
    out = [("Y", list(y.shape))]
    emit("op19_pad_wrap_avgpool_dilations.onnx", m, I.params, macs, out,
         "Pad-19 mode=wrap (np.pad wrap) -> AveragePool-19 dilations 2: floor((20-2*(3-1)-1)/1)+1=16 -> Conv; "
         "MACs = aten counter on the conv at 1x4x16x16")


def op20_gelu_gridsample():
    I = Init()
    I.add("size", i64([1, 4, 6, 10]), False)
    nodes = [helper.make_node("Gelu", ["X"], ["g"], approximate="tanh"),
             helper.make_node("AffineGrid", ["theta", "size"], ["grid"], align_corners=0),
             helper.make_node("GridSample", ["g", "grid"], ["Y"], mode="linear", padding_mode="zeros",
                              align_corners=0)]
    m = build(nodes, "op20", [vi("X", F32, [1, 4, 8, 8]), vi("theta", F32, [1, 2, 3])],
              [vi("grid", F32, 4), vi("Y", F32, 4)], I, 20)
    out = [("grid", [1, 6, 10, 2]), ("Y", [1, 4, 6, 10])]
    _, (gr, y) = torch_macs(lambda x, th: (lambda gr: (gr, F.grid_sample(F.gelu(x, approximate="tanh"), gr,
                                                                            align_corners=False)))(
        F.affine_grid(th, [1, 4, 6, 10], align_corners=False)), torch.randn(1, 4, 8, 8), torch.randn(1, 2, 3))
    assert list(gr.shape) == out[0][1] and list(y.shape) == out[1][1]
    # macs left empty: docs/counting.md has no rule for AffineGrid, which is a batched product
    # theta (N,2,3) x base grid (N,H*W,3) = N*H*W*3*2 = 180 multiply-adds if counted like MatMul;
    # Gelu and GridSample are 0 core MACs.
    emit("op20_gelu_affinegrid_gridsample.onnx", m, [], None, out,
         "Gelu-20 approximate=tanh, AffineGrid-20 (N,H,W,2) from size input, GridSample-20 mode=linear; "
         "shapes asserted with F.affine_grid/F.grid_sample; macs empty: AffineGrid has no counting.md rule "
         "(1*6*10*3*2=180 if counted as a matmul; Gelu/GridSample 0)")


def op21_dq_blocked():
    rng = np.random.default_rng(321)
    I = Init()
    K, N, blk = 64, 32, 16
    wq = qint8(rng, (K, N))
    I.add("W_q", wq, True)
    I.add("W_scale", (rng.random((K // blk, N)) * 0.01 + 0.002).astype(np.float32), False)
    I.add("W_zp", np.zeros((K // blk, N), np.int8), False)
    nodes = [helper.make_node("DequantizeLinear", ["W_q", "W_scale", "W_zp"], ["W"], axis=0, block_size=blk),
             helper.make_node("MatMul", ["X", "W"], ["Y"])]
    m = build(nodes, "op21_blocked", [vi("X", F32, [2, K])], [vi("Y", F32, 2)], I, 21)
    macs, y = torch_macs(lambda x: torch.matmul(x, t(wq)), torch.randn(2, K))
    out = [("Y", list(y.shape))]
    emit("op21_dq_blocked_matmul.onnx", m, I.params, macs, out,
         "DequantizeLinear-21 blocked (axis 0, block_size 16, scale/zp 4x32) feeding MatMul; params = int8 W only; "
         "MACs = aten counter on float mm 2x64 @ 64x32")


# --------------------------------------------------------------------------
# 4. inline weights and external data (.bin present)
# --------------------------------------------------------------------------
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def lenet5():
    import io
    import copy
    torch.manual_seed(0)
    net = LeNet5().eval()
    randomize_(net, 401)
    x = torch.randn(1, 1, 32, 32)
    params = sum(p.numel() for p in net.parameters())
    arrays = [p.detach().numpy() for p in net.parameters()]
    macs, y = torch_macs(net, x)
    f = io.BytesIO()
    with torch.enable_grad():
        torch.onnx.export(net, x, f, opset_version=13, input_names=["input"], output_names=["output"])
    m = onnx.load_from_string(f.getvalue())
    onnx.checker.check_model(m)
    out = [("output", list(y.shape))]
    emit("lenet5.onnx", m, arrays, macs, out,
         "torch.onnx.export of LeNet-5 (1x1x32x32) with all weights inline; params = sum(p.numel()); "
         "MACs = aten counter")
    assert ROWS[-1]["params"] == params
    ext = copy.deepcopy(m)
    data = os.path.join(OUT, "lenet5_extdata.bin")
    if os.path.exists(data):
        os.remove(data)  # onnx appends to an existing data file
    onnx.save_model(ext, os.path.join(OUT, "lenet5_extdata.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="lenet5_extdata.bin", size_threshold=0)
    ROWS.append(dict(ROWS[-1], file="lenet5_extdata.onnx",
                     how="same model as lenet5.onnx saved with every initializer in external file "
                         "lenet5_extdata.bin (present, same folder); figures from the PyTorch module"))
    print(f"{'lenet5_extdata.onnx':42s} (+ lenet5_extdata.bin {os.path.getsize(data)} bytes)")


# --------------------------------------------------------------------------
# 5. control flow
# --------------------------------------------------------------------------
def loop_matmul():
    rng = np.random.default_rng(501)
    I = Init()
    T, D = 5, 32
    w = rnd(rng, (D, D), 0.2)
    I.add("W", w, True)
    I.add("trip_count", np.array(T, np.int64), False)
    I.add("cond", np.array(True), False)
    body = helper.make_graph(
        [helper.make_node("MatMul", ["h_in", "W"], ["mm"]),
         helper.make_node("Tanh", ["mm"], ["h_out"]),
         helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Identity", ["h_out"], ["h_scan"])],
        "loop_body",
        [vi("iter", I64, []), vi("cond_in", BOOL, []), vi("h_in", F32, [1, D])],
        [vi("cond_out", BOOL, []), vi("h_out", F32, [1, D]), vi("h_scan", F32, [1, D])])
    nodes = [helper.make_node("Loop", ["trip_count", "cond", "h0"], ["h_final", "h_all"], body=body)]
    m = build(nodes, "loop", [vi("h0", F32, [1, D])], [vi("h_final", F32, 2), vi("h_all", F32, 3)], I, 13)
    out = [("h_final", [1, D]), ("h_all", [T, 1, D])]
    check(m, out, loose=True)

    def ref(h):
        hs = []
        for _ in range(T):
            h = torch.tanh(torch.matmul(h, t(w)))
            hs.append(h)
        return h, torch.stack(hs)

    macs, (h, hs) = torch_macs(ref, torch.randn(1, D))
    assert macs == T * 1 * D * D and list(hs.shape) == out[1][1]
    emit("loop_matmul.onnx", m, I.params, macs, out,
         "Loop with constant trip count 5 (int64 initializer), body h=tanh(h@W): 5 x (1x32x32) = 5120; "
         "equals aten counter on the unrolled loop; scan output 5x1x32")


def if_const():
    rng = np.random.default_rng(502)
    I = Init()
    wa, wb, wc = rnd(rng, (64, 16)), rnd(rng, (64, 256)), rnd(rng, (256, 16))
    I.add("Wa", wa, True), I.add("Wb", wb, True), I.add("Wc", wc, True)
    then_g = helper.make_graph([helper.make_node("MatMul", ["X", "Wa"], ["y_then"])], "then_branch", [],
                               [vi("y_then", F32, [1, 16])])
    else_g = helper.make_graph([helper.make_node("MatMul", ["X", "Wb"], ["h"]),
                                helper.make_node("Relu", ["h"], ["hr"]),
                                helper.make_node("MatMul", ["hr", "Wc"], ["y_else"])], "else_branch", [],
                               [vi("y_else", F32, [1, 16])])
    nodes = [helper.make_node("Constant", [], ["c"], value=helper.make_tensor("c_val", BOOL, [], [True])),
             helper.make_node("If", ["c"], ["Y"], then_branch=then_g, else_branch=else_g)]
    m = build(nodes, "if_const", [vi("X", F32, [1, 64])], [vi("Y", F32, 2)], I, 13)
    out = [("Y", [1, 16])]
    check(m, out)
    macs, y = torch_macs(lambda x: torch.matmul(x, t(wa)), torch.randn(1, 64))
    else_macs, _ = torch_macs(lambda x: torch.matmul(torch.relu(torch.matmul(x, t(wb))), t(wc)), torch.randn(1, 64))
    assert macs == 64 * 16 and else_macs == 64 * 256 + 256 * 16
    emit("if_const_branches.onnx", m, I.params, macs, out,
         "If on a Constant true: then branch X@Wa = 1x64x16 = 1024 counts (else branch 64*256+256*16 = 20480 "
         "does not); params = Wa+Wb+Wc (all stored and read as data)")


def scan_matmul():
    rng = np.random.default_rng(503)
    I = Init()
    T, Din, H = 6, 32, 16
    wx, wh = rnd(rng, (Din, H)), rnd(rng, (H, H))
    I.add("Wx", wx, True), I.add("Wh", wh, True)
    body = helper.make_graph(
        [helper.make_node("MatMul", ["x_t", "Wx"], ["a"]),
         helper.make_node("MatMul", ["h", "Wh"], ["b"]),
         helper.make_node("Add", ["a", "b"], ["s"]),
         helper.make_node("Tanh", ["s"], ["h_new"]),
         helper.make_node("Identity", ["h_new"], ["y_t"])],
        "scan_body",
        [vi("h", F32, [1, H]), vi("x_t", F32, [1, Din])],
        [vi("h_new", F32, [1, H]), vi("y_t", F32, [1, H])])
    nodes = [helper.make_node("Scan", ["h0", "xs"], ["h_final", "ys"], body=body, num_scan_inputs=1)]
    m = build(nodes, "scan", [vi("h0", F32, [1, H]), vi("xs", F32, [T, 1, Din])],
              [vi("h_final", F32, 2), vi("ys", F32, 3)], I, 13)
    out = [("h_final", [1, H]), ("ys", [T, 1, H])]
    check(m, out, loose=True)

    def ref(h, xs):
        ys = []
        for i in range(T):
            h = torch.tanh(torch.matmul(xs[i], t(wx)) + torch.matmul(h, t(wh)))
            ys.append(h)
        return h, torch.stack(ys)

    macs, (h, ys) = torch_macs(ref, torch.randn(1, H), torch.randn(T, 1, Din))
    assert macs == T * (Din * H + H * H) and list(ys.shape) == out[1][1]
    emit("scan_matmul.onnx", m, I.params, macs, out,
         "Scan over 6 steps, body h=tanh(x_t@Wx + h@Wh): 6 x (1x32x16 + 1x16x16) = 4608; "
         "equals aten counter on the unrolled loop")


def main():
    print(f"torch {torch.__version__} onnx {onnx.__version__} numpy {np.__version__}")
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    # 1
    ms_fusedconv()
    ms_fusedmatmul()
    ms_attention(False)
    ms_attention(True)
    ms_multiheadattention()
    ms_skiplayernorm()
    ms_biasgelu()
    ms_qgemm()
    qlinearmatmul()
    matmulinteger()
    convinteger()
    # 2
    fp16_models()
    qdq_int8()
    qlinearconv_int8()
    # 3
    op18_reduce()
    op18_split()
    op18_pad()
    op18_resize()
    op18_centercroppad()
    groupnorm(18)
    op18_col2im()
    op19_pad_pool_conv()
    op20_gelu_gridsample()
    groupnorm(21)
    op21_dq_blocked()
    # 4
    lenet5()
    # 5
    loop_matmul()
    if_const()
    scan_matmul()

    with open(os.path.join(OUT, "expected.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in ROWS:
            w.writerow(r)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"{len(ROWS)} rows, testdata/extra total {total} bytes")
    assert total < 2 * 1024 * 1024


if __name__ == "__main__":
    main()
