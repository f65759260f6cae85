"""Render stage: the learner-state encoding (SCORM ``cmi.suspend_data``) and its worst-case size.

runtime.js writes the state; this module states the grammar and computes, for one module, the
longest string the run-time can ever write, so that the build fails (``runtime.suspend-overflow``)
before a learner loses progress on an LMS that enforces the SCORM 1.2 limit of 4096 characters.
See docs/runtime.md for the grammar. The constants here and in runtime.js must agree (a browser
test writes a worst-case state and compares its length with :func:`suspend_worst_case`).

Grammar (``"..."`` literal, ``*`` repetition)::

    state    = "1" "|" visited "|" quizzes
    visited  = [ page-id *( "," page-id ) ]                 pages seen, in module order
    quizzes  = [ quiz *( ";" quiz ) ]                        quizzes with answers or a result
    quiz     = page-id ":" sig ":" tries ":" score ":" answers
    sig      = 4 hex digits (:func:`quiz_signature`)         detects a changed quiz
    tries    = 0..99                                          submissions made
    score    = "" | 0..100                                    last submitted score
    answers  = [ answer *( "," answer ) ]
    answer   = question-id "=" value
    value    = single/true-false: one choice key         "b"
             | multiple: the selected keys, concatenated  "ac"
             | matching: one target key or "-" per source, in source order   "ba-"
             | ordering: the item keys in the learner's order                 "cab"
             | fill-in: the text, "%XX"-escaping % | ; : , = and controls, cut to 60 chars
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from efop_author.model import Module, Page, Question

FORMAT_VERSION = 1
SUSPEND_LIMIT = 4096
"""SCORM 1.2 ``cmi.suspend_data`` (CMIString4096)."""
LOCATION_LIMIT = 255
"""SCORM 1.2 ``cmi.core.lesson_location`` (CMIString255); holds a page id (≤ 64)."""
SIG_LEN = 4
TRIES_LEN = 2
"""The submission counter is capped at 99."""
SCORE_LEN = 3
FILL_IN_MAX = 60
"""Maximum length of an encoded fill-in answer (escapes included, UTF-16 code units)."""


def quiz_signature(page: Page) -> str:
    """4 hex digits that change when a quiz's questions or their answers change."""
    assert page.quiz is not None
    parts = []
    for q in page.quiz.questions:
        parts.append(
            [
                q.id,
                q.type,
                [[c.key, c.correct] for c in q.choices],
                [[p.source_key, p.target_key] for p in q.pairs],
                [p.target_key for p in q.distractors],
                [i.key for i in q.items],
                list(q.accepted),
                q.case_sensitive,
                q.accent_sensitive,
                q.weight,
            ]
        )
    blob = json.dumps(parts, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return hashlib.sha1(blob).hexdigest()[:SIG_LEN]


def value_max(question: Question) -> int:
    """Longest encoded answer value of one question."""
    if question.type in ("single", "true-false"):
        return 1
    if question.type == "multiple":
        return len(question.choices)
    if question.type == "matching":
        return len(question.pairs)
    if question.type == "ordering":
        return len(question.items)
    return FILL_IN_MAX


def _joined(lengths: list[int]) -> int:
    """Length of items of these lengths joined by a one-character separator."""
    return sum(lengths) + max(0, len(lengths) - 1)


def suspend_worst_case(module: Module) -> int:
    """The longest state runtime.js can write for ``module`` (every page seen, every answer at
    its longest, every quiz submitted with a 3-digit score and a 2-digit counter)."""
    visited = _joined([len(p.id) for p in module.pages])
    quizzes = []
    for page in module.pages:
        if page.quiz is None:
            continue
        answers = _joined([len(q.id) + 1 + value_max(q) for q in page.quiz.questions])
        quizzes.append(len(page.id) + 1 + SIG_LEN + 1 + TRIES_LEN + 1 + SCORE_LEN + 1 + answers)
    return len(str(FORMAT_VERSION)) + 1 + visited + 1 + _joined(quizzes)
