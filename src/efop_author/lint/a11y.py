"""Accessibility lints (``a11y.*``, RGAA 4.1 / WCAG 2.1) on the rendered page HTML.

Images without alt are already a load error (``load.image-without-alt``) and are not checked
again here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from posixpath import basename
from typing import TYPE_CHECKING

from efop_author.lint import _quick
from efop_author.lint._source import element_text, normalise, text_blocks

if TYPE_CHECKING:
    from efop_author.lint import Linter, Unit
    from efop_author.model import Heading

VAGUE_LINK_TEXTS = frozenset(
    {
        "ici", "la", "là", "lien", "ce lien", "le lien", "un lien", "cliquez", "cliquer",
        "cliquez ici", "cliquer ici", "clique ici", "cliquez là", "cliquez sur ce lien",
        "cliquer sur ce lien", "voir ici", "lire ici", "en cliquant ici", "suivez ce lien",
        "here", "click here", "click", "link", "this link", "this",
    }
)
"""Link texts that say nothing out of context (RGAA 6.1), compared lower-cased without
punctuation."""

_COLOURS_FR = r"(?:vert|verte|verts|vertes|rouge|rouges|orange|oranges|bleu|bleue|bleus|bleues|jaune|jaunes|violet|violette|violets|violettes|gris|grise|grises|rose|roses)"
COLOUR_CUES = (
    re.compile(r"\ben\s+(?:vert|rouge|orange|bleu|jaune|violet|gris|rose|couleur)\b", re.I),
    re.compile(
        r"\b(?:case|cases|réponse|réponses|option|options|choix|bouton|boutons|ligne|lignes|élément|éléments"
        r"|mot|mots|cellule|cellules|zone|zones|proposition|propositions|étiquette|étiquettes)\s+"
        + _COLOURS_FR + r"\b",
        re.I,
    ),
    re.compile(r"\b(?:surlign|colori)\w*", re.I),
    re.compile(r"\b(?:in|marked|highlighted|shown)\s+(?:green|red|orange|blue|yellow)\b", re.I),
    re.compile(r"\b(?:green|red|orange|blue|yellow)\s+(?:answer|answers|option|options|box|boxes|item|items|one|ones)\b", re.I),
)
"""Feedback that points at an answer by its colour only (RGAA 3.1, WCAG 1.4.1)."""

MEDIA_EXTENSIONS = (".mp4", ".webm", ".ogv", ".mov", ".m4v", ".mp3", ".ogg", ".oga", ".wav", ".m4a", ".aac", ".flac")
TRANSCRIPT = re.compile(r"transcription|transcript|retranscription|version texte|texte de la vidéo", re.I)

_EMPTY_LINK_SRC = re.compile(r"\[\s*\]\(|<a\b[^>]*>\s*</a>", re.I)
_TABLE_SRC = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$|<table\b", re.I)
_HEADING_SRC = "^\\s{{0,3}}#{{{level}}}(?:\\s|$)"


def check(linter: Linter, units: Sequence[Unit]) -> None:
    for unit in units:
        if unit.role == "title" or unit.role == "text" and "<" not in unit.html:
            continue
        quick = unit.quick_html if linter.prechecks else None
        if quick is None:  # the precise path, rule by rule
            _links(linter, unit)
            if unit.role == "body":
                _tables(linter, unit)
                _media(linter, unit)
            if unit.role in ("feedback", "prompt"):
                _colour(linter, unit)
            continue
        if "<" in quick and _quick.links_may_fire(quick, VAGUE_LINK_TEXTS):
            _links(linter, unit)
        if unit.role == "body":
            if "<" in quick and _quick.tables_may_fire(quick):
                _tables(linter, unit)
            if _quick.media_may_fire(quick):
                _media(linter, unit)
        if unit.role in ("feedback", "prompt") and _quick.colour_may_fire(quick):
            _colour(linter, unit)
    _headings(linter)


def _key(text: str) -> str:
    """Lower-case, accents kept, punctuation and extra spaces dropped."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "PZ" else ch for ch in text.lower())
    return " ".join(cleaned.split())


