#!/usr/bin/env bash
# Fault suite, watch faults: podmon against kube-sim, a private MariaDB and sinks-sim while kube-sim
# drops every watch connection every 2 s, answers every watch with a 410 ERROR event every second
# (a 410 storm: each relist is followed by another expiry), sends malformed event lines, and all
# three together. Every crash must be recorded, indexed and alerted exactly once. (Storms of
# watches answered at once: watch_storm_faults.sh.)
# Usage: watch_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup

scenario_begin "watch connections dropped every 2 s" w-drop
control faults/watches '{"dropEveryMs":2000}'
inject_rounds 3
scenario_end
control faults/watches '{}'

scenario_begin "410 storm: every watch expired every 1 s" w-gone
control faults/watches '{"expireEveryMs":1000}'
inject_rounds 3
scenario_end
control faults/watches '{}'

scenario_begin "malformed watch event line every 1.5 s" w-junk
control faults/watches '{"malformedEveryMs":1500}'
inject_rounds 3
scenario_end
control faults/watches '{}'

scenario_begin "drops + 410s + malformed lines together" w-all
control faults/watches '{"dropEveryMs":1700,"expireEveryMs":2300,"malformedEveryMs":1100}'
inject_rounds 3 0.15
scenario_end
control faults/watches '{}'

stats=$(curl -fsS "$SIM/_sim/stats")
echo "kube-sim watch faults injected: $(echo "$stats" | grep -o '"watchFaults":{[^}]*}')"
grep -q "malformed watch event" "$WORK/podmon.log" || fail "podmon never logged a malformed line"
grep -q "relisting" "$WORK/podmon.log" || fail "podmon never relisted after a 410"
faults_finish
