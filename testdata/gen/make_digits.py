#!/usr/bin/python3
"""Train a tiny digit classifier and write the fixtures of `netscore eval`.

Run from anywhere (Debian 12: python3-sklearn python3-torch python3-onnx
python3-pil, all from apt):

    /usr/bin/python3 testdata/gen/make_digits.py

Data: scikit-learn's load_digits (1,797 8x8 images with 17 grey levels,
0..16, shipped inside the python3-sklearn package, no download). Pixels are
scaled to 0..255 as uint8 = floor(v*255/16 + 1/2) (v = 8 -> 128).

Writes into testdata/digits/:

* val/<digit>/<index>.png - the held-out images (a fixed stratified split,
  360 images), 8x8 8-bit greyscale PNGs in torchvision ImageFolder layout;
  <index> is the image's row in load_digits, zero-padded to 4 digits.
* val.csv - the same images as a CSV list: header `path,label`, paths
  relative to the CSV's folder.
* digits_cnn.onnx - the trained CNN (conv3x3 1->16, ReLU, maxpool 2,
  linear 256->10; 2,730 params), opset 13, input `input` [batch,1,8,8]
  float32 (dim 0 is dim_param "batch"), output `logits` [batch,10].
* digits_cnn_b1.onnx - the same network with the batch fixed at 1.
* digits_cnn_nhwc3.onnx - the same network behind an NHWC colour input
  `input` [batch,8,8,3]: it takes channel 0 (exact: a grey PNG read as RGB
  repeats its value) and transposes to NCHW, so its expected figures are
  the same.
* digits_mlp.onnx - a non-image model for eval's error path: input
  `features` [batch,64] float32 -> linear 64->10, weights inline.
* expected.json - the held-out accuracy computed by PyTorch ON THE PNG FILES
  as read back by PIL (torchvision ToTensor: uint8/255, no normalisation,
  no resize or crop), never by netscore or onnxruntime: top1 / top5 in
  percent, n, correct counts, per-class correct/total, the confused
  (true, predicted) pairs with their counts, and the smallest gap between
  the top two logits (how far any image is from an argmax tie).

Deterministic: fixed seeds, one thread, full-batch training.
"""
import io
import json
import os
import shutil

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "testdata", "digits")
SEED = 0
N_VAL = 360

torch.manual_seed(SEED)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


class NHWC3(nn.Module):
    """[N,8,8,3] -> channel 0 as [N,1,8,8] -> the CNN."""

    def __init__(self, cnn):
        super().__init__()
        self.cnn = cnn

    def forward(self, x):
        return self.cnn(x[..., :1].permute(0, 3, 1, 2))


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3, padding=1)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.conv(x)))
        return self.fc(torch.flatten(x, 1))


def to_uint8(images):
    """load_digits' 0..16 levels -> 0..255, round half up."""
    v = images.astype(np.int64)
    return ((v * 255 + 8) // 16).astype(np.uint8)


def train(model, x, y, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return model.eval()


def export(model, path, example, input_name, output_name, dynamic):
    buf = io.BytesIO()
    torch.onnx.export(
        model, example, buf, opset_version=13, input_names=[input_name], output_names=[output_name],
        dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}} if dynamic else None,
        do_constant_folding=True)
    m = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(m)
    m.producer_name, m.producer_version = "pytorch", torch.__version__
    onnx.save(m, path)


