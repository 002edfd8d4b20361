#!/usr/bin/env bash
# podmon with no settings at all, as someone tries it on their own cluster: it uses the current
# kubectl context of ~/.kube/config (here pointing at kube-sim), names the cluster after that
# context's cluster, stores crashes in ./podmon.db (SQLite) and prints alerts on the console;
# `podmonctl crashes list` in the same directory lists them. Usage: no_settings_first_run.sh BIN_DIR
set -euo pipefail

BIN_DIR=${1:?usage: $0 BIN_DIR}
WORK=$(mktemp -d)
SIM_PID=""
PODMON_PID=""
cleanup() {
  [[ -n "$PODMON_PID" ]] && kill "$PODMON_PID" 2>/dev/null || true
  [[ -n "$SIM_PID" ]] && kill "$SIM_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.out "$WORK"/*.err; do [[ -f "$f" ]] && { echo "--- $f" >&2; cat "$f" >&2; }; done
  exit 1
}

# Wait for a condition (a command) for up to N tenths of a second.
wait_for() {
  local tenths=$1
  shift
  for _ in $(seq 1 "$tenths"); do "$@" && return 0; sleep 0.1; done
  return 1
}

"$BIN_DIR/kube-sim" --scenario "$(dirname "$0")/../testdata/kube-sim/kubectl_e2e.yaml" --port 0 \
  --port-file "$WORK/port" >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIM_PID=$!
wait_for 100 test -s "$WORK/port" || fail "kube-sim did not report its port"
SIM="http://127.0.0.1:$(cat "$WORK/port")"

mkdir -p "$WORK/home/.kube" "$WORK/run"
cat >"$WORK/home/.kube/config" <<KC
apiVersion: v1
kind: Config
clusters:
- name: staging-eu
  cluster: {server: "$SIM"}
users:
- name: me
  user: {}
contexts:
- name: me@staging-eu
  context: {cluster: staging-eu, user: me}
current-context: me@staging-eu
KC

# Nothing but HOME and PATH: no podmon setting at all.
cd "$WORK/run"
env -i HOME="$WORK/home" PATH="$PATH" SERVER_PORT=0 "$BIN_DIR/podmon" >"$WORK/podmon.out" 2>"$WORK/podmon.err" &
PODMON_PID=$!
wait_for 300 grep -q "listed .* pods" "$WORK/podmon.err" || fail "podmon did not list the pods"
grep -q "CLUSTER_NAME not set: using the cluster of kubeconfig context me@staging-eu: staging-eu" "$WORK/podmon.err" ||
  fail "CLUSTER_NAME did not default to the context's cluster"
grep -q "store: SQLite ./podmon.db (embedded; set SQL_HOST for MySQL in production)" "$WORK/podmon.err" ||
  fail "no SQLite start-up line"
grep -q "alerts: printed on the console" "$WORK/podmon.err" || fail "no console alerts start-up line"

curl -fsS -X POST "$SIM/_sim/crash" -H 'Content-Type: application/json' \
  -d '{"namespace":"e2e","pod":"web-6d4cf56db6-h7x2k","container":"web","reason":"OOMKilled","exitCode":137,"log":"fatal: out of memory\n"}' \
  >/dev/null || fail "control crash request failed"
wait_for 300 grep -q "Pod crash: e2e/web-6d4cf56db6-h7x2k (web)" "$WORK/podmon.out" || fail "no console alert for the crash"
grep -q "  Cluster:   staging-eu" "$WORK/podmon.out" || fail "the alert does not name the context's cluster"
kill "$PODMON_PID"
wait "$PODMON_PID" 2>/dev/null || true
PODMON_PID=""

env -i HOME="$WORK/home" PATH="$PATH" "$BIN_DIR/podmonctl" crashes list >"$WORK/list.out" 2>"$WORK/list.err" ||
  fail "podmonctl crashes list failed"
grep -q "staging-eu .*e2e .*web-6d4cf56db6-h7x2k .*web .*OOMKilled" "$WORK/list.out" || fail "podmonctl does not list the crash"
echo "PASS: no settings: kubectl context, SQLite ./podmon.db, console alert, podmonctl lists the crash"
