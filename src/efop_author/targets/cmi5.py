"""cmi5 target (standards §6.1): ``cmi5.xml`` at the root + the rendered site.

One AU per module, id ``{course.iri}/{module.id}`` (the module IRI of the run-time data), url
``<module-id>/index.html`` (relative), ``moveOn="CompletedAndPassed"`` with ``masteryScore`` =
score / 100 when the module has a mastery score, else ``moveOn="Completed"``.

Bundle (``{course}-cmi5.zip``): one course ``{course.iri}`` with every module as an AU.
Per module (``{course}-{module}-cmi5.zip``): a course of its own whose id must differ from the
AU's and from the other modules' packages: ``{course.iri}/{module.id}/_course`` (``_`` never
occurs in a page id, so it cannot clash with a page IRI).

AU ids are never used as statement objects: the LMS passes its own ``activityId`` at launch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from efop_author.targets import _cam
from efop_author.targets._cam import CMI5
from efop_author.targets.scorm2004 import scaled

if TYPE_CHECKING:
    from lxml import etree

    from efop_author.model import Course, Module
    from efop_author.render import Site
    from efop_author.targets.base import Package

C = _cam.maker(CMI5, {None: CMI5})


def au_id(course: Course, module: Module) -> str:
    return f"{course.iri}/{module.id}"


def module_course_id(course: Course, module: Module) -> str:
    return f"{course.iri}/{module.id}/_course"


def _langstrings(course: Course, tag: str, text: str) -> etree._Element:
    return C(tag, *(C.langstring(text, lang=lang) for lang in _cam.languages(course)))


def _au(course: Course, module: Module) -> etree._Element:
    attrs = {"id": au_id(course, module), "launchMethod": "AnyWindow"}
    if module.mastery_score is not None:
        attrs["moveOn"] = "CompletedAndPassed"
        attrs["masteryScore"] = scaled(module.mastery_score)
    else:
        attrs["moveOn"] = "Completed"
    return C.au(
        _langstrings(course, "title", module.title),
        _langstrings(
            course, "description", _cam.markdown_text(module.description) or module.title
        ),
        C.url(_cam.launch_href(module)),
        attrs,
    )


def course_structure(course: Course, modules: list[Module], *, course_id: str | None = None,
                     title: str | None = None, description: str | None = None) -> bytes:
    title = title if title is not None else course.title
    desc = description if description is not None else _cam.markdown_text(course.description)
    root = C.courseStructure(
        C.course(
            _langstrings(course, "title", title),
            _langstrings(course, "description", desc or title),
            id=course_id or course.iri,
        ),
        *(_au(course, m) for m in modules),
    )
    return _cam.tostring(root)


def module_structure(course: Course, module: Module) -> bytes:
    return course_structure(
        course,
        [module],
        course_id=module_course_id(course, module),
        title=module.title,
        description=_cam.markdown_text(module.description),
    )


class Cmi5:
    name: ClassVar[str] = "cmi5"
    title: ClassVar[str] = "cmi5"
    lms_adapter: ClassVar[str] = "cmi5.js"

    def package(self, course: Course, site: Site, *, bundle: bool = False) -> list[Package]:
        return _cam.assemble(
            course, site, target=self.name, manifest="cmi5.xml", bundle=bundle,
            per_module=lambda module, _files: module_structure(course, module),
            whole=lambda per, _shared: course_structure(course, [course.module(m) for m in per]),
        )
