"""Run independent per-module work on several cores (fork), or in this process when that
cannot help or would not be safe.

Modules of a course are independent once the first loading pass has read every file's ids
(links between modules are resolved against that pass), so rendering their Markdown, and
rendering, zipping and validating their packages, can run in parallel. The task is handed to
the workers through ``fork`` (nothing to pickle but the index and the result), results come
back in order. Serial execution is used when there are few items, one core, no ``fork``, or
other threads running (forking a multi-threaded process — the preview server — is unsafe).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

R = TypeVar("R")

MIN_ITEMS = 4
"""Below this many items, starting workers costs more than it saves."""

_TASK: Callable[[int], object] | None = None


def _run(index: int) -> object:
    assert _TASK is not None
    return _TASK(index)


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
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def pmap(task: Callable[[int], R], count: int, jobs: int) -> list[R]:
    """``[task(0), ..., task(count - 1)]``, computed by up to ``jobs`` forked workers."""
    global _TASK
    if jobs <= 1 or count < MIN_ITEMS or not can_fork():
        return [task(i) for i in range(count)]
    _TASK = task
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, count), mp_context=ctx) as pool:
            chunk = max(1, count // (min(jobs, count) * 4))
            return list(pool.map(_run, range(count), chunksize=chunk))  # type: ignore[arg-type]
    finally:
        _TASK = None
