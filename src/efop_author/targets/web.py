"""Web target: the rendered site as a plain folder ``web/`` (no LMS; progress in localStorage).

Layout: ``index.html`` (course home), ``efop/...``, ``<module-id>/index.html`` +
``<module-id>/assets/...``. ``bundle`` makes no difference. The home normally comes from the
render stage; when a site has none, a minimal list of links to the modules stands in (built
with lxml, so titles are escaped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from lxml import html
from lxml.builder import E

from efop_author.targets import _cam

if TYPE_CHECKING:
    from efop_author.model import Course
    from efop_author.render import Site
    from efop_author.targets.base import Package

DIR_NAME = "web"


def fallback_home(course: Course, site: Site) -> bytes:
    """A minimal course home: the course title and one link per module."""
    doc = E.html(
        E.head(
            E.meta(charset="utf-8"),
            E.meta(name="viewport", content="width=device-width, initial-scale=1"),
            E.title(course.title),
            E.link(rel="stylesheet", href=f"{_cam.SHARED_DIR}/course.css"),
        ),
        E.body(
            E.main(
                E.h1(course.title),
                E.ul(
                    *(
                        E.li(E.a(r.module.title, href=_cam.launch_href(r.module)))
                        for r in site.modules
                    )
                ),
            )
        ),
        lang=course.language or "fr",
    )
    return html.tostring(doc, doctype="<!DOCTYPE html>", encoding="utf-8", method="html") + b"\n"


class Web:
    name: ClassVar[str] = "web"
    title: ClassVar[str] = "Site web"
    lms_adapter: ClassVar[str] = "web.js"

    def package(self, course: Course, site: Site, *, bundle: bool = False) -> list[Package]:
        files = _cam.shared_files(site)
        for rendered in site.modules:
            files.update(_cam.module_files(rendered))
        files["index.html"] = site.home if site.home is not None else fallback_home(course, site)
        return [_cam.make_package(DIR_NAME, files, kind="dir")]
