"""French typography lints (``fr.*``, warnings), for courses whose language is ``fr``.

- ``fr.nbsp``: a no-break space (narrow U+202F, or U+00A0) belongs before ``: ; ! ?``;
- ``fr.nbsp-guillemets``: and inside « »;
- ``fr.straight-quotes``: straight double quotes ``"`` in prose (use « »);
- ``fr.undefined-acronym``: a word of 2+ capitals that ``glossary.yml`` does not define
  (reported once per course, at its first use).

Code (``code``, ``pre``...), URLs and tool-generated text are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from efop_author.lint import _quick
from efop_author.lint._source import PLACEHOLDER, mask_urls, text_blocks

if TYPE_CHECKING:
    from efop_author.lint import Linter, Unit

NBSP = ("\u202f", "\u00a0")
SPACES = (" ", "\t", "\n")
HIGH_PUNCT = re.compile(r"[:;!?]")
_NO_SPACE_BEFORE = frozenset(":;!?.…([{/'\"«-–—" + PLACEHOLDER) | set(NBSP)
_CAPS = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
ACRONYM = re.compile(rf"(?<![\w\-/.@&])[{_CAPS}][{_CAPS}0-9]*[{_CAPS}][{_CAPS}0-9]*(?![\w@])")
ROMAN = re.compile(r"^[IVXLCDM]+$")


def check(linter: Linter, units: Sequence[Unit]) -> None:
    defined = {e.term for e in linter.course.glossary}
    acronyms_seen: set[str] = set()
    for unit in units:
        quick = unit.quick_html if linter.prechecks else None
        if quick is None:
            _punctuation(linter, unit)
            _acronyms(linter, unit, defined, acronyms_seen)
            continue
        text = _quick.separated_text(quick)
        if _quick.punctuation_may_fire(text, _NO_SPACE_BEFORE):
            _punctuation(linter, unit)
        if _quick.acronym_may_fire(quick, text, _CAPS, defined, acronyms_seen, ROMAN):
            _acronyms(linter, unit, defined, acronyms_seen)


def _context(block: str, i: int, width: int = 24) -> str:
    """A short excerpt of ``block`` ending at index ``i`` (for messages)."""
    start = max(0, i - width)
    s = block[start : i + 1].replace(PLACEHOLDER, "…")
    return ("…" if start else "") + s.lstrip()


def _snippets(block: str, i: int, j: int | None = None) -> list[str]:
    """Search candidates for the text around ``block[i]``, longest first."""
    end = (j if j is not None else i) + 1
    out = []
    for width in (20, 12, 6, 3, 1):
        out.append(block[max(0, i - width) : end])
    for width in (12, 6):
        out.append(block[i : min(len(block), i + width)])
    return out


def _punctuation(linter: Linter, unit: Unit) -> None:
    nbsp_cur = unit.cursor()
    guil_cur = unit.cursor()
    quote_cur = unit.cursor()
    path = unit.src.display
    for block in text_blocks(unit.tree):
        text = mask_urls(block)
        for m in HIGH_PUNCT.finditer(text):
            i = m.start()
            ch = text[i]
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if not prev or prev in _NO_SPACE_BEFORE:
                continue
            if prev in SPACES:
                before = text[: i].rstrip(" \t\n")
                if not before or before[-1] in _NO_SPACE_BEFORE:
                    continue
                kind = "space"
            else:
                if nxt and (nxt.isalnum() or nxt in ")/\\-_"):
                    continue  # 14:30, a:b, ;-) : not prose punctuation
                kind = "none"
            line = nbsp_cur.plain(*_snippets(text, i))
            linter.report("fr.nbsp", path, line, char=ch, context=_context(block, i),
                          how=_how(kind))
        for m in re.finditer("[«»]", text):
            i = m.start()
            ch = text[i]
            neighbour = text[i + 1] if ch == "«" and i + 1 < len(text) else text[i - 1] if ch == "»" and i else ""
            if not neighbour or neighbour in NBSP:
                continue
            line = guil_cur.plain(*_snippets(text, i, min(len(text) - 1, i + 6) if ch == "«" else None))
            linter.report("fr.nbsp-guillemets", path, line, char=ch, context=_context(block, min(len(block) - 1, i + 8)),
                          where=_where("after" if ch == "«" else "before"))
        q = _straight_quote(text)
        if q is not None:
            line = quote_cur.plain(*_snippets(text, q, min(len(text) - 1, q + 10)))
            linter.report("fr.straight-quotes", path, line, context=_context(block, min(len(block) - 1, q + 16)))


def _straight_quote(text: str) -> int | None:
    """Index of the first straight double quote used as a quotation mark (not 15" inches)."""
    for m in re.finditer('"', text):
        i = m.start()
        if i and text[i - 1].isdigit():
            continue
        return i
    return None


def _how(kind: str) -> str:
    from efop_author.messages import t

    return t(f"lint.nbsp-{kind}")


def _where(which: str) -> str:
    from efop_author.messages import t

    return t(f"lint.where-{which}")


def _acronyms(linter: Linter, unit: Unit, defined: set[str], seen: set[str]) -> None:
    cursor = unit.cursor()
    for block in text_blocks(unit.tree, mask_abbr=True):
        text = mask_urls(block)
        for m in ACRONYM.finditer(text):
            term = m.group(0)
            if term in defined or ROMAN.match(term):
                continue
            if term in seen:
                continue
            seen.add(term)
            pattern = re.compile(rf"(?<![\w\-/.@&]){re.escape(term)}(?![\w@])")
            line = cursor.raw(pattern) or cursor.plain(term)
            linter.report("fr.undefined-acronym", unit.src.display, line, term=term)
