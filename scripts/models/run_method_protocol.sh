#!/usr/bin/env bash
# Runs the method protocol (benchmarks/README.md, "Method protocol (fixed before the runs)") end
# to end, resumably: every step is skipped when its output exists, so rerun the same command after
# an interruption. DRY_RUN=1 prints the commands instead of running them.
#
#   scripts/models/run_method_protocol.sh [backbones|runs|analyse|all]    (default: all)
#   DEVICE=cuda JOBS=11 scripts/models/run_method_protocol.sh weights
#
# `weights` only trains the backbones (all of them, JOBS at a time, on DEVICE) and saves their
# weights to $WORK/weights/ (train_demo_backbone.py --train-only): run it on a GPU host, copy
# $WORK/weights/ back, and `backbones` evaluates and exports those weights here instead of training
# (--weights), with the same flags. Without saved weights `backbones` trains on this machine's CPU.
#
# Environment: WORK (default $TMPDIR/offramp-method: backbones, generated data, bundles; not
# committed), RESULTS (default benchmarks/results/method: outcomes, analysis; committed), PYTHON,
# FASHION_MNIST_DIR, SEEDS (default "1 2 3 4 5"), SETTINGS (default "plain hard hard-w8"), DEVICE and JOBS
# (the `weights` step: torch device, default cuda; parallel trainings, default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-/usr/bin/python3}
SRC=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
WORK=${WORK:-${TMPDIR:-/tmp}/offramp-method}
RESULTS=${RESULTS:-benchmarks/results/method}
SEEDS=${SEEDS:-1 2 3 4 5}
SETTINGS=${SETTINGS:-plain hard hard-w8}
MARGINS=-0.02,-0.01,0,0.01,0.02,0.03,0.05,0.08,0.12
STEP=${1:-all}

run() {
  if [[ -n "${DRY_RUN:-}" ]]; then echo "$*"; else echo "+ $*" >&2; "$@"; fi
}

# run_to FILE CMD…: runs CMD with its standard output written to FILE (atomically).
run_to() {
  local file=$1; shift
  if [[ -n "${DRY_RUN:-}" ]]; then echo "$* > $file"; return; fi
  echo "+ $* > $file" >&2
  mkdir -p "$(dirname "$file")"
  "$@" > "$file.tmp" && mv "$file.tmp" "$file"
}

# variant_args SETTING: sets VARIANT to the training script's flags for that setting.
variant_args() {
  VARIANT=()
  if [[ $1 == hard* ]]; then VARIANT=(--data-variant hard --variant-seed 1); fi
}

# cascade_backbone SETTING: the backbone the setting's cascades are built on. hard-w8 (amendment
# of 2026-11-30) cuts the hard setting's width-8 plain backbone of seed 1 instead of the width-16.
cascade_backbone() {
  case $1 in
    hard-w8) echo "$WORK/hard/plain-w8-s1" ;;
    *) echo "$WORK/$1/backbone-w16" ;;
  esac
}

# The schemes: name, then build flags (besides the common ones below; --train-margin 0.02 unless
# a scheme sets it). bts-ee-tm0 is the amendment of 2026-11-30 (heads for the margin they serve).
scheme_flags() {
  case $1 in
    baseline) echo "--scheme baseline --calibrate-on all" ;;
    bts-ee) echo "--scheme boosted --weighting hard --calibrate-on all" ;;
    bts-ee-tm0) echo "--scheme boosted --weighting hard --calibrate-on all --train-margin 0" ;;
    calex-soft) echo "--scheme boosted --weighting soft --calibrate-on all" ;;
    calex-survivors) echo "--scheme boosted --weighting hard --calibrate-on survivors" ;;
    calex-distill) echo "--scheme boosted --weighting hard --calibrate-on all --distill-temperature 2" ;;
    calex-all) echo "--scheme boosted --weighting soft --calibrate-on survivors --distill-temperature 2" ;;
  esac
}
SCHEMES=${SCHEMES:-baseline bts-ee calex-soft calex-survivors calex-distill calex-all bts-ee-tm0}

