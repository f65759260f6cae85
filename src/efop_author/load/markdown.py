"""Load stage: Markdown -> sanitised HTML fragments, with located diagnostics.

markdown-it-py (CommonMark + tables + strikethrough) plus our rules:
- callouts ``::: info|warning|tip|important [title]`` -> ``<div class="efop-callout" role="note">``;
- figures: an image alone in a paragraph with a title (``![alt](src "légende")``) or followed
  by an ``*italic*`` line becomes ``<figure>`` + ``<figcaption>``;
- heading anchors ``id="{page}--{slug}"`` (unique in the module document, since every page of a
  module is a section of one HTML document);
- links between pages (``02-autre.md#ancre``) are checked and rewritten to section anchors;
  external links open in a new window, announced to screen readers;
- images: alt required, file must exist; copied as module assets with ASCII-safe names;
- glossary: the first use of each term on a page becomes ``<abbr title="…">``;
- raw HTML is refused (``load.raw-html``) unless the course allows it, and even then scripts,
  event handlers and ``javascript:`` URLs are stripped.

Line numbers: a block token's ``map[0]`` + the body's line offset + 1.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from efop_author.diagnostics import Diagnostics, SourceLocation
from efop_author.load.source import RealPaths
from efop_author.messages import t
from efop_author.model import Asset, GlossaryEntry, Heading
from efop_author.records import record

CALLOUTS = ("info", "warning", "tip", "important", "example")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def slugify(text: str, max_len: int = 48) -> str:
    """ASCII slug: « Les QPV en chiffres » -> ``les-qpv-en-chiffres``."""
    norm = unicodedata.normalize("NFKD", text)
    ascii_text = norm.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_len].rstrip("-") or "section"


def safe_arcname(rel: str) -> str:
    """ASCII-safe posix path for a package entry (accents dropped, spaces -> ``-``)."""
    parts = []
    for part in PurePosixPath(rel).parts:
        stem, dot, ext = part.rpartition(".")
        if not dot:
            stem, ext = part, ""
        norm = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
        norm = re.sub(r"[^A-Za-z0-9._-]+", "-", norm).strip("-") or "fichier"
        ext = re.sub(r"[^A-Za-z0-9]+", "", ext).lower()
        parts.append(f"{norm}.{ext}" if ext else norm)
    return "/".join(parts)


@dataclass
class ModuleContext:
    """What page rendering needs to know about the module and course being loaded."""

    root: Path
    """Course project folder."""
    module_dir: Path
    module_id: str
    page_files: dict[str, str]
    """Page file name (``02-autre.md``) -> page id, for this module."""
    other_modules: dict[str, tuple[str, dict[str, str]]]
    """Module folder name -> (module id, its page_files)."""
    glossary: tuple[GlossaryEntry, ...]
    allow_html: bool
    diags: Diagnostics
    assets: dict[str, Asset] = field(default_factory=dict)
    """arcname -> Asset, shared by every page of the module."""
    asset_sources: dict[Path, str] = field(default_factory=dict)
    paths: RealPaths = field(default_factory=RealPaths, repr=False)
    """Cached ``Path.resolve()`` (shared with the loader)."""
    _glossary_re: tuple[re.Pattern[str], dict[str, str]] | None = field(default=None, repr=False)

    def glossary_matcher(self) -> tuple[re.Pattern[str], dict[str, str]]:
        """(pattern, term -> ``<abbr>`` HTML) of the glossary, built once per module."""
        if self._glossary_re is None:
            self._glossary_re = _glossary_build(self.glossary)
        return self._glossary_re


@record
class RenderedMarkdown:
    html: str
    headings: tuple[Heading, ...]
    text: str
    """Plain text (for word counts, descriptions)."""


def make_parser(ctx_getter: Callable[[], Any] | None = None) -> MarkdownIt:
    """The project's markdown-it parser (HTML parsing on, so raw HTML can be detected)."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    footnote_plugin(md)
    # One container rule for every kind (each rule is tried on every line of every page).
    container_plugin(md, "callout", validate=_is_callout, render=_render_callout)
    md.add_render_rule("paragraph_open", _render_paragraph_open)
    md.add_render_rule("paragraph_close", _render_paragraph_close)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


_PARSER: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    return _PARSER


def _is_callout(params: str, *_args: Any) -> bool:
    return params.strip().split(" ", 1)[0] in CALLOUTS


