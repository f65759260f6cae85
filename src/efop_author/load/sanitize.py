"""Load stage: strip scripts, event handlers and dangerous URLs from allowed raw HTML.

Used only when a course opts in to raw HTML (``allow_html: true``). The content runs inside
the LMS's origin, so even then nothing executable survives: ``script``/``style``/``iframe``/
``object``/``embed``/``form``/``base``/``meta``/``link`` elements are dropped with their
content, ``on*`` attributes are removed and ``javascript:``/``vbscript:``/``data:`` URLs (except
``data:image/``) are neutralised.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
_DROP_TAG = {"form", "base", "meta", "link", "frame", "frameset", "applet"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data"}
_VOID = {"area", "br", "col", "hr", "img", "input", "source", "track", "wbr"}


def _unsafe_url(value: str) -> bool:
    v = "".join(ch for ch in value if not ch.isspace() and ord(ch) > 31).lower()
    if v.startswith(("javascript:", "vbscript:")):
        return True
    return v.startswith("data:") and not v.startswith("data:image/")


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_WITH_CONTENT:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip or tag in _DROP_TAG:
            return
        self.out.append(self._tag(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or tag in _DROP_WITH_CONTENT or tag in _DROP_TAG:
            return
        self.out.append(self._tag(tag, attrs, close=True))

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag in _DROP_TAG or tag in _VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name: str) -> None:
        if not self.skip:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skip:
            self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        return

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: bool = False) -> str:
        parts = [tag]
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on") or name == "style" and value and "expression(" in value.lower():
                continue
            if name in _URL_ATTRS and value is not None and _unsafe_url(value):
                value = "#"
            parts.append(name if value is None else f'{name}="{html.escape(value)}"')
        return "<" + " ".join(parts) + (" />" if close else ">")


def sanitize_html(fragment: str) -> str:
    s = _Sanitizer()
    s.feed(fragment)
    s.close()
    return "".join(s.out)
