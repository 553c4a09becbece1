#!/bin/sh
# Build the demo cascade bundle from the demo backbone (scripts/models/train_demo_backbone.py):
# all 60k Fashion-MNIST training images (54k train + a seeded, stratified 6k valid hold-out for
# calibration), exits at the ends of layer1/2/3 (--cuts auto), a 7x7 grid at the first cut, the
# boosted scheme with the baseline built alongside for the comparison chart. About 20 minutes or
# less on 2 cores. Usage: scripts/models/build_demo_bundle.sh [extra build flags]
set -eu
cd "$(dirname "$0")/../.."
DATA=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
exec ./offramp build \
  --backbone demo/fashion-resnet18/backbone.onnx \
  --data "fashion-mnist:$DATA" \
  --out "${OUT:-demo/fashion-resnet18/bundle}" \
  --name fashion-resnet18-bts \
  --color gray --mean 0.2860 --std 0.3530 \
  --cuts auto --head-grid 7,4,4 --head-width 32 --head-layers 2 \
  --scheme boosted --compare-baseline \
  --margins 0,0.01,0.02,0.03,0.05 --epochs 8 --batch-size 128 --lr 0.003 --seed 1 \
  "$@"
