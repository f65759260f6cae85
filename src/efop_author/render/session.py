"""A render session: what rendering prepares once per build (the theme resolved, its Jinja
environment, the shared files), remembered while the session is open.

Apart from :mod:`efop_author.render.site` so that opening a session imports nothing: the build
opens it before loading the course, and Jinja2 and the theme are imported later, while worker
processes load the modules. Workers forked within a session inherit what was prepared before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_memo: dict[Hashable, Any] | None = None


@contextmanager
def render_session() -> Iterator[None]:
    """Within it, :func:`remembered` makes each value once; sessions nest (the outer one is
    kept)."""
    global _memo
    outer, _memo = _memo, {} if _memo is None else _memo
    try:
        yield
    finally:
        _memo = outer


def remembered(key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, or the value made for ``key`` earlier in this session. Outside a session,
    ``make()`` every time."""
    if _memo is None:
        return make()
    if key not in _memo:
        _memo[key] = make()
    return _memo[key]
