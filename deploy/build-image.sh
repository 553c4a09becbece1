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
  --with-demo             also ship the demo's in-process MQTT broker (Moquette, Netty, H2) in
                          lib/offramp/demo/, for `offramp demo`. A board image leaves it out.
  --cds                   add class-data archives (the JDK's and the daemon's, from a training
                          run at build time): a faster start for about 45 MB more. This
                          machine's platform only.
  --no-jre                no Java runtime: the daemon's jars, natives, launcher and files only.
                          For checking another platform's image where no JDK of that
                          architecture with jmods is at hand (bin/java is then missing).
  --tar                   also write offramp-<version>-<platform>.tar.gz next to --out
  -h, --help              this text

The build JDK is JAVA_HOME if it is a JDK >= 21 with jlink, else the newest under /usr/lib/jvm.
Maven runs through ./mvnw (runtime module and its dependencies for the platform's natives).

For measuring what each step saves, OFFRAMP_IMAGE_SKIP may name steps to leave out (comma list):
demo-split, trim-natives, trim-modules, jvm-flags. See deploy/README.md ("Board image, size and
start-up").
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
WITH_DEMO=0
NO_JRE=0
WANT_CDS=0
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
    --with-demo) WITH_DEMO=1; shift ;;
    --no-jre) NO_JRE=1; shift ;;
    --cds) WANT_CDS=1; shift ;;
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
skip() { [[ ",${OFFRAMP_IMAGE_SKIP:-}," == *",$1,"* ]]; }

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
if [[ $NO_JRE == 1 ]]; then
  : # no jlink: nothing to check about the target's JDK
