# Sourced by tests/faults/*.sh (with BIN_DIR and HERE set): the fault suite's scenarios, on top of
# the end-to-end helpers (work dir, MariaDB, kube-sim, sinks-sim, podmon) of tests/e2e/lib/common.sh.
#
# A script starts everything once (faults_setup), then runs scenarios one after another. Each
# scenario has a namespace of its own with FAULT_PODS pods (one container "app" each):
#   scenario_begin "fault description" NAMESPACE   adds the pods, starts a ledger of injected crashes
#   inject_rounds N                                 crashes every pod N times (each crash is ledgered)
#   scenario_end [DEAD_PODS]                        waits until every crash has reached MySQL,
#       Elasticsearch and Slack (or FAULT_WAIT seconds), waits FAULT_SETTLE seconds more for late
#       duplicates, then counts (lib/fault_count.py) and adds a row to the table.
# faults_finish prints the table: fault | crashes injected | recorded | indexed | alerted | lost |
# duplicated, and exits 1 if any scenario lost or duplicated a crash or its counts disagree. Rows
# also go to $PODMON_FAULT_REPORT when set (truncated first when PODMON_FAULT_REPORT_FRESH=1).
FAULTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../e2e/lib/common.sh
. "$FAULTS_LIB/../../e2e/lib/common.sh"
FAULT_CLUSTER=faults
FAULT_PODS=${FAULT_PODS:-4}
FAULT_WAIT=${FAULT_WAIT:-120}
FAULT_SETTLE=${FAULT_SETTLE:-3}
FAULT_ROWS=()
FAULT_FAILED=0
declare -A FAULT_RESTARTS=()
if [[ -n "${PODMON_FAULT_REPORT:-}" ]]; then
  mkdir -p "$(dirname "$PODMON_FAULT_REPORT")"
  if [[ "${PODMON_FAULT_REPORT_FRESH:-0}" == 1 ]]; then : >"$PODMON_FAULT_REPORT"; fi
fi

# faults_setup [VAR=VALUE...]: a private MariaDB, kube-sim, sinks-sim and podmon with both sinks
# (ALERT_COOLDOWN=0 unless given: every crash alerts, so alerts can be counted one by one).
faults_setup() {
  start_mariadb
  start_kube_sim "$ROOT/tests/testdata/kube-sim/faults.yaml"
  start_sinks_sim
  PODMON_SETTINGS=(CLUSTER_NAME=$FAULT_CLUSTER ELASTICSEARCH_URL="$ELASTICSEARCH_URL" SLACK_API_URL="$SLACK_API_URL"
    SLACK_TOKEN="$SLACK_TOKEN" SLACK_CHANNEL=fault-alerts ALERT_COOLDOWN=0 "$@")
  start_podmon "${PODMON_SETTINGS[@]}"
}
restart_podmon() { start_podmon "${PODMON_SETTINGS[@]}"; }

# scenario_begin DESCRIPTION NAMESPACE
scenario_begin() {
  SCENARIO=$1
  SCENARIO_NS=$2
  SCENARIO_DIR="$WORK/scenario-$2"
  mkdir -p "$SCENARIO_DIR"
  : >"$SCENARIO_DIR/injected.tsv"
  step "$SCENARIO"
  local i
  for i in $(seq "$FAULT_PODS"); do
    control pods "{\"name\":\"p$i-0\",\"namespace\":\"$SCENARIO_NS\",\"labels\":{\"app\":\"p$i\"},
      \"owner\":{\"kind\":\"StatefulSet\",\"name\":\"p$i\"},\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/fault-$(pod_word "$i"):1.0\",
      \"log\":\"p$i starting\\n\"}]}"
    FAULT_RESTARTS["$SCENARIO_NS/p$i-0"]=0
  done
}

# pod_word I: a word of its own for pod pI, for its image and its failure message.
pod_word() {
  local words=(zero alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike)
  echo "${words[$1 % ${#words[@]}]}"
}

