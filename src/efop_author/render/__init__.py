"""Render stage: course model + theme -> in-memory site (posix path -> bytes).

Layout of a rendered site (identical for every target, so packaging is only a matter of
choosing files):

    efop/                 shared run-time and theme files (css, js, fonts-free icons...)
    efop/lms.js           the LMS adapter of the target (scorm12.js, web.js, xapi.js...)
    <module-id>/index.html    one HTML document per module, every page a <section>
    <module-id>/assets/...    the module's assets
    index.html            course home (web target and bundles only)

A module document refers to shared files as ``../efop/...``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from efop_author.records import record

if TYPE_CHECKING:
    from efop_author.model import Course, Module


@record
class RenderedModule:
    module: Module
    files: Mapping[str, bytes]
    """Paths relative to the module folder: ``index.html``, ``assets/x.svg``..."""
    suspend_max: int
    """Worst-case length of the SCORM suspend_data for this module (characters)."""


@record
class Site:
    course: Course
    target: str
    shared: Mapping[str, bytes]
    """Paths relative to ``efop/``: ``course.css``, ``runtime.js``, ``lms.js``..."""
    modules: tuple[RenderedModule, ...]
    home: bytes | None = None
    """Course home page (``index.html`` at the root), for web/bundles."""
