#!/usr/bin/env bash
# First figures for podmon's watch path: kube-sim in scale mode (N realistic pods of 4-10 KB with
# managedFields, then a steady stream of MODIFIED events), podmon watching it with a private MariaDB.
# Prints events decoded, podmon's CPU seconds for them, events per CPU-second, and podmon's resident
# memory while tracking the pods.
# Usage: tools/bench/watch_throughput.sh [BIN_DIR] [PODS] [EVENTS] [RATE]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN_DIR=${1:-$ROOT/build/bin}
PODS=${2:-10000}
EVENTS=${3:-100000}
RATE=${4:-20000}
WORK=$(mktemp -d)
SIM_PID="" PODMON_PID=""
cleanup() {
  [[ -n "$PODMON_PID" ]] && kill "$PODMON_PID" 2>/dev/null || true
  [[ -n "$SIM_PID" ]] && kill "$SIM_PID" 2>/dev/null || true
  [[ -n "${PODMON_TEST_MYSQL_DATADIR:-}" ]] && "$ROOT/tools/dev/mariadb-test-server" stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
eval "$("$ROOT/tools/dev/mariadb-test-server" start)"
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {print $2 / 1024}' "/proc/$1/status"; }

"$BIN_DIR/kube-sim" --scale-pods "$PODS" --event-rate "$RATE" --events-total "$EVENTS" --history "$EVENTS" --port 0 \
  --port-file "$WORK/port" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 600); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
SIM="http://127.0.0.1:$(cat "$WORK/port")"
printf 'apiVersion: v1\nkind: Config\nclusters: [{name: s, cluster: {server: "%s"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: s, context: {cluster: s, user: u}}]\ncurrent-context: s\n' "$SIM" >"$WORK/kubeconfig"
SLACK_NOTIFY=false SERVER_PORT=0 CLUSTER_NAME=bench SQL_HOST=127.0.0.1 SQL_PORT="$PODMON_TEST_MYSQL_PORT" SQL_USERNAME="$PODMON_TEST_MYSQL_USER" \
  SQL_PASSWORD="$PODMON_TEST_MYSQL_PASSWORD" SQL_DBNAME="$PODMON_TEST_MYSQL_DB" \
  "$BIN_DIR/podmon" --kubeconfig "$WORK/kubeconfig" >"$WORK/podmon.out" 2>"$WORK/podmon.log" &
PODMON_PID=$!
for _ in $(seq 1200); do grep -q "listed .* pods" "$WORK/podmon.log" && break; sleep 0.1; done
cpu0=$(cpu_seconds "$PODMON_PID")
t0=$(date +%s.%N)
# Wait until kube-sim's resourceVersion stops moving (all events sent) and podmon is idle.
last="" same=0
while [[ $same -lt 3 ]]; do
  sleep 1
  rv=$(curl -fsS "$SIM/_sim/stats" | sed -n 's/.*"resourceVersion": *"\{0,1\}\([0-9]*\).*/\1/p')
  if [[ "$rv" == "$last" ]]; then same=$((same + 1)); else same=0; last=$rv; fi
done
cpu1=$(cpu_seconds "$PODMON_PID")
rss=$(rss_mb "$PODMON_PID")
kill -TERM "$PODMON_PID"; wait "$PODMON_PID" 2>/dev/null || true; PODMON_PID=""
events=$(sed -n 's/.*stopped: \([0-9]*\) watch events.*/\1/p' "$WORK/podmon.log")
crashes=$(grep -c '^crash ' "$WORK/podmon.out" || true)
relists=$(grep -c "relisting" "$WORK/podmon.log" || true)
awk -v e="$events" -v c0="$cpu0" -v c1="$cpu1" -v rss="$rss" -v pods="$PODS" -v cr="$crashes" -v rl="$relists" 'BEGIN {
  cpu = c1 - c0; printf "pods tracked: %d\nwatch events decoded: %d (crashes recorded: %d, relists: %d)\npodmon CPU seconds for them: %.2f\nevents per CPU-second: %.0f\npodmon resident memory: %.1f MB\n", pods, e, cr, rl, cpu, (cpu > 0 ? e / cpu : 0), rss }'
