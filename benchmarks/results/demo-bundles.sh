#!/bin/sh
# The baseline bundle the end-to-end bench compares the committed demo bundle with: exactly the
# flags of scripts/models/build_demo_bundle.sh (the 54k training images the backbone trained on,
# calibration on the 6k it never saw, 8 epochs, the protocol's margins) but --scheme baseline,
# written under /tmp (not committed). The method protocol's plain/baseline-s1 bundle is built
# with the same flags.
set -eu
cd "$(dirname "$0")/../.."
SCHEME=baseline NAME=fashion-resnet18-baseline OUT=/tmp/bench-demo-bundles/baseline-full \
  exec scripts/models/build_demo_bundle.sh
