#!/usr/bin/env bash
# Fault suite, podmon killed: podmon killed with SIGKILL mid-run (crashes before, while it is down
# and after) and started again; podmon killed while Elasticsearch is down during a 410 storm.
# podmon runs with ALERT_COOLDOWN=20s here, so repeated crashes of one container fold into one
# alert and thread follow-ups; the cooldown state lives in MySQL and must survive the kill. Every
# crash must be recorded once, indexed once and alerted once or folded.
# Usage: podmon_kill_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
# A delivery claimed by the podmon that is killed waits for its lease (120 s) to run out.
FAULT_WAIT=${FAULT_WAIT_KILL:-200}
faults_setup ALERT_COOLDOWN=20s

scenario_begin "podmon SIGKILLed mid-run and restarted" p-kill
inject_rounds 1 0.1
kill_podmon
inject_rounds 2
restart_podmon
inject_rounds 1
scenario_end
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 'p-kill' AND detected_while_down = 1")" -ge 1 ]] ||
  fail "no crash flagged detected_while_down after the restart"

scenario_begin "podmon SIGKILLed while ES is down, in a 410 storm" p-storm
sinks es/down >/dev/null
control faults/watches '{"expireEveryMs":1500}'
inject_rounds 1
kill_podmon
inject_rounds 1
restart_podmon
inject_rounds 1
sinks es/up >/dev/null
scenario_end
control faults/watches '{}'

faults_finish
