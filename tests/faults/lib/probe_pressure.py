"""Holds idle and half-sent connections open against a status port and measures the probes.

Usage: probe_pressure.py PORT [--idle 32] [--half-sent 32] [--seconds 20] [--limit 1.0]

While it runs it keeps IDLE connections that send nothing and HALF_SENT connections that send a
request head without its end and then one more byte every 0.5 s (a slowloris); any the server
closes (its header timeout) is opened again at once, so the pressure never lets up. Meanwhile it
calls /healthz, /readyz and /health in turn, each on a new connection with a 5 s timeout (the Helm
probe's), and prints the count, p99 and max latency of each (/healthz must answer 200; /readyz 200
or 503 and /health 200 or 500, as podmon's state says). Then it opens connections as fast as it can
until the server's cap answers one at once, and prints how many were open and how fast the
extra one got its answer. Exits 1 when a probe failed, took LIMIT seconds or more, or the
connection beyond the cap was not answered with a 503 (or closed) within LIMIT.
"""
import argparse
import select
import socket
import sys
import time


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    s.setblocking(False)
    return s


def closed(s):
    try:
        return s.recv(4096) == b""  # data (a 408) or b"": the server is done with it
    except BlockingIOError:
        return False
    except OSError:
        return True


class Pressure:
    def __init__(self, port, idle, half):
        self.port = port
        self.idle = [connect(port) for _ in range(idle)]
        self.half = [self.half_sent() for _ in range(half)]
        self.reopened = 0

    def half_sent(self):
        s = connect(self.port)
        s.send(b"GET /metrics HTTP/1.1\r\nHost: status\r\nX-Slow: ")
        return s

    def keep_up(self):
        for group, make in ((self.idle, lambda: connect(self.port)), (self.half, self.half_sent)):
            for i, s in enumerate(group):
                if closed(s):
                    s.close()
                    group[i] = make()
                    self.reopened += 1
                elif group is self.half:
                    try:
                        s.send(b"a")
                    except OSError:
                        pass


def probe(port, path):
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: status\r\nUser-Agent: kube-probe/1.30\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return time.monotonic() - start, data.split(b" ", 2)[1].decode() if data else "none"


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure(port, pressure, seconds):
    latencies = {"/healthz": [], "/readyz": [], "/health": []}
    answered = {"/readyz": "503", "/health": "500"}  # a true "not ready" / "down" is an answer too
    statuses = {path: {} for path in latencies}
    failures = []
    deadline = time.monotonic() + seconds
    last_keep = 0.0
    while time.monotonic() < deadline:
        if time.monotonic() - last_keep >= 0.5:
            pressure.keep_up()
            last_keep = time.monotonic()
        for path in latencies:
            try:
                took, status = probe(port, path)
                latencies[path].append(took)
                statuses[path][status] = statuses[path].get(status, 0) + 1
                # /readyz may truly be 503 (e.g. before the first MySQL poll): answered is what counts.
                if status != "200" and status != answered.get(path):
                    failures.append(f"{path}: {status}")
            except OSError as e:
                latencies[path].append(5.0)
                failures.append(f"{path}: {e}")
        time.sleep(0.05)
    return latencies, statuses, failures


def beyond_the_cap(port, limit):
    """Opens connections quickly until one is answered at once; returns (open, seconds, answer)."""
    held = []
    try:
        for _ in range(600):
            s = connect(port)
            opened = time.monotonic()
            held.append(s)
            if select.select([s], [], [], 0.01)[0]:
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b"(reset)"
                answer = data.split(b"\r\n", 1)[0].decode(errors="replace") or "(closed)"
                return len(held) - 1, time.monotonic() - opened, answer
        return len(held), limit, "no answer"
    finally:
        for h in held:
            h.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--idle", type=int, default=32)
    parser.add_argument("--half-sent", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limit", type=float, default=1.0)
    args = parser.parse_args()
    pressure = Pressure(args.port, args.idle, args.half_sent)
    latencies, statuses, failures = measure(args.port, pressure, args.seconds)
    ok = not failures
    for path, values in latencies.items():
        worst = max(values)
        ok = ok and worst < args.limit
        print(f"{path} under {args.idle} idle + {args.half_sent} half-sent connections: n={len(values)} "
              f"p99={p99(values) * 1000:.1f} ms max={worst * 1000:.1f} ms, answers {statuses[path]}")
    print(f"connections the server closed and the client opened again: {pressure.reopened}")
    for h in pressure.idle + pressure.half:
        h.close()
    held, took, answer = beyond_the_cap(args.port, args.limit)
    print(f"beyond the cap: {held} connections open, the next one answered '{answer}' in {took * 1000:.1f} ms")
    ok = ok and took < args.limit and (answer.startswith("HTTP/1.1 503") or answer in ("(closed)", "(reset)"))
    for f in failures[:10]:
        print(f"FAILED probe: {f}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
