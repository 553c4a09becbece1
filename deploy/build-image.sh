#!/usr/bin/env bash
# Builds the offramp daemon's self-contained runtime image: a jlink-made Java runtime with only the
# JDK modules the daemon needs, the daemon's jars and one platform's native libraries, and
# bin/offramp, which runs the image's own java. See deploy/README.md ("Runtime image").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MAIN_CLASS=dev.offramp.runtime.cli.RuntimeMain
MIN_JAVA=21

die() { printf 'build-image: %s\n' "$*" >&2; exit 2; }
say() { printf 'build-image: %s\n' "$*" >&2; }

usage() {
  cat <<'USAGE'
Usage: deploy/build-image.sh [OPTIONS]

  --platform P            linux-x86_64 or linux-arm64 (default: this machine's)
  --out DIR               where the image goes (default: target/image); replaced if it exists
  --jdk DIR               JDK whose modules go into the image. Default: the build JDK. For another
                          architecture give a JDK of that architecture WITH jmods/ and the same
                          feature version as the build JDK (jlink only links its own version).
  --add-modules M[,M...]  JDK modules beyond what jdeps finds (e.g. jdk.jcmd for diagnostics)
  --onnxruntime-jar JAR   use this ONNX Runtime jar (e.g. a TensorRT/CUDA build) instead of Maven's
  --onnxruntime-native DIR
                          take ONNX Runtime's native libraries (libonnxruntime.so,
                          libonnxruntime4j_jni.so, provider libraries) from DIR, not from the jar
  --extra-jar JAR         add a jar to the image's class path (repeatable)
  --tar                   also write offramp-<version>-<platform>.tar.gz next to --out
  -h, --help              this text

The build JDK is JAVA_HOME if it is a JDK >= 21 with jlink, else the newest under /usr/lib/jvm.
Maven runs through ./mvnw (runtime module and its dependencies for the platform's natives).
USAGE
}

# --- arguments ---------------------------------------------------------------------------------
host_platform() {
  case "$(uname -m)" in
    x86_64|amd64) echo linux-x86_64 ;;
    aarch64|arm64) echo linux-arm64 ;;
    *) echo "unsupported-$(uname -m)" ;;
  esac
}
PLATFORM="$(host_platform)"
OUT="$ROOT/target/image"
TARGET_JDK=""
EXTRA_MODULES=""
ORT_JAR=""
ORT_NATIVE=""
EXTRA_JARS=()
TAR=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --platform) PLATFORM="${2:?--platform needs a value}"; shift 2 ;;
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --jdk) TARGET_JDK="${2:?--jdk needs a directory}"; shift 2 ;;
    --add-modules) EXTRA_MODULES="${2:?--add-modules needs a list}"; shift 2 ;;
    --onnxruntime-jar) ORT_JAR="${2:?--onnxruntime-jar needs a file}"; shift 2 ;;
    --onnxruntime-native) ORT_NATIVE="${2:?--onnxruntime-native needs a directory}"; shift 2 ;;
    --extra-jar) EXTRA_JARS+=("${2:?--extra-jar needs a file}"); shift 2 ;;
    --tar) TAR=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
case "$PLATFORM" in
  linux-x86_64) ORT_PLATFORM=linux-x64; ARCH=x86_64 ;;
  linux-arm64) ORT_PLATFORM=linux-aarch64; ARCH=aarch64 ;;
  *) die "--platform: expected linux-x86_64 or linux-arm64, found '$PLATFORM'" ;;
esac
[[ -z "$ORT_JAR" || -f "$ORT_JAR" ]] || die "--onnxruntime-jar: no such file: $ORT_JAR"
[[ -z "$ORT_NATIVE" || -f "$ORT_NATIVE/libonnxruntime.so" ]] \
  || die "--onnxruntime-native: expected $ORT_NATIVE/libonnxruntime.so"
for jar in ${EXTRA_JARS[@]+"${EXTRA_JARS[@]}"}; do
  [[ -f "$jar" ]] || die "--extra-jar: no such file: $jar"
