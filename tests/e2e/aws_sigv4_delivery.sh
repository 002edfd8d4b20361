#!/usr/bin/env bash
# Amazon OpenSearch Service end to end: kube-sim, a private MariaDB, sinks-sim with its SigV4 check
# on (it answers like AWS: 403 with AWS's bodies) and the podmon binary with ELASTICSEARCH_AWS_SIGV4.
#  1. static keys (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): the crash is indexed, no request refused;
#  2. temporary keys with AWS_SESSION_TOKEN: indexed;
#  3. a wrong secret key: the crash stays owed (podmonctl outbox shows it pending, not dead), podmon's
#     log says the signature was rejected and names the key id, and no secret (secret keys, session
#     token, a signature) is in podmon's stdout/stderr, the outbox's last_error or podmonctl's output;
#  4. no region: podmon stops at start-up with an error naming AWS_REGION.
# Usage: aws_sigv4_delivery.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

REGION=eu-west-1
STATIC_KEY=AKIAE2ESTATIC0000001
STATIC_SECRET="e2eStaticSecret/leakcheck+0123456789abcdefgh"
TEMP_KEY=ASIAE2ETEMPORARY0001
TEMP_SECRET="e2eTempSecret/leakcheck+abcdefghij0123456789"
TEMP_TOKEN="IQoJb3JpZ2luX2VjE2ESESSIONTOKENleakcheck0123456789/abc+def=="
WRONG_SECRET="e2eWrongSecret/leakcheck+zyxwvutsrq9876543210"
SECRETS=("$STATIC_SECRET" "$TEMP_SECRET" "$TEMP_TOKEN" "$WRONG_SECRET")
urlencode() { python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

start_mariadb
start_kube_sim "$HERE/../testdata/kube-sim/pipeline_e2e.yaml"
start_sinks_sim
podmon_env
env "${PODMON_ENV[@]}" CLUSTER_NAME=e2e SLACK_NOTIFY=false "$BIN_DIR/podmon" migrate >"$WORK/migrate.log" 2>&1 ||
  fail "podmon migrate"
sinks_post() { curl -fsS -X POST "$SINKS_SIM_CONTROL/$1" >/dev/null || fail "sinks-sim control $1"; }
sinks_post "es/sigv4?access_key_id=$STATIC_KEY&secret=$(urlencode "$STATIC_SECRET")&region=$REGION&service=es"
sinks_post "es/sigv4?access_key_id=$TEMP_KEY&secret=$(urlencode "$TEMP_SECRET")&session_token=$(urlencode "$TEMP_TOKEN")&region=$REGION&service=es"

es_total() { sinks es/indices | grep -o ':[0-9]*' | tr -d : | awk '{s+=$1} END {print s+0}'; }
rejections() { sinks es/sigv4-rejections | grep -o '[0-9][0-9]*'; }
rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
count_is() { [[ "$("$1")" == "$2" ]]; }
crash_no=0
crash() {
  crash_no=$((crash_no + 1))
  control crash "{\"namespace\":\"shop\",\"pod\":\"web-6d4cf56db6-h7x2k\",\"container\":\"web\",\"reason\":\"Error\",\"exitCode\":1,\"log\":\"crash $crash_no\\n\"}"
}
stop_podmon() {
  kill -TERM "$PODMON_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$PODMON_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PODMON_PID" 2>/dev/null || true
  wait "$PODMON_PID" 2>/dev/null || true
}
SIGV4=(CLUSTER_NAME=e2e SLACK_NOTIFY=false LOG_LEVEL=debug ELASTICSEARCH_URL="$ELASTICSEARCH_URL"
  ELASTICSEARCH_AWS_SIGV4=true AWS_REGION="$REGION")

step "1. static keys"
start_podmon "${SIGV4[@]}" AWS_ACCESS_KEY_ID="$STATIC_KEY" AWS_SECRET_ACCESS_KEY="$STATIC_SECRET"
grep -q "signed with SigV4 (service es, region $REGION" "$WORK/podmon.log" || fail "the start-up line does not say SigV4"
crash
eventually 30 count_is es_total 1 || fail "the crash was not indexed with static keys (documents: $(es_total))"
[[ "$(rejections)" == 0 ]] || fail "the SigV4 check refused $(rejections) requests signed with static keys"
stop_podmon

step "2. temporary keys with a session token (from a file)"
printf '%s\n' "$TEMP_TOKEN" >"$WORK/session-token"
start_podmon "${SIGV4[@]}" AWS_ACCESS_KEY_ID="$TEMP_KEY" AWS_SECRET_ACCESS_KEY="$TEMP_SECRET" \
  AWS_SESSION_TOKEN_FILE="$WORK/session-token"
crash
eventually 30 count_is es_total 2 || fail "the crash was not indexed with a session token (documents: $(es_total))"
[[ "$(rejections)" == 0 ]] || fail "the SigV4 check refused $(rejections) requests signed with a session token"
stop_podmon

step "3. a wrong secret key: owed, not dead, and no secret anywhere"
before=$(rejections)
rows_before=$(rows)
start_podmon "${SIGV4[@]}" AWS_ACCESS_KEY_ID="$TEMP_KEY" AWS_SECRET_ACCESS_KEY="$WRONG_SECRET" AWS_SESSION_TOKEN="$TEMP_TOKEN"
crash
eventually 30 count_is rows $((rows_before + 1)) || fail "the crash was not recorded"
tried() {
  [[ "$(sql "SELECT COUNT(*) FROM podmon_outbox WHERE sink = 'elasticsearch' AND state = 'pending'
             AND last_error IS NOT NULL AND crash_id = (SELECT MAX(id) FROM k8s_pod_crash)")" == 1 ]]
}
eventually 60 tried || fail "the bulk was not tried and refused"
[[ "$(rejections)" -gt "$before" ]] || fail "the SigV4 check refused nothing"
[[ "$(es_total)" == 2 ]] || fail "a document signed with a wrong key was indexed"
grep -q "rejected the request signature (HTTP 403) signed by access key id $TEMP_KEY" "$WORK/podmon.log" ||
  fail "podmon's log does not say the signature of $TEMP_KEY was rejected"
env "${PODMON_ENV[@]}" "$BIN_DIR/podmonctl" outbox status >"$WORK/outbox.out" 2>&1 || fail "podmonctl outbox status"
awk '$1 == "elasticsearch" { found = 1; if ($2 < 1 || $4 != 0) exit 1 } END { exit !found }' "$WORK/outbox.out" ||
  fail "podmonctl does not show the crash owed (pending, none dead): $(cat "$WORK/outbox.out")"
sql "SELECT last_error FROM podmon_outbox WHERE sink = 'elasticsearch' AND last_error IS NOT NULL" >"$WORK/last_error.out"
grep -q "signature we calculated does not match" "$WORK/last_error.out" || fail "last_error does not say why"
stop_podmon
for s in "${SECRETS[@]}"; do
  if grep -lF -- "$s" "$WORK"/podmon.out "$WORK"/podmon.log "$WORK"/outbox.out "$WORK"/last_error.out; then
    fail "a secret is in podmon's output, the store or podmonctl's output"
  fi
done
if grep -lE 'Signature=[0-9a-f]{64}|Canonical String' "$WORK"/podmon.out "$WORK"/podmon.log "$WORK"/outbox.out \
  "$WORK"/last_error.out; then
  fail "a signature or AWS's echoed canonical request is in podmon's output or the store"
fi

step "4. no region: a clear error at start-up"
if env "${PODMON_ENV[@]}" CLUSTER_NAME=e2e SLACK_NOTIFY=false ELASTICSEARCH_URL="$ELASTICSEARCH_URL" \
  ELASTICSEARCH_AWS_SIGV4=true AWS_ACCESS_KEY_ID="$STATIC_KEY" AWS_SECRET_ACCESS_KEY="$STATIC_SECRET" \
  "$BIN_DIR/podmon" --kubeconfig "$WORK/kubeconfig" >"$WORK/noregion.out" 2>"$WORK/noregion.err"; then
  fail "podmon started without AWS_REGION"
fi
grep -q "set AWS_REGION" "$WORK/noregion.err" || fail "the error does not name AWS_REGION: $(cat "$WORK/noregion.err")"
if grep -lF -- "$STATIC_SECRET" "$WORK/noregion.out" "$WORK/noregion.err"; then fail "the secret key was printed"; fi

echo "PASS: SigV4 delivery with static keys and a session token; a wrong key stays owed, said, and secret-free"
