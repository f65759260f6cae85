"""Render stage: the typed template context (every key always present, ``None`` when absent).

Templates run under ``StrictUndefined``, so a misspelt key fails the build instead of rendering
an empty string; in exchange, every key listed here exists in every context, which lets
templates write ``{% if page.quiz %}``. HTML fragments from the loader (already sanitised) are
wrapped in :class:`markupsafe.Markup`; every other string is escaped by autoescape.
"""

from __future__ import annotations

import functools

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, TypedDict

from markupsafe import Markup

from efop_author.messages import render as render_messages
from efop_author.messages import runtime as runtime_messages
from efop_author.render.suspend import FILL_IN_MAX, FORMAT_VERSION, quiz_signature

if TYPE_CHECKING:
    from efop_author.model import Course, Module, Page, Question

Translator = Callable[..., str]

ANNEX_GLOSSARY = "_glossary"
ANNEX_ACCESSIBILITY = "_accessibility"
"""Ids of the generated annex sections; never valid page ids (ids cannot contain ``_``)."""


def make_translator(lang: str, overrides: dict[str, str] | None = None) -> Translator:
    """``t(key, **kw)`` over the theme UI catalogue in ``lang`` (French fallback, then key).

    ``overrides``: the theme's strings for ``lang`` (``Theme.ui_strings``), which win.
    """
    table = {**(render_messages.UI.get(lang) or render_messages.UI["fr"]), **(overrides or {})}
    fallback = render_messages.UI["fr"]

    def t(key: str, /, **kwargs: object) -> str:
        text = table.get(key) or fallback.get(key)
        if text is None:
            raise KeyError(f"unknown UI string {key!r}")
        return text.format(**kwargs) if kwargs else text

    return t


