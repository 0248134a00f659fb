#!/usr/bin/python3
"""Single-node shape cases for the Go rule tests, with output shapes from
onnx's own shape inference (never from netscore).

Run from anywhere:

    /usr/bin/python3 testdata/gen/make_rule_shapes.py

Writes internal/ops/testdata/onnx_shapes.json: one entry per case with the
node (op, opset, attributes), its graph inputs (dtype, shape), its
initializers (dtype, shape, values) and the output shapes and element
types (TensorProto.DataType) that
onnx.shape_inference.infer_shapes(check_type=True, strict_mode=True)
gives; an unknown dim is -1. The Go tests (internal/ops/onnx_shapes_test.go)
rebuild each node with graphtest, run netscore's analyzer and compare.

Only ops and opsets onnx 1.12 knows (opset <= 17) can be here; cases whose
size onnx leaves unknown but netscore resolves from constant values
(Compress with a constant condition, OneHot's depth, Einsum's output) are
tested by hand instead. A case's family is the Go test file that checks it
(internal/ops/<family>_test.go).
Output is byte-for-byte reproducible (onnx 1.12.0, numpy 1.24; see
testdata/gen/README.md for the environment).
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "internal", "ops", "testdata", "onnx_shapes.json")

F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


def i64(*v):
    return np.array(v, dtype=np.int64)


def f32(*v):
    return np.array(v, dtype=np.float32)


def scalar(v, dtype):
    return np.array(v, dtype=dtype)


CASES = []


def case(family, name, op, opset, inputs, outputs, weights=None, node_inputs=None, **attrs):
    """inputs: {name: (dtype, shape)} graph inputs; weights: {name: ndarray}
    initializers with values; node_inputs: the node's input list in order
    (default: inputs then weights)."""
    weights = weights or {}
    if node_inputs is None:
        node_inputs = list(inputs) + list(weights)
    CASES.append(dict(family=family, name=name, op=op, opset=opset, inputs=inputs, weights=weights,
                      node_inputs=node_inputs, outputs=outputs, attrs=attrs))


# conv
case("conv", "Conv SAME_LOWER stride 2", "Conv", 13, {"x": (F, [1, 3, 16, 16])}, ["y"],
     {"w": np.zeros((4, 3, 3, 3), np.float32)}, auto_pad="SAME_LOWER", strides=[2, 2])
case("conv", "Conv asymmetric pads and dilation", "Conv", 13, {"x": (F, [2, 4, 9, 11])}, ["y"],
     {"w": np.zeros((6, 2, 3, 2), np.float32)}, group=2, pads=[0, 1, 2, 0], dilations=[2, 3], strides=[1, 2])
case("conv", "ConvTranspose SAME_UPPER", "ConvTranspose", 13, {"x": (F, [1, 4, 5, 6])}, ["y"],
     {"w": np.zeros((4, 3, 3, 3), np.float32)}, auto_pad="SAME_UPPER", strides=[2, 2])
case("conv", "ConvTranspose output_shape", "ConvTranspose", 13, {"x": (F, [1, 4, 5, 5])}, ["y"],
     {"w": np.zeros((4, 3, 3, 3), np.float32)}, strides=[2, 2], output_shape=[10, 11])

# matmul
case("matmul", "MatMul vector dot vector", "MatMul", 13, {"a": (F, [4]), "b": (F, [4])}, ["y"])
case("matmul", "MatMul batch broadcast", "MatMul", 13, {"a": (F, [3, 1, 2, 4]), "b": (F, [5, 4, 7])}, ["y"])
case("matmul", "Gemm transA transB", "Gemm", 13, {"a": (F, [8, 3]), "b": (F, [5, 8]), "c": (F, [1, 5])}, ["y"],
     transA=1, transB=1)
case("matmul", "Det batch", "Det", 11, {"x": (F, [2, 5, 3, 3])}, ["y"])

# elementwise
case("elementwise", "Add three-way broadcast", "Add", 14, {"a": (F, [5, 1, 3]), "b": (F, [4, 1])}, ["y"])
case("elementwise", "PRelu slope per channel", "PRelu", 16, {"x": (F, [1, 3, 4, 4]), "s": (F, [3, 1, 1])}, ["y"])
case("elementwise", "Equal broadcast to bool", "Equal", 13, {"a": (F, [2, 1]), "b": (F, [3])}, ["y"])
case("elementwise", "Where scalar branch", "Where", 16, {"c": (B, [2, 3]), "x": (F, [3]), "y": (F, [])}, ["z"])
case("elementwise", "Dropout with mask", "Dropout", 13, {"x": (F, [2, 5])}, ["y", "m"])

# norm
case("norm", "LayerNormalization axis 1 statistics", "LayerNormalization", 17, {"x": (F, [2, 3, 4])}, ["y", "mean", "inv"],
     {"s": np.ones((3, 4), np.float32)}, axis=1)
case("norm", "BatchNormalization", "BatchNormalization", 15, {"x": (F, [2, 3, 4, 5])}, ["y"],
     {"s": np.ones(3, np.float32), "b": np.zeros(3, np.float32), "m": np.zeros(3, np.float32), "v": np.ones(3, np.float32)})
case("norm", "LogSoftmax", "LogSoftmax", 13, {"x": (F, [2, 7])}, ["y"], axis=-1)

# pool
case("pool", "MaxPool SAME_LOWER with indices", "MaxPool", 12, {"x": (F, [1, 2, 7, 7])}, ["y", "i"],
     kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_LOWER")
case("pool", "AveragePool ceil_mode with pads", "AveragePool", 11, {"x": (F, [1, 1, 7, 7])}, ["y"],
     kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1)
case("pool", "LpPool 1-D", "LpPool", 11, {"x": (F, [1, 2, 10])}, ["y"], kernel_shape=[4], strides=[3])
case("pool", "GlobalMaxPool 3-D", "GlobalMaxPool", 1, {"x": (F, [2, 3, 4, 5, 6])}, ["y"])

# reduce
case("reduce", "ReduceSum keepdims 0 negative axes", "ReduceSum", 13, {"x": (F, [2, 3, 4, 5])}, ["y"],
     {"a": i64(-1, 1)}, keepdims=0)
case("reduce", "ReduceProd attribute axes", "ReduceProd", 13, {"x": (F, [2, 3, 4])}, ["y"], axes=[0])
case("reduce", "ReduceSumSquare all", "ReduceSumSquare", 13, {"x": (F, [2, 3, 4])}, ["y"], keepdims=0)
case("reduce", "ArgMin keepdims", "ArgMin", 13, {"x": (F, [2, 3, 4])}, ["y"], axis=-2)
case("reduce", "CumSum", "CumSum", 14, {"x": (F, [3, 4])}, ["y"], {"a": scalar(0, np.int64)})

# recurrent
case("recurrent", "LSTM reverse", "LSTM", 14, {"x": (F, [7, 2, 3])}, ["y", "h", "c"],
     {"w": np.zeros((1, 20, 3), np.float32), "r": np.zeros((1, 20, 5), np.float32)}, hidden_size=5, direction="reverse")
case("recurrent", "GRU layout 1", "GRU", 14, {"x": (F, [2, 7, 3])}, ["y", "h"],
     {"w": np.zeros((1, 15, 3), np.float32), "r": np.zeros((1, 15, 5), np.float32)}, hidden_size=5, layout=1)
case("recurrent", "RNN bidirectional", "RNN", 14, {"x": (F, [7, 2, 3])}, ["y", "h"],
     {"w": np.zeros((2, 5, 3), np.float32), "r": np.zeros((2, 5, 5), np.float32)}, hidden_size=5, direction="bidirectional")

# quant
case("quant", "QuantizeLinear default uint8", "QuantizeLinear", 13, {"x": (F, [2, 3])}, ["y"], {"s": scalar(0.1, np.float32)})
case("quant", "QuantizeLinear int8 zero point", "QuantizeLinear", 13, {"x": (F, [2, 3])}, ["y"],
     {"s": scalar(0.1, np.float32), "z": scalar(0, np.int8)})
case("quant", "DequantizeLinear per axis", "DequantizeLinear", 13, {"x": (TensorProto.INT8, [4, 3])}, ["y"],
     {"s": f32(0.1, 0.2, 0.3), "z": np.zeros(3, np.int8)}, axis=1)
case("quant", "DynamicQuantizeLinear", "DynamicQuantizeLinear", 11, {"x": (F, [2, 3])}, ["y", "s", "z"])
case("quant", "QLinearMatMul", "QLinearMatMul", 10, {"a": (TensorProto.UINT8, [2, 4])}, ["y"],
     {"as": scalar(0.1, np.float32), "az": scalar(0, np.uint8), "b": np.zeros((4, 3), np.int8),
      "bs": scalar(0.1, np.float32), "bz": scalar(0, np.int8), "ys": scalar(0.1, np.float32), "yz": scalar(0, np.uint8)})

# shape
case("shape", "Reshape copies 0 and infers -1", "Reshape", 14, {"x": (F, [2, 3, 4])}, ["y"], {"s": i64(0, -1)})
case("shape", "Reshape -1 first", "Reshape", 13, {"x": (F, [2, 3, 4])}, ["y"], {"s": i64(-1, 4)})
case("shape", "Flatten axis 2", "Flatten", 13, {"x": (F, [2, 3, 4, 5])}, ["y"], axis=2)
case("shape", "Flatten negative axis", "Flatten", 13, {"x": (F, [2, 3, 4, 5])}, ["y"], axis=-1)
case("shape", "Squeeze axes input negative", "Squeeze", 13, {"x": (F, [2, 1, 3, 1])}, ["y"], {"a": i64(-1)})
case("shape", "Squeeze axes attribute opset 11", "Squeeze", 11, {"x": (F, [2, 1, 3, 1])}, ["y"], axes=[1])
case("shape", "Squeeze all ones", "Squeeze", 13, {"x": (F, [2, 1, 3, 1])}, ["y"])
case("shape", "Unsqueeze axes input first and last", "Unsqueeze", 13, {"x": (F, [3, 4])}, ["y"], {"a": i64(0, -1)})
case("shape", "Unsqueeze axes attribute opset 11", "Unsqueeze", 11, {"x": (F, [3, 4])}, ["y"], axes=[1])
case("shape", "Transpose NCHW to NHWC", "Transpose", 13, {"x": (F, [1, 3, 4, 5])}, ["y"], perm=[0, 2, 3, 1])
case("shape", "Transpose default reverses", "Transpose", 13, {"x": (F, [1, 3, 4, 5])}, ["y"])
case("shape", "Concat negative axis", "Concat", 13, {"a": (F, [2, 3]), "b": (F, [2, 5])}, ["y"], axis=-1)
case("shape", "Split sizes input", "Split", 13, {"x": (F, [3, 6])}, ["y1", "y2"], {"s": i64(2, 4)}, axis=1)
case("shape", "Split equal parts opset 11", "Split", 11, {"x": (F, [3, 6])}, ["y1", "y2", "y3"], axis=1)
case("shape", "Expand broadcasts", "Expand", 13, {"x": (F, [3, 1])}, ["y"], {"s": i64(2, 1, 4)})
case("shape", "Tile", "Tile", 13, {"x": (F, [2, 3])}, ["y"], {"r": i64(2, 2)})
case("shape", "Pad pads input", "Pad", 13, {"x": (F, [2, 3])}, ["y"], {"p": i64(0, 1, 0, 2)})
case("shape", "Pad attribute opset 2", "Pad", 2, {"x": (F, [2, 3])}, ["y"], pads=[1, 0, 1, 0])
case("shape", "Shape start negative", "Shape", 15, {"x": (F, [2, 3, 4])}, ["y"], start=-2)
case("shape", "Size", "Size", 13, {"x": (F, [2, 3, 4])}, ["y"])

# index
case("index", "Slice steps and clamped ends", "Slice", 13, {"x": (F, [10, 20])}, ["y"],
     {"s": i64(1, -5), "e": i64(8, 1000), "a": i64(0, 1), "st": i64(2, 1)})
case("index", "Slice negative step reverses", "Slice", 13, {"x": (F, [10])}, ["y"],
     {"s": i64(9), "e": i64(-100), "a": i64(0), "st": i64(-1)})
case("index", "Slice attributes opset 9", "Slice", 9, {"x": (F, [3, 4])}, ["y"], starts=[0], ends=[2], axes=[1])
case("index", "Gather axis 1", "Gather", 13, {"x": (F, [5, 4, 3]), "i": (I64, [2, 6])}, ["y"], axis=1)
case("index", "Gather negative axis", "Gather", 13, {"x": (F, [5, 4, 3]), "i": (I64, [7])}, ["y"], axis=-1)
case("index", "GatherElements", "GatherElements", 13, {"x": (F, [3, 3]), "i": (I64, [2, 3])}, ["y"], axis=0)
case("index", "GatherND", "GatherND", 13, {"x": (F, [2, 3, 4]), "i": (I64, [2, 2])}, ["y"])
case("index", "GatherND batch_dims", "GatherND", 13, {"x": (F, [2, 3, 4]), "i": (I64, [2, 1])}, ["y"], batch_dims=1)
case("index", "ScatterND", "ScatterND", 13, {"x": (F, [4, 4]), "i": (I64, [2, 1]), "u": (F, [2, 4])}, ["y"])
case("index", "TopK", "TopK", 11, {"x": (F, [4, 10])}, ["v", "i"], {"k": i64(3)}, axis=-1)
case("index", "Trilu", "Trilu", 14, {"x": (F, [3, 5])}, ["y"])
case("index", "NonZero", "NonZero", 13, {"x": (F, [3, 4])}, ["y"])

# generate
case("generate", "ConstantOfShape", "ConstantOfShape", 9, {}, ["y"], {"s": i64(2, 3)},
     value=numpy_helper.from_array(i64(7)))
case("generate", "Range int", "Range", 11, {}, ["y"],
     {"start": scalar(0, np.int64), "limit": scalar(10, np.int64), "delta": scalar(3, np.int64)})
case("generate", "Range float", "Range", 11, {}, ["y"],
     {"start": scalar(1, np.float32), "limit": scalar(2, np.float32), "delta": scalar(0.3, np.float32)})
case("generate", "Constant value_ints", "Constant", 13, {}, ["y"], value_ints=[1, 2, 3])
case("generate", "Constant value_float", "Constant", 13, {}, ["y"], value_float=0.5)
case("generate", "EyeLike", "EyeLike", 9, {"x": (F, [3, 4])}, ["y"])
case("generate", "RandomNormal", "RandomNormal", 1, {}, ["y"], shape=[2, 5])
case("generate", "RandomUniformLike", "RandomUniformLike", 1, {"x": (F, [3, 4])}, ["y"])
case("generate", "Multinomial", "Multinomial", 7, {"x": (F, [2, 10])}, ["y"], sample_size=5)
case("generate", "Bernoulli", "Bernoulli", 15, {"x": (F, [4, 4])}, ["y"])

# resize
case("resize", "Resize scales nearest", "Resize", 13, {"x": (F, [1, 3, 8, 8])}, ["y"],
     {"s": f32(1, 1, 2, 2)}, node_inputs=["x", "", "s"])
case("resize", "Resize sizes linear", "Resize", 13, {"x": (F, [1, 3, 8, 8])}, ["y"],
     {"z": i64(1, 3, 5, 7)}, node_inputs=["x", "", "", "z"], mode="linear")
case("resize", "Resize fractional scale opset 11", "Resize", 11, {"x": (F, [1, 1, 5, 5])}, ["y"],
     {"r": f32(), "s": f32(1, 1, 1.5, 1.5)}, node_inputs=["x", "r", "s"])
case("resize", "Upsample scales input", "Upsample", 9, {"x": (F, [1, 3, 8, 8])}, ["y"], {"s": f32(1, 1, 2, 3)})
case("resize", "GridSample", "GridSample", 16, {"x": (F, [1, 3, 10, 10]), "g": (F, [1, 6, 7, 2])}, ["y"])
case("resize", "DepthToSpace", "DepthToSpace", 13, {"x": (F, [1, 8, 3, 3])}, ["y"], blocksize=2)
case("resize", "SpaceToDepth", "SpaceToDepth", 13, {"x": (F, [1, 2, 6, 6])}, ["y"], blocksize=2)


def tensor_json(name, arr):
    t = {"name": name, "dtype": int(onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[arr.dtype]), "shape": list(arr.shape)}
    if arr.dtype.kind == "f":
        t["floats"] = [float(v) for v in arr.flatten()]
    else:
        t["ints"] = [int(v) for v in arr.flatten()]
    return t


def attr_json(v):
    if isinstance(v, bool) or isinstance(v, int):
        return {"i": int(v)}
    if isinstance(v, float):
        return {"f": v}
    if isinstance(v, str):
        return {"s": v}
    if isinstance(v, onnx.TensorProto):
        return {"t": tensor_json(v.name, numpy_helper.to_array(v))}
    if all(isinstance(x, int) for x in v):
        return {"ints": list(v)}
    return {"floats": [float(x) for x in v]}


def infer(c):
    node = helper.make_node(c["op"], c["node_inputs"], c["outputs"], **c["attrs"])
    inputs = [helper.make_tensor_value_info(n, dt, s) for n, (dt, s) in c["inputs"].items()]
    inits = [numpy_helper.from_array(a, n) for n, a in c["weights"].items()]
    outputs = [helper.make_empty_tensor_value_info(o) for o in c["outputs"]]
    graph = helper.make_graph([node], "case", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", c["opset"])])
    model.ir_version = 8
    inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    onnx.checker.check_model(inferred)  # the outputs have types only now
    shapes, dtypes = [], []
    for o in inferred.graph.output:
        dims = o.type.tensor_type.shape.dim
        assert o.type.tensor_type.HasField("shape"), (c["name"], o.name)
        shapes.append([d.dim_value if d.HasField("dim_value") else -1 for d in dims])
        dtypes.append(o.type.tensor_type.elem_type)
    return shapes, dtypes


def main():
    out = []
    for c in CASES:
        out.append({
            "family": c["family"], "name": c["name"], "op": c["op"], "opset": c["opset"],
            "inputs": [{"name": n, "dtype": dt, "shape": s} for n, (dt, s) in c["inputs"].items()],
            "weights": [tensor_json(n, a) for n, a in c["weights"].items()],
            "node_inputs": c["node_inputs"],
            "attrs": {k: attr_json(v) for k, v in sorted(c["attrs"].items())},
            "outputs": c["outputs"],
        })
        out[-1]["shapes"], out[-1]["dtypes"] = infer(c)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        # One case per line, so a diff shows which cases changed.
        f.write('{"generator": "testdata/gen/make_rule_shapes.py", "onnx": "%s", "cases": [\n' % onnx.__version__)
        f.write(",\n".join(json.dumps(c) for c in out))
        f.write("\n]}\n")
    print("wrote %d cases to %s" % (len(out), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
