#!/usr/bin/env bash
# Crash fingerprints end to end (issue 11): kube-sim, a private MariaDB, sinks-sim and podmon.
#  - two pods of one Deployment crash with the same Go panic (different timestamps, request ids,
#    ports, goroutine ids, addresses): one fingerprint; a Java error in another Deployment: another;
#  - the first alert says "New failure", the second "Seen before: seen 2 times since ... in 2 pods";
#  - MySQL keeps the fingerprint with each crash and in podmon_fingerprints / _pods; the
#    Elasticsearch documents carry it; podmonctl crashes list --group-by fingerprint lists both.
# Usage: fingerprints.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
eventually() {  # seconds command...
  local t=$1; shift
  for _ in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  "$@"
}

start_mariadb
"$BIN_DIR/sinks-sim" --env-file "$WORK/sinks.env" >"$WORK/sinks.log" 2>&1 &
e2e_track $!
start_kube_sim "$HERE/../testdata/kube-sim/fingerprints_e2e.yaml"
for _ in $(seq 100); do [[ -s "$WORK/sinks.env" ]] && break; sleep 0.1; done
[[ -s "$WORK/sinks.env" ]] || fail "sinks-sim did not start"
# shellcheck disable=SC1091
. "$WORK/sinks.env"
podmon_env
# ALERT_COOLDOWN=0: every crash is alerted (the two pods share a Deployment, so the default cooldown
# would fold the second crash into a follow-up of the first).
PODMON_ENV+=(CLUSTER_NAME=e2e ELASTICSEARCH_URL="$ELASTICSEARCH_URL" SLACK_API_URL="$SLACK_API_URL"
  SLACK_TOKEN="$SLACK_TOKEN" SLACK_CHANNEL=pod-crash-alerts ALERT_COOLDOWN=0)
env "${PODMON_ENV[@]}" "$BIN_DIR/podmon" --kubeconfig "$WORK/kubeconfig" >"$WORK/podmon.out" 2>"$WORK/podmon.log" &
e2e_track $!
for _ in $(seq 300); do grep -q "listed .* pods" "$WORK/podmon.log" 2>/dev/null && break; sleep 0.1; done
grep -q "listed .* pods" "$WORK/podmon.log" || fail "podmon did not list the pods"

# crash NS POD CONTAINER REASON EXIT LOG: the log text becomes the crashed instance's log.
crash() {
  local body
  body=$(python3 -c 'import json, sys; print(json.dumps({"namespace": sys.argv[1], "pod": sys.argv[2],
    "container": sys.argv[3], "reason": sys.argv[4], "exitCode": int(sys.argv[5]), "log": sys.argv[6]}))' "$@")
  control crash "$body"
}
sinks() { curl -fsS "$SINKS_SIM_CONTROL/$1"; }
rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
count_is() { [[ "$("$1")" == "$2" ]]; }
fingerprint_of() { sql "SELECT fingerprint FROM k8s_pod_crash WHERE podname='$1'"; }
# The top-level Slack message texts that name POD, one per line.
alerts_for() {
  sinks slack/messages | python3 -c 'import json, sys
for m in json.load(sys.stdin):
    if m["thread_ts"] == "" and sys.argv[1] in m["text"]: print(m["text"])' "$1"
}
alert_count_is() { [[ "$(alerts_for "$1" | wc -l)" == "$2" ]]; }

GO_PANIC_1='2026-11-22T01:00:00.123Z request_id=7f3c2a91 GET /orders/81723 from 10.42.0.17:51234 took 12.5ms
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6a5b2c]

goroutine 52 [running]:
github.com/acme/orders/internal/store.(*Repo).Find(0x0, {0x7ea1c0, 0xc0001a2000}, 0x13f7b)
	/src/internal/store/repo.go:88 +0x2c
main.main()
	/src/main.go:31 +0x1d'
GO_PANIC_2='2026-11-22T01:07:41.998Z request_id=0b9e77d1c4 GET /orders/5 from 10.42.3.201:40022 took 3.1s
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6a5f10]

goroutine 1337 [running]:
github.com/acme/orders/internal/store.(*Repo).Find(0x0, {0x7eb3c0, 0xc000482000}, 0x5)
	/src/internal/store/repo.go:88 +0x2c
main.main()
	/src/main.go:31 +0x1d'
JAVA_ERROR='2026-11-22 01:08:00.001 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
Exception in thread "main" java.lang.IllegalStateException: Invoice 4711 has no customer
	at com.acme.billing.InvoiceService.charge(InvoiceService.java:142)
	at com.acme.billing.Main.main(Main.java:12)'

step "the first crash of a failure is new"
crash shop orders-6d4cf56db6-h7x2k orders Error 2 "$GO_PANIC_1"
eventually 60 count_is rows 1 || fail "first crash not recorded"
eventually 60 alert_count_is orders-6d4cf56db6-h7x2k 1 || fail "no alert for the first crash"
first_alert=$(alerts_for orders-6d4cf56db6-h7x2k)
[[ "$first_alert" == *"New failure"* ]] || fail "the first alert does not say new failure: $first_alert"
[[ "$first_alert" != *"Seen before"* ]] || fail "the first alert says seen before: $first_alert"
echo "first alert: $first_alert"

