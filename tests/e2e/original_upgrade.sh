#!/usr/bin/env bash
# Drop-in upgrade from the original kubernetes-pod-monitor (issue 20, "Done when"): the original's
# four tables with rows in them (tests/testdata/original/schema.sql, created with the server's
# default collation as the original's compose did), podmon started with the original's environment
# (ELASTICSEARCH_URL without a port plus ELASTICSEARCH_PORT, LOG_LEVEL=INFO, CLUSTER_NAME set but
# empty, SQL_* and SLACK_* as the original names them, ELASTICSEARCH_DASHBOARD), crashes through
# kube-sim; then:
#  - the old rows are kept, untouched;
#  - the original's own SQL (service/utils.go, scripts/notification_management_utility.py) still
#    runs against the migrated tables and returns the new crash rows;
#  - each Elasticsearch document has the original's fields with the original's types and formats
#    (service/elasticsearchdump.go LogMessage: termination_state "&ContainerStateTerminated{...}",
#    cluster_name local-cluster, created_at epoch milliseconds) plus podmon's container_state;
#  - routes and ignore rules written for the original still apply (its collation: case-insensitive);
#  - the Slack alert carries the ELASTICSEARCH_DASHBOARD link; GET /health answers 200 {"status":"up"}.
# Usage: original_upgrade.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
PROBLEMS=()
# within SECONDS COMMAND...: like eventually, but bounded by wall-clock time (a loaded machine
# stretches eventually's 0.1 s steps), so the checks that fail still end within ctest's timeout.
within() {
  local end=$((SECONDS + $1))
  shift
  while ((SECONDS < end)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  "$@"
}
# problem MESSAGE: a failed check; the test goes on so one run names every difference, and fails at the end.
problem() { PROBLEMS+=("$*"); echo "PROBLEM: $*" >&2; }
DASHBOARD='http://127.0.0.1:5601/app/dashboards#/view/31fd2fd0-f36e-11ea-bce5-ab00d82ef8ed'

start_mariadb
start_kube_sim "$HERE/../testdata/kube-sim/pipeline_e2e.yaml"
start_sinks_sim

step "the original's tables and rows (server default collation, as the original created them)"
sql "ALTER DATABASE \`$PODMON_TEST_MYSQL_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
sql "$(cat "$HERE/../testdata/original/schema.sql")"
sql "INSERT INTO k8s_crash_monitor VALUES ('local-cluster','shop','web-old-1','web',7,0,1646998573),
       ('local-cluster','data','cache-0','cache',3,0,1646998573)"
sql "INSERT INTO k8s_pod_crash (clustername, namespace, containername, restartcount, date) VALUES
       ('local-cluster','shop','web',6,'2022-03-11 11:35:53'), ('local-cluster','shop','web',7,'2022-03-11 11:36:13')"
# Written by the original's utility; matched through the table's collation (case-insensitive).
sql "INSERT INTO k8s_pod_crash_notify VALUES ('local-cluster','shop','shop-alerts'), ('local-cluster','Batch','batch-alerts')"
sql "INSERT INTO k8s_crash_ignore_notify VALUES ('local-cluster','data','Cache')"
old_rows() {
  sql "SELECT CONCAT_WS('|', clustername, namespace, podname, containername, restartcount, retries, edited_at) FROM k8s_crash_monitor WHERE podname='web-old-1'
       UNION ALL SELECT CONCAT_WS('|', id, clustername, namespace, containername, restartcount, date) FROM k8s_pod_crash WHERE id <= 2
       UNION ALL SELECT CONCAT_WS('|', clustername, namespace, slack_channel) FROM k8s_pod_crash_notify
       UNION ALL SELECT CONCAT_WS('|', clustername, namespace, containername) FROM k8s_crash_ignore_notify"
}
before=$(old_rows)

step "podmon with the original's environment"
es_port=${ELASTICSEARCH_URL##*:}
start_podmon ELASTICSEARCH_URL=http://127.0.0.1 ELASTICSEARCH_PORT="$es_port" ELASTICSEARCH_SCHEME=http \
  ELASTICSEARCH_V7=true ELASTICSEARCH_DASHBOARD="$DASHBOARD" MAX_CRASHLOG_LENGTH=5000 LOG_LEVEL=INFO CLUSTER_NAME= \
  DEPLOY_ENV=local AWS_REGION= SLACK_NOTIFY=true SLACK_CHANNEL=pod-crash-alerts SLACK_TOKEN="$SLACK_TOKEN" \
  SLACK_API_URL="$SLACK_API_URL"

# $6: restart (false for the Job's restartPolicy Never container: it fails once, restartCount stays 0).
crash() { control crash "{\"namespace\":\"$1\",\"pod\":\"$2\",\"container\":\"$3\",\"reason\":\"$4\",\"exitCode\":$5,\"restart\":${6:-true},\"log\":\"$3 died: $4\\n\"}"; }
crash shop web-6d4cf56db6-h7x2k web OOMKilled 137
crash data cache-0 cache Error 1
crash batch report-29000000-abcde report Error 42 false
new_rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE id > 2"; }
count_is() { [[ "$("$1")" == "$2" ]]; }
within 60 count_is new_rows 3 || fail "expected 3 new crash rows, got $(new_rows)"
es_total() { sinks es/indices | grep -o ':[0-9]*' | tr -d : | awk '{s+=$1} END {print s+0}'; }
within 30 count_is es_total 3 || problem "expected 3 documents in the stand-in reached through ELASTICSEARCH_PORT, got $(es_total)"
messages_in() { sinks slack/messages | grep -o "\"channel\":\"$1\"" | wc -l; }
channel_count_is() { [[ "$(messages_in "$1")" == "$2" ]]; }
within 30 channel_count_is shop-alerts 1 || problem "no alert in shop-alerts (route written by the original)"

step "the old rows are kept"
[[ "$(old_rows)" == "$before" ]] || problem "old rows changed: before
$before
after
$(old_rows)"

step "the original's own queries against the migrated tables"
# service/utils.go getSavedObject: the restart baseline podmon keeps for the crashed container.
saved=$(sql "SELECT restartcount, retries FROM k8s_crash_monitor WHERE clustername='local-cluster' AND namespace='shop' AND podname='web-6d4cf56db6-h7x2k' AND containername='web'")
[[ "$saved" =~ ^[1-9][0-9]*$'\t'[0-9]+$ ]] || problem "getSavedObject: no restart baseline for the new crash: '$saved'"
# service/utils.go getSlackChannel and shouldNotify.
[[ "$(sql "select slack_channel FROM k8s_pod_crash_notify WHERE clustername='local-cluster' AND namespace='shop'")" == shop-alerts ]] ||
  problem "getSlackChannel"
[[ "$(sql "select count(*) FROM k8s_crash_ignore_notify WHERE clustername='local-cluster' AND namespace='data' AND containername='cache'")" == 1 ]] ||
  problem "shouldNotify: the ignore rule no longer matches through the original's collation"
# The columns the original wrote (persistPodCrash) on podmon's new rows.
crashes=$(sql "SELECT clustername, namespace, containername, restartcount FROM k8s_pod_crash WHERE id > 2 ORDER BY id")
[[ "$crashes" == *$'local-cluster\tshop\tweb\t'* && "$crashes" == *$'local-cluster\tbatch\treport\t0'* ]] ||
  problem "new crash rows in the original's columns: $crashes"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE id > 2 AND date IS NOT NULL AND date > NOW() - INTERVAL 1 HOUR")" == 3 ]] ||
  problem "new crash rows lack the original's date column"
