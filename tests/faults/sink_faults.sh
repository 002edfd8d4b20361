#!/usr/bin/env bash
# Fault suite, sink faults: Elasticsearch down for 20 s, per-item 429s from _bulk, 400 mapping
# errors on one pod's documents (they must end dead-lettered in the outbox with that reason, the
# other documents of the same bulk indexed), Slack answering 429 with Retry-After and 5xx, and ES
# down with Slack 429s together. Every crash must be recorded, indexed and alerted exactly once.
# Usage: sink_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup

scenario_begin "Elasticsearch down for 20 s" s-esdown
sinks es/down >/dev/null
down_at=$SECONDS
inject_rounds 2
sleep $((20 - (SECONDS - down_at) > 0 ? 20 - (SECONDS - down_at) : 0))
sinks es/up >/dev/null
scenario_end

scenario_begin "Elasticsearch per-item 429s" s-es429
sinks "es/reject-items?n=10&status=429" >/dev/null
inject_rounds 3
scenario_end

scenario_begin "Elasticsearch 400 mapping errors on one pod's documents" s-esmap
sinks "es/fail-documents?field=pod_name&value=p2-0" >/dev/null
inject_rounds 2
scenario_end p2-0
sinks es/fail-documents >/dev/null
reason=$(sql "SELECT o.last_error FROM podmon_outbox o JOIN k8s_pod_crash c ON c.id = o.crash_id
              WHERE c.namespace = 's-esmap' AND o.sink = 'elasticsearch' AND o.state = 'dead' LIMIT 1")
echo "   dead-letter reason: $reason"

scenario_begin "Slack 429 with Retry-After 2 s" s-sl429
sinks "slack/429?n=4&retry=2" >/dev/null
inject_rounds 2
scenario_end

scenario_begin "Slack 5xx" s-sl5xx
sinks "slack/fail?n=4&status=503" >/dev/null
inject_rounds 2
scenario_end

scenario_begin "Elasticsearch down 15 s + Slack 429s" s-both
sinks es/down >/dev/null
sinks "slack/429?n=3&retry=1" >/dev/null
down_at=$SECONDS
inject_rounds 2
sleep $((15 - (SECONDS - down_at) > 0 ? 15 - (SECONDS - down_at) : 0))
sinks es/up >/dev/null
scenario_end
faults_finish
