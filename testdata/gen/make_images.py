#!/usr/bin/python3
"""Build the image-preprocessing fixtures in testdata/images/ and torchvision's
reference output for each of them.

Run from anywhere (~10 s on 2 cores, byte-for-byte reproducible):

    /usr/bin/python3 testdata/gen/make_images.py

jpegtran (Debian libjpeg-turbo-progs) is used for the 4:4:0 JPEG; without it
that one fixture is skipped.

Sources (testdata/images/src/): synthetic "photo-like" pictures drawn here with
numpy (sky/ground gradients, soft blobs, hard-edged shapes, 1-px lines, fine
stripes, grain), saved by PIL as JPEG (quality 90, 4:2:0 unless noted) and PNG
in the colour modes the Go loader must handle, plus flat-block JPEGs on which
the two IDCTs agree exactly. Nothing is taken from elsewhere,
so there is no licence question.

References (testdata/images/ref/), computed with torch/torchvision/PIL only:

* <src>.<preset>.png - torchvision's transform *before* ToTensor/Normalize, i.e.
  the uint8 result of Resize + CenterCrop on `Image.open(p).convert("RGB")`
  (torchvision's `pil_loader`), stored losslessly as PNG (RGB, or L for the
  gray preset). For every image and preset the script asserts that the full
  float32 transform (`T.Compose([T.Resize, T.CenterCrop, T.ToTensor(),
  T.Normalize(mean, std)])`, or `Inception_V3_Weights.IMAGENET1K_V1.transforms()`)
  is bit-identical to `Normalize(ToTensor(u8))` of this uint8 crop, so the uint8
  crop plus the known mean/std determines the float tensor exactly
  (a 224x224 RGB reference PNG is ~50 KB, the float32 tensor 602 KB).
* <src>.<preset>.f32 - the full float32 torchvision tensor (C,H,W little endian)
  for one case, to check Go's float arithmetic end to end.
* <src>.decoded.png - for JPEG sources: PIL's (libjpeg-turbo's) decoded RGB, so
  the Go resize path can be compared without decoder differences and the
  decoder difference can be measured on its own.

index.json lists every source and reference with its shape.
"""
import ctypes
import ctypes.util
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

import numpy as np
import PIL
import torch
import torchvision
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image
from torchvision.models import Inception_V3_Weights

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "images")
SRC = os.path.join(ROOT, "src")
REF = os.path.join(ROOT, "ref")

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
GRAY_MEAN = [0.449]  # average of the ImageNet means/stds (netscore's "gray" preset)
GRAY_STD = [0.226]


# --------------------------------------------------------------------------
# synthetic pictures


def scene(w, h, seed, grain=2.5):
    """An HxWx3 float picture in [0,255] that looks vaguely like a photo."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    u, v = x / w, y / h
    horizon = 0.45 + 0.1 * np.sin(2 * np.pi * (u * 1.3 + rng.random()))
    sky = np.stack([90 + 80 * v, 140 + 70 * v, 230 - 40 * v], -1)
    ground = np.stack([70 + 60 * u, 110 - 30 * v, 40 + 20 * u], -1)
    img = np.where((v < horizon)[..., None], sky, ground)
    # soft blobs
    for _ in range(6):
        cx, cy = rng.random() * w, rng.random() * h
        r = (0.05 + 0.2 * rng.random()) * min(w, h)
        col = rng.random(3) * 255
        a = 0.7 * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))[..., None]
        img = img * (1 - a) + col * a
    # hard-edged shapes
    for _ in range(5):
        col = rng.random(3) * 255
        kind = rng.integers(3)
        cx, cy = rng.random() * w, rng.random() * h
        s = (0.05 + 0.15 * rng.random()) * min(w, h)
        if kind == 0:
            m = (abs(x - cx) < s) & (abs(y - cy) < s * 0.6)
        elif kind == 1:
            m = (x - cx) ** 2 + (y - cy) ** 2 < s * s
        else:
            m = (y - cy > -s) & (abs(x - cx) < (y - cy + s) * 0.6) & (y - cy < s)
        img[m] = col
    # 1-px lines and a patch of fine stripes (aliasing-prone under resize)
    for _ in range(3):
        if rng.integers(2):
            img[rng.integers(h), :] = rng.random(3) * 255
        else:
            img[:, rng.integers(w)] = rng.random(3) * 255
    sx, sy = int(rng.integers(w // 2)), int(rng.integers(h // 2))
    patch = (np.sin(x[sy : sy + h // 4, sx : sx + w // 4] * 1.9) > 0) * 200.0 + 30
    img[sy : sy + h // 4, sx : sx + w // 4] = patch[..., None]
    # grain, stronger on the ground
    g = rng.normal(0, grain, (h, w, 1)) * np.where(v < horizon, 0.5, 1.0)[..., None]
    img = img + g + rng.normal(0, grain * 0.4, (h, w, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def blocks(w, h, seed):
    """Random colours in 16x16 blocks aligned to the JPEG MCU grid."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (h // 16 + 1, w // 16 + 1, 3)).astype(np.uint8)
    return Image.fromarray(np.kron(a, np.ones((16, 16, 1), dtype=np.uint8))[:h, :w], "RGB")


