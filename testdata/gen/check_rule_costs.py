#!/usr/bin/python3
"""Checks the figures that internal/ops/{conv,matmul,recurrent,norm,pool}_test.go
state, against PyTorch: output shapes of the equivalent module, parameters
(sum of p.numel()) and aten-level MACs under export_torchvision.py's
MacCounter. Writes nothing; exits non-zero on a mismatch.

    /usr/bin/python3 testdata/gen/check_rule_costs.py

Keep the table below in step with the Go cases it names (test/case).
"""
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_torchvision import MacCounter  # noqa: E402

r = torch.randn
# (Go test/case, module or function, inputs, output shapes, MACs, params)
CASES = [
    ("TestConv/3x3 pad 1 with bias", nn.Conv2d(3, 8, 3, padding=1), [r(1, 3, 32, 32)], [(1, 8, 32, 32)], 221184, 224),
    ("TestConv/SAME_UPPER stride 2", nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False), [r(1, 3, 15, 15)], [(1, 4, 8, 8)], 6912, 108),
    ("TestConv/VALID stride 2", nn.Conv2d(3, 4, 3, stride=2, bias=False), [r(1, 3, 15, 15)], [(1, 4, 7, 7)], 5292, 108),
    ("TestConv/depthwise", nn.Conv2d(32, 32, 3, padding=1, groups=32, bias=False), [r(1, 32, 56, 56)], [(1, 32, 56, 56)], 903168, 288),
    ("TestConv/grouped", nn.Conv2d(8, 16, 3, groups=2, bias=False), [r(1, 8, 10, 10)], [(1, 16, 8, 8)], 36864, 576),
    ("TestConv/dilated", nn.Conv2d(1, 2, 3, dilation=2, bias=False), [r(1, 1, 10, 10)], [(1, 2, 6, 6)], 648, 18),
    ("TestConv/1-D stride 3", nn.Conv1d(4, 6, 5, stride=3, bias=False), [r(1, 4, 100)], [(1, 6, 32)], 3840, 120),
    ("TestConv/3-D", nn.Conv3d(3, 2, 3, bias=False), [r(1, 3, 8, 8, 8)], [(1, 2, 6, 6, 6)], 34992, 162),
    ("TestConv/ConvTranspose stride 2", nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1), [r(1, 4, 8, 8)], [(1, 2, 16, 16)], 8192, 130),
    ("TestConv/ConvTranspose grouped with output_padding",
     nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2, bias=False), [r(1, 4, 5, 5)], [(1, 6, 12, 12)], 2700, 108),
    ("TestMatMul/broadcast batch", torch.matmul, [r(2, 1, 3, 4), r(5, 4, 6)], [(2, 5, 3, 6)], 720, 0),
    ("TestMatMul/vector times matrix", torch.matmul, [r(4), r(4, 6)], [(6,)], 24, 0),
    ("TestMatMul/matrix times vector", torch.matmul, [r(2, 3, 4), r(4)], [(2, 3)], 24, 0),
    ("TestMatMul/Gemm transB with bias", nn.Linear(8, 16), [r(2, 8)], [(2, 16)], 256, 144),
    ("TestMatMul/Einsum batched matmul", lambda a, b: torch.einsum("bij,bjk->bik", a, b), [r(2, 3, 4), r(2, 4, 5)], [(2, 3, 5)], 120, 0),
    # PyTorch's LSTM/GRU output has no direction axis: (seq, batch, dirs*hidden).
    ("TestRecurrent/LSTM", nn.LSTM(10, 20), [r(28, 1, 10)], [(28, 1, 20), (1, 1, 20), (1, 1, 20)], 67200, 2560),
    ("TestRecurrent/GRU bidirectional batch-first", nn.GRU(6, 4, bidirectional=True, batch_first=True), [r(2, 5, 6)],
     [(2, 5, 8), (2, 2, 4)], 2400, 288),
    ("TestRecurrent/RNN without bias", nn.RNN(5, 7, bias=False), [r(3, 2, 5)], [(3, 2, 7), (1, 2, 7)], 504, 84),
    ("TestNormalization/BatchNormalization", nn.BatchNorm2d(4).eval(), [r(1, 4, 5, 5)], [(1, 4, 5, 5)], 0, 8),
    ("TestNormalization/LayerNormalization with Mean output", nn.LayerNorm(8), [r(2, 3, 8)], [(2, 3, 8)], 0, 16),
    ("TestPooling/MaxPool 3x3 stride 2 pad 1", nn.MaxPool2d(3, 2, 1), [r(1, 64, 112, 112)], [(1, 64, 56, 56)], 0, 0),
    ("TestPooling/MaxPool ceil_mode", nn.MaxPool2d(3, 2, ceil_mode=True), [r(1, 1, 6, 6)], [(1, 1, 3, 3)], 0, 0),
    ("TestPooling/MaxPool dilated", nn.MaxPool2d(2, 1, dilation=2), [r(1, 1, 8, 8)], [(1, 1, 6, 6)], 0, 0),
]


def flat(y):
    if isinstance(y, (tuple, list)):
        return [s for t in y for s in flat(t)]
    return [tuple(y.shape)]


def main():
    torch.manual_seed(0)
    bad = 0
    for name, fn, xs, shapes, macs, params in CASES:
        counter = MacCounter()
        with counter:
            y = fn(*xs)
        got = (flat(y), counter.macs, sum(p.numel() for p in fn.parameters()) if isinstance(fn, nn.Module) else 0)
        if got != (shapes, macs, params):
            bad += 1
            print("MISMATCH %s: torch %s, the Go test states %s" % (name, got, (shapes, macs, params)))
    print("%d of %d cases agree with PyTorch" % (len(CASES) - bad, len(CASES)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
