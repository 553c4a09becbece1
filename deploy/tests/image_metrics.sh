#!/usr/bin/env bash
# Image size, start-to-first-result and resident memory of a runtime image, and the check of a
# linux-arm64 image built on this machine. Sourced by deploy/tests/run.sh (which provides ok, bad,
# section, free_port, wait_port, PIDS, ROOT, T, BUNDLE and the broker port EDGE_PORT) and runnable
# on its own for deploy/README.md's table:
#   deploy/tests/image_metrics.sh measure IMAGE [WARMUP_SECONDS [STARTS]]   one line of figures
#   deploy/tests/image_metrics.sh arm64 IMAGE_DIR                   the arm64 checks on a built image
# Figures: size (du -sm), first result = from exec of bin/offramp to the first result received by
# a subscriber of the local broker (javacpp cache cold, then warm), RSS = VmRSS of the daemon's JVM
# after WARMUP_SECONDS of classifying the bundled clip at 10 fps.
# shellcheck disable=SC2015

# One start of IMAGE's bin/offramp run on the demo bundle; prints "first_ms rss_kib".
# Arguments: image broker_port cache_dir warmup_seconds
im_start() {
  local image="$1" port="$2" cache="$3" warm="$4" sub_out pid t0 t1 rss dir
  dir="$(mktemp -d)"
  sub_out="$dir/first"
  mosquitto_sub -h 127.0.0.1 -p "$port" -t 'offramp/im-probe/+/result' -C 1 -W 60 > "$sub_out" 2>/dev/null &
  local spid=$!
  sleep 0.3
  t0=$(date +%s%N)
  env -i PATH=/usr/bin:/bin CACHE_DIRECTORY="$cache" "$image/bin/offramp" run \
    --bundle "$ROOT/demo/fashion-resnet18/bundle" --source "$ROOT/demo/frames/fashion-test.mp4" \
    --loop --max-fps 10 --device-id im-probe --mqtt-url "tcp://127.0.0.1:$port" --http-port 0 \
    --state-dir "$dir/state" > "$dir/daemon.log" 2>&1 &
  pid=$!
  wait "$spid" || true
  t1=$(date +%s%N)
  if [[ ! -s "$sub_out" ]]; then
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    tail -n 20 "$dir/daemon.log" >&2
    rm -rf "$dir"
    echo "none none"
    return 1
  fi
  sleep "$warm"
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  echo "$(( (t1 - t0) / 1000000 )) $rss"
}

