"""Lint helpers: rendered HTML -> text blocks, and source-line lookup.

The lints work on the loaded model (sanitised HTML), which has no line numbers below the page
file. To give ``file:line`` locations, :class:`SourceFile` keeps a "plain" view of the source
file (Markdown inline syntax stripped, whitespace collapsed, each character tagged with its
line) in which snippets of the rendered text are searched, from a cursor that advances in
document order, so repeated snippets map to successive lines.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lhtml

PLACEHOLDER = "\ufffc"
"""Stands for masked content (code, abbreviations when asked): neither space nor letter."""

BLOCK_TAGS = frozenset(
    "p li h1 h2 h3 h4 h5 h6 td th dt dd figcaption caption blockquote div section "
    "figure ul ol dl table thead tbody tr pre details summary aside header footer nav br hr".split()
)
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "var"})
SR_ONLY_CLASS = "efop-sr-only"
"""Tool-generated screen-reader text (« (nouvelle fenêtre) »): not the author's prose."""

_ASCII_WS = re.compile(r"[ \t\r\n\f\v]+")
_URL = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|mailto:|tel:|www\.)[^\s<>«»\"]*|&#?[A-Za-z0-9]+;")


def normalise(text: str) -> str:
    """Collapse ASCII white space (never the no-break spaces, which the lints look at)."""
    return _ASCII_WS.sub(" ", text)


def mask_urls(text: str) -> str:
    """Replace URLs (and entity-like ``&amp;`` text) by placeholders of the same length
    (offsets stay valid)."""
    return _URL.sub(lambda m: PLACEHOLDER * len(m.group(0)), text)


# ---------------------------------------------------------------------------------------------
# HTML


def parse_fragment(fragment: str) -> lhtml.HtmlElement:
    """An lxml tree for an HTML fragment (wrapped in a ``<div>``)."""
    if not fragment.strip():
        return lhtml.fragment_fromstring("<div></div>")
    return lhtml.fragment_fromstring(fragment, create_parent="div")


def _is_sr_only(el: lhtml.HtmlElement) -> bool:
    return SR_ONLY_CLASS in (el.get("class") or "").split()


def element_text(el: lhtml.HtmlElement) -> str:
    """Visible author text of an element (tool-generated screen-reader text left out)."""
    parts: list[str] = []

    def walk(node: lhtml.HtmlElement) -> None:
        if not isinstance(node.tag, str):
            return
        if _is_sr_only(node):
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


