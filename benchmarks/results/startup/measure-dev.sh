#!/usr/bin/env bash
# Dev-tree start-up probe (not the board image: deploy/tests/image_metrics.sh measures that). Runs the
# daemon from runtime/target with the board launcher's JVM flags against a local Mosquitto and prints,
# per start, the milliseconds from exec to the first result a subscriber receives and the JVM's CPU
# time (user+sys) at that moment, and keeps each start's log and per-thread CPU in a temp directory.
# Usage: measure-dev.sh REPO N [extra java options]; RUNARGS adds daemon flags; JAR=1 puts the
# runtime jar (not target/classes) on the class path (CDS and AOT caches need jars).
set -u
REPO=$1
N=${2:-5}
shift 2
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
if [[ -n "${JAR:-}" ]]; then
  APP="$REPO/runtime/target/offramp-runtime-0.1.0-SNAPSHOT.jar"
else
  APP="$REPO/runtime/target/classes"
fi
CP="$APP:$(cat "$REPO/runtime/target/classpath.txt")"
OPTS=(--enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError
  --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC -Xms16m -Xmx128m -XX:TieredStopAtLevel=1
  -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m -Dorg.bytedeco.javacpp.maxBytes=0
  -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xss16m)
read -r -a RUN_EXTRA <<< "${RUNARGS:-}"
PORT=$((20000 + RANDOM % 20000))
D=$(mktemp -d)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$PORT" > "$D/m.conf"
/usr/sbin/mosquitto -c "$D/m.conf" > /dev/null 2>&1 &
MP=$!
sleep 0.3
cpu_ms() { awk '{print ($14 + $15) * 10}' "$1"; } # utime+stime in ticks of 10 ms
res=()
cpu=()
for i in $(seq 1 "$N"); do
  mosquitto_sub -h 127.0.0.1 -p "$PORT" -t 'offramp/fr/+/result' -C 1 -W 30 > "$D/first" 2> /dev/null &
  SP=$!
  sleep 0.3
  t0=$(date +%s%N)
  ORT_DISABLE_TELEMETRY=1 "$JAVA" "${OPTS[@]}" "$@" -cp "$CP" dev.offramp.runtime.cli.RuntimeMain \
    run "${RUN_EXTRA[@]}" --bundle "$REPO/demo/fashion-resnet18/bundle" \
    --source "$REPO/demo/frames/fashion-test.mp4" --loop --max-fps 10 --device-id fr \
    --mqtt-url "tcp://127.0.0.1:$PORT" --http-port 0 --state-dir "$D/state-$i" > "$D/daemon-$i.log" 2>&1 &
  DP=$!
  wait "$SP"
  t1=$(date +%s%N)
  for t in /proc/"$DP"/task/*; do
    echo "$(cpu_ms "$t/stat") $(cat "$t/comm")"
  done | sort -rn | head -12 > "$D/threads-$i.txt"
  cpu+=("$(cpu_ms "/proc/$DP/stat")")
  res+=($(((t1 - t0) / 1000000)))
  kill -TERM "$DP"
  wait "$DP" 2> /dev/null
done
kill "$MP"
echo "cpu_ms_at_first: ${cpu[*]}"
echo "first_ms: ${res[*]}  (load $(cut -d' ' -f1 /proc/loadavg))"
echo "logs: $D"
