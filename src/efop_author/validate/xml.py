"""Validate stage: a hardened XML parser for manifests (no DTD, no entities, no network).

DOCTYPE and ENTITY declarations are refused before parsing (billion laughs, XXE), then lxml
parses with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``.
Syntax errors become ``xml.not-well-formed`` diagnostics with the line number.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from efop_author.validate._ctx import Context

MAX_XML_BYTES = 16 * 1024**2

_DECL = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, remove_blank_text=False, collect_ids=False)


def _ascii_view(data: bytes) -> bytes:
    """The bytes to scan for declarations, decoded from UTF-16/32 when a BOM says so."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace").encode("utf-8", errors="replace")
    if len(data) > 1 and (data[0] == 0 or data[1] == 0):  # UTF-16 without BOM
        return data.replace(b"\x00", b"")
    return data


def parse(data: bytes, ctx: Context, member: str) -> etree._Element | None:
    """Parse ``data`` (a zip member) or report why it cannot be used; never raises."""
    if len(data) > MAX_XML_BYTES:
        ctx.error("xml.too-large", member, size=len(data), limit=MAX_XML_BYTES)
        return None
    view = _ascii_view(data)
    m = _DECL.search(view)
    if m:
        line = view.count(b"\n", 0, m.start()) + 1
        ctx.error("xml.doctype", member, line, kind=m.group(1).decode("ascii").upper())
        return None
    enc = _ENCODING.match(view.lstrip(codecs.BOM_UTF8))
    encoding = enc.group(1).decode("ascii").lower() if enc else None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            encoding and encoding.replace("_", "-") not in ("utf-8", "utf8")):
        ctx.warning("xml.encoding", member, 1, encoding=encoding or "UTF-16")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        ctx.error("xml.not-well-formed", member, line, detail=(exc.msg or str(exc))[:300])
        return None
    except (ValueError, LookupError) as exc:  # unknown encoding name, bad encoding data
        ctx.error("xml.not-well-formed", member, 1, detail=str(exc)[:300])
        return None
    if root is None:
        ctx.error("xml.not-well-formed", member, 1, detail="")
        return None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        ctx.error("xml.doctype", member, 1, kind="DOCTYPE")
        return None
    return root
