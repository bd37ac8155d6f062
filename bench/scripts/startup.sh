#!/usr/bin/env bash
# Measures how long `./feedserver serve` takes from process start to /readyz = 200 on the
# synthetic default, RUNS times, and writes bench/results/startup.json (median, min, max).
# Usage: bench/scripts/startup.sh [RUNS] [extra serve flags...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUNS="${1:-5}"; shift || true
./feedserver build >/dev/null 2>&1 || { echo "startup.sh: build failed; run ./feedserver build" >&2; exit 1; }
OUT=bench/results/startup.json
mkdir -p bench/results
times=()
for run in $(seq 1 "$RUNS"); do
  dir="$(mktemp -d)"
  start=$(date +%s%N)
  ./feedserver serve --port 0 --data-dir "$dir" "$@" >"$dir/out.log" 2>&1 &
  pid=$!
  port=""
  for _ in $(seq 1 1200); do
    if [ -z "$port" ] && [ -f "$dir/server.json" ]; then
      port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$dir/server.json")
    fi
    if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
    sleep 0.05
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ms=$(( (end - start) / 1000000 ))
  echo "run $run/$RUNS: ready after $ms ms" >&2
  times+=("$ms")
  rm -rf "$dir"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( RUNS / 2 ))]}
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
# The JDK the launcher runs, named as the Java suites name it (java.vm.vendor + Runtime.version()).
java_bin="$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n 1)"
jdk="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.vm\.vendor = //p' | head -n 1) $("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p' | head -n 1)"
cat >"$OUT" <<JSON
{"suite": "startup", "when": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "machine": {"cpu": "$cpu", "cores": $(nproc), "jdk": "$jdk"},
 "command": "bench/scripts/startup.sh $RUNS${*:+ $*}",
 "metrics": {"startup_to_ready_ms_p50": {"value": $median, "unit": "ms"},
             "startup_to_ready_ms_min": {"value": ${sorted[0]}, "unit": "ms"},
             "startup_to_ready_ms_max": {"value": ${sorted[$(( RUNS - 1 ))]}, "unit": "ms"}},
 "details": {"runs_ms": [$(IFS=,; echo "${times[*]}")]}}
JSON
echo "wrote $OUT: median $median ms" >&2
