#!/usr/bin/env python3
"""Counts one fault scenario's crashes in MySQL, Elasticsearch and Slack against what was injected.

Input files (written by tests/faults/lib/faults.sh into DIR):
  injected.tsv  namespace, pod, container, restart count after the crash (one line per injected crash)
  crashes.tsv   k8s_pod_crash rows of the scenario's namespace: id, crash_key, namespace, podname,
                containername, restartcount, restart_delta
  outbox.tsv    podmon_outbox rows of those crashes: crash_id, sink, state, last_error
  es.json       sinks-sim /es/docs
  slack.json    sinks-sim /slack/messages

A crash row covers the restarts (restartcount - restart_delta, restartcount]: restarts missed while
podmon was down or its watch was broken arrive as one row with restart_delta > 1. For every injected
crash:
  recorded   covered by exactly one row (more: duplicated; none: lost);
  indexed    that row has exactly one Elasticsearch document (_id = crash_key) or, for a pod named in
             --dead-pods, its elasticsearch outbox item is dead with the mapping error as its reason;
  alerted    that row has its own top-level Slack alert, or was folded by the cooldown rule: per
             container, top-level alerts + the crashes counted by thread follow-ups ("crashed N more
             times") must equal the rows.
Rows covering no injected crash count as duplicated (podmon made up a crash).

--check: exit 0 once everything has arrived (nothing lost, nothing pending), else 1; prints nothing.
Otherwise prints one table row (and appends it to --report), details of any problem to stderr, and
exits 1 when anything is lost or duplicated.
"""
import argparse
import collections
import json
import os
import re
import sys


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def read_json(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


ALERT = re.compile(r"^Pod crash in (?P<cluster>\S+): (?P<ns>[^/]+)/(?P<pod>\S+) container (?P<container>\S+): "
                   r".*, restart count (?P<restart>\d+)(?:\. .*)?$")
FOLLOW_UP = re.compile(r" container (?P<container>\S+) crashed (?P<n>\d+) more times? since the last alert")


def count(args):
    d = args.dir
    injected = [(r[0], r[1], r[2], int(r[3])) for r in read_tsv(os.path.join(d, "injected.tsv"))]
    rows = []
    for r in read_tsv(os.path.join(d, "crashes.tsv")):
        delta = int(r[6]) if r[6] not in ("", "NULL") else 1
        rows.append({"id": r[0], "key": r[1], "ns": r[2], "pod": r[3], "container": r[4],
                     "restart": int(r[5]), "delta": max(delta, 1)})
    outbox = {(r[0], r[1]): (r[2], r[3] if len(r) > 3 else "") for r in read_tsv(os.path.join(d, "outbox.tsv"))}
    docs = read_json(os.path.join(d, "es.json"), [])
    messages = read_json(os.path.join(d, "slack.json"), [])
    dead_pods = set(p for p in args.dead_pods.split(",") if p)
    problems = []

    docs_by_key = collections.Counter()
    for doc in docs:
        source = doc.get("source", {})
        docs_by_key[source.get("crash_key", doc.get("id"))] += 1

    # Slack: top-level alerts by (ns, pod, container, restart); follow-ups by the thread they are in.
    top_by_crash = collections.Counter()
    top_ts = {}
    for m in messages:
        if m.get("thread_ts"):
            continue
        a = ALERT.match(m.get("text", ""))
        if a and a["cluster"] == args.cluster and a["ns"] == args.namespace:
            ident = (a["ns"], a["pod"], a["container"], int(a["restart"]))
            top_by_crash[ident] += 1
            top_ts[m.get("ts")] = ident
    folded_by_container = collections.Counter()
    for m in messages:
        thread = m.get("thread_ts")
        if not thread or thread not in top_ts:
            continue
        f = FOLLOW_UP.search(m.get("text", ""))
        if f:
            ns, pod, container, _ = top_ts[thread]
            folded_by_container[(ns, pod, container)] += int(f["n"])

    covering = collections.defaultdict(list)  # injected crash -> rows
    covered_by_row = collections.defaultdict(list)
    for c in injected:
        for row in rows:
            if (row["ns"], row["pod"], row["container"]) == c[:3] and row["restart"] - row["delta"] < c[3] <= row["restart"]:
                covering[c].append(row)
                covered_by_row[row["id"]].append(c)
    extra_rows = [row for row in rows if not covered_by_row[row["id"]]]
    for row in extra_rows:
        problems.append(f"row {row['id']} ({row['pod']}/{row['container']} restart {row['restart']}) covers no injected crash")

    # Alerts per container: top-level alerts of its rows + folded crashes must equal its rows.
    rows_by_container = collections.defaultdict(list)
    for row in rows:
        rows_by_container[(row["ns"], row["pod"], row["container"])].append(row)
    alerted_rows = set()
    alert_dups = set()
    alert_missing = {}
    extra_alerts = {}
    for container, crows in rows_by_container.items():
        top = [row for row in crows if top_by_crash[(row["ns"], row["pod"], row["container"], row["restart"])] > 0]
        for row in top:
            if top_by_crash[(row["ns"], row["pod"], row["container"], row["restart"])] > 1:
                alert_dups.add(row["id"])
        folded = folded_by_container[container]
        accounted = len(top) + folded
        if accounted > len(crows):
            # More alerts and folded crashes than crashes: each extra one is a duplicate alert.
            problems.append(f"{container}: {len(top)} alerts + {folded} folded > {len(crows)} crashes")
            extra_alerts[container] = accounted - len(crows)
        elif accounted < len(crows):
            alert_missing[container] = len(crows) - accounted
        # Folded crashes are those without their own alert; all rows are accounted for when the sums agree.
        if accounted >= len(crows):
            alerted_rows.update(row["id"] for row in crows)
        else:
            alerted_rows.update(row["id"] for row in top)
    for container, n in alert_missing.items():
        states = [f"row {r['id']} restart {r['restart']}: slack {'/'.join(outbox.get((r['id'], 'slack'), ('?', '')))[:100]}"
                  for r in rows_by_container[container]
                  if top_by_crash[(r["ns"], r["pod"], r["container"], r["restart"])] == 0]
        problems.append(f"{container}: {n} crash(es) neither alerted nor folded; without an alert: {states}")

    recorded = indexed = dead_lettered = alerted = lost = duplicated = pending = 0
    for c in injected:
        rs = covering[c]
        if not rs:
            lost += 1
            problems.append(f"crash {c} not recorded")
            continue
        c_lost = False
        c_dup = len(rs) > 1  # each crash counts once as lost or duplicated, whatever else went wrong
        if c_dup:
            problems.append(f"crash {c} recorded {len(rs)} times: rows {[r['id'] for r in rs]}")
        recorded += 1
        row = rs[0]
        n_docs = docs_by_key[row["key"]]
        es_state, es_error = outbox.get((row["id"], "elasticsearch"), ("", ""))
        slack_state, _ = outbox.get((row["id"], "slack"), ("", ""))
        if es_state == "pending" or slack_state == "pending":
            pending += 1
        if c[1] in dead_pods:
            if es_state == "dead" and "mapper_parsing_exception" in es_error and n_docs == 0:
                dead_lettered += 1
            else:
                c_lost = True
                problems.append(f"crash {c}: expected dead-lettered with a mapping error, outbox '{es_state}' "
                                f"'{es_error[:120]}', {n_docs} documents")
        elif n_docs == 1:
            indexed += 1
        elif n_docs == 0:
            c_lost = True
            problems.append(f"crash {c} (key {row['key']}) not in Elasticsearch (outbox {es_state} {es_error[:160]})")
        else:
            c_dup = True
            problems.append(f"crash {c} has {n_docs} Elasticsearch documents")
        if row["id"] in alert_dups:
            c_dup = True
            problems.append(f"crash {c} alerted more than once")
        if row["id"] in alerted_rows:
            alerted += 1
        else:
            c_lost = True
        lost += int(c_lost)
        duplicated += int(c_dup)
    duplicated += len(extra_rows) + sum(extra_alerts.values())
    complete = (lost == 0 and duplicated == 0 and pending == 0 and recorded == len(injected))
    return {
        "injected": len(injected), "rows": len(rows), "recorded": recorded, "indexed": indexed,
        "dead": dead_lettered, "alerted": alerted, "lost": lost, "duplicated": duplicated,
        "pending": pending, "complete": complete, "problems": problems,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--fault", default="")
    p.add_argument("--namespace", required=True)
    p.add_argument("--cluster", required=True)
    p.add_argument("--dead-pods", default="")
    p.add_argument("--report", default="")
    p.add_argument("--check", action="store_true")
    args = p.parse_args()
    r = count(args)
    if args.check:
        sys.exit(0 if r["complete"] else 1)
    indexed = str(r["indexed"]) + (f" + {r['dead']} dead-lettered" if r["dead"] else "")
    line = (f"| {args.fault} | {r['injected']} | {r['recorded']} | {indexed} | {r['alerted']} | "
            f"{r['lost']} | {r['duplicated']} |")
    print(line)
    if args.report:
        with open(args.report, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    for problem in r["problems"][:40]:
        print(f"  {args.fault}: {problem}", file=sys.stderr)
    agree = (r["recorded"] == r["injected"] and r["indexed"] + r["dead"] == r["injected"]
             and r["alerted"] == r["injected"] and r["pending"] == 0)
    if r["lost"] or r["duplicated"] or not agree:
        if not r["problems"]:
            print(f"  {args.fault}: counts disagree ({r['pending']} deliveries still pending)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
