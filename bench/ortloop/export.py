#!/usr/bin/python3
"""Exports the models bench/ort.sh times: torchvision networks with random
(seeded) weights kept inline, opset 13, input "input" with a symbolic batch.

    /usr/bin/python3 bench/ortloop/export.py bench/out     # resnet18, mobilenet_v2

Needs Debian's python3-torch and python3-torchvision; no network, no
pretrained weights. The files (~47 MB and ~14 MB) go to bench/out/, which
git ignores.
"""
import os
import sys

import torch
import torchvision

out = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
for name in ["resnet18", "mobilenet_v2"]:
    path = os.path.join(out, f"{name}_w.onnx")
    if os.path.exists(path):
        print(path, "exists")
        continue
    model = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    torch.onnx.export(model, x, path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    print(path, os.path.getsize(path))
