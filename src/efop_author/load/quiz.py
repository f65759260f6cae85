"""Load stage: quiz definitions (YAML in a quiz page's front matter) -> model.Quiz.

Every authoring mistake is a located diagnostic (``quiz.*``): no correct answer, several
correct answers on a single-choice question, duplicate ids, unknown types, matching pairs
that do not pair, ordering items that repeat, fill-in without accepted answers.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from efop_author.diagnostics import Diagnostics, SourceLocation
from efop_author.load.schema import (
    Field,
    check_id,
    check_mapping,
    check_positive,
    check_score,
    close_matches,
    line_of,
)
from efop_author.load.yaml_marks import LMap
from efop_author.messages import t
from efop_author.model import QUESTION_TYPES, Choice, MatchPair, OrderItem, Question, Quiz

MAX_CHOICES = 26
# Inline Markdown renderer handed in by the page loader: (text, line) -> (html, plain text).
Inline = Callable[[str, int], tuple[str, str]]

_QUIZ_FIELDS = {
    "pass_score": Field(int, check=check_score),
    "attempts": Field(int, check=check_positive),
    "shuffle": Field(bool, default=False),
    "questions": Field(list, required=True),
}
_COMMON = {
    "id": Field(str, required=True, check=check_id),
    "type": Field(str, required=True),
    "prompt": Field(str, required=True),
    "feedback": Field(dict),
    "weight": Field((int, float), default=1),
}
_BY_TYPE: dict[str, dict[str, Field]] = {
    "single": {"choices": Field(list, required=True)},
    "multiple": {"choices": Field(list, required=True)},
    "true-false": {"answer": Field(bool, required=True), "feedback_true": Field(str), "feedback_false": Field(str)},
    "matching": {"pairs": Field(list, required=True), "distractors": Field(list, default=[])},
    "ordering": {"items": Field(list, required=True)},
    "fill-in": {
        "accept": Field(list, required=True),
        "case_sensitive": Field(bool, default=False),
        "accent_sensitive": Field(bool, default=False),
    },
}
_CHOICE_FIELDS = {"text": Field(str, required=True), "correct": Field(bool, default=False), "feedback": Field(str)}
_PAIR_FIELDS = {"source": Field(str, required=True), "target": Field(str, required=True)}
_FEEDBACK_FIELDS = {"correct": Field(str), "incorrect": Field(str)}


def parse_quiz(front: LMap, path: str, diags: Diagnostics, inline: Inline) -> Quiz | None:
    """Parse the quiz keys of a page's front matter (the page keys were removed already)."""
    values = check_mapping(front, _QUIZ_FIELDS, path, diags, what=t("load.what-quiz"), line=front.line)
    if values is None:
        return None
    raw_questions = front.get("questions")
    here = SourceLocation(path, line_of(front, "questions", front.line))
    if not isinstance(raw_questions, list):
        return None
    if not raw_questions:
        diags.error("quiz.empty", t("quiz.empty"), here)
        return None
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_questions):
        qline = line_of(raw_questions, index, here.line)
        q = _question(raw, path, qline, diags, inline)
        if q is None:
            continue
        if q.id in seen:
            diags.error(
                "quiz.duplicate-id",
                t("quiz.duplicate-id", id=q.id, first=f"{path}:{seen[q.id]}"),
                q.loc,
            )
            continue
        seen[q.id] = q.loc.line
        questions.append(q)
    return Quiz(
        pass_score=values["pass_score"],
        attempts=values["attempts"],
        shuffle=bool(values["shuffle"]),
        questions=tuple(questions),
        loc=here,
    )