def png16(path, arr16):
    """Write a 16-bit RGB (HxWx3) or gray (HxW) PNG; PIL cannot write 16-bit RGB."""
    h, w = arr16.shape[:2]
    ctype = 2 if arr16.ndim == 3 else 0
    raw = b"".join(b"\x00" + arr16[i].astype(">u2").tobytes() for i in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, ctype, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def make_sources():
    """Returns [(name, note)] after writing every source image."""
    out = []

    def save(name, im, note, **kw):
        im.save(os.path.join(SRC, name), **kw)
        out.append((name, note))

    rgb = lambda w, h, s, **k: Image.fromarray(scene(w, h, s, **k), "RGB")
    # JPEGs (PIL/libjpeg-turbo encoder, quality 90)
    save("land_500x375.jpg", rgb(500, 375, 1), "RGB JPEG q90 4:2:0, typical ImageNet size", quality=90)
    save("port_333x500.jpg", rgb(333, 500, 2), "RGB JPEG q90 4:2:0, portrait, odd width", quality=90)
    save("small_200x150.jpg", rgb(200, 150, 3), "RGB JPEG q90 4:2:0, upscaled to 341x256", quality=90)
    save("odd_257x191.jpg", rgb(257, 191, 4), "RGB JPEG q90 4:2:0, odd sizes (chroma edge replication)", quality=90)
    save("q444_240x180.jpg", rgb(240, 180, 5), "RGB JPEG q90 4:4:4 (no chroma subsampling)", quality=90, subsampling=0)
    save("q422_prog_300x200.jpg", rgb(300, 200, 6), "RGB JPEG q85 4:2:2 progressive", quality=85, subsampling=1,
         progressive=True)
    save("gray_180x240.jpg", rgb(180, 240, 7).convert("L"), "grayscale JPEG q90", quality=90)
    save("cmyk_160x120.jpg", rgb(160, 120, 8).convert("CMYK"), "CMYK JPEG q90 (Adobe marker, inverted)",
         quality=90)
    # Flat 16x16 blocks: every DCT block is flat, so Go's and libjpeg's IDCTs
    # agree exactly and the decoded pixels isolate chroma upsampling and
    # YCbCr->RGB conversion, which must then match libjpeg-turbo exactly.
    save("blocks420_117x85.jpg", blocks(117, 85, 20), "flat blocks, JPEG q95 4:2:0, odd size", quality=95,
         subsampling=2)
    save("blocks422_120x88.jpg", blocks(120, 88, 21), "flat blocks, JPEG q95 4:2:2", quality=95, subsampling=1)
    if shutil.which("jpegtran"):  # 4:4:0 = a 4:2:2 JPEG transposed losslessly
        tmp = os.path.join(SRC, "tmp422.jpg")
        blocks(88, 120, 22).save(tmp, quality=95, subsampling=1)
        subprocess.run(["jpegtran", "-transpose", "-outfile", os.path.join(SRC, "blocks440_120x88.jpg"), tmp],
                       check=True)
        os.remove(tmp)
        out.append(("blocks440_120x88.jpg", "flat blocks, JPEG 4:4:0 (jpegtran -transpose of a q95 4:2:2 JPEG)"))
    else:
        print("jpegtran not found (apt-get install libjpeg-turbo-progs): no 4:4:0 fixture", file=sys.stderr)
    # JPEG kinds PIL cannot write, made with libjpeg-turbo's cjpeg from a PPM
    # (GO_SKIP: those Go's image/jpeg cannot decode).
    if shutil.which("cjpeg"):
        ppm = os.path.join(SRC, "tmp.ppm")
        rgb(160, 120, 23).save(ppm)
        for name, args, note in [
            ("rgbspace_160x120.jpg", ["-rgb"], "RGB colour space JPEG (Adobe transform 0, no YCbCr)"),
            ("s411_160x120.jpg", ["-sample", "4x1,1x1,1x1"], "JPEG 4:1:1"),
            ("s31_160x120.jpg", ["-sample", "3x1,1x1,1x1"], "JPEG luma 3x1 (TurboJPEG names no such subsampling)"),
            ("mixed_160x120.jpg", ["-sample", "2x2,1x1,2x2"], "JPEG with Cb subsampled 2x2 and Cr not"),
            ("arith_160x120.jpg", ["-arithmetic"], "arithmetic-coded JPEG"),
            ("grayprog_160x120.jpg", ["-grayscale", "-progressive", "-optimize"], "grayscale progressive JPEG"),
        ]:
            subprocess.run(["cjpeg", "-quality", "90", *args, "-outfile", os.path.join(SRC, name), ppm], check=True)
            out.append((name, note + " (cjpeg)"))
        os.remove(ppm)
    else:
        print("cjpeg not found (apt-get install libjpeg-turbo-progs): no cjpeg fixtures", file=sys.stderr)
    ycck = ycck_jpeg(scene(152, 104, 24))
    if ycck:
        with open(os.path.join(SRC, "ycck_152x104.jpg"), "wb") as f:
            f.write(ycck)
        out.append(("ycck_152x104.jpg", "YCCK JPEG (TurboJPEG's tjCompress2 of CMYK, 4:2:0, q90)"))
    # scan data damaged in the middle: libjpeg warns ("Corrupt JPEG data")
    # and decodes on, and PIL ignores the warning
    buf = io.BytesIO()
    rgb(200, 150, 25).save(buf, "JPEG", quality=90)
    b = bytearray(buf.getvalue())
    for i in range(len(b) // 2, len(b) // 2 + 40):
        b[i] ^= 0x5A
    with open(os.path.join(SRC, "corrupt_200x150.jpg"), "wb") as f:
        f.write(bytes(b))
    out.append(("corrupt_200x150.jpg", "JPEG with 40 scan bytes flipped: PIL decodes it (libjpeg warnings)"))
    # PNGs
    save("sq_224x224.png", rgb(224, 224, 9), "RGB PNG, already 224: upscaled to 256 then cropped")
    save("tiny_64x48.png", rgb(64, 48, 10), "RGB PNG, strong upscale")
    save("wide_400x100.png", rgb(400, 100, 11, grain=2.0), "RGB PNG, 4:1 panorama")
    save("gray_300x200.png", rgb(300, 200, 12).convert("L"), "8-bit grayscale PNG")
    a = rgb(240, 180, 13)
    alpha = Image.fromarray(np.tile(np.linspace(0, 255, 240).astype(np.uint8), (180, 1)), "L")
    a.putalpha(alpha)
    save("rgba_240x180.png", a, "RGBA PNG, alpha ramp 0..255 (alpha dropped, not composited)")
    p = rgb(256, 192, 14).quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    save("pal_256x192.png", p, "paletted PNG, 64 colours, transparency on index 0", transparency=0)
    save("interlaced_120x90.png", rgb(120, 90, 15), "RGB PNG (re-written Adam7-interlaced below)")
    # PIL cannot write interlaced PNGs: re-encode with an Adam7 writer.
    adam7(os.path.join(SRC, "interlaced_120x90.png"), scene(120, 90, 15))
    # low byte 0x00..0xff ramp: high byte kept (v>>8), not rounded ((v+128)>>8)
    yy, xx = np.mgrid[0:96, 0:128]
    s16 = scene(128, 96, 16).astype(np.uint16) * 256 + ((xx + yy) % 256).astype(np.uint16)[..., None]
    png16(os.path.join(SRC, "rgb16_128x96.png"), s16)
    out.append(("rgb16_128x96.png", "16-bit RGB PNG (PIL keeps the high byte)"))
    g16 = (scene(120, 90, 17)[..., 1].astype(np.uint16) * 257)
    png16(os.path.join(SRC, "gray16_120x90.png"), g16)
    out.append(("gray16_120x90.png", "16-bit gray PNG: PIL 9.4 clips it to 255 on convert('RGB'); "
                "the reference is computed from the high byte instead (netscore's behaviour)"))
    return out


def ycck_jpeg(arr):
    """A YCCK JPEG of an RGB picture (PIL's CMYK conversion) made with
    libturbojpeg's tjCompress2, which encodes CMYK input as YCCK; None
    without the library (Debian libturbojpeg0)."""
    lib = ctypes.util.find_library("turbojpeg")
    if not lib:
        print("libturbojpeg not found (apt-get install libturbojpeg0): no YCCK fixture", file=sys.stderr)
        return None
    tj = ctypes.CDLL(lib)
    tj.tjInitCompress.restype = ctypes.c_void_p
    h, w = arr.shape[:2]
    cmyk = np.ascontiguousarray(np.array(Image.fromarray(arr, "RGB").convert("CMYK")))
    jpeg = ctypes.POINTER(ctypes.c_ubyte)()
    size = ctypes.c_ulong(0)
    handle = ctypes.c_void_p(tj.tjInitCompress())
    TJPF_CMYK, TJSAMP_420 = 11, 2
    rc = tj.tjCompress2(handle, cmyk.ctypes.data_as(ctypes.c_void_p), w, 0, h, TJPF_CMYK,
                        ctypes.byref(jpeg), ctypes.byref(size), TJSAMP_420, 90, 0)
    assert rc == 0, "tjCompress2 failed"
    data = ctypes.string_at(jpeg, size.value)
    tj.tjFree(jpeg)
    tj.tjDestroy(handle)
    return data


def adam7(path, arr):
    """Write an 8-bit RGB Adam7-interlaced PNG (filter 0 everywhere)."""
    h, w = arr.shape[:2]
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        sub = arr[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        raw += b"".join(b"\x00" + sub[i].tobytes() for i in range(sub.shape[0]))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 1)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


# --------------------------------------------------------------------------
# references


def load_rgb(path):
    """torchvision.datasets.folder.pil_loader, except for 16-bit gray (see above)."""
    with open(path, "rb") as f:
        im = Image.open(f)
        if im.mode in ("I;16", "I;16B", "I") and path.endswith(".png"):
            a = np.array(im).astype(np.uint32) >> 8
            return Image.fromarray(a.astype(np.uint8), "L").convert("RGB")
        return im.convert("RGB")


def _tv(resize, crop, gray, mean, std):
    steps = [T.Grayscale(1)] if gray else []
    steps += [T.Resize(resize)] if resize else []
    steps += [T.CenterCrop(crop), T.ToTensor(), T.Normalize(mean, std)]
    return T.Compose(steps)


PRESETS = {
    # name: (resize (0 = none), (crop_h, crop_w), gray, mean, std, full torchvision transform)
    "imagenet": (256, (224, 224), False, MEAN, STD, _tv(256, 224, False, MEAN, STD)),
    "inception": (342, (299, 299), False, MEAN, STD, Inception_V3_Weights.IMAGENET1K_V1.transforms()),
    "gray": (256, (224, 224), True, GRAY_MEAN, GRAY_STD, _tv(256, 224, True, GRAY_MEAN, GRAY_STD)),
    # non-square crop
    "rect": (256, (224, 160), False, MEAN, STD, _tv(256, (224, 160), False, MEAN, STD)),
    # no resize, crop larger than the image in one or both dimensions: torchvision zero-pads
    "pad": (0, (151, 79), False, MEAN, STD, _tv(0, (151, 79), False, MEAN, STD)),
}

# which presets each source gets a reference for (imagenet: all)
EXTRA = {
    "land_500x375.jpg": ["inception", "gray"],
    "port_333x500.jpg": ["inception", "rect"],
    "sq_224x224.png": ["inception"],
    "tiny_64x48.png": ["inception", "pad"],
    "wide_400x100.png": ["gray", "pad"],
    "rgba_240x180.png": ["gray"],
}
# JPEGs the pure-Go build does not check: Go's image/jpeg cannot decode them
# (3x1 or mixed subsampling, arithmetic coding) or decodes damaged data its
# own way; the ort build's libjpeg-turbo decoder must decode them as PIL does
GO_SKIP = {"s31_160x120.jpg", "mixed_160x120.jpg", "arith_160x120.jpg", "corrupt_200x150.jpg"}
# full float32 tensors written for these (source, preset)
F32 = [("land_500x375.jpg", "imagenet")]


def reference(im, preset):
    resize, crop, gray, mean, std, full = PRESETS[preset]
    x = F.to_grayscale(im, 1) if gray else im
    if resize:
        x = F.resize(x, [resize])
    x = F.center_crop(x, list(crop))
    u8 = F.pil_to_tensor(x)
    # the float tensor must be exactly Normalize(ToTensor(u8))
    want = full(im)
    got = F.normalize(F.convert_image_dtype(u8, torch.float), mean, std)
    assert torch.equal(want, got), preset
    got2 = F.normalize(F.to_tensor(x), mean, std)
    assert torch.equal(want, got2), preset
    return x, u8, want


def main():
    os.makedirs(SRC, exist_ok=True)
    os.makedirs(REF, exist_ok=True)
    for d in (SRC, REF):
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))
    torch.set_num_threads(1)
    index = {
        "generator": "testdata/gen/make_images.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                     "PIL": PIL.__version__, "numpy": np.__version__},
        "presets": {k: {"resize": v[0], "crop_h": v[1][0], "crop_w": v[1][1], "gray": v[2], "mean": v[3], "std": v[4]}
                    for k, v in PRESETS.items()},
        "images": [],
    }
    for name, note in make_sources():
        path = os.path.join(SRC, name)
        with Image.open(path) as raw:
            entry = {"src": "src/" + name, "format": raw.format, "pil_mode": raw.mode,
                     "width": raw.width, "height": raw.height, "note": note, "refs": []}
        im = load_rgb(path)
        if name.endswith(".jpg"):
            dec = "ref/" + name[:-4] + ".decoded.png"
            im.save(os.path.join(ROOT, dec), optimize=True)
            entry["decoded"] = dec
            entry["decode_exact"] = name.startswith("blocks")
            entry["go_skip"] = name in GO_SKIP
        for preset in ["imagenet"] + EXTRA.get(name, []):
            x, u8, full = reference(im, preset)
            base = "ref/%s.%s" % (name[:-4], preset)
            x.save(os.path.join(ROOT, base + ".png"), optimize=True)
            ref = {"preset": preset, "u8": base + ".png", "shape": list(u8.shape)}
            if (name, preset) in F32:
                full.numpy().astype("<f4").tofile(os.path.join(ROOT, base + ".f32"))
                ref["f32"] = base + ".f32"
            entry["refs"].append(ref)
        index["images"].append(entry)
        print(name, entry["pil_mode"], [r["preset"] for r in entry["refs"]])
    with open(os.path.join(ROOT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    make_digits_jpeg()


# --------------------------------------------------------------------------
# testdata/digits_jpeg: the digits validation set as JPEG, for eval's top-1

DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "digits")
DIGITS_JPEG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "digits_jpeg")
DIGITS_QUALITY = 50  # low, so that the two IDCTs' rounding shows on many samples


