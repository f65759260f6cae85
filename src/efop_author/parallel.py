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

:class:`Helper` is the other way of sharing: a process forked early, which prepares (imports)
while this one does something else, then runs one request and sends back its result.
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
from typing import BinaryIO, TypeVar

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
    _flush_streams()
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


def _flush_streams() -> None:
    """Flush stdout and stderr: before a fork (or the child would write the parent's buffered
    text again), and before a forked process leaves with ``os._exit``."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            try:
                stream.flush()
            except (OSError, ValueError):  # closed, or a broken pipe: nothing to keep
                pass


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
        _flush_streams()
    finally:
        os._exit(code)


def _pickled_error(exc: BaseException, head: object = False) -> bytes:
    """``(head, exc)`` pickled; an exception that cannot be pickled is sent as its text."""
    try:
        return pickle.dumps((head, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - unpicklable exception: send its text
        text = "".join(traceback.format_exception(exc))
        return pickle.dumps((head, WorkerError(text)), pickle.HIGHEST_PROTOCOL)


def _receive(read_fd: int, pid: int) -> tuple[bool, object]:
    chunks = []
    while chunk := os.read(read_fd, 1 << 20):
        chunks.append(chunk)
    if not chunks:
        return False, WorkerError(f"worker process {pid} ended without a result")
    return pickle.loads(b"".join(chunks))


_exiting: list[int] = []
"""Workers that sent all their results and were still exiting when the caller went on."""
_reap_at_exit = False
"""Whether :func:`_reap_exited` is registered to run at exit."""


def _reap(pid: int, read_fd: int, *, stop: bool, wait: bool = True) -> None:
    """Wait for a worker that has sent its result; ``stop``: the caller gave up early (an
    error or an interrupt in its own share), so the worker is killed first. Without ``wait``
    (every result received and good), a worker that is still exiting is not waited for:
    the kernel freeing its memory took 1.5-2.5 ms of the caller's time at the end of every
    build; the next :func:`pmap` reaps it, or this process when it exits (``atexit``), so
    that its CPU time is counted with this process's (``os.wait4``, ``time``)."""
    global _reap_at_exit
    try:
        os.close(read_fd)
    except OSError:
        pass
    try:
        if stop:
            os.kill(pid, signal.SIGKILL)
        if os.waitpid(pid, 0 if wait else os.WNOHANG)[0] == 0:
            if not _reap_at_exit:
                import atexit

                atexit.register(_reap_exited)  # by then it is long gone: no wait
                _reap_at_exit = True
            _exiting.append(pid)
    except (ChildProcessError, ProcessLookupError):
        pass


def _reap_exited() -> None:
    while _exiting:
        try:
            os.waitpid(_exiting.pop(), 0)
        except ChildProcessError:
            pass


class Helper:
    """A process forked now that runs one request later, with what it has done meanwhile.

    The ``efop-author build`` command forks one before it imports click to parse its
    command line: the helper imports the build and loading code meanwhile (on the other
    core), then receives the build to run. ``start`` runs in the helper at once;
    :meth:`call` sends ``fn(*args, **kwargs)`` (pickled: ``fn`` must be importable by name)
    and returns its result, or raises its exception here; within it, :func:`tell` sends a
    message back, handed to ``on_message`` as it arrives (progress). :meth:`close` (or
    leaving the ``with`` block) ends the helper.
    """

    def __init__(self, start: Callable[[], None]) -> None:
        global forks
        _flush_streams()
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the helper, which never returns
            os.close(req_w)
            os.close(res_r)
            _serve(start, req_r, res_w)
        os.close(req_r)
        os.close(res_w)
        forks += 1
        self.pid = pid
        self._requests = os.fdopen(req_w, "wb")
        self._results = os.fdopen(res_r, "rb")
        self._closed = False

    def call(self, fn: Callable[..., R], *args: object, on_message: Callable[[object], None] | None = None,
             **kwargs: object) -> R:
        try:
            pickle.dump((fn, args, kwargs), self._requests, pickle.HIGHEST_PROTOCOL)
            self._requests.flush()
        except BrokenPipeError as exc:
            raise WorkerError(f"helper process {self.pid} has ended") from exc
        while True:
            try:
                kind, value = pickle.load(self._results)
            except (EOFError, pickle.UnpicklingError) as exc:
                raise WorkerError(f"helper process {self.pid} ended without a result") from exc
            if kind == "message":
                if on_message is not None:
                    on_message(value)
            elif kind == "result":
                return value  # type: ignore[no-any-return]
            else:
                raise value

    def close(self, *, stop: bool = False) -> None:
        """Let the helper end, at once with ``stop`` (it stops its own workers), and wait."""
        if self._closed:
            return
        self._closed = True
        if stop:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pipe in (self._requests, self._results):
            try:
                pipe.close()
            except OSError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.close(stop=kind is not None)


_helper_results: BinaryIO | None = None
"""In a helper process, during a request: where its messages go."""


def tell(message: object) -> None:
    """Within a :class:`Helper` request, send ``message`` to the caller now; elsewhere,
    nothing."""
    if _helper_results is not None:
        pickle.dump(("message", message), _helper_results, pickle.HIGHEST_PROTOCOL)
        _helper_results.flush()


def _serve(start: Callable[[], None], req_fd: int, res_fd: int) -> None:
    """The helper's life: ``start()``, then each request until the caller closes the pipe."""
    global _helper_results

    def stopped(signum: int, frame: object) -> None:
        raise SystemExit(1)  # unwinds: a pmap in progress stops its workers

    code = 0
    try:
        signal.signal(signal.SIGTERM, stopped)
        failed: BaseException | None = None
        try:
            start()
        except Exception as exc:  # noqa: BLE001 - reported to the first call
            failed = exc
        with os.fdopen(req_fd, "rb") as requests, os.fdopen(res_fd, "wb") as results:
            while True:
                try:
                    fn, args, kwargs = pickle.load(requests)
                except EOFError:
                    break
                _helper_results = results
                try:
                    if failed is not None:
                        raise failed
                    data = pickle.dumps(("result", fn(*args, **kwargs)), pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # noqa: BLE001 - everything goes back to the caller
                    data = _pickled_error(exc, "error")
                finally:
                    _helper_results = None
                results.write(data)
                results.flush()
    except BaseException:  # noqa: BLE001 - the caller is gone or stopped us: just leave
        code = 1
    finally:
        _reap_exited()
        _flush_streams()
        os._exit(code)
