"""Entry point of the ``efop-author`` command and of ``python -m efop_author``.

A command runs once in its own short-lived process that creates hundreds of thousands of
objects (its imports, then a course's Markdown tokens) and almost no reference cycles: the
collector's thresholds are raised before anything is imported, where collecting every 700
allocations costs several milliseconds of every command. ``preview``, which keeps running,
puts the usual ones back.
"""

import gc
import os
import sys

BATCH_GC_THRESHOLDS = (20_000, 20, 100)
usual_gc_thresholds: tuple[int, ...] | None = None
"""The interpreter's thresholds, once :func:`main` has raised them."""


def main() -> None:
    global usual_gc_thresholds
    usual_gc_thresholds = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    if _is_build(sys.argv[1:]):
        from efop_author.build import start_early

        start_early()  # the build's process imports its code while click parses the command line
    from efop_author.cli import main as run

    run()


def _is_build(args: list[str]) -> bool:
    """``efop-author build ...``, not asking for help, with several cores to use."""
    if args[:1] != ["build"] or "-h" in args or "--help" in args or not hasattr(os, "fork"):
        return False
    from efop_author.parallel import default_jobs

    return default_jobs() > 1
