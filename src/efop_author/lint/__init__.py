"""Build-time lints on the loaded course model: accessibility (``a11y.*``) and French
typography (``fr.*``).

``lint_course(course) -> list[Diagnostic]`` is called by the build orchestrator right after
loading (and by ``efop-author preview`` on every rebuild). The lints read the model's
sanitised HTML; locations are ``file:line``, computed by searching the page's source file
(see :mod:`efop_author.lint._source`).

Most prose is clean: before parsing a unit's HTML with lxml and walking its text, each rule
runs a cheap regex pre-check (:mod:`efop_author.lint._quick`) that proves, for most units, that
the rule has nothing to report there. Only the units that may hold a finding take the precise
path, which alone decides what is reported and where (:data:`PRECHECKS` off: every unit takes
it; the diagnostics are the same).

Severities: the accessibility failures a machine can establish for sure (a link without any
text, a table without header cells, a video or audio without captions or transcript) are
errors; heuristics (heading level jumps, vague link texts, colour-only feedback) and every
``fr.*`` rule are warnings. ``course.yml`` ``suppress_warnings`` silences warnings by code,
or by family with ``fr.*`` / ``a11y.*``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING

from efop_author.diagnostics import Diagnostic, Severity, SourceLocation
from efop_author.lint import _source
from efop_author.lint._source import SourceFile
from efop_author.messages import t

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from efop_author.model import Course, Question

__all__ = ["PRECHECKS", "RULES", "lint_course"]

PRECHECKS = True
"""Skip the precise path for units the cheap pre-checks clear (tests turn it off to compare)."""

RULES: dict[str, Severity] = {
    "a11y.empty-link": Severity.ERROR,
    "a11y.table-no-header": Severity.ERROR,
    "a11y.media-captions": Severity.ERROR,
    "a11y.heading-jump": Severity.WARNING,
    "a11y.link-text": Severity.WARNING,
    "a11y.colour-only": Severity.WARNING,
    "fr.nbsp": Severity.WARNING,
    "fr.nbsp-guillemets": Severity.WARNING,
    "fr.straight-quotes": Severity.WARNING,
    "fr.undefined-acronym": Severity.WARNING,
}
"""Every lint code and its severity."""


class Unit:
    """One piece of learner-facing prose, with where to look for it in the sources."""

    __slots__ = ("_line", "_quick", "_tree", "html", "page", "role", "src")

    def __init__(self, src: SourceFile, line: int | None, html: str, role: str, page: str = "") -> None:
        self.src = src
        self._line = line
        self.html = html
        self.role = role
        """``body`` (a page body), ``title``, ``text`` (module/course/glossary strings),
        ``prompt``, ``choice``, ``feedback`` (quiz)."""
        self.page = page
        """Page key (``module/page``) for per-page rules."""
        self._tree: HtmlElement | None = None
        self._quick: str | None | bool = False

    @property
    def line(self) -> int:
        """Search starts here (page body start, question line, glossary entry line...);
        ``None`` given: the body start of a page file (read only when needed)."""
        return self._line if self._line is not None else self.src.body_line

    @property
    def tree(self) -> HtmlElement:
        if self._tree is None:
            self._tree = _source.parse_fragment(self.html)
        return self._tree

    @property
    def quick_html(self) -> str | None:
        """The HTML without tool-generated screen-reader text, for the pre-checks; ``None``
        when they cannot be trusted on this unit."""
        if self._quick is False:
            from efop_author.lint._quick import without_sr_only

            self._quick = without_sr_only(self.html)
        return self._quick  # type: ignore[return-value]

    def cursor(self):  # noqa: ANN201 - Cursor
        return self.src.cursor(self.line)


class Linter:
    def __init__(self, course: Course) -> None:
        self.course = course
        self.sources: dict[str, SourceFile] = {}
        self.out: list[Diagnostic] = []
        self.prechecks = PRECHECKS
        self.seen: set[tuple[str, str, int]] = set()
        suppress = {str(x) for x in course.suppress_warnings}
        self.suppress_exact = {s for s in suppress if not s.endswith("*")}
        self.suppress_prefix = tuple(s[:-1] for s in suppress if s.endswith("*"))

    def source(self, display: str) -> SourceFile:
        src = self.sources.get(display)
        if src is None:
            src = self.sources[display] = SourceFile(self.course.root, display)
        return src

    def report(self, code: str, path: str, line: int, **kwargs: object) -> None:
        severity = RULES[code]
        if severity is not Severity.ERROR and self.suppressed(code):
            return
        key = (code, path, line)
        if key in self.seen:  # one diagnostic per rule and line is enough to find the spot
            return
        self.seen.add(key)
        self.out.append(Diagnostic(code, severity, t("lint." + code, **kwargs), SourceLocation(path, line)))

    def suppressed(self, code: str) -> bool:
        return code in self.suppress_exact or any(code.startswith(p) for p in self.suppress_prefix)

    # -- the prose of the course ------------------------------------------------------------
    def units(self) -> Iterator[Unit]:
        c = self.course
        course_src = self.source(c.loc.path)
        yield Unit(course_src, 1, html.escape(c.title), "title")
        if c.description:
            yield Unit(course_src, 1, _inline_markdown(c.description), "text")
        for entry in c.glossary:
            src = self.source(entry.loc.path)
            yield Unit(src, entry.loc.line, html.escape(entry.expansion), "text")
            if entry.definition:
                yield Unit(src, entry.loc.line, html.escape(entry.definition), "text")
        for module in c.modules:
            msrc = self.source(module.loc.path)
            yield Unit(msrc, 1, html.escape(module.title), "title")
            if module.description:
                yield Unit(msrc, 1, html.escape(module.description), "text")
            for obj in module.objectives:
                yield Unit(msrc, 1, obj, "text")
            for page in module.pages:
                psrc = self.source(page.loc.path)
                key = f"{module.id}/{page.id}"
                yield Unit(psrc, 1, html.escape(page.title), "title", key)
                yield Unit(psrc, None, page.html, "body", key)
                if page.quiz is not None:
                    for q in page.quiz.questions:
                        yield from self.question_units(q, key)

    def question_units(self, q: Question, key: str) -> Iterator[Unit]:
        src = self.source(q.loc.path)
        line = q.loc.line or 1
        yield Unit(src, line, q.prompt_html, "prompt", key)
        for choice in q.choices:
            yield Unit(src, line, choice.html, "choice", key)
            if choice.feedback_html:
                yield Unit(src, line, choice.feedback_html, "feedback", key)
        for pair in (*q.pairs, *q.distractors):
            if pair.source_html:
                yield Unit(src, line, pair.source_html, "choice", key)
            yield Unit(src, line, pair.target_html, "choice", key)
        for item in q.items:
            yield Unit(src, line, item.html, "choice", key)
        for fb in (q.feedback_correct_html, q.feedback_incorrect_html):
            if fb:
                yield Unit(src, line, fb, "feedback", key)


def _inline_markdown(text: str) -> str:
    """``course.yml`` ``description`` is inline Markdown (raw HTML shown as text)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).renderInline(text)


def lint_course(course: Course | None) -> list[Diagnostic]:
    """Run every lint on a loaded course; ``None`` (unusable course) gives no diagnostic."""
    if course is None:
        return []
    from efop_author.lint import a11y, french

    linter = Linter(course)
    units = list(linter.units())
    a11y.check(linter, units)
    if (course.language or "fr") == "fr":
        french.check(linter, units)
    return linter.out
