#!/usr/bin/python3
"""Small ONNX models for the guessed-shape, coverage and input-value gates.

Run from the repository root (Debian 12: python3-onnx):

    /usr/bin/python3 testdata/gen/make_gate_fixtures.py

- testdata/extra/free_hw_custom.onnx: an OCR-detector-like input whose
  spatial dims are free and named as paddle2onnx names them
  (x: [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1,
  p2o.DynamicDimension.2]), a 3->8 3x3 Conv (pad 1) and a custom-domain
  post-processing op no tool can cost.  At 1x3x640x640 the Conv is
  8*640*640*3*3*3 = 88,473,600 MACs and 8*3*3*3 + 8 = 224 params (the
  convolution's definition).
- testdata/extra/sr_branches.onnx: Silero VAD's shape of choice, an int64
  scalar input sr decides through Equal(sr, 16000) and If which branch runs:
  x [1, 64] times a [64, 32] weight (2,048 MACs) at 16 kHz, else a [64, 8]
  one (512 MACs).
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

def save(model, path):
    onnx.checker.check_model(model)
    onnx.save(model, path)

# free_hw_custom
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["p2o.DynamicDimension.0", 3, "p2o.DynamicDimension.1", "p2o.DynamicDimension.2"])
y = helper.make_tensor_value_info("boxes", TensorProto.FLOAT, None)
w = numpy_helper.from_array(np.zeros((8, 3, 3, 3), np.float32), "conv.w")
b = numpy_helper.from_array(np.zeros((8,), np.float32), "conv.b")
nodes = [
    helper.make_node("Conv", ["x", "conv.w", "conv.b"], ["feat"], name="conv", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("Relu", ["feat"], ["act"], name="relu"),
    helper.make_node("DBPostProcess", ["act"], ["boxes"], name="postprocess", domain="custom.ocr"),
]
g = helper.make_graph(nodes, "free_hw_custom", [x], [y], [w, b])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("custom.ocr", 1)], producer_name="make_gate_fixtures")
m.ir_version = 8
onnx.save(m, "testdata/extra/free_hw_custom.onnx")  # custom domain: the checker has no schema for it

# sr_branches
def branch(name, n):
    wt = numpy_helper.from_array(np.zeros((64, n), np.float32), name + ".w")
    out = helper.make_tensor_value_info(name + ".y", TensorProto.FLOAT, [1, n])
    return helper.make_graph([helper.make_node("MatMul", ["x", name + ".w"], [name + ".y"], name=name + ".matmul")], name, [], [out], [wt])

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])
sr = helper.make_tensor_value_info("sr", TensorProto.INT64, [])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, None])
k = numpy_helper.from_array(np.array(16000, np.int64), "k16000")
nodes = [
    helper.make_node("Equal", ["sr", "k16000"], ["is16k"], name="is16k"),
    helper.make_node("If", ["is16k"], ["y"], name="by_rate", then_branch=branch("rate16k", 32), else_branch=branch("rate8k", 8)),
]
g = helper.make_graph(nodes, "sr_branches", [x, sr], [y], [k])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_gate_fixtures")
m.ir_version = 8
save(m, "testdata/extra/sr_branches.onnx")

# digits_cnn_scaled: the digits CNN with a second input, a float scale its
# logits are multiplied by. A positive scale keeps every argmax, so eval
# with --value scale=2 must give PyTorch's figures for the digits model
# (testdata/digits/expected.json).
m = onnx.load("testdata/digits/digits_cnn.onnx")
out = m.graph.output[0]
scaled = helper.make_tensor_value_info("scale", TensorProto.FLOAT, [])
m.graph.input.append(scaled)
m.graph.node.append(helper.make_node("Mul", [out.name + "_unscaled", "scale"], [out.name], name="scale_logits"))
for n in m.graph.node[:-1]:
    n.output[:] = [out.name + "_unscaled" if o == out.name else o for o in n.output]
save(m, "testdata/extra/digits_cnn_scaled.onnx")
