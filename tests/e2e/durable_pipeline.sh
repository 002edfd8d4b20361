#!/usr/bin/env bash
# The durable crash pipeline end to end: kube-sim, a private MariaDB and the podmon binary.
#  A. crashes of different kinds give exactly one k8s_pod_crash row each, with logs or logs_status;
#     unrelated updates and old restarts give none;
#  B. podmon killed with SIGKILL, crashes while it is down, podmon started again: each recorded once;
#  C. MySQL killed for a while as crashes happen, then started: every crash recorded, once.
# Usage: durable_pipeline.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MYSQL_DOWN_SECONDS=${PODMON_E2E_MYSQL_DOWN_SECONDS:-30}
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

start_mariadb
start_kube_sim "$HERE/../testdata/kube-sim/pipeline_e2e.yaml"

crash() {  # namespace pod container reason exit [restart]
  control crash "{\"namespace\":\"$1\",\"pod\":\"$2\",\"container\":\"$3\",\"reason\":\"$4\",\"exitCode\":$5,\"restart\":${6:-true},\"log\":\"$2/$3 died: $4\\n\"}"
}
rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
wait_rows() {  # expected timeout_seconds
  local n
  for _ in $(seq $(($2 * 10))); do
    n=$(rows 2>/dev/null || echo -1)
    [[ "$n" == "$1" ]] && return 0
    sleep 0.1
  done
  fail "expected $1 crash rows, found $(rows 2>/dev/null || echo '?')"
}

step "A. crashes of different kinds"
start_podmon SLACK_NOTIFY=false CLUSTER_NAME=e2e LOG_LEVEL=debug
crash shop web-6d4cf56db6-h7x2k web OOMKilled 137
wait_rows 1 20
crash shop api-7f9b8c6d5-q2w3e migrate Error 1
wait_rows 2 20
crash batch report-29000000-abcde report Error 42 false
wait_rows 3 20
control recreate '{"namespace":"data","pod":"db-0"}'
sleep 1
crash data db-0 db Error 2
wait_rows 4 20
control faults/logs '{"failStatus":400,"failCount":1}'
crash shop web-6d4cf56db6-h7x2k web Error 1
wait_rows 5 20
control update '{"namespace":"shop","pod":"web-6d4cf56db6-h7x2k","labels":{"version":"2"}}'
control update '{"namespace":"data","pod":"cache-0","ready":false}'
sleep 2
[[ "$(rows)" == 5 ]] || fail "unrelated updates or old restarts created rows: $(rows)"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE podname='cache-0'")" == 0 ]] || fail "old restarts of cache-0 recorded"
[[ "$(sql "SELECT reason, exit_code, \`signal\`, logs_status FROM k8s_pod_crash WHERE containername='web' ORDER BY id LIMIT 1")" == $'OOMKilled\t137\t9\tcaptured' ]] ||
  fail "OOMKilled row: $(sql "SELECT reason, exit_code, \`signal\`, logs_status FROM k8s_pod_crash WHERE containername='web' ORDER BY id LIMIT 1")"
sql "SELECT logs FROM k8s_pod_crash WHERE containername='web' ORDER BY id LIMIT 1" | grep -q "web died: OOMKilled" || fail "OOMKilled log not captured"
[[ "$(sql "SELECT owner_kind, owner_name FROM k8s_pod_crash WHERE containername='web' ORDER BY id LIMIT 1")" == $'Deployment\tweb' ]] || fail "owner of web is not Deployment/web"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE containername='migrate'")" == 1 ]] || fail "init container crash missing"
[[ "$(sql "SELECT exit_code, restartcount FROM k8s_pod_crash WHERE containername='report'")" == $'42\t0' ]] || fail "Job crash row wrong"
sql "SELECT logs FROM k8s_pod_crash WHERE containername='report'" | grep -q "died: Error" || fail "Job pod's current log not captured"
[[ "$(sql "SELECT COUNT(DISTINCT pod_uid) FROM k8s_pod_crash WHERE podname='db-0'")" == 1 ]] || fail "recreated pod crash"
status=$(sql "SELECT logs_status FROM k8s_pod_crash WHERE containername='web' ORDER BY id DESC LIMIT 1")
[[ "$status" == unavailable:* ]] || fail "crash without a previous log has logs_status '$status'"
[[ "$(sql "SELECT COUNT(*) FROM podmon_outbox")" == 0 ]] || fail "outbox rows written for sinks that are off"

step "B. podmon killed with SIGKILL, crashes while it is down"
kill_podmon
crash data db-0 db Error 3
crash shop api-7f9b8c6d5-q2w3e api OOMKilled 137
crash shop api-7f9b8c6d5-q2w3e api OOMKilled 137
start_podmon SLACK_NOTIFY=false CLUSTER_NAME=e2e LOG_LEVEL=debug
wait_rows 7 30
sleep 2
[[ "$(rows)" == 7 ]] || fail "restart recorded more than the missed crashes: $(rows)"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE detected_while_down=1")" == 2 ]] || fail "crashes while down not flagged"
[[ "$(sql "SELECT restart_delta FROM k8s_pod_crash WHERE containername='api'")" == 2 ]] || fail "two restarts while down give one row with restart_delta 2"

step "C. MySQL killed for ${MYSQL_DOWN_SECONDS}s while crashes happen"
"$ROOT/tools/dev/mariadb-test-server" kill
crash shop web-6d4cf56db6-h7x2k web Error 1
crash data db-0 db OOMKilled 137
sleep "$MYSQL_DOWN_SECONDS"
crash shop api-7f9b8c6d5-q2w3e api Error 1
eval "$("$ROOT/tools/dev/mariadb-test-server" restart)"
wait_rows 10 120
sleep 2
[[ "$(rows)" == 10 ]] || fail "duplicates after the MySQL outage: $(rows)"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash GROUP BY crash_key HAVING COUNT(*) > 1" | wc -l)" == 0 ]] || fail "duplicate crash keys"
kill -0 "$PODMON_PID" || fail "podmon died during the MySQL outage"
if grep -q "$PODMON_TEST_MYSQL_PASSWORD" "$WORK/podmon.log" "$WORK/podmon.out"; then fail "the MySQL password appears in podmon's output"; fi
echo "durable pipeline: 10 crashes injected, 10 recorded, 0 lost, 0 duplicated"
