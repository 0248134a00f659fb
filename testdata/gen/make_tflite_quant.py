#!/usr/bin/env python3
"""Quantization fixtures and expected schemes for TFLite, without netscore.

python3 testdata/gen/make_tflite_quant.py
    Builds one small model per quantization scheme under testdata/tflite/quant/ with flatc
    (from JSON, against the schema netscore carries) and writes
    testdata/tflite/quant/expected.csv: the scheme, the weights' and activations'
    description, the layers by scheme, params, weight bytes by type and activation bytes
    of each, written by hand below from what each fixture is built of (bytes = elements x
    the type's size; INT4 packs two elements a byte: ceil(n / 2)).

python3 testdata/gen/make_tflite_quant.py --real MODEL.tflite... > testdata/tflite/quant/real.csv
    Decides the scheme of real models from flatc's JSON dump alone (the rules of
    docs/tflite.md, "Quantization", written again here): a layer is an operator that reads
    a weight (a tensor with a non-empty buffer; INT32/INT64 tensors and rank-1 tensors beside a
    larger weight are biases, left aside), directly or
    through a DEQUANTIZE; its activation is its first other input of a data type (float,
    or integer with quantization parameters).

Needs flatc (Debian's flatbuffers-compiler).
"""
import csv
import os
import sys
from math import prod

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tflite_json import to_binary, to_json  # noqa: E402
from tflite_model import CODES, Model, nbytes  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tflite", "quant")
def per_channel(n, zp=0, axis=0):
    return {"scale": [0.01 * (k + 1) for k in range(n)], "zero_point": [zp] * n, "quantized_dimension": axis}


def per_tensor(zp, scale=0.05):
    return {"scale": [scale], "zero_point": [zp]}


SAME = ("Conv2DOptions", {"padding": "SAME", "stride_w": 1, "stride_h": 1})
DW = ("DepthwiseConv2DOptions", {"padding": "SAME", "stride_w": 1, "stride_h": 1, "depth_multiplier": 1})
FC = ("FullyConnectedOptions", {})

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# Each case returns the model and its expected row: scheme, weights, activations, layers
# ("scheme:count;..."), params, weight bytes by type ("type:bytes;...") and activation bytes
# (every tensor an operator writes).


@case
def float32():
    # CONV 3->4 3x3 on 1x6x6x3, float bias; FC 144->5 on the flattened output.
    m = Model()
    x = m.input("x", [1, 6, 6, 3])
    c = m.op("CONV_2D", [x, m.weight("w", [4, 3, 3, 3]), m.weight("b", [4])], [1, 6, 6, 4], options=SAME)
    y = m.op("FULLY_CONNECTED", [c, m.weight("fw", [5, 144]), m.weight("fb", [5])], [1, 5], options=FC)
    params = 108 + 4 + 720 + 5
    return m.doc([y]), dict(scheme="float32", weights="float32", activations="float32", layers="float32:2",
                            params=params, bytes="float32:%d" % (4 * params), act=4 * (144 + 5))


@case
def fp16_dequantize():
    # Float16 weights and bias, each turned into float32 by a DEQUANTIZE before the conv
    # (the converter's float16 quantization). The stored fp16 tensors are the params
    # (108 + 4 elements, once); the DEQUANTIZE outputs are activations (float32, 4 bytes each).
    m = Model()
    x = m.input("x", [1, 6, 6, 3])
    w = m.op("DEQUANTIZE", [m.weight("w16", [4, 3, 3, 3], "FLOAT16")], [4, 3, 3, 3])
    b = m.op("DEQUANTIZE", [m.weight("b16", [4], "FLOAT16")], [4])
    y = m.op("CONV_2D", [x, w, b], [1, 6, 6, 4], options=SAME)
    return m.doc([y]), dict(scheme="float16", weights="float16", activations="float32", layers="float16:1",
                            params=112, bytes="float16:%d" % (2 * 112), act=4 * (108 + 4 + 144))


