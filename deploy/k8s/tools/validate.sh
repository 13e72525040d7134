#!/usr/bin/env bash
# Offline validation of the deployment files, run by `./mvnw verify` (root pom) and by hand:
#   deploy/k8s/tools/validate.sh
# Renders every overlay with `kubectl kustomize` (dev, prod, and prod with the opt-in code-sandbox component), checks
# each against the Kubernetes and KEDA schemas plus the hardening, reference and scaling rules of validate.mjs, and
# checks docker-compose.yml with `docker-compose config -q`, and the alert rules and Grafana dashboard of
# deploy/observability (validate-observability.mjs). Nothing needs a cluster or a Docker engine.
# A missing tool skips its part with a message, not a failure: Node.js and kubectl are not installed by the build
# (they come with the machine); docker-compose is installed by .ci/run. Exit code 1 on any finding.
set -euo pipefail
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
k8s="$(dirname "$tools")"
root="$(cd "$k8s/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0

if ! command -v kubectl >/dev/null 2>&1; then
  echo "SKIPPED: Kubernetes manifests not validated: kubectl (with its built-in kustomize) is not installed"
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED: Kubernetes manifests not validated: Node.js/npm is not installed (the schema check is the npm package kubernetes-models)"
else
  # The validator's packages, pinned by package-lock.json, into tools/node_modules (ignored by git).
  if [ ! -d "$tools/node_modules" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules" ]; then
    if ! (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
      echo "FAILED: npm ci in $tools could not install the validator's packages (is the npm registry reachable?)"
      exit 1
    fi
    touch "$tools/node_modules"
  fi
  node "$tools/validate.mjs" --self-test
  # The opt-in code sandbox, rendered on top of prod (kustomize takes components only from a kustomization).
  # Its paths must be relative.
  mkdir -p "$work/prod-code-sandbox"
  cat > "$work/prod-code-sandbox/kustomization.yaml" <<KUSTOMIZATION
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [$(realpath --relative-to="$work/prod-code-sandbox" "$k8s/overlays/prod")]
components: [$(realpath --relative-to="$work/prod-code-sandbox" "$k8s/components/code-sandbox")]
KUSTOMIZATION
  for variant in dev prod prod-code-sandbox; do
    dir="$k8s/overlays/$variant"
    [ -d "$dir" ] || dir="$work/$variant"
    flags=(--evaluator-config "$root/evaluator/src/main/resources/application.properties")
    # dev brings its own placeholder Secrets; prod expects them in the cluster (listed by the validator)
    [ "$variant" = dev ] && flags+=(--self-contained)
    echo "== $variant"
    if kubectl kustomize "$dir" > "$work/$variant.yaml"; then
      node "$tools/validate.mjs" "${flags[@]}" "$work/$variant.yaml" || status=1
    else
      echo "kubectl kustomize failed for $variant"
      status=1
    fi
  done
  echo "== deploy/observability"
  node "$tools/validate-observability.mjs" --self-test
  node "$tools/validate-observability.mjs" "$root/deploy/observability" || status=1
fi

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "SKIPPED: docker-compose.yml not validated: docker-compose (Debian package docker-compose) is not installed"
else
  echo "== docker-compose.yml"
  # The file refuses to start without these; any value will do for a syntax and interpolation check.
  if env KAFKA_ADMIN_PASSWORD=x KAFKA_ORCHESTRATOR_PASSWORD=x KAFKA_EVALUATOR_PASSWORD=x KAFKA_SAMPLER_PASSWORD=x \
      MASPO_AUTH_BOOTSTRAP_ADMIN_KEY=x docker-compose -f "$root/docker-compose.yml" config -q; then
    echo "docker-compose config: ok"
  else
    status=1
  fi
fi
exit $status
