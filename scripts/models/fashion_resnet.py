"""Shared definitions for the offramp demo backbone (Fashion-MNIST ResNet-18).

* ``FashionResNet18``: ResNet-18 topology for 1x28x28 grayscale input with a small stem
  (3x3 stride-1 conv + BN + ReLU, no max-pool), four stages of two BasicBlocks with widths
  W, 2W, 4W, 8W and strides 1, 2, 2, 2, global average pooling and a linear layer to 10 classes.
  Module names follow torchvision's ResNet (conv1/bn1/layer1..layer4/avgpool/fc), so the exported
  ONNX graph looks like a torchvision ResNet-18 to the offramp cut finder.
* ``load_idx_images`` / ``load_idx_labels`` / ``load_split``: read the Fashion-MNIST IDX files
  (optionally gzipped) directly, without torchvision's downloader.
* ``count_macs``: multiply-accumulate count of one forward pass (conv + linear layers).

Used by ``train_demo_backbone.py`` and ``make_demo_video.py``. Needs torch and numpy only.
"""
import gzip
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]
MEAN = 0.2860
STD = 0.3530


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or in_planes != planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_planes, planes, 1, stride, bias=False),
                nn.BatchNorm2d(planes),
            )

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class FashionResNet18(nn.Module):
    def __init__(self, width=16, in_channels=1, num_classes=10):
        super().__init__()
        self.width = width
        self.conv1 = nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        widths = [width, 2 * width, 4 * width, 8 * width]
        strides = [1, 2, 2, 2]
        in_planes = width
        for i, (w, s) in enumerate(zip(widths, strides), start=1):
            setattr(self, f"layer{i}", nn.Sequential(BasicBlock(in_planes, w, s), BasicBlock(w, w, 1)))
            in_planes = w
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(in_planes, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        # Zero-init the last BN of each residual branch (standard ResNet trick: blocks start as identity).
        for m in self.modules():
            if isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


def _open(path):
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path = path + ".gz"
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def load_idx_images(path):
    """uint8 array [N, rows, cols] from an idx3-ubyte file (.gz or plain)."""
    with _open(path) as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051:
            raise ValueError(f"{path}: bad IDX image magic {magic}")
        data = np.frombuffer(f.read(n * rows * cols), dtype=np.uint8)
    return data.reshape(n, rows, cols).copy()


def load_idx_labels(path):
    """uint8 array [N] from an idx1-ubyte file (.gz or plain)."""
    with _open(path) as f:
        magic, n = struct.unpack(">II", f.read(8))
        if magic != 2049:
            raise ValueError(f"{path}: bad IDX label magic {magic}")
        data = np.frombuffer(f.read(n), dtype=np.uint8)
    return data.copy()


def load_split(data_dir, split):
    """(images uint8 [N,28,28], labels uint8 [N]) for split 'train' or 't10k'/'test'."""
    prefix = "t10k" if split in ("t10k", "test") else "train"
    images = load_idx_images(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = load_idx_labels(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    if len(images) != len(labels):
        raise ValueError(f"{split}: {len(images)} images but {len(labels)} labels")
    return images, labels


def to_tensor(images):
    """uint8 [N,28,28] -> normalized float32 [N,1,28,28]."""
    x = torch.from_numpy(np.ascontiguousarray(images)).float().div_(255.0).unsqueeze(1)
    return x.sub_(MEAN).div_(STD)


def count_macs(model, input_shape=(1, 1, 28, 28)):
    """MACs of one forward pass over Conv2d and Linear layers (BN/ReLU/add/pool ignored)."""
    total = [0]

    def conv_hook(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += out.numel() // out.shape[0] * k

    def linear_hook(m, inp, out):
        total[0] += m.in_features * m.out_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(*input_shape))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return total[0]