step "the same failure in another pod of the Deployment was seen before"
crash shop orders-6d4cf56db6-p9q8r orders Error 2 "$GO_PANIC_2"
eventually 60 count_is rows 2 || fail "second crash not recorded"
eventually 60 alert_count_is orders-6d4cf56db6-p9q8r 1 || fail "no alert for the second crash"
second_alert=$(alerts_for orders-6d4cf56db6-p9q8r)
[[ "$second_alert" == *"Seen before: seen 2 times since "*" in 2 pods"* ]] ||
  fail "the second alert does not say seen before (2 times, 2 pods): $second_alert"
[[ "$second_alert" != *"New failure"* ]] || fail "the second alert says new failure: $second_alert"
echo "second alert: $second_alert"

step "another error is another failure"
crash shop billing-5f6f7cf698-75crd billing Error 1 "$JAVA_ERROR"
eventually 60 count_is rows 3 || fail "third crash not recorded"
eventually 60 alert_count_is billing-5f6f7cf698-75crd 1 || fail "no alert for the billing crash"
[[ "$(alerts_for billing-5f6f7cf698-75crd)" == *"New failure"* ]] || fail "the billing alert does not say new failure"

fp1=$(fingerprint_of orders-6d4cf56db6-h7x2k)
fp2=$(fingerprint_of orders-6d4cf56db6-p9q8r)
fp3=$(fingerprint_of billing-5f6f7cf698-75crd)
[[ "$fp1" =~ ^[0-9a-f]{16}$ ]] || fail "fingerprint '$fp1' is not 16 hex digits"
[[ "$fp1" == "$fp2" ]] || fail "the same panic in two pods got two fingerprints: $fp1 $fp2"
[[ "$fp3" =~ ^[0-9a-f]{16}$ && "$fp3" != "$fp1" ]] || fail "another error did not get another fingerprint: $fp1 $fp3"

step "MySQL, Elasticsearch and podmonctl"
[[ "$(sql "SELECT CONCAT(count, ' ', sample_reason, ' ', sample_exit_code) FROM podmon_fingerprints WHERE fingerprint='$fp1'")" == "2 Error 2" ]] ||
  fail "podmon_fingerprints row of $fp1: $(sql "SELECT * FROM podmon_fingerprints")"
[[ "$(sql "SELECT COUNT(*) FROM podmon_fingerprint_pods WHERE fingerprint='$fp1'")" == 2 ]] || fail "$fp1 not seen in 2 pods"
[[ "$(sql "SELECT fingerprint_count FROM k8s_pod_crash WHERE podname='orders-6d4cf56db6-p9q8r'")" == 2 ]] ||
  fail "the second crash does not keep its history"
key=$(sql "SELECT crash_key FROM k8s_pod_crash WHERE podname='orders-6d4cf56db6-p9q8r'")
doc=""
for _ in $(seq 600); do doc=$(sinks "es/doc?index=k8s-crash-monitor-$(date -u +%Y.%m.%d)&id=$key" 2>/dev/null) && break; sleep 0.1; done
[[ "$doc" == *"\"fingerprint\":\"$fp1\""* && "$doc" == *'"fingerprint_count":2'* ]] ||
  fail "the Elasticsearch document lacks the fingerprint: $doc"
ctl=(env SQL_HOST=127.0.0.1 SQL_PORT="$PODMON_TEST_MYSQL_PORT" SQL_USERNAME="$PODMON_TEST_MYSQL_USER"
  SQL_PASSWORD="$PODMON_TEST_MYSQL_PASSWORD" SQL_DBNAME="$PODMON_TEST_MYSQL_DB" CLUSTER_NAME=e2e "$BIN_DIR/podmonctl")
"${ctl[@]}" crashes list --group-by fingerprint >"$WORK/grouped.out" 2>"$WORK/grouped.log" || fail "podmonctl crashes list --group-by fingerprint"
head -1 "$WORK/grouped.out" | grep -q "^FINGERPRINT  *COUNT  *FIRST SEEN  *LAST SEEN  *PODS" || fail "no table header: $(cat "$WORK/grouped.out")"
sed -n 2p "$WORK/grouped.out" | grep -Eq "^$fp1  +2  +[0-9T:.Z-]+  +[0-9T:.Z-]+  +2  +1  +Error  +2 " ||
  fail "the Go panic is not listed first with 2 crashes in 2 pods: $(cat "$WORK/grouped.out")"
grep -q "^$fp3  *1 " "$WORK/grouped.out" || fail "the Java error is not listed: $(cat "$WORK/grouped.out")"
grep -q "fingerprint=$fp1 seen=2" "$WORK/podmon.out" || fail "podmon's crash line lacks the fingerprint: $(cat "$WORK/podmon.out")"
echo "fingerprints: one failure in 2 pods ($fp1: new, then seen before), another error $fp3"
