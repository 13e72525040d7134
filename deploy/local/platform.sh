#!/usr/bin/env bash
# The long-running local platform: the stack of run.sh, kept up with its data (PostgreSQL, Kafka, credentials, logs)
# in a state folder that survives a stop and start. See docs/operations.md.
# Usage: deploy/local/platform.sh start|run|stop|status [--no-build] [--data DIR] [--evaluators N]
#   start: in the background, returns once ready; run: in the foreground (Ctrl-C stops); default DIR ~/.maspo/local
case "${1:-}" in
  start|run) ;;
  *) set -- "$@" --no-build ;; # stop, status and usage errors need no build
esac
MASPO_MAIN=ai.maspo.infra.LocalPlatform exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
