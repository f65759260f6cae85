"""xAPI / Tin Can target (standards §5): ``tincan.xml`` at the root + the rendered site.

Per module: ``{course}-{module}-xapi.zip`` whose first (launchable) activity is the module,
``{course.iri}/{module.id}``, launching ``<module-id>/index.html``.
Bundle: ``{course}-xapi.zip`` whose first activity is the course, ``{course.iri}``, launching the
course home ``index.html`` (or the first module when there is no home), followed by one
activity per module (no launch).

Then one ``cmi.interaction`` activity per quiz question, id
``{course.iri}/{module.id}/{page.id}/{question.id}`` (the same IRI the xAPI run-time adapter
must use as the object of ``answered`` statements), with ``interactionType`` and
``correctResponsePatterns`` in the xAPI formats (standards §4.4).

Names and descriptions are given in French and English (same text until the model has
translations). No endpoint or credential ever goes into a package: the LMS passes them at
launch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from efop_author.targets import _cam
from efop_author.targets._cam import TINCAN, clip, html_text

if TYPE_CHECKING:
    from lxml import etree

    from efop_author.model import Course, Module, Question
    from efop_author.render import Site
    from efop_author.targets.base import Package

T = _cam.maker(TINCAN, {None: TINCAN})

ACT = "http://adlnet.gov/expapi/activities/"
TYPE_COURSE = ACT + "course"
TYPE_MODULE = ACT + "module"
TYPE_INTERACTION = ACT + "cmi.interaction"


def module_iri(course: Course, module: Module) -> str:
    return f"{course.iri}/{module.id}"


def question_iri(course: Course, module: Module, page_id: str, question: Question) -> str:
    return f"{course.iri}/{module.id}/{page_id}/{question.id}"


def _langs(course: Course, tag: str, text: str) -> list[etree._Element]:
    return [T(tag, text, lang=lang) for lang in _cam.languages(course)]


def _components(course: Course, tag: str, items: list[tuple[str, str]]) -> etree._Element:
    return T(
        tag,
        *(
            T.component(T.id(key), *_langs(course, "description", html_text(text)))
            for key, text in items
        ),
    )


def interaction(question: Question) -> tuple[str, list[str]]:
    """``(interactionType, correctResponsesPattern)`` of a question (xAPI formats)."""
    match question.type:
        case "single" | "multiple":
            keys = [c.key for c in question.choices if c.correct]
            return "choice", ["[,]".join(keys)]
        case "true-false":
            # a = Vrai, b = Faux (model.Question.choices)
            answer = bool(question.choices) and question.choices[0].correct
            return "true-false", ["true" if answer else "false"]
        case "matching":
            return "matching", ["[,]".join(f"{p.source_key}[.]{p.target_key}" for p in question.pairs)]
        case "ordering":
            return "sequencing", ["[,]".join(i.key for i in question.items)]
        case "fill-in":
            prefix = "{case_matters=true}" if question.case_sensitive else ""
            return "fill-in", [prefix + text for text in question.accepted]
    return "other", []


def _question_activity(course: Course, module: Module, page_id: str, q: Question) -> etree._Element:
    itype, patterns = interaction(q)
    text = q.prompt_text or html_text(q.prompt_html) or q.id
    children = [
        *_langs(course, "name", clip(text, 120)),
        *_langs(course, "description", text),
        T.interactionType(itype),
    ]
    if patterns:
        children.append(T.correctResponsePatterns(*(T.correctResponsePattern(p) for p in patterns)))
    if q.type in ("single", "multiple"):
        children.append(_components(course, "choices", [(c.key, c.html) for c in q.choices]))
    elif q.type == "ordering":
        children.append(_components(course, "choices", [(i.key, i.html) for i in q.items]))
    elif q.type == "matching":
        children.append(
            _components(course, "source", [(p.source_key, p.source_html) for p in q.pairs])
        )
        targets = [*q.pairs, *q.distractors]
        targets.sort(key=lambda p: p.target_key)
        children.append(_components(course, "target", [(p.target_key, p.target_html) for p in targets]))
    return T.activity(*children, id=question_iri(course, module, page_id, q), type=TYPE_INTERACTION)


def _interactions(course: Course, module: Module) -> list[etree._Element]:
    return [
        _question_activity(course, module, page.id, q)
        for page in module.pages
        if page.quiz is not None
        for q in page.quiz.questions
    ]


def _module_activity(course: Course, module: Module, launch: str | None) -> etree._Element:
    children = [
        *_langs(course, "name", module.title),
        *_langs(
            course, "description", _cam.markdown_text(module.description) or module.title
        ),
    ]
    if launch is not None:
        children.append(T.launch(launch, lang=_cam.languages(course)[0]))
    return T.activity(*children, id=module_iri(course, module), type=TYPE_MODULE)


def module_tincan(course: Course, module: Module) -> bytes:
    root = T.tincan(
        T.activities(
            _module_activity(course, module, _cam.launch_href(module)),
            *_interactions(course, module),
        )
    )
    return _cam.tostring(root)


def course_tincan(course: Course, modules: list[Module], launch: str) -> bytes:
    first = T.activity(
        *_langs(course, "name", course.title),
        *_langs(course, "description", _cam.markdown_text(course.description) or course.title),
        T.launch(launch, lang=_cam.languages(course)[0]),
        id=course.iri,
        type=TYPE_COURSE,
    )
    acts = [first]
    acts.extend(_module_activity(course, m, None) for m in modules)
    for m in modules:
        acts.extend(_interactions(course, m))
    return _cam.tostring(T.tincan(T.activities(*acts)))


class Xapi:
    name: ClassVar[str] = "xapi"
    title: ClassVar[str] = "xAPI (Tin Can)"
    lms_adapter: ClassVar[str] = "xapi.js"

    def package(self, course: Course, site: Site, *, bundle: bool = False) -> list[Package]:
        def whole(per: dict[str, list[str]], _shared: list[str]) -> bytes:
            modules = [course.module(m) for m in per]
            if site.home is not None:
                launch = "index.html"
            else:
                launch = _cam.launch_href(modules[0]) if modules else "index.html"
            return course_tincan(course, modules, launch)

        return _cam.assemble(
            course, site, target=self.name, manifest="tincan.xml", bundle=bundle,
            per_module=lambda module, _files: module_tincan(course, module),
            whole=whole,
        )
