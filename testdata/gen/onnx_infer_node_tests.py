#!/usr/bin/python3
"""ONNX's own shape inference on the ONNX backend tests, with what the model
declares about its results erased.

For every test model in the four suites of Debian's libonnx-testdata (node,
pytorch-converted, pytorch-operator, simple) this erases the shapes of the
graph outputs and every value_info (in subgraphs too), as a user's model
without them would be, runs onnx.shape_inference.infer_shapes(model,
data_prop=True) and records whether ONNX inferred every output's shape equal
to the test's expected output (test_data_set_0/output_*.pb).

A sequence output is compared by its element shape, when every expected
element has the same shape; an optional output by its content. An output
with no shape to compare (an empty sequence or optional, elements of
different shapes) counts as not inferred, for ONNX as for netscore.

Writes internal/conformance/testdata/onnx_infer.csv: test,onnx,outputs,detail
(onnx is 1 when inferred; outputs is each graph output's declared kind, t for
a tensor, s for a sequence, o(..) for an optional, which says how to read the
expected output files). internal/conformance's TestONNXNodeShapes fails
when ONNX infers a test netscore does not.

    /usr/bin/python3 testdata/gen/onnx_infer_node_tests.py [DATA_DIR]

Needs Debian's python3-onnx (1.12).
"""

import csv
import glob
import os
import sys

import onnx
from onnx import numpy_helper, shape_inference

DATA = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/libonnx-testdata/data"
SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "internal", "conformance", "testdata", "onnx_infer.csv")


def erase_type(tp):
    """Clears the shape of a type, keeping its kind and element type."""
    kind = tp.WhichOneof("value")
    if kind == "tensor_type":
        tp.tensor_type.ClearField("shape")
    elif kind == "sparse_tensor_type":
        tp.sparse_tensor_type.ClearField("shape")
    elif kind == "sequence_type":
        erase_type(tp.sequence_type.elem_type)
    elif kind == "optional_type":
        erase_type(tp.optional_type.elem_type)
    elif kind == "map_type":
        erase_type(tp.map_type.value_type)


def erase(g):
    del g.value_info[:]
    for o in g.output:
        erase_type(o.type)
    for n in g.node:
        for a in n.attribute:
            if a.HasField("g"):
                erase(a.g)
            for sg in a.graphs:
                erase(sg)


def expected(tp, path):
    """The shape to compare for one expected output file, or a reason."""
    with open(path, "rb") as f:
        data = f.read()
    return expected_value(tp, data)


def expected_value(tp, data):
    kind = tp.WhichOneof("value")
    if kind == "tensor_type":
        t = onnx.TensorProto()
        t.ParseFromString(data)
        return list(t.dims), None
    if kind == "sequence_type":
        s = onnx.SequenceProto()
        s.ParseFromString(data)
        shapes = [list(t.dims) for t in s.tensor_values]
        if not shapes:
            return None, "empty sequence"
        if any(sh != shapes[0] for sh in shapes):
            return None, "sequence elements differ in shape"
        return ("seq", shapes[0]), None
    if kind == "optional_type":
        o = onnx.OptionalProto()
        o.ParseFromString(data)
        field = next((f for f in ("tensor_value", "sequence_value", "optional_value") if o.HasField(f)), None)
        if field is None:
            return None, "empty optional"
        return expected_value(tp.optional_type.elem_type, getattr(o, field).SerializeToString())
    return None, "output of type " + str(kind)


def inferred(tp, want):
    """Whether the inferred type tp holds exactly the expected shape."""
    kind = tp.WhichOneof("value")
    if kind == "optional_type":
        return inferred(tp.optional_type.elem_type, want)
    if isinstance(want, tuple):  # a sequence's element shape
        if kind != "sequence_type":
            return False
        return inferred(tp.sequence_type.elem_type, want[1])
    if kind != "tensor_type" or not tp.tensor_type.HasField("shape"):
        return False
    dims = tp.tensor_type.shape.dim
    if len(dims) != len(want):
        return False
    return all(d.HasField("dim_value") and d.dim_value == w for d, w in zip(dims, want))


def kind(tp):
    """The output's kind as the Go test reads its expected file: t (tensor),
    s (sequence), o(...) (optional of ...)."""
    k = tp.WhichOneof("value")
    if k == "sequence_type":
        return "s"
    if k == "optional_type":
        return "o(%s)" % kind(tp.optional_type.elem_type)
    if k == "map_type":
        return "m"
    return "t"


def run(test_dir):
    m = onnx.load(os.path.join(test_dir, "model.onnx"))
    kinds = " ".join(kind(o.type) for o in m.graph.output)
    ok, detail = infer(m, test_dir)
    return ok, kinds, detail


def infer(m, test_dir):
    outs = sorted(glob.glob(os.path.join(test_dir, "test_data_set_0", "output_*.pb")))
    if not outs:
        return 0, "no expected outputs"
    wants = []
    for i, p in enumerate(outs):
        if i >= len(m.graph.output):
            break
        want, why = expected(m.graph.output[i].type, p)
        if why:
            return 0, "output %d: %s" % (i, why)
        wants.append(want)
    erase(m.graph)
    try:
        got = shape_inference.infer_shapes(m, data_prop=True)
    except Exception as e:  # noqa: BLE001 - any failure is "not inferred"
        return 0, "error: " + str(e).splitlines()[0][:120]
    for i, want in enumerate(wants):
        if not inferred(got.graph.output[i].type, want):
            return 0, "output %d not inferred" % i
    return 1, ""


def main():
    rows = []
    for suite in SUITES:
        for d in sorted(glob.glob(os.path.join(DATA, suite, "test_*"))):
            ok, kinds, detail = run(d)
            rows.append((suite + "/" + os.path.basename(d), ok, kinds, detail))
    rows.sort()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["test", "onnx", "outputs", "detail"])
        w.writerows(rows)
    n = sum(r[1] for r in rows)
    print("onnx %s infers %d/%d tests with declared output shapes erased" % (onnx.__version__, n, len(rows)))


if __name__ == "__main__":
    main()