def runtime_strings(lang: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    base = dict(runtime_messages.UI["fr"])
    base.update(runtime_messages.UI.get(lang, {}))
    base.update({k: v for k, v in (overrides or {}).items() if k in base})
    return base


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@functools.lru_cache(maxsize=4096)
def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (tags dropped, entities decoded, spaces collapsed).
    Quiz strings are converted twice (page and run-time data) and are mostly plain text."""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


_SINGLE_P = re.compile(r"^\s*<p>(.*)</p>\s*$", re.S)


def inline_html(fragment: str) -> Markup | None:
    """The fragment as phrasing content (one ``<p>`` unwrapped), or None if it has blocks."""
    m = _SINGLE_P.match(fragment)
    inner = m.group(1) if m else fragment
    if re.search(r"<(p|div|ul|ol|table|figure|blockquote|pre|h[1-6]|aside|section)\b", inner):
        return None
    return Markup(inner)


def _markup(fragment: str | None) -> Markup | None:
    return Markup(fragment) if fragment else None


class ChoiceCtx(TypedDict):
    key: str
    html: Markup
    text: str
    correct: bool
    feedback_html: Markup | None
    input_id: str


class PairCtx(TypedDict):
    key: str
    html: Markup
    text: str
    correct_target: str
    select_id: str


class TargetCtx(TypedDict):
    key: str
    html: Markup
    text: str


class ItemCtx(TypedDict):
    key: str
    html: Markup
    text: str


class QuestionCtx(TypedDict):
    id: str
    type: str
    number: int
    total: int
    dom_id: str
    prompt_html: Markup
    legend_html: Markup | None
    """The prompt as phrasing content for ``<legend>``; None when the prompt has blocks."""
    prompt_text: str
    choices: list[ChoiceCtx]
    pairs: list[PairCtx]
    targets: list[TargetCtx]
    items: list[ItemCtx]
    initial_order: list[ItemCtx]
    """ordering: the items as first displayed without JS (never the correct order)."""
    fill_in_maxlength: int
    feedback_correct_html: Markup | None
    feedback_incorrect_html: Markup | None


class QuizCtx(TypedDict):
    pass_score: int | None
    attempts: int | None
    shuffle: bool
    signature: str
    questions: list[QuestionCtx]


class HeadingCtx(TypedDict):
    level: int
    text: str
    anchor: str


class PageCtx(TypedDict):
    id: str
    title: str
    kind: str
    """content | quiz | summary | sources, or the annexes glossary | accessibility."""
    annex: bool
    number: int | None
    """1-based position among the module's pages; None for annexes."""
    total: int
    html: Markup
    headings: list[HeadingCtx]
    dom_id: str
    title_id: str
    quiz: QuizCtx | None


class GlossaryCtx(TypedDict):
    term: str
    expansion: str
    definition: str | None


class AccessibilityCtx(TypedDict):
    status: str
    contact: str | None
    audit_date: str | None


class CourseCtx(TypedDict):
    id: str
    title: str
    language: str
    version: str
    publisher: str
    description: str
    iri: str
    options: dict[str, Any]
    accessibility: AccessibilityCtx


class ModuleCtx(TypedDict):
    id: str
    title: str
    description: str
    objectives: list[Markup]
    duration: int | None
    mastery_score: int | None
    iri: str
    number: int
    total: int
    href: str
    """From the course home: ``<module-id>/index.html``."""


class ThemeCtx(TypedDict):
    name: str
    css: str | None
    """``theme.css`` (the ``:root`` variables of ``theme.yml``) in the shared folder, or None."""
    logo: str | None
    """Path of the logo in the shared folder (``logo/logo.svg``), or None."""
    logo_alt: str


class DocumentFields(TypedDict):
    """What the context of every document has."""

    t: Translator
    lang: str
    target: str
    efop: str
    """Relative URL prefix of the shared files (``../efop/`` from a module)."""
    theme: ThemeCtx
    course: CourseCtx


class ModuleDocContext(DocumentFields):
    module: ModuleCtx
    pages: list[PageCtx]
    annexes: list[PageCtx]
    glossary: list[GlossaryCtx]
    data_json: Markup
    """The ``efop-data`` JSON, safe inside ``<script type="application/json">``."""


class HomeContext(DocumentFields):
    modules: list[ModuleCtx]
    glossary: list[GlossaryCtx]


def course_ctx(course: Course, options: dict[str, Any]) -> CourseCtx:
    a = course.accessibility
    return CourseCtx(
        id=course.id,
        title=course.title,
        language=course.language,
        version=course.version,
        publisher=course.publisher,
        description=course.description,
        iri=course.iri,
        options=options,
        accessibility=AccessibilityCtx(status=a.status, contact=a.contact, audit_date=a.audit_date),
    )


def module_ctx(course: Course, module: Module) -> ModuleCtx:
    return ModuleCtx(
        id=module.id,
        title=module.title,
        description=module.description,
        objectives=[Markup(o) for o in module.objectives],
        duration=module.duration_minutes,
        mastery_score=module.mastery_score,
        iri=f"{course.iri}/{module.id}",
        number=course.modules.index(module) + 1,
        total=len(course.modules),
        href=f"{module.id}/index.html",
    )


def _question_ctx(q: Question, number: int, total: int, page_id: str) -> QuestionCtx:
    dom = f"q-{page_id}-{q.id}"
    choices = [
        ChoiceCtx(
            key=c.key,
            html=Markup(c.html),
            text=html_to_text(c.html),
            correct=c.correct,
            feedback_html=_markup(c.feedback_html),
            input_id=f"{dom}-{c.key}",
        )
        for c in q.choices
    ]
    pairs = [
        PairCtx(
            key=p.source_key,
            html=Markup(p.source_html),
            text=html_to_text(p.source_html),
            correct_target=p.target_key,
            select_id=f"{dom}-{p.source_key}",
        )
        for p in q.pairs
    ]
    targets = sorted(
        (TargetCtx(key=p.target_key, html=Markup(p.target_html), text=html_to_text(p.target_html)) for p in (*q.pairs, *q.distractors)),
        key=lambda x: x["key"],
    )
    items = [ItemCtx(key=i.key, html=Markup(i.html), text=html_to_text(i.html)) for i in q.items]
    initial = items[1:] + items[:1] if len(items) > 1 else list(items)
    return QuestionCtx(
        id=q.id,
        type=q.type,
        number=number,
        total=total,
        dom_id=dom,
        prompt_html=Markup(q.prompt_html),
        legend_html=inline_html(q.prompt_html),
        prompt_text=q.prompt_text,
        choices=choices,
        pairs=pairs,
        targets=targets,
        items=items,
        initial_order=initial,
        fill_in_maxlength=200,
        feedback_correct_html=_markup(q.feedback_correct_html),
        feedback_incorrect_html=_markup(q.feedback_incorrect_html),
    )


def effective_pass_score(page: Page, module: Module) -> int | None:
    assert page.quiz is not None
    return page.quiz.pass_score if page.quiz.pass_score is not None else module.mastery_score


def page_ctx(page: Page, module: Module, number: int, total: int) -> PageCtx:
    quiz: QuizCtx | None = None
    if page.quiz is not None:
        qs = page.quiz.questions
        quiz = QuizCtx(
            pass_score=effective_pass_score(page, module),
            attempts=page.quiz.attempts,
            shuffle=page.quiz.shuffle,
            signature=quiz_signature(page),
            questions=[_question_ctx(q, i + 1, len(qs), page.id) for i, q in enumerate(qs)],
        )
    return PageCtx(
        id=page.id,
        title=page.title,
        kind=page.kind,
        annex=False,
        number=number,
        total=total,
        html=Markup(page.html),
        headings=[HeadingCtx(level=h.level, text=h.text, anchor=h.anchor) for h in page.headings],
        dom_id=f"page-{page.id}",
        title_id=f"title-{page.id}",
        quiz=quiz,
    )


def annex_ctx(annex_id: str, kind: str, title: str, total: int) -> PageCtx:
    return PageCtx(
        id=annex_id,
        title=title,
        kind=kind,
        annex=True,
        number=None,
        total=total,
        html=Markup(""),
        headings=[],
        dom_id=f"page-{annex_id}",
        title_id=f"title-{annex_id}",
        quiz=None,
    )


def glossary_ctx(course: Course) -> list[GlossaryCtx]:
    entries = sorted(course.glossary, key=lambda e: (e.term.casefold(), e.term))
    return [GlossaryCtx(term=e.term, expansion=e.expansion, definition=e.definition) for e in entries]


def _question_data(q: Question) -> dict[str, Any]:
    d: dict[str, Any] = {"id": q.id, "type": q.type, "text": q.prompt_text, "weight": q.weight}
    if q.type in ("single", "multiple", "true-false"):
        d["choices"] = [{"key": c.key, "text": html_to_text(c.html)} for c in q.choices]
        d["correct"] = [c.key for c in q.choices if c.correct]
    elif q.type == "matching":
        d["sources"] = [{"key": p.source_key, "text": html_to_text(p.source_html)} for p in q.pairs]
        d["targets"] = sorted(
            ({"key": p.target_key, "text": html_to_text(p.target_html)} for p in (*q.pairs, *q.distractors)),
            key=lambda x: x["key"],
        )
        d["correct"] = [f"{p.source_key}.{p.target_key}" for p in q.pairs]
    elif q.type == "ordering":
        d["items"] = [{"key": i.key, "text": html_to_text(i.html)} for i in q.items]
        d["correct"] = [i.key for i in q.items]
    else:
        d["correct"] = list(q.accepted)
        d["case_sensitive"] = q.case_sensitive
        d["accent_sensitive"] = q.accent_sensitive
    return d


def module_data(
    course: Course, module: Module, target: str, pages: list[PageCtx], strings: dict[str, str] | None = None
) -> dict[str, Any]:
    """The ``efop-data`` object of contracts §2."""
    quizzes: dict[str, Any] = {}
    for page in module.pages:
        if page.quiz is None:
            continue
        quizzes[page.id] = {
            "pass_score": effective_pass_score(page, module),
            "attempts": page.quiz.attempts,
            "shuffle": page.quiz.shuffle,
            "sig": quiz_signature(page),
            "questions": [_question_data(q) for q in page.quiz.questions],
        }
    return {
        "format": 1,
        "state_format": FORMAT_VERSION,
        "fill_in_max": FILL_IN_MAX,
        "target": target,
        "lang": course.language,
        "course": {"id": course.id, "title": course.title, "iri": course.iri, "version": course.version},
        "module": {
            "id": module.id,
            "title": module.title,
            "mastery_score": module.mastery_score,
            "iri": f"{course.iri}/{module.id}",
        },
        "pages": [{"id": p["id"], "title": p["title"], "kind": p["kind"]} for p in pages],
        "quizzes": quizzes,
        "strings": runtime_strings(course.language, strings),
    }


def json_for_script(data: object) -> Markup:
    """JSON that cannot close its ``<script>`` element nor open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)




def theme_ctx(name: str, css: str | None, logo: str | None, logo_alt: str) -> ThemeCtx:
    return ThemeCtx(name=name, css=css, logo=logo, logo_alt=logo_alt)
