#!/bin/sh
# Stand-in bundles for the end-to-end bench (same flags as scripts/models/build_demo_bundle.sh,
# reduced: --train-limit 20000 --epochs 4), one boosted and one baseline, from the stand-in backbone.
set -eu
cd "$(dirname "$0")/../.."
for scheme in boosted baseline; do
  ./offramp build --backbone /tmp/bench-standin/backbone.onnx \
    --data fashion-mnist:/usr/share/datasets/fashion-mnist \
    --out /tmp/bench-bundles/$scheme --name standin-resnet18-$scheme \
    --color gray --mean 0.2860 --std 0.3530 \
    --cuts auto --head-grid 7,4,4 --head-width 32 --head-layers 2 \
    --scheme $scheme --margins 0,0.01,0.02,0.03,0.05 --epochs 4 --batch-size 128 --lr 0.003 --seed 1 \
    --train-limit 20000
done
echo BUNDLES-DONE
