#!/usr/bin/env bash
# GPU check of offramp's CUDA and TensorRT providers, for a machine with an NVIDIA GPU and CUDA 12
# (never run by CI). It swaps ONNX Runtime's CPU jar for com.microsoft.onnxruntime:onnxruntime_gpu
# (x64; the CUDA provider, and TensorRT where the host has TensorRT 10), then
#   1. GpuBench: the demo bundle on Fashion-MNIST test images under cpu, cuda and tensorrt
#      (twice: the second open loads the engines cached by the first), per-stage providers,
#      open time, p50/p99 latency, accuracy, agreement with CPU;
#   2. the daemon with --providers cuda,cpu against a local Mosquitto: first result, /api/status
#      (which provider each stage got), clean SIGTERM.
# Results go to benchmarks/results/gpu/<date>-<gpu>/ (bench.json, status.json, daemon.log, env.txt).
# Usage: scripts/gpu/check.sh [--images N] [--fp16] [--ort-gpu-jar JAR] [--out DIR]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ORT_VERSION=1.29.0
IMAGES=2000
FP16=false
GPU_JAR=""
OUT=""
die() { printf 'gpu check: %s\n' "$*" >&2; exit 2; }
say() { printf 'gpu check: %s\n' "$*" >&2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --images) IMAGES="${2:?--images needs a number}"; shift 2 ;;
    --fp16) FP16=true; shift ;;
    --ort-gpu-jar) GPU_JAR="${2:?--ort-gpu-jar needs a file}"; shift 2 ;;
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# --- the machine ----------------------------------------------------------------------------
[[ -n "$GPU_JAR" || "$(uname -m)" == x86_64 ]] || die "expected an x86_64 host (onnxruntime_gpu
ships x64 natives only), found $(uname -m). On a Jetson, build ONNX Runtime with --build_java
--use_tensorrt and pass its jar with --ort-gpu-jar."
if command -v nvidia-smi >/dev/null; then
  GPU="$(nvidia-smi --query-gpu=name --format=csv,noheader | head -n1)"
  [[ -n "$GPU" ]] || die "nvidia-smi lists no GPU"
elif [[ -f /etc/nv_tegra_release ]]; then
  # A Jetson (JetPack 5 has no nvidia-smi): the L4T release names the board's GPU generation.
  GPU="Jetson $(head -n1 /etc/nv_tegra_release | cut -d, -f1 | tr -d '#')"
else
  die "expected nvidia-smi (an NVIDIA driver) or /etc/nv_tegra_release (a Jetson), found neither"
fi
have_lib() {
  local d
  ldconfig -p 2>/dev/null | grep -q "$1" && return 0
  IFS=: read -r -a dirs <<<"${LD_LIBRARY_PATH:-}"
  for d in ${dirs[@]+"${dirs[@]}"}; do compgen -G "$d/$1*" >/dev/null && return 0; done
  return 1
}
for lib in libcudart.so.12 libcublas.so.12 libcudnn.so.9; do
  have_lib "$lib" || say "warning: $lib not found (ldconfig, LD_LIBRARY_PATH): the cuda provider \
will fail to load and every stage will fall back to cpu (the results say so)"
done
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64 2>/dev/null || true)}"
[[ -x "$JAVA_HOME/bin/java" ]] || die "set JAVA_HOME to a JDK >= 21"
JAVA="$JAVA_HOME/bin/java"

# --- the GPU jar instead of the CPU one ------------------------------------------------------
if [[ -z "$GPU_JAR" ]]; then
  GPU_JAR="$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/$ORT_VERSION/onnxruntime_gpu-$ORT_VERSION.jar"
  if [[ ! -f "$GPU_JAR" ]]; then
    say "fetching onnxruntime_gpu $ORT_VERSION through Maven"
    "$ROOT/mvnw" -q -B dependency:get \
      -Dartifact="com.microsoft.onnxruntime:onnxruntime_gpu:$ORT_VERSION" >&2 \
      || die "cannot fetch onnxruntime_gpu:$ORT_VERSION (offline?). Copy the jar here and pass
--ort-gpu-jar JAR."
  fi
fi
[[ -f "$GPU_JAR" ]] || die "--ort-gpu-jar: no such file: $GPU_JAR"
say "building the runtime module"
"$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" -pl runtime -am package -DskipTests \
  -Dspotless.check.skip=true -Dspotbugs.skip=true >&2
