#!/usr/bin/python3
"""Shape-only copy of an ONNX model: every tensor of >= 1024 bytes, whether an
initializer or a Constant node's value (Paddle's exporter stores all weights
as Constant nodes), keeps its name, dims and dtype and loses its payload to an
external_data reference to a file that is then deleted. Smaller tensors
(scalars, shape constants, small biases) stay inline with their values.
Counts of params, MACs and shapes are unchanged; the model cannot be run.

    /usr/bin/python3 testdata/gen/strip_payloads.py IN.onnx OUT.onnx

Load the result with onnx.load(OUT, load_external_data=False).
"""
import os
import sys

import onnx
import onnx.numpy_helper
from onnx.external_data_helper import set_external_data


def tensors(g):
    """Initializers and Constant values of a graph and its subgraphs."""
    yield from g.initializer
    for n in g.node:
        for a in n.attribute:
            if a.HasField("t"):
                yield a.t
            yield from a.tensors
            if a.HasField("g"):
                yield from tensors(a.g)
            for sg in a.graphs:
                yield from tensors(sg)


def strip(src, dst):
    m = onnx.load(src)
    data = os.path.basename(dst)[:-len(".onnx")] + ".data"
    offset = 0
    # onnx 1.12's convert_model_to_external_data leaves attribute tensors
    # inline, so the payloads are moved by hand; the offsets are those a
    # real .data file would have.
    for t in tensors(m.graph):
        raw = onnx.numpy_helper.to_array(t).tobytes()
        if len(raw) < 1024 or t.data_location == onnx.TensorProto.EXTERNAL:
            continue
        set_external_data(t, location=data, offset=offset, length=len(raw))
        t.data_location = onnx.TensorProto.EXTERNAL
        for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data", "uint64_data"):
            t.ClearField(field)
        offset += len(raw)
    onnx.save_model(m, dst)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    strip(sys.argv[1], sys.argv[2])