# scripts/notification_management_utility.py, choices 1 and 2 (their column aliases).
sql "SELECT clustername AS Cluster, namespace as Namespace, slack_channel as 'Slack channel' FROM \`k8s_pod_crash_notify\`" | grep -q shop-alerts ||
  problem "utility choice 1"
sql "SELECT clustername AS Cluster, namespace as Namespace, containername AS 'Container name' FROM \`k8s_crash_ignore_notify\`" | grep -q Cache ||
  problem "utility choice 2"
# The original's writers, as after a roll-back: updateObject (upsert), persistPodCrash, utility choices 3 and 4.
sql "INSERT INTO k8s_crash_monitor (clustername, namespace, podname, containername, restartcount, retries, edited_at) VALUES('local-cluster','legacy','legacy-0','app',1,0,1700000000)
     ON DUPLICATE KEY UPDATE restartcount=1, retries=0, edited_at=1700000000" || problem "updateObject insert"
sql "INSERT INTO k8s_crash_monitor (clustername, namespace, podname, containername, restartcount, retries, edited_at) VALUES('local-cluster','legacy','legacy-0','app',2,0,1700000001)
     ON DUPLICATE KEY UPDATE restartcount=2, retries=0, edited_at=1700000001" || problem "updateObject update"
sql "INSERT INTO k8s_pod_crash (clustername, namespace, containername, restartcount, date) VALUES('local-cluster','legacy','app',2,'2024-01-01 00:00:00')" ||
  problem "persistPodCrash"
