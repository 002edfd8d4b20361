#!/usr/bin/env bash
# podmon's console output across watch faults: one "crash ..." line per crash (with namespace, pod,
# container, restart count, reason and exit code), none for unrelated updates, and the same after
# dropped watches, a 410 and a malformed event line. Its output never shows the kubeconfig token.
# Usage: podmon_watch_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d)
SIM_PID="" PODMON_PID=""
cleanup() {
  [[ -n "$PODMON_PID" ]] && kill "$PODMON_PID" 2>/dev/null || true
  [[ -n "$SIM_PID" ]] && kill "$SIM_PID" 2>/dev/null || true
  [[ -n "${PODMON_TEST_MYSQL_DATADIR:-}" ]] && "$ROOT/tools/dev/mariadb-test-server" stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.out "$WORK"/*.log; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -40 "$f" >&2; }; done
  exit 1
}
eval "$("$ROOT/tools/dev/mariadb-test-server" start)"

"$BIN_DIR/kube-sim" --scenario "$HERE/../testdata/kube-sim/pipeline_e2e.yaml" --port 0 --port-file "$WORK/port" \
  >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
SIM="http://127.0.0.1:$(cat "$WORK/port")"
TOKEN="e2e-secret-token-$RANDOM$RANDOM"
cat >"$WORK/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: sim, cluster: {server: "$SIM"}}]
users: [{name: u, user: {token: "$TOKEN"}}]
contexts: [{name: sim, context: {cluster: sim, user: u}}]
current-context: sim
KC
SLACK_NOTIFY=false SERVER_PORT=0 CLUSTER_NAME=faults SQL_HOST=127.0.0.1 SQL_PORT="$PODMON_TEST_MYSQL_PORT" SQL_USERNAME="$PODMON_TEST_MYSQL_USER" \
  SQL_PASSWORD="$PODMON_TEST_MYSQL_PASSWORD" SQL_DBNAME="$PODMON_TEST_MYSQL_DB" LOG_LEVEL=debug \
  "$BIN_DIR/podmon" --kubeconfig "$WORK/kubeconfig" >"$WORK/podmon.out" 2>"$WORK/podmon.log" &
PODMON_PID=$!
for _ in $(seq 200); do grep -q "listed .* pods" "$WORK/podmon.log" 2>/dev/null && break; sleep 0.1; done

control() { curl -fsS -X POST "$SIM/_sim/$1" -H 'Content-Type: application/json' -d "${2:-{\}}" >/dev/null || fail "control $1"; }
crash() { control crash "{\"namespace\":\"shop\",\"pod\":\"web-6d4cf56db6-h7x2k\",\"container\":\"web\",\"reason\":\"$1\",\"exitCode\":$2}"; }
lines() { grep -c '^crash ' "$WORK/podmon.out" || true; }
wait_lines() {
  for _ in $(seq 200); do [[ "$(lines)" -ge "$1" ]] && break; sleep 0.1; done
  [[ "$(lines)" == "$1" ]] || fail "expected $1 crash lines, got $(lines)"
}

crash OOMKilled 137; wait_lines 1
control update '{"namespace":"shop","pod":"web-6d4cf56db6-h7x2k","labels":{"v":"2"}}'
control watches/drop; sleep 0.5; crash Error 1; wait_lines 2
control watches/expire; sleep 0.5; crash Error 2; wait_lines 3
control watches/malformed; sleep 0.5; crash Error 3; wait_lines 4
sleep 1
[[ "$(lines)" == 4 ]] || fail "unrelated updates or relists printed extra lines"
line=$(grep '^crash ' "$WORK/podmon.out" | head -1)
for want in "namespace=shop" "pod=web-6d4cf56db6-h7x2k" "container=web" "restart_count=1" "reason=OOMKilled" "exit_code=137"; do
  [[ "$line" == *"$want"* ]] || fail "first crash line lacks $want: $line"
done
grep -q "malformed watch event" "$WORK/podmon.log" || fail "the malformed line was not logged"
grep -q "relisting" "$WORK/podmon.log" || fail "no relist logged after 410"
if grep -q "$TOKEN" "$WORK/podmon.out" "$WORK/podmon.log"; then fail "the kubeconfig token was printed"; fi
if grep -q "$PODMON_TEST_MYSQL_PASSWORD" "$WORK/podmon.out" "$WORK/podmon.log"; then fail "the MySQL password was printed"; fi
echo "podmon watch faults: 4 crashes, 4 lines, across drop, 410 and a malformed line"
