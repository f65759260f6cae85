"""Entry point of the ``efop-author`` command and of ``python -m efop_author``.

A command runs once in its own short-lived process that creates hundreds of thousands of
objects (its imports, then a course's Markdown tokens) and almost no reference cycles: the
collector's thresholds are raised before anything is imported, where collecting every 700
allocations costs several milliseconds of every command. ``preview``, which keeps running,
puts the usual ones back.
"""

import gc

BATCH_GC_THRESHOLDS = (20_000, 20, 100)
usual_gc_thresholds: tuple[int, ...] | None = None
"""The interpreter's thresholds, once :func:`main` has raised them."""


def main() -> None:
    global usual_gc_thresholds
    usual_gc_thresholds = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    from efop_author.cli import main as run

    run()