@case
def dynamic_range_int8():
    # Hybrid kernels: int8 weights read directly by float layers, float32 biases. The conv's
    # weights are per-channel (4 scales along axis 0), the FC's per-tensor; zero points all 0.
    m = Model()
    x = m.input("x", [1, 6, 6, 3])
    c = m.op("CONV_2D", [x, m.weight("w", [4, 3, 3, 3], "INT8", per_channel(4)), m.weight("b", [4])],
             [1, 6, 6, 4], options=SAME)
    y = m.op("FULLY_CONNECTED", [c, m.weight("fw", [5, 144], "INT8", per_tensor(0)), m.weight("fb", [5])], [1, 5],
             options=FC)
    return m.doc([y]), dict(scheme="dynamic-range", weights="int8 per-channel and per-tensor symmetric",
                            activations="float32", layers="dynamic-range:2", params=108 + 4 + 720 + 5,
                            bytes="float32:%d;int8:%d" % (4 * 9, 108 + 720), act=4 * (144 + 5))


@case
def full_int8_per_channel():
    # Float input -> QUANTIZE (int8, zero point -128) -> CONV (int8 per-channel symmetric
    # weights, int32 bias) -> DEPTHWISE (weights 1x3x3x4, per-channel along axis 3) -> FC
    # (per-tensor) -> DEQUANTIZE -> float output. Activations int8 with zero points -128, 3, -7.
    m = Model()
    x = m.input("x", [1, 6, 6, 3])
    q = m.op("QUANTIZE", [x], [1, 6, 6, 3], "INT8", per_tensor(-128))
    c = m.op("CONV_2D", [q, m.weight("w", [4, 3, 3, 3], "INT8", per_channel(4)),
                         m.weight("b", [4], "INT32", per_channel(4))], [1, 6, 6, 4], "INT8", per_tensor(3), SAME)
    d = m.op("DEPTHWISE_CONV_2D", [c, m.weight("dw", [1, 3, 3, 4], "INT8", per_channel(4, axis=3)),
                                   m.weight("db", [4], "INT32", per_channel(4))], [1, 6, 6, 4], "INT8", per_tensor(-7),
             DW)
    f = m.op("FULLY_CONNECTED", [d, m.weight("fw", [5, 144], "INT8", per_tensor(0)),
                                 m.weight("fb", [5], "INT32", per_tensor(0))], [1, 5], "INT8", per_tensor(-7), FC)
    y = m.op("DEQUANTIZE", [f], [1, 5])
    return m.doc([y]), dict(scheme="full-integer", weights="int8 per-channel and per-tensor symmetric",
                            activations="int8 per-tensor asymmetric", layers="full-integer:3",
                            params=108 + 4 + 36 + 4 + 720 + 5, bytes="int32:%d;int8:%d" % (4 * 13, 108 + 36 + 720),
                            act=108 + 144 + 144 + 5 + 4 * 5)


@case
def int16x8():
    # 16x8: int16 activations (zero point 0), int8 per-channel weights, int64 biases.
    m = Model()
    x = m.input("x", [1, 6, 6, 3], "INT16", per_tensor(0))
    c = m.op("CONV_2D", [x, m.weight("w", [4, 3, 3, 3], "INT8", per_channel(4)),
                         m.weight("b", [4], "INT64", per_channel(4))], [1, 6, 6, 4], "INT16", per_tensor(0), SAME)
    y = m.op("FULLY_CONNECTED", [c, m.weight("fw", [5, 144], "INT8", per_channel(5)),
                                 m.weight("fb", [5], "INT64", per_channel(5))], [1, 5], "INT16", per_tensor(0), FC)
    return m.doc([y]), dict(scheme="16x8", weights="int8 per-channel symmetric", activations="int16 per-tensor symmetric",
                            layers="16x8:2", params=108 + 4 + 720 + 5, bytes="int64:%d;int8:%d" % (8 * 9, 108 + 720),
                            act=2 * (144 + 5))


