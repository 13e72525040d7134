#!/usr/bin/env bash
# The performance benchmark: the bench spec (sequential-trap, reflect, paper settings, pool 50, test 200) once per
# simulator latency, each on a fresh local stack with 1 evaluator; prints search and test wall time, LLM calls and
# the critical path estimated from the two latencies. See docs/benchmarks.md.
# Usage: deploy/local/bench.sh [--no-build] [--latency-ms 0,100] [--evaluators 1,4] [--runs N] [--spec FILE]
# The scaling benchmark: MASPO_LLM_MAX_IN_FLIGHT=8 deploy/local/bench.sh --latency-ms 100 --evaluators 1,4 --runs 4
MASPO_MAIN=ai.maspo.infra.Benchmark exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
