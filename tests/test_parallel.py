"""efop_author.parallel.pmap: forked workers share items, results come back in order,
failures come back as exceptions, no worker is left behind.

Each case runs in a fresh interpreter: pmap refuses to fork a process with other threads
(as the test process may have, once the browser tests' HTTP server runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run(code: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    env.pop("EFOP_AUTHOR_JOBS", None)
    script = "import json, os, sys, time\nfrom efop_author import parallel\nfrom efop_author.parallel import pmap\n"
    proc = subprocess.run([sys.executable, "-c", script + textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_items_are_shared_and_come_back_in_order() -> None:
    out = run("""
        me = os.getpid()
        calls = []
        def task(i):
            time.sleep(0.01)
            return [i * i, os.getpid()]
        def meanwhile():
            calls.append(os.getpid())
            time.sleep(0.15)  # the worker takes items meanwhile
        res = pmap(task, 40, 2, meanwhile=meanwhile)
        print(json.dumps({"values": [v for v, _ in res], "pids": [p for _, p in res], "me": me,
                          "calls": calls, "forks": parallel.forks}))
    """)
    assert out["values"] == [i * i for i in range(40)]
    assert out["forks"] == 1 and out["calls"] == [out["me"]]  # meanwhile: once, here
    mine = out["pids"].count(out["me"])
    # Items are taken by whoever is free: the worker took more while this process was busy.
    assert 0 < mine < 40 - mine, out["pids"]
    assert len(set(out["pids"])) == 2


def test_a_worker_exception_is_raised_again_here_and_no_worker_is_left() -> None:
    out = run("""
        me = os.getpid()
        def task(i):
            if os.getpid() != me and i % 2:
                raise ValueError(f"élément {i} refusé")
            time.sleep(0.01)
            return i
        try:
            pmap(task, 20, 2)
            got = None
        except ValueError as exc:
            got = str(exc)
        try:
            os.waitpid(-1, os.WNOHANG)
            left = True
        except ChildProcessError:
            left = False
        print(json.dumps({"got": got, "left": left}))
    """)
    assert out["got"] is not None and out["got"].startswith("élément ") and out["got"].endswith(" refusé")
    assert out["left"] is False


def test_workers_still_exiting_are_reaped_by_the_next_pmap() -> None:
    """After a clean run the caller does not wait for the kernel to finish tearing a worker
    down; the worker is then only a zombie, and the next pmap (or the caller's exit) reaps it."""
    out = run("""
        def task(i):
            time.sleep(0.01)
            return [os.getpid()] * 20_000  # something to free when the worker exits
        first = pmap(task, 8, 2)
        workers = {p[0] for p in first} - {os.getpid()}
        pending = list(parallel._exiting)
        states = []
        for pid in pending:  # every worker not yet reaped is exiting or gone, never working
            try:
                with open(f"/proc/{pid}/stat") as f:
                    states.append(f.read().rsplit(")", 1)[1].split()[0])
            except FileNotFoundError:
                states.append("gone")
        second = pmap(task, 8, 2)
        reaped = all(pid not in parallel._exiting for pid in pending)
        parallel._reap_exited()
        try:
            os.waitpid(-1, os.WNOHANG)
            left = True
        except ChildProcessError:
            left = False
        print(json.dumps({"workers": len(workers), "pending_known": set(pending) <= workers,
                          "states": states, "reaped": reaped, "left": left,
                          "second": sorted(set(p[0] for p in second))}))
    """)
    assert out["workers"] == 1 and out["pending_known"] and out["reaped"]
    assert len(out["second"]) == 2  # the second run forked its own worker
    assert set(out["states"]) <= {"Z", "X", "R", "D", "gone"}, out["states"]
    assert out["left"] is False


def test_unpicklable_error_and_dead_worker_become_worker_errors() -> None:
    out = run("""
        me = os.getpid()
        def local_error(i):
            class Local(Exception):
                pass
            if os.getpid() != me:
                raise Local("locale")
            time.sleep(0.02)
            return i
        def dies(i):
            if os.getpid() != me:
                os._exit(3)
            time.sleep(0.02)
            return i
        found = []
        for task in (local_error, dies):
            try:
                pmap(task, 10, 2)
                found.append(None)
            except parallel.WorkerError as exc:
                found.append(str(exc))
        print(json.dumps(found))
    """)
    assert "Local: locale" in out[0]  # the worker's traceback, as text
    assert "ended without a result" in out[1]


def test_an_error_here_stops_the_workers() -> None:
    out = run("""
        me = os.getpid()
        def task(i):
            if os.getpid() == me:
                raise KeyError("ici")
            time.sleep(30)  # would hold the caller for minutes if not stopped
            return i
        start = time.monotonic()
        try:
            pmap(task, 10, 2)
        except KeyError:
            pass
        print(json.dumps({"seconds": time.monotonic() - start}))
    """)
    assert out["seconds"] < 10


def test_serial_when_one_job_few_items_or_threads() -> None:
    out = run("""
        import threading
        me = os.getpid()
        order = []
        r1 = pmap(lambda i: (order.append(i), os.getpid())[1], 10, 1, meanwhile=lambda: order.append("m"))
        r2 = pmap(lambda i: os.getpid(), 3, 4)
        stop = threading.Event()
        t = threading.Thread(target=stop.wait)
        t.start()
        r3 = pmap(lambda i: os.getpid(), 10, 4)
        stop.set()
        t.join()
        print(json.dumps({"order": order, "pids": sorted(set(r1 + r2 + r3)), "me": me, "forks": parallel.forks}))
    """)
    assert out["order"] == ["m", *range(10)]  # meanwhile first, then the items in order
    assert out["pids"] == [out["me"]] and out["forks"] == 0


def test_helper_runs_a_request_with_messages_errors_and_stop() -> None:
    """parallel.Helper: ``start`` runs in the helper before the request; messages sent with
    ``tell`` arrive in order while the request runs; an exception comes back here; a helper
    stopped in the middle of a request leaves no process behind."""
    out = run("""
        import importlib, signal
        from efop_author.parallel import Helper, WorkerError
        h = Helper(lambda: importlib.import_module("json"))
        got = []
        result = h.call(os.getpid, on_message=got.append)
        helper_pid = h.pid
        h.close()
        h2 = Helper(lambda: None)
        msgs = []
        res2 = h2.call(parallel.tell, "bonjour", on_message=msgs.append)  # tell returns None
        try:
            h2.call(int, "pas un nombre")
            err = None
        except ValueError as exc:
            err = str(exc)
        h2.close()
        class Interrupted(Exception):
            pass
        def interrupt(signum, frame):
            raise Interrupted()
        signal.signal(signal.SIGALRM, interrupt)
        started = time.monotonic()
        with Helper(lambda: None) as h3:  # as Ctrl-C does, in the middle of a long request
            signal.setitimer(signal.ITIMER_REAL, 0.3)
            try:
                h3.call(time.sleep, 30)
                stopped = "no error"
            except Interrupted:
                stopped = "interrupted"
                h3.close(stop=True)
        took = time.monotonic() - started
        try:
            os.waitpid(-1, os.WNOHANG)
            left = True
        except ChildProcessError:
            left = False
        print(json.dumps({"result": result, "helper": helper_pid, "me": os.getpid(), "msgs": msgs,
                          "res2": res2, "err": err, "stopped": stopped, "took": took, "left": left}))
    """)
    assert out["result"] == out["helper"] != out["me"]  # the request ran in the helper
    assert out["msgs"] == ["bonjour"] and out["res2"] is None
    assert out["err"] is not None and "pas un nombre" in out["err"]
    assert out["stopped"] == "interrupted" and out["took"] < 5
    assert out["left"] is False