def text_blocks(root: lhtml.HtmlElement, *, mask_abbr: bool = False) -> list[str]:
    """The text of ``root`` split into blocks (paragraphs, list items, cells...), in document
    order. Code is replaced by :data:`PLACEHOLDER`; so are ``<abbr>`` contents with
    ``mask_abbr``. White space is collapsed (no-break spaces kept)."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = normalise("".join(buf)).strip(" ")
        if text:
            blocks.append(text)
        buf.clear()

    def walk(node: lhtml.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag:  # comments, processing instructions
            return
        if _is_sr_only(node):
            return
        if tag in CODE_TAGS or (mask_abbr and tag == "abbr"):
            buf.append(PLACEHOLDER)
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if node.text:
            buf.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return blocks


# ---------------------------------------------------------------------------------------------
# source files

_IMG = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_REFLINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>]*)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPH = re.compile(r"\*\*|__|~~|\*|`|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def plain_line(line: str) -> str:
    """A source line with Markdown inline syntax stripped (what its rendered text looks like)."""
    s = _IMG.sub(r"\1", line)
    s = _LINK.sub(r"\1", s)
    s = _REFLINK.sub(r"\1", s)
    s = _AUTOLINK.sub(r"\1", s)
    s = _TAG.sub("", s)
    s = _EMPH.sub("", s)
    s = _ESCAPE.sub(r"\1", s)
    return html.unescape(s)


def raw_line(line: str) -> str:
    """A source line as YAML/HTML would give it back (escapes undone), markup kept."""
    s = line.replace('\\"', '"').replace("''", "'")
    return html.unescape(s)


@dataclass
class _View:
    """A whole file flattened to one string, each character tagged with its line."""

    flat: str
    line_at: list[int]
    line_start: list[int]
    """Index in ``flat`` of the first character of each line (1-based list, [0] unused)."""

    @classmethod
    def build(cls, lines: list[str], transform) -> _View:  # noqa: ANN001
        # Each line is normalised then followed by one space; runs of spaces collapse to one
        # (inside a line ``normalise`` already did it, so only a line's trailing space and the
        # next line's leading space can meet).
        parts: list[str] = []
        owners: list[int] = []
        starts = [0]
        size = 0
        for n, raw in enumerate(lines, start=1):
            starts.append(size)
            text = normalise(transform(raw)) + " "
            if text.endswith("  "):
                text = text[:-1]
            if size and text.startswith(" "):
                text = text[1:]
            parts.append(text)
            owners.extend([n] * len(text))
            size += len(text)
        starts.append(size)
        return cls("".join(parts), owners, starts)

    def offset(self, line: int) -> int:
        if line < 1:
            return 0
        if line >= len(self.line_start):
            return len(self.flat)
        return self.line_start[line]


class SourceFile:
    """A source file of the project, read on first use, with text views for locating
    snippets (built on first use too: most files never need them)."""

    def __init__(self, root: Path, display: str) -> None:
        self.root = root
        self.display = display
        self._lines: list[str] | None = None
        self._views: tuple[_View, ...] | None = None
        self._body_line: int | None = None

    @classmethod
    def read(cls, root: Path, display: str) -> SourceFile:
        return cls(root, display)

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            try:
                text = (self.root / self.display).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._lines = text.removeprefix("\ufeff").splitlines()
        return self._lines

    @property
    def views(self) -> tuple[_View, ...]:
        """Plain view (Markdown inline syntax stripped), then raw view (escapes undone)."""
        if self._views is None:
            self._views = (_View.build(self.lines, plain_line), _View.build(self.lines, raw_line))
        return self._views

    @property
    def body_line(self) -> int:
        """First line of a Markdown page's body (after the front matter)."""
        if self._body_line is None:
            self._body_line = 1
            lines = self.lines
            if lines and lines[0].strip() == "---":
                for i in range(1, len(lines)):
                    if lines[i].strip() in ("---", "..."):
                        self._body_line = i + 2
                        break
        return self._body_line

    def cursor(self, line: int = 1) -> Cursor:
        return Cursor(self, line)


class Cursor:
    """Searches a :class:`SourceFile` forwards from a position (document order)."""

    def __init__(self, src: SourceFile, line: int) -> None:
        self.src = src
        self.start_line = max(1, line)
        self.line = self.start_line
        self._pos: list[int] | None = None
        """Search start in each view; ``None``: the start of ``_pos_line`` (computed when
        first needed, so that a cursor that never searches text never builds the views)."""
        self._pos_line = self.start_line
        self._raw_line = self.start_line
        self._raw_seen = 0

    @property
    def pos(self) -> list[int]:
        if self._pos is None:
            self._pos = [v.offset(self._pos_line) for v in self.src.views]
        return self._pos

    def _moved(self, line: int, view: int, idx: int) -> int:
        self.line = line
        self._pos = [idx + 1 if i == view else v.offset(line) for i, v in enumerate(self.src.views)]
        self._raw_line, self._raw_seen = line, 0
        return line

    def plain(self, *snippets: str) -> int:
        """Line of the first snippet found (tried in order, in the plain view then the raw
        view) at or after the cursor; the cursor moves there. Falls back to a search from
        the cursor's start line, then to the current line."""
        for raw in snippets:
            pieces = [p.strip(" ") for p in normalise(raw).split(PLACEHOLDER)]
            pieces = [p for p in pieces if p]
            if not pieces:
                continue
            snippet = max(pieces, key=len)
            for from_start in (False, True):
                for vi, view in enumerate(self.src.views):
                    start = view.offset(self.start_line) if from_start else self.pos[vi]
                    idx = view.flat.find(snippet, start)
                    if idx >= 0:
                        return self._moved(view.line_at[idx], vi, idx)
        return self.line

    def raw(self, pattern: re.Pattern[str]) -> int | None:
        """Line of the next match of ``pattern`` in the source lines at or after the cursor
        (several matches on one line are consumed one by one), else ``None``."""
        lines = self.src.lines
        for n in range(self._raw_line, len(lines) + 1):
            found = len(pattern.findall(lines[n - 1]))
            skip = self._raw_seen if n == self._raw_line else 0
            if found > skip:
                self.line = n
                self._pos, self._pos_line = None, n
                self._raw_line, self._raw_seen = n, skip + 1
                return n
        return None


def iter_links(root: lhtml.HtmlElement) -> Iterator[lhtml.HtmlElement]:
    return (a for a in root.iter("a") if a.get("href") is not None)
