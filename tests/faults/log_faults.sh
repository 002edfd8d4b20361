#!/usr/bin/env bash
# Fault suite, log fetch faults: pods/log answering 503 (podmon retries, then records the crash with
# logs_status "unavailable: ..."), a log fetch that hangs past podmon's 30 s request timeout once,
# and log 5xx together with Elasticsearch per-item 429s, Slack 5xx and dropped watches. Every crash
# must be recorded, indexed and alerted exactly once, with or without its log.
# Usage: log_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup

scenario_begin "log fetches failing with 503" l-5xx
control faults/logs '{"failStatus":503,"failCount":8}'
inject_rounds 2
scenario_end
control faults/logs '{}'
unavailable=$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 'l-5xx' AND logs_status LIKE 'unavailable:%'")
captured=$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 'l-5xx' AND logs_status = 'captured'")
echo "   logs: $captured captured, $unavailable unavailable"
(( unavailable >= 1 && captured >= 1 )) || fail "expected some crashes without logs and some with (captured $captured, unavailable $unavailable)"

scenario_begin "log fetch timing out (31 s, once)" l-slow
control faults/logs '{"delayMs":31000,"delayCount":1}'
inject_rounds 1
scenario_end
control faults/logs '{}'
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 'l-slow' AND logs_status = 'captured'")" == "$FAULT_PODS" ]] ||
  fail "the retry after a timed-out log fetch did not capture the log"

scenario_begin "log 503s + ES item 429s + Slack 503s + watch drops" l-all
control faults/logs '{"failStatus":503,"failCount":4}'
control faults/watches '{"dropEveryMs":2500}'
sinks "es/reject-items?n=6&status=429" >/dev/null
sinks "slack/fail?n=4&status=503" >/dev/null
inject_rounds 2
scenario_end
control faults/watches '{}'
control faults/logs '{}'
faults_finish