# backbone_jobs: one line per backbone of the protocol: "SETTING NAME FLAGS…" (the training
# script's flags besides --out, the same for the `weights` and `backbones` steps).
backbone_jobs() {
  # The cascades' backbones first (width 16, seed 0, never trained on the calibration split), then
  # the user's alternative: plain narrower backbones, same recipe and training images, 5 seeds.
  local common="--epochs 8 --exclude-calibration 0.1 --calibration-seed 0 --data $SRC"
  local trained=${SETTINGS//hard-w8/} # hard-w8 reuses the hard setting's backbones
  for setting in $trained; do
    variant_args "$setting"
    echo "$setting backbone-w16 --width 16 --seed 0 $common ${VARIANT[*]}"
  done
  for setting in $trained; do
    variant_args "$setting"
    for width in 12 8; do
      for seed in $SEEDS; do
        echo "$setting plain-w$width-s$seed --width $width --seed $seed $common ${VARIANT[*]}"
      done
    done
  done
}

# weights: trains every backbone on DEVICE, JOBS at a time, keeping only the weights.
weights() {
  local jobs=${JOBS:-1} device=${DEVICE:-cuda}
  mkdir -p "$WORK/weights"
  backbone_jobs | while read -r setting name flags; do
    local w=$WORK/weights/$setting-$name.npz
    [[ -f $w ]] && continue
    printf '%s\0' "$PYTHON scripts/models/train_demo_backbone.py --out $WORK/$setting/$name $flags \
--threads 1 --device $device --checkpoint '' --train-only $w > $WORK/weights/$setting-$name.log 2>&1 \
&& echo trained $setting-$name || echo FAILED $setting-$name: see $WORK/weights/$setting-$name.log"
  done | if [[ -n "${DRY_RUN:-}" ]]; then tr '\0' '\n'; else xargs -0 -r -P "$jobs" -I{} bash -c {}; fi
}

# backbones: every backbone's ONNX, backbone.json, data/ and calibration/ (and the plain ones'
# test outcomes), from saved weights when $WORK/weights has them, else trained here.
backbones() {
  backbone_jobs | while read -r setting name flags; do
    local out=$WORK/$setting/$name w=$WORK/weights/$setting-$name.npz
    [[ -f $out/backbone.onnx ]] && continue
    read -r -a FLAGS <<< "$flags"
    local from=(--threads 2)
    [[ -f $w ]] && from=(--weights "$w")
    local plain_outcomes=()
    [[ $name == plain-* ]] \
      && plain_outcomes=(--outcomes "$RESULTS/$setting/runs/${name%-s*}/${name##*-s}.json")
    run "$PYTHON" scripts/models/train_demo_backbone.py --out "$out" "${FLAGS[@]}" "${from[@]}" \
      "${plain_outcomes[@]}"
  done
}

runs() {
  for setting in $SETTINGS; do
    local bb
    bb=$(cascade_backbone "$setting")
    for scheme in $SCHEMES; do
      read -r -a SCHEME_FLAGS <<< "$(scheme_flags "$scheme")"
      TRAIN_MARGIN=(--train-margin 0.02)
      [[ " ${SCHEME_FLAGS[*]} " == *" --train-margin "* ]] && TRAIN_MARGIN=()
      for seed in $SEEDS; do
        local bundle=$WORK/$setting/bundles/$scheme-s$seed
        local outcomes=$RESULTS/$setting/runs/$scheme/$seed.json
        [[ -f $bundle/manifest.json ]] || run ./offramp build --backbone "$bb/backbone.onnx" \
          --data "fashion-mnist:$bb/data" --calibration-data "fashion-mnist:$bb/calibration" \
          --out "$bundle" --name "$setting-$scheme-s$seed" --color gray --mean 0.2860 --std 0.3530 \
          --cuts auto --head-grid 7,4,4 --head-width 32 --head-layers 2 --epochs 8 \
          --batch-size 128 --lr 0.003 --margins "$MARGINS" --max-drop 1.0 \
          --seed "$seed" --skip-test "${SCHEME_FLAGS[@]}" "${TRAIN_MARGIN[@]}"
        [[ -f $outcomes ]] || run_to "$RESULTS/$setting/evaluate/$scheme-s$seed.json" \
          ./offramp evaluate "$bundle" --data "fashion-mnist:$bb/data" --split test --json \
          --outcomes "$outcomes"
        [[ -n "${DRY_RUN:-}" || -f $RESULTS/$setting/reports/$scheme-s$seed.json ]] \
          || { mkdir -p "$RESULTS/$setting/reports" \
               && cp "$bundle/report.json" "$RESULTS/$setting/reports/$scheme-s$seed.json"; }
      done
    done
  done
}

analyse() {
  for setting in $SETTINGS; do
    # Primary comparisons: every scheme (and each plain narrow backbone) against the baseline;
    # each CalexNet row against BTS-EE; the narrow backbones against BTS-EE.
    local pairs=calex-soft:bts-ee,calex-survivors:bts-ee,calex-distill:bts-ee,calex-all:bts-ee,bts-ee-tm0:bts-ee
    [[ -d $RESULTS/$setting/runs/plain-w8 ]] && pairs=$pairs,plain-w8:bts-ee,plain-w12:bts-ee
    run ./offramp bench method --runs "$RESULTS/$setting/runs" --against baseline \
      --pairs "$pairs" --replicates 2000 --seed 1 --grid 21 --out "$RESULTS/$setting"
    run /usr/bin/python3 scripts/models/method_targets.py "$RESULTS/$setting"
    # The backbones' own records (test accuracy, split digests) next to the results.
    [[ $setting == hard-w8 ]] && continue # its backbone's record is the hard setting's plain-w8-s1
    for bj in "$WORK/$setting"/*/backbone.json; do
      [[ -f $bj ]] || continue
      run mkdir -p "$RESULTS/$setting/backbones"
      run cp "$bj" "$RESULTS/$setting/backbones/$(basename "$(dirname "$bj")").json"
    done
  done
}

case $STEP in
  weights) weights ;;
  backbones) backbones ;;
  runs) runs ;;
  analyse) analyse ;;
  all) backbones; runs; analyse ;;
  *) echo "usage: $0 [weights|backbones|runs|analyse|all]" >&2; exit 2 ;;
esac
