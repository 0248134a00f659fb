#!/usr/bin/python3
"""Export shape-only ONNX fixtures of real networks plus independent PyTorch
reference counts (params, folded params, BN buffers, MACs).

Run from the repository root:

    /usr/bin/python3 testdata/gen/export_torchvision.py [name-substring ...]

Writes testdata/models/*.onnx (weights stripped: initializers keep dims/dtype
and an external_data reference to a .data file that is deleted) and
testdata/models/manifest.csv.  With name substrings only matching files are
re-exported and their manifest rows replaced (other rows are kept).

Nothing here reads the exported ONNX files back to compute the reference
numbers: torch_params / torch_params_folded / torch_buffers / torch_macs are
computed from the PyTorch module only.  See testdata/gen/README.md.
"""
import csv
import io
import math
import os
import sys
import warnings

import torch
import torch.nn as nn
import torchvision
from torch.nn.modules.batchnorm import _BatchNorm
from torch.utils._python_dispatch import TorchDispatchMode

import onnx

warnings.filterwarnings("ignore")
torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "testdata", "models")
MANIFEST = os.path.join(OUT_DIR, "manifest.csv")
COLUMNS = ["file", "model", "opset", "input_shape", "dynamic_batch", "bn_folded",
           "torch_params", "torch_params_folded", "torch_buffers", "torch_macs", "note"]

tvm = torchvision.models


# --------------------------------------------------------------------------
# Small custom nets exercising ops torchvision lacks
# --------------------------------------------------------------------------
class DCGANGenerator(nn.Module):
    """DCGAN-style generator: 1x100x1x1 latent -> 1x3x64x64 image."""

    def __init__(self, nz=100, ngf=64):
        super().__init__()
        self.net = nn.Sequential(
            # 1x1 -> 4x4
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            # 4 -> 8 (stride 2, padding 1)
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            # 8 -> 16: grouped (groups=2), kernel 3, output_padding=1
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 3, 2, 1, output_padding=1, groups=2, bias=False),
            nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            # 16 -> 32, with bias, no BN
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=True), nn.ReLU(True),
            # 32 -> 64
            nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh(),
        )

    def forward(self, x):
        return self.net(x)


class RNNClassifier(nn.Module):
    """Sequence classifier (MNIST-rows style): 1x28x28 -> 1x10, batch_first."""

    def __init__(self, kind, num_layers, bidirectional, input_size=28, hidden=64, classes=10):
        super().__init__()
        cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]
        self.rnn = cls(input_size, hidden, num_layers=num_layers, bidirectional=bidirectional, batch_first=True)
        self.fc = nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1])


class Conv1dNet(nn.Module):
    """1x1x256 -> 1x5. Conv1d with stride, dilation, groups."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, stride=2, padding=3, bias=False), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, padding=4, dilation=2, groups=4), nn.ReLU(),
            nn.Conv1d(32, 32, 3, stride=2), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(),
        )
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.features(x))


class Conv3dNet(nn.Module):
    """1x3x8x32x32 -> 1x4. Conv3d with dilation, anisotropic kernels/strides, groups."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(3, 16, 3, padding=2, dilation=2, bias=False), nn.BatchNorm3d(16), nn.ReLU(),
            nn.Conv3d(16, 32, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), groups=2), nn.ReLU(),
            nn.Conv3d(32, 32, 3, padding=(1, 2, 2), dilation=(1, 2, 2)), nn.ReLU(),
            nn.AdaptiveAvgPool3d(1), nn.Flatten(),
        )
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.features(x))


class TinyTransformer(nn.Module):
    """1x16x64 -> 1x10. One post-LN encoder block built from nn.MultiheadAttention
    (4 heads, batch_first) plus einsum ops."""

    def __init__(self, d=64, heads=4, ff=128, classes=10):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))
        self.ln2 = nn.LayerNorm(d)
        self.mix = nn.Parameter(torch.randn(d, d) * 0.02)
        self.head = nn.Linear(d, classes)

    def forward(self, x):
        a, _ = self.attn(x, x, x, need_weights=False)
        x = self.ln1(x + a)
        x = self.ln2(x + self.ff(x))
        g = torch.einsum("bij,bjk->bik", x, x.transpose(1, 2))          # B x 16 x 16
        x = x + torch.einsum("bij,bjk->bik", g.softmax(-1), x)          # B x 16 x 64
        x = torch.einsum("bij,jk->bik", x, self.mix)                    # einsum with a weight
        return self.head(x.mean(1))