done
[[ "$OUT" = /* ]] || OUT="$PWD/$OUT"

# --- the build JDK -----------------------------------------------------------------------------
feature_of() { # JDK home -> feature version from its release file, or nothing
  [[ -f "$1/release" ]] && sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
find_build_jdk() {
  local c v best="" best_v=0
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/jlink" ]]; then
    v="$(feature_of "$JAVA_HOME")"
    if [[ -n "$v" && "$v" -ge $MIN_JAVA ]]; then printf '%s' "$JAVA_HOME"; return; fi
  fi
  for c in /usr/lib/jvm/*; do
    [[ -d "$c" && ! -L "$c" && -x "$c/bin/jlink" ]] || continue
    v="$(feature_of "$c")"
    if [[ -n "$v" && "$v" -ge $MIN_JAVA && "$v" -gt $best_v ]]; then best="$c"; best_v="$v"; fi
  done
  [[ -n "$best" ]] || die "no JDK >= $MIN_JAVA with jlink found (JAVA_HOME, /usr/lib/jvm/*).
Install one (e.g. Temurin 21+ or openjdk-21-jdk-headless) or set JAVA_HOME to it."
  printf '%s' "$best"
}
BUILD_JDK="$(find_build_jdk)"
export JAVA_HOME="$BUILD_JDK"
BUILD_FEATURE="$(feature_of "$BUILD_JDK")"

# Where the image's JDK modules come from: the target JDK's jmods, the build JDK's jmods, or (JDK
# 24+ builds without jmods, e.g. Temurin 25) the build JDK's own run-time image.
MODULE_PATH=()
IMAGE_FEATURE="$BUILD_FEATURE"
if [[ -n "$TARGET_JDK" ]]; then
  [[ -d "$TARGET_JDK/jmods" ]] || die "--jdk $TARGET_JDK has no jmods/ directory. jlink needs the
target JDK's jmods to link for it; use a JDK distribution that ships them (Temurin 21 does), or
build the image on the board itself with its own JDK."
  IMAGE_FEATURE="$(feature_of "$TARGET_JDK")"
  [[ "$IMAGE_FEATURE" == "$BUILD_FEATURE" ]] || die "--jdk $TARGET_JDK is Java $IMAGE_FEATURE but \
the build JDK ($BUILD_JDK) is Java $BUILD_FEATURE: jlink links only its own version. Set JAVA_HOME \
to a Java $IMAGE_FEATURE JDK for this machine."
  MODULE_PATH=(--module-path "$TARGET_JDK/jmods")
elif [[ "$PLATFORM" != "$(host_platform)" ]]; then
  die "--platform $PLATFORM differs from this machine ($(host_platform)): give --jdk with a
$ARCH JDK that has jmods/ (same feature version as $BUILD_JDK), or build on the board."
elif [[ -d "$BUILD_JDK/jmods" ]]; then
  MODULE_PATH=(--module-path "$BUILD_JDK/jmods")
elif ! "$BUILD_JDK/bin/jlink" --help 2>&1 | grep -q 'Linking from run-time image enabled'; then
  die "$BUILD_JDK has neither jmods/ nor a linkable run-time image; use another JDK (--jdk)."
fi

# --- version -----------------------------------------------------------------------------------
project_version() {
  awk '/<artifactId>offramp-parent<\/artifactId>/ {p=1} p && /<version>/ {
         gsub(/.*<version>|<\/version>.*/, ""); print; exit }' "$ROOT/pom.xml"
}
VERSION="$(project_version)"
[[ -n "$VERSION" ]] || die "cannot read the project version from $ROOT/pom.xml"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  VERSION="$VERSION+g$(git -C "$ROOT" rev-parse --short=10 HEAD)"
  git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || VERSION="$VERSION.dirty"
fi

# --- work area ---------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
WORK="$(mktemp -d "$(dirname "$OUT")/.build-image.XXXXXX")"
CLASSPATH_TXT="$ROOT/runtime/target/classpath.txt"
cleanup() {
  rm -rf "$WORK"
  # A build for another platform must not leave its natives in ./offramp's class path.
  if [[ -f "$WORK.classpath.txt" ]]; then mv -f "$WORK.classpath.txt" "$CLASSPATH_TXT"; fi
}
trap cleanup EXIT
if [[ "$PLATFORM" != "$(host_platform)" && -f "$CLASSPATH_TXT" ]]; then
  cp -p "$CLASSPATH_TXT" "$WORK.classpath.txt"
fi

# --- 1. jars: the runtime module and its runtime dependencies, natives of one platform ---------
say "building the runtime module and copying its dependencies for $PLATFORM ($BUILD_JDK)"
DEPS="$WORK/deps"
# No -DexcludeGroupIds here: the package phase's build-classpath reads that property too and would
# drop the cascade jar from ./offramp's own class path. Our own jars are removed from DEPS below.
if ! "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" -pl runtime -am package dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$DEPS" \
    -Djavacpp.platform="$PLATFORM" -DskipTests -Dspotless.check.skip=true -Dspotbugs.skip=true >&2
