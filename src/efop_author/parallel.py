"""Run independent per-module work on several cores (fork), or in this process when that
cannot help or would not be safe.

Modules of a course are independent once the first loading pass has read every file's ids
(links between modules are resolved against that pass), so rendering their Markdown, and
rendering, zipping and validating their packages, can run in parallel.

The work is shared with plain ``os.fork``: no pool, no helper thread, and not even
``multiprocessing`` to import. Each forked child inherits the task (a closure: nothing is
pickled on the way in), takes item numbers from a pipe filled before the fork (whoever is
free takes the next one), sends back one pickle of its results through another pipe and
leaves with ``os._exit`` (no ``atexit``, no ``finally`` of the parent runs twice). The
calling process takes items too, after its own ``meanwhile`` work, so ``jobs`` = 2 forks one
child. Results come back in item order; an exception in a child is raised again in the
caller.

Serial execution is used when there are few items, one job, no ``fork``, or other threads
running (forking a multi-threaded process — the preview server — is unsafe).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import TypeVar

R = TypeVar("R")

MIN_ITEMS = 4
"""Below this many items, starting workers costs more than it saves."""


def default_jobs() -> int:
    """Worker processes to use: ``EFOP_AUTHOR_JOBS`` if set, else the usable cores (max 8)."""
    env = os.environ.get("EFOP_AUTHOR_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class WorkerError(RuntimeError):
    """A worker failed in a way that could not be sent back as the original exception."""


forks = 0
"""Worker processes started by this process so far (tests check that work was shared)."""

_ITEM = struct.Struct("<I")
_MAX_QUEUED = 16_000
"""Items handed out through the queue pipe (4 bytes each, within its 64 KiB buffer)."""


def pmap(
    task: Callable[[int], R],
    count: int,
    jobs: int,
    *,
    meanwhile: Callable[[], None] | None = None,
) -> list[R]:
    """``[task(0), ..., task(count - 1)]``, computed by up to ``jobs`` processes, this one
    included.

    Items are handed out one at a time (whoever is free takes the next one), so a process
    that has more to do gets fewer items. ``meanwhile`` runs in this process first, while
    the forked workers already take items: work that must be done here anyway (imports
    for the next stage, a check of the whole course) overlaps theirs.
    """
    if jobs <= 1 or count < MIN_ITEMS or not can_fork():
        if meanwhile is not None:
            meanwhile()
        return [task(i) for i in range(count)]
    global forks
    _reap_exited()
    n = min(jobs, count)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    queue_fd = _queue(count) if count <= _MAX_QUEUED else None
    # Objects that exist now are left out of garbage collection (here and in the workers):
    # a collection writes to every object it visits, which would make the kernel copy,
    # in every worker, the memory pages it shares with this process.
    gc.freeze()
    children: list[tuple[int, int]] = []  # (pid, read end of its result pipe)
    results: list[R | None] = [None] * count
    done = False
    try:
        for share in range(1, n):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, which never returns
                os.close(read_fd)
                _child(task, _items(queue_fd, share, count, n), write_fd)
            os.close(write_fd)
            forks += 1
            children.append((pid, read_fd))
        if meanwhile is not None:
            meanwhile()
        for i in _items(queue_fd, 0, count, n):
            results[i] = task(i)
        received = [_receive(read_fd, pid) for pid, read_fd in children]
        done = True
    finally:
        gc.unfreeze()
        if queue_fd is not None:
            os.close(queue_fd)
        clean = done and all(ok for ok, _ in received)
        for pid, read_fd in children:
            _reap(pid, read_fd, stop=not done, wait=not clean)
    for ok, payload in received:
        if not ok:
            raise payload  # type: ignore[misc]
        for i, value in payload:  # type: ignore[attr-defined]
            results[i] = value
    return results  # type: ignore[return-value]


def _queue(count: int) -> int:
    """A pipe holding every item index; its write end is closed, so an empty pipe reads as
    the end. A 4-byte read from a pipe is atomic: every index is taken exactly once."""
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, b"".join(_ITEM.pack(i) for i in range(count)))
    finally:
        os.close(write_fd)
    return read_fd


def _items(queue_fd: int | None, share: int, count: int, n: int) -> Iterator[int]:
    if queue_fd is None:  # too many items for the queue: a fixed share each
        yield from range(share, count, n)
        return
    while len(data := os.read(queue_fd, _ITEM.size)) == _ITEM.size:
        yield _ITEM.unpack(data)[0]


def _child(task: Callable[[int], object], items: Iterator[int], write_fd: int) -> None:
    """Compute the items taken, send ``(True, [(item, result)...])`` or ``(False, exception)``,
    exit."""
    code = 0
    try:
        try:
            data = pickle.dumps((True, [(i, task(i)) for i in items]), pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            code = 1
            data = _pickled_error(exc)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    finally:
        os._exit(code)


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - unpicklable exception: send its text
        text = "".join(traceback.format_exception(exc))
        return pickle.dumps((False, WorkerError(text)), pickle.HIGHEST_PROTOCOL)


def _receive(read_fd: int, pid: int) -> tuple[bool, object]:
    chunks = []
    while chunk := os.read(read_fd, 1 << 20):
        chunks.append(chunk)
    if not chunks:
        return False, WorkerError(f"worker process {pid} ended without a result")
    return pickle.loads(b"".join(chunks))


_exiting: list[int] = []
"""Workers that sent all their results and were still exiting when the caller went on."""


def _reap(pid: int, read_fd: int, *, stop: bool, wait: bool = True) -> None:
    """Wait for a worker that has sent its result; ``stop``: the caller gave up early (an
    error or an interrupt in its own share), so the worker is killed first. Without ``wait``
    (every result received and good), a worker that is still exiting is not waited for:
    the kernel freeing its memory took 1.5-2.5 ms of the caller's time at the end of every
    build; the next :func:`pmap` reaps it (a process that exits first leaves it to init)."""
    try:
        os.close(read_fd)
    except OSError:
        pass
    try:
        if stop:
            os.kill(pid, signal.SIGKILL)
        if os.waitpid(pid, 0 if wait else os.WNOHANG)[0] == 0:
            _exiting.append(pid)
    except (ChildProcessError, ProcessLookupError):
        pass


def _reap_exited() -> None:
    while _exiting:
        try:
            os.waitpid(_exiting.pop(), 0)
        except ChildProcessError:
            pass
