#!/usr/bin/env bash
# podmon and podmonctl with the original kubernetes-pod-monitor's settings: its
# config/application.yml (nested keys) in the working directory, LOG_LEVEL=INFO, CLUSTER_NAME set but
# empty, settings podmon does not need, ELASTICSEARCH_DASHBOARD, and SLACK_INCLUDE_LOGS=false. Then
# podmonctl without SQL_HOST: the SQLite notice; with no store at all, a clear error on a pipe and
# the original utility's questions on a terminal. Needs only kube-sim. Usage: original_settings.sh BIN_DIR
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

mkdir -p "$WORK/run/config" "$WORK/empty" "$WORK/pipe" "$WORK/tty"
cat >"$WORK/kubeconfig" <<KC
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
DASHBOARD="http://127.0.0.1:5601/app/dashboards#/view/31fd2fd0-f36e-11ea-bce5-ab00d82ef8ed"
cat >"$WORK/run/config/application.yml" <<YML
server:
  port: 0
log:
  level: ERROR
elasticsearch:
  dashboard: $DASHBOARD
  buffer_size: 100
  v7: true
check_interval: 15
slack:
  include_logs: false
  colour: red
YML

# The original's environment on top: LOG_LEVEL in upper case beats the file's ERROR (the info lines
# waited for below would be missing otherwise), CLUSTER_NAME and
# SQL_PASSWORD set but empty, a setting podmon does not need.
cd "$WORK/run"
env -i HOME="$WORK" PATH="$PATH" KUBECONFIG="$WORK/kubeconfig" LOG_LEVEL=INFO CLUSTER_NAME= SQL_PASSWORD= \
  MAX_RETRIES=10 ELASTICSEARCH_URL= "$BIN_DIR/podmon" >"$WORK/podmon.out" 2>"$WORK/podmon.err" &
PODMON_PID=$!
wait_for 300 grep -q " info listed .* pods" "$WORK/podmon.err" || fail "podmon did not list the pods at LOG_LEVEL=INFO"
grep -q "settings of the original kubernetes-pod-monitor that podmon does not need are ignored: .*MAX_RETRIES (" \
  "$WORK/podmon.err" || fail "no warning about MAX_RETRIES"
for name in CHECK_INTERVAL ELASTICSEARCH_BUFFER_SIZE ELASTICSEARCH_V7; do
  grep -q "does not need are ignored: .*$name (the original's" "$WORK/podmon.err" || fail "$name not in the warning"
done
[[ $(grep -c "does not need are ignored" "$WORK/podmon.err") -eq 1 ]] || fail "more than one warning for them"
grep -q "config/application.yml: line 12: unknown key 'slack.colour'" "$WORK/podmon.err" || fail "unknown key not warned"
grep -q "CLUSTER_NAME not set" "$WORK/podmon.err" && fail "CLUSTER_NAME set but empty was taken as not set"

curl -fsS -X POST "$SIM/_sim/crash" -H 'Content-Type: application/json' \
  -d '{"namespace":"e2e","pod":"web-6d4cf56db6-h7x2k","container":"web","reason":"OOMKilled","exitCode":137,"log":"fatal: secret-ish log line\n"}' \
  >/dev/null || fail "control crash request failed"
wait_for 300 grep -q "Pod crash: e2e/web-6d4cf56db6-h7x2k (web)" "$WORK/podmon.out" || fail "no console alert for the crash"
grep -q "  Cluster:   local-cluster" "$WORK/podmon.out" || fail "CLUSTER_NAME set but empty is not local-cluster"
grep -qF "Kibana dashboard ($DASHBOARD)" "$WORK/podmon.out" || fail "no ELASTICSEARCH_DASHBOARD link in the alert"
grep -q "secret-ish log line" "$WORK/podmon.out" && fail "SLACK_INCLUDE_LOGS=false (application.yml) let the log in"
kill "$PODMON_PID"
wait "$PODMON_PID" 2>/dev/null || true
PODMON_PID=""
env -i HOME="$WORK" PATH="$PATH" "$BIN_DIR/podmonctl" crashes list --all-clusters >"$WORK/list.out" 2>"$WORK/list.err" ||
  fail "podmonctl crashes list failed"
grep -q " local-cluster  *e2e  *web-6d4cf56db6-h7x2k " "$WORK/list.out" || fail "the crash is not stored under local-cluster"
grep -qx "podmonctl: no SQL_HOST set: using the SQLite store ./podmon.db" "$WORK/list.err" || fail "no SQLite notice"

# podmonctl where nothing names a store (no SQL_HOST, no SQLITE_PATH, no ./podmon.db): a command
# stops with what to set, exit 2, and creates no ./podmon.db; `migrate` creates it, and says so.
cd "$WORK/empty"
code=0
env -i HOME="$WORK" PATH="$PATH" "$BIN_DIR/podmonctl" routes list >"$WORK/empty.out" 2>"$WORK/empty.err" || code=$?
[[ $code -eq 2 ]] || fail "podmonctl routes list without a store exited with $code, not 2"
grep -q "^podmonctl: no store configured: set SQL_HOST" "$WORK/empty.err" || fail "no clear message without a store"
[[ ! -e podmon.db ]] || fail "podmonctl created ./podmon.db for a command"
env -i HOME="$WORK" PATH="$PATH" "$BIN_DIR/podmonctl" migrate >"$WORK/migrate.out" 2>"$WORK/migrate.err" ||
  fail "podmonctl migrate without settings failed"
grep -qx "podmonctl: no SQL_HOST set: using the SQLite store ./podmon.db" "$WORK/migrate.err" || fail "no SQLite notice"
env -i HOME="$WORK" PATH="$PATH" "$BIN_DIR/podmonctl" routes list >"$WORK/after.out" 2>"$WORK/after.err" ||
  fail "podmonctl routes list on the migrated ./podmon.db failed"
# The menu on a pipe never asks, and never waits for an answer it cannot get.
cd "$WORK/pipe"
code=0
echo 0 | env -i HOME="$WORK" PATH="$PATH" timeout 30 "$BIN_DIR/podmonctl" menu >"$WORK/pipe.out" 2>"$WORK/pipe.err" ||
  code=$?
[[ $code -eq 2 ]] || fail "podmonctl menu on a pipe without a store exited with $code, not 2"
grep -q "Enter the MySQL hostname" "$WORK/pipe.out" && fail "the menu on a pipe asked for the connection"
grep -q "^podmonctl: no store configured" "$WORK/pipe.err" || fail "no clear message (pipe)"
# On a terminal (script(1) gives it one): the original utility's first question; no host, no store.
if command -v script >/dev/null; then
  cd "$WORK/tty"
  code=0
  { sleep 2; printf '\n'; sleep 2; } |
    env -i HOME="$WORK" PATH="$PATH" TERM=dumb timeout 30 script -qec "$BIN_DIR/podmonctl" /dev/null \
      >"$WORK/tty.out" 2>&1 || code=$?
  grep -q "Enter the MySQL hostname:" "$WORK/tty.out" || fail "the menu on a terminal did not ask for the connection"
  grep -q "podmonctl: no store configured" "$WORK/tty.out" || fail "no message after an empty host (tty)"
  [[ ! -e podmon.db ]] || fail "podmonctl created ./podmon.db after an empty host"
fi
echo "PASS: the original's application.yml and environment, settings podmon does not need, local-cluster, dashboard link, no logs in alerts; podmonctl's store notice and questions"
