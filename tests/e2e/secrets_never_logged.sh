#!/usr/bin/env bash
# Secrets stay secret, end to end: kube-sim, a private MariaDB, sinks-sim and the podmon binary.
#  1. Redaction: a crashed container's log full of secrets (bearer token, password=, AWS key,
#     private key block) reaches MySQL, Elasticsearch and Slack only with [REDACTED] in their place.
#  2. podmon's own output (stdout and stderr) never contains the SQL password, the Slack token, the
#     Elasticsearch password or API key or the Kubernetes token, at every LOG_LEVEL (trace, debug,
#     info, warn, error), on the working path and on each failure path: wrong SQL password,
#     Elasticsearch answering 401, Slack answering invalid_auth, the Kubernetes API answering 401.
#     Each failure path is shown to have been taken (the server saw the attempts) before grepping.
#     The API token (API_TOKEN), passed in the query string (?token=) and in an Authorization
#     header, right and wrong, is never logged either: podmon logs request paths without queries
#     and never header values (the debug-level access line shows the path was logged).
#  3. With LOG_FORMAT=json (the debug-level runs) every stderr line is one JSON object, whatever
#     the servers answered (their error bodies carry quotes) and however podmon stopped.
# Usage: secrets_never_logged.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

# Distinctive secret values: any of them in podmon's output is a leak.
KUBE_TOKEN="kube-TOKEN-leakcheck-5d1e90"
ES_PASSWORD="es-PASSWORD-leakcheck-3b7d21"
ES_API_KEY="es-APIKEY-leakcheck-9a4f33"
SLACK_BAD_TOKEN="xoxb-BADTOKEN-leakcheck-8c2a"
SQL_BAD_PASSWORD="sql-WRONGPASSWORD-leakcheck-61e0"
API_TOKEN="api-TOKEN-leakcheck-2e6b14"
API_BAD_TOKEN="api-WRONGTOKEN-leakcheck-70c3"
AWS_KEY_ID="ASIAE2ELEAKCHECK0001"  # not a secret: podmon names it when AWS refuses the signature
AWS_SECRET="aws-SECRETKEY-leakcheck-1f9e/+abc"
AWS_WRONG_SECRET="aws-WRONGSECRET-leakcheck-5c7a/+xyz"
AWS_TOKEN="aws-SESSIONTOKEN-leakcheck-8d3b/+IQoJb3JpZ2lu=="
# Secrets inside the crashed container's log: none may reach a sink.
LOG_SECRETS=(LOGTOKEN-leakcheck-4f1d LOGPASSWORD-leakcheck-77aa AKIAE2ELOGKEY0000001 MIIELOGPRIVATEKEYBODYleakcheck)

export PODMON_TEST_MYSQL_PASSWORD="sql-PASSWORD-leakcheck-c0ffee"
start_mariadb
"$BIN_DIR/sinks-sim" --env-file "$WORK/sinks.env" >"$WORK/sinks.log" 2>&1 &
e2e_track $!
start_kube_sim "$HERE/../testdata/kube-sim/pipeline_e2e.yaml" "$KUBE_TOKEN"
for _ in $(seq 100); do [[ -s "$WORK/sinks.env" ]] && break; sleep 0.1; done
[[ -s "$WORK/sinks.env" ]] || fail "sinks-sim did not start"
# shellcheck disable=SC1091
. "$WORK/sinks.env"
SQL_PASSWORD_OK="$PODMON_TEST_MYSQL_PASSWORD"
SECRETS=("$KUBE_TOKEN" "$ES_PASSWORD" "$ES_API_KEY" "$SLACK_TOKEN" "$SLACK_BAD_TOKEN" "$SQL_PASSWORD_OK" "$SQL_BAD_PASSWORD" "$API_TOKEN"
  "$API_BAD_TOKEN" "$AWS_SECRET" "$AWS_WRONG_SECRET" "$AWS_TOKEN")
ES_BASIC="Basic $(printf 'elastic:%s' "$ES_PASSWORD" | base64 -w0)"

