#!/bin/sh
# Imports podmon's Kibana saved objects (data view, visualizations, saved search, dashboard) through
# Kibana's saved objects API, overwriting earlier copies. POSIX sh + curl, so that it also runs in
# the curlimages/curl container of docker-compose.yml.
#
#   KIBANA_URL=http://localhost:5601 dashboards/import-dashboards.sh
#
# KIBANA_URL        Kibana base URL (default http://localhost:5601)
# KIBANA_SPACE      space id (default: the default space)
# KIBANA_USERNAME / KIBANA_PASSWORD, or KIBANA_API_KEY   credentials, when Kibana has security on
# KIBANA_WAIT       seconds to wait for Kibana to answer (default 300)
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
file="$dir/podmon-dashboards.ndjson"
url="${KIBANA_URL:-http://localhost:5601}"
url="${url%/}"
[ -n "${KIBANA_SPACE:-}" ] && url="$url/s/$KIBANA_SPACE"
wait_seconds="${KIBANA_WAIT:-300}"

set -- -sS -H "kbn-xsrf: podmon"
if [ -n "${KIBANA_API_KEY:-}" ]; then
  set -- "$@" -H "Authorization: ApiKey $KIBANA_API_KEY"
elif [ -n "${KIBANA_USERNAME:-}" ]; then
  set -- "$@" -u "$KIBANA_USERNAME:${KIBANA_PASSWORD:-}"
fi

waited=0
until curl "$@" -f -o /dev/null "${KIBANA_URL:-http://localhost:5601}/api/status" 2>/dev/null; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "import-dashboards: Kibana at ${KIBANA_URL:-http://localhost:5601} did not answer within ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 5
  waited=$((waited + 5))
done

response=$(curl "$@" -X POST "$url/api/saved_objects/_import?overwrite=true" --form "file=@$file")
case "$response" in
  *'"success":true'*)
    echo "import-dashboards: imported $(grep -c . "$file") saved objects into $url" ;;
  *)
    echo "import-dashboards: Kibana refused the import: $response" >&2
    exit 1 ;;
esac
