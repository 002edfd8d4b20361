#!/usr/bin/env bash
# podmon's console output across watch faults: one "crash ..." line per crash (with namespace, pod,
# container, restart count, reason and exit code), none for unrelated updates, and the same after
# dropped watches, a 410 and a malformed event line. Its output never shows the kubeconfig token.
# Usage: podmon_watch_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
start_mariadb
TOKEN="e2e-secret-token-$RANDOM$RANDOM"
start_kube_sim "$HERE/../testdata/kube-sim/pipeline_e2e.yaml" "$TOKEN"
start_podmon SLACK_NOTIFY=false CLUSTER_NAME=faults LOG_LEVEL=debug

crash() { control crash "{\"namespace\":\"shop\",\"pod\":\"web-6d4cf56db6-h7x2k\",\"container\":\"web\",\"reason\":\"$1\",\"exitCode\":$2}"; }
lines() { grep -c '^crash ' "$WORK/podmon.out" || true; }
wait_lines() {
  for _ in $(seq 200); do [[ "$(lines)" -ge "$1" ]] && break; sleep 0.1; done
  [[ "$(lines)" == "$1" ]] || fail "expected $1 crash lines, got $(lines)"
}

crash OOMKilled 137; wait_lines 1
control update '{"namespace":"shop","pod":"web-6d4cf56db6-h7x2k","labels":{"v":"2"}}'
control watches/drop '{}'; sleep 0.5; crash Error 1; wait_lines 2
control watches/expire '{}'; sleep 0.5; crash Error 2; wait_lines 3
control watches/malformed '{}'; sleep 0.5; crash Error 3; wait_lines 4
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