sql "INSERT INTO \`k8s_crash_ignore_notify\` (\`clustername\`, \`namespace\`, \`containername\`) VALUES ('local-cluster','legacy','app')" || problem "utility choice 3"
if sql "INSERT INTO \`k8s_pod_crash_notify\` (\`clustername\`, \`namespace\`, \`slack_channel\`) VALUES ('local-cluster','shop','other')" 2>/dev/null; then
  problem "utility choice 4: a second route for one namespace was accepted (the primary key is gone)"
fi

step "Elasticsearch documents in the original's fields and formats"
sinks es/docs >"$WORK/docs.json"
python3 - "$WORK/docs.json" "$(date -u +%Y.%m.%d)" <<'PY' || problem "documents differ from the original's (above)"
import json, re, sys, time
docs = json.load(open(sys.argv[1]))
day = sys.argv[2]
errors = []
# service/elasticsearchdump.go LogMessage: field -> type.
fields = {"namespace": str, "pod_name": str, "container_name": str, "created_at": int, "cluster_name": str,
          "logs": str, "restart_count": int, "termination_state": str}
terminated = re.compile(r"^&ContainerStateTerminated\{ExitCode:(-?\d+),Signal:(\d+),Reason:([^,]*),Message:(.*),"
                        r"StartedAt:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC),FinishedAt:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC),"
                        r"ContainerID:([^,]*),\}$", re.S)
expected = {"web": ("137", "OOMKilled"), "cache": ("1", "Error"), "report": ("42", "Error")}
for d in docs:
    src, where = d["source"], f"{d['index']}/{d['id']}"
    if d["index"] != "k8s-crash-monitor-" + day:
        errors.append(f"{where}: index is not k8s-crash-monitor-{day}")
    for name, kind in fields.items():
        value = src.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            errors.append(f"{where}: {name} is {value!r}, the original wrote a {kind.__name__}")
    if src.get("cluster_name") != "local-cluster":
        errors.append(f"{where}: cluster_name {src.get('cluster_name')!r}, the original's default is local-cluster")
    created = src.get("created_at")
    if isinstance(created, int) and abs(created - time.time() * 1000) > 3600_000:
        errors.append(f"{where}: created_at {created} is not epoch milliseconds of now")
    m = terminated.match(str(src.get("termination_state")))
    if not m:
        errors.append(f"{where}: termination_state {src.get('termination_state')!r} is not the original's &ContainerStateTerminated{{...}}")
    elif (m.group(1), m.group(3)) != expected.get(src.get("container_name"), (None, None)):
        errors.append(f"{where}: termination_state exit code/reason {m.group(1)}/{m.group(3)} for {src.get('container_name')}")
    if not isinstance(src.get("container_state"), str) or not src.get("container_state"):
        errors.append(f"{where}: no container_state (podmon's current state, the new field)")
    if src.get("container_name") and (src["container_name"] + " died") not in str(src.get("logs")):
        errors.append(f"{where}: logs lack the crashed container's log")
for e in errors:
    print(e, file=sys.stderr)
print(f"{len(docs)} documents, {len(errors)} differences")
sys.exit(1 if errors or len(docs) != 3 else 0)
PY

step "Slack: routes and ignores as the original matched them, the dashboard link"
messages=$(sinks slack/messages)
[[ "$messages" == *"$DASHBOARD"* ]] || problem "no ELASTICSEARCH_DASHBOARD link in the alerts: $messages"
within 20 channel_count_is batch-alerts 1 || problem "route ('local-cluster','Batch') written for the original does not match namespace batch"
sleep 2
# web (shop-alerts) and report (batch-alerts) only: the ignore rule ('data', 'Cache') silences cache.
total=$(sinks slack/messages | grep -o '"channel":' | wc -l)
[[ "$total" == 2 ]] || problem "expected 2 alerts (the ignored container cache none), got $total"

step "GET /health like the original"
port=$(sed -n 's/.*status server listening on port \([0-9]*\).*/\1/p' "$WORK/podmon.log" | tail -1)
[[ -n "$port" ]] || fail "podmon did not say its status port"
health_up() { [[ "$(curl -sS --max-time 5 -o "$WORK/health.out" -w '%{http_code}' "http://127.0.0.1:$port/health")" == 200 ]] && [[ "$(tr -d ' \n' <"$WORK/health.out")" == '{"status":"up"}' ]]; }
within 15 health_up || problem "GET /health: $(cat "$WORK/health.out" 2>/dev/null)"
kill -0 "$PODMON_PID" || fail "podmon died"
if ((${#PROBLEMS[@]})); then
  printf 'FAILED CHECK: %s\n' "${PROBLEMS[@]}" >&2
  fail "${#PROBLEMS[@]} checks failed"
fi
echo "original upgrade: old rows kept, the original's queries work, 3 documents in the original's format, alerts routed with the dashboard link, /health up"
