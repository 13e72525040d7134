#!/usr/bin/env bash
# Start-up time of a packaged service on the JVM with and without the JDK 25 ahead-of-time cache, measured side by
# side (alternating, so that a noisy machine weighs on both alike). Needs ./mvnw -DskipTests install first.
#   deploy/local/startup-bench.sh [MODULE (evaluator)] [ROUNDS (5)]
# Prints each start (wall time to Quarkus's "started in" line, and Quarkus's own figure) and the median ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=select-jdk.sh
source "$root/deploy/local/select-jdk.sh"
select_jdk
export JAVA="$JAVA_HOME/bin/java"
if [ "$(java_major "$JAVA")" -lt 25 ]; then
  echo "the ahead-of-time cache needs a JDK >= 25 (JAVA_HOME=$JAVA_HOME)"; exit 2
fi
module=${1:-evaluator}
rounds=${2:-5}
jar="$root/$module/target/quarkus-app/quarkus-run.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/deploy/docker/aot-cache.sh" "$jar" "$work/app.aot" "$work/training.log"

start_once() { # sets elapsed: the milliseconds to "started in" (no subshell: it would run the EXIT trap)
  local log=$1; shift
  local begin end pid
  begin=$(date +%s%N)
  env KAFKA_SASL_USERNAME=bench KAFKA_SASL_PASSWORD=bench KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 QUARKUS_HTTP_PORT=0 \
      QUARKUS_MANAGEMENT_PORT=0 QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
      QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:1/bench QUARKUS_FLYWAY_MIGRATE_AT_START=false \
      MASPO_AUTH_BOOTSTRAP_ADMIN_KEY=bench "$JAVA" "$@" -jar "$jar" > "$log" 2>&1 &
  pid=$!
  until grep -q "started in" "$log"; do kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; exit 1; }; sleep 0.02; done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  elapsed=$(( (end - begin) / 1000000 ))
}

plain=(); cached=()
for i in $(seq 1 "$rounds"); do
  start_once "$work/plain-$i.log"; p=$elapsed
  start_once "$work/aot-$i.log" -XX:AOTCache="$work/app.aot"; c=$elapsed
  plain+=("$p"); cached+=("$c")
  echo "round $i: without cache $p ms ($(grep -o 'started in [0-9.]*s' "$work/plain-$i.log")), with cache $c ms ($(grep -o 'started in [0-9.]*s' "$work/aot-$i.log"))"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mp=$(median "${plain[@]}"); mc=$(median "${cached[@]}")
echo "$module start-up, median of $rounds: without AOT cache $mp ms, with $mc ms: ratio $(awk -v a="$mc" -v b="$mp" 'BEGIN {printf "%.2f", a / b}')"
