#!/usr/bin/env bash
# Elasticsearch on AWS with IRSA end to end: kube-sim, a private MariaDB, sinks-sim (its
# Elasticsearch stand-in checking SigV4 like Amazon OpenSearch Service, accepting the credentials
# its STS stand-in issues) and the podmon binary with AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE.
#  - crashes are indexed, signed with credentials from AssumeRoleWithWebIdentity;
#  - the credentials live 20 s: they are refreshed during the run (the kubelet's token rotated in
#    between, the new one sent), the expired ones refused by Elasticsearch, every crash indexed once;
#  - STS down while the credentials expire: crashes stay owed, podmon says why (web identity, no
#    answer), and they are indexed once STS is back;
#  - STS down when podmon starts: podmon runs, the crash is recorded and owed (pending, podmonctl
#    shows it), the log says why, and it is indexed once STS is up;
#  - no token, secret key or session token in podmon's output, the outbox or podmonctl's output.
# Usage: aws_web_identity.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

start_sinks_sim
curl -fsS "$SINKS_SIM_CONTROL/es/sigv4-rejections" >/dev/null || fail "sinks-sim has no SigV4-verifying Elasticsearch stand-in"
start_mariadb
start_kube_sim "$HERE/../testdata/kube-sim/pipeline_e2e.yaml"

TOKEN1=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cG9kbW9uIiwibiI6MX0.c2lnbmF0dXJlLW9uZQ
TOKEN2=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cG9kbW9uIiwibiI6Mn0.c2lnbmF0dXJlLXR3bw
echo "$TOKEN1" >"$WORK/token"
# Signing checked for eu-west-1/es; the key given here is never used: the STS stand-in's
# credentials are accepted as it issues them.
sinks "es/sigv4?access_key_id=AKIDUNUSEDEXAMPLE&secret=unused&region=eu-west-1&service=es" >/dev/null
sinks "aws/sts/token?value=$TOKEN1" >/dev/null
sinks "aws/lifetime?seconds=20" >/dev/null

