#!/bin/sh
# Bundles for the end-to-end bench on the demo backbone, built here because the committed demo
# bundle did not exist yet: the flags of scripts/models/build_demo_bundle.sh, reduced to
# --train-limit 20000 --epochs 4, one boosted and one baseline bundle (same settings), under /tmp.
set -eu
cd "$(dirname "$0")/../.."
for scheme in boosted baseline; do
  ./offramp build --backbone demo/fashion-resnet18/backbone.onnx \
    --data fashion-mnist:/usr/share/datasets/fashion-mnist \
    --out /tmp/bench-demo-bundles/$scheme --name fashion-resnet18-$scheme-reduced \
    --color gray --mean 0.2860 --std 0.3530 \
    --cuts auto --head-grid 7,4,4 --head-width 32 --head-layers 2 \
    --scheme $scheme --margins 0,0.01,0.02,0.03,0.05 --epochs 4 --batch-size 128 --lr 0.003 --seed 1 \
    --train-limit 20000
done
echo BUNDLES-DONE
