#!/usr/bin/env bash
# Two podmon instances with LEADER_ELECTION=true against kube-sim's Leases and one MariaDB:
#  A. exactly one leader; only it records crashes; /healthz, /readyz and /metrics answer on both;
#  B. the leader is killed with SIGKILL while crashes happen: the standby takes over within 20 s
#     and every crash is recorded exactly once across the handover;
#  C. SIGTERM on the new leader releases the lease (exit 0) and a restarted standby takes over at once.
# Set PODMON_E2E_METRICS_OUT=FILE to keep a /metrics sample. Usage: ha_failover.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

WORK=$(mktemp -d)
SIM_PID="" A_PID="" B_PID=""
cleanup() {
  for p in "$A_PID" "$B_PID"; do [[ -n "$p" ]] && kill -9 "$p" 2>/dev/null || true; done
  [[ -n "$SIM_PID" ]] && kill "$SIM_PID" 2>/dev/null || true
  [[ -n "${PODMON_TEST_MYSQL_DATADIR:-}" ]] && "$ROOT/tools/dev/mariadb-test-server" stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.log; do [[ -f "$f" ]] && { echo "--- $f (last 40 lines)" >&2; tail -40 "$f" >&2; }; done
  exit 1
}
step() { echo "== $*"; }

mariadb_env=$("$ROOT/tools/dev/mariadb-test-server" start) || fail "could not start a private MariaDB"
eval "$mariadb_env"
sql() {
  mariadb --no-defaults -h127.0.0.1 -P"$PODMON_TEST_MYSQL_PORT" -u"$PODMON_TEST_MYSQL_USER" \
    -p"$PODMON_TEST_MYSQL_PASSWORD" "$PODMON_TEST_MYSQL_DB" -N -B -e "$1"
}

"$BIN_DIR/kube-sim" --scenario "$HERE/../testdata/kube-sim/pipeline_e2e.yaml" --port 0 --port-file "$WORK/port" \
  >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
[[ -s "$WORK/port" ]] || fail "kube-sim did not start"
SIM="http://127.0.0.1:$(cat "$WORK/port")"
cat >"$WORK/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: sim, cluster: {server: "$SIM"}}]
users: [{name: u, user: {}}]
contexts: [{name: sim, context: {cluster: sim, user: u}}]
current-context: sim
KC

start_podmon() {  # name -> sets ${NAME}_PID
  local name=$1
  CLUSTER_NAME=e2e SQL_HOST=127.0.0.1 SQL_PORT="$PODMON_TEST_MYSQL_PORT" SQL_USERNAME="$PODMON_TEST_MYSQL_USER" \
    SQL_PASSWORD="$PODMON_TEST_MYSQL_PASSWORD" SQL_DBNAME="$PODMON_TEST_MYSQL_DB" LOG_LEVEL=info \
    LEADER_ELECTION=true POD_NAME="podmon-$name" POD_NAMESPACE=ops SERVER_PORT=0 SLACK_NOTIFY=false \
    API_TOKEN=e2e-token \
    "$BIN_DIR/podmon" --kubeconfig "$WORK/kubeconfig" >>"$WORK/$name.log" 2>&1 &
  eval "${name}_PID=$!"
}
port_of() {  # name
  local p=""
  for _ in $(seq 100); do
    p=$(sed -n 's/.*status server listening on port \([0-9]*\).*/\1/p' "$WORK/$1.log" | tail -1)
    [[ -n "$p" ]] && { echo "$p"; return 0; }
    sleep 0.1
  done
  fail "podmon $1 did not start its status server"
}
holder() { curl -fsS "$SIM/apis/coordination.k8s.io/v1/namespaces/ops/leases/kubernetes-pod-monitor" 2>/dev/null |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["spec"].get("holderIdentity",""))' 2>/dev/null || true; }
wait_holder() {  # expected-holder timeout_seconds
  for _ in $(seq $(($2 * 10))); do [[ "$(holder)" == "$1" ]] && return 0; sleep 0.1; done
  fail "lease holder is '$(holder)', expected '$1' within $2 s"
}
control() {
  curl -fsS -X POST "$SIM/_sim/$1" -H 'Content-Type: application/json' -d "$2" >/dev/null || fail "control $1 $2"
}
crash() {  # namespace pod container reason exit
  control crash "{\"namespace\":\"$1\",\"pod\":\"$2\",\"container\":\"$3\",\"reason\":\"$4\",\"exitCode\":$5,\"restart\":true,\"log\":\"$2/$3 died: $4\\n\"}"
}
rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
wait_rows() {  # expected timeout_seconds
  local n
  for _ in $(seq $(($2 * 10))); do
    n=$(rows 2>/dev/null || echo -1)
    [[ "$n" == "$1" ]] && return 0
    sleep 0.1
  done
  fail "expected $1 crash rows, found $(rows 2>/dev/null || echo '?')"
}
wait_log() {  # name pattern timeout_seconds
  for _ in $(seq $(($3 * 10))); do grep -q "$2" "$WORK/$1.log" 2>/dev/null && return 0; sleep 0.1; done
  fail "podmon $1 did not log '$2' within $3 s"
}

