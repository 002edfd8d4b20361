#!/usr/bin/env bash
# Elasticsearch indexing and Slack alerts end to end: kube-sim, a private MariaDB, sinks-sim (the
# Elasticsearch and Slack test servers) and the podmon binary.
#  - each crash: one document, _id = crash_key, in k8s-crash-monitor-YYYY.MM.DD; one Slack message
#    in its routed channel or the default one; ignored crashes none;
#  - Elasticsearch down for a while, then back: every document arrives once;
#  - Slack answering 429: every alert arrives once, after Retry-After;
#  - a route added with SQL while podmon runs takes effect within 30 s;
#  - a crash loop of 20 restarts: 1 alert (and at most 2 follow-ups), MySQL and Elasticsearch get 20.
# Usage: sinks_pipeline.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

start_mariadb
start_kube_sim "$HERE/../testdata/kube-sim/pipeline_e2e.yaml"
start_sinks_sim
podmon_env
env "${PODMON_ENV[@]}" CLUSTER_NAME=e2e \
  ELASTICSEARCH_URL="$ELASTICSEARCH_URL" SLACK_API_URL="$SLACK_API_URL" SLACK_TOKEN="$SLACK_TOKEN" \
  SLACK_CHANNEL=pod-crash-alerts "$BIN_DIR/podmon" migrate >"$WORK/migrate.log" 2>&1 || fail "podmon migrate"
sql "INSERT INTO k8s_pod_crash_notify (clustername, namespace, slack_channel) VALUES ('e2e','shop','shop-alerts'), ('*','data','data-alerts')"
sql "INSERT INTO k8s_crash_ignore_notify (clustername, namespace, containername) VALUES ('e2e','data','cache')"

start_podmon CLUSTER_NAME=e2e ELASTICSEARCH_URL="$ELASTICSEARCH_URL" SLACK_API_URL="$SLACK_API_URL" SLACK_TOKEN="$SLACK_TOKEN"

crash() { control crash "{\"namespace\":\"$1\",\"pod\":\"$2\",\"container\":\"$3\",\"reason\":\"$4\",\"exitCode\":$5,\"log\":\"$3 died\\n\"}"; }
es_total() { sinks es/indices | grep -o ':[0-9]*' | tr -d : | awk '{s+=$1} END {print s+0}'; }
rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
messages_in() { sinks slack/messages | grep -o "\"channel\":\"$1\"" | wc -l; }
top_messages_in() { sinks slack/messages | grep -o "\"channel\":\"$1\",\"text\":\"[^\"]*\",\"thread_ts\":\"\"" | wc -l; }
count_is() { [[ "$("$1")" == "$2" ]]; }
channel_count_is() { [[ "$(messages_in "$1")" == "$2" ]]; }
DAY=$(date -u +%Y.%m.%d)

step "routed, default and ignored crashes"
crash shop web-6d4cf56db6-h7x2k web OOMKilled 137
crash data cache-0 cache Error 1
crash batch report-29000000-abcde report Error 42
eventually 30 count_is es_total 3 || fail "expected 3 documents, got $(es_total)"
eventually 30 channel_count_is shop-alerts 1 || fail "no alert in shop-alerts"
eventually 30 channel_count_is pod-crash-alerts 1 || fail "no alert in the default channel"
key=$(sql "SELECT crash_key FROM k8s_pod_crash WHERE containername='web'")
sinks "es/doc?index=k8s-crash-monitor-$DAY&id=$key" | grep -q '"pod_name":"web-6d4cf56db6-h7x2k"' ||
  fail "document $key not in k8s-crash-monitor-$DAY"
doc=$(sinks "es/doc?index=k8s-crash-monitor-$DAY&id=$key")
[[ "$doc" == *'"labels":{"app":"web"'* ]] || fail "document lacks the pod's labels: $doc"
sleep 2
[[ "$(messages_in data-alerts)" == 0 ]] || fail "an ignored crash was alerted"

