#!/usr/bin/env bash
# Fault suite, watch storms: podmon against kube-sim, a private MariaDB and sinks-sim while kube-sim
# answers every watch request at once with a 410 Expired (as HTTP 410, then as an ERROR event) or
# with one malformed line (/_sim/faults/watch-answers). Without backoff podmon would relist and log
# about 1,200 times a second; here its lists per second (kube-sim's request counts) and log lines
# per second must stay bounded, and every crash during and after a storm must be recorded, indexed
# and alerted exactly once.
# Usage: watch_storm_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup

# storm_scenario DESCRIPTION NAMESPACE ANSWER: every watch is answered ANSWER (kube-sim's
# /_sim/faults/watch-answers) for STORM_SECONDS with no crash, measuring kube-sim's list and watch
# requests and podmon's log lines per second; then crashes during the storm and after it.
STORM_SECONDS=${STORM_SECONDS:-10}
STORM_MAX_LISTS_PER_S=${STORM_MAX_LISTS_PER_S:-2}
STORM_MAX_LOG_LINES_PER_S=${STORM_MAX_LOG_LINES_PER_S:-3}
STORM_FIGURES=()
sim_requests() { curl -fsS "$SIM/_sim/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['requests'].get('$1', 0))"; }
storm_scenario() {
  # A fresh podmon (SIGTERM, then started again): its backoff starts at 0.8 s, the worst case.
  kill -TERM "$PODMON_PID"
  wait "$PODMON_PID" 2>/dev/null || true
  restart_podmon
  scenario_begin "$1" "$2"
  local lists0 watches0 lines0 t0 lists watches lines secs figures
  lists0=$(sim_requests list) watches0=$(sim_requests watch) lines0=$(wc -l <"$WORK/podmon.log") t0=$(date +%s.%N)
  control faults/watch-answers "{\"answer\":\"$3\"}"
  control watches/drop '{}'  # the open watch ends; every later watch request gets the scripted answer
  sleep "$STORM_SECONDS"
  lists=$(($(sim_requests list) - lists0)) watches=$(($(sim_requests watch) - watches0))
  lines=$(($(wc -l <"$WORK/podmon.log") - lines0))
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  figures=$(awk -v l="$lists" -v w="$watches" -v g="$lines" -v s="$secs" \
    'BEGIN { printf "%.2f lists/s, %.2f watches/s, %.2f podmon log lines/s (%d, %d, %d in %.1f s)", l/s, w/s, g/s, l, w, g, s }')
  echo "   $1: $figures"
  STORM_FIGURES+=("$1: $figures")
  awk -v l="$lists" -v g="$lines" -v s="$secs" -v ml="$STORM_MAX_LISTS_PER_S" -v mg="$STORM_MAX_LOG_LINES_PER_S" \
    'BEGIN { exit !(l/s <= ml && g/s <= mg) }' || { FAULT_FAILED=1; echo "   FAILED: $1 not bounded (<= $STORM_MAX_LISTS_PER_S lists/s, <= $STORM_MAX_LOG_LINES_PER_S log lines/s)" >&2; }
  (( watches >= 2 )) || { FAULT_FAILED=1; echo "   FAILED: $1: podmon never retried its watch during the storm" >&2; }
  inject_rounds 1  # crashes during the storm
  control faults/watch-answers '{}'
  inject_rounds 1  # and after it
  scenario_end
}

storm_scenario "410 storm: every watch answered HTTP 410 at once for ${STORM_SECONDS} s" w-storm410 gone-status
storm_scenario "410 storm: every watch answered an ERROR 410 event at once for ${STORM_SECONDS} s" w-stormerr gone-event
storm_scenario "malformed-line storm: every watch answered one bad line for ${STORM_SECONDS} s" w-stormjunk malformed
grep -q "malformed watch event" "$WORK/podmon.log" || fail "podmon never logged a malformed line"
grep -q "resuming the watch from resourceVersion" "$WORK/podmon.log" || fail "podmon never resumed a watch without a list"
echo "storm figures:"
printf '  %s\n' "${STORM_FIGURES[@]}"

faults_finish