def _question(raw: Any, path: str, line: int, diags: Diagnostics, inline: Inline) -> Question | None:
    loc = SourceLocation(path, line)
    if not isinstance(raw, dict):
        diags.error("load.bad-type", t("load.not-a-mapping", what=t("load.what-question")), loc)
        return None
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        near = close_matches(str(qtype), QUESTION_TYPES, n=1, cutoff=0.5)
        hint = t("load.did-you-mean", name=near[0]) if near else t("load.known-keys", keys=", ".join(QUESTION_TYPES))
        diags.error("quiz.unknown-type", t("quiz.unknown-type", type=qtype) + " " + hint,
                    SourceLocation(path, line_of(raw, "type", line)))
        return None
    fields = {**_COMMON, **_BY_TYPE[qtype]}
    values = check_mapping(raw, fields, path, diags, what=t("load.what-question"), line=line)
    if values is None or values["id"] is None or values["prompt"] is None:
        return None
    prompt_html, prompt_text = inline(values["prompt"], line_of(raw, "prompt", line))
    fb = values["feedback"]
    fb_values: dict[str, Any] = {"correct": None, "incorrect": None}
    if fb is not None:
        fb_values = check_mapping(fb, _FEEDBACK_FIELDS, path, diags, what=t("load.what-feedback")) or fb_values
    kwargs: dict[str, Any] = {
        "id": values["id"],
        "type": qtype,
        "prompt_html": prompt_html,
        "prompt_text": prompt_text,
        "loc": loc,
        "weight": float(values["weight"]),
        "feedback_correct_html": _opt(inline, fb_values["correct"], line_of(fb, "correct", line)),
        "feedback_incorrect_html": _opt(inline, fb_values["incorrect"], line_of(fb, "incorrect", line)),
    }
    ok = True
    if qtype in ("single", "multiple"):
        choices = _choices(raw["choices"], path, line_of(raw, "choices", line), diags, inline)
        if choices is None:
            return None
        n_correct = sum(c.correct for c in choices)
        cloc = SourceLocation(path, line_of(raw, "choices", line))
        if n_correct == 0:
            diags.error("quiz.no-correct", t("quiz.no-correct", id=values["id"]), cloc)
            ok = False
        elif qtype == "single" and n_correct > 1:
            diags.error("quiz.several-correct", t("quiz.several-correct", id=values["id"], n=n_correct), cloc)
            ok = False
        kwargs["choices"] = tuple(choices)
    elif qtype == "true-false":
        answer = bool(values["answer"])
        kwargs["choices"] = (
            Choice(key="a", html=t("quiz.true"), correct=answer,
                   feedback_html=_opt(inline, values["feedback_true"], line)),
            Choice(key="b", html=t("quiz.false"), correct=not answer,
                   feedback_html=_opt(inline, values["feedback_false"], line)),
        )
    elif qtype == "matching":
        pairs = _pairs(raw, values, path, line, diags, inline)
        if pairs is None:
            return None
        kwargs["pairs"], kwargs["distractors"] = pairs
    elif qtype == "ordering":
        items = values["items"]
        iloc = SourceLocation(path, line_of(raw, "items", line))
        texts = [str(x) for x in items if isinstance(x, (str, int, float))]
        if len(texts) != len(items) or len(texts) < 2 or len(set(texts)) != len(texts) or len(texts) > MAX_CHOICES:
            diags.error("quiz.bad-items", t("quiz.bad-items", id=values["id"]), iloc)
            return None
        kwargs["items"] = tuple(
            OrderItem(key=string.ascii_lowercase[i], html=inline(x, line_of(items, i, iloc.line))[0])
            for i, x in enumerate(texts)
        )
    elif qtype == "fill-in":
        accepted = [str(x).strip() for x in values["accept"] if str(x).strip()]
        if not accepted:
            diags.error("quiz.no-accepted", t("quiz.no-accepted", id=values["id"]),
                        SourceLocation(path, line_of(raw, "accept", line)))
            return None
        if any(len(a) > 250 for a in accepted):
            diags.error("quiz.answer-too-long", t("quiz.answer-too-long", id=values["id"]),
                        SourceLocation(path, line_of(raw, "accept", line)))
            return None
        kwargs["accepted"] = tuple(accepted)
        kwargs["case_sensitive"] = bool(values["case_sensitive"])
        kwargs["accent_sensitive"] = bool(values["accent_sensitive"])
    return Question(**kwargs) if ok else None


def _opt(inline: Inline, text: Any, line: int) -> str | None:
    if text is None or not str(text).strip():
        return None
    return inline(str(text), line)[0]


def _choices(raw: Any, path: str, line: int, diags: Diagnostics, inline: Inline) -> list[Choice] | None:
    loc = SourceLocation(path, line)
    if not isinstance(raw, list) or len(raw) < 2:
        diags.error("quiz.too-few-choices", t("quiz.too-few-choices"), loc)
        return None
    if len(raw) > MAX_CHOICES:
        diags.error("quiz.too-many-choices", t("quiz.too-many-choices", max=MAX_CHOICES), loc)
        return None
    out: list[Choice] = []
    for i, item in enumerate(raw):
        iline = line_of(raw, i, line)
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            item = {"text": str(item)}
        v = check_mapping(item, _CHOICE_FIELDS, path, diags, what=t("load.what-choice"), line=iline)
        if v is None or v["text"] is None:
            return None
        out.append(
            Choice(
                key=string.ascii_lowercase[i],
                html=inline(v["text"], iline)[0],
                correct=bool(v["correct"]),
                feedback_html=_opt(inline, v["feedback"], iline),
            )
        )
    texts = [c.html for c in out]
    if len(set(texts)) != len(texts):
        diags.error("quiz.duplicate-choice", t("quiz.duplicate-choice"), loc)
        return None
    return out


def _pairs(
    raw: Any, values: dict[str, Any], path: str, line: int, diags: Diagnostics, inline: Inline
) -> tuple[tuple[MatchPair, ...], tuple[MatchPair, ...]] | None:
    ploc = SourceLocation(path, line_of(raw, "pairs", line))
    items = values["pairs"]
    parsed: list[tuple[str, str, int]] = []
    for i, item in enumerate(items):
        iline = line_of(items, i, ploc.line)
        v = check_mapping(item, _PAIR_FIELDS, path, diags, what=t("load.what-pair"), line=iline)
        if v is None or v["source"] is None or v["target"] is None:
            return None
        parsed.append((v["source"], v["target"], iline))
    distractors = [str(d) for d in values["distractors"] or []]
    sources = [p[0] for p in parsed]
    targets = [p[1] for p in parsed] + distractors
    if len(parsed) < 2 or len(set(sources)) != len(sources) or len(set(targets)) != len(targets) or len(targets) > MAX_CHOICES:
        diags.error("quiz.bad-pairs", t("quiz.bad-pairs", id=values["id"]), ploc)
        return None
    pairs = tuple(
        MatchPair(
            source_key=str(i + 1),
            source_html=inline(s, ln)[0],
            target_key=string.ascii_lowercase[i],
            target_html=inline(tg, ln)[0],
        )
        for i, (s, tg, ln) in enumerate(parsed)
    )
    extra = tuple(
        MatchPair(source_key="", source_html="", target_key=string.ascii_lowercase[len(parsed) + j],
                  target_html=inline(d, ploc.line)[0])
        for j, d in enumerate(distractors)
    )
    if len(parsed) > 9:
        diags.error("quiz.bad-pairs", t("quiz.too-many-pairs", id=values["id"]), ploc)
        return None
    return pairs, extra
