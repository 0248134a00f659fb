#!/usr/bin/env python3
"""Independent counts of TFLite models, without netscore.

Dumps each model with flatc (--json against the schema netscore carries) and
counts from the JSON alone:
  params: elements of every tensor with a non-empty buffer that an operator
          reads, except shape operands (RESHAPE's shape, PAD's paddings,
          MEAN's axes, TRANSPOSE's permutation, STRIDED_SLICE's bounds);
  macs:   the textbook multiply-accumulates of CONV_2D (output elements x
          kernel height x kernel width x input channels), DEPTHWISE_CONV_2D
          (output elements x kernel height x kernel width) and
          FULLY_CONNECTED (rows x inputs x units), from the tensors' shapes
          as the file declares them;
  macs_lstm: UNIDIRECTIONAL_SEQUENCE_LSTM's matrix products, steps x batch x
          (elements of the 8 gate matrices and the projection), the
          convention ONNX's LSTM is counted by (docs/counting.md).

Usage: python3 testdata/gen/count_tflite.py MODEL.tflite... > testdata/tflite/counts.csv
(needs flatc: Debian's flatbuffers-compiler).
"""
import csv
import os
import sys
from math import prod

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tflite_json import to_json  # noqa: E402

SHAPE_OPERANDS = {"RESHAPE": {1}, "PAD": {1, 2}, "PADV2": {1, 2}, "MEAN": {1}, "SUM": {1},
                  "REDUCE_MAX": {1}, "REDUCE_MIN": {1}, "REDUCE_PROD": {1}, "TRANSPOSE": {1},
                  "STRIDED_SLICE": {1, 2, 3}}


def op_name(code):
    b = code.get("builtin_code", "ADD")
    d = code.get("deprecated_builtin_code", 0)
    # files before TF 2.4 set only deprecated_builtin_code (builtin_code
    # then reads as its default, ADD = 0)
    return BUILTINS[d] if b == "ADD" and d != 0 else b


def builtin_names():
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "internal",
                            "format", "tflite", "schema", "schema.fbs")).read()
    body = src[src.index("enum BuiltinOperator"):]
    body = body[body.index("{") + 1:body.index("}")]
    out = {}
    for line in body.splitlines():
        line = line.split("//")[0].strip().rstrip(",")
        if "=" in line:
            name, num = line.split("=")
            out[int(num.split()[0])] = name.strip()
    return out


BUILTINS = builtin_names()


def count(path):
    m = to_json(path)
    codes = m["operator_codes"]
    buffers = m["buffers"]
    params = macs = macs_lstm = 0
    for sg in m["subgraphs"]:
        tensors = sg["tensors"]

        def has_data(i):
            b = buffers[tensors[i].get("buffer", 0)]
            return len(b.get("data", [])) > 0 or b.get("offset", 0) > 1

        seen = set()
        for op in sg.get("operators", []):
            name = op_name(codes[op.get("opcode_index", 0)])
            ins = op.get("inputs", [])
            for pos, i in enumerate(ins):
                if i < 0 or i in seen or not has_data(i) or pos in SHAPE_OPERANDS.get(name, ()):
                    continue
                seen.add(i)
                params += prod(tensors[i]["shape"])
            out = tensors[op["outputs"][0]]["shape"]
            if name == "CONV_2D":
                w = tensors[ins[1]]["shape"]  # OHWI
                macs += prod(out) * w[1] * w[2] * w[3]
            elif name == "DEPTHWISE_CONV_2D":
                w = tensors[ins[1]]["shape"]  # 1HWO
                macs += prod(out) * w[1] * w[2]
            elif name == "FULLY_CONNECTED":
                w = tensors[ins[1]]["shape"]  # [units, inputs]
                rows = prod(tensors[ins[0]]["shape"]) // w[1]
                macs += rows * w[1] * w[0]
            elif name == "UNIDIRECTIONAL_SEQUENCE_LSTM":
                x = tensors[ins[0]]["shape"]
                mats = sum(prod(tensors[ins[k]]["shape"]) for k in (1, 2, 3, 4, 5, 6, 7, 8, 16) if ins[k] >= 0)
                macs_lstm += x[0] * x[1] * mats
    return params, macs, macs_lstm


def main():
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["model", "params", "macs", "macs_lstm"])
    for p in sys.argv[1:]:
        w.writerow([os.path.basename(p), *count(p)])


if __name__ == "__main__":
    main()
