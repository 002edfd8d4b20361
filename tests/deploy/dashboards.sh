#!/usr/bin/env bash
# Kibana dashboards: the NDJSON parses, ids are unique, references resolve, and every field used
# is mapped in lib/index/index_template.json with a type that suits its use. Then the checker is
# shown a copy using an unmapped field and must reject it.
set -euo pipefail
source "$(dirname "$0")/lib/deploy_tools.sh"
py="$(ensure_python_yaml)"
checker="$PODMON_ROOT/tests/deploy/lib/check_dashboards.py"
"$py" "$checker" "$PODMON_ROOT"
sh -n "$PODMON_ROOT/dashboards/import-dashboards.sh" || deploy_fail "dashboards/import-dashboards.sh is not valid sh"

# The checker itself, on a copy of the repository's files with a field renamed.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dashboards" "$work/lib/index"
cp "$PODMON_ROOT/lib/index/index_template.json" "$work/lib/index/"
sed 's/\\"field\\": \\"container_name\\"/\\"field\\": \\"container\\"/' "$PODMON_ROOT/dashboards/podmon-dashboards.ndjson" \
  >"$work/dashboards/podmon-dashboards.ndjson"
if "$py" "$checker" "$work" >"$work/out" 2>&1; then
  deploy_fail "the dashboards check accepted a visualization on the unmapped field 'container'"
fi
grep -q "field 'container'" "$work/out" || { cat "$work/out"; deploy_fail "the dashboards check failed, but not for 'container'"; }
echo "dashboards check rejects an unmapped field: ok"
