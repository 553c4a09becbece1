#!/usr/bin/env bash
# Tests of deploy/ and systemd/ (run by `./offramp test` after Maven): shell lint, the unit
# (systemd-analyze verify + security score), the runtime image (built once into target/), the
# installer in a temporary root (layout, idempotence, upgrade, health-check rollback, uninstall),
# and the fleet configs against real brokers and real offramp payloads.
# Usage: deploy/tests/run.sh        Exit status: 0 when every check passed.
# SC2015: `cond && ok … || bad …` is safe, ok() always succeeds. SC2016: the single-quoted
# `bash -c` bodies are expanded by the inner shell, from its arguments.
# shellcheck disable=SC2015,SC2016
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
T="$ROOT/target/deploy-test"
FIX="$ROOT/deploy/tests/fixtures"
MAX_EXPOSURE=3.0
PASSED=0
FAILED=()
PENDING=()
PIDS=()
NOBODY_DIRS=()

cleanup() {
  local pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do wait "$pid" 2>/dev/null || true; done
  if [[ ${#NOBODY_DIRS[@]} -gt 0 ]]; then rm -rf "${NOBODY_DIRS[@]}"; fi
}
trap cleanup EXIT

ok() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$*"; }
bad() { FAILED+=("$1"); printf '  FAIL  %s\n' "$*" >&2; }
pending() { PENDING+=("$1"); printf '  PEND  %s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }
check() { # name command... : ok when the command succeeds, else FAIL with its output
  local name="$1" out
  shift
  if out=$("$@" 2>&1); then ok "$name"; else bad "$name"; printf '%s\n' "$out" | tail -n 20 >&2; fi
}
free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
wait_port() { # port: until something listens (10 s)
  local _
  for _ in $(seq 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

rm -rf "$T"
mkdir -p "$T"
export JAVA_HOME="${JAVA_HOME:-}"
# The JDK the launcher would use (JAVA_HOME if it is >= 21, else the newest in /usr/lib/jvm).
jdk_ok() { [[ -x "$1/bin/jlink" ]] && [[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)" -ge 21 ]]; }
if [[ -z "$JAVA_HOME" ]] || ! jdk_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  for c in /usr/lib/jvm/*; do
    if [[ -d "$c" && ! -L "$c" ]] && jdk_ok "$c"; then JAVA_HOME="$c"; fi
  done
fi
[[ -n "$JAVA_HOME" ]] || { echo "deploy tests: no JDK >= 21 with jlink" >&2; exit 2; }
JAVA="$JAVA_HOME/bin/java"

# ------------------------------------------------------------------------------------------------
section "shellcheck: every shell script in the repository"
mapfile -t scripts < <(cd "$ROOT" && git ls-files -co --exclude-standard -- '*.sh' 'offramp' '.ci/run')
# mvnw is the Maven wrapper's own generated script, not ours.
if (cd "$ROOT" && shellcheck -x "${scripts[@]}"); then
  ok "shellcheck ${#scripts[@]} scripts: ${scripts[*]}"
else
  bad "shellcheck"
fi

# ------------------------------------------------------------------------------------------------
section "runtime image (deploy/build-image.sh, once per run into target/deploy-test/image)"
IMAGE="$T/image"
build_args=(--out "$IMAGE" --with-demo) # the demo runs below; image_metrics.sh checks the board image
REAL_DAEMON=1
if ! git -C "$ROOT" ls-files --error-unmatch \
    runtime/src/main/java/dev/offramp/runtime/cli/RuntimeMain.java >/dev/null 2>&1 \
   && [[ ! -f "$ROOT/runtime/src/main/java/dev/offramp/runtime/cli/RuntimeMain.java" ]]; then
  REAL_DAEMON=0
  # TEST FIXTURE: the daemon's main class has not landed; a stand-in lets the image be built
  # and its launcher checked. Its jar exists only in target/deploy-test.
  mkdir -p "$T/standin"
  "$JAVA_HOME/bin/javac" --release 21 -d "$T/standin/classes" "$FIX/standin/RuntimeMain.java"
  "$JAVA_HOME/bin/jar" --create --file "$T/standin/standin.jar" -C "$T/standin/classes" .
  build_args+=(--extra-jar "$T/standin/standin.jar")
  pending "real daemon: dev.offramp.runtime.cli.RuntimeMain not on this branch yet; image built with a TEST stand-in main"
fi
start=$(date +%s)
if "$ROOT/deploy/build-image.sh" "${build_args[@]}" > "$T/build-image.log" 2>&1; then
  ok "build-image.sh ($(( $(date +%s) - start )) s, $(du -sh "$IMAGE" | cut -f1))"
else
  bad "build-image.sh"; tail -n 30 "$T/build-image.log" >&2
  echo "deploy tests: cannot continue without an image" >&2
  exit 1
fi
VERSION="$(cat "$IMAGE/VERSION")"

# Only this platform's natives: ONNX Runtime's jar without natives, ELF x86-64 libraries.
ort_jar=$(find "$IMAGE/lib/offramp" -maxdepth 1 -name 'onnxruntime-*.jar' | head -n1)
check "ONNX Runtime jar carries no natives" \
  bash -c '! "$1/bin/jar" tf "$2" | grep -q "^ai/onnxruntime/native/.*\.\(so\|dll\|dylib\)$"' _ "$JAVA_HOME" "$ort_jar"
elf_machine() { od -An -tx1 -j18 -N2 "$1" | tr -d ' \n'; }
native_ok=1
for lib in "$IMAGE"/lib/offramp/native/*.so; do
  [[ "$(elf_machine "$lib")" == 3e00 ]] || { native_ok=0; echo "not x86-64: $lib" >&2; }
done
[[ $native_ok == 1 ]] && ok "lib/offramp/native: x86-64 libraries only" || bad "native libraries of another platform"
check "no jar of another platform" \
  bash -c '! ls "$1"/lib/offramp | grep -E -- "-(linux-arm64|linux-armhf|macosx|windows)-"' _ "$IMAGE"

# The image's own java, whatever PATH and JAVA_HOME say: a poisoned java on PATH and a bogus
# JAVA_HOME must never be used. Called through a symlink, as /opt/offramp/current/bin/offramp.
mkdir -p "$T/poison/bin"
printf '#!/bin/sh\necho POISONED java used >&2\nexit 97\n' > "$T/poison/bin/java"
chmod +x "$T/poison/bin/java"
ln -sfn "$IMAGE" "$T/current"
launch() { env -i PATH="$T/poison/bin:/usr/bin:/bin" JAVA_HOME="$T/poison" "$T/current/bin/offramp" "$@"; }
if out=$(launch run --help 2>&1); then
  if [[ $REAL_DAEMON == 0 ]]; then
    [[ "$out" == *"java.home=$IMAGE"* ]] && ok "bin/offramp run --help on the image's java (stand-in)" \
      || bad "stand-in did not report the image's java.home: $out"
  else
    ok "bin/offramp run --help (real daemon, no system JDK)"
  fi
else
  bad "bin/offramp run --help: $out"
fi
check "bin/offramp is POSIX sh (shellcheck -s sh)" shellcheck -s sh "$IMAGE/bin/offramp"

# Image smoke: every native library and framework of the image, on the image's own java.
section "image smoke (ONNX Runtime cascade, FFmpeg and swscale, Helidon, Paho, TLS, YAML)"
"$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" -pl cascade dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$T/cascade-test-cp.txt" > "$T/mvn-cp.log" 2>&1 || { cat "$T/mvn-cp.log" >&2; exit 1; }
cascade_jars="$(find "$ROOT/cascade/target" -maxdepth 1 -name 'offramp-cascade-*.jar' ! -name '*-sources.jar' -printf '%p:')"
BUNDLE="$T/bundle"
check "test bundle written (cascade TestBundles)" \
  "$JAVA" -cp "$cascade_jars$(cat "$T/cascade-test-cp.txt")" "$FIX/WriteTestBundle.java" "$BUNDLE"
"$JAVA_HOME/bin/javac" --release 21 -cp "$IMAGE/lib/offramp/*" -d "$T/smoke" "$FIX/ImageSmoke.java"
EDGE_PORT=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$EDGE_PORT" > "$T/edge-plain.conf"
mosquitto -c "$T/edge-plain.conf" > "$T/mosquitto-smoke.log" 2>&1 &
PIDS+=($!)
wait_port "$EDGE_PORT" || bad "mosquitto for the smoke did not start"
opts=$(sed -n 's/^exec "$image\/bin\/java" \(.*\) ${cachedir.*/\1/p' "$IMAGE/bin/offramp")
read -r -a opts <<<"$opts"
if out=$(env -i PATH=/usr/bin:/bin "$IMAGE/bin/java" "${opts[@]}" \
      -Donnxruntime.native.path="$IMAGE/lib/offramp/native" \
      -Dorg.bytedeco.javacpp.cachedir="$T/javacpp-cache" \
      -cp "$IMAGE/lib/offramp/*:$T/smoke" ImageSmoke "$BUNDLE" "tcp://127.0.0.1:$EDGE_PORT" 2>&1) \
   && [[ "$out" == *"image smoke: all ok"* ]]; then
  ok "image smoke: $(grep -c '^ok ' <<<"$out") checks ($(grep '^ok onnxruntime cascade' <<<"$out"))"
else
  bad "image smoke"; printf '%s\n' "$out" | grep -v '^INFO\|^[A-Z][a-z][a-z] [0-9]' | tail -n 25 >&2
fi

# The real daemon: demo run and board configs through its own loader.
if [[ $REAL_DAEMON == 1 ]]; then
  section "real daemon in the image (no system JDK; java on PATH poisoned)"
  # The launcher as systemd runs it (a script, so that timeout and kill reach the JVM it execs).
  printf '#!/bin/sh\nexec env -i PATH="%s" JAVA_HOME="%s" CACHE_DIRECTORY="%s" "%s" "$@"\n' \
    "$T/poison/bin:/usr/bin:/bin" "$T/poison" "$T/cache" "$T/current/bin/offramp" > "$T/bin-daemon"
  chmod +x "$T/bin-daemon"
  check "demo --frames 20 (test bundle, bundled video)" timeout 180 \
    "$T/bin-daemon" demo --frames 20 --http-port 0 --max-fps 0 --demo-dir "$ROOT/demo" --bundle "$BUNDLE"
  # Every board config through the daemon's own loader, run to the end of a video file. What this
  # machine lacks is overridden: bundle, source, broker, HTTP port, state dir; the boards' forced
  # meters (ina3221, pmic) become the model meter in the test copy.
  for board in "$ROOT"/deploy/boards/*/; do
    b="$(basename "$board")"
    sed 's/^  meter: .*/  meter: model/' "$board/offramp.yaml" > "$T/board-$b.yaml"
    check "board config $b: loaded and run to the end of a video (tensorrt/cuda fall back to cpu)" \
      timeout 180 "$T/bin-daemon" run --config "$T/board-$b.yaml" --bundle "$BUNDLE" \
      --source "$ROOT/demo/frames/fashion-test.mp4" --max-fps 0 \
      --mqtt-url "tcp://127.0.0.1:$EDGE_PORT" --http-port 0 --state-dir "$T/state-$b"
  done
  # SIGTERM: ready (health 200), then a clean exit 0 within 5 s.
  DPORT=$(free_port)
  "$T/bin-daemon" run --config "$T/board-x86-dev.yaml" --bundle "$BUNDLE" --loop \
    --source "$ROOT/demo/frames/fashion-test.mp4" --max-fps 10 --mqtt-url "tcp://127.0.0.1:$EDGE_PORT" \
    --http-port "$DPORT" --state-dir "$T/state-term" > "$T/daemon-term.log" 2>&1 &
  DPID=$!
  PIDS+=("$DPID")
  # Ready: the pipeline runs (log), then /observe/health answers 200 once HTTP has landed.
  for _ in $(seq 60); do
    grep -q "running bundle" "$T/daemon-term.log" 2>/dev/null && break
    sleep 0.5
  done
  health=none
  for _ in $(seq 20); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$DPORT") 2>/dev/null; then
      health=$(bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET /observe/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3; IFS= read -r l <&3; printf "%s" "$l"' _ "$DPORT" 2>/dev/null || true)
      [[ "$health" == *" 200"* ]] && break
    fi
    sleep 0.5
  done
  if [[ "$health" == *" 200"* ]]; then
    ok "daemon ready: GET /observe/health answers 200"
  elif [[ "$health" == none ]]; then
    bad "daemon /observe/health: nothing listens on port $DPORT"
  else
    bad "daemon /observe/health: $health"
  fi
  t0=$(date +%s%N)
  kill -TERM "$DPID" 2>/dev/null || true
  rc=0
  wait "$DPID" || rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [[ $rc == 0 && $ms -le 5000 ]] && ok "SIGTERM: exit 0 in $ms ms" || bad "SIGTERM: exit $rc after $ms ms"
else
  pending "demo run and board configs through the daemon's config loader: need the real daemon"
fi
# Size, start-to-first-result and RSS of the board image; the linux-arm64 image's natives and size.
if [[ $REAL_DAEMON == 1 ]]; then source "$ROOT/deploy/tests/image_metrics.sh"; image_metrics_section "$IMAGE"; fi

# ------------------------------------------------------------------------------------------------
section "install.sh / uninstall.sh in a temporary root"
D="$T/root"
LOG="$T/systemctl.log"
mkdir -p "$T/bin"
# A fake systemctl: logs its calls; "is-active" follows a flag file that "restart" sets.
cat > "$T/bin/systemctl" <<EOF
#!/bin/sh
echo "\$*" >> "$LOG"
case "\$1" in
  is-active) [ -f "$T/active" ] ;;
  restart|start) touch "$T/active" ;;
  stop|disable) rm -f "$T/active" ;;
esac
EOF
chmod +x "$T/bin/systemctl"
inst() { DESTDIR="$D" "$ROOT/deploy/install.sh" "$@"; }
snapshot() { (cd "$D" && find . -printf '%p %m %s %T@ %l\n' | sort); }

check "install (DESTDIR, real image)" inst --image "$IMAGE"
P="$D/opt/offramp"
layout_ok() {
  [[ "$(readlink "$P/current")" == "releases/$VERSION" ]] || { echo "current -> $(readlink "$P/current")"; return 1; }
  [[ -x "$P/releases/$VERSION/bin/offramp" && -x "$P/releases/$VERSION/bin/java" ]] || return 1
  local f want
  while read -r f want; do
    [[ -e "$D$f" ]] || { echo "missing $f"; return 1; }
    [[ "$(stat -c %a "$D$f")" == "$want" ]] || { echo "$f: mode $(stat -c %a "$D$f"), want $want"; return 1; }
  done <<'MODES'
/etc/offramp 755
/etc/offramp/offramp.yaml 640
/etc/offramp/offramp.env 640
/etc/offramp/offramp.yaml.example 644
/var/lib/offramp 750
/var/lib/offramp/bundles 750
/etc/systemd/system/offramp.service 644
/opt/offramp/releases 755
MODES
  grep -qx 'ExecStart=/opt/offramp/current/bin/offramp run --config /etc/offramp/offramp.yaml' \
    "$D/etc/systemd/system/offramp.service"
}
check "layout and permissions" layout_ok
check "installed release runs (bin/offramp --help through current)" \
  env -i PATH="$T/poison/bin:/usr/bin:/bin" "$P/current/bin/offramp" --help
before=$(snapshot)
out=$(inst --image "$IMAGE" 2>&1)
[[ "$(snapshot)" == "$before" && "$out" == *"nothing changed"* ]] \
  && ok "second install changes nothing" || bad "re-install changed the tree: $out"
echo "device-id: edited-by-admin" >> "$D/etc/offramp/offramp.yaml"
inst --image "$IMAGE" --board raspberry-pi-5 >/dev/null
grep -q edited-by-admin "$D/etc/offramp/offramp.yaml" && ok "existing config kept (--board does not overwrite)" \
  || bad "install overwrote /etc/offramp/offramp.yaml"
check "board drop-in installed" cmp "$ROOT/deploy/boards/raspberry-pi-5/offramp.service.d/override.conf" \
  "$D/etc/systemd/system/offramp.service.d/board.conf"
check "install --prefix rewrites the unit" bash -c 'DESTDIR="$1/p" "$2/deploy/install.sh" --image "$3" --prefix /srv/offramp >/dev/null &&
  grep -qx "ExecStart=/srv/offramp/current/bin/offramp run --config /etc/offramp/offramp.yaml" "$1/p/etc/systemd/system/offramp.service" &&
  [[ -x "$1/p/srv/offramp/current/bin/offramp" ]]' _ "$T" "$ROOT" "$IMAGE"

# Upgrades with small images (the installer needs only bin/offramp, bin/java and VERSION).
fake_image() { # dir version
  mkdir -p "$1/bin"
  printf '#!/bin/sh\necho %s\n' "$2" > "$1/bin/offramp"
  cp "$1/bin/offramp" "$1/bin/java"
  chmod +x "$1/bin/offramp" "$1/bin/java"
  echo "$2" > "$1/VERSION"
}
fake_image "$T/img-v2" 9.0.2
fake_image "$T/img-v3" 9.0.3-broken
fake_image "$T/img-v4" 9.0.4
fake_image "$T/img-v5" 9.0.5
export OFFRAMP_SYSTEMCTL="$T/bin/systemctl"
touch "$T/active"   # the service runs
# Health over HTTP as on a board: the config's http port, GET /observe/health, bash /dev/tcp.
HTTP_PORT=$(free_port)
mkdir -p "$T/www/observe"
echo UP > "$T/www/observe/health"
sed -i "s/^  port: 8080$/  port: $HTTP_PORT/" "$D/etc/offramp/offramp.yaml"
python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$T/www" > "$T/http.log" 2>&1 &
HTTP_PID=$!
PIDS+=("$HTTP_PID")
wait_port "$HTTP_PORT" || bad "health server did not start"
: > "$LOG"
if out=$(OFFRAMP_HEALTH_TIMEOUT=20 inst --image "$T/img-v2" 2>&1) \
   && [[ "$(readlink "$P/current")" == releases/9.0.2 && "$(readlink "$P/previous")" == "releases/$VERSION" ]] \
   && grep -qx "restart offramp" "$LOG"; then
  ok "upgrade: restart, HTTP health check on the config's port, current -> 9.0.2, previous kept"
else
  bad "upgrade to 9.0.2: $out"
fi
# A release that fails its health check is rolled back: current back, restarted again.
: > "$LOG"
export OFFRAMP_HEALTH_CMD="test \"\$(readlink '$P/current')\" != releases/9.0.3-broken"
if out=$(inst --image "$T/img-v3" 2>&1); then
  bad "upgrade to a failing release succeeded: $out"
elif [[ "$(readlink "$P/current")" == releases/9.0.2 && "$(readlink "$P/previous")" == "releases/$VERSION" \
        && $(grep -cx "restart offramp" "$LOG") == 2 && -d "$P/releases/9.0.3-broken" \
        && "$out" == *"rolled back"* ]]; then
  ok "failed health check rolls back: current -> 9.0.2 again, restarted twice, broken release kept"
else
  bad "rollback: current=$(readlink "$P/current") previous=$(readlink "$P/previous") restarts=$(grep -cx "restart offramp" "$LOG") out=$out"
fi
unset OFFRAMP_HEALTH_CMD
# Default HTTP check failing: the health endpoint goes away; rollback, and the old one fails too.
rm -f "$T/www/observe/health"
if out=$(OFFRAMP_HEALTH_TIMEOUT=2 inst --image "$T/img-v4" 2>&1); then
  bad "upgrade succeeded with no health endpoint: $out"
elif [[ "$(readlink "$P/current")" == releases/9.0.2 && "$out" == *"not healthy either"* ]]; then
  ok "HTTP health check failing (503/none) rolls back and says the old release is unhealthy too"
else
  bad "HTTP rollback: current=$(readlink "$P/current") out=$out"
fi
echo UP > "$T/www/observe/health"
check "manual --rollback swaps current and previous" bash -c 'DESTDIR="$1" "$2/deploy/install.sh" --rollback >/dev/null &&
  [[ "$(readlink "$1/opt/offramp/current")" == "releases/$3" && "$(readlink "$1/opt/offramp/previous")" == releases/9.0.2 ]]' \
  _ "$D" "$ROOT" "$VERSION"
inst --image "$T/img-v4" >/dev/null 2>&1 && inst --image "$T/img-v5" >/dev/null 2>&1 || true
kept=$(find "$P/releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
[[ "$(readlink "$P/current")" == releases/9.0.5 && "$(readlink "$P/previous")" == releases/9.0.4 && $kept == 3 ]] \
  && ok "old releases pruned to 3 (current, previous, newest other)" \
  || bad "prune: current=$(readlink "$P/current") previous=$(readlink "$P/previous") kept=$kept"
kill "$HTTP_PID" 2>/dev/null || true
unset OFFRAMP_SYSTEMCTL

# Clear errors.
err_has() { # expected-text command...
  local want="$1" out
  shift
  if out=$("$@" 2>&1); then echo "succeeded: $out"; return 1; fi
  [[ "$out" == *"$want"* ]] || { echo "got: $out"; return 1; }
}
check "error: missing image" err_has "not a runtime image" env DESTDIR="$T/e" "$ROOT/deploy/install.sh" --image "$T/www"
check "error: unknown board" err_has "unknown board" env DESTDIR="$T/e" "$ROOT/deploy/install.sh" --image "$T/img-v2" --board nope
check "error: relative DESTDIR" err_has "DESTDIR must be an absolute path" env DESTDIR=rel "$ROOT/deploy/install.sh" --image "$T/img-v2"
# As root, these two run as user nobody. The checkout may sit where nobody cannot enter (a clone in
# `mktemp -d`, which is mode 700, or under /root), so nobody runs copies of the scripts from a
# directory of its own, with / as its working directory; the scripts refuse before they read
# anything else (the image path is never opened).
if [[ $(id -u) -eq 0 ]]; then
  AS_NOBODY="$(mktemp -d /tmp/offramp-deploy-test.XXXXXX)"
  NOBODY_DIRS+=("$AS_NOBODY")
  cp "$ROOT/deploy/install.sh" "$ROOT/deploy/uninstall.sh" "$AS_NOBODY/"
  chmod 755 "$AS_NOBODY" "$AS_NOBODY/install.sh" "$AS_NOBODY/uninstall.sh"
  nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env -C / "$@"; }
else
  AS_NOBODY="$ROOT/deploy"
  nobody() { "$@"; }
fi
check "error: not root without DESTDIR" err_has "run as root" nobody env -u DESTDIR "$AS_NOBODY/install.sh" --image "$T/img-v2"
check "error: uninstall not root" err_has "run as root" nobody env -u DESTDIR "$AS_NOBODY/uninstall.sh"

# Uninstall keeps config and data; --purge removes them.
mkdir -p "$D/var/lib/offramp/bundles/b1" && echo '{}' > "$D/var/lib/offramp/bundles/b1/manifest.json"
check "uninstall" env DESTDIR="$D" "$ROOT/deploy/uninstall.sh"
kept_ok() {
  [[ ! -e "$D/opt/offramp" && ! -e "$D/etc/systemd/system/offramp.service" \
     && ! -e "$D/etc/systemd/system/offramp.service.d" ]] || { echo "prefix or unit left"; return 1; }
  grep -q edited-by-admin "$D/etc/offramp/offramp.yaml" && [[ -f "$D/var/lib/offramp/bundles/b1/manifest.json" ]]
}
check "uninstall removed releases and unit, kept config and bundles" kept_ok
check "uninstall --purge removes config and state" bash -c 'DESTDIR="$1" "$2/deploy/uninstall.sh" --purge >/dev/null &&
  [[ ! -e "$1/etc/offramp" && ! -e "$1/var/lib/offramp" ]]' _ "$D" "$ROOT"

# ------------------------------------------------------------------------------------------------
section "systemd unit: verify and exposure score"
# systemd-analyze verify checks that ExecStart= is executable; the unit names /opt/offramp, so
# each variant is checked as a copy whose paths point into a DESTDIR install (drop-ins next to it).
V="$T/verify-root"
DESTDIR="$V" "$ROOT/deploy/install.sh" --image "$T/img-v2" >/dev/null
SCORES=()
unit_variant() { # name [board]
  local dir="$T/units/$1"
  mkdir -p "$dir"
  sed "s#/opt/offramp#$V/opt/offramp#g" "$V/etc/systemd/system/offramp.service" > "$dir/offramp.service"
  if [[ -n "${2:-}" ]]; then
    mkdir -p "$dir/offramp.service.d"
    cp "$ROOT/deploy/boards/$2/offramp.service.d/override.conf" "$dir/offramp.service.d/board.conf"
  fi
  local out
  if out=$(systemd-analyze verify "$dir/offramp.service" 2>&1) && [[ -z "$out" ]]; then
    ok "systemd-analyze verify ($1): clean"
  else
    bad "systemd-analyze verify ($1): $out"
  fi
  out=$(systemd-analyze security --offline=true "$dir/offramp.service" 2>&1 || true)
  local score
  score=$(sed -n 's/.*Overall exposure level for offramp.service: \([0-9.]*\).*/\1/p' <<<"$out")
  if [[ -n "$score" ]] && awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then
    ok "exposure score ($1): $score (<= $MAX_EXPOSURE)"
    SCORES+=("$1=$score")
  else
    bad "exposure score ($1): '${score:-none}' (max $MAX_EXPOSURE)"; tail -n 5 <<<"$out" >&2
  fi
}
unit_variant base
for board in "$ROOT"/deploy/boards/*/; do
  b="$(basename "$board")"
  [[ -f "$board/offramp.service.d/override.conf" ]] && unit_variant "$b" "$b"
done
backoff_mentions=$(grep -c 'RestartSteps\|RestartMaxDelaySec' "$ROOT/systemd/offramp.service.d/restart-backoff.conf.example")
[[ $backoff_mentions -ge 2 ]] && ok "RestartSteps/RestartMaxDelaySec kept in the >= 254 drop-in example" \
  || bad "restart back-off example"

# ------------------------------------------------------------------------------------------------
section "fleet: Mosquitto bridge with real brokers, Telegraf config against real payloads"
CENTRAL_PORT=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$CENTRAL_PORT" > "$T/central.conf"
BRIDGE_PORT=$(free_port)
{
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$BRIDGE_PORT"
  # The shipped bridge config, pointed at the test's central broker.
  sed "s/^address .*/address 127.0.0.1:$CENTRAL_PORT/; s/CHANGE-ME/test-edge/" "$ROOT/deploy/fleet/mosquitto-bridge.conf"
} > "$T/edge-bridge.conf"
mosquitto -c "$T/central.conf" > "$T/central.log" 2>&1 &
PIDS+=($!)
mosquitto -c "$T/edge-bridge.conf" > "$T/edge.log" 2>&1 &
PIDS+=($!)
wait_port "$CENTRAL_PORT" && wait_port "$BRIDGE_PORT" || bad "brokers did not start"
# A result exactly as ARCHITECTURE.md's MQTT contract defines it.
RESULT='{"schema":"offramp-result/1","device":"jetson-orin-01","camera":"cam0","session":"5f0c2a9e-7d1b-4c3e-9a57-0b6f2d8e4a11","seq":42,"ts":1767225600123,"label":"Sneaker","class_id":7,"confidence":0.9731,"exit_stage":0,"stages_run":1,"profile":"m0.02","latency_ms":{"preprocess":0.41,"stages":[2.87],"inference":2.87,"total":5.12},"macs":150090000,"energy_mj":31.6,"energy_method":"ina3221:VDD_IN","dropped_frames":0,"replayed":false}'
STATS='{"fps":29.8,"frames_total":1042,"results_total":1042,"dropped_frames_total":3,"energy_joules_total":32.9,"power_watts":6.1}'
echo "$RESULT" > "$T/result.json"
echo "$STATS" > "$T/stats.json"
# The bridge connects asynchronously: wait for its retained state notification on the central side.
bridge_up=0
for _ in $(seq 25); do
  if [[ "$(mosquitto_sub -p "$CENTRAL_PORT" -t offramp/bridges/offramp-central/state -C 1 -W 1 2>/dev/null)" == 1 ]]; then
    bridge_up=1; break
  fi
done
[[ $bridge_up == 1 ]] && ok "bridge connected (notification topic on the central broker)" || bad "bridge did not connect"
mosquitto_sub -p "$CENTRAL_PORT" -t 'offramp/+/+/result' -t 'offramp/+/stats' -v -C 2 -W 10 \
  > "$T/central-received.txt" 2>/dev/null &
SUB=$!
sleep 0.5
mosquitto_pub -p "$BRIDGE_PORT" -q 1 -t offramp/jetson-orin-01/cam0/result -f "$T/result.json"
mosquitto_pub -p "$BRIDGE_PORT" -q 0 -t offramp/jetson-orin-01/stats -f "$T/stats.json"
wait "$SUB" || true
grep -qxF "offramp/jetson-orin-01/cam0/result $RESULT" "$T/central-received.txt" \
  && ok "result published on the edge broker arrives unchanged at the central broker" \
  || bad "result not bridged: $(cat "$T/central-received.txt")"
grep -qxF "offramp/jetson-orin-01/stats $STATS" "$T/central-received.txt" \
  && ok "stats bridged" || bad "stats not bridged"
# Commands must not flow in from the fleet by default.
mosquitto_sub -p "$BRIDGE_PORT" -t 'offramp/+/set/#' -C 1 -W 2 > "$T/edge-set.txt" 2>/dev/null &
SUB=$!
sleep 0.3
mosquitto_pub -p "$CENTRAL_PORT" -t offramp/jetson-orin-01/set/profile -m m0.05
wait "$SUB" || true
[[ ! -s "$T/edge-set.txt" ]] && ok "set/ commands from the central broker are not bridged in" \
  || bad "central command reached the edge: $(cat "$T/edge-set.txt")"

if command -v telegraf >/dev/null 2>&1; then
  check "telegraf --test config" telegraf --config "$ROOT/deploy/fleet/telegraf.conf" --test --input-filter mqtt_consumer
else
  # Telegraf is not packaged in Debian: its config is checked as TOML and against the payloads.
  check "telegraf.conf: TOML, topic filters and JSON paths match real topics and payloads" \
    python3 "$ROOT/deploy/tests/check_telegraf.py" "$ROOT/deploy/fleet/telegraf.conf" "$T/result.json" "$T/stats.json"
  pending "telegraf itself not run (not in Debian; config checked as TOML against real payloads)"
fi

# ------------------------------------------------------------------------------------------------
printf '\n== deploy tests: %d passed, %d failed, %d pending\n' "$PASSED" "${#FAILED[@]}" "${#PENDING[@]}"
printf '   image %s (%s), exposure %s\n' "$VERSION" "$(du -sh "$IMAGE" | cut -f1)" "${SCORES[*]:-}"
for p in ${PENDING[@]+"${PENDING[@]}"}; do printf '   pending: %s\n' "$p"; done
for f in ${FAILED[@]+"${FAILED[@]}"}; do printf '   FAILED: %s\n' "$f" >&2; done
[[ ${#FAILED[@]} -eq 0 ]]
