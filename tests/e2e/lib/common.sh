# Sourced by tests/e2e/*.sh: a private work dir cleaned up on exit (with every process started
# through e2e_track), a private MariaDB, kube-sim serving a scenario with a kubeconfig for it, and
# the settings podmon runs with in these tests (status server on port 0, the test database).
# Expects BIN_DIR and HERE (the tests/e2e folder) to be set by the script.
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d)
E2E_PIDS=()

e2e_track() { E2E_PIDS+=("$1"); }
e2e_cleanup() {
  local p
  for p in "${E2E_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  # Only a MariaDB this script started: the one tools/dev/test shares with the other tests (its
  # PODMON_TEST_MYSQL_* are inherited) must outlive a script that never called start_mariadb.
  [[ -n "${E2E_OWN_MARIADB:-}" ]] && "$ROOT/tools/dev/mariadb-test-server" stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap e2e_cleanup EXIT
# A timeout (ctest sends SIGTERM) must still stop everything started, the MariaDB included.
trap 'exit 143' TERM
trap 'exit 130' INT

fail() {
  echo "FAIL: $*" >&2
  local f
  for f in "$WORK"/*.log "$WORK"/*.out; do [[ -f "$f" ]] && { echo "--- $f (last 40 lines)" >&2; tail -40 "$f" >&2; }; done
  exit 1
}
step() { echo "== $*"; }

# A MariaDB of this test's own (tests kill it): exports PODMON_TEST_MYSQL_*.
start_mariadb() {
  local env
  env=$("$ROOT/tools/dev/mariadb-test-server" start) || fail "could not start a private MariaDB"
  eval "$env"
  E2E_OWN_MARIADB=1
}
sql() {
  mariadb --no-defaults -h127.0.0.1 -P"$PODMON_TEST_MYSQL_PORT" -u"$PODMON_TEST_MYSQL_USER" \
    -p"$PODMON_TEST_MYSQL_PASSWORD" "$PODMON_TEST_MYSQL_DB" -N -B -e "$1"
}

# start_kube_sim SCENARIO_FILE [TOKEN]: sets SIM (its URL) and writes $WORK/kubeconfig.
start_kube_sim() {
  "$BIN_DIR/kube-sim" --scenario "$1" --port 0 --port-file "$WORK/port" >"$WORK/sim.log" 2>&1 &
  e2e_track $!
  local _
  for _ in $(seq 100); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
  [[ -s "$WORK/port" ]] || fail "kube-sim did not start"
  SIM="http://127.0.0.1:$(cat "$WORK/port")"
  local user="{}"
  [[ -n "${2:-}" ]] && user="{token: \"$2\"}"
  cat >"$WORK/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: sim, cluster: {server: "$SIM"}}]
users: [{name: u, user: $user}]
contexts: [{name: sim, context: {cluster: sim, user: u}}]
current-context: sim
KC
}

# The settings every test podmon gets; scripts add their own: env "${PODMON_ENV[@]}" X=Y podmon ...
podmon_env() {
  PODMON_ENV=(SERVER_PORT=0 SQL_HOST=127.0.0.1 SQL_PORT="$PODMON_TEST_MYSQL_PORT" SQL_USERNAME="$PODMON_TEST_MYSQL_USER"
    SQL_PASSWORD="$PODMON_TEST_MYSQL_PASSWORD" SQL_DBNAME="$PODMON_TEST_MYSQL_DB")
}

# control PATH JSON: a kube-sim control request.
control() {
  curl -fsS -X POST "$SIM/_sim/$1" -H 'Content-Type: application/json' -d "$2" >/dev/null || fail "control $1 $2"
}

# eventually SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds; after SECONDS runs it
# once more and returns its status (so its output can explain the failure).
eventually() {
  local t=$1 _
  shift
  for _ in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  "$@"
}

# start_sinks_sim: the Elasticsearch and Slack test servers; exports ELASTICSEARCH_URL,
# SLACK_API_URL, SLACK_TOKEN and SINKS_SIM_CONTROL (its control port, see sinks_control_server.h).
start_sinks_sim() {
  "$BIN_DIR/sinks-sim" --env-file "$WORK/sinks.env" >"$WORK/sinks.log" 2>&1 &
  e2e_track $!
  local _
  for _ in $(seq 100); do [[ -s "$WORK/sinks.env" ]] && break; sleep 0.1; done
  [[ -s "$WORK/sinks.env" ]] || fail "sinks-sim did not start"
  # shellcheck disable=SC1091
  . "$WORK/sinks.env"
}
# sinks PATH: a sinks-sim control request (faults, or reading what arrived).
sinks() { curl -fsS "$SINKS_SIM_CONTROL/$1"; }

# start_podmon [VAR=VALUE...]: podmon with the test settings (podmon_env) plus these, against
# $WORK/kubeconfig; stdout appended to $WORK/podmon.out, stderr to $WORK/podmon.log. Returns once
# podmon has listed the pods; sets PODMON_PID.
start_podmon() {
  podmon_env
  local before=0 _
  [[ -f "$WORK/podmon.log" ]] && before=$(grep -c "listed .* pods" "$WORK/podmon.log" || true)
  env "${PODMON_ENV[@]}" "$@" "$BIN_DIR/podmon" --kubeconfig "$WORK/kubeconfig" >>"$WORK/podmon.out" 2>>"$WORK/podmon.log" &
  PODMON_PID=$!
  e2e_track "$PODMON_PID"
  for _ in $(seq 300); do
    (( $(grep -c "listed .* pods" "$WORK/podmon.log" 2>/dev/null || true) > before )) && return 0
    kill -0 "$PODMON_PID" 2>/dev/null || fail "podmon exited at start-up"
    sleep 0.1
  done
  fail "podmon did not list pods"
}
# kill_podmon: SIGKILL, as a crashed node or an OOM kill would.
kill_podmon() {
  kill -9 "$PODMON_PID" 2>/dev/null || true
  wait "$PODMON_PID" 2>/dev/null || true
  PODMON_PID=""
}