then
  die "Maven failed (see above)."
fi
rm -f "$DEPS"/offramp-*.jar
APP="$WORK/image-lib"
mkdir -p "$APP/native"
cp "$DEPS"/*.jar "$APP/"
for module in cascade runtime; do
  jar=$(find "$ROOT/$module/target" -maxdepth 1 -name "offramp-$module-*.jar" \
        ! -name '*-tests.jar' ! -name '*-sources.jar' | head -n1)
  [[ -n "$jar" ]] || die "no offramp-$module jar in $ROOT/$module/target after the build"
  cp "$jar" "$APP/"
done
for jar in ${EXTRA_JARS[@]+"${EXTRA_JARS[@]}"}; do cp "$jar" "$APP/"; done

# ONNX Runtime: its jar carries four platforms' natives (~50 MB of the jar); ship the classes and
# this platform's libraries, loaded from lib/offramp/native through -Donnxruntime.native.path.
IMAGE_JARS=("$BUILD_JDK/bin/java" "$ROOT/deploy/tools/ImageJars.java")
maven_ort=$(find "$APP" -maxdepth 1 -name 'onnxruntime-*.jar' | head -n1)
[[ -n "$maven_ort" ]] || die "no onnxruntime jar among the runtime's dependencies"
mv "$maven_ort" "$WORK/"
src_ort="${ORT_JAR:-$WORK/$(basename "$maven_ort")}"
if [[ -n "$ORT_NATIVE" ]]; then
  "${IMAGE_JARS[@]}" onnxruntime "$src_ort" "$APP/$(basename "$src_ort")" "$APP/native" none
  cp "$ORT_NATIVE"/*.so* "$APP/native/"
else
  "${IMAGE_JARS[@]}" onnxruntime "$src_ort" "$APP/$(basename "$src_ort")" "$APP/native" \
    "$ORT_PLATFORM"
fi
# Jars of other platforms must not slip in (a javacpp-platform dependency would bring them all).
other=$(find "$APP" -maxdepth 1 -name '*-linux-*.jar' ! -name "*-$PLATFORM.jar" -printf '%f ')
[[ -z "$other" ]] || die "jars of another platform in the image: $other"

has_main=0
for jar in "$APP"/*.jar; do
  if "$BUILD_JDK/bin/jar" tf "$jar" | grep -qx "${MAIN_CLASS//.//}.class"; then has_main=1; fi
done
[[ $has_main == 1 ]] || die "no $MAIN_CLASS in the runtime jars: the daemon's main class has not
landed in this checkout (runtime module). Nothing to put in an image yet."

# --- 2. JDK modules: jdeps over the jars, cached by JDK and jar list --------------------------
key=$( { echo "$BUILD_FEATURE $EXTRA_MODULES"; find "$APP" -maxdepth 1 -name '*.jar' \
         -printf '%f %s\n' | sort; } | sha256sum | cut -c1-16)
CACHE="$ROOT/target/image-cache/modules-$key.txt"
if [[ -s "$CACHE" ]]; then
  MODULES="$(cat "$CACHE")"
  say "JDK modules (cached, $CACHE): $MODULES"
else
  say "computing the JDK modules with jdeps (cached afterwards)"
  "${IMAGE_JARS[@]}" classes-only "$WORK/jdeps" "$APP"/*.jar
  MODULES=$("$BUILD_JDK/bin/jdeps" --print-module-deps --ignore-missing-deps \
            --multi-release "$MIN_JAVA" --class-path "$WORK/jdeps/*" "$WORK/jdeps"/*.jar)
  [[ "$MODULES" == java.base* ]] || die "jdeps printed no module list: $MODULES"
  # Found at run time, not by jdeps: TLS with EC keys (a module of its own up to JDK 21;
  # merged into java.base since 22).
  if [[ "$IMAGE_FEATURE" -lt 22 ]]; then MODULES="$MODULES,jdk.crypto.ec"; fi
  [[ -z "$EXTRA_MODULES" ]] || MODULES="$MODULES,$EXTRA_MODULES"
  mkdir -p "$(dirname "$CACHE")"
  printf '%s\n' "$MODULES" > "$CACHE"
  say "JDK modules: $MODULES"
fi

# --- 3. jlink --------------------------------------------------------------------------------
IMAGE="$WORK/image"
say "linking the Java runtime (Java $IMAGE_FEATURE, $ARCH)"
"$BUILD_JDK/bin/jlink" ${MODULE_PATH[@]+"${MODULE_PATH[@]}"} --add-modules "$MODULES" \
  --strip-debug --no-header-files --no-man-pages --compress zip-6 --output "$IMAGE" >&2
mv "$APP" "$IMAGE/lib/offramp"

# --- 4. launcher, version, installer -----------------------------------------------------------
JAVA_OPTS="--enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError"
# Netty (Moquette, in-process broker of the demo) uses sun.misc.Unsafe memory access, which Java
# 24+ warns about; the option exists from 23 on.
if [[ "$IMAGE_FEATURE" -ge 23 ]]; then
  JAVA_OPTS="$JAVA_OPTS --sun-misc-unsafe-memory-access=allow"
fi
cat > "$IMAGE/bin/offramp" <<LAUNCHER
#!/bin/sh
# offramp daemon launcher of this runtime image ($VERSION, $PLATFORM; made by deploy/build-image.sh).
# It runs the image's own java and never looks at PATH or JAVA_HOME.
#   offramp run --config /etc/offramp/offramp.yaml | offramp demo | offramp --help
# OFFRAMP_JAVA_OPTS adds JVM options (e.g. -Xmx256m); it is split on blanks.
set -eu
self=\$(readlink -f -- "\$0" 2>/dev/null) || self=\$0
image=\$(CDPATH='' cd -- "\$(dirname -- "\$self")/.." && pwd -P)
# JavaCPP unpacks the OpenCV/FFmpeg natives into a cache; under systemd that is CacheDirectory=.
cachedir=""
if [ -n "\${CACHE_DIRECTORY:-}" ]; then
  cachedir="-Dorg.bytedeco.javacpp.cachedir=\${CACHE_DIRECTORY%%:*}/javacpp"
fi
# ONNX Runtime's telemetry: off (a board has no business uploading it; see OrtRuntime.java).
ORT_DISABLE_TELEMETRY=\${ORT_DISABLE_TELEMETRY:-1}
export ORT_DISABLE_TELEMETRY
set -f
# shellcheck disable=SC2086 # OFFRAMP_JAVA_OPTS is a list of options, split on purpose
exec "\$image/bin/java" $JAVA_OPTS \${cachedir:+"\$cachedir"} \${OFFRAMP_JAVA_OPTS:-} \\
  -Donnxruntime.native.path="\$image/lib/offramp/native" \\
  -cp "\$image/lib/offramp/*" $MAIN_CLASS "\$@"
LAUNCHER
chmod 0755 "$IMAGE/bin/offramp"
printf '%s\n' "$VERSION" > "$IMAGE/VERSION"
{
  echo "version=$VERSION"
  echo "platform=$PLATFORM"
  echo "java=$IMAGE_FEATURE"
  echo "modules=$MODULES"
} > "$IMAGE/lib/offramp/image.properties"

SHARE="$IMAGE/share/offramp"
mkdir -p "$SHARE/systemd"
cp "$ROOT/deploy/install.sh" "$ROOT/deploy/uninstall.sh" "$ROOT/deploy/README.md" "$SHARE/"
cp -R "$ROOT/deploy/boards" "$ROOT/deploy/fleet" "$SHARE/"
cp "$ROOT/systemd/offramp.service" "$SHARE/systemd/"
if [[ -d "$ROOT/systemd/offramp.service.d" ]]; then
  cp -R "$ROOT/systemd/offramp.service.d" "$SHARE/systemd/"
fi
chmod -R u=rwX,go=rX "$IMAGE"

rm -rf "$OUT"
mv "$IMAGE" "$OUT"
size=$(du -sh "$OUT" | cut -f1)
say "image $OUT: offramp $VERSION, $PLATFORM, Java $IMAGE_FEATURE, $size"
if [[ $TAR == 1 ]]; then
  name="offramp-$VERSION-$PLATFORM"
  tarball="$(dirname "$OUT")/$name.tar.gz"
  tar -C "$(dirname "$OUT")" --transform "s,^$(basename "$OUT"),$name," -czf "$tarball" \
    "$(basename "$OUT")"
  say "tarball $tarball ($(du -h "$tarball" | cut -f1))"
fi
