"""Output targets: an explicit registry, one module per target (architecture convention 4).

Adding a target is one file plus one line in :data:`TARGETS`.
"""

from __future__ import annotations

from efop_author.targets.base import Package, PackageFile, Target
from efop_author.targets.cmi5 import Cmi5
from efop_author.targets.scorm12 import Scorm12
from efop_author.targets.scorm2004 import Scorm2004
from efop_author.targets.web import Web
from efop_author.targets.xapi import Xapi

TARGETS: dict[str, type[Target]] = {
    cls.name: cls for cls in (Web, Scorm12, Scorm2004, Xapi, Cmi5)
}
"""Target name (CLI value) → target class."""

__all__ = ["TARGETS", "Package", "PackageFile", "Target", "get_target"]


def get_target(name: str) -> Target:
    """An instance of the target called ``name``; ``KeyError`` lists the known names."""
    try:
        cls = TARGETS[name]
    except KeyError:
        raise KeyError(f"unknown target {name!r}; known: {', '.join(sorted(TARGETS))}") from None
    return cls()
