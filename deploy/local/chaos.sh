#!/usr/bin/env bash
# The chaos suite: one local stack with 2 evaluators runs the spec undisturbed, then once per fault (kill -9 and
# restart of orchestrator, evaluator, sampler, Kafka, PostgreSQL mid-search; an evaluator killed for good; LLM
# 429/500, hangs, malformed bodies) and prints a table against the undisturbed run. See docs/operations.md.
# Usage: deploy/local/chaos.sh [--no-build] [--scenarios a,b] [--spec FILE] [--layers D] [--timeout SECONDS]
MASPO_MAIN=ai.maspo.infra.ChaosSuite exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" "$@"