class SegOut(nn.Module):
    """torchvision segmentation models return {'out': ...}; export just that tensor."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        return self.m(x)["out"]


# --------------------------------------------------------------------------
# Model table: name -> (builder, input shape, note)
# --------------------------------------------------------------------------
S224 = (1, 3, 224, 224)
MODELS = {
    "alexnet": (lambda: tvm.alexnet(weights=None), S224, ""),
    "vgg16": (lambda: tvm.vgg16(weights=None), S224, ""),
    "resnet18": (lambda: tvm.resnet18(weights=None), S224, ""),
    "resnet50": (lambda: tvm.resnet50(weights=None), S224, ""),
    "resnext50_32x4d": (lambda: tvm.resnext50_32x4d(weights=None), S224, ""),
    "wide_resnet50_2": (lambda: tvm.wide_resnet50_2(weights=None), S224, ""),
    "squeezenet1_0": (lambda: tvm.squeezenet1_0(weights=None), S224, ""),
    "densenet121": (lambda: tvm.densenet121(weights=None), S224, ""),
    "inception_v3": (lambda: tvm.inception_v3(weights=None, aux_logits=False, init_weights=False),
                     (1, 3, 299, 299), "aux_logits=False (no AuxLogits module) transform_input=False"),
    "googlenet": (lambda: tvm.googlenet(weights=None, aux_logits=False, init_weights=False), S224,
                  "aux_logits=False (no aux1/aux2 modules) transform_input=False"),
    "shufflenet_v2_x1_0": (lambda: tvm.shufflenet_v2_x1_0(weights=None), S224, ""),
    "mobilenet_v2": (lambda: tvm.mobilenet_v2(weights=None), S224, ""),
    "mobilenet_v3_large": (lambda: tvm.mobilenet_v3_large(weights=None), S224, ""),
    "mnasnet1_0": (lambda: tvm.mnasnet1_0(weights=None), S224, ""),
    "efficientnet_b0": (lambda: tvm.efficientnet_b0(weights=None), S224, ""),
    "regnet_y_400mf": (lambda: tvm.regnet_y_400mf(weights=None), S224, ""),
    "convnext_tiny": (lambda: tvm.convnext_tiny(weights=None), S224, ""),
    "vit_b_16": (lambda: tvm.vit_b_16(weights=None), S224, ""),
    "swin_t": (lambda: tvm.swin_t(weights=None), S224, ""),
    "r3d_18": (lambda: tvm.video.r3d_18(weights=None), (1, 3, 16, 112, 112), "video model"),
    "fcn_resnet50": (lambda: SegOut(tvm.segmentation.fcn_resnet50(weights=None, weights_backbone=None)),
                     (1, 3, 520, 520), "segmentation; aux_loss off; exported output = result['out']"),
    "lraspp_mobilenet_v3_large": (
        lambda: SegOut(tvm.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)),
        (1, 3, 520, 520), "segmentation; exported output = result['out']"),
    # custom nets
    "dcgan_generator": (lambda: DCGANGenerator(), (1, 100, 1, 1), "custom: ConvTranspose2d incl. groups=2 + output_padding=1"),
    "lstm_classifier": (lambda: RNNClassifier("lstm", 2, True), (1, 28, 28),
                        "custom: nn.LSTM(28->64 layers=2 bidirectional batch_first) + Linear(128->10)"),
    "gru_classifier": (lambda: RNNClassifier("gru", 2, False), (1, 28, 28),
                       "custom: nn.GRU(28->64 layers=2 unidirectional batch_first) + Linear(64->10)"),
    "rnn_classifier": (lambda: RNNClassifier("rnn", 1, True), (1, 28, 28),
                       "custom: nn.RNN(28->64 tanh layers=1 bidirectional batch_first) + Linear(128->10)"),
    "conv1d_net": (lambda: Conv1dNet(), (1, 1, 256), "custom: Conv1d stride/dilation/groups"),
    "conv3d_net": (lambda: Conv3dNet(), (1, 3, 8, 32, 32), "custom: Conv3d with dilation and groups"),
    "tiny_transformer": (lambda: TinyTransformer(), (1, 16, 64),
                         "custom: nn.MultiheadAttention(64 4 heads batch_first) + FFN + 3 einsum"),
}

# (model, opset, dynamic batch, keep BN)
VARIANTS = [(name, 13, True, False) for name in MODELS]
VARIANTS += [
    ("resnet50", 11, False, False), ("resnet50", 17, False, False),
    ("mobilenet_v2", 11, False, False), ("mobilenet_v2", 17, False, False),
    ("resnet18", 13, False, True), ("mobilenet_v2", 13, False, True),
]


def file_name(model, opset, dyn, bn):
    return f"{model}_op{opset}{'_dyn' if dyn else ''}{'_bn' if bn else ''}.onnx"


# --------------------------------------------------------------------------
# Independent counting (PyTorch only)
# --------------------------------------------------------------------------
def prod(xs):
    return math.prod(int(x) for x in xs)


def _flat_tensors(obj, acc):
    if isinstance(obj, torch.Tensor):
        acc.append(obj)
    elif isinstance(obj, (list, tuple)):
        for o in obj:
            _flat_tensors(o, acc)
    elif isinstance(obj, dict):
        for o in obj.values():
            _flat_tensors(o, acc)
    return acc


class MacCounter(TorchDispatchMode):
    """Counts multiply-accumulates of aten compute ops, and how many aten ops
    consume each tensor (to decide whether a conv output feeds only a BN)."""

    OTHER_SUSPICIOUS = ("conv", "mm", "matmul", "linear", "einsum", "lstm", "gru", "rnn", "attention",
                        "mkldnn", "dot", "mv", "tensordot")

    def __init__(self):
        super().__init__()
        self.macs = 0
        self.by_op = {}
        self.uses = {}
        self.keep = []          # keep every tensor alive so id() stays unique
        self.unhandled = set()

    def _add(self, op, n):
        self.macs += n
        self.by_op[op] = self.by_op.get(op, 0) + n

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        for t in _flat_tensors(list(args) + list(kwargs.values()), []):
            self.uses[id(t)] = self.uses.get(id(t), 0) + 1
            self.keep.append(t)
        self.keep.extend(_flat_tensors(out, []))
        name = func.overloadpacket.__name__
        if name == "convolution" or name == "_convolution":
            x, w = args[0], args[1]
            transposed = args[6]
            if transposed:   # w: (C_in, C_out/groups, *k)
                self._add(name + "_transposed", x.numel() * w.shape[1] * prod(w.shape[2:]))
            else:            # w: (C_out, C_in/groups, *k)
                self._add(name, out.numel() * w.shape[1] * prod(w.shape[2:]))
        elif name == "mm":
            a, b = args[0], args[1]
            self._add(name, a.shape[0] * a.shape[1] * b.shape[1])
        elif name == "addmm":
            a, b = args[1], args[2]
            self._add(name, a.shape[0] * a.shape[1] * b.shape[1])
        elif name == "bmm":
            a, b = args[0], args[1]
            self._add(name, a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2])
        elif name == "baddbmm":
            a, b = args[1], args[2]
            self._add(name, a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2])
        elif name == "matmul":
            a, b = args[0], args[1]
            k = a.shape[-1]
            self._add(name, out.numel() * k)
        elif name == "linear":
            a, w = args[0], args[1]
            self._add(name, out.numel() * w.shape[-1])
        elif name in ("mv", "addmv"):
            m = args[0] if name == "mv" else args[1]
            self._add(name, m.shape[0] * m.shape[1])
        elif name == "dot":
            self._add(name, args[0].numel())
        elif any(s in name for s in self.OTHER_SUSPICIOUS) and not name.startswith("upsample"):
            self.unhandled.add(name)
        return out


def conv_bn_analysis(model, x):
    """Runs one forward pass (batch 1, autograd enabled so that nn.MultiheadAttention
    does not take its fused fast path) and returns (macs, mac_by_op, folded, unfolded,
    unhandled) where folded/unfolded are lists of (conv|None, bn) pairs."""
    conv_out = {}
    bn_in = []
    hooks = []
    convs = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
    for m in model.modules():
        if isinstance(m, convs):
            hooks.append(m.register_forward_hook(lambda mod, i, o: conv_out.__setitem__(id(o), (mod, o))))
        elif isinstance(m, _BatchNorm):
            hooks.append(m.register_forward_pre_hook(lambda mod, i: bn_in.append((mod, i[0]))))
    counter = MacCounter()
    with torch.enable_grad(), counter:
        model(x)
    for h in hooks:
        h.remove()
    folded, unfolded = [], []
    for bn, t in bn_in:
        src = conv_out.get(id(t))
        if src is not None and src[1] is t and counter.uses.get(id(t), 0) == 1:
            folded.append((src[0], bn))
        else:
            unfolded.append((None, bn))
    res = (counter.macs, dict(counter.by_op), folded, unfolded, sorted(counter.unhandled))
    counter.keep.clear()
    return res


def rnn_macs(model, shape):
    """Analytic MACs for nn.LSTM/GRU/RNN: per layer and direction
    seq_len x batch x (weight_ih elements + weight_hh elements)."""
    total = 0
    for m in model.modules():
        if isinstance(m, nn.RNNBase):
            seq = shape[1] if m.batch_first else shape[0]
            batch = shape[0] if m.batch_first else shape[1]
            for name, p in m.named_parameters():
                if name.startswith("weight_ih") or name.startswith("weight_hh"):
                    total += seq * batch * p.numel()
    return total


def randomize_(model, seed):
    """Give every floating parameter / BN statistic distinct random values.
    torch 1.13's exporter merges value-identical initializers (e.g. the all-zero
    biases produced by folding a freshly initialised BN, LayerNorm weights that are
    all ones) into one initializer + Identity nodes; real trained weights never
    collide, so the fixtures are made with collision-free values."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.05)
        for m in model.modules():
            if isinstance(m, _BatchNorm) and m.running_mean is not None:
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------
def export_stripped(model, x, path, opset, dyn, keep_bn):
    f = io.BytesIO()
    kw = dict(opset_version=opset, input_names=["input"], output_names=["output"])
    if dyn:
        kw["dynamic_axes"] = {"input": {0: "batch"}, "output": {0: "batch"}}
    if keep_bn:
        # PRESERVE with the module in eval mode skips the exporter's eval-mode
        # Conv+BN fusion (only run for training=EVAL) and emits inference-form
        # BatchNormalization nodes. do_constant_folding=False does NOT keep BN.
        kw["training"] = torch.onnx.TrainingMode.PRESERVE
    # autograd stays enabled: under no_grad nn.MultiheadAttention / TransformerEncoderLayer
    # take a fused fast path (aten::_native_multi_head_attention) that has no ONNX symbolic
    with torch.enable_grad():
        torch.onnx.export(model, x, f, **kw)
    m = onnx.load_from_string(f.getvalue())
    del f
    onnx.checker.check_model(m)
    base = os.path.basename(path)
    data = path[:-len(".onnx")] + ".data"
    onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    size_threshold=1024, location=os.path.basename(data))
    if os.path.exists(data):
        os.remove(data)
    ops = {}
    for n in m.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    return ops


