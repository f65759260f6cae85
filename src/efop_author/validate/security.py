"""Validate stage: security and portability scan of the package's text files (standards §7).

- LRS credentials embedded in files are errors: ``Basic`` tokens that decode to ``user:secret``,
  URLs with a user and password, and keys or passwords hard-coded next to an xAPI endpoint.
- Resources loaded from the internet (scripts, stylesheets, fonts, media, analytics) are
  warnings: packages must work offline and inside an LMS with a strict policy.

Only HTML, JavaScript, CSS and JSON members are read, each up to :data:`MAX_SCAN_BYTES`.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes, urlsplit

from efop_author.validate._ctx import Context
from efop_author.validate.source import ReadError, Source
from efop_author.validate.ziplevel import Inventory

MAX_SCAN_BYTES = 4 * 1024**2
MAX_REMOTE_PER_FILE = 5
MAX_REMOTE_PER_PACKAGE = 25

_TEXT_EXT = (".html", ".htm", ".xhtml", ".js", ".mjs", ".cjs", ".css", ".json")
_BASIC = re.compile(rb"Basic(?:\s+|%20|\+)([A-Za-z0-9+/]{8,}(?:={0,2}|(?:%3[Dd]){0,2}))")
_USERINFO = re.compile(rb"https?://([^\s/:@\"'<>`]+):([^\s/@\"'<>`]+)@[A-Za-z0-9.\-]+")
_KEY = re.compile(
    rb"""["']?\b(password|passwd|secret|api[_-]?key|apikey|lrs[_-]?(?:key|secret|password)|"""
    rb"""auth[_-]?token|client[_-]?secret)\b["']?\s*[:=]\s*["'`]([^"'`\s]{4,})["'`]""",
    re.IGNORECASE)
_ENDPOINT = re.compile(rb"""(endpoint|/xapi\b|/lrs\b|/statements\b|xAPIWrapper|TinCan\.LRS)""", re.IGNORECASE)

_REMOTE = rb"""((?:https?:)?//[A-Za-z0-9.\-]+\.[A-Za-z]{2,}[^"'`\s)<>]*)"""
_HTML_TAG = re.compile(rb"<(script|link|img|iframe|video|audio|source|embed|object|track)\b[^>]*>",
                       re.IGNORECASE)
_HTML_ATTR = re.compile(rb"""\b(src|href|data|poster)\s*=\s*["']?""" + _REMOTE, re.IGNORECASE)
_LINK_REL = re.compile(rb"""\brel\s*=\s*["']?[^"'>]*\b(stylesheet|preload|icon|modulepreload|manifest|import)\b""",
                       re.IGNORECASE)
_CSS = re.compile(rb"""(?:@import\s+(?:url\(\s*)?|url\(\s*)["']?""" + _REMOTE, re.IGNORECASE)
_JS = re.compile(
    rb"""(?:\b(?:fetch|importScripts|import|getScript|loadScript)\s*\(\s*|\bfrom\s+|\.src\s*=\s*|"""
    rb"""\bsrc\s*:\s*)["'`]""" + _REMOTE, re.IGNORECASE)
_TRACKERS = ("googletagmanager.com", "google-analytics.com", "analytics.google.com", "doubleclick.net",
             "connect.facebook.net", "hotjar.com", "clarity.ms", "segment.com", "mixpanel.com",
             "matomo.cloud", "plausible.io")
_FONTS = ("fonts.googleapis.com", "fonts.gstatic.com", "use.typekit.net", "use.fontawesome.com",
          "kit.fontawesome.com")


def _line(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _decoded_basic(token: bytes) -> bool:
    """True when ``token`` is base64 of printable ``user:password``."""
    raw = unquote_to_bytes(token)
    try:
        text = base64.b64decode(raw + b"=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    if b":" not in text or len(text) < 3:
        return False
    return all(32 <= c < 127 for c in text)


def scan_credentials(data: bytes, member: str, ctx: Context) -> None:
    for m in _BASIC.finditer(data):
        if _decoded_basic(m.group(1)):
            ctx.error("security.lrs-credentials", member, _line(data, m.start()), kind="Basic")
            return
    for m in _USERINFO.finditer(data):
        ctx.error("security.lrs-credentials", member, _line(data, m.start()), kind="URL user:password")
        return
    if _ENDPOINT.search(data):
        for m in _KEY.finditer(data):
            ctx.error("security.lrs-credentials", member, _line(data, m.start()),
                      kind=m.group(1).decode("ascii", "replace"))
            return


def _remote_urls(data: bytes, ext: str) -> list[tuple[int, bytes]]:
    found: list[tuple[int, bytes]] = []
    if ext in (".html", ".htm", ".xhtml"):
        for tag in _HTML_TAG.finditer(data):
            text = tag.group(0)
            if tag.group(1).lower() == b"link" and not _LINK_REL.search(text):
                continue
            if tag.group(1).lower() == b"a":
                continue
            for a in _HTML_ATTR.finditer(text):
                found.append((tag.start() + a.start(2), a.group(2)))
        for m in _CSS.finditer(data):
            found.append((m.start(1), m.group(1)))
        for m in _JS.finditer(data):
            found.append((m.start(1), m.group(1)))
    elif ext == ".css":
        found.extend((m.start(1), m.group(1)) for m in _CSS.finditer(data))
    elif ext in (".js", ".mjs", ".cjs"):
        found.extend((m.start(1), m.group(1)) for m in _JS.finditer(data))
    return sorted(found)


def scan_package(source: Source, inv: Inventory, ctx: Context) -> None:
    """Scan every text member; report credentials (errors) and remote resources (warnings)."""
    remote_total = 0
    for name in inv.files:
        low = name.lower()
        ext = next((e for e in _TEXT_EXT if low.endswith(e)), None)
        if ext is None:
            continue
        try:
            data = source.read(name, MAX_SCAN_BYTES)
        except ReadError as exc:
            if exc.args and exc.args[0] != "too-large":
                ctx.error("zip.corrupt-entry", name, reason=exc.args[0])
            continue
        scan_credentials(data, name, ctx)
        if remote_total >= MAX_REMOTE_PER_PACKAGE:
            continue
        seen: set[bytes] = set()
        for pos, url in _remote_urls(data, ext):
            if url in seen or len(seen) >= MAX_REMOTE_PER_FILE:
                continue
            seen.add(url)
            remote_total += 1
            text = url.decode("utf-8", "replace")
            host = urlsplit(text if not text.startswith("//") else "https:" + text).hostname or ""
            if any(host == t or host.endswith("." + t) for t in _TRACKERS):
                ctx.warning("security.tracker", name, _line(data, pos), url=text[:200], host=host)
            elif any(host == f for f in _FONTS):
                ctx.warning("portability.remote-font", name, _line(data, pos), url=text[:200])
            else:
                ctx.warning("portability.remote-resource", name, _line(data, pos), url=text[:200])
            if remote_total >= MAX_REMOTE_PER_PACKAGE:
                break
