#!/usr/bin/env bash
# Fault suite, MySQL that answers nothing or refuses a crash for good:
#  - "frozen MySQL": the MariaDB process SIGSTOPped for 45 s while crashes happen (a partition that
#    sends no reset looks the same). podmon's calls end after SQL_TIMEOUT; /readyz must turn 503
#    (the figure: seconds from SIGSTOP until then) while /healthz stays 200; after SIGCONT every
#    crash is recorded, indexed and alerted once.
#  - "poison crash": one crash whose log the store refuses for good (the logs column narrowed to
#    TEXT, the log 70 KB: MySQL "Data too long", error 1406). It must be stored without its log
#    (logs_status says why) after a few attempts, and the crashes after it must not wait for it.
# Usage: mysql_stall_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup SQL_TIMEOUT=5s
STATUS_PORT=$(sed -n 's/.*status server listening on port \([0-9]*\).*/\1/p' "$WORK/podmon.log" | tail -1)
[[ -n "$STATUS_PORT" ]] || fail "no status port in podmon's log"
probe() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$STATUS_PORT/$1" || true; }
readyz_is() { [[ "$(probe readyz)" == "$1" ]]; }
thaw() { kill -CONT "$PODMON_TEST_MYSQL_PID" 2>/dev/null || true; }

scenario_begin "MySQL frozen (SIGSTOP) for 45 s while crashes happen" s-frozen
inject_rounds 1
eventually 30 readyz_is 200 || fail "/readyz not 200 before the freeze: $(probe readyz)"
kill -STOP "$PODMON_TEST_MYSQL_PID"
frozen_at=$SECONDS
inject_rounds 1
not_ready_after=""
healthz_bad=0
while (( SECONDS - frozen_at < 45 )); do
  [[ "$(probe healthz)" == 200 ]] || healthz_bad=$((healthz_bad + 1))
  if [[ -z "$not_ready_after" && "$(probe readyz)" == 503 ]]; then not_ready_after=$((SECONDS - frozen_at)); fi
  sleep 0.5
done
thaw
ready_again_at=$SECONDS
eventually 60 readyz_is 200 || fail "/readyz not 200 again after SIGCONT: $(curl -s "http://127.0.0.1:$STATUS_PORT/readyz")"
echo "   /readyz 503 after ${not_ready_after:-never} s frozen; 200 again $((SECONDS - ready_again_at)) s after SIGCONT; /healthz failures while frozen: $healthz_bad"
[[ -n "$not_ready_after" ]] || fail "/readyz never turned 503 while MySQL was frozen"
(( not_ready_after <= 25 )) || fail "/readyz took ${not_ready_after}s to turn 503 (limit 15 s of no progress)"
(( healthz_bad == 0 )) || fail "/healthz failed $healthz_bad times while MySQL was frozen"
scenario_end

# inject_with_log POD LOG: one crash with its own log, ledgered like inject's.
inject_with_log() {
  local pod=$1 log=$2 key="$SCENARIO_NS/$1"
  local n=$((${FAULT_RESTARTS[$key]} + 1))
  control crash "{\"namespace\":\"$SCENARIO_NS\",\"pod\":\"$pod\",\"container\":\"app\",\"reason\":\"Error\",
    \"exitCode\":1,\"log\":\"$log\"}"
  FAULT_RESTARTS[$key]=$n
  printf '%s\t%s\tapp\t%s\n' "$SCENARIO_NS" "$pod" "$n" >>"$SCENARIO_DIR/injected.tsv"
}

scenario_begin "poison crash: a 70 KB log MySQL refuses (Data too long), then more crashes" s-poison
sql "ALTER TABLE k8s_pod_crash MODIFY logs TEXT NULL DEFAULT NULL"
big=$(python3 -c 'print("poison module omega failed at step " * 2000, end="")')
inject_with_log p1-0 "$big"
poisoned_at=$SECONDS
sleep 1  # p1-0's previous log must still be the poison when podmon reads it
for i in $(seq 2 "$FAULT_PODS"); do inject "p$i-0"; sleep 0.25; done
scenario_end
sql "ALTER TABLE k8s_pod_crash MODIFY logs MEDIUMTEXT NULL DEFAULT NULL"
status=$(sql "SELECT logs_status, IFNULL(LENGTH(logs), 0) FROM k8s_pod_crash WHERE namespace = 's-poison' AND podname = 'p1-0' ORDER BY id LIMIT 1")
others=$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 's-poison' AND logs_status = 'captured'")
echo "   poison crash stored as: $status; crashes after it with their log: $others (all stored $((SECONDS - poisoned_at)) s after the poison)"
[[ "$status" == "unavailable: rejected by the store"*$'\t'0 ]] || fail "the poison crash is not stored without its log: $status"
(( others == FAULT_PODS - 1 )) || fail "expected $((FAULT_PODS - 1)) crashes after the poison with their log, got $others"
faults_finish
