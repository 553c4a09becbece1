#!/bin/sh
# Build the demo cascade bundle from the demo backbone (scripts/models/train_demo_backbone.py with
# --exclude-calibration 0.1 --calibration-seed 0): the exit heads train on exactly the backbone's
# 54k training images and calibrate on the 6k it never saw (regenerated here with --splits-only and
# checked against backbone.json's digests), exits at the ends of layer1/2/3 (--cuts auto), a 7x7
# grid at the first cut, the protocol's flags (benchmarks/README.md, "Method protocol"), the
# boosted scheme with the baseline built alongside for the comparison chart, and a default profile
# chosen on the calibration split for at most a 1-point drop (--max-drop 1.0). A few minutes on
# 2 cores. Usage: scripts/models/build_demo_bundle.sh [extra build flags]
# Environment: OUT (default demo/fashion-resnet18/bundle), SCHEME=baseline (the conventional
# bundle alone, as benchmarks/results/demo-bundles.sh builds it), NAME, TRAIN_MARGIN, SPLITS.
set -eu
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-/usr/bin/python3}
DATA=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
SPLITS=${SPLITS:-${TMPDIR:-/tmp}/offramp-demo-splits}
"$PYTHON" scripts/models/train_demo_backbone.py --out "$SPLITS" --data "$DATA" \
  --exclude-calibration 0.1 --calibration-seed 0 --splits-only > "$SPLITS.log"
want=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["splits"]["calibration"]["sha256"])' \
  demo/fashion-resnet18/backbone.json)
grep -q "split calibration: .* sha256 $want" "$SPLITS.log" || {
  echo "build_demo_bundle: expected the calibration split of demo/fashion-resnet18/backbone.json" \
    "(sha256 $want), found another (see $SPLITS.log): was the backbone trained with other flags?" >&2
  exit 2
}
if [ "${SCHEME:-boosted}" = baseline ]; then
  scheme_flags="--scheme baseline --calibrate-on all"
else
  scheme_flags="--scheme boosted --weighting hard --calibrate-on all --compare-baseline"
fi
# shellcheck disable=SC2086 # scheme_flags holds several flags
exec ./offramp build \
  --backbone demo/fashion-resnet18/backbone.onnx \
  --data "fashion-mnist:$SPLITS/data" \
  --calibration-data "fashion-mnist:$SPLITS/calibration" \
  --out "${OUT:-demo/fashion-resnet18/bundle}" \
  --name "${NAME:-fashion-resnet18-bts}" \
  --color gray --mean 0.2860 --std 0.3530 \
  --cuts auto --head-grid 7,4,4 --head-width 32 --head-layers 2 \
  $scheme_flags \
  --margins -0.02,-0.01,0,0.01,0.02,0.03,0.05,0.08,0.12 --train-margin "${TRAIN_MARGIN:-0.02}" \
  --max-drop 1.0 --epochs 8 --batch-size 128 --lr 0.003 --seed 1 \
  "$@"
