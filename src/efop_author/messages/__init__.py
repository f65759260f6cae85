"""Message catalogues: every user-facing CLI message and diagnostic text, by locale.

Keys are ``area.slug`` (for diagnostics, the key is the diagnostic code itself). Each area has
its own module ``efop_author.messages.<area>`` holding ``MESSAGES = {"fr": {...}, "en": {...}}``,
imported lazily on first use. The locale comes from ``EFOP_AUTHOR_LANG`` (``fr`` by default);
a key missing in the chosen locale falls back to French, then to the key itself.
"""

from __future__ import annotations

import importlib
import os
from functools import cache

DEFAULT_LOCALE = "fr"


def locale() -> str:
    lang = os.environ.get("EFOP_AUTHOR_LANG", DEFAULT_LOCALE).split("_")[0].lower()
    return lang if lang in ("fr", "en") else DEFAULT_LOCALE


@cache
def _area(area: str) -> dict[str, dict[str, str]]:
    try:
        mod = importlib.import_module(f"efop_author.messages.{area.replace('-', '_')}")
    except ModuleNotFoundError:
        return {}
    return mod.MESSAGES  # type: ignore[no-any-return]


def t(key: str, /, **kwargs: object) -> str:
    """Translate ``key`` in the current locale and format it with ``kwargs``."""
    area = key.split(".", 1)[0]
    catalogue = _area(area)
    text = catalogue.get(locale(), {}).get(key) or catalogue.get(DEFAULT_LOCALE, {}).get(key) or key
    return text.format(**kwargs) if kwargs else text
