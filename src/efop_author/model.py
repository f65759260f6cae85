"""The course model: plain frozen dataclasses produced by the load stage.

No I/O and no rendering here. Every node that comes from a file carries ``loc``.
Markdown has already been turned into sanitised HTML fragments by the loader (``*_html``
fields), because the loader needs the token stream anyway for its diagnostics (links, images,
raw HTML, headings); templates only place these fragments.

Identifiers (``id`` fields) are explicit in the sources, validated against :data:`ID_PATTERN`
and unique in their scope; every identifier in a package (manifest items, interaction ids,
xAPI activity IRIs, suspend_data keys) is derived from them, never from titles or counters.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Literal

from efop_author.diagnostics import SourceLocation
from efop_author.records import record

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
"""Ids are lower-case slugs starting with a letter: valid as xs:ID, CMIIdentifier, IRI segment."""

QuestionType = Literal["single", "multiple", "true-false", "matching", "ordering", "fill-in"]
QUESTION_TYPES: tuple[QuestionType, ...] = (
    "single",
    "multiple",
    "true-false",
    "matching",
    "ordering",
    "fill-in",
)
PageKind = Literal["content", "quiz", "summary", "sources"]
PAGE_KINDS: tuple[PageKind, ...] = ("content", "quiz", "summary", "sources")


@record(kw_only=True)
class Choice:
    """One answer option of a single/multiple/true-false question."""

    key: str
    """Single character ``a``, ``b``, ... by position (SCORM 1.2 choice responses need it)."""
    html: str
    """Inline HTML of the option text."""
    correct: bool
    feedback_html: str | None = None
    """Feedback shown when this option is selected (optional)."""


@record(kw_only=True)
class MatchPair:
    """A matching pair: ``source`` must be matched with ``target``."""

    source_key: str
    """``1``, ``2``, ... by position (SCORM 1.2 matching responses: ``1.a,2.c``)."""
    source_html: str
    target_key: str
    """``a``, ``b``, ... by position of the target in the authored list."""
    target_html: str


@record(kw_only=True)
class OrderItem:
    """One item of an ordering question."""

    key: str
    """``a``, ``b``, ... in the *correct* order (SCORM 1.2 sequencing: ``a,b,c``)."""
    html: str


@record(kw_only=True)
class Question:
    """One question of a quiz; which fields are set depends on ``type``."""

    id: str
    type: QuestionType
    prompt_html: str
    """Inline/block HTML of the question prompt."""
    prompt_text: str
    """The prompt as plain text (for interaction descriptions, xAPI names, aria labels)."""
    loc: SourceLocation
    choices: tuple[Choice, ...] = ()
    """single / multiple / true-false (true-false: ``a`` = Vrai, ``b`` = Faux)."""
    pairs: tuple[MatchPair, ...] = ()
    """matching only; extra distractor targets are in ``distractors``."""
    distractors: tuple[MatchPair, ...] = ()
    """matching only: targets that match no source (``source_key`` empty)."""
    items: tuple[OrderItem, ...] = ()
    """ordering only, in the correct order."""
    accepted: tuple[str, ...] = ()
    """fill-in only: accepted answers, first one is the canonical answer."""
    case_sensitive: bool = False
    accent_sensitive: bool = False
    feedback_correct_html: str | None = None
    feedback_incorrect_html: str | None = None
    weight: float = 1.0


@record(kw_only=True)
class Quiz:
    """The quiz carried by a page of kind ``quiz``."""

    pass_score: int | None
    """0-100; ``None`` means the module's mastery score applies (or none)."""
    attempts: int | None
    """Maximum number of submissions; ``None`` = unlimited."""
    shuffle: bool
    """Shuffle choices/items, stably per learner."""
    questions: tuple[Question, ...]
    loc: SourceLocation


@record(kw_only=True)
class Heading:
    """A heading of a page body, with its anchor in the module document."""

    level: int
    text: str
    anchor: str


@record(kw_only=True)
class Asset:
    """A file copied into the package (image, PDF...)."""

    source: Path
    """Absolute path on disk."""
    arcname: str
    """Posix path relative to the module folder in the package (``assets/chart.svg``)."""


@record(kw_only=True)
class Page:
    """One page of a module: a content page, a quiz, a summary or the sources."""

    id: str
    title: str
    kind: PageKind
    html: str
    """Body HTML (sanitised), with glossary ``<abbr>`` and heading anchors applied."""
    headings: tuple[Heading, ...]
    loc: SourceLocation
    """Location of the page file (line 1)."""
    quiz: Quiz | None = None


@record(kw_only=True)
class Module:
    """One module: what an LMS sees as one SCO (or xAPI activity), its pages in order."""

    id: str
    title: str
    folder: str
    """Source folder name (``01-qpv-chiffres``), for messages only."""
    description: str
    objectives: tuple[str, ...]
    """Objectives as inline HTML."""
    duration_minutes: int | None
    mastery_score: int | None
    """0-100; module value, else the course value, else ``None`` (completion by pages seen)."""
    pages: tuple[Page, ...]
    assets: tuple[Asset, ...]
    loc: SourceLocation


@record(kw_only=True)
class GlossaryEntry:
    """One acronym of the course glossary."""

    term: str
    expansion: str
    definition: str | None
    loc: SourceLocation


@record(kw_only=True)
class Accessibility:
    """Facts for the « Déclaration d'accessibilité » page."""

    status: str = "non conforme"
    """« totalement conforme », « partiellement conforme » or « non conforme » (RGAA wording)."""
    contact: str | None = None
    audit_date: str | None = None


@record(kw_only=True)
class Course:
    """A whole course project, as loaded from its folder."""

    id: str
    title: str
    language: str
    version: str
    publisher: str
    iri: str
    """Base IRI for xAPI/cmi5 activity ids (no trailing slash)."""
    description: str
    mastery_score: int | None
    targets: tuple[str, ...]
    theme: str
    allow_raw_html: bool
    suppress_warnings: tuple[str, ...]
    modules: tuple[Module, ...]
    glossary: tuple[GlossaryEntry, ...]
    accessibility: Accessibility
    root: Path
    """Project folder on disk (absolute)."""
    loc: SourceLocation
    options: dict[str, object] = field(default_factory=dict)
    """Theme options from ``course.yml`` ``theme_options`` (free-form)."""

    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(module_id)
