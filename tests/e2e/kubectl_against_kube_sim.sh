#!/usr/bin/env bash
# Checks kube-sim with the real kubectl: list, watch a crash as a MODIFIED event, logs --previous,
# the real error for a container that never restarted, and scripted 410 watch answers. Usage: kubectl_against_kube_sim.sh BIN_DIR
set -euo pipefail

BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCENARIO="$HERE/../testdata/kube-sim/kubectl_e2e.yaml"
command -v kubectl >/dev/null || { echo "SKIP: kubectl not installed"; exit 77; }

WORK=$(mktemp -d)
SIM_PID=""
WATCH_PID=""
cleanup() {
  [[ -n "$WATCH_PID" ]] && kill "$WATCH_PID" 2>/dev/null || true
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

"$BIN_DIR/kube-sim" --scenario "$SCENARIO" --port 0 --port-file "$WORK/port" >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIM_PID=$!
for _ in $(seq 1 100); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
[[ -s "$WORK/port" ]] || fail "kube-sim did not report its port"
PORT=$(cat "$WORK/port")
head -1 "$WORK/sim.out" | grep -qx "listening on 127.0.0.1:$PORT" || fail "first stdout line is not 'listening on 127.0.0.1:$PORT'"
SIM="http://127.0.0.1:$PORT"

# An empty kubeconfig so nothing from the user's config (contexts, tokens, namespaces) leaks in.
export KUBECONFIG="$WORK/kubeconfig"
: >"$KUBECONFIG"
export HOME="$WORK"
K=(kubectl --server "$SIM" --request-timeout=10s)

# 1. get pods -A lists every pod.
"${K[@]}" get pods -A >"$WORK/get.out" 2>"$WORK/get.err" || fail "kubectl get pods -A failed"
for pod in web-6d4cf56db6-h7x2k worker-0 cleanup-29000000-abcde; do
  grep -q "$pod" "$WORK/get.out" || fail "get pods -A does not list $pod"
done

# 2. get pod -o json returns the pod with its owner and container statuses.
"${K[@]}" get pod web-6d4cf56db6-h7x2k -n e2e -o json >"$WORK/pod.out" 2>"$WORK/pod.err" || fail "get pod -o json failed"
grep -q '"kind": "ReplicaSet"' "$WORK/pod.out" || fail "pod JSON has no ReplicaSet owner"
grep -q '"restartCount": 0' "$WORK/pod.out" || fail "pod JSON has no restartCount"

# 3. A crash shows up on a running watch as a MODIFIED line for that pod.
"${K[@]}" get pods -A -w --output-watch-events >"$WORK/watch.out" 2>"$WORK/watch.err" &
WATCH_PID=$!
for _ in $(seq 1 100); do grep -q "worker-0" "$WORK/watch.out" 2>/dev/null && break; sleep 0.1; done
grep -q "ADDED.*worker-0" "$WORK/watch.out" || fail "watch did not start with ADDED events"
curl -fsS -X POST "$SIM/_sim/crash" -H 'Content-Type: application/json' \
  -d '{"namespace":"e2e","pod":"web-6d4cf56db6-h7x2k","container":"web","reason":"OOMKilled","exitCode":137,"log":"fatal: out of memory allocating 512MiB\n"}' \
  >"$WORK/crash.out" || fail "control crash request failed"
for _ in $(seq 1 200); do grep -q "MODIFIED.*web-6d4cf56db6-h7x2k" "$WORK/watch.out" && break; sleep 0.1; done
grep -q "MODIFIED.*web-6d4cf56db6-h7x2k" "$WORK/watch.out" || fail "no MODIFIED line for the crashed pod within 20 s"
kill "$WATCH_PID" 2>/dev/null || true
WATCH_PID=""

# 4. logs --previous prints the crashed instance's log.
"${K[@]}" logs --previous -n e2e web-6d4cf56db6-h7x2k >"$WORK/prev.out" 2>"$WORK/prev.err" || fail "logs --previous failed"
grep -q "fatal: out of memory allocating 512MiB" "$WORK/prev.out" || fail "logs --previous lacks the crash text"
grep -q "web starting" "$WORK/prev.out" || fail "logs --previous lacks the instance's startup line"

# 5. logs --previous on a container that never restarted fails with the real message.
if "${K[@]}" logs --previous -n e2e worker-0 -c worker >"$WORK/noprev.out" 2>"$WORK/noprev.err"; then
  fail "logs --previous on a never-restarted container succeeded"
fi
grep -q 'previous terminated container "worker" in pod "worker-0" not found' "$WORK/noprev.err" ||
  fail "wrong error for logs --previous without a previous instance"

# 6. Several containers and none named: the API server's error, straight from the API.
code=$(curl -s -o "$WORK/noname.out" -w '%{http_code}' "$SIM/api/v1/namespaces/e2e/pods/worker-0/log")
[[ "$code" == 400 ]] || fail "log without container: HTTP $code, want 400"
grep -q 'a container name must be specified for pod worker-0, choose one of: \[worker metrics\]' "$WORK/noname.out" ||
  fail "wrong error for a log request without a container name"

# 7. A missing pod is a 404 through kubectl too.
if "${K[@]}" get pod nope -n e2e >"$WORK/missing.out" 2>"$WORK/missing.err"; then fail "get of a missing pod succeeded"; fi
grep -q 'pods "nope" not found' "$WORK/missing.err" || fail "wrong error for a missing pod"

# 8. Scripted watch answers (/_sim/faults/watch-answers) read by kubectl as the real server's: an
# HTTP 410 is "Error from server (Expired)", an ERROR event a Status with reason Expired.
answer() { curl -fsS -X POST "$SIM/_sim/faults/watch-answers" -d "{\"answer\":\"$1\",\"count\":1}" >/dev/null; }
answer gone-status
timeout 10 "${K[@]}" get pods -n e2e -w --output-watch-events >"$WORK/gone.out" 2>"$WORK/gone.err" || true
grep -q 'Error from server (Expired): too old resource version' "$WORK/gone.err" || fail "kubectl did not read the HTTP 410"
answer gone-event
timeout 10 "${K[@]}" get pods -n e2e -w --output-watch-events >"$WORK/goneevent.out" 2>"$WORK/goneevent.err" || true
grep -q 'ERROR .*Failure *Expired *too old resource version' "$WORK/goneevent.out" ||
  fail "kubectl did not read the ERROR 410 event"

echo "PASS: kubectl against kube-sim"
