#!/usr/bin/python3
"""Export the ResNet-18 ONNX test fixtures used by the offramp exporter tests.

These are the same fixtures that the exporter tests generate at test time: torchvision
ResNet-18 graphs with *random* (seeded) weights, exported with ``torch.onnx.export`` in eval
mode with constant folding. They exercise the cut finder and the stage splitter on real
ResNet topologies; their predictions are meaningless.

Files written to OUT_DIR:

* ``resnet18-224-opset13.onnx``          ImageNet ResNet-18, [N,3,224,224] -> [N,1000], opset 13
* ``resnet18-224-opset17.onnx``          same, opset 17
* ``resnet18-small-28-opset13.onnx``     small-stem ResNet-18, [N,1,28,28] -> [N,10], opset 13
* ``resnet18-small-32-opset17.onnx``     small-stem ResNet-18, [N,3,32,32] -> [N,10], opset 17
* ``resnet18-small-32-dynhw-opset17.onnx`` as above with dynamic H and W axes

"Small stem" means ``conv1`` is replaced by a 3x3 stride-1 convolution and the max-pool is
removed (the usual CIFAR/MNIST adaptation). Every graph has one input named ``image`` with a
dynamic batch axis (``batch``) and one output named ``logits``.

Usage (needs only torch + torchvision, e.g. Debian's python3-torch/python3-torchvision):

    /usr/bin/python3 scripts/models/resnet_fixtures.py OUT_DIR
"""
import os
import sys

import torch
import torch.nn as nn
import torchvision

SEED = 20240917


def imagenet_resnet18():
    return torchvision.models.resnet18(weights=None, num_classes=1000)


def small_resnet18(in_channels, num_classes=10):
    model = torchvision.models.resnet18(weights=None, num_classes=num_classes)
    model.conv1 = nn.Conv2d(in_channels, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = nn.Identity()
    return model


# (file name, builder, input shape, opset, dynamic spatial axes)
FIXTURES = [
    ("resnet18-224-opset13.onnx", imagenet_resnet18, (1, 3, 224, 224), 13, False),
    ("resnet18-224-opset17.onnx", imagenet_resnet18, (1, 3, 224, 224), 17, False),
    ("resnet18-small-28-opset13.onnx", lambda: small_resnet18(1), (1, 1, 28, 28), 13, False),
    ("resnet18-small-32-opset17.onnx", lambda: small_resnet18(3), (1, 3, 32, 32), 17, False),
    ("resnet18-small-32-dynhw-opset17.onnx", lambda: small_resnet18(3), (1, 3, 32, 32), 17, True),
]


def randomize_bn(model, generator):
    """Give BatchNorm layers non-trivial statistics so that folding is actually exercised."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(n, generator=generator) * 0.1)


def export(path, builder, shape, opset, dyn_hw):
    torch.manual_seed(SEED)
    model = builder()
    gen = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        randomize_bn(model, gen)
    model.eval()
    dummy = torch.randn(*shape, generator=gen)
    image_axes = {0: "batch"}
    if dyn_hw:
        image_axes.update({2: "height", 3: "width"})
    torch.onnx.export(
        model,
        dummy,
        path,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": image_axes, "logits": {0: "batch"}},
        opset_version=opset,
        do_constant_folding=True,
        training=torch.onnx.TrainingMode.EVAL,
    )


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        print("usage: resnet_fixtures.py OUT_DIR", file=sys.stderr)
        return 2
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(2)
    for name, builder, shape, opset, dyn_hw in FIXTURES:
        path = os.path.join(out_dir, name)
        export(path, builder, shape, opset, dyn_hw)
        print(f"{path}\t{os.path.getsize(path)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
