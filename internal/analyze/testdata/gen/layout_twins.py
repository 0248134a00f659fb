"""Reference figures for layout_test.go, from PyTorch rather than netscore.

Each case is an NCHW PyTorch module; its NHWC / OHWI / 1HWO twin must count
the same. params = sum(p.numel()) of the module. Conv macs = half the FLOPs
the PyTorch profiler counts for aten::conv2d (2 per multiply-add, bias
excluded), cross-checked against the hand formula
  conv:            out.numel() * (C_in / groups) * kH * kW
The profiler (torch 1.13) counts no FLOPs for aten::conv_transpose2d, so
its macs are the hand formula alone, over PyTorch's own tensor sizes:
  conv-transpose:  x.numel() * (C_out / groups) * kH * kW
pool_ops = out.numel() * kH * kW (docs/counting.md: pooling reads its window
once per output element).

Run from the repository root:
  python3 internal/analyze/testdata/gen/layout_twins.py > internal/analyze/testdata/layout_twins.json
"""
import json

import torch
from torch.profiler import ProfilerActivity, profile

torch.manual_seed(0)


def conv_case(name, module, x):
    with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        out = module(x)
    w = module.weight
    k = w.shape[2] * w.shape[3]
    if isinstance(module, torch.nn.ConvTranspose2d):
        macs = x.numel() * (module.out_channels // module.groups) * k
    else:
        macs = sum(e.flops for e in prof.events() if e.name == "aten::conv2d") // 2
        hand = out.numel() * (module.in_channels // module.groups) * k
        assert macs == hand, (name, macs, hand)
    return {
        "name": name,
        "input_nchw": list(x.shape),
        "weight_torch": list(w.shape),
        "groups": module.groups,
        "stride": list(module.stride),
        "padding": list(module.padding),
        "output_nchw": list(out.shape),
        "weight_numel": w.numel(),
        "bias_numel": module.bias.numel(),
        "params": sum(p.numel() for p in module.parameters()),
        "macs": macs,
    }


def pool_case(name, module, x):
    out = module(x)
    k = module.kernel_size * module.kernel_size
    return {
        "name": name,
        "input_nchw": list(x.shape),
        "kernel": module.kernel_size,
        "stride": [module.stride] * 2,
        "padding": [module.padding] * 2,
        "output_nchw": list(out.shape),
        "pool_ops": out.numel() * k,
    }


cases = [
    conv_case("conv", torch.nn.Conv2d(3, 16, 3, stride=2, padding=1), torch.randn(1, 3, 32, 32)),
    conv_case("depthwise", torch.nn.Conv2d(8, 16, 3, stride=1, padding=1, groups=8), torch.randn(1, 8, 20, 20)),
    conv_case("transpose", torch.nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1), torch.randn(1, 8, 10, 10)),
    pool_case("maxpool", torch.nn.MaxPool2d(3, stride=2, padding=1), torch.randn(1, 8, 20, 20)),
]
print(json.dumps({"torch": torch.__version__.split("+")[0], "cases": cases}, indent=1))
