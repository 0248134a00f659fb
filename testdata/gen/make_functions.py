"""Models whose layers are ONNX model-local functions (torch.onnx.export with
export_modules_as_functions), with independent PyTorch counts.

Run: /usr/bin/python3 testdata/gen/make_functions.py
Writes testdata/functions/*.onnx (weights inline, small) and expected.csv
(columns as testdata/extra/expected.csv)."""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(__file__))
from export_torchvision import MacCounter  # noqa: E402  (the aten-level counter)

OUT = os.path.join(os.path.dirname(__file__), "..", "functions")


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.conv(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = Block(3, 8)
        self.b2 = Block(8, 8)  # the same function, called twice with other weights
        self.b3 = Block(8, 16)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.b3(self.b2(self.b1(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    m = Net().eval()
    x = torch.randn(1, 3, 16, 16)
    path = os.path.join(OUT, "blocks_as_functions.onnx")
    torch.onnx.export(m, x, path, opset_version=15, input_names=["input"], output_names=["output"],
                      export_modules_as_functions={Block})
    with MacCounter() as mc:
        m(x)
    params = sum(p.numel() for p in m.parameters())
    with open(os.path.join(OUT, "expected.csv"), "w") as f:
        f.write("file,params,buffers,macs,weight_bytes_by_dtype,outputs,how\n")
        f.write(f"blocks_as_functions.onnx,{params},0,{mc.macs},float32:{params * 4},output:1x10,"
                "torch.onnx.export with export_modules_as_functions={Block}; params = sum(p.numel()); "
                "MACs = aten-level MacCounter of export_torchvision.py\n")
    print(params, mc.macs)


if __name__ == "__main__":
    main()
