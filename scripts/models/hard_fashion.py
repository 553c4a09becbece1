#!/usr/bin/python3
"""Write a harder, deterministic variant of Fashion-MNIST ("fashion-mnist-hard") as IDX files.

    /usr/bin/python3 scripts/models/hard_fashion.py --out DIR [--seed 1] \
        [--src /usr/share/datasets/fashion-mnist] [--limit N]

Every image of the real train and t10k splits goes through, in this order (numpy only):
  1. a random affine map about the image centre: rotation U(-20, 20) degrees, scale U(0.8, 1.1),
     shear U(-10, 10) degrees, translation U(-3, 3) px per axis; bilinear sampling, zero outside;
  2. additive Gaussian noise, sigma 25 grey levels;
  3. with probability 0.5, one occluding rectangle, sides U{6..12} px, at a uniform position, filled
     with a uniform grey level in 0..255;
then rounding and clipping to 0..255. Labels are unchanged. The draws of image i of split s come
from numpy's PCG64 seeded with (seed, s, i) (s = 0 train, 1 t10k), so an image's variant does not
depend on --limit, on order or on batching. Output files are gzip with mtime 0: the same seed gives
byte-identical files. Also writes ``variant.json``: the parameters and, per split, the split digest
(sha256 over the pixels, then each label as int32 big-endian; the digest report.json records).
The exporter reads the result as ``--data fashion-mnist:DIR``.
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_resnet as fr  # noqa: E402

PARAMS = {
    "rotation_degrees": 20.0,
    "scale": [0.8, 1.1],
    "shear_degrees": 10.0,
    "translation_px": 3.0,
    "noise_sigma": 25.0,
    "occlusion_probability": 0.5,
    "occlusion_side_px": [6, 12],
}
SPLIT_IDS = {"train": 0, "t10k": 1}


def _affine(img, rng):
    """Random affine map of one float image [H,W] about its centre, bilinear, zero outside."""
    h, w = img.shape
    rot = np.deg2rad(rng.uniform(-PARAMS["rotation_degrees"], PARAMS["rotation_degrees"]))
    scale = rng.uniform(*PARAMS["scale"])
    shear = np.deg2rad(rng.uniform(-PARAMS["shear_degrees"], PARAMS["shear_degrees"]))
    tx, ty = rng.uniform(-PARAMS["translation_px"], PARAMS["translation_px"], size=2)
    # forward map A = R(rot) . Sh(shear) . S(scale); sample the source at A^-1 (p - c - t) + c
    r = np.array([[np.cos(rot), -np.sin(rot)], [np.sin(rot), np.cos(rot)]])
    sh = np.array([[1.0, np.tan(shear)], [0.0, 1.0]])
    inv = np.linalg.inv(r @ sh * scale)
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    dx, dy = xx - cx - tx, yy - cy - ty
    sx = inv[0, 0] * dx + inv[0, 1] * dy + cx
    sy = inv[1, 0] * dx + inv[1, 1] * dy + cy
    x0, y0 = np.floor(sx).astype(int), np.floor(sy).astype(int)
    fx, fy = sx - x0, sy - y0
    padded = np.zeros((h + 2, w + 2))
    padded[1:-1, 1:-1] = img

    def at(y, x):
        return padded[np.clip(y + 1, 0, h + 1), np.clip(x + 1, 0, w + 1)]

    return ((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1))
            + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1)))


def harden_one(img_u8, seed, split_id, index):
    """The hard variant of one uint8 image [H,W] (deterministic in seed, split, index)."""
    rng = np.random.Generator(np.random.PCG64([seed, split_id, index]))
    out = _affine(img_u8.astype(np.float64), rng)
    out = out + rng.normal(0.0, PARAMS["noise_sigma"], size=out.shape)
    if rng.uniform() < PARAMS["occlusion_probability"]:
        lo, hi = PARAMS["occlusion_side_px"]
        oh, ow = rng.integers(lo, hi + 1, size=2)
        y = rng.integers(0, out.shape[0] - oh + 1)
        x = rng.integers(0, out.shape[1] - ow + 1)
        out[y:y + oh, x:x + ow] = rng.integers(0, 256)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def harden(images_u8, seed, split):
    """The hard variant of a split's images [N,H,W] (split 'train' or 't10k')."""
    sid = SPLIT_IDS[split]
    return np.stack([harden_one(images_u8[i], seed, sid, i) for i in range(len(images_u8))])


def split_digest(images_u8, labels):
    """sha256 over the pixels, then each label as int32 big-endian (as the exporter's SplitDigest)."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(images_u8, dtype=np.uint8).tobytes())
    h.update(np.asarray(labels, dtype=">i4").tobytes())
    return h.hexdigest()


def write_idx(path, images_u8, labels):
    """Writes ``<path>-images-idx3-ubyte.gz`` and ``<path>-labels-idx1-ubyte.gz`` (gzip mtime 0)."""
    n, rows, cols = images_u8.shape
    with open(path + "-images-idx3-ubyte.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 2051, n, rows, cols))
        f.write(np.ascontiguousarray(images_u8, dtype=np.uint8).tobytes())
    with open(path + "-labels-idx1-ubyte.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(struct.pack(">II", 2049, n))
        f.write(np.asarray(labels, dtype=np.uint8).tobytes())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--src", default=fr.DEFAULT_DATA_DIR)
    p.add_argument("--limit", type=int, default=0, help="first N images of each split only (tests)")
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    meta = {"variant": "fashion-mnist-hard", "seed": args.seed, "source": os.path.abspath(args.src),
            "params": PARAMS, "limit": args.limit, "splits": {}}
    for split in ("train", "t10k"):
        images, labels = fr.load_split(args.src, split)
        if args.limit:
            images, labels = images[:args.limit], labels[:args.limit]
        hard = harden(images, args.seed, split)
        write_idx(os.path.join(args.out, split), hard, labels)
        meta["splits"][split] = {"images": int(len(hard)), "sha256": split_digest(hard, labels),
                                 "source_sha256": split_digest(images, labels)}
        print(f"{split}: {len(hard)} images, sha256 {meta['splits'][split]['sha256']}", flush=True)
    with open(os.path.join(args.out, "variant.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
