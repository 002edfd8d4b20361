#!/usr/bin/env bash
# podmonctl as a process against the test MariaDB: the menu with answers piped into stdin, then the
# same state through the command line (table and JSON), a refused bad input that changes nothing,
# the audit rows, and the password never printed. Usage: podmonctl_menu.sh BIN_DIR
set -euo pipefail

BIN_DIR=${1:?usage: $0 BIN_DIR}
CTL="$BIN_DIR/podmonctl"
[[ -x "$CTL" ]] || { echo "FAIL: $CTL not built" >&2; exit 1; }
if [[ -z "${PODMON_TEST_MYSQL_HOST:-}" ]]; then
  echo "SKIP: PODMON_TEST_MYSQL_* not set (eval \"\$(tools/dev/mariadb-test-server start)\")"
  exit 77
fi

WORK=$(mktemp -d)
DB="podmonctl_e2e_$$"
MYSQL=(mariadb --no-defaults -h "$PODMON_TEST_MYSQL_HOST" -P "$PODMON_TEST_MYSQL_PORT" -u "$PODMON_TEST_MYSQL_USER"
  "-p$PODMON_TEST_MYSQL_PASSWORD" -N -B)
cleanup() {
  "${MYSQL[@]}" -e "DROP DATABASE IF EXISTS \`$DB\`" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.out "$WORK"/*.err; do [[ -f "$f" ]] && { echo "--- $f" >&2; cat "$f" >&2; }; done
  exit 1
}
sql() { "${MYSQL[@]}" "$DB" -e "$1"; }

"${MYSQL[@]}" -e "CREATE DATABASE \`$DB\`"
# The password from a file, as a Kubernetes Secret would mount it.
printf '%s\n' "$PODMON_TEST_MYSQL_PASSWORD" >"$WORK/sql-password"
export SQL_HOST="$PODMON_TEST_MYSQL_HOST" SQL_PORT="$PODMON_TEST_MYSQL_PORT" SQL_USERNAME="$PODMON_TEST_MYSQL_USER"
export SQL_PASSWORD_FILE="$WORK/sql-password" SQL_DBNAME="$DB" CLUSTER_NAME=prod
unset SQL_PASSWORD

"$CTL" migrate >"$WORK/migrate.out" 2>"$WORK/migrate.err" || fail "migrate failed"
grep -q "^Applied .* migration(s)" "$WORK/migrate.out" || fail "migrate did not say what it applied"

# The original utility's choices, typed into a pipe: add a route, ignore a container, list both.
printf '%s\n' 4 '' payments '#pay-alerts' 3 '' payments istio-proxy 1 2 0 |
  "$CTL" menu --actor e2e >"$WORK/menu.out" 2>"$WORK/menu.err" || fail "menu exited with $?"
grep -q "1. View all slack channels configured." "$WORK/menu.out" || fail "menu not shown"
grep -q "Route added: crashes in prod/payments now go to #pay-alerts." "$WORK/menu.out" || fail "route not added"
grep -q "Ignoring container istio-proxy in prod/payments" "$WORK/menu.out" || fail "ignore not added"
grep -q "^prod     payments   #pay-alerts$" "$WORK/menu.out" || fail "route not listed"
grep -q "Utility exited." "$WORK/menu.out" || fail "menu did not end"
[[ $(sql "SELECT slack_channel FROM k8s_pod_crash_notify WHERE clustername='prod' AND namespace='payments'") == "#pay-alerts" ]] ||
  fail "route not in MySQL"

# Without `menu`, a pipe is no terminal: usage error, no menu.
code=0
echo 0 | "$CTL" >"$WORK/nomenu.out" 2>"$WORK/nomenu.err" || code=$?
[[ $code -eq 2 ]] || fail "no command on a pipe exited with $code, not 2"

# The command line sees what the menu wrote.
"$CTL" routes test payments -o json >"$WORK/test.out" 2>"$WORK/test.err" || fail "routes test failed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["channel"]=="#pay-alerts" and d["channel_source"]=="route", d' \
  "$WORK/test.out" || fail "routes test JSON"
"$CTL" routes list --output json >"$WORK/list.out" || fail "routes list failed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d==[{"cluster":"prod","namespace":"payments","channel":"#pay-alerts"}], d' \
  "$WORK/list.out" || fail "routes list JSON"

# Bad input: exit 2, a message naming the problem, nothing written.
before=$(sql "SELECT COUNT(*) FROM podmon_audit")
code=0
"$CTL" routes set Payments '#x' >"$WORK/bad.out" 2>"$WORK/bad.err" || code=$?
[[ $code -eq 2 ]] || fail "bad namespace exited with $code, not 2"
grep -q "namespace 'Payments' is not a DNS-1123 label" "$WORK/bad.err" || fail "unclear error"
[[ $(sql "SELECT COUNT(*) FROM k8s_pod_crash_notify") == 1 ]] || fail "bad input changed the routes"
[[ $(sql "SELECT COUNT(*) FROM podmon_audit") == "$before" ]] || fail "bad input wrote an audit row"

# Removing twice: the second says so and exits 1.
"$CTL" routes remove payments >"$WORK/remove.out" 2>&1 || fail "remove failed"
code=0
"$CTL" routes remove payments >"$WORK/remove2.out" 2>"$WORK/remove2.err" || code=$?
[[ $code -eq 1 ]] || fail "removing a missing route exited with $code, not 1"

[[ $(sql "SELECT COUNT(*) FROM podmon_audit WHERE actor='e2e'") == 2 ]] || fail "menu changes not audited as e2e"
[[ $(sql "SELECT COUNT(*) FROM podmon_audit WHERE action='route.remove'") == 1 ]] || fail "remove not audited"

# The password is never printed, not even by --help or an error.
"$CTL" --help >"$WORK/help.out" 2>&1
SQL_PASSWORD="$PODMON_TEST_MYSQL_PASSWORD-wrong" "$CTL" routes list >"$WORK/denied.out" 2>&1 && fail "wrong password accepted"
if grep -rqF -- "$PODMON_TEST_MYSQL_PASSWORD" "$WORK"/*.out "$WORK"/*.err; then fail "the password was printed"; fi
echo "PASS: podmonctl menu, commands, JSON, errors and audit against MariaDB"