step "A. two instances, one leader"
start_podmon A
PORT_A=$(port_of A)
curl -fsS "http://127.0.0.1:$PORT_A/healthz" >/dev/null || fail "/healthz of A during start-up"
wait_holder podmon-A 20
wait_log A "listed .* pods" 20
start_podmon B
PORT_B=$(port_of B)
sleep 3
[[ "$(holder)" == podmon-A ]] || fail "B took the lease from a live leader"
grep -q "listed .* pods" "$WORK/B.log" && fail "the standby B watches pods"
curl -fsS "http://127.0.0.1:$PORT_B/healthz" >/dev/null || fail "/healthz of the standby"
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$PORT_B/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$PORT_B/readyz" | grep -q '"lease":"standby"' || fail "/readyz of the standby: $(curl -sS "http://127.0.0.1:$PORT_B/readyz")"
curl -fsS "http://127.0.0.1:$PORT_B/metrics" | grep -q '^podmon_is_leader 0$' || fail "standby metrics do not say is_leader 0"

crash shop web-6d4cf56db6-h7x2k web OOMKilled 137
crash data db-0 db Error 2
wait_rows 2 20
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_A/api/v1/healthz/shop/deployment/web")
[[ "$code" == 401 ]] || fail "workload health without a token answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer e2e-token' "http://127.0.0.1:$PORT_A/api/v1/healthz/shop/deployment/web")
[[ "$code" == 503 ]] || fail "workload health of crashed deployment/web answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT_A/api/v1/healthz/shop/deployment/api?token=e2e-token")
[[ "$code" == 200 ]] || fail "workload health of deployment/api answered $code"

step "B. SIGKILL the leader while crashes happen"
kill -9 "$A_PID"; wait "$A_PID" 2>/dev/null || true; A_PID=""
killed_at=$(date +%s%N)
crash shop api-7f9b8c6d5-q2w3e api OOMKilled 137
crash shop web-6d4cf56db6-h7x2k web Error 1
sleep 1
crash data db-0 db Error 3
wait_holder podmon-B 20
took_ms=$(( ($(date +%s%N) - killed_at) / 1000000 ))
took="$((took_ms / 1000)).$(printf %03d $((took_ms % 1000)))"
echo "standby took over after ${took}s"
[[ $took_ms -le 20000 ]] || fail "takeover took ${took}s"
wait_rows 5 30
sleep 3
[[ "$(rows)" == 5 ]] || fail "expected exactly 5 crash rows after the handover, found $(rows)"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash GROUP BY crash_key HAVING COUNT(*) > 1" | wc -l)" == 0 ]] || fail "duplicate crash keys"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE containername='api'")" == 1 ]] || fail "the crash during the handover is missing"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE containername='db'")" == 2 ]] || fail "db crashes: $(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE containername='db'")"
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE containername='web'")" == 2 ]] || fail "web crashes"

# The metrics are refreshed every few seconds: wait for the poll that follows the takeover.
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT_B/metrics" >"$WORK/metrics.txt" || fail "/metrics of the new leader"
  grep -q '^podmon_is_leader 1$' "$WORK/metrics.txt" && break
  sleep 0.2
done
grep -q '^# TYPE podmon_crashes_detected_total counter$' "$WORK/metrics.txt" || fail "no crashes_detected_total"
grep -q '^podmon_is_leader 1$' "$WORK/metrics.txt" || fail "the new leader does not say is_leader 1"
grep -q '^podmon_leader_transitions_total 1$' "$WORK/metrics.txt" || fail "leader_transitions_total"
grep -q '^podmon_detection_latency_seconds_bucket{le="+Inf"}' "$WORK/metrics.txt" || fail "no detection latency histogram"
[[ "$(tail -c1 "$WORK/metrics.txt" | od -An -c | tr -d ' ')" == '\n' ]] || fail "/metrics does not end with a newline"
[[ -n "${PODMON_E2E_METRICS_OUT:-}" ]] && cp "$WORK/metrics.txt" "$PODMON_E2E_METRICS_OUT"

step "C. SIGTERM releases the lease"
start_podmon A
wait_log A "status server listening" 20
sleep 2
[[ "$(holder)" == podmon-B ]] || fail "A took the lease from a live leader"
kill -TERM "$B_PID"
rc=0; wait "$B_PID" || rc=$?; B_PID=""
[[ $rc == 0 ]] || fail "podmon B exited $rc on SIGTERM"
grep -q "released the lease" "$WORK/B.log" || fail "B did not release the lease"
wait_holder podmon-A 6   # not a lease duration: the released lease is free at once
crash data db-0 db OOMKilled 137
wait_rows 6 20
sleep 2
[[ "$(rows)" == 6 ]] || fail "rows after the second handover: $(rows)"
echo "ha failover: 6 crashes, each recorded once across a SIGKILL and a SIGTERM handover (takeover ${took}s)"
