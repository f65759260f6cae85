#!/usr/bin/env python3
"""Benchmark ``efop-author report`` over 100,000 stored statements: time and peak memory.

    python benchmarks/report_bench.py [--count 100000] [--page 500] [--format csv|html|table]

A child process serves the statements as an LRS does (``GET statements`` in pages of
``--page`` with ``more`` links, Basic auth, xAPI version header checked). The statements are
made deterministically from their index (seed 1): 500 learners, 4 modules of one course, each
session ``initialized``, 5 × ``experienced``, 6 × ``answered``, ``completed``/``passed`` or
``failed`` with a score, ``terminated`` with a duration (15 statements per session).

The report runs in another child process (``python -m efop_author report``), measured with
``os.wait4``: wall time, CPU time, peak RSS. It runs twice, over ``--count`` and over a tenth
of it: the peak memory must barely move (the pages are streamed, the summary keeps one
row per learner × module and one per question). The same script with ralph 5.1.0's fs backend
is not usable at this size: ralph re-reads its whole file for every page (quadratic).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COURSE = "https://example.org/xapi/bench"
MODULES = ["intro", "emploi", "logement", "mobilite"]
V = "http://adlnet.gov/expapi/verbs/"
SID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
USER, PASSWORD = "bench", "bench-secret"
PER_SESSION = 15


def statement(i: int) -> dict:
    """Statement number ``i`` (deterministic)."""
    session, k = divmod(i, PER_SESSION)
    rnd = random.Random(session * 7919 + 1)
    learner = rnd.randrange(500)
    module = MODULES[rnd.randrange(len(MODULES))]
    m_iri = f"{COURSE}/{module}"
    correct = [rnd.random() < 0.7 for _ in range(6)]
    score = round(100 * sum(correct) / 6)
    base = 1_767_225_600 + session * 900  # 2026-01-01 + 15 min per session
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + k * 20)) + f".{k:03d}Z"
    s: dict = {
        "id": f"{session:08x}-0000-4000-8000-{k:012x}",
        "actor": {"objectType": "Agent", "name": f"Apprenant {learner}",
                  "account": {"homePage": "https://moodle.example.org", "name": f"u{learner}"}},
        "context": {"registration": f"{learner:08x}-1111-4111-8111-{session:012x}",
                    "contextActivities": {"grouping": [{"objectType": "Activity", "id": COURSE}]},
                    "language": "fr", "extensions": {SID: f"s{session}"}},
        "timestamp": ts, "stored": ts, "version": "1.0.0",
        "authority": {"objectType": "Agent", "mbox": "mailto:lrs@example.org"},
    }
    module_act = {"objectType": "Activity", "id": m_iri,
                  "definition": {"type": "http://adlnet.gov/expapi/activities/module", "name": {"fr": module}}}
    if k == 0:
        verb, obj = "initialized", module_act
    elif k <= 5:
        verb = "experienced"
        obj = {"objectType": "Activity", "id": f"{m_iri}/page-{k}"}
        s["context"]["contextActivities"]["parent"] = [module_act]
    elif k <= 11:
        n = k - 6
        verb = "answered"
        obj = {"objectType": "Activity", "id": f"{m_iri}/quiz/q{n}",
               "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                              "name": {"fr": f"Question {n} de {module}"}, "interactionType": "choice",
                              "correctResponsesPattern": ["b"],
                              "choices": [{"id": "a", "description": {"fr": "A"}}, {"id": "b", "description": {"fr": "B"}}]}}
        s["context"]["contextActivities"]["parent"] = [module_act]
        s["result"] = {"success": correct[n], "response": "b" if correct[n] else "a", "duration": "PT12.5S"}
    elif k == 12:
        verb, obj = "completed", module_act
        s["result"] = {"completion": True, "duration": "PT4M"}
    elif k == 13:
        verb, obj = ("passed" if score >= 80 else "failed"), module_act
        s["result"] = {"score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
                       "success": score >= 80, "completion": True, "duration": "PT4M10S"}
    else:
        verb, obj = "terminated", module_act
        s["result"] = {"duration": "PT4M40.25S"}
    s["verb"] = {"id": V + verb, "display": {"en-US": verb}}
    s["object"] = obj
    return s


def serve(port: int, count: int) -> None:
    auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):  # noqa: N802
            parts = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(parts.query))
            if self.headers.get("Authorization") != auth:
                self.send_error(401)
                return
            if not (self.headers.get("X-Experience-API-Version") or "").startswith("1.0"):
                self.send_error(400)
                return
            limit = int(q.get("limit") or 500)
            start = int(q.get("from") or 0)
            end = min(count, start + limit)
            more = f"/xAPI/statements?limit={limit}&from={end}" if end < count else ""
            body = json.dumps({"statements": [statement(i) for i in range(start, end)], "more": more}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_report(endpoint: str, fmt: str, page: int, out: Path) -> tuple[float, float, int]:
    env = dict(os.environ, EFOP_LRS_ENDPOINT=endpoint, EFOP_LRS_USERNAME=USER, EFOP_LRS_PASSWORD=PASSWORD,
               PYTHONPATH=str(REPO / "src"))
    cmd = [sys.executable, "-m", "efop_author", "report", "--course", COURSE, "--format", fmt,
           "--page-size", str(page), "-o", str(out)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"report failed: {proc.stderr.read().decode()}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--page", type=int, default=500)
    ap.add_argument("--format", choices=["csv", "html", "table"], default="csv")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (args.count // 10, args.count):
            port = free_port()
            server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), str(count)])
            try:
                for _ in range(100):
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                        break
                    except OSError:
                        time.sleep(0.05)
                out = Path(tmp) / f"report-{count}.{args.format}"
                wall, cpu, rss = run_report(f"http://127.0.0.1:{port}/xAPI/", args.format, args.page, out)
            finally:
                server.terminate()
                server.wait()
            results.append((count, wall, cpu, rss, out.stat().st_size))
    print(f"| statements | format | wall (s) | CPU report (s) | peak RSS (MiB) | output (KiB) |")
    print("|---:|---|---:|---:|---:|---:|")
    for count, wall, cpu, rss, size in results:
        print(f"| {count:,} | {args.format} | {wall:.1f} | {cpu:.1f} | {rss / 1024:.0f} | {size / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(main())
