#!/usr/bin/env bash
# docker-compose.yml: `docker-compose config -q` accepts it (no engine needed), and the resolved
# file wires MySQL, Elasticsearch, Kibana, the dashboards import and podmon together (health
# checks, depends_on conditions, podmon's settings). docker-compose comes from Debian's package.
set -euo pipefail
source "$(dirname "$0")/lib/deploy_tools.sh"
compose="$(ensure_docker_compose)"
py="$(ensure_python_yaml)"
"$py" "$PODMON_ROOT/tests/deploy/lib/check_compose.py" "$compose" "$PODMON_ROOT"
