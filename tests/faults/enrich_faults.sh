#!/usr/bin/env bash
# Fault suite, enrichment: one pod's log fetch hangs (a slow kubelet, 60 s) while the other pods
# crash: their crashes must reach MySQL at once (the enrich pool, ENRICH_WORKERS), the hung one
# after ENRICH_TIMEOUT with logs_status "unavailable: timed out"; and a pod deleted and recreated
# under the same name while its crash's log is being read: the crash is stored without the new
# pod's log ("unavailable: pod replaced"). Every crash recorded, indexed and alerted exactly once.
# Prints the crash-to-row latency of the crashes behind the hung fetch.
# Usage: enrich_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
ENRICH_TIMEOUT_S=20
# The others' crashes must be stored within this (a serial pipeline took ENRICH_TIMEOUT and more).
MAX_OTHER_LATENCY_MS=${MAX_OTHER_LATENCY_MS:-5000}
faults_setup ENRICH_TIMEOUT=${ENRICH_TIMEOUT_S}s

now_ms() { date +%s%3N; }

scenario_begin "one hung log fetch (60 s) among healthy pods" e-hung
control faults/logs/pod '{"namespace":"e-hung","pod":"p1-0","delayMs":60000}'
declare -A crashed_at=() stored_at=()
# The hung pod crashes first: in a serial pipeline every other crash would wait behind it.
for i in $(seq "$FAULT_PODS"); do
  crashed_at[p$i-0]=$(now_ms)
  inject "p$i-0"
done
deadline=$((SECONDS + 60))
while (( ${#stored_at[@]} < FAULT_PODS - 1 && SECONDS < deadline )); do
  for pod in $(sql "SELECT podname FROM k8s_pod_crash WHERE namespace = 'e-hung' AND podname <> 'p1-0'"); do
    [[ -n "${stored_at[$pod]:-}" ]] || stored_at[$pod]=$(now_ms)
  done
  sleep 0.05
done
max=0 all=""
for i in $(seq 2 "$FAULT_PODS"); do
  pod=p$i-0
  [[ -n "${stored_at[$pod]:-}" ]] || fail "the crash of $pod never reached MySQL while p1-0's log fetch hung"
  latency=$((stored_at[$pod] - crashed_at[$pod]))
  all+=" $pod=${latency}ms"
  (( latency > max )) && max=$latency
done
echo "   crash-to-row latency of the other crashes while p1-0's log fetch hangs:$all (max ${max} ms)"
(( max <= MAX_OTHER_LATENCY_MS )) || fail "crashes waited behind the hung log fetch (max ${max} ms > ${MAX_OTHER_LATENCY_MS} ms)"
scenario_end
hung_status=$(sql "SELECT logs_status FROM k8s_pod_crash WHERE namespace = 'e-hung' AND podname = 'p1-0'")
echo "   the hung pod's crash: logs_status \"$hung_status\" (ENRICH_TIMEOUT ${ENRICH_TIMEOUT_S}s)"
[[ "$hung_status" == "unavailable: timed out" ]] || fail "the hung crash's logs_status is \"$hung_status\""
captured=$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 'e-hung' AND logs_status = 'captured'")
(( captured == FAULT_PODS - 1 )) || fail "expected $((FAULT_PODS - 1)) captured logs beside the hung one, got $captured"
control faults/logs/pod '{"namespace":"e-hung","pod":"p1-0","delayMs":0}'

scenario_begin "pod replaced (same name) before its log is read" e-replaced
# A pod that does not restart (restartPolicy Never): its crash's log is the current instance's,
# which the pod recreated under the same name also has (a restarted container's previous log
# would be missing on the new pod anyway).
control pods '{"name":"job-0","namespace":"e-replaced","restartPolicy":"Never","owner":{"kind":"Job","name":"job"},
  "containers":[{"name":"app","image":"registry.example.com/fault-job:1.0","log":"job-0 starting, the new pod\n"}]}'
control faults/logs/pod '{"namespace":"e-replaced","pod":"job-0","delayMs":4000}'
control crash '{"namespace":"e-replaced","pod":"job-0","container":"app","reason":"Error","exitCode":3,"restart":false,
  "log":"job-0 crash: module juliet failed in the old pod\n"}'
printf '%s\t%s\tapp\t%s\n' e-replaced job-0 0 >>"$SCENARIO_DIR/injected.tsv"
sleep 1.5  # podmon is now waiting for the old pod's log
control recreate '{"namespace":"e-replaced","pod":"job-0"}'
inject_rounds 1
scenario_end
control faults/logs/pod '{"namespace":"e-replaced","pod":"job-0","delayMs":0}'
replaced=$(sql "SELECT CONCAT(logs_status, ' | log bytes ', LENGTH(IFNULL(logs, ''))) FROM k8s_pod_crash
                WHERE namespace = 'e-replaced' AND podname = 'job-0'")
echo "   the replaced pod's crash: $replaced"
[[ "$replaced" == "unavailable: pod replaced | log bytes 0" ]] || fail "the replaced pod's crash got \"$replaced\""
faults_finish
