#!/usr/bin/env bash
# The local run: builds the project, starts Kafka, PostgreSQL, the LLM simulator and the services as
# local processes (no Docker), submits the example run, prints its result and stops everything.
# Usage: deploy/local/run.sh [--no-build] [--spec FILE] [--evaluators N] [--timeout SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=select-jdk.sh
source "$ROOT/deploy/local/select-jdk.sh"
select_jdk

build=true
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then build=false; else args+=("$arg"); fi
done
if $build; then
  echo "Building (./mvnw -B -q -DskipTests install) with $JAVA_HOME ..."
  (cd "$ROOT" && ./mvnw -B -q -DskipTests install)
fi

INFRA="$ROOT/deploy/local-infra/target"
if [ ! -d "$INFRA/classes" ] || [ ! -d "$INFRA/lib" ]; then
  echo "error: $INFRA is not built; run without --no-build" >&2
  exit 1
fi
# exec keeps one JVM in the foreground: Ctrl-C reaches its shutdown hook, which stops every child process.
# MASPO_MAIN picks another entry point of the same classpath (strategy-bench.sh: the strategy benchmark).
# No cd: a relative --spec is read from the caller's directory; maspo.root tells LocalStack where the build is.
# stderr a terminal: the run's progress is a redrawn bar, otherwise a line per change (see deploy/local/maspo, also
# for the native access).
tty=false
[ -t 2 ] && tty=true
exec java -Xmx256m --enable-native-access=ALL-UNNAMED -Dmaspo.root="$ROOT" -Dmaspo.cli.tty=$tty -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$INFRA/classes:$INFRA/lib/*" "${MASPO_MAIN:-ai.maspo.infra.LocalStack}" ${args[@]+"${args[@]}"}
