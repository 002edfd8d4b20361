#!/usr/bin/env bash
# The web view (issue 24) in a real browser: podmon with API_TOKEN on STORE (sqlite or mysql),
# kube-sim crashing pods in two namespaces (one with a log of HTML and script payloads), then
# web_view.test.js drives Debian's chromium through playwright-core: login refused and accepted,
# list, filter, search, paging, detail, failures, timeline, payloads shown as text, 401 without
# the cookie. PODMON_UI_SCREENSHOTS=DIR saves a screenshot of each view there (docs/ui-*.png).
# Usage: web_view.sh BIN_DIR sqlite|mysql
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR sqlite|mysql}
STORE=${2:?usage: $0 BIN_DIR sqlite|mysql}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/e2e/lib/common.sh disable=SC1091
. "$HERE/../e2e/lib/common.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x "$CHROMIUM" ]] || ! command -v npm >/dev/null; then
  echo "FAIL: needs $CHROMIUM and npm (tools/dev/deps installs chromium, nodejs and npm)" >&2
  exit 1
fi

# playwright-core as package-lock.json pins it, into the build dir (never a browser download);
# one install at a time, as both stores' entries run in parallel.
MODULES="$BIN_DIR/../browser-tests"
mkdir -p "$MODULES"
(
  flock 9
  if ! cmp -s "$HERE/package-lock.json" "$MODULES/package-lock.json" || [[ ! -d "$MODULES/node_modules" ]]; then
    cp "$HERE/package.json" "$HERE/package-lock.json" "$MODULES/"
    (cd "$MODULES" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) ||
      fail "npm ci in $MODULES failed"
  fi
) 9>"$MODULES/.lock"

TOKEN="web-view-test-token-$RANDOM$RANDOM"
start_kube_sim "$HERE/../testdata/kube-sim/web_view.yaml"
if [[ "$STORE" == mysql ]]; then
  start_mariadb
  start_podmon CLUSTER_NAME=browser API_TOKEN="$TOKEN" SLACK_NOTIFY=false
else
  # SQLite: no SQL_HOST (podmon_env's MySQL settings are dropped below).
  # shellcheck disable=SC2034 # read by start_podmon
  podmon_env() { PODMON_ENV=(SERVER_PORT=0 SQLITE_PATH="$WORK/podmon.db"); }
  unset SQL_HOST || true
  start_podmon CLUSTER_NAME=browser API_TOKEN="$TOKEN" SLACK_NOTIFY=false
fi
PORT=$(sed -n 's/.*status server listening on port \([0-9]*\).*/\1/p' "$WORK/podmon.log" | head -1)
[[ -n "$PORT" ]] || fail "no status server port in the log"
BASE="http://127.0.0.1:$PORT"

# crash NS POD CONTAINER REASON EXIT LOG: the log text becomes the crashed instance's log.
crash() {
  local body
  body=$(python3 -c 'import json, sys; print(json.dumps({"namespace": sys.argv[1], "pod": sys.argv[2],
    "container": sys.argv[3], "reason": sys.argv[4], "exitCode": int(sys.argv[5]), "log": sys.argv[6]}))' "$@")
  control crash "$body"
}
recorded() {
  [[ "$(curl -fsS -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/crashes?limit=100" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])')" == "$1" ]]
}

step "crashes through kube-sim ($STORE)"
HOSTILE=$(cat <<'PAYLOADS'
<script>window.pwned = "script"</script>
<img src=x onerror="window.pwned = 'img'">
<svg onload="window.pwned = 'svg'"><circle r=1></circle></svg>
"><iframe src=javascript:window.pwned=1></iframe> & &amp; </pre>
PAYLOADS
)
crash shop checkout-7d9c8b6f5d-x2k4q checkout OOMKilled 137 "java.lang.OutOfMemoryError: Java heap space"
crash shop payments-api-6f8b9c7d4-p9z7m api Error 1 "panic: payments ledger unreachable"
crash batch nightly-report-28931760-k8s2x report Error 42 "report failed: no rows for 2026-12-04"
crash shop hostile-log-5c8d7f9b6-q1w2e web '<img src=x onerror=window.pwned=1>' 3 "$HOSTILE"
eventually 60 recorded 4 || fail "the 4 crashes were not recorded"
crash shop checkout-7d9c8b6f5d-x2k4q checkout OOMKilled 137 "java.lang.OutOfMemoryError: Java heap space"
eventually 60 recorded 5 || fail "the second checkout crash was not recorded"

step "the browser test"
export PODMON_UI_BASE="$BASE" PODMON_UI_TOKEN="$TOKEN" PODMON_UI_STORE="$STORE" CHROMIUM
NODE_PATH="$MODULES/node_modules" node "$HERE/web_view.test.js" || fail "the browser test failed ($STORE)"
echo "PASS: web view in chromium ($STORE)"
