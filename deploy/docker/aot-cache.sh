#!/usr/bin/env bash
# Starts a packaged Quarkus service once with the JDK's ahead-of-time cache recording (JDK 25+, JEP 514/515), waits
# until it reports "started in", stops it with SIGTERM and leaves the cache: later starts with -XX:AOTCache=CACHE load
# and link the recorded classes from it instead of from the jars. The service needs no reachable Kafka, database or LLM
# to start: dummy credentials are set for the training start only.
#   aot-cache.sh QUARKUS_RUN_JAR CACHE [LOG]
# Used by deploy/docker/Dockerfile.quarkus at image build and by deploy/local/startup-bench.sh.
set -euo pipefail
jar=$1
cache=$2
log=${3:-$(mktemp)}
java=${JAVA:-java}
env KAFKA_SASL_USERNAME=training KAFKA_SASL_PASSWORD=training KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 \
    QUARKUS_HTTP_PORT=0 QUARKUS_MANAGEMENT_PORT=0 QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:1/training QUARKUS_FLYWAY_MIGRATE_AT_START=false \
    MASPO_AUTH_BOOTSTRAP_ADMIN_KEY=training \
    "$java" -XX:AOTCacheOutput="$cache" -jar "$jar" > "$log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  grep -q "started in" "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "the training start failed:"; tail -20 "$log"; exit 1; }
  sleep 0.1
done
grep -q "started in" "$log" || { kill -KILL "$pid"; echo "not started within 120 s"; tail -20 "$log"; exit 1; }
kill -TERM "$pid"
wait "$pid" || true # the cache is written as the JVM exits
[ -s "$cache" ] || { echo "no AOT cache written:"; tail -20 "$log"; exit 1; }
echo "AOT cache $cache: $(du -h "$cache" | cut -f1)"
