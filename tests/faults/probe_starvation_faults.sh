#!/usr/bin/env bash
# Fault suite, probe starvation (issue 18): 32 idle and 32 half-sent (slowloris) connections held
# open against podmon's status port while crashes happen. /healthz and /readyz must answer within
# 1 s throughout (lib/probe_pressure.py prints their p99 and max), a connection beyond the
# server's cap must get an immediate 503 (or be closed), and every crash must still be recorded
# once, indexed once and alerted once.
# Usage: probe_starvation_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup
STATUS_PORT=$(sed -n 's/.*status server listening on port \([0-9]*\).*/\1/p' "$WORK/podmon.log" | tail -1)
[[ -n "$STATUS_PORT" ]] || fail "no status server port in podmon's log"

scenario_begin "32 idle + 32 half-sent connections to the status port" p-probes
python3 "$HERE/lib/probe_pressure.py" "$STATUS_PORT" --idle 32 --half-sent 32 --seconds 20 --limit 1.0 \
  >"$WORK/probe_pressure.out" 2>&1 &
pressure=$!
inject_rounds 3
pressure_ok=0
wait "$pressure" || pressure_ok=$?
sed 's/^/   /' "$WORK/probe_pressure.out"
scenario_end
(( pressure_ok == 0 )) || fail "a probe took 1 s or more, failed, or the cap did not answer at once (see above)"
curl -fsS "http://127.0.0.1:$STATUS_PORT/healthz" >/dev/null || fail "/healthz after the pressure"
faults_finish