# Prints "size_mb first_cold_ms first_warm_ms rss_mib" for IMAGE (a broker must listen on port):
# one start with an empty JavaCPP cache, then STARTS starts with it filled (the median is given;
# the machine may be shared), the last of which runs WARMUP seconds before its RSS is read.
im_measure() {
  local image="$1" port="$2" warm="${3:-10}" starts="${4:-3}" cache size cold run i times=()
  cache="$(mktemp -d)"
  size=$(du -sm "$image" | cut -f1)
  cold=$(im_start "$image" "$port" "$cache" 0) || { rm -rf "$cache"; echo "$size none none none"; return 1; }
  for (( i = 1; i <= starts; i++ )); do
    run=$(im_start "$image" "$port" "$cache" "$([[ $i == "$starts" ]] && echo "$warm" || echo 0)") \
      || { rm -rf "$cache"; echo "$size none none none"; return 1; }
    times+=("${run% *}")
  done
  rm -rf "$cache"
  echo "$size ${cold% *} $(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (starts + 1) / 2 ))p") $(( ${run#* } / 1024 ))"
}

# Every .so in the image, loose or inside a jar, must be an ARM aarch64 ELF; prints the offenders.
im_foreign_natives() {
  local image="$1" want="$2" tmp jar f listing bad=0
  tmp="$(mktemp -d)"
  while IFS= read -r f; do
    file -b "$f" | grep -q "$want" || { echo "not $want: ${f#"$image"/}"; bad=1; }
  done < <(find "$image" -name '*.so' -o -name '*.so.[0-9]*' -type f)
  for jar in "$image"/lib/offramp/*.jar; do
    # The listing first, then grep: `unzip | grep -q` under pipefail fails whenever grep stops
    # reading before unzip is done (SIGPIPE), which skipped jars at random.
    listing=$(unzip -Z1 "$jar" 2>/dev/null || true)
    if grep -qE '\.so(\.[0-9]+)*$' <<<"$listing"; then
      mkdir -p "$tmp/$(basename "$jar")"
      unzip -qo "$jar" '*.so' '*.so.*' -d "$tmp/$(basename "$jar")" 2>/dev/null || true
    fi
  done
  while IFS= read -r f; do
    file -b "$f" | grep -q "$want" || { echo "not $want: ${f#"$tmp"/}"; bad=1; }
  done < <(find "$tmp" -type f \( -name '*.so' -o -name '*.so.[0-9]*' \))
  echo "natives=$(find "$image" "$tmp" -type f \( -name '*.so' -o -name '*.so.[0-9]*' \) | wc -l)"
  rm -rf "$tmp"
  return $bad
}

# An image's launcher with what differs by platform set aside: the version/platform comment
# line, the platform classifier in the jar names of the class path, and the class-data lines (an
# image for another platform has no archive).
im_launcher_body() {
  grep -v '^# offramp daemon launcher of this runtime image' "$1/bin/offramp" \
    | grep -v 'offramp.jsa' | sed -E 's/-linux-(x86_64|arm64)\.jar/-PLATFORM.jar/g'
}

# The daemon's AOT cache under CACHE_DIRECTORY (as systemd sets it): the first `run` writes
# offramp-<version>.aot when it stops, the next maps it, OFFRAMP_AOT=off leaves it unmapped.
# Prints one line per start ("wrote", "mapped", "unmapped"), or fails with what it found.
# Arguments: image broker_port
im_aot_check() {
  local image="$1" port="$2" dir pid aot mode i
  dir="$(mktemp -d)"
  for mode in train use off; do
    env -i PATH=/usr/bin:/bin CACHE_DIRECTORY="$dir/cache" \
      OFFRAMP_AOT="$([[ $mode == off ]] && echo off || echo on)" "$image/bin/offramp" run \
      --bundle "$ROOT/demo/fashion-resnet18/bundle" --source "$ROOT/demo/frames/fashion-test.mp4" \
      --loop --max-fps 10 --device-id im-aot --mqtt-url "tcp://127.0.0.1:$port" --http-port 0 \
      --state-dir "$dir/state" > "$dir/daemon-$mode.log" 2>&1 &
    pid=$!
    for (( i = 0; i < 100; i++ )); do
      grep -q "running bundle" "$dir/daemon-$mode.log" 2>/dev/null && break
      sleep 0.2
    done
    case $mode in
      train)
        kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
        aot=$(find "$dir/cache" -maxdepth 1 -name 'offramp-*.aot' -size +1M)
        [[ -n "$aot" ]] || { tail -n 5 "$dir/daemon-$mode.log" >&2; rm -rf "$dir"; return 1; }
        echo "wrote $(basename "$aot") ($(( $(stat -c %s "$aot") / 1048576 )) MB)"
        ;;
      use | off)
        if grep -q '\.aot' "/proc/$pid/maps" 2>/dev/null; then echo "$mode: mapped"; else echo "$mode: unmapped"; fi
        kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
        ;;
    esac
  done
  rm -rf "$dir"
}

# run.sh's section: figures of the x86_64 board image and the linux-arm64 checks.
image_metrics_section() {
  local image="$1" board="$T/board-image" m size cold warm rss arm="$T/image-arm64" t0 out
  section "image metrics (board image: the image without lib/offramp/demo) and linux-arm64"
  rm -rf "$board"
  cp -a "$image" "$board"
  rm -rf "$board/lib/offramp/demo"
  if out=$(env -i PATH=/usr/bin:/bin "$board/bin/offramp" demo --frames 1 2>&1); then
    bad "demo on a board image should refuse: $out"
  else
    [[ "$out" == *"--with-demo"* ]] && ok "demo on a board image says how to get it: ${out%%$'\n'*}" \
      || bad "demo on a board image: unclear message: $out"
  fi
  if [[ -f "$board/lib/offramp/offramp.jsa" ]]; then
    if env -i PATH=/usr/bin:/bin OFFRAMP_JAVA_OPTS="-Xshare:on -Xlog:cds=warning" "$board/bin/offramp" --help >/dev/null 2>"$T/cds-check.log"; then
      ok "class-data archive maps at start (-Xshare:on), copied image"
    else
      bad "class-data archive unusable in a copied image"; tail -n 5 "$T/cds-check.log" >&2
    fi
  fi
  if out=$(im_aot_check "$board" "$EDGE_PORT") && [[ "$out" == *"use: mapped"* && "$out" == *"off: unmapped"* ]]; then
    ok "AOT cache: the first run under CACHE_DIRECTORY $(head -n1 <<<"$out"), the next maps it, OFFRAMP_AOT=off does not"
  else
    bad "AOT cache: expected the first run to write it and the next to map it, found: $out"
  fi
  m=$(im_measure "$board" "$EDGE_PORT" 10) || true
  read -r size cold warm rss <<<"$m"
  if [[ "$cold" != none ]]; then
    ok "linux-x86_64 board image: ${size} MB, first result ${cold} ms (javacpp cache cold) / ${warm} ms (warm), RSS ${rss} MiB after 10 s at 10 fps"
  else
    bad "linux-x86_64 board image: no result from the image's daemon"
  fi
  # linux-arm64: jars with arm64 natives, same launcher and files; no arm64 JDK with jmods is at
  # hand here, so no Java runtime is linked (--no-jre) and the JVM's share is not in the size.
  t0=$(date +%s)
  if "$ROOT/deploy/build-image.sh" --platform linux-arm64 --no-jre --out "$arm" > "$T/build-arm64.log" 2>&1; then
    ok "build-image.sh --platform linux-arm64 --no-jre ($(( $(date +%s) - t0 )) s): $(du -sm "$arm" | cut -f1) MB without a JVM (x86_64 board image without its JVM: $(( $(du -sm "$board" | cut -f1) - $(du -smc "$board/lib/modules" "$board/lib/server" | tail -n1 | cut -f1) )) MB)"
  else
    bad "build-image.sh --platform linux-arm64"; tail -n 20 "$T/build-arm64.log" >&2
    return 0
  fi
  if out=$(im_foreign_natives "$arm" 'ARM aarch64'); then
    ok "linux-arm64 image: every native library is ARM aarch64 ($(tail -n1 <<<"$out"))"
  else
    bad "linux-arm64 image has foreign natives: $out"
  fi
  if diff <(im_launcher_body "$board") <(im_launcher_body "$arm") >/dev/null; then
    ok "linux-arm64 launcher: the same as x86_64's (version line and jar classifiers aside)"
  else
    bad "linux-arm64 launcher differs"
    diff <(im_launcher_body "$board") <(im_launcher_body "$arm") | head -n 20 >&2 || true
  fi
  if diff -r "$board/share/offramp" "$arm/share/offramp" >/dev/null; then
    ok "linux-arm64 share/offramp (installer, unit, board configs): identical"
  else
    bad "linux-arm64 share/offramp differs"
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  case "${1:-}" in
    measure)
      port=$(( 20000 + RANDOM % 20000 ))
      conf="$(mktemp)"
      printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$conf"
      "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$conf" >/dev/null 2>&1 &
      mpid=$!
      sleep 0.5
      echo "size_mb first_cold_ms first_warm_ms rss_mib"
      im_measure "$2" "$port" "${3:-10}" "${4:-3}" || true
      kill "$mpid"; rm -f "$conf"
      ;;
    arm64)
      im_foreign_natives "$2" 'ARM aarch64'
      ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
fi
