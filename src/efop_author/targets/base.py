"""Package stage: the one interface every output target follows.

A target is pure: it turns a rendered :class:`~efop_author.render.Site` into in-memory
:class:`Package` values. Only :mod:`efop_author.package.writer` writes them to disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from efop_author.records import record

if TYPE_CHECKING:
    from efop_author.model import Course
    from efop_author.render import Site


@record
class PackageFile:
    arcname: str
    """Posix path inside the package (ASCII, relative, no ``..``)."""
    data: bytes
    compress: bool = True
    """False for already-compressed media (png, jpg, mp4, woff2...): stored as is."""


@record
class Package:
    name: str
    """File name of the package (``efop-qpv-1.0.0-qpv-chiffres-scorm12.zip``) or folder name."""
    files: tuple[PackageFile, ...]
    kind: str = "zip"
    """``zip`` or ``dir`` (the web target writes a folder)."""
    extra: tuple[tuple[str, bytes], ...] = ()
    """Side files written next to the package (e.g. the Moodle import sheet)."""


class Target(Protocol):
    name: ClassVar[str]
    """CLI value and registry key: ``scorm12``."""
    title: ClassVar[str]
    """Human name: ``SCORM 1.2``."""
    lms_adapter: ClassVar[str]
    """Adapter file in the theme's ``static/js/lms/`` that pages load (``scorm12.js``)."""

    def package(self, course: Course, site: Site, *, bundle: bool = False) -> list[Package]:
        """Build the packages: one per module, or one for the whole course with ``bundle``."""
        ...
