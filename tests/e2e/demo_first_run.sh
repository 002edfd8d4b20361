#!/usr/bin/env bash
# The first run a newcomer makes (README: tools/dev/run -> `podmon demo`): podmon demo with no
# servers and no settings detects the demo scenario's crashes, prints each alert on the console and
# stores it in the SQLite file, where `podmonctl crashes list` finds it.
# Usage: demo_first_run.sh BIN_DIR
set -euo pipefail

BIN_DIR=${1:?usage: $0 BIN_DIR}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.out "$WORK"/*.err; do [[ -f "$f" ]] && { echo "--- $f" >&2; cat "$f" >&2; }; done
  exit 1
}

cd "$WORK"
# No server settings from the caller's environment (CI exports the test MariaDB's).
unset SQL_HOST ELASTICSEARCH_URL SLACK_TOKEN SLACK_WEBHOOK_URL INDEX_FILE KUBECONFIG CLUSTER_NAME SQLITE_PATH || true
# The scenario's first four crashes come 2, 3, 8 and 10 s after podmon starts watching; 20 s leaves
# a wide margin on a loaded machine, and the demo waits for their alerts before it stops.
timeout 120 "$BIN_DIR/podmon" demo --seconds 20 >demo.out 2>demo.err || fail "podmon demo exited with $?"

grep -q "store: SQLite ./podmon-demo.db (embedded; set SQL_HOST for MySQL in production)" demo.err ||
  fail "no start-up line naming the SQLite store"
grep -q "alerts: printed on the console" demo.err || fail "no start-up line for console alerts"
grep -q "indexing: off" demo.err || fail "no start-up line for indexing"
grep -q "Web view while it runs: http://127.0.0.1:[0-9]*/ui/ (no login: this machine only)" demo.out ||
  fail "the demo does not print the web view's URL"

# Console alerts: one readable block per crash, with the Slack message's content.
for expected in "Pod crash: shop/checkout-7d9c8b6f5d-x2k4q (checkout)" \
                "Pod crash: shop/search-indexer-7b5f9d6c8-t4v2n (migrate-schema)" \
                "Pod crash: shop/payments-api-6f8b9c7d4-p9z7m (api)" \
                "Pod crash: batch/nightly-report-28931760-k8s2x (report)"; do
  grep -qF "$expected" demo.out || fail "no console alert '$expected'"
done
grep -q "Reason:    OOMKilled" demo.out || fail "the OOMKilled alert lacks its reason field"
grep -q "java.lang.OutOfMemoryError: Java heap space" demo.out || fail "the OOMKilled alert lacks its log lines"
grep -q "Exit code: 42" demo.out || fail "the failed Job's alert lacks its exit code"
grep -q "== podmon demo summary: [0-9]* crash(es) recorded in ./podmon-demo.db" demo.out || fail "no summary"
grep -q "Your own cluster: .*podmon" demo.out || fail "no hint for a real cluster"
grep -q "podmonctl crashes list" demo.out || fail "no hint for podmonctl"

# What the demo stored, through podmonctl on the SQLite file.
SQLITE_PATH=./podmon-demo.db "$BIN_DIR/podmonctl" crashes list --all-clusters -o json >list.out 2>list.err ||
  fail "podmonctl crashes list failed"
for container in checkout migrate-schema api report; do
  grep -q "\"container\":\"$container\"" list.out || grep -q "\"container\": \"$container\"" list.out ||
    fail "podmonctl crashes list lacks the $container crash"
done
recorded=$(grep -o '"id"' list.out | wc -l)
summary=$(sed -n 's/^== podmon demo summary: \([0-9]*\) crash.*/\1/p' demo.out)
[[ "$recorded" == "$summary" ]] || fail "podmonctl lists $recorded crashes, the demo summary says $summary"
# Every recorded crash was alerted: the outbox holds nothing pending.
SQLITE_PATH=./podmon-demo.db "$BIN_DIR/podmonctl" outbox status -o json >outbox.out 2>outbox.err || fail "outbox status failed"
grep -q '"pending":0' outbox.out || grep -q '"pending": 0' outbox.out || fail "alerts still pending after the demo"
echo "PASS: demo recorded and alerted $recorded crashes; podmonctl lists them"