def main(filters):
    os.makedirs(OUT_DIR, exist_ok=True)
    rows = {}
    if filters and os.path.exists(MANIFEST):
        with open(MANIFEST, newline="") as fh:
            for r in csv.DictReader(fh):
                rows[r["file"]] = r
    failures = []
    cache = {}
    for model_name, opset, dyn, keep_bn in VARIANTS:
        fname = file_name(model_name, opset, dyn, keep_bn)
        if filters and not any(s in fname for s in filters):
            continue
        builder, shape, base_note = MODELS[model_name]
        print(f"== {fname}", flush=True)
        torch.manual_seed(0)
        model = builder().eval()
        randomize_(model, 0)
        x = torch.randn(*shape)

        if model_name not in cache:
            params = sum(p.numel() for p in model.parameters())
            buffers = sum(m.running_mean.numel() + m.running_var.numel()
                          for m in model.modules() if isinstance(m, _BatchNorm) and m.running_mean is not None)
            macs, by_op, folded, unfolded, unhandled = conv_bn_analysis(model, x)
            note = []
            if any(isinstance(m, nn.RNNBase) for m in model.modules()):
                analytic = rnn_macs(model, shape)
                other = sum(v for k, v in by_op.items())
                rnn_aten = by_op.get("addmm", 0) + by_op.get("mm", 0)
                head = sum(p.numel() for n_, p in model.named_parameters() if n_.startswith("fc.weight"))
                # aten decomposes the CPU RNN into per-step addmm; the head Linear is 1 addmm
                assert rnn_aten - head == analytic, (rnn_aten, head, analytic)
                macs = analytic + head
                note.append(f"RNN MACs analytic = sum over layer/direction of seq x batch x (W_ih+W_hh elements) = {analytic}"
                            f" (equals aten addmm count) + head Linear {head}")
            if unhandled:
                note.append("unhandled aten ops: " + " ".join(unhandled))
            cache[model_name] = (params, buffers, macs, by_op, folded, unfolded, note)
        params, buffers, macs, by_op, folded, unfolded, cnote = cache[model_name]

        n_bn = len(folded) + len(unfolded)
        note = [base_note] if base_note else []
        note += cnote
        if n_bn == 0:
            pf = params
            note.append("no BatchNorm")
        elif keep_bn:
            pf = params + buffers
            note.append(f"BN kept ({n_bn} BatchNormalization; training=PRESERVE with eval module); "
                        "folded column = params + running_mean/var")
        else:
            pf = params
            for conv, bn in folded:
                pf -= bn.weight.numel() + bn.bias.numel()
                if conv.bias is None:
                    pf += conv.out_channels
            for _, bn in unfolded:
                pf += bn.running_mean.numel() + bn.running_var.numel()
            note.append(f"{len(folded)} BN folded into preceding Conv")
            if unfolded:
                kinds = sorted({type(bn).__name__ for _, bn in unfolded})
                note.append(f"{len(unfolded)} BN ({'/'.join(kinds)}) not directly after a (non-transposed) Conv: the exporter "
                            "keeps them as BatchNormalization (scale B mean var initializers) so running stats "
                            "are counted")
        # Parameters that the exporter's constant folding replaces by a derived constant of a
        # different size (computed from the module, not from the ONNX file):
        # Swin's relative_position_bias_table[(2Wh-1)(2Ww-1), heads] is gathered with the
        # constant relative_position_index and folded into a (1, heads, Wh*Ww, Wh*Ww) tensor.
        rpb = [m for m in model.modules() if hasattr(m, "relative_position_bias_table")
               and hasattr(m, "relative_position_index")]
        if rpb:
            delta = 0
            for m in rpb:
                n = prod(m.window_size)
                delta += m.num_heads * n * n - m.relative_position_bias_table.numel()
            pf += delta
            note.append(f"{len(rpb)} Swin relative_position_bias_table params are constant-folded "
                        f"(table gathered by relative_position_index) into heads x (Wh*Ww)^2 tensors: "
                        f"folded column = params {delta:+d}")
        try:
            ops = export_stripped(model, x, os.path.join(OUT_DIR, fname), opset, dyn, keep_bn)
        except Exception as e:  # record and move on
            msg = f"{fname}: export failed: {type(e).__name__}: {str(e).splitlines()[0][:300]}"
            print("FAILED", msg, flush=True)
            failures.append(msg)
            rows.pop(fname, None)
            continue
        # consistency checks against the exporter's node list (not used for any number)
        problems = []
        want_bn = n_bn if keep_bn else len(unfolded)
        if ops.get("BatchNormalization", 0) != want_bn:
            problems.append(f"BatchNormalization nodes {ops.get('BatchNormalization', 0)} != expected {want_bn}")
        for rnn in ("LSTM", "GRU", "RNN"):
            if model_name.startswith(rnn.lower() + "_") and ops.get(rnn, 0) == 0:
                problems.append(f"no ONNX {rnn} node")
        for p_ in problems:
            print("CHECK", fname, p_, flush=True)
            failures.append(f"{fname}: check: {p_}")
        rows[fname] = {
            "file": fname, "model": model_name, "opset": opset,
            "input_shape": "x".join(str(s) for s in shape),
            "dynamic_batch": "true" if dyn else "false",
            "bn_folded": "false" if keep_bn else "true",
            "torch_params": params, "torch_params_folded": pf, "torch_buffers": buffers,
            "torch_macs": macs, "note": "; ".join(note),
        }
        print(f"   params={params} folded={pf} buffers={buffers} macs={macs} by_op={by_op} ops={ops}", flush=True)
        del model

    order = [file_name(*v) for v in VARIANTS]
    with open(MANIFEST, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for f in sorted(rows, key=lambda f: order.index(f) if f in order else len(order)):
            w.writerow(rows[f])
    if failures:
        print("\nFAILURES:")
        for f in failures:
            print("  " + f)


if __name__ == "__main__":
    print(f"torch {torch.__version__} torchvision {torchvision.__version__} onnx {onnx.__version__}")
    main(sys.argv[1:])