AWS_ENV=(ELASTICSEARCH_AWS_SIGV4=true AWS_REGION=eu-west-1 AWS_ROLE_ARN=arn:aws:iam::111122223333:role/podmon
  AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/token" AWS_ENDPOINT_URL_STS="$SINKS_SIM_AWS_URL" AWS_EC2_METADATA_DISABLED=true)
podmon_env
env "${PODMON_ENV[@]}" CLUSTER_NAME=e2e ELASTICSEARCH_URL="$ELASTICSEARCH_URL" "${AWS_ENV[@]}" \
  "$BIN_DIR/podmon" migrate >"$WORK/migrate.log" 2>&1 || fail "podmon migrate"
start_podmon CLUSTER_NAME=e2e SLACK_NOTIFY=false ELASTICSEARCH_URL="$ELASTICSEARCH_URL" "${AWS_ENV[@]}"

# Crash N of the scenario's web pod (each crash is a new record and document).
crash() {
  control crash "{\"namespace\":\"shop\",\"pod\":\"web-6d4cf56db6-h7x2k\",\"container\":\"web\",\"reason\":\"Error\",\"exitCode\":1,\"log\":\"crash ${1#web-}\\n\"}"
}
es_total() { sinks es/indices | grep -o ':[0-9]*' | tr -d : | awk '{s+=$1} END {print s+0}'; }
count_is() { [[ "$("$1")" == "$2" ]]; }
rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
# The newest crash is owed to Elasticsearch (pending). With no credentials at start the sink's
# start-up check fails before any bulk is tried, so last_error may still be empty: the log says why.
owed() {
  [[ "$(sql "SELECT COUNT(*) FROM podmon_outbox WHERE sink = 'elasticsearch' AND state = 'pending'
             AND crash_id = (SELECT MAX(id) FROM k8s_pod_crash)")" == 1 ]]
}
# podmon's log, since line $log_mark, says STS did not answer for the web identity credentials.
said_sts_down() { tail -n +"$((log_mark + 1))" "$WORK/podmon.log" | grep -q "web identity (role .*: no answer"; }
stop_podmon() {
  kill -TERM "$PODMON_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$PODMON_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PODMON_PID" 2>/dev/null || true
  wait "$PODMON_PID" 2>/dev/null || true
}
sts_requests() { sinks aws/requests | grep -o '"sts":[0-9]*' | cut -d: -f2; }
# Every session token issued but the current one is refused by Elasticsearch as expired from now on.
expire_old_tokens() {
  local body current t
  body=$(sinks aws/credentials)
  current=$(echo "$body" | grep -o '"current":{[^}]*}' | grep -o '"session_token":"[^"]*"' | cut -d'"' -f4 || true)
  for t in $(echo "$body" | grep -o '"session_token":"[^"]*"' | cut -d'"' -f4 | sort -u); do
    [[ "$t" == "$current" ]] && continue
    curl -fsS -G "$SINKS_SIM_CONTROL/es/sigv4-expire" --data-urlencode "session_token=$t" >/dev/null ||
      fail "could not expire a session token"
  done
}

step "crashes indexed, signed with web identity credentials"
crash web-1
crash web-2
eventually 30 count_is es_total 2 || fail "expected 2 documents, got $(es_total)"
[[ "$(sts_requests)" -ge 1 ]] || fail "STS was never asked"

step "credentials refreshed during the run, the rotated token sent"
echo "$TOKEN2" >"$WORK/token"
sinks "aws/sts/token?value=$TOKEN2" >/dev/null
for i in $(seq 3 10); do
  crash "web-$i"
  sleep 4
  expire_old_tokens
done
eventually 60 count_is es_total 10 || fail "expected 10 documents, got $(es_total)"
[[ "$(sts_requests)" -ge 3 ]] || fail "credentials not refreshed: $(sts_requests) STS requests in 40 s of 20 s credentials"

step "STS down while the credentials expire"
log_mark=$(wc -l <"$WORK/podmon.log")
sinks aws/down >/dev/null
sleep 22
expire_old_tokens
crash web-11
sleep 8
[[ "$(es_total)" == 10 ]] || fail "a crash was indexed with no valid credentials"
said_sts_down || fail "podmon did not say the web identity credentials could not be had from STS"
sinks aws/up >/dev/null
eventually 90 count_is es_total 11 || fail "the owed crash was not indexed after STS came back: $(es_total)"

step "STS down at start: the crash is recorded and owed, podmon says why, indexed once STS is back"
stop_podmon
log_mark=$(wc -l <"$WORK/podmon.log")
rows_before=$(rows)
sinks aws/down >/dev/null
start_podmon CLUSTER_NAME=e2e SLACK_NOTIFY=false ELASTICSEARCH_URL="$ELASTICSEARCH_URL" "${AWS_ENV[@]}"
crash web-12
eventually 30 count_is rows $((rows_before + 1)) || fail "the crash was not recorded with STS down"
eventually 30 owed || fail "the crash is not owed to Elasticsearch"
sql "SELECT last_error FROM podmon_outbox WHERE last_error IS NOT NULL" >"$WORK/last_error.out"
env "${PODMON_ENV[@]}" "$BIN_DIR/podmonctl" outbox status >"$WORK/outbox.out" 2>&1 || fail "podmonctl outbox status"
awk '$1 == "elasticsearch" { found = 1; if ($2 < 1 || $4 != 0) exit 1 } END { exit !found }' "$WORK/outbox.out" ||
  fail "podmonctl does not show the crash owed (pending, none dead): $(cat "$WORK/outbox.out")"
said_sts_down || fail "podmon did not say the web identity credentials could not be had from STS"
[[ "$(es_total)" == 11 ]] || fail "a crash was indexed with no credentials"
sinks aws/up >/dev/null
eventually 90 count_is es_total 12 || fail "the owed crash was not indexed after STS came up: $(es_total)"

step "no secret in podmon's output"
secrets=$(sinks aws/credentials | grep -o '"\(secret_access_key\|session_token\)":"[^"]*"' | cut -d'"' -f4)
for s in $secrets $TOKEN1 $TOKEN2; do
  if grep -qF -- "$s" "$WORK/podmon.log" "$WORK/podmon.out" "$WORK/last_error.out" "$WORK/outbox.out"; then
    fail "a secret is in podmon's output, the outbox's last_error or podmonctl's output"
  fi
done
echo "PASS"