def _links(linter: Linter, unit: Unit) -> None:
    empty = unit.cursor()
    vague = unit.cursor()
    for a in unit.tree.iter("a"):
        href = a.get("href")
        if href is None or "footnote-backref" in (a.get("class") or ""):
            continue
        text = normalise(element_text(a)).strip()
        label = (a.get("aria-label") or "").strip()
        img_alt = " ".join((img.get("alt") or "").strip() for img in a.iter("img")).strip()
        if not text.strip("\u00a0\u202f ") and not label and not img_alt:
            line = empty.raw(_EMPTY_LINK_SRC) or unit.line
            linter.report("a11y.empty-link", unit.src.display, line, href=href)
            continue
        if _key(text) in VAGUE_LINK_TEXTS and not label:
            words = r"\s+".join(re.escape(w) for w in text.split())
            pattern = re.compile(r"\[[\s*_]*" + words + r"[\s*_]*\]|>\s*" + words + r"\s*</a>", re.I)
            line = vague.raw(pattern) or vague.plain(text)
            linter.report("a11y.link-text", unit.src.display, line, text=text)


def _tables(linter: Linter, unit: Unit) -> None:
    cursor = unit.cursor()
    for table in unit.tree.iter("table"):
        line = cursor.raw(_TABLE_SRC)
        if line is not None and "<table" not in unit.src.lines[line - 1].lower() and line > 1:
            line -= 1  # the delimiter row follows the header row
        headers = [th for th in table.iter("th") if normalise(element_text(th)).strip("\u00a0\u202f ")]
        if not headers:
            linter.report("a11y.table-no-header", unit.src.display, line or unit.line)


def _media(linter: Linter, unit: Unit) -> None:
    page_text = " ".join(text_blocks(unit.tree))
    has_transcript = bool(TRANSCRIPT.search(page_text))
    cursor = unit.cursor()
    for el in unit.tree.iter("video", "audio"):
        line = cursor.raw(re.compile(rf"<{el.tag}\b", re.I)) or unit.line
        if el.tag == "video":
            tracks = [tr for tr in el.iter("track") if (tr.get("kind") or "subtitles").lower() in ("captions", "subtitles")]
            if tracks or has_transcript or el.get("aria-describedby"):
                continue
            what = "video"
        else:
            if has_transcript or el.get("aria-describedby"):
                continue
            what = "audio"
        linter.report("a11y.media-captions", unit.src.display, line, what=_what(what))
    links = unit.cursor()
    for a in unit.tree.iter("a"):
        href = (a.get("href") or "").split("#", 1)[0].split("?", 1)[0]
        if not href.lower().endswith(MEDIA_EXTENSIONS) or has_transcript:
            continue
        name = basename(href)
        stem = name.rsplit(".", 1)[0]
        line = links.raw(re.compile(re.escape(stem), re.I)) or links.plain(element_text(a))
        what = "audio" if href.lower().endswith((".mp3", ".ogg", ".oga", ".wav", ".m4a", ".aac", ".flac")) else "video"
        linter.report("a11y.media-captions", unit.src.display, line, what=_what(what))


def _what(kind: str) -> str:
    from efop_author.messages import t

    return t(f"lint.what-{kind}")


def _colour(linter: Linter, unit: Unit) -> None:
    cursor = unit.cursor()
    for block in text_blocks(unit.tree):
        for pattern in COLOUR_CUES:
            m = pattern.search(block)
            if m:
                line = cursor.plain(m.group(0), block[:40])
                linter.report("a11y.colour-only", unit.src.display, line, phrase=m.group(0))
                break


def _headings(linter: Linter) -> None:
    for module in linter.course.modules:
        for page in module.pages:
            if linter.prechecks and not _has_jump(page.headings):
                continue  # locating headings (reading the source) is only needed to report
            src = linter.source(page.loc.path)
            cursor = src.cursor(src.body_line)
            previous = 1  # the page title is the section's <h1>
            for h in page.headings:
                pattern = re.compile(_HEADING_SRC.format(level=h.level))
                line = cursor.raw(pattern) or cursor.plain(h.text)
                if h.level > previous + 1:
                    linter.report(
                        "a11y.heading-jump", src.display, line,
                        level=h.level, previous=previous, text=h.text, hashes="#" * (previous + 1),
                    )
                previous = h.level


def _has_jump(headings: Sequence[Heading]) -> bool:
    previous = 1
    for h in headings:
        if h.level > previous + 1:
            return True
        previous = h.level
    return False