cpu_cp="$(cat "$ROOT/runtime/target/classpath.txt")"
cp=""
IFS=: read -r -a entries <<<"$cpu_cp"
for e in "${entries[@]}"; do
  [[ "$(basename "$e")" == onnxruntime-"$ORT_VERSION".jar ]] && e="$GPU_JAR"
  cp="$cp${cp:+:}$e"
done
[[ "$cp" == *onnxruntime_gpu* ]] || die "no onnxruntime-$ORT_VERSION.jar on the runtime class path to swap"
CP="$ROOT/runtime/target/classes:$cp"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="${OUT:-$ROOT/benchmarks/results/gpu/$STAMP-$(tr -c 'A-Za-z0-9\n' '-' <<<"$GPU" | tr -s '-')}"
mkdir -p "$OUT"
STATE="$(mktemp -d)"
trap 'rm -rf "$STATE"' EXIT
{
  echo "date=$STAMP"
  echo "gpu=$GPU"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=driver_version,memory.total --format=csv,noheader | sed 's/^/driver,memory=/'
  else
    echo "l4t=$(head -n1 /etc/nv_tegra_release)"
  fi
  echo "onnxruntime_gpu_jar=$GPU_JAR"
  echo "java=$("$JAVA" -version 2>&1 | head -n1)"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
} > "$OUT/env.txt"
JOPTS=(--enable-native-access=ALL-UNNAMED -Xss16m)

# --- 1. the bench ------------------------------------------------------------------------------
say "1/2 GpuBench ($IMAGES Fashion-MNIST test images, fp16=$FP16)"
"$JAVA" "${JOPTS[@]}" -cp "$CP" "$ROOT/scripts/gpu/GpuBench.java" \
  "$ROOT/demo/fashion-resnet18/bundle" /usr/share/datasets/fashion-mnist "$IMAGES" "$STATE" "$FP16" \
  > "$OUT/bench.json" 2> "$OUT/bench.log" || { tail -n 30 "$OUT/bench.log" >&2; die "GpuBench failed"; }
cat "$OUT/bench.json"
find "$STATE/accelerators" -type f -printf '%P %s\n' > "$OUT/tensorrt-cache.txt" 2>/dev/null || true

# --- 2. the daemon with the cuda provider -----------------------------------------------------
say "2/2 daemon, --providers cuda,cpu"
free_port() { local p; while :; do p=$(( 20000 + RANDOM % 20000 )); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
MQ=$(free_port); HP=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$MQ" > "$STATE/m.conf"
MOSQ="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
"$MOSQ" -c "$STATE/m.conf" > "$STATE/mosquitto.log" 2>&1 &
MPID=$!
sleep 0.5
t0=$(date +%s%N)
"$JAVA" "${JOPTS[@]}" -cp "$CP" dev.offramp.runtime.cli.RuntimeMain run \
  --bundle "$ROOT/demo/fashion-resnet18/bundle" --source "$ROOT/demo/frames/fashion-test.mp4" --loop \
  --max-fps 0 --providers cuda,cpu --device-id gpu-check --mqtt-url "tcp://127.0.0.1:$MQ" \
  --http-port "$HP" --state-dir "$STATE/daemon" > "$OUT/daemon.log" 2>&1 &
DPID=$!
first=$(timeout 120 mosquitto_sub -p "$MQ" -h 127.0.0.1 -t 'offramp/gpu-check/+/result' -C 1 || true)
t1=$(date +%s%N)
sleep 3
curl -fsS "http://127.0.0.1:$HP/api/status" > "$OUT/status.json" || echo '{}' > "$OUT/status.json"
kill -TERM "$DPID"; rc=0; wait "$DPID" || rc=$?
kill "$MPID" 2>/dev/null || true
{
  echo "first_result_ms=$(( (t1 - t0) / 1000000 ))"
  echo "first_result=$first"
  echo "sigterm_exit=$rc"
} > "$OUT/daemon.txt"
cat "$OUT/daemon.txt" "$OUT/status.json"
grep -q '"providers"' "$OUT/status.json" || die "no providers on /api/status (see $OUT/daemon.log)"
say "results in $OUT (commit them: git add benchmarks/results/gpu)"
