#!/usr/bin/env bash
# The strategy benchmark (issue 13): scenarios x strategies x seeds on one local stack; per scenario and strategy the
# accuracy of seed and optimized prompts with 95 % intervals, the paired difference to maspo-local-only, known traps
# left in the final prompts, paid calls per role, critical path and wall time, as JSON, Markdown and PNG charts
# under target/strategy-bench/<time>/. See docs/benchmarks.md.
# Usage: deploy/local/strategy-bench.sh [--no-build] [--scenarios a,b] [--strategies a,b] [--seeds N] [--pool-size N]
#          [--test-size N] [--layers D] [--evaluators N] [--scenario-dir DIR] [--critical-path-latency-ms L]
#          [--shared-cache] [--out DIR]
MASPO_MAIN=ai.maspo.infra.bench.StrategyBenchmark exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
