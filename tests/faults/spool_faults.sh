#!/usr/bin/env bash
# Fault suite, the local spool (SPOOL_DIR): MySQL SIGKILLed, crashes during the outage, podmon
# SIGKILLed before MySQL returns, podmon started again while MySQL is still down, then MySQL back:
# every crash must be its own row (no restart_delta > 1) with its own log, indexed once and
# alerted exactly once (ALERT_COOLDOWN=0). Then the same with a spool whose last record was cut
# short (podmon killed mid-write), and with a spool too small for the outage (SPOOL_MAX_BYTES):
# logs dropped first (logs_status says so), then the watch waits; nothing lost either way.
# Usage: spool_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup SPOOL_DIR="$WORK/spool"
SPOOL_FILE="$WORK/spool/crashes.spool"
mysql_restart() { eval "$("$ROOT/tools/dev/mariadb-test-server" restart)" || fail "MariaDB did not restart"; }
listed_count() { grep -c "listed .* pods" "$WORK/podmon.log" 2>/dev/null || true; }
spooled_count() { grep "namespace=$SCENARIO_NS " "$WORK/podmon.out" 2>/dev/null | grep -c " spooled" || true; }
# (eventually runs a command again and again: these count afresh each time.)
spooled_at_least() { (( $(spooled_count) >= $1 )); }
listed_more_than() { (( $(listed_count) > $1 )); }
# wait_spooled N: until N crashes of this scenario are in the spool (podmon printed them as spooled).
wait_spooled() {
  eventually 60 spooled_at_least "$1" || fail "only $(spooled_count) of $1 crashes spooled"
}
# The first part of a scenario, all delivered before MySQL goes, so no delivery is in flight.
baseline_round() {
  inject_rounds 1
  eventually 60 scenario_complete "" || fail "the first round did not arrive"
}
# podmon started while MySQL is down waits for the store before its first list; MySQL comes back
# after a few seconds, and the spool is stored before the container state is loaded.
restart_podmon_then_mysql() {
  local before
  before=$(listed_count)
  podmon_env
  env "${PODMON_ENV[@]}" "${PODMON_SETTINGS[@]}" "$BIN_DIR/podmon" --kubeconfig "$WORK/kubeconfig" \
    >>"$WORK/podmon.out" 2>>"$WORK/podmon.log" &
  PODMON_PID=$!
  e2e_track "$PODMON_PID"
  sleep 3
  kill -0 "$PODMON_PID" 2>/dev/null || fail "podmon exited at start-up with MySQL down"
  mysql_restart
  eventually 60 listed_more_than "$before" || fail "podmon did not list pods after MySQL returned"
}
# Each row covers one restart and holds the log of that crash (kube-sim's "POD crash N: ...").
check_rows_and_logs() {
  local merged wrong
  merged=$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = '$SCENARIO_NS' AND IFNULL(restart_delta, 1) > 1")
  [[ "$merged" == 0 ]] || fail "$SCENARIO: $merged rows merge several crashes (restart_delta > 1)"
  wrong=$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = '$SCENARIO_NS' AND logs_status = 'captured'
               AND logs NOT LIKE CONCAT('%', podname, ' crash ', restartcount, ':%')")
  [[ "$wrong" == 0 ]] || fail "$SCENARIO: $wrong rows hold another crash's log"
}

scenario_begin "MySQL SIGKILLed, crashes spooled, podmon SIGKILLed, restarted before MySQL returns" p-spool
baseline_round
"$ROOT/tools/dev/mariadb-test-server" kill
inject_rounds 3
wait_spooled $((3 * FAULT_PODS))
kill_podmon
restart_podmon_then_mysql
scenario_end
check_rows_and_logs
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 'p-spool' AND logs_status = 'captured'")" == $((4 * FAULT_PODS)) ]] ||
  fail "not every crash kept its own log"
[[ ! -s "$SPOOL_FILE" || "$(stat -c %s "$SPOOL_FILE")" -le 12 ]] || fail "the spool was not emptied"

scenario_begin "spool with a truncated last record (podmon killed mid-write)" p-spool-cut
baseline_round
"$ROOT/tools/dev/mariadb-test-server" kill
inject_rounds 2
wait_spooled $((2 * FAULT_PODS))
kill_podmon
# Half of a record: a length of 4000 bytes and a checksum, then 5 bytes.
printf '\240\017\000\000\001\002\003\004hello' >>"$SPOOL_FILE"
restart_podmon_then_mysql
scenario_end
check_rows_and_logs
grep -q "spool .*crashes.spool: a truncated record" "$WORK/podmon.log" || fail "no warning about the cut spool tail"

# inject_padded_rounds N: like inject_rounds, each crash's log padded to 20 KB, so a spool of a
# few KB fills with logs first.
inject_padded_rounds() {
  local r i n key pad
  pad=$(head -c 20000 /dev/zero | tr "\\0" x)
  for r in $(seq "$1"); do
    for i in $(seq "$FAULT_PODS"); do
      key="$SCENARIO_NS/p$i-0"
      n=$((${FAULT_RESTARTS[$key]} + 1))
      control crash "{\"namespace\":\"$SCENARIO_NS\",\"pod\":\"p$i-0\",\"container\":\"app\",\"reason\":\"Error\",
        \"exitCode\":$r,\"log\":\"p$i-0 crash $n: Error: module $(pod_word "$i") failed $pad\\n\"}"
      FAULT_RESTARTS[$key]=$n
      printf '%s\t%s\tapp\t%s\n' "$SCENARIO_NS" "p$i-0" "$n" >>"$SCENARIO_DIR/injected.tsv"
      sleep 0.25
    done
  done
}

scenario_begin "spool full (SPOOL_MAX_BYTES=48Ki) during a MySQL outage" p-spool-full
baseline_round
kill_podmon
PODMON_SETTINGS+=(SPOOL_MAX_BYTES=48Ki)
restart_podmon
"$ROOT/tools/dev/mariadb-test-server" kill
down_at=$SECONDS
inject_padded_rounds 3
eventually 60 grep -q "is full .*SPOOL_MAX_BYTES" "$WORK/podmon.log" || fail "the spool never filled"
sleep $((15 - (SECONDS - down_at) > 0 ? 15 - (SECONDS - down_at) : 0))
mysql_restart
scenario_end
[[ "$(sql "SELECT COUNT(*) FROM k8s_pod_crash WHERE namespace = 'p-spool-full'
           AND logs_status LIKE 'unavailable: dropped from the spool%'")" -ge 1 ]] ||
  fail "no crash was spooled without its log"
faults_finish
