"""Validate stage: archive-level checks (standards §7.1): paths, duplicates, bombs, manifests.

Runs on the member list only (declared sizes, flags, names), before anything is decompressed,
so zip bombs and zip-slip entries are refused without reading them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from efop_author.diagnostics import Severity
from efop_author.messages import t
from efop_author.validate._ctx import Context
from efop_author.validate.source import Member, Source

MAX_ENTRIES = 20_000
MAX_TOTAL_SIZE = 2 * 1024**3  # declared uncompressed bytes
MAX_RATIO = 250  # uncompressed / compressed, for members over RATIO_MIN_SIZE
RATIO_MIN_SIZE = 5 * 1024**2

ROOT_MANIFESTS = ("imsmanifest.xml", "cmi5.xml", "tincan.xml")
_CRUFT = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$|\._)", re.IGNORECASE)
_URL_SAFE = re.compile(r"[A-Za-z0-9._/\-~]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LIST_MAX = 5


@dataclass
class Inventory:
    """What the later stages need: the usable files and the root manifests."""

    files: dict[str, Member] = field(default_factory=dict)
    """Safe file members by (posix) name."""
    lower: dict[str, str] = field(default_factory=dict)
    """Lower-cased name -> name, for "wrong case" hints."""
    manifests: list[str] = field(default_factory=list)
    """Root manifest names present, in priority order."""
    fatal: bool = False
    """The archive is not safe to analyse further (bomb, too many entries)."""


def _short_list(names: list[str]) -> str:
    shown = ", ".join(names[:_LIST_MAX])
    return shown + (f" (+{len(names) - _LIST_MAX})" if len(names) > _LIST_MAX else "")


def case_hint(inv: Inventory, path: str) -> str:
    """A hint when ``path`` exists with another case (LMS web servers are case-sensitive)."""
    other = inv.lower.get(path.lower())
    return t("validate.case-hint", name=other) if other and other != path else ""


def unsafe_reason(name: str) -> str | None:
    """Why a member name is unsafe to extract (zip-slip), or None."""
    if not name:
        return "empty"
    if _CONTROL.search(name):
        return "control"
    n = name.replace("\\", "/")
    if n.startswith("/"):
        return "absolute"
    if re.match(r"[A-Za-z]:", n):
        return "drive"
    if ".." in n.split("/"):
        return "dotdot"
    return None


def check_archive(source: Source, ctx: Context) -> Inventory:
    inv = Inventory()
    members = source.members
    if len(members) > MAX_ENTRIES:
        ctx.error("zip.too-many-entries", None, count=len(members), limit=MAX_ENTRIES)
        inv.fatal = True
        return inv
    total = sum(max(m.size, 0) for m in members)
    if total > MAX_TOTAL_SIZE:
        ctx.error("zip.too-large", None, size=total, limit=MAX_TOTAL_SIZE)
        inv.fatal = True
    for m in members:
        if m.size > RATIO_MIN_SIZE and m.size > MAX_RATIO * max(m.compress_size, 1):
            ctx.error("zip.compression-ratio", m.name, size=m.size, compressed=m.compress_size,
                      limit=MAX_RATIO)
            inv.fatal = True
    if inv.fatal:
        return inv

    seen: dict[str, str] = {}
    seen_lower: dict[str, str] = {}
    cruft: list[str] = []
    unsafe_urls: list[str] = []
    for m in members:
        name = m.name
        reason = unsafe_reason(name)
        if reason:
            ctx.error("zip.unsafe-path", None, name=name.encode("unicode_escape").decode("ascii"),
                      reason=reason)
            continue
        if m.encrypted:
            ctx.error("zip.encrypted", name)
            continue
        if m.compress_type not in (0, 8):
            ctx.error("zip.compression-method", name, method=m.compress_type)
            continue
        if "\\" in name:
            ctx.warning("zip.backslash", name)
            name = name.replace("\\", "/")
        if m.symlink:
            ctx.warning("zip.symlink", name)
            continue
        if m.is_dir:
            continue
        if m.raw_name is not None:
            try:
                intended = m.raw_name.decode("utf-8")
            except UnicodeDecodeError:
                intended = name
            ctx.warning("zip.non-utf8-name", name, intended=intended)
        if name in seen:
            ctx.error("zip.duplicate-entry", name)
            continue
        low = name.lower()
        if low in seen_lower:
            ctx.error("zip.case-duplicate", name, other=seen_lower[low])
            continue
        seen[name] = name
        seen_lower[low] = name
        if _CRUFT.search(name):
            cruft.append(name)
            continue
        if not _URL_SAFE.fullmatch(name):
            unsafe_urls.append(name)
        inv.files[name] = m
        inv.lower[low] = name
    if cruft:
        ctx.warning("zip.os-cruft", cruft[0], names=_short_list(cruft), count=len(cruft))
    if unsafe_urls:
        ctx.warning("portability.file-name", unsafe_urls[0], names=_short_list(unsafe_urls),
                    count=len(unsafe_urls))
    _check_manifests(inv, ctx)
    return inv


def _check_manifests(inv: Inventory, ctx: Context) -> None:
    for name in ROOT_MANIFESTS:
        if name in inv.files:
            inv.manifests.append(name)
    if inv.manifests:
        if len(inv.manifests) > 1:
            ctx.warning("zip.multiple-manifests", None, names=", ".join(inv.manifests),
                        used=inv.manifests[0])
        return
    for name in ROOT_MANIFESTS:
        if name in inv.lower and "/" not in inv.lower[name]:
            ctx.error("zip.manifest-case", inv.lower[name], expected=name)
            return
    nested = sorted((n for n in inv.files if n.rsplit("/", 1)[-1].lower() in ROOT_MANIFESTS),
                    key=lambda n: (n.count("/"), n))
    if nested:
        ctx.error("zip.manifest-nested", nested[0], expected=nested[0].rsplit("/", 1)[-1].lower(),
                  folder=nested[0].rsplit("/", 1)[0] + "/")
        ctx.moodle("moodle.manifest-location", Severity.ERROR, nested[0])
        return
    ctx.error("zip.no-manifest", None)
