#!/usr/bin/env python3
"""Self-test of fault_count.py: the fault suite's counting must catch every kind of loss and
duplication, or the suite's zeros prove nothing. Runs in a second (ctest: faults.fault_count_test)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT = os.path.join(HERE, "fault_count.py")
NS = "f-test"


def alert(pod, restart, ts):
    return {"channel": "C1", "text": f"Pod crash in faults: {NS}/{pod} container app: Error, exit code 1 (error), "
                                     f"restart count {restart}", "thread_ts": "", "ts": ts}


def follow_up(n, thread, ts):
    times = "1 more time" if n == 1 else f"{n} more times"
    return {"channel": "C1", "text": f"StatefulSet/p1 container app crashed {times} since the last alert; last: Error, exit code 1",
            "thread_ts": thread, "ts": ts}


class Scenario:
    """Two pods crashed twice each, everything delivered once; tests then break one thing."""

    def __init__(self):
        self.injected = [(NS, p, "app", r) for p in ("p1-0", "p2-0") for r in (1, 2)]
        self.rows = []
        self.outbox = []
        self.docs = []
        self.messages = []
        for i, (_, pod, _, restart) in enumerate(self.injected, start=1):
            self.add_row(i, pod, restart)

    def add_row(self, crash_id, pod, restart, delta=1, key=None, doc=True, message=True):
        key = key or f"key-{pod}-{restart}"
        self.rows.append([str(crash_id), key, NS, pod, "app", str(restart), str(delta)])
        self.outbox.append([str(crash_id), "elasticsearch", "done", ""])
        self.outbox.append([str(crash_id), "slack", "done", ""])
        if doc:
            self.docs.append({"index": "k8s-crash-monitor-2026.01.01", "id": key, "source": {"crash_key": key}})
        if message:
            self.messages.append(alert(pod, restart, f"{crash_id}.0"))

    def run(self, *extra):
        with tempfile.TemporaryDirectory() as d:
            def tsv(name, rows):
                with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                    f.writelines("\t".join(map(str, r)) + "\n" for r in rows)
            tsv("injected.tsv", self.injected)
            tsv("crashes.tsv", self.rows)
            tsv("outbox.tsv", self.outbox)
            with open(os.path.join(d, "es.json"), "w", encoding="utf-8") as f:
                json.dump(self.docs, f)
            with open(os.path.join(d, "slack.json"), "w", encoding="utf-8") as f:
                json.dump(self.messages, f)
            p = subprocess.run([sys.executable, COUNT, "--dir", d, "--fault", "t", "--namespace", NS,
                                "--cluster", "faults", *extra], capture_output=True, text=True, check=False)
            return p.returncode, p.stdout.strip(), p.stderr


class FaultCountTest(unittest.TestCase):
    def assertRow(self, result, code, row):
        self.assertEqual(result[0], code, result)
        self.assertEqual(result[1], row, result)

    def test_everything_once_passes(self):
        self.assertRow(Scenario().run(), 0, "| t | 4 | 4 | 4 | 4 | 0 | 0 |")
        self.assertEqual(Scenario().run("--check")[0], 0)

    def test_crash_missing_from_mysql_is_lost(self):
        s = Scenario()
        del s.rows[1]
        code, row, err = s.run()
        self.assertRow((code, row), 1, "| t | 4 | 3 | 3 | 3 | 1 | 0 |")
        self.assertIn("not recorded", err)
        self.assertEqual(s.run("--check")[0], 1)

    def test_second_row_for_one_crash_is_duplicated(self):
        s = Scenario()
        s.add_row(9, "p1-0", 2, key="other-key")
        code, row, err = s.run()
        self.assertRow((code, row), 1, "| t | 4 | 4 | 4 | 4 | 0 | 1 |")
        self.assertIn("recorded 2 times", err)

    def test_row_covering_no_injected_crash_is_duplicated(self):
        s = Scenario()
        s.add_row(9, "p2-0", 7)
        code, row, err = s.run()
        self.assertRow((code, row), 1, "| t | 4 | 4 | 4 | 4 | 0 | 1 |")
        self.assertIn("covers no injected crash", err)

    def test_missing_document_is_lost_and_extra_copy_duplicated(self):
        s = Scenario()
        s.docs.pop()
        self.assertRow(s.run()[:2], 1, "| t | 4 | 4 | 3 | 4 | 1 | 0 |")
        s = Scenario()
        s.docs.append({"index": "k8s-crash-monitor-2026.01.02", "id": "key-p1-0-1", "source": {"crash_key": "key-p1-0-1"}})
        self.assertRow(s.run()[:2], 1, "| t | 4 | 4 | 3 | 4 | 0 | 1 |")

    def test_missing_alert_is_lost_and_double_alert_duplicated(self):
        s = Scenario()
        s.messages.pop()
        self.assertRow(s.run()[:2], 1, "| t | 4 | 4 | 4 | 3 | 1 | 0 |")
        s = Scenario()
        s.messages.append(alert("p1-0", 1, "99.0"))
        self.assertRow(s.run()[:2], 1, "| t | 4 | 4 | 4 | 4 | 0 | 1 |")

    def test_alert_of_another_namespace_or_cluster_does_not_count(self):
        s = Scenario()
        s.messages[0]["text"] = s.messages[0]["text"].replace(f"{NS}/", "other/")
        self.assertEqual(s.run()[0], 1)
        s = Scenario()
        s.messages[0]["text"] = s.messages[0]["text"].replace("in faults:", "in prod:")
        self.assertEqual(s.run()[0], 1)

    def test_one_row_for_restarts_missed_together_covers_both(self):
        s = Scenario()
        s.rows, s.outbox, s.docs, s.messages = [], [], [], []
        s.add_row(1, "p1-0", 2, delta=2)
        s.add_row(2, "p2-0", 1)
        s.add_row(3, "p2-0", 2)
        self.assertRow(s.run()[:2], 0, "| t | 4 | 4 | 4 | 4 | 0 | 0 |")

    def test_folded_crashes_count_when_follow_ups_add_up(self):
        s = Scenario()
        s.injected.append((NS, "p1-0", "app", 3))
        s.messages = [m for m in s.messages if "p1-0" not in m["text"] or "restart count 1" in m["text"]]
        s.add_row(5, "p1-0", 3, message=False)
        s.messages.append(follow_up(2, "1.0", "50.0"))
        self.assertRow(s.run()[:2], 0, "| t | 5 | 5 | 5 | 5 | 0 | 0 |")
        # A follow-up that reports one crash too few leaves one unalerted.
        s.messages[-1] = follow_up(1, "1.0", "50.0")
        code, _, err = s.run()
        self.assertEqual(code, 1)
        self.assertIn("neither alerted nor folded", err)
        # ... and one too many is a duplicate (one extra alert, nothing lost).
        s.messages[-1] = follow_up(3, "1.0", "50.0")
        self.assertRow(s.run()[:2], 1, "| t | 5 | 5 | 5 | 5 | 0 | 1 |")

    def test_mapping_errors_must_be_dead_lettered_with_their_reason(self):
        s = Scenario()
        s.docs = [d for d in s.docs if "p2-0" not in d["id"]]
        for r in s.outbox:
            if r[0] in ("3", "4") and r[1] == "elasticsearch":
                r[2], r[3] = "dead", "Elasticsearch item status 400 mapper_parsing_exception: failed to parse"
        self.assertRow(s.run("--dead-pods", "p2-0")[:2], 0, "| t | 4 | 4 | 2 + 2 dead-lettered | 4 | 0 | 0 |")
        # Without the expectation, the same state is a loss.
        self.assertEqual(s.run()[0], 1)
        # Dead for another reason, or indexed after all: not what the scenario asked for.
        s.outbox[4][3] = "Elasticsearch item status 404 index_not_found_exception"
        self.assertEqual(s.run("--dead-pods", "p2-0")[0], 1)

    def test_pending_deliveries_are_not_complete(self):
        s = Scenario()
        s.outbox[1][2] = "pending"
        self.assertEqual(s.run("--check")[0], 1)
        self.assertEqual(s.run()[0], 1)

    def test_report_file_gets_the_row(self):
        with tempfile.TemporaryDirectory() as d:
            report = os.path.join(d, "report.md")
            Scenario().run("--report", report)
            with open(report, encoding="utf-8") as f:
                self.assertEqual(f.read(), "| t | 4 | 4 | 4 | 4 | 0 | 0 |\n")


if __name__ == "__main__":
    unittest.main()
