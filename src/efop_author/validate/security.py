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
import hashlib
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

# A URL candidate starts at "//" (a literal prefix: fast to find); its context decides if it loads.
_URL = re.compile(rb"//[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?::\d+)?(?:[/?#][^\s\"'`)<>]*)?")
_HTML_ATTR_END = re.compile(rb"""\b(?:src|href|data|poster)\s*=\s*["']?$""", re.IGNORECASE)
_HTML_TAGS = {b"script", b"link", b"img", b"iframe", b"video", b"audio", b"source", b"embed", b"object",
              b"track", b"image", b"input"}
_LINK_REL = re.compile(rb"""\brel\s*=\s*["']?[^"'>]*\b(stylesheet|preload|icon|modulepreload|manifest|import)\b""",
                       re.IGNORECASE)
_CSS_END = re.compile(rb"""(?:@import\s+(?:url\(\s*)?|url\(\s*)["']?$""", re.IGNORECASE)
_JS_END = re.compile(
    rb"""(?:\b(?:fetch|importScripts|import|getScript|loadScript)\s*\(\s*|\bfrom\s+|\.src\s*=\s*|"""
    rb"""\bsrc\s*:\s*)["'`]$""", re.IGNORECASE)
_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9]*)")
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


_ENDPOINT_WORDS = (b"endpoint", b"/xapi", b"/lrs", b"/statements", b"xapiwrapper", b"tincan.lrs")
_KEY_WORDS = (b"password", b"passwd", b"secret", b"apikey", b"api_key", b"api-key", b"lrs_key", b"lrs-key",
              b"auth_token", b"authtoken", b"auth-token")


def scan_credentials(data: bytes, member: str, ctx: Context) -> None:
    if b"Basic" in data:
        for m in _BASIC.finditer(data):
            if _decoded_basic(m.group(1)):
                ctx.error("security.lrs-credentials", member, _line(data, m.start()), kind="Basic")
                return
    if b"@" in data:
        for m in _USERINFO.finditer(data):
            ctx.error("security.lrs-credentials", member, _line(data, m.start()), kind="URL user:password")
            return
    lowered = data.lower()
    if any(w in lowered for w in _KEY_WORDS) and any(w in lowered for w in _ENDPOINT_WORDS):
        for m in _KEY.finditer(data):
            ctx.error("security.lrs-credentials", member, _line(data, m.start()),
                      kind=m.group(1).decode("ascii", "replace"))
            return


def _loads(data: bytes, start: int, ext: str) -> bool:
    """Whether the URL starting at ``start`` is loaded (not merely linked) by this file."""
    tail = data[max(0, start - 200):start]
    if ext in (".html", ".htm", ".xhtml"):
        lt, gt = tail.rfind(b"<"), tail.rfind(b">")
        if lt > gt:  # inside a tag
            m = _TAG_NAME.match(tail, lt)
            if m and m.group(1).lower() in _HTML_TAGS and _HTML_ATTR_END.search(tail):
                if m.group(1).lower() != b"link":
                    return True
                end = data.find(b">", start)
                tag = tail[lt:] + data[start:end if end != -1 else start + 500]
                return bool(_LINK_REL.search(tag))
            return False
        return bool(_CSS_END.search(tail) or _JS_END.search(tail))
    if ext == ".css":
        return bool(_CSS_END.search(tail))
    if ext in (".js", ".mjs", ".cjs"):
        return bool(_JS_END.search(tail))
    return False


def _remote_urls(data: bytes, ext: str) -> list[tuple[int, bytes]]:
    found: list[tuple[int, bytes]] = []
    if ext == ".json":
        return found
    for m in _URL.finditer(data):
        start = m.start()
        head = data[max(0, start - 6):start].lower()
        if head.endswith(b"https:"):
            start -= 6
        elif head.endswith(b"http:"):
            start -= 5
        elif head[-1:] not in (b'"', b"'", b"(", b"`", b" ", b"="):
            continue
        if _loads(data, start, ext):
            found.append((start, data[start:m.end()]))
    return found


_CLEAN: set[tuple[str, bytes]] = set()
"""(extension, BLAKE2 digest) of contents scanned without any finding in this process: the
run-time files are the same in every package of a course, so a build (or a validation of
its packages) scans them once. Only clean contents are remembered, by a digest that cannot
be forged to match; findings are always computed and reported for each package."""
_CLEAN_MAX = 1024


def scan_package(source: Source, inv: Inventory, ctx: Context) -> None:
    """Scan every text member; report credentials (errors) and remote resources (warnings)."""
    remote_total = 0
    for name in inv.files:
        low = name.lower()
        if not low.endswith(_TEXT_EXT):
            continue
        ext = low[low.rfind("."):]
        try:
            data = source.read(name, MAX_SCAN_BYTES)
        except ReadError as exc:
            if exc.args and exc.args[0] != "too-large":
                ctx.error("zip.corrupt-entry", name, reason=exc.args[0])
            continue
        key = (ext, hashlib.blake2b(data, digest_size=20).digest())
        if key in _CLEAN:
            continue
        found_before = len(ctx.items)
        scan_credentials(data, name, ctx)
        if remote_total >= MAX_REMOTE_PER_PACKAGE:
            continue
        urls = _remote_urls(data, ext)
        if not urls and len(ctx.items) == found_before:
            if len(_CLEAN) >= _CLEAN_MAX:
                _CLEAN.clear()
            _CLEAN.add(key)
            continue
        seen: set[bytes] = set()
        for pos, url in urls:
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