class DigitsCNN(torch.nn.Module):
    """make_digits.py's network, its weights read from digits_cnn.onnx."""

    def __init__(self, path):
        import onnx
        from onnx import numpy_helper

        super().__init__()
        self.conv = torch.nn.Conv2d(1, 16, 3, padding=1)
        self.pool = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(16 * 4 * 4, 10)
        w = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
             for t in onnx.load(path).graph.initializer}
        self.load_state_dict(w, strict=True)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(torch.relu(self.conv(x))), 1))


def figures(model, xs, ys):
    """top-1/top-5, per class and confusions as make_digits.py writes them."""
    with torch.no_grad():
        logits = model(torch.stack(xs))
    y = torch.tensor(ys)
    pred = logits.argmax(1)
    c1 = int((pred == y).sum())
    c5 = int((logits.topk(5, 1).indices == y.unsqueeze(1)).any(1).sum())
    srt = logits.sort(1, descending=True).values
    conf = {}
    for t, p in zip(ys, pred.tolist()):
        if t != p:
            conf[(t, p)] = conf.get((t, p), 0) + 1
    n = len(ys)
    return {"n": n, "top1_correct": c1, "top5_correct": c5, "top1": 100.0 * c1 / n, "top5": 100.0 * c5 / n,
            "min_top2_gap": float((srt[:, 0] - srt[:, 1]).min()),
            "per_class": [{"class": str(c), "correct": int((pred[y == c] == c).sum()), "total": int((y == c).sum())}
                          for c in range(10)],
            "confused": [{"true": str(t), "predicted": str(p), "count": k}
                         for (t, p), k in sorted(conf.items(), key=lambda kv: (-kv[1], kv[0]))]}