# A Kubernetes API that answers 401 to everything, counting the requests it got.
cat >"$WORK/unauthorized.py" <<'PY'
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self):
        body = b'{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with open(sys.argv[2], "a") as f:
            f.write("request\n")
    do_GET = do_POST = do_PUT = reply
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
python3 "$WORK/unauthorized.py" "$WORK/unauth.port" "$WORK/unauth.requests" >"$WORK/unauth.log" 2>&1 &
e2e_track $!
for _ in $(seq 100); do [[ -s "$WORK/unauth.port" ]] && break; sleep 0.1; done
[[ -s "$WORK/unauth.port" ]] || fail "the 401 server did not start"
cat >"$WORK/kubeconfig-401" <<KC
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:$(cat "$WORK/unauth.port")"}}]
users: [{name: u, user: {token: "$KUBE_TOKEN"}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
KC

podmon_env
COMMON=(CLUSTER_NAME=e2e ALERT_COOLDOWN=0 ELASTICSEARCH_URL="$ELASTICSEARCH_URL" ELASTICSEARCH_USERNAME=elastic
  ELASTICSEARCH_PASSWORD="$ES_PASSWORD" SLACK_API_URL="$SLACK_API_URL" SLACK_CHANNEL=pod-crash-alerts)
env "${PODMON_ENV[@]}" "${COMMON[@]}" SLACK_TOKEN="$SLACK_TOKEN" "$BIN_DIR/podmon" migrate >"$WORK/migrate.out" 2>&1 ||
  fail "podmon migrate"

sinks() { curl -fsS "$SINKS_SIM_CONTROL/$1"; }
sinks_post() { curl -fsS -X POST "$SINKS_SIM_CONTROL/$1" >/dev/null || fail "sinks-sim control $1"; }
rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
count_is() { [[ "$("$1")" == "$2" ]]; }
es_total() { sinks es/indices | grep -o ':[0-9]*' | tr -d : | awk '{s+=$1} END {print s+0}'; }
slack_total() { sinks slack/messages | grep -o '"channel":' | wc -l; }
# Every outbox row of the newest crash was tried at least once (delivered or failed).
newest_crash_tried() {
  [[ "$(sql "SELECT COUNT(*) FROM podmon_outbox WHERE crash_id = (SELECT MAX(id) FROM k8s_pod_crash)
             AND (attempts > 0 OR state = 'delivered')")" == 2 ]]
}
es_requests() { sinks es/requests | grep -o '[0-9][0-9]*'; }
slack_refused() {
  [[ "$(sql "SELECT COUNT(*) FROM podmon_outbox WHERE sink = 'slack' AND last_error LIKE '%invalid_auth%'
             AND crash_id = (SELECT MAX(id) FROM k8s_pod_crash)")" == 1 ]]
}
aborted_connects() { sql "SHOW GLOBAL STATUS LIKE 'Aborted_connects'" | awk '{print $2}'; }
unauth_requests() { [[ -f "$WORK/unauth.requests" ]] && wc -l <"$WORK/unauth.requests" || echo 0; }

PODMON_PID=
run_podmon() {  # NAME SETTING=VALUE... : starts podmon, output in $WORK/NAME.out (stdout) and NAME.log (stderr)
  local name=$1; shift
  env "${PODMON_ENV[@]}" "${COMMON[@]}" "$@" "$BIN_DIR/podmon" >"$WORK/$name.out" 2>"$WORK/$name.log" &
  PODMON_PID=$!
  e2e_track "$PODMON_PID"
}
stop_podmon() {
  kill -TERM "$PODMON_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$PODMON_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PODMON_PID" 2>/dev/null || true
  wait "$PODMON_PID" 2>/dev/null || true
}
listed() { grep -q "listed .* pods" "$WORK/$1.log"; }
# until SECONDS COMMAND...: true once the command succeeds, or podmon has exited (it gives up at
# start-up on some errors, e.g. access denied); false after SECONDS.
until_or_exited() {
  local t=$1; shift
  for _ in $(seq $((t * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$PODMON_PID" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}
# A crash of the web container; kube-sim refuses while the container is restarting (ignored).
next_crash() {
  crash_no=$((crash_no + 1))
  curl -fsS -X POST "$SIM/_sim/crash" -H 'Content-Type: application/json' \
    -d "{\"namespace\":\"shop\",\"pod\":\"web-6d4cf56db6-h7x2k\",\"container\":\"web\",\"reason\":\"Error\",\"exitCode\":1,\"log\":\"crash $crash_no\\n\"}" \
    >/dev/null 2>&1 || true
}
crash_no=0
# Injects crashes until podmon has recorded one more than `before` (the watch is up by then).
record_a_crash() {
  local before=$1
  for _ in $(seq 300); do
    next_crash
    sleep 0.2
    [[ "$(rows)" -gt "$before" ]] && return 0
  done
  return 1
}
# call_api_with_tokens NAME: the health API of the running podmon, with the token in the query
# string and in headers, right and wrong; each call must get the answer its token deserves.
# At warn and error podmon does not log its port, so these runs get a port chosen here.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
call_api_with_tokens() {
  local code api="http://127.0.0.1:$API_PORT/api/v1"
  eventually 10 curl -fsS "http://127.0.0.1:$API_PORT/healthz" >/dev/null || fail "$1: no status server on $API_PORT"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$api/crashes?limit=1&token=$API_TOKEN")
  [[ "$code" == 200 ]] || fail "$1: ?token= got $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$api/healthz/shop/deployment/web?token=$API_BAD_TOKEN")
  [[ "$code" == 401 ]] || fail "$1: a wrong ?token= got $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $API_TOKEN" "$api/crashes")
  [[ "$code" == 200 ]] || fail "$1: Bearer got $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' -u "x:$API_BAD_TOKEN" "$api/crashes?token=%zz$API_TOKEN")
  [[ "$code" == 400 ]] || fail "$1: a malformed query got $code"
}
json_string() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

step "redaction: a log full of secrets reaches MySQL, Elasticsearch and Slack masked"
sinks_post "es/require-auth?header=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "$ES_BASIC")"
run_podmon redact-debug LOG_LEVEL=debug SLACK_TOKEN="$SLACK_TOKEN" KUBECONFIG="$WORK/kubeconfig"
eventually 30 listed redact-debug || fail "podmon did not list pods"
log=$(printf 'starting\nAuthorization: Bearer %s\nconnecting with password=%s\nusing %s\n-----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----\ncrashed\n' \
  "${LOG_SECRETS[0]}" "${LOG_SECRETS[1]}" "${LOG_SECRETS[2]}" "${LOG_SECRETS[3]}")
control crash "{\"namespace\":\"shop\",\"pod\":\"web-6d4cf56db6-h7x2k\",\"container\":\"web\",\"reason\":\"Error\",\"exitCode\":1,\"log\":$(json_string "$log")}"
eventually 30 count_is es_total 1 || fail "the crash was not indexed (documents: $(es_total))"
eventually 30 count_is slack_total 1 || fail "the crash was not alerted (messages: $(slack_total))"
stop_podmon
stored=$(sql "SELECT logs FROM k8s_pod_crash ORDER BY id DESC LIMIT 1")
key=$(sql "SELECT crash_key FROM k8s_pod_crash ORDER BY id DESC LIMIT 1")
# shellcheck disable=SC2034  # doc and alert are read through ${!where} below
doc=$(sinks "es/doc?index=k8s-crash-monitor-$(date -u +%Y.%m.%d)&id=$key")
# shellcheck disable=SC2034
alert=$(sinks slack/messages)
for where in stored doc alert; do
  text=${!where}
  [[ "$text" == *crashed* ]] || fail "$where does not hold the log: $text"
  [[ "$text" == *"[REDACTED]"* ]] || fail "$where shows no redaction: $text"
  for s in "${LOG_SECRETS[@]}"; do [[ "$text" != *"$s"* ]] || fail "$where holds the log secret $s"; done
done
echo "MySQL: $(echo "$stored" | tr '\n' '|')"

for level in trace debug info warn error; do
  # At debug, podmon logs JSON lines (LOG_FORMAT=json): checked below to be valid JSON each.
  fmt=text
  [[ "$level" == debug ]] && fmt=json
  step "LOG_LEVEL=$level: working path, with the Kubernetes token, the Elasticsearch API key and the Slack token"
  sinks_post "es/require-auth?header=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote("ApiKey " + sys.argv[1]))' "$ES_API_KEY")"
  before=$(rows)
  API_PORT=$(free_port)
  run_podmon "ok-$level" LOG_LEVEL="$level" LOG_FORMAT="$fmt" SLACK_TOKEN="$SLACK_TOKEN" ELASTICSEARCH_USERNAME= ELASTICSEARCH_PASSWORD= \
    ELASTICSEARCH_API_KEY="$ES_API_KEY" API_TOKEN="$API_TOKEN" SERVER_PORT="$API_PORT" KUBECONFIG="$WORK/kubeconfig"
  record_a_crash "$before" || fail "no crash recorded at LOG_LEVEL=$level"
  eventually 30 newest_crash_tried || fail "the crash was not delivered at LOG_LEVEL=$level"
  call_api_with_tokens "ok-$level"
  stop_podmon

  step "LOG_LEVEL=$level: Elasticsearch answers 401 and Slack invalid_auth"
  sinks_post "es/require-auth?header=Basic%20bm90LXRoaXMtb25lOm5vcGU="
  before=$(rows)
  es_before=$(es_requests)
  run_podmon "sinks-denied-$level" LOG_LEVEL="$level" LOG_FORMAT="$fmt" SLACK_TOKEN="$SLACK_BAD_TOKEN" KUBECONFIG="$WORK/kubeconfig"
  record_a_crash "$before" || fail "no crash recorded at LOG_LEVEL=$level"
  # Elasticsearch refuses every request with 401 (podmon stops at its readiness check), so the
  # request count shows it was tried; Slack's refusal is in the outbox.
  es_tried() { [[ "$(es_requests)" -gt "$es_before" ]]; }
  eventually 30 es_tried || fail "Elasticsearch was not tried at LOG_LEVEL=$level"
  eventually 30 slack_refused || fail "Slack was not tried at LOG_LEVEL=$level"
  stop_podmon

  step "LOG_LEVEL=$level: wrong SQL password"
  before=$(aborted_connects)
  run_podmon "sql-denied-$level" LOG_LEVEL="$level" LOG_FORMAT="$fmt" SQL_PASSWORD="$SQL_BAD_PASSWORD" SLACK_TOKEN="$SLACK_TOKEN" \
    KUBECONFIG="$WORK/kubeconfig"
  aborted_more() { [[ "$(aborted_connects)" -ge $((before + 2)) ]]; }
  until_or_exited 60 aborted_more || fail "podmon kept running without trying SQL at LOG_LEVEL=$level"
  stop_podmon
  [[ "$(aborted_connects)" -gt "$before" ]] || fail "podmon did not try the wrong SQL password at LOG_LEVEL=$level"

  step "LOG_LEVEL=$level: the Kubernetes API answers 401"
  before=$(unauth_requests)
  run_podmon "kube-denied-$level" LOG_LEVEL="$level" LOG_FORMAT="$fmt" SLACK_TOKEN="$SLACK_TOKEN" KUBECONFIG="$WORK/kubeconfig-401"
  unauth_more() { [[ "$(unauth_requests)" -ge $((before + 2)) ]]; }
  until_or_exited 60 unauth_more || fail "podmon kept running without calling the 401 API at LOG_LEVEL=$level"
  stop_podmon
  [[ "$(unauth_requests)" -gt "$before" ]] || fail "podmon did not call the 401 API at LOG_LEVEL=$level"
done

for level in trace error; do
  step "LOG_LEVEL=$level: SigV4 (ELASTICSEARCH_AWS_SIGV4) with a session token and a wrong secret key: AWS's 403 echoes the canonical request"
  sinks_post "es/require-auth?header="
  urlq() { python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
  sinks_post "es/sigv4?access_key_id=$AWS_KEY_ID&secret=$(urlq "$AWS_SECRET")&session_token=$(urlq "$AWS_TOKEN")&region=eu-west-1"
  before=$(rows)
  refused_before=$(sinks es/sigv4-rejections | grep -o '[0-9][0-9]*')
  run_podmon "aws-denied-$level" LOG_LEVEL="$level" SLACK_TOKEN="$SLACK_TOKEN" ELASTICSEARCH_USERNAME= ELASTICSEARCH_PASSWORD= \
    ELASTICSEARCH_AWS_SIGV4=true AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID="$AWS_KEY_ID" AWS_SECRET_ACCESS_KEY="$AWS_WRONG_SECRET" \
    AWS_SESSION_TOKEN="$AWS_TOKEN" KUBECONFIG="$WORK/kubeconfig"
  record_a_crash "$before" || fail "no crash recorded at LOG_LEVEL=$level (SigV4)"
  aws_refused() { [[ "$(sinks es/sigv4-rejections | grep -o '[0-9][0-9]*')" -gt "$((refused_before + 2))" ]]; }
  eventually 30 aws_refused || fail "the SigV4 check refused nothing at LOG_LEVEL=$level"
  stop_podmon
  sinks_post "es/sigv4-off"
  if grep -E 'Signature=[0-9a-f]{64}|Canonical String' "$WORK/aws-denied-$level.out" "$WORK/aws-denied-$level.log"; then
    fail "a signature or AWS's echoed canonical request is in podmon's output at LOG_LEVEL=$level"
  fi
done
grep -q "signed by access key id $AWS_KEY_ID" "$WORK/aws-denied-error.log" || fail "the rejected key id was not logged"
aws_error=$(sql "SELECT COUNT(*) FROM podmon_outbox WHERE last_error LIKE '%signature we calculated%'")
[[ "$aws_error" -ge 1 ]] || fail "no outbox row says the signature was refused"
sql "SELECT COALESCE(last_error, '') FROM podmon_outbox" >"$WORK/last_errors.out"

step "LOG_FORMAT=json: every line podmon wrote to stderr is one JSON object {time, level, msg}"
for run in ok sinks-denied sql-denied kube-denied; do
  python3 - "$WORK/$run-debug.log" <<'PY' || fail "$run-debug.log is not JSON lines"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
if not lines:
    sys.exit(f"{sys.argv[1]}: empty")
for number, line in enumerate(lines, 1):
    try:
        entry = json.loads(line)
    except ValueError as e:
        sys.exit(f"{sys.argv[1]}:{number}: {e}: {line}")
    if not isinstance(entry, dict) or sorted(entry) != ["level", "msg", "time"]:
        sys.exit(f"{sys.argv[1]}:{number}: not {{time, level, msg}}: {line}")
print(f"{sys.argv[1].rsplit('/', 1)[-1]}: {len(lines)} JSON lines")
PY
done

step "the API calls were logged at debug level by path, without their query"
for level in trace debug; do
  grep -q '/api/v1/crashes' "$WORK/ok-$level.log" || fail "no access line for /api/v1/crashes at LOG_LEVEL=$level"
  if grep -q 'token=' "$WORK/ok-$level.log"; then fail "a query string was logged at LOG_LEVEL=$level"; fi
done

step "the failure paths were logged (LOG_LEVEL=debug), without the secrets"
grep -qi "401\|unauthorized" "$WORK/kube-denied-debug.log" || fail "the Kubernetes 401 was not logged"
grep -qi "access denied" "$WORK/sql-denied-debug.log" || fail "the SQL access denial was not logged"
for s in "${SECRETS[@]}" "${LOG_SECRETS[@]}"; do
  if grep -rlF -- "$s" "$WORK"/*.out "$WORK"/*.log | grep -v -e sinks.log -e sim.log -e unauth.log; then
    fail "podmon's output holds the secret $s"
  fi
done
runs=0
for f in "$WORK"/*.log; do
  case "${f##*/}" in sinks.log | sim.log | unauth.log) ;; *) runs=$((runs + 1)) ;; esac
done
echo "PASS: $runs podmon runs at 5 log levels, no secret in their output"
