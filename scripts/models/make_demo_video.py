#!/usr/bin/python3
"""Make the offramp demo video from the first N Fashion-MNIST *test* images, in order.

    /usr/bin/python3 scripts/models/make_demo_video.py --out demo/frames [--count 300] \
        [--data /usr/share/datasets/fashion-mnist]

Each 28x28 grayscale image becomes one frame, upscaled x4 (nearest neighbour) to 112x112,
written at 10 fps through ffmpeg as H.264 (``fashion-test.mp4``, CRF 12, yuv420p) or, when
ffmpeg lacks libx264, as high-quality MJPEG (``fashion-test.avi``). Also writes
``labels.csv`` (frame_index,label_id,label) and ``README.md`` into --out.
Needs numpy and ffmpeg only (no torch).
"""
import argparse
import csv
import gzip
import os
import shutil
import struct
import subprocess
import sys

import numpy as np

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]
SCALE = 4
FPS = 10


def read_idx(path, magic_expected, header):
    with gzip.open(path, "rb") as f:
        fields = struct.unpack(">" + "I" * header, f.read(4 * header))
        if fields[0] != magic_expected:
            raise ValueError(f"{path}: bad IDX magic {fields[0]}")
        return fields, np.frombuffer(f.read(), dtype=np.uint8)


def has_libx264(ffmpeg):
    out = subprocess.run([ffmpeg, "-hide_banner", "-encoders"], capture_output=True, text=True).stdout
    return any(line.split()[1:2] == ["libx264"] for line in out.splitlines() if line.strip())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output directory (e.g. demo/frames)")
    p.add_argument("--count", type=int, default=300, help="number of test images (frames)")
    p.add_argument("--data", default=DEFAULT_DATA_DIR, help="directory with the Fashion-MNIST IDX .gz files")
    args = p.parse_args(argv)

    (_, n, rows, cols), pixels = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"), 2051, 4)
    (_, n_labels), labels = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"), 2049, 2)
    if n != n_labels or not 0 < args.count <= n:
        raise SystemExit(f"bad count {args.count} for {n} test images / {n_labels} labels")
    images = pixels.reshape(n, rows, cols)[:args.count]
    labels = labels[:args.count]
    frames = images.repeat(SCALE, axis=1).repeat(SCALE, axis=2)  # nearest-neighbour x4
    h, w = frames.shape[1:]

    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("ffmpeg not found on PATH")
    os.makedirs(args.out, exist_ok=True)
    if has_libx264(ffmpeg):
        video = "fashion-test.mp4"
        codec = ["-c:v", "libx264", "-crf", "12", "-pix_fmt", "yuv420p", "-threads", "1"]
    else:
        video = "fashion-test.avi"
        codec = ["-c:v", "mjpeg", "-q:v", "2", "-pix_fmt", "yuvj420p"]
    video_path = os.path.join(args.out, video)
    cmd = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
           "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{w}x{h}", "-r", str(FPS), "-i", "-",
           *codec, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", video_path]
    subprocess.run(cmd, input=np.ascontiguousarray(frames).tobytes(), check=True)

    with open(os.path.join(args.out, "labels.csv"), "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["frame_index", "label_id", "label"])
        for i, lab in enumerate(labels):
            wr.writerow([i, int(lab), CLASS_NAMES[lab]])

    with open(os.path.join(args.out, "README.md"), "w") as f:
        f.write(f"""# Demo frames

`{video}` is a {args.count}-frame video, {w}x{h} grayscale at {FPS} fps, made from the **first
{args.count} images of the Fashion-MNIST test split** (`t10k-images-idx3-ubyte`), in file order,
one image per frame, each 28x28 image upscaled x{SCALE} with nearest-neighbour sampling.
`labels.csv` gives the ground-truth label of every frame (`frame_index,label_id,label`,
`frame_index` counting from 0 = test image 0).

Fashion-MNIST is Copyright (c) 2017 Zalando SE, released under the MIT license
(https://github.com/zalandoresearch/fashion-mnist).

Regenerate (from the repository root; IDX files from the Debian package `dataset-fashion-mnist`):

    /usr/bin/python3 scripts/models/make_demo_video.py --out {args.out} --count {args.count}
""")
    print(f"{video_path}\t{os.path.getsize(video_path)} bytes, {args.count} frames {w}x{h} @ {FPS} fps")
    print(f"{os.path.join(args.out, 'labels.csv')}\t{args.count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