# inject POD [REASON EXIT_CODE]: one crash of the pod's container, written to the ledger.
inject() {
  local pod=$1 reason=${2:-Error} code=${3:-1}
  local key="$SCENARIO_NS/$pod"
  local n=$((${FAULT_RESTARTS[$key]} + 1))
  # Each pod fails its own way (a word, since fingerprints ignore pod names and numbers), so the
  # cooldown's fingerprint grouping does not fold one pod's crashes into another's thread and
  # alerts can be counted per container.
  local idx=${pod#p}
  local failure="module $(pod_word "${idx%%-*}") failed"
  control crash "{\"namespace\":\"$SCENARIO_NS\",\"pod\":\"$pod\",\"container\":\"app\",\"reason\":\"$reason\",
    \"exitCode\":$code,\"log\":\"$pod crash $n: $reason: $failure\\n\"}"
  FAULT_RESTARTS[$key]=$n
  printf '%s\t%s\tapp\t%s\n' "$SCENARIO_NS" "$pod" "$n" >>"$SCENARIO_DIR/injected.tsv"
}

# inject_rounds ROUNDS [PAUSE]: crashes every pod once per round, PAUSE seconds apart (0.25), so
# one container crashes again only after kube-sim has restarted it.
inject_rounds() {
  local rounds=$1 pause=${2:-0.25} r i reasons=(Error OOMKilled Error)
  for r in $(seq "$rounds"); do
    for i in $(seq "$FAULT_PODS"); do
      if [[ ${reasons[$((r % 3))]} == OOMKilled ]]; then inject "p$i-0" OOMKilled 137; else inject "p$i-0" Error "$r"; fi
      sleep "$pause"
    done
  done
}

injected_count() { wc -l <"$SCENARIO_DIR/injected.tsv"; }

# What MySQL, Elasticsearch and Slack hold for this scenario (fails while MySQL is down).
collect() {
  local d=$SCENARIO_DIR
  sql "SELECT id, crash_key, namespace, podname, containername, restartcount, IFNULL(restart_delta, 1)
       FROM k8s_pod_crash WHERE clustername = '$FAULT_CLUSTER' AND namespace = '$SCENARIO_NS'" >"$d/crashes.tsv.tmp" &&
    sql "SELECT o.crash_id, o.sink, o.state, IFNULL(o.last_error, '') FROM podmon_outbox o
         JOIN k8s_pod_crash c ON c.id = o.crash_id WHERE c.clustername = '$FAULT_CLUSTER' AND c.namespace = '$SCENARIO_NS'" \
      >"$d/outbox.tsv.tmp" &&
    sinks es/docs >"$d/es.json.tmp" && sinks slack/messages >"$d/slack.json.tmp" || return 1
  local f
  for f in crashes.tsv outbox.tsv es.json slack.json; do mv "$d/$f.tmp" "$d/$f"; done
}
count_scenario() {  # [--check] DEAD_PODS
  local check=()
  [[ "${1:-}" == --check ]] && { check=(--check); shift; }
  python3 "$FAULTS_LIB/fault_count.py" --dir "$SCENARIO_DIR" --fault "$SCENARIO" --namespace "$SCENARIO_NS" \
    --cluster "$FAULT_CLUSTER" --dead-pods "${1:-}" --report "${PODMON_FAULT_REPORT:-}" "${check[@]}"
}
scenario_complete() { collect && count_scenario --check "$1"; }

# scenario_end [DEAD_PODS]: DEAD_PODS (comma-separated) are pods whose documents Elasticsearch
# refuses with a mapping error: their crashes must be dead-lettered in the outbox with that reason.
scenario_end() {
  local dead=${1:-} start=$SECONDS
  until scenario_complete "$dead" 2>/dev/null; do
    if (( SECONDS - start >= FAULT_WAIT )); then
      echo "   $SCENARIO: not complete after ${FAULT_WAIT}s" >&2
      break
    fi
    sleep 1
  done
  sleep "$FAULT_SETTLE"
  collect || echo "   $SCENARIO: could not read MySQL or the sinks" >&2
  local row
  if row=$(count_scenario "$dead"); then
    echo "   done in $((SECONDS - start)) s after the last crash: $row"
  else
    FAULT_FAILED=1
    echo "   FAILED: $row" >&2
  fi
  FAULT_ROWS+=("$row")
}

faults_finish() {
  [[ -z "${PODMON_PID:-}" ]] || kill -0 "$PODMON_PID" 2>/dev/null || { FAULT_FAILED=1; echo "podmon died" >&2; }
  echo
  echo "| fault | crashes injected | recorded | indexed | alerted | lost | duplicated |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${FAULT_ROWS[@]}"
  if (( FAULT_FAILED )); then fail "a fault scenario lost or duplicated crashes, or its counts disagree (see above)"; fi
}
