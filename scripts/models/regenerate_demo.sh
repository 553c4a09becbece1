#!/usr/bin/env bash
# Regenerate everything under demo/: the Fashion-MNIST backbone, the demo video and the cascade
# bundle. Run from anywhere; paths are relative to the repository root.
#
#   scripts/models/regenerate_demo.sh
#
# Environment overrides: PYTHON (default /usr/bin/python3, which must have torch + torchvision),
# DATA (Fashion-MNIST IDX directory), EPOCHS, WIDTH, SEED, COUNT (video frames), WEIGHTS (a
# train_demo_backbone.py --train-only file, e.g. trained on a GPU host: exported instead of training).
# The backbone never sees the calibration split (a stratified 10% of the training images, seed 0),
# which build_demo_bundle.sh regenerates and calibrates on.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-/usr/bin/python3}"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
EPOCHS="${EPOCHS:-8}"
WIDTH="${WIDTH:-16}"
SEED="${SEED:-0}"
COUNT="${COUNT:-300}"

echo "== training the backbone (demo/fashion-resnet18/backbone.onnx)"
"$PYTHON" scripts/models/train_demo_backbone.py --out demo/fashion-resnet18 \
    --epochs "$EPOCHS" --width "$WIDTH" --seed "$SEED" --data "$DATA" \
    --exclude-calibration 0.1 --calibration-seed 0 ${WEIGHTS:+--weights "$WEIGHTS"}
rm -rf demo/fashion-resnet18/data demo/fashion-resnet18/calibration # the build regenerates them

echo "== making the demo video (demo/frames)"
"$PYTHON" scripts/models/make_demo_video.py --out demo/frames --count "$COUNT" --data "$DATA"

echo "== building the cascade bundle (demo/fashion-resnet18/bundle)"
FASHION_MNIST_DIR="$DATA" scripts/models/build_demo_bundle.sh