elif [[ -n "$TARGET_JDK" ]]; then
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
elif ! "$BUILD_JDK/bin/jlink" --help 2>&1 | grep 'Linking from run-time image enabled' >/dev/null; then
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
    dependency:tree -DoutputFile="$WORK/tree.txt" \
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
# Demo-only jars: the in-process broker of `offramp demo` (Moquette) and everything Maven resolved
# through it (Netty, H2 MVStore, Dropwizard metrics, commons-codec). A board image leaves them out;
# --with-demo puts them in lib/offramp/demo/, which the launcher adds to the class path when present.
DEMO_JARS="$WORK/demo-lib"
mkdir -p "$DEMO_JARS"
if ! skip demo-split; then
  [[ -s "$WORK/tree.txt" ]] || die "Maven wrote no dependency tree ($WORK/tree.txt)"
  # Lines of the moquette-broker subtree: group:artifact:type[:classifier]:version:scope.
  mapfile -t demo_names < <(awk '
    /^[+\\]- / { inside = ($0 ~ /io\.moquette:moquette-broker:/) }
    inside { sub(/^[-+|\\ ]*/, ""); n = split($0, f, ":");
             if (n == 6) print f[2] "-" f[5] "-" f[4] ".jar"; else print f[2] "-" f[4] ".jar" }
  ' "$WORK/tree.txt")
  [[ ${#demo_names[@]} -gt 0 ]] || die "no io.moquette:moquette-broker in the runtime's dependencies"
  for name in "${demo_names[@]}"; do
    if [[ -f "$APP/$name" ]]; then mv "$APP/$name" "$DEMO_JARS/"; fi
  done
  # Netty's epoll natives: the demo broker runs on NIO, and the jar is x86_64 whatever the platform.
  rm -f "$DEMO_JARS"/netty-transport-native-*.jar
fi

# Native libraries the daemon never loads: FFmpeg's command-line programs are not needed by
# FFmpegFrameGrabber and swscale (the runtime has no OpenCV or OpenBLAS since capture fits frames
# with swscale).
if ! skip trim-natives; then
  for jar in "$APP"/opencv-*.jar "$APP"/openblas-*.jar; do
    if [[ -f "$jar" ]]; then
      die "$(basename "$jar") among the runtime's dependencies: capture uses FFmpeg alone;" \
        "exclude it from javacv in runtime/pom.xml"
    fi
  done
  for jar in "$APP"/ffmpeg-*-"$PLATFORM".jar; do
    [[ -f "$jar" ]] || die "no FFmpeg natives jar for $PLATFORM among the runtime's dependencies"
    "${IMAGE_JARS[@]}" drop "$jar" "$jar.trimmed" 'org/bytedeco/ffmpeg/[^/]+/(ffmpeg|ffprobe)'
    mv "$jar.trimmed" "$jar"
  done
  # sqlite-jdbc (the store-and-forward engine) carries SQLite for every OS and CPU in one jar
  # (12 MB); the image keeps its own platform's glibc build (about 1 MB).
  for jar in "$APP"/sqlite-jdbc-*.jar; do
    [[ -f "$jar" ]] || die "no sqlite-jdbc jar among the runtime's dependencies"
    "${IMAGE_JARS[@]}" drop "$jar" "$jar.trimmed" "org/sqlite/native/(?!Linux/$ARCH/).+"
    mv "$jar.trimmed" "$jar"
  done
fi

# Jars of other platforms must not slip in (a javacpp-platform dependency would bring them all).
other=$(find "$APP" -maxdepth 1 -name '*-linux-*.jar' ! -name "*-$PLATFORM.jar" -printf '%f ')
[[ -z "$other" ]] || die "jars of another platform in the image: $other"

has_main=0
for jar in "$APP"/*.jar; do
  if "$BUILD_JDK/bin/jar" tf "$jar" | grep -x "${MAIN_CLASS//.//}.class" >/dev/null; then has_main=1; fi
done
[[ $has_main == 1 ]] || die "no $MAIN_CLASS in the runtime jars: the daemon's main class has not
landed in this checkout (runtime module). Nothing to put in an image yet."

# --- 2. JDK modules: jdeps over the jars, cached by JDK and jar list --------------------------
if [[ $NO_JRE == 1 ]]; then
  MODULES=none
else
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
# java.desktop is found by jdeps only through JavaCV's FrameGrabber$PropertyEditor (a
# java.beans.PropertyEditorSupport for GUI tools), which the daemon never loads: leaving the module
# out saves AWT, Java2D, fonts and their native libraries. The image's smoke test and daemon runs
# are what prove it.
if ! skip trim-modules; then
  MODULES="$(tr ',' '\n' <<<"$MODULES" | grep -vx 'java.desktop' | paste -sd, -)"
fi
fi

# --- 3. jlink --------------------------------------------------------------------------------
IMAGE="$WORK/image"
SAME_PLATFORM=0
[[ "$PLATFORM" == "$(host_platform)" ]] && SAME_PLATFORM=1
CDS=0
if [[ $NO_JRE == 1 ]]; then
  say "no Java runtime (--no-jre): jars, natives, launcher and files only"
  mkdir -p "$IMAGE/bin" "$IMAGE/lib"
else
  # The JDK's own class-data archive (lib/server/classes.jsa), which the application archive below
  # builds on. It is made by running the linked java, so only for this machine's platform.
  jlink_extra=()
  if [[ $WANT_CDS == 1 ]]; then
    [[ $SAME_PLATFORM == 1 ]] || die "--cds: the archives are made by running the image's java,
so only for this machine's platform ($(host_platform)), not $PLATFORM"
    jlink_extra=(--generate-cds-archive)
    CDS=1
  fi
  say "linking the Java runtime (Java $IMAGE_FEATURE, $ARCH)"
  "$BUILD_JDK/bin/jlink" ${MODULE_PATH[@]+"${MODULE_PATH[@]}"} --add-modules "$MODULES" \
    --strip-debug --no-header-files --no-man-pages --compress zip-6 \
    ${jlink_extra[@]+"${jlink_extra[@]}"} --output "$IMAGE" >&2
  # libjvm.so comes with its full symbol table (5 MB); Java stack traces do not need it, and a
  # crash report still names the exported symbols. Only this machine's binutils know its ELF.
  if ! skip trim-modules && [[ $SAME_PLATFORM == 1 ]] && command -v strip >/dev/null; then
    strip --strip-unneeded "$IMAGE/lib/server/libjvm.so"
  fi
  # The archive for heaps over 32 GB (no compressed oops): never used by a daemon with a 96 MB heap.
  if [[ $CDS == 1 ]] && ! skip jvm-flags; then rm -f "$IMAGE/lib/server/classes_nocoops.jsa"; fi
fi
mv "$APP" "$IMAGE/lib/offramp"
if [[ $WITH_DEMO == 1 ]] && compgen -G "$DEMO_JARS/*.jar" >/dev/null; then
  mv "$DEMO_JARS" "$IMAGE/lib/offramp/demo"
fi

# --- 4. launcher, version, installer -----------------------------------------------------------
JAVA_OPTS="--enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError"
# Netty (Moquette, in-process broker of the demo) uses sun.misc.Unsafe memory access, which Java
# 24+ warns about; the option exists from 23 on.
if [[ "$IMAGE_FEATURE" -ge 23 ]]; then
  JAVA_OPTS="$JAVA_OPTS --sun-misc-unsafe-memory-access=allow"
fi
# Memory: the daemon's Java heap is small (frames and tensors live in native buffers), so the serial
# collector, a capped heap and a smaller code cache keep the resident set down; C1 only, since the
# hot path is native inference and C2's compilations cost more memory than they save time.
# OFFRAMP_JAVA_OPTS comes later on the command line and overrides any of these.
# JavaCPP's own limits on native memory default to multiples of the Java heap, so with a small heap
# they are lifted (0): native memory is the models' and the codecs', bounded by the board.
ENV_LINES=""
if ! skip jvm-flags; then
  JAVA_OPTS="$JAVA_OPTS -XX:+UseSerialGC -Xms16m -Xmx128m -XX:TieredStopAtLevel=1"
  JAVA_OPTS="$JAVA_OPTS -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m"
  JAVA_OPTS="$JAVA_OPTS -Dorg.bytedeco.javacpp.maxBytes=0 -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
fi
# The class path, jar by jar in a fixed order: a class-data archive only matches the class path it
# was made with, and a wildcard's order is the directory's.
CP_LIST=""
while IFS= read -r jar; do
  CP_LIST="$CP_LIST${CP_LIST:+:}\$image/lib/offramp/$jar"
done < <(cd "$IMAGE/lib/offramp" && find . -maxdepth 1 -name '*.jar' -printf '%f\n' | LC_ALL=C sort)
CDS_OPTS=""
if [[ $CDS == 1 ]]; then
  CDS_OPTS="-XX:SharedArchiveFile=\$image/lib/offramp/offramp.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"
fi
# The daemon's AOT cache (JDK 25, JEP 514/515: classes loaded and linked, method profiles): made
# on the board, not shipped (it would be about 45 MB of the image, and it must come from the
# image's own java). Under systemd (CacheDirectory=) or with OFFRAMP_AOT_CACHE=FILE, the first
# `offramp run` records what it loads and writes the cache when it stops; every later start of
# the same image version maps it. OFFRAMP_AOT=off leaves it out. Not with --cds (one archive at
# a time), and only for Java 25 or later.
AOT_LINES="aot=\"\" aotlog=\"\""
if [[ $CDS == 0 && "$IMAGE_FEATURE" -ge 25 ]]; then
  AOT_LINES=$(cat <<AOT
# The daemon's AOT cache, made by its first run on this board (see deploy/README.md).
aot=""
aotlog=""
if [ "\${1:-}" = run ] && [ "\${OFFRAMP_AOT:-on}" != off ]; then
  aotfile=\${OFFRAMP_AOT_CACHE:-}
  if [ -z "\$aotfile" ] && [ -n "\${CACHE_DIRECTORY:-}" ]; then
    aotfile="\${CACHE_DIRECTORY%%:*}/offramp-$VERSION.aot"
  fi
  if [ -s "\$aotfile" ]; then
    aot="-XX:AOTCache=\$aotfile"
  elif [ -n "\$aotfile" ] && mkdir -p "\$(dirname -- "\$aotfile")" 2>/dev/null; then
    aot="-XX:AOTCacheOutput=\$aotfile"
    aotlog="-Xlog:aot=error" # not the classes it skips, one line each
  fi
fi
AOT
)
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
# JavaCPP unpacks the FFmpeg natives into a cache; under systemd that is CacheDirectory=.
cachedir=""
if [ -n "\${CACHE_DIRECTORY:-}" ]; then
  cachedir="-Dorg.bytedeco.javacpp.cachedir=\${CACHE_DIRECTORY%%:*}/javacpp"
fi
# ONNX Runtime's telemetry: off (a board has no business uploading it; see OrtRuntime.java).
ORT_DISABLE_TELEMETRY=\${ORT_DISABLE_TELEMETRY:-1}
export ORT_DISABLE_TELEMETRY
cp="$CP_LIST"
$ENV_LINES
# The demo's in-process broker, in images built with --with-demo only.
if [ -d "\$image/lib/offramp/demo" ]; then cp="\$cp:\$image/lib/offramp/demo/*"; fi
cds=""
if [ -f "\$image/lib/offramp/offramp.jsa" ]; then cds="$CDS_OPTS"; fi
$AOT_LINES
set -f
# shellcheck disable=SC2086 # OFFRAMP_JAVA_OPTS and cds are lists of options, split on purpose
exec "\$image/bin/java" $JAVA_OPTS \${cachedir:+"\$cachedir"} \$cds \${aot:+"\$aot"} \${aotlog:+"\$aotlog"} \${OFFRAMP_JAVA_OPTS:-} \\
  -Donnxruntime.native.path="\$image/lib/offramp/native" \\
  -cp "\$cp" $MAIN_CLASS "\$@"
LAUNCHER
chmod 0755 "$IMAGE/bin/offramp"
printf '%s\n' "$VERSION" > "$IMAGE/VERSION"
JAVA_PROP="$IMAGE_FEATURE"
[[ $NO_JRE == 1 ]] && JAVA_PROP=none
{
  echo "version=$VERSION"
  echo "platform=$PLATFORM"
  echo "java=$JAVA_PROP"
  echo "modules=$MODULES"
  echo "demo=$WITH_DEMO"
} > "$IMAGE/lib/offramp/image.properties"

# --- 5. application class-data archive (AppCDS) -------------------------------------------------
# A training run of the image's own launcher: the demo bundle on the bundled clip, to the end of
# the file, with no broker listening (publishing is queued, then dropped at exit). What it loads
# (config, ONNX Runtime, JavaCV, Paho, Helidon, the pipeline) is archived at exit, so a start maps
# those classes instead of parsing and verifying them.
if [[ $CDS == 1 ]]; then
  say "class-data archive: a training run of the daemon (demo bundle, bundled clip)"
  probe=$(( 40000 + RANDOM % 20000 ))
  # Its exit status is not the point (no broker listens); the archive is.
  OFFRAMP_JAVA_OPTS="-XX:ArchiveClassesAtExit=$IMAGE/lib/offramp/offramp.jsa -Xlog:cds=off \
    -Xlog:cds+dynamic=off -Dorg.bytedeco.javacpp.cachedir=$WORK/javacpp" \
    timeout 120 "$IMAGE/bin/offramp" run --bundle "$ROOT/demo/fashion-resnet18/bundle" \
    --source "$ROOT/demo/frames/fashion-test.mp4" --max-fps 0 --device-id cds-training \
    --mqtt-url "tcp://127.0.0.1:$probe" --http-port 0 --state-dir "$WORK/training-state" \
    > "$WORK/training.log" 2>&1 || true
  if [[ ! -s "$IMAGE/lib/offramp/offramp.jsa" ]] || ! grep -q "running bundle" "$WORK/training.log"; then
    tail -n 20 "$WORK/training.log" >&2
    die "the class-data training run did not classify or wrote no archive (log above): the image's
daemon does not run."
  fi
  say "class-data archive: $(du -h "$IMAGE/lib/offramp/offramp.jsa" | cut -f1)"
fi

SHARE="$IMAGE/share/offramp"
mkdir -p "$SHARE/systemd"
cp "$ROOT/deploy/install.sh" "$ROOT/deploy/uninstall.sh" "$ROOT/deploy/README.md" \
  "$ROOT/deploy/offramp.example.yaml" "$SHARE/"
cp -R "$ROOT/deploy/boards" "$ROOT/deploy/fleet" "$SHARE/"
cp "$ROOT/systemd/offramp.service" "$SHARE/systemd/"
if [[ -d "$ROOT/systemd/offramp.service.d" ]]; then
  cp -R "$ROOT/systemd/offramp.service.d" "$SHARE/systemd/"
fi
chmod -R u=rwX,go=rX "$IMAGE"

rm -rf "$OUT"
mv "$IMAGE" "$OUT"
size=$(du -sh "$OUT" | cut -f1)
say "image $OUT: offramp $VERSION, $PLATFORM, Java $JAVA_PROP, $size"
if [[ $TAR == 1 ]]; then
  name="offramp-$VERSION-$PLATFORM"
  tarball="$(dirname "$OUT")/$name.tar.gz"
  tar -C "$(dirname "$OUT")" --transform "s,^$(basename "$OUT"),$name," -czf "$tarball" \
    "$(basename "$OUT")"
  say "tarball $tarball ($(du -h "$tarball" | cut -f1))"
fi
