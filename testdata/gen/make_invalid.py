#!/usr/bin/python3
"""Small models that break the ONNX spec, and legal but unusual ones, with
onnx's own verdict on each.

Run from anywhere:

    /usr/bin/python3 testdata/gen/make_invalid.py

Writes testdata/invalid/<case>.onnx and testdata/invalid/verdicts.json. Each
case is one node (or an If around one) on a tiny static input, with real
(zero) weights so a runtime can run it. Its "kind" is what the spec says:

  * "invalid": the spec forbids it (the "rule" field says which rule);
  * "legal": the spec allows it, however odd (netscore may only warn).

"onnx" records what onnx (1.12, python3-onnx) says, never netscore: the
first line of the error of onnx.checker.check_model(m, full_check=True) or
of onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True),
"ok" when both accept the model, or "crash (signal N)" when onnx dies (its
conv shape inference divides by a zero stride). onnx 1.12 checks ranks,
attribute lengths, input counts and broadcasting but not the values of
strides, pads or groups, nor a kernel against its input: for those cases
"ort" names ONNX Runtime as the outside authority, and
internal/cli/invalid_ort_test.go (go test -tags ort) checks that ORT refuses
every invalid case and runs every legal one. Each checker runs in a child
process, so a crash is recorded rather than fatal.
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "testdata", "invalid")


def vi(name, shape, t=T.FLOAT):
    return h.make_tensor_value_info(name, t, shape)


def weight(name, *shape):
    return numpy_helper.from_array(np.zeros(shape, np.float32), name)


def ints(name, *values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def model(nodes, inputs, outputs, inits=(), opset=13):
    g = h.make_graph(nodes, "g", inputs, outputs, list(inits))
    m = h.make_model(g, opset_imports=[h.make_opsetid("", opset)], producer_name="make_invalid.py")
    m.ir_version = 7
    return m


X = [1, 3, 8, 8]  # the usual input: batch 1, 3 channels, 8x8
Y4 = ["n", "c", "h", "w"]  # outputs declare their rank, not their sizes


def conv(name, w, **attrs):
    return model([h.make_node("Conv", ["x", "w"], ["y"], name=name, **attrs)], [vi("x", X)], [vi("y", Y4)], [w])


def pool(op, name, **attrs):
    return model([h.make_node(op, ["x"], ["y"], name=name, **attrs)], [vi("x", X)], [vi("y", Y4)])


def binary(op, a, b, out):
    return model([h.make_node(op, ["a", "b"], ["y"], name=op.lower())], [vi("a", a), vi("b", b)], [vi("y", out)])


def in_if():
    """A Conv with a zero stride inside the then-branch of an If."""
    body = h.make_graph([h.make_node("Conv", ["x", "w"], ["t"], name="inner", strides=[0, 1])], "then", [], [vi("t", Y4)])
    other = h.make_graph([h.make_node("Identity", ["x"], ["e"], name="pass")], "else", [], [vi("e", Y4)])
    node = h.make_node("If", ["c"], ["y"], name="branch", then_branch=body, else_branch=other)
    return model([node], [vi("c", [], T.BOOL), vi("x", X)], [vi("y", Y4)], [weight("w", 4, 3, 3, 3)])


# name -> (kind, node the error names, spec rule, model)
CASES = {
    "conv_stride_zero": ("invalid", "conv", "Conv strides are positive", conv("conv", weight("w", 4, 3, 3, 3), strides=[0, 1])),
    "conv_stride_negative": ("invalid", "conv", "Conv strides are positive", conv("conv", weight("w", 4, 3, 3, 3), strides=[-1, 1])),
    "conv_dilation_zero": ("invalid", "conv", "Conv dilations are positive", conv("conv", weight("w", 4, 3, 3, 3), dilations=[0, 1])),
    "conv_pad_negative": ("invalid", "conv", "Conv pads are non-negative", conv("conv", weight("w", 4, 3, 3, 3), pads=[-1, 0, 0, 0])),
    "conv_kernel_too_large": ("invalid", "conv", "the kernel fits the padded input (output size >= 1)", conv("conv", weight("w", 4, 3, 9, 9))),
    "conv_channels": ("invalid", "conv", "W is M x C/group x k...: C/group matches the input", conv("conv", weight("w", 4, 2, 3, 3))),
    "conv_group_not_dividing": ("invalid", "conv", "group divides the input channels", conv("conv", weight("w", 4, 1, 3, 3), group=2)),
    "conv_group_zero": ("invalid", "conv", "group is positive", conv("conv", weight("w", 4, 3, 3, 3), group=0)),
    "conv_strides_length": ("invalid", "conv", "one stride per spatial axis", conv("conv", weight("w", 4, 3, 3, 3), strides=[1])),
    "conv_weight_rank": ("invalid", "conv", "W has the rank of X", conv("conv", weight("w", 4, 3, 3))),
    "conv_bias_length": ("invalid", "conv", "B holds one value per output channel", model(
        [h.make_node("Conv", ["x", "w", "b"], ["y"], name="conv")], [vi("x", X)], [vi("y", Y4)], [weight("w", 4, 3, 3, 3), weight("b", 3)])),
    "conv_no_weight": ("invalid", "conv", "Conv takes X and W", model([h.make_node("Conv", ["x"], ["y"], name="conv")], [vi("x", X)], [vi("y", Y4)])),
    "convtranspose_stride_zero": ("invalid", "deconv", "ConvTranspose strides are positive", model(
        [h.make_node("ConvTranspose", ["x", "w"], ["y"], name="deconv", strides=[0, 1])], [vi("x", X)], [vi("y", Y4)], [weight("w", 3, 4, 3, 3)])),
    "convtranspose_pads_too_large": ("invalid", "deconv", "the output size is positive", model(
        [h.make_node("ConvTranspose", ["x", "w"], ["y"], name="deconv", pads=[6, 6, 6, 6])], [vi("x", X)], [vi("y", Y4)], [weight("w", 3, 4, 3, 3)])),
    "maxpool_stride_zero": ("invalid", "pool", "MaxPool strides are positive", pool("MaxPool", "pool", kernel_shape=[2, 2], strides=[0, 0])),
    # 10x10 on 8x8: the spec's formula gives an output size of -1. (At 9x9,
    # a size of 0, ORT returns an empty tensor rather than refuse.)
    "maxpool_kernel_too_large": ("invalid", "pool", "the kernel fits the padded input", pool("MaxPool", "pool", kernel_shape=[10, 10])),
    "maxpool_no_kernel": ("invalid", "pool", "kernel_shape is required", pool("MaxPool", "pool")),
    "maxpool_pad_negative": ("invalid", "pool", "pads are non-negative", pool("MaxPool", "pool", kernel_shape=[2, 2], pads=[-1, 0, 0, 0])),
    "averagepool_kernel_zero": ("invalid", "pool", "kernel sizes are positive", pool("AveragePool", "pool", kernel_shape=[0, 2])),
    "reshape_negative_dim": ("invalid", "reshape", "a Reshape target dim is >= -1", model(
        [h.make_node("Reshape", ["x", "s"], ["y"], name="reshape")], [vi("x", X)], [vi("y", ["a", "b"])], [ints("s", -2, 96)])),
    "reshape_count": ("invalid", "reshape", "Reshape keeps the element count", model(
        [h.make_node("Reshape", ["x", "s"], ["y"], name="reshape")], [vi("x", X)], [vi("y", ["a", "b"])], [ints("s", 5, 5)])),
    "concat_rank": ("invalid", "concat", "Concat inputs have one rank", model(
        [h.make_node("Concat", ["x", "z"], ["y"], name="concat", axis=1)], [vi("x", X), vi("z", [1, 3, 8])], [vi("y", Y4)])),
    "concat_dims": ("invalid", "concat", "Concat inputs agree off the axis", model(
        [h.make_node("Concat", ["x", "z"], ["y"], name="concat", axis=1)], [vi("x", X), vi("z", [1, 3, 8, 7])], [vi("y", Y4)])),
    "split_sizes": ("invalid", "split", "Split's sizes add up to the axis", model(
        [h.make_node("Split", ["x", "s"], ["y", "z"], name="split", axis=1)], [vi("x", X)], [vi("y", Y4), vi("z", Y4)], [ints("s", 1, 1)])),
    "constantofshape_negative": ("invalid", "fill", "ConstantOfShape's dims are non-negative", model(
        [h.make_node("ConstantOfShape", ["s"], ["y"], name="fill")], [], [vi("y", ["a", "b"])], [ints("s", 2, -3)])),
    "gemm_inner": ("invalid", "gemm", "Gemm: A is M x K, B is K x N", binary("Gemm", [2, 3], [4, 5], ["m", "n"])),
    "matmul_inner": ("invalid", "matmul", "MatMul inner dims agree", binary("MatMul", [2, 3], [4, 5], ["m", "n"])),
    "add_broadcast": ("invalid", "add", "Add's inputs broadcast (numpy rules)", binary("Add", [2, 3], [4, 3], ["m", "n"])),
    "if_branch_conv_stride_zero": ("invalid", "branch/then_branch/inner", "Conv strides are positive, in a subgraph too", in_if()),
    # Legal, however unusual.
    "legal_conv_free_spatial": ("legal", "", "sizes are free: the 9x9 kernel fits once H, W >= 9", model(
        [h.make_node("Conv", ["x", "w"], ["y"], name="conv")], [vi("x", [1, 3, "H", "W"])], [vi("y", Y4)], [weight("w", 4, 3, 9, 9)])),
    "legal_pool_kernel_fills_padding": ("legal", "", "a 10x10 window on 8x8 padded by 1: one output", pool("MaxPool", "pool", kernel_shape=[10, 10], pads=[1, 1, 1, 1])),
    "legal_add_opset6_axis": ("legal", "", "opset 6 broadcast=1 axis=1: B broadcasts along the channels", model(
        [h.make_node("Add", ["x", "b"], ["y"], name="add", broadcast=1, axis=1)], [vi("x", X), vi("b", [3])], [vi("y", Y4)], opset=6)),
    "legal_declared_dim_minus_one": ("legal", "", "some exporters write dim_value -1 for a free dim", model(
        [h.make_node("Relu", ["x"], ["y"], name="relu")], [vi("x", [-1, 3, 8, 8])], [vi("y", Y4)])),
}


def checker_verdict(path):
    code = ("import onnx,sys\nm=onnx.load(sys.argv[1])\n"
            "onnx.checker.check_model(m, full_check=True)\n"
            "onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)\n")
    r = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True)
    if r.returncode < 0:
        return "crash (signal %d)" % -r.returncode
    if r.returncode == 0:
        return "ok"
    last = [l for l in r.stderr.strip().splitlines() if l.strip()][-1]
    return last.split(": ", 1)[-1][:300]


def main():
    os.makedirs(OUT, exist_ok=True)
    verdicts = {}
    for name, (kind, node, rule, m) in CASES.items():
        path = os.path.join(OUT, name + ".onnx")
        onnx.save(m, path)
        v = checker_verdict(path)
        verdicts[name] = {"kind": kind, "node": node, "rule": rule, "onnx": v}
        print("%-34s %-8s onnx: %s" % (name, kind, v))
    with open(os.path.join(OUT, "verdicts.json"), "w") as f:
        json.dump(verdicts, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