def make_digits_jpeg():
    """Re-encodes testdata/digits/val/*.png as RGB JPEGs (PIL, q50, 4:2:0) in
    testdata/digits_jpeg/val and writes PyTorch's figures for digits_cnn on
    them as PIL decodes them, with torchvision's transform for a one-channel
    model (pil_loader's convert("RGB"), Grayscale(1), ToTensor), and PIL's
    decoded RGB of every file (decoded.png: the 8x8 tiles top to bottom in
    ImageFolder order)."""
    model = DigitsCNN(os.path.join(DIGITS, "digits_cnn.onnx")).eval()
    rels = sorted(os.path.relpath(os.path.join(d, f), DIGITS)
                  for d, _, fs in os.walk(os.path.join(DIGITS, "val")) for f in fs if f.endswith(".png"))
    rels.sort(key=lambda r: (int(r.split("/")[1]), r))  # ImageFolder order (class folders 0..9 sort the same)
    if os.path.isdir(os.path.join(DIGITS_JPEG, "val")):
        shutil.rmtree(os.path.join(DIGITS_JPEG, "val"))
    tf = T.Compose([T.Grayscale(1), T.ToTensor()])
    png_x, jpg_x, ys, tiles = [], [], [], []
    for rel in rels:
        label = int(rel.split("/")[1])
        with Image.open(os.path.join(DIGITS, rel)) as im:
            png_x.append(tf(im.convert("RGB")))
            out = os.path.join(DIGITS_JPEG, rel[:-4] + ".jpg")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            im.convert("RGB").save(out, quality=DIGITS_QUALITY)
        rgb = load_rgb(out)
        tiles.append(np.asarray(rgb))
        jpg_x.append(tf(rgb))
        ys.append(label)
    # the weights read back reproduce make_digits.py's figures on the PNGs
    with open(os.path.join(DIGITS, "expected.json")) as f:
        png_expected = json.load(f)
    assert figures(model, png_x, ys)["top1_correct"] == png_expected["top1_correct"]
    exp = figures(model, jpg_x, ys)
    exp = {"how": "PyTorch %s on the JPEGs as PIL %s (libjpeg-turbo) decodes them: convert('RGB'), Grayscale(1), "
                  "ToTensor; no resize/crop/normalisation" % (torch.__version__, PIL.__version__),
           "model": "../digits/digits_cnn.onnx", "quality": DIGITS_QUALITY, **exp}
    with open(os.path.join(DIGITS_JPEG, "expected.json"), "w") as f:
        json.dump(exp, f, indent=1)
        f.write("\n")
    Image.fromarray(np.concatenate(tiles, 0), "RGB").save(os.path.join(DIGITS_JPEG, "decoded.png"), optimize=True)
    print("digits_jpeg: top-1 %d/%d (PNG: %d), smallest top-2 gap %.4f"
          % (exp["top1_correct"], exp["n"], png_expected["top1_correct"], exp["min_top2_gap"]))


if __name__ == "__main__":
    sys.exit(main())
