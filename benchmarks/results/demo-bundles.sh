#!/bin/sh
# The baseline bundle the end-to-end bench compares the committed demo bundle with: exactly the
# flags of scripts/models/build_demo_bundle.sh (whole training set, 8 epochs) but --scheme
# baseline, written under /tmp (not committed).
set -eu
cd "$(dirname "$0")/../.."
./offramp build --backbone demo/fashion-resnet18/backbone.onnx \
  --data fashion-mnist:/usr/share/datasets/fashion-mnist \
  --out /tmp/bench-demo-bundles/baseline-full --name fashion-resnet18-baseline \
  --color gray --mean 0.2860 --std 0.3530 \
  --cuts auto --head-grid 7,4,4 --head-width 32 --head-layers 2 \
  --scheme baseline \
  --margins 0,0.01,0.02,0.03,0.05 --epochs 8 --batch-size 128 --lr 0.003 --seed 1
