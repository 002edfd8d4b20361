#!/usr/bin/env bash
# Fault suite, MySQL faults: MySQL killed with SIGKILL while crashes happen and restarted 15 s
# later; MySQL killed during watch drops and Slack 429s. podmon runs with ALERT_COOLDOWN=20s here,
# so repeated crashes of one container fold into one alert and thread follow-ups ("crashed N more
# times"), with the cooldown state in MySQL. Every crash must be recorded once, indexed once and
# alerted once or folded.
# Usage: mysql_faults.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/faults.sh
. "$HERE/lib/faults.sh"
faults_setup ALERT_COOLDOWN=20s
mysql_restart() { eval "$("$ROOT/tools/dev/mariadb-test-server" restart)" || fail "MariaDB did not restart"; }

scenario_begin "MySQL SIGKILLed for 15 s, then restarted" p-mysql
inject_rounds 1
"$ROOT/tools/dev/mariadb-test-server" kill
down_at=$SECONDS
inject_rounds 2
sleep $((15 - (SECONDS - down_at) > 0 ? 15 - (SECONDS - down_at) : 0))
mysql_restart
scenario_end

scenario_begin "MySQL SIGKILLed during watch drops and Slack 429s" p-mix
control faults/watches '{"dropEveryMs":2000}'
sinks "slack/429?n=3&retry=2" >/dev/null
inject_rounds 1
"$ROOT/tools/dev/mariadb-test-server" kill
inject_rounds 1
sleep 5
mysql_restart
inject_rounds 1
scenario_end
control faults/watches '{}'
faults_finish
