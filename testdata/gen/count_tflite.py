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

With --thirdparty (the MediaPipe models of testdata/tflite/thirdparty/) it
also counts TRANSPOSE_CONV (input elements x output channels x kernel
height x kernel width, ONNX ConvTranspose's convention) and BATCH_MATMUL
(batch x M x K x N) into macs, and writes three more columns:
  stored:      values the file stores for its sparse tensors (TFLite
               sparsity, decoded from dim_metadata: a DENSE dim multiplies
               the count by its dense_size, a SPARSE_CSR dim replaces it by
               its array_indices' length), checked against the buffer's
               bytes; a sparse tensor's params are its dense elements, the
               shape the file gives it (the DENSIFY op that expands it has
               no buffer on its output, so the conv reading that output
               adds nothing);
  custom_ops:  the custom codes of CUSTOM operators, ';'-separated (netscore
               leaves them uncosted: its totals are lower bounds);
  custom_macs: what the custom ops would add by the same formulas
               (Convolution2DTransposeBias: TRANSPOSE_CONV's formula with
               input 0 the data, 1 the OHWI kernel), not in macs.

Usage: python3 testdata/gen/count_tflite.py MODEL.tflite... > testdata/tflite/counts.csv
       python3 testdata/gen/count_tflite.py --thirdparty testdata/tflite/thirdparty/*.tflite \
           > testdata/tflite/thirdparty/counts.csv
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
                  "STRIDED_SLICE": {1, 2, 3}, "RESIZE_BILINEAR": {1}, "RESIZE_NEAREST_NEIGHBOR": {1},
                  "TRANSPOSE_CONV": {0}}


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


def index_len(dim, key):
    """Length of a DimensionMetadata's SparseIndexVector (array_segments or
    array_indices); None when absent."""
    if dim.get(key + "_type", "NONE") == "NONE":
        return None
    return len(dim.get(key, {}).get("values", []))


def stored_values(t):
    """Values a sparse tensor's buffer holds, from its dim_metadata."""
    sp = t["sparsity"]
    dims = sp["dim_metadata"]
    assert len(dims) == len(sp["traversal_order"]), t["name"]
    n = 1
    for d in dims:
        if d.get("format", "DENSE") == "DENSE":
            n *= d["dense_size"]
        else:  # SPARSE_CSR: one segment boundary per entry so far, one index per entry kept
            assert index_len(d, "array_segments") == n + 1, t["name"]
            n = index_len(d, "array_indices")
    assert n <= prod(t["shape"]), t["name"]
    return n


BYTES = {"FLOAT32": 4, "FLOAT16": 2, "INT32": 4, "INT8": 1, "UINT8": 1, "INT16": 2, "INT64": 8}


def count(path, extra=False):
    m = to_json(path)
    codes = m["operator_codes"]
    buffers = m["buffers"]
    params = macs = macs_lstm = stored = custom_macs = 0
    custom = []
    for sg in m["subgraphs"]:
        tensors = sg["tensors"]

        def data_len(i):
            b = buffers[tensors[i].get("buffer", 0)]
            return len(b.get("data", []))

        def has_data(i):
            b = buffers[tensors[i].get("buffer", 0)]
            return len(b.get("data", [])) > 0 or b.get("offset", 0) > 1

        seen = set()
        for op in sg.get("operators", []):
            code = codes[op.get("opcode_index", 0)]
            name = op_name(code)
            ins = op.get("inputs", [])
            for pos, i in enumerate(ins):
                if i < 0 or i in seen or not has_data(i) or pos in SHAPE_OPERANDS.get(name, ()):
                    continue
                seen.add(i)
                params += prod(tensors[i]["shape"])
                if tensors[i].get("sparsity"):
                    n = stored_values(tensors[i])
                    assert n * BYTES[tensors[i]["type"]] == data_len(i), tensors[i]["name"]
                    stored += n
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
            elif extra and name == "TRANSPOSE_CONV":
                w = tensors[ins[1]]["shape"]  # OHWI; input 2 is the data
                macs += prod(tensors[ins[2]]["shape"]) * w[0] * w[1] * w[2]
            elif extra and name == "BATCH_MATMUL":
                a, b = tensors[ins[0]]["shape"], tensors[ins[1]]["shape"]
                opts = op.get("builtin_options", {})
                k = a[-2] if opts.get("adj_x") else a[-1]
                macs += prod(out) * k
            elif name == "CUSTOM":
                custom.append(code.get("custom_code", ""))
                if code.get("custom_code") == "Convolution2DTransposeBias":
                    w = tensors[ins[1]]["shape"]  # OHWI; input 0 is the data
                    custom_macs += prod(tensors[ins[0]]["shape"]) * w[0] * w[1] * w[2]
    if extra:
        return params, macs, macs_lstm, stored, ";".join(sorted(set(custom))), custom_macs
    return params, macs, macs_lstm


def main():
    args = sys.argv[1:]
    extra = args[:1] == ["--thirdparty"]
    if extra:
        args = args[1:]
    w = csv.writer(sys.stdout, lineterminator="\n")
    head = ["model", "params", "macs", "macs_lstm"]
    w.writerow(head + ["stored", "custom_ops", "custom_macs"] if extra else head)
    for p in args:
        w.writerow([os.path.basename(p), *count(p, extra)])


if __name__ == "__main__":
    main()
