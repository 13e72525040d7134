#!/usr/bin/env bash
# Strategy comparison on a simulator scenario: one local stack, every strategy x seed, a table of test
# accuracy, LLM calls per role and wall time. Specs per scenario are in deploy/local/specs/.
# Usage: deploy/local/compare.sh [--no-build] [--scenario S] [--strategies a,b,c] [--seeds N] [--evaluators N] [--layers D]
MASPO_MAIN=ai.maspo.infra.StrategyComparison exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