def _render_callout(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    if tok.nesting == 1:
        kind = tok.info.strip().split(" ", 1)
        name = kind[0]
        title = kind[1].strip() if len(kind) > 1 else t(f"load.callout-{name}")
        return (
            f'<div class="efop-callout efop-callout--{name}" role="note">'
            f'<p class="efop-callout__title"><strong>{html.escape(title)}</strong></p>\n'
        )
    return "</div>\n"


def _render_paragraph_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    if tokens[idx].meta.get("figure"):
        return '<figure class="efop-figure">'
    return self.renderToken(tokens, idx, options, env)  # type: ignore[no-any-return]


def _render_paragraph_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    caption = tokens[idx].meta.get("figure")
    if caption is not None:
        return f"<figcaption>{caption}</figcaption></figure>\n" if caption else "</figure>\n"
    return self.renderToken(tokens, idx, options, env)  # type: ignore[no-any-return]


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return '<div class="efop-table-wrap"><table>\n'


def _render_table_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "</table></div>\n"


def render_markdown(
    text: str,
    *,
    page_id: str,
    path: Path,
    display_path: str,
    line_offset: int,
    ctx: ModuleContext,
    inline: bool = False,
) -> RenderedMarkdown:
    """Render one Markdown text of a page (body, or an inline string from a quiz)."""
    md = parser()
    env: dict[str, Any] = {}
    if not inline:
        tokens = md.parse(text, env)
    elif PLAIN_INLINE_SHORTCUT and not _INLINE_SYNTAX.search(text):
        tokens = _plain_inline(text)
    else:
        tokens = md.parseInline(text, env)
    state = _PageState(page_id, path, display_path, line_offset, ctx)
    state.walk(tokens)
    body = md.renderer.render(tokens, md.options, env)
    if inline and body.startswith("<p>") and body.endswith("</p>\n") and body.count("<p>") == 1:
        body = body[3:-5]
    if ctx.allow_html and state.saw_html:
        from efop_author.load.sanitize import sanitize_html  # html.parser: only for raw HTML

        body = sanitize_html(body)
    return RenderedMarkdown(body, tuple(state.headings), " ".join("".join(state.text_parts).split()))


PLAIN_INLINE_SHORTCUT = True
"""Quiz strings without any inline syntax skip the parser (tests turn it off to compare)."""

_INLINE_SYNTAX = re.compile(r"[\\`*_~\[\]!<>&\n\r\x00]")
"""Characters that can start inline Markdown (with strikethrough and footnotes) or that the
parser normalises. A string without any of them parses to a single text token: most choices
and feedbacks of a quiz (« Vrai », « Bonne réponse : … »), rendered by the hundred."""


def _plain_inline(text: str) -> list[Token]:
    """What ``parseInline`` returns for ``text`` when it has no inline syntax."""
    inline = Token("inline", "", 0)
    inline.content = text
    inline.map = [0, 1]
    inline.children = [_text(text)]
    return [inline]


class _PageState:
    def __init__(self, page_id: str, path: Path, display: str, offset: int, ctx: ModuleContext) -> None:
        self.page_id = page_id
        self.path = path
        self.display = display
        self.offset = offset
        self.ctx = ctx
        self.headings: list[Heading] = []
        self.anchors: set[str] = set()
        self.text_parts: list[str] = []
        self.saw_html = False
        self.glossary_seen: set[str] = set()
        self.line = offset + 1

    def loc(self, line: int | None = None) -> SourceLocation:
        return SourceLocation(self.display, line if line is not None else self.line)

    # -- walking --------------------------------------------------------------------------
    def walk(self, tokens: list[Token]) -> None:
        for i, tok in enumerate(tokens):
            if tok.map:
                self.line = tok.map[0] + self.offset + 1
            if tok.type in ("html_block", "html_inline"):
                self._raw_html(tok)
            elif tok.type == "heading_open":
                self._heading(tok, tokens[i + 1])
            elif tok.type == "paragraph_open" and i + 2 < len(tokens):
                self._maybe_figure(tok, tokens[i + 1], tokens[i + 2])
            if tok.type == "inline" and tok.children is not None:
                self._inline(tok.children)

    def _raw_html(self, tok: Token) -> None:
        self.saw_html = True
        if not self.ctx.allow_html:
            snippet = tok.content.strip().splitlines()[0][:60] if tok.content.strip() else tok.content
            self.ctx.diags.error("load.raw-html", t("load.raw-html", snippet=snippet), self.loc())
            tok.type = "text"  # shown escaped, never executed

    def _heading(self, tok: Token, inline: Token) -> None:
        level = int(tok.tag[1])
        text = _plain(inline)
        if level == 1:
            self.ctx.diags.warning("load.h1-in-body", t("load.h1-in-body", text=text), self.loc())
        base = f"{self.page_id}--{slugify(text)}"
        anchor, n = base, 2
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.anchors.add(anchor)
        tok.attrSet("id", anchor)
        self.headings.append(Heading(level=level, text=text, anchor=anchor))

    def _maybe_figure(self, p_open: Token, inline: Token, p_close: Token) -> None:
        kids = [k for k in (inline.children or []) if not (k.type == "text" and not k.content.strip())]
        if not kids or kids[0].type != "image":
            return
        img = kids[0]
        caption: str | None = None
        if len(kids) == 1 and img.attrGet("title"):
            caption = html.escape(str(img.attrGet("title")))
            img.attrs.pop("title", None)
        elif (
            len(kids) >= 4
            and kids[1].type in ("softbreak", "hardbreak")
            and kids[2].type == "em_open"
            and kids[-1].type == "em_close"
        ):
            caption = parser().renderer.renderInline(kids[3:-1], parser().options, {})
            inline.children = [img]
        if caption is not None:
            p_open.meta["figure"] = caption
            p_close.meta["figure"] = caption

    def _inline(self, children: list[Token]) -> None:
        out: list[Token] = []
        links: list[Token] = []
        for tok in children:
            if tok.type in ("html_inline",):
                self._raw_html(tok)
            elif tok.type == "link_open":
                links.append(tok)
                self._link(tok)
            elif tok.type == "link_close":
                opened = links.pop() if links else None
                if opened is not None and opened.meta.get("external"):
                    hidden = Token("html_inline", "", 0)
                    hidden.content = f'<span class="efop-sr-only"> {html.escape(t("load.new-window"))}</span>'
                    out.append(hidden)
            elif tok.type == "image":
                self._image(tok)
            elif tok.type in ("softbreak", "hardbreak"):
                self.text_parts.append(" ")
            elif tok.type == "code_inline":
                self.text_parts.append(tok.content)
            elif tok.type == "text":
                self.text_parts.append(tok.content)
                if self.ctx.glossary and not links:
                    out.extend(self._abbr(tok))
                    continue
            if tok.children:
                self._inline(tok.children)
            out.append(tok)
        children[:] = out

    def _link(self, tok: Token) -> None:
        href = str(tok.attrGet("href") or "")
        if _SCHEME.match(href):
            scheme = href.split(":", 1)[0].lower()
            if scheme not in ("http", "https", "mailto", "tel"):
                self.ctx.diags.error("load.unsafe-link", t("load.unsafe-link", href=href), self.loc())
                tok.attrSet("href", "#")
                return
            if scheme in ("http", "https"):
                tok.attrSet("target", "_blank")
                tok.attrSet("rel", "noopener")
                tok.meta["external"] = True  # _inline announces « nouvelle fenêtre » before link_close
            return
        if href.startswith("#"):
            tok.attrSet("href", f"#{self.page_id}--{href[1:]}" if href[1:] else f"#page-{self.page_id}")
            return
        parts = urlsplit(href)
        target = unquote(parts.path)
        if not target:
            return
        if target.endswith(".md"):
            resolved = self._resolve_page(target)
            if resolved is None:
                self.ctx.diags.error("load.broken-link", t("load.broken-link", href=href), self.loc())
                return
            module_id, page_id, same = resolved
            anchor = f"{page_id}--{parts.fragment}" if parts.fragment else f"page-{page_id}"
            tok.attrSet("href", f"#{anchor}" if same else f"../{module_id}/index.html#{anchor}")
            return
        # A link to a file (PDF...): treat like an asset.
        arc = self._asset(target, href)
        if arc is not None:
            tok.attrSet("href", arc)

    def _resolve_page(self, target: str) -> tuple[str, str, bool] | None:
        p = PurePosixPath(target)
        parts = p.parts
        if len(parts) == 1:
            pid = self.ctx.page_files.get(parts[0])
            return (self.ctx.module_id, pid, True) if pid else None
        if len(parts) == 3 and parts[0] == "..":
            other = self.ctx.other_modules.get(parts[1])
            if other is None:
                return None
            mid, files = other
            pid = files.get(parts[2])
            return (mid, pid, mid == self.ctx.module_id) if pid else None
        return None

    def _image(self, tok: Token) -> None:
        alt = "".join(c.content for c in (tok.children or [])).strip() or tok.content.strip()
        src = str(tok.attrGet("src") or "")
        if not alt:
            self.ctx.diags.error("load.image-without-alt", t("load.image-without-alt", src=src), self.loc())
        if _SCHEME.match(src) or src.startswith("//"):
            self.ctx.diags.warning("load.remote-image", t("load.remote-image", src=src), self.loc())
            return
        arc = self._asset(unquote(urlsplit(src).path), src)
        if arc is not None:
            tok.attrSet("src", arc)
        tok.attrSet("loading", "lazy")

    def _asset(self, target: str, shown: str) -> str | None:
        disk = self.ctx.paths.resolve(self.path.parent / target)
        if not disk.is_file():
            self.ctx.diags.error("load.missing-asset", t("load.missing-asset", src=shown), self.loc())
            return None
        known = self.ctx.asset_sources.get(disk)
        if known is not None:
            return known
        module_dir = self.ctx.paths.dir(self.ctx.module_dir)
        course_assets = self.ctx.paths.dir(self.ctx.root / "assets")
        if disk.is_relative_to(module_dir):
            arc = safe_arcname(disk.relative_to(module_dir).as_posix())
            if not arc.startswith("assets/"):
                arc = "assets/" + arc
        elif disk.is_relative_to(course_assets):
            arc = "assets/_course/" + safe_arcname(disk.relative_to(course_assets).as_posix())
        else:
            self.ctx.diags.error("load.asset-outside", t("load.asset-outside", src=shown), self.loc())
            return None
        if arc in self.ctx.assets and self.ctx.assets[arc].source != disk:
            self.ctx.diags.error("load.asset-name-clash", t("load.asset-name-clash", src=shown, arc=arc), self.loc())
            return None
        self.ctx.assets[arc] = Asset(source=disk, arcname=arc)
        self.ctx.asset_sources[disk] = arc
        return arc

    def _abbr(self, tok: Token) -> list[Token]:
        # Looked up once per module (ModuleContext.glossary_matcher): hashing the glossary
        # tuple (frozen dataclasses) for an lru_cache on every text token was the loader's
        # top hot spot.
        pattern, abbr_html = self.ctx.glossary_matcher()
        text = tok.content
        out: list[Token] = []
        pos = 0
        for m in pattern.finditer(text):
            term = m.group(0)
            if term in self.glossary_seen:
                continue
            self.glossary_seen.add(term)
            start = m.start()
            if start > pos:
                out.append(_text(text[pos:start]))
            abbr = Token("html_inline", "", 0)
            abbr.content = abbr_html[term]
            out.append(abbr)
            pos = m.end()
        if not out:
            return [tok]
        if pos < len(text):
            out.append(_text(text[pos:]))
        return out


def _text(content: str) -> Token:
    tok = Token("text", "", 0)
    tok.content = content
    return tok


def _plain(inline: Token) -> str:
    return "".join(c.content for c in (inline.children or []) if c.type in ("text", "code_inline")).strip()


@lru_cache(maxsize=8)
def _glossary_build(glossary: tuple[GlossaryEntry, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """(pattern matching any term, term -> its ``<abbr title>`` HTML)."""
    terms = sorted((e.term for e in glossary), key=len, reverse=True)
    pattern = re.compile(r"(?:" + "|".join(_glossary_branch(x) for x in terms) + r")(?![\w])")
    abbr = {e.term: f'<abbr title="{html.escape(e.expansion)}">{html.escape(e.term)}</abbr>' for e in glossary}
    return pattern, abbr


def _glossary_branch(term: str) -> str:
    """``term`` not preceded by a word character or ``-``. The look-behind comes after the
    first character (``Q(?<![\\w-]Q)PV``) so that every branch starts with a literal and the
    regex engine skips ahead to candidate first characters: 3-4x faster than a leading
    ``(?<![\\w-])`` on French prose, same matches."""
    if not term:
        return r"(?<![\w-])"
    head = re.escape(term[0])
    return head + r"(?<![\w-]" + head + ")" + re.escape(term[1:])