step "Elasticsearch down for a while"
sinks es/down >/dev/null
crash data db-0 db Error 3
crash shop api-7f9b8c6d5-q2w3e api Error 1
eventually 30 count_is rows 5 || fail "crashes not recorded while Elasticsearch is down"
sleep 5
sinks es/up >/dev/null
eventually 90 count_is es_total 5 || fail "backlog not indexed after Elasticsearch came back: $(es_total)"
eventually 30 channel_count_is data-alerts 1 || fail "data crash not alerted in data-alerts"

step "Slack answering 429 with Retry-After"
sinks "slack/429?n=2&retry=2" >/dev/null
crash shop api-7f9b8c6d5-q2w3e migrate Error 1
eventually 60 channel_count_is shop-alerts 3 || fail "alert lost after 429s: $(messages_in shop-alerts) in shop-alerts"

step "a route added with SQL while podmon runs"
sql "INSERT INTO k8s_pod_crash_notify (clustername, namespace, slack_channel) VALUES ('e2e','ops','ops-alerts')"
sleep 31
crash ops tool-0 tool Error 1
eventually 30 channel_count_is ops-alerts 1 || fail "new route not applied within 30 s"

step "a crash loop of 20 restarts"
for i in $(seq 20); do crash ops loop-5d8f7c9b4-zz9x8 loop OOMKilled 137; sleep 0.3; done
eventually 60 count_is rows 27 || fail "expected 27 crash rows, got $(rows)"
eventually 90 count_is es_total 27 || fail "expected 27 documents, got $(es_total)"
sleep 3
top=$(top_messages_in ops-alerts)
all=$(messages_in ops-alerts)
[[ "$top" == 2 ]] || fail "expected 2 top-level alerts in ops-alerts (tool, loop), got $top"
(( all - top <= 2 )) || fail "more than 2 follow-ups for the crash loop: $((all - top))"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE containername='loop'")" == 20 ]] || fail "loop crashes not all in MySQL"
[[ "$(sql "SELECT COUNT(*) FROM podmon_outbox WHERE state='dead'")" == 0 ]] || fail "dead-lettered deliveries"
step "the delivery metrics tell the same story"
port=$(sed -n 's/.*status server listening on port \([0-9]*\).*/\1/p' "$WORK/podmon.log" | tail -1)
[[ -n "$port" ]] || fail "podmon did not say its status port"
metric() { curl -fsS "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
metric_at_least() { local v; v=$(metric "$1"); [[ -n "$v" ]] && (( v >= $2 )); }
# Deliveries are counted as they are marked; the watch and detector figures at the next poll (5 s).
eventually 10 metric_at_least 'podmon_pods_tracked' 1 || fail "podmon_pods_tracked: $(metric podmon_pods_tracked)"
[[ "$(metric 'podmon_delivery_latency_seconds_count{sink="elasticsearch"}')" == 27 ]] ||
  fail "expected 27 Elasticsearch delivery latencies, got $(metric 'podmon_delivery_latency_seconds_count{sink="elasticsearch"}')"
metric_at_least 'podmon_es_bulk_items_total{status="201"}' 1 || fail "no Elasticsearch items counted as created"
metric_at_least 'podmon_delivery_failures_total{cause="connection",sink="elasticsearch"}' 1 ||
  fail "Elasticsearch being down was not counted as connection failures"
metric_at_least 'podmon_delivery_failures_total{cause="rate_limited",sink="slack"}' 1 || fail "Slack 429s not counted by cause"
metric_at_least 'podmon_slack_rate_limited_total' 1 || fail "podmon_slack_rate_limited_total not counted"
metric_at_least 'podmon_delivery_latency_seconds_count{sink="slack"}' 1 || fail "no Slack delivery latency"
metric_at_least 'podmon_watch_events_total{type="MODIFIED"}' 27 || fail "watch events by type: $(metric 'podmon_watch_events_total{type="MODIFIED"}')"
echo "sinks pipeline: 27 crashes, 27 documents, alerts routed, ignored, retried after 429, loop folded; metrics agree"