@case
def int4_weights():
    # INT4 weights, packed two elements a byte: the conv's 4x3x3x3 = 108 take 54 bytes, the
    # FC's 5x15 = 75 (on a second input) take ceil(75 / 2) = 38. int8 activations, int32 biases.
    m = Model()
    x = m.input("x", [1, 6, 6, 3], "INT8", per_tensor(-128))
    c = m.op("CONV_2D", [x, m.weight("w", [4, 3, 3, 3], "INT4", per_channel(4)),
                         m.weight("b", [4], "INT32", per_channel(4))], [1, 6, 6, 4], "INT8", per_tensor(5), SAME)
    x2 = m.input("x2", [1, 15], "INT8", per_tensor(-128))
    y = m.op("FULLY_CONNECTED", [x2, m.weight("fw", [5, 15], "INT4", per_tensor(0)),
                                 m.weight("fb", [5], "INT32", per_tensor(0))], [1, 5], "INT8", per_tensor(5), FC)
    return m.doc([c, y]), dict(scheme="full-integer", weights="int4 per-channel and per-tensor symmetric",
                               activations="int8 per-tensor asymmetric", layers="full-integer:2",
                               params=108 + 4 + 75 + 5, bytes="int32:%d;int4:%d" % (4 * 9, 54 + 38), act=144 + 5)


@case
def weight_only_int8():
    # int8 weights dequantized to float32 before a float conv (no hybrid kernel).
    m = Model()
    x = m.input("x", [1, 6, 6, 3])
    w = m.op("DEQUANTIZE", [m.weight("w8", [4, 3, 3, 3], "INT8", per_channel(4))], [4, 3, 3, 3])
    y = m.op("CONV_2D", [x, w, m.weight("b", [4])], [1, 6, 6, 4], options=SAME)
    return m.doc([y]), dict(scheme="weight-only", weights="int8 per-channel symmetric", activations="float32",
                            layers="weight-only:1", params=112, bytes="float32:16;int8:108", act=4 * (108 + 144))


@case
def mixed():
    # An int8 conv, then DEQUANTIZE and a float32 FC: two schemes.
    m = Model()
    x = m.input("x", [1, 6, 6, 3], "INT8", per_tensor(-128))
    c = m.op("CONV_2D", [x, m.weight("w", [4, 3, 3, 3], "INT8", per_channel(4)),
                         m.weight("b", [4], "INT32", per_channel(4))], [1, 6, 6, 4], "INT8", per_tensor(2), SAME)
    d = m.op("DEQUANTIZE", [c], [1, 6, 6, 4])
    y = m.op("FULLY_CONNECTED", [d, m.weight("fw", [5, 144]), m.weight("fb", [5])], [1, 5], options=FC)
    return m.doc([y]), dict(scheme="mixed", weights="float32, int8 per-channel symmetric",
                            activations="float32, int8 per-tensor asymmetric", layers="float32:1;full-integer:1",
                            params=108 + 4 + 720 + 5, bytes="float32:%d;int32:16;int8:108" % (4 * 725),
                            act=144 + 4 * 144 + 4 * 5)


COLUMNS = ["model", "scheme", "weights", "activations", "layers", "params", "weight_bytes_by_dtype", "activation_bytes"]


