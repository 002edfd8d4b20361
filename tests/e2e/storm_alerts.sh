#!/usr/bin/env bash
# Storm alerts (issue 22, target 2): 300 pods in 10 namespaces crash at once, 250 of them with one
# failure (one image, one panic: one fingerprint) and 50 with failures of their own, all alerting
# in one Slack channel. Slack takes about one message a second per channel, so podmon groups the
# crashes by fingerprint across namespaces: one message per failure, the shared one updated in place
# (chat.update) as it grows. Checks, against sinks-sim's Slack stand-in:
#  - at most 60 messages (chat.postMessage + chat.update) within the first minute, and in all;
#  - every crash accounted for within 2 minutes of the burst: the messages as last updated add up
#    to 300 crashes ("N crashes in K namespaces" for a group, "crashed N more times" for a follow-up
#    of an episode from before the storm was seen, 1 for a plain alert);
#  - nothing owed in the outbox afterwards (no Slack item pending or dead).
# The count to compare with: GET sinks-sim /slack/counts ({"posts","updates","total"}).
# Usage: storm_alerts.sh BIN_DIR
set -euo pipefail
BIN_DIR=${1:?usage: $0 BIN_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"

PODS_PER_NS=30
NAMESPACES=10

start_mariadb
start_sinks_sim
step "kube-sim with $((PODS_PER_NS * NAMESPACES)) pods in $NAMESPACES namespaces"
python3 - "$WORK/storm.yaml" "$NAMESPACES" "$PODS_PER_NS" <<'PY'
import sys
path, namespaces, per_ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def word(n):  # letters only: numbers in names are noise to the fingerprint
    s = ""
    for _ in range(3):
        s += chr(ord("a") + n % 26)
        n //= 26
    return s
out = ["options:", "  restartDelaySeconds: 1", "  bookmarkIntervalSeconds: 5",
       "namespaces: [" + ", ".join(f"team-{word(n)}" for n in range(namespaces)) + "]", "pods:"]
for n in range(namespaces):
    for i in range(per_ns):
        solo = i >= per_ns - 5  # 5 per namespace: a failure of its own (its own image)
        owner = f"solo-{word(n * per_ns + i)}" if solo else f"web-{word(i % 5)}"
        image = f"ghcr.io/acme/{owner}:1.0" if solo else "ghcr.io/acme/web:1.0"
        out += [f"  - name: {owner}-{word(n * per_ns + i)}x-pod{word(i)}",
                f"    namespace: team-{word(n)}",
                f"    owner: {{kind: Deployment, name: {owner}}}",
                "    containers:",
                "      - name: app",
                f"        image: {image}",
                "        log: |",
                "          starting"]
open(path, "w").write("\n".join(out) + "\n")
PY
start_kube_sim "$WORK/storm.yaml"
start_podmon CLUSTER_NAME=e2e SLACK_API_URL="$SLACK_API_URL" SLACK_TOKEN="$SLACK_TOKEN" SLACK_CHANNEL=storm-alerts

step "300 crashes in one burst"
T0=$(date +%s.%N)
python3 - "$SIM" "$WORK/storm.yaml" <<'PY' || fail "could not crash the pods"
import json, re, sys, urllib.request
sim, scenario = sys.argv[1], sys.argv[2]
pods = re.findall(r"- name: (\S+)\n    namespace: (\S+)", open(scenario).read())
panic = """{ts} request_id={rid} GET /orders/{n} from 10.42.0.{n}:5123{n} took 12.5ms
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6a5b2c]

goroutine {n} [running]:
github.com/acme/web/internal/store.(*Repo).Find(0x0, {{0x7ea1c0, 0xc0001a2000}}, 0x13f7b)
	/src/internal/store/repo.go:88 +0x2c"""
for n, (pod, ns) in enumerate(pods):
    log = panic.format(ts="2026-11-22T01:00:%02d.123Z" % (n % 60), rid="%08x" % (n * 7919), n=n)
    if pod.startswith("solo-"):
        log = "fatal: feature " + pod.split("-")[1] + " has no configuration"
    body = json.dumps({"namespace": ns, "pod": pod, "container": "app", "reason": "Error", "exitCode": 2,
                       "log": log}).encode()
    req = urllib.request.Request(sim + "/_sim/crash", data=body, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()
PY
T1=$(date +%s.%N)
echo "crashes injected in $(python3 -c "print(round($T1 - $T0, 1))") s"

rows() { sql "SELECT COUNT(*) FROM k8s_pod_crash"; }
owed() { sql "SELECT COUNT(*) FROM podmon_outbox WHERE sink='slack' AND state <> 'done'"; }
# The crashes the Slack messages account for, as last updated.
accounted() {
  sinks slack/messages | python3 -c 'import json, re, sys
total = 0
for m in json.load(sys.stdin):
    g = re.search(r"(\d+) crash(?:es)? in \d+ namespaces?|crashed (\d+) more times?", m["text"])
    if g:
        total += int(g.group(1) or g.group(2))
    elif not m["thread_ts"] and m["text"].startswith("Pod crash in "):
        total += 1
print(total)'
}
all_in() { [[ "$(rows)" == 300 && "$(owed)" == 0 && "$(accounted)" == 300 ]]; }

step "every crash in a message within 2 minutes, nothing owed"
deadline=$((SECONDS + 150))  # a time limit, not a count: each check reads MySQL and Slack
until all_in || (( SECONDS >= deadline )); do sleep 0.5; done
DONE=$(date +%s.%N)
elapsed=$(python3 -c "print(round($DONE - $T1, 1))")
[[ "$(rows)" == 300 ]] || fail "expected 300 crash rows, got $(rows)"
[[ "$(owed)" == 0 ]] || fail "$(owed) Slack outbox items still owed: $(sql "SELECT state, last_error FROM podmon_outbox WHERE sink='slack' AND state <> 'done' LIMIT 5")"
[[ "$(accounted)" == 300 ]] || fail "the Slack messages account for $(accounted) crashes, not 300"
python3 -c "import sys; sys.exit(0 if $DONE - $T1 <= 120 else 1)" ||
  fail "every crash was in a message only after $elapsed s (target: 2 minutes)"

step "at most 60 messages"
counts=$(sinks slack/counts)
in_first_minute=$( { sinks slack/messages; echo; sinks slack/updates; } | python3 -c 'import json, sys
t1 = float(sys.argv[1])
calls = [c for line in sys.stdin if line.strip() for c in json.loads(line)]
print(sum(1 for c in calls if c["ts_received_us"] / 1e6 < t1 + 60))' "$T1")
total=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["total"])' "$counts")
(( in_first_minute <= 60 )) || fail "$in_first_minute Slack messages in the first minute (target: at most 60): $counts"
(( total <= 60 )) || fail "$total Slack messages in all (target: at most 60): $counts"
[[ "$(sql "SELECT COUNT(*) FROM podmon_alert_state WHERE alert_key LIKE 'storm|%'")" -ge 1 ]] ||
  fail "no crash-storm group in podmon_alert_state"
echo "storm alerts: 300 crashes -> $counts ($in_first_minute in the first minute), all 300 accounted for and nothing owed $elapsed s after the burst"