def main():
    digits = load_digits()
    images = to_uint8(digits.images)  # (1797, 8, 8) uint8
    labels = digits.target.astype(np.int64)
    idx = np.arange(len(labels))
    train_idx, val_idx = train_test_split(idx, test_size=N_VAL, random_state=SEED, stratify=labels)
    val_idx = np.sort(val_idx)

    x_train = torch.from_numpy(images[train_idx].astype(np.float32) / 255.0).unsqueeze(1)
    y_train = torch.from_numpy(labels[train_idx])
    cnn = train(DigitsCNN(), x_train, y_train, epochs=60)

    if os.path.isdir(os.path.join(OUT, "val")):
        shutil.rmtree(os.path.join(OUT, "val"))
    os.makedirs(OUT, exist_ok=True)
    rel_paths = []
    for i in val_idx:
        d = os.path.join(OUT, "val", str(labels[i]))
        os.makedirs(d, exist_ok=True)
        rel = f"val/{labels[i]}/{i:04d}.png"
        Image.fromarray(images[i], mode="L").save(os.path.join(OUT, rel), optimize=True)
        rel_paths.append((rel, int(labels[i])))
    rel_paths.sort()  # ImageFolder order: class folder, then file name
    with open(os.path.join(OUT, "val.csv"), "w", newline="\n") as f:
        f.write("path,label\n")
        for rel, lab in rel_paths:
            f.write(f"{rel},{lab}\n")

    # The expected figures: PyTorch on the PNG files as PIL reads them back.
    xs, ys = [], []
    for rel, lab in rel_paths:
        with Image.open(os.path.join(OUT, rel)) as im:
            assert im.mode == "L" and im.size == (8, 8), (rel, im.mode, im.size)
            arr = np.asarray(im, dtype=np.uint8)
        xs.append(torch.from_numpy(arr.astype(np.float32) / 255.0).unsqueeze(0))  # == ToTensor()
        ys.append(lab)
    x_val = torch.stack(xs)
    y_val = torch.tensor(ys)
    with torch.no_grad():
        logits = cnn(x_val)
    pred = logits.argmax(1)
    top5 = logits.topk(5, 1).indices
    correct1 = int((pred == y_val).sum())
    correct5 = int((top5 == y_val.unsqueeze(1)).any(1).sum())
    srt = logits.sort(1, descending=True).values
    min_gap = float((srt[:, 0] - srt[:, 1]).min())
    per_class = []
    for c in range(10):
        m = y_val == c
        per_class.append({"class": str(c), "correct": int((pred[m] == c).sum()), "total": int(m.sum())})
    conf = {}
    for t, p in zip(y_val.tolist(), pred.tolist()):
        if t != p:
            conf[(t, p)] = conf.get((t, p), 0) + 1
    confused = [{"true": str(t), "predicted": str(p), "count": n}
                for (t, p), n in sorted(conf.items(), key=lambda kv: (-kv[1], kv[0]))]
    n = len(ys)
    expected = {
        "how": "PyTorch %s on the PNGs read back by PIL %s, ToTensor (uint8/255), no resize/crop/normalisation"
               % (torch.__version__, Image.__version__),
        "model": "digits_cnn.onnx",
        "n": n,
        "top1_correct": correct1,
        "top5_correct": correct5,
        "top1": 100.0 * correct1 / n,
        "top5": 100.0 * correct5 / n,
        "min_top2_gap": min_gap,
        "per_class": per_class,
        "confused": confused,
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    export(cnn, os.path.join(OUT, "digits_cnn.onnx"), x_val[:2], "input", "logits", True)
    export(cnn, os.path.join(OUT, "digits_cnn_b1.onnx"), x_val[:1], "input", "logits", False)
    x_nhwc3 = x_val.permute(0, 2, 3, 1).repeat(1, 1, 1, 3)
    with torch.no_grad():
        assert torch.equal(NHWC3(cnn)(x_nhwc3), logits)
    export(NHWC3(cnn).eval(), os.path.join(OUT, "digits_cnn_nhwc3.onnx"), x_nhwc3[:2], "input", "logits", True)

    torch.manual_seed(SEED + 1)
    x_flat = torch.from_numpy(images[train_idx].reshape(-1, 64).astype(np.float32) / 255.0)
    mlp = train(nn.Sequential(nn.Linear(64, 10)), x_flat, y_train, epochs=30)
    export(mlp, os.path.join(OUT, "digits_mlp.onnx"), x_flat[:2], "features", "logits", True)

    print(f"held-out: {n} images, top-1 {correct1}/{n} = {expected['top1']:.4f}%, "
          f"top-5 {correct5}/{n}, min top-2 gap {min_gap:.4f}, params "
          f"{sum(p.numel() for p in cnn.parameters())}")


if __name__ == "__main__":
    main()