def fixtures():
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for fn in CASES:
        doc, e = fn()
        to_binary(doc, os.path.join(OUT, fn.__name__ + ".tflite"))
        rows.append([fn.__name__ + ".tflite", e["scheme"], e["weights"], e["activations"], e["layers"], e["params"],
                     e["bytes"], e["act"]])
    with open(os.path.join(OUT, "expected.csv"), "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)


# ---------------------------------------------------------------------------
# --real: the scheme of any model, from flatc's JSON


def scheme_of(path):
    m = to_json(path)
    sg = m["subgraphs"][0]
    tensors, buffers = sg["tensors"], m["buffers"]

    def has_data(t):
        b = buffers[t.get("buffer", 0)] if t.get("buffer", 0) < len(buffers) else {}
        return len(b.get("data", [])) > 0

    def quant(t):
        q = t.get("quantization") or {}
        return q if q.get("scale") else None

    def integer(dtype):
        return dtype.startswith("INT") or dtype.startswith("UINT")

    def desc(t):
        q, dtype = quant(t), t.get("type", "FLOAT32")
        if not integer(dtype) or not q:
            return (dtype, None, None)
        mid = 128 if dtype == "UINT8" else 0
        zps = q.get("zero_point") or [0]
        return (dtype, "per-channel" if len(q["scale"]) > 1 else "per-tensor", all(z == mid for z in zps))

    def data_type(t):
        dtype = t.get("type", "FLOAT32")
        return dtype.startswith("FLOAT") or (integer(dtype) and quant(t) is not None) or dtype in ("INT8", "UINT8", "INT16")

    dq_weight = {}  # DEQUANTIZE output -> its stored weight
    weights, acts, layers = {}, {}, {}
    plain, plain_acts = {}, {}  # operators that read no weight (used when no operator does)
    for op in sg["operators"]:
        code = m["operator_codes"][op.get("opcode_index", 0)]
        name = code.get("builtin_code", "ADD")
        if name == "ADD" and code.get("deprecated_builtin_code", 0) != 0:
            name = [k for k, v in CODES.items() if v == code["deprecated_builtin_code"]] or ["OTHER"]
            name = name[0]
        ins = [i for i in op.get("inputs", []) if i >= 0]
        if name == "DEQUANTIZE":
            if has_data(tensors[ins[0]]):
                dq_weight[op["outputs"][0]] = ins[0]
            continue
        if name == "QUANTIZE":
            continue
        read = []
        for i in ins:
            src = i if has_data(tensors[i]) else dq_weight.get(i)
            if src is not None:
                read.append((src, i == src))
        # int32/int64 are quantized biases; a rank-1 weight beside a larger one is a bias
        matrix = any(len(tensors[s].get("shape", [])) >= 2 for s, _ in read)
        ws = [(s, d) for s, d in read if tensors[s].get("type", "FLOAT32") not in ("INT32", "INT64")
              and not (matrix and len(tensors[s].get("shape", [])) < 2)]
        act = next((i for i in ins if not has_data(tensors[i]) and i not in dq_weight and data_type(tensors[i])), None)
        if act is None and data_type(tensors[op["outputs"][0]]):
            act = op["outputs"][0]
        a = desc(tensors[act]) if act is not None else ("", None, None)
        if not ws:
            if act is not None:
                s = "16x8" if a[0] in ("INT16", "UINT16") else "full-integer" if integer(a[0]) else a[0].lower()
                plain[s] = plain.get(s, 0) + 1
                plain_acts[act] = a
            continue
        for src, _ in ws:
            weights[src] = desc(tensors[src])
        if act is not None:
            acts[act] = a
        int_w = [d for d in ws if integer(tensors[d[0]].get("type", "FLOAT32"))]
        if a[0] in ("INT16", "UINT16"):
            s = "16x8"
        elif integer(a[0]):
            s = "full-integer"
        elif int_w:
            s = "dynamic-range" if any(direct for _, direct in int_w) else "weight-only"
        else:
            s = tensors[ws[0][0]].get("type", "FLOAT32").lower()
        layers[s] = layers.get(s, 0) + 1

    def text(group, by_bytes):
        out = {}
        for idx, (dtype, gran, sym) in group.items():
            t = tensors[idx]
            n = prod(t.get("shape", [])) if by_bytes else 1
            g = out.setdefault(dtype, [0, set(), set()])
            g[0] += nbytes(dtype, n) if by_bytes else 1
            g[1].add(gran)
            g[2].add(sym)
        parts = []
        for dtype, (w, grans, syms) in sorted(out.items(), key=lambda kv: (-kv[1][0], kv[0].lower())):
            p = [dtype.lower()]
            if integer(dtype):
                if None not in grans:
                    p.append(" and ".join(sorted(grans)))
                if False in syms:
                    p.append("asymmetric")
                elif None not in syms:
                    p.append("symmetric")
            parts.append(" ".join(p))
        return ", ".join(parts)

    if not layers:
        layers, acts = plain, plain_acts
    scheme = next(iter(layers)) if len(layers) == 1 else ("mixed" if layers else "none")
    return [os.path.basename(path), scheme, text(weights, True), text(acts, False),
            ";".join("%s:%d" % kv for kv in sorted(layers.items()))]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--real":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["model", "scheme", "weights", "activations", "layers"])
        for path in sys.argv[2:]:
            w.writerow(scheme_of(path))
        return
    fixtures()


if __name__ == "__main__":
    main()
