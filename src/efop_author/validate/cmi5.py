"""Validate stage: cmi5 course structures (``cmi5.xml``, standards §6.1 and §7.5).

The native schema pass mirrors ``CourseStructure.xsd``; the cmi5 rules on top: absolute and
unique IRIs, objective references, ``masteryScore`` decimals, AU URLs present in the zip (or
absolute for a bare ``cmi5.xml``), launch-parameter names reserved by the launch protocol.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from efop_author.validate import _types as T
from efop_author.validate._ctx import Context
from efop_author.validate._grammar import All, Any, Attr, Choice, Decl, El, Grammar, check_document
from efop_author.validate._iri import is_absolute_iri
from efop_author.validate._types import collapse
from efop_author.validate.ziplevel import Inventory, case_hint

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MANIFEST = "cmi5.xml"
RESERVED = {"endpoint", "fetch", "actor", "registration", "activityId"}
_PASSING = {"Passed", "CompletedAndPassed", "CompletedOrPassed"}
_GRAMMAR: Grammar | None = None


def _q(local: str) -> str:
    return f"{{{NS}}}{local}"


def cmi5_grammar() -> Grammar:
    global _GRAMMAR
    if _GRAMMAR is not None:
        return _GRAMMAR
    anyw = Any("lax")
    lang = Decl(NS, {"lang": Attr(T.LANGUAGE)}, "lax", text=T.STRING)
    text = Decl(NS, {}, "lax", (El(_q("langstring"), 1, None, lang), anyw))
    any_type = Decl(NS, any_content=True)
    objective = Decl(NS, {"id": Attr(T.ANY_URI, required=True)}, None,
                     All((El(_q("title"), 1, 1, text), El(_q("description"), 1, 1, text))))
    objectives = Decl(NS, {}, "lax", (El(_q("objective"), 1, None, objective), anyw))
    ref_objectives = Decl(NS, {}, "lax", (
        El(_q("objective"), 1, None, Decl(NS, {"idref": Attr(T.ANY_URI)})), anyw))
    au = Decl(NS, {
        "id": Attr(T.ANY_URI, required=True),
        "moveOn": Attr(T.string(enum=("NotApplicable", "Passed", "Completed", "CompletedAndPassed",
                                      "CompletedOrPassed"))),
        "masteryScore": Attr(T.decimal("0", "1")),
        "launchMethod": Attr(T.string(enum=("AnyWindow", "OwnWindow"))),
        "activityType": Attr(T.STRING)}, "lax", (
        El(_q("title"), 1, 1, text), El(_q("description"), 1, 1, text),
        El(_q("objectives"), 0, 1, ref_objectives),
        El(_q("url"), 1, 1, Decl(NS, text=T.any_uri(min_length=1))),
        El(_q("launchParameters"), 0, 1, any_type), El(_q("entitlementKey"), 0, 1, any_type), anyw))
    block_content: list[object] = []
    block = Decl(NS, {"id": Attr(T.ANY_URI, required=True)}, "lax", ())
    units = Choice((El(_q("au"), decl=au), El(_q("block"), decl=block)), 1, None)
    block_content.extend([El(_q("title"), 1, 1, text), El(_q("description"), 1, 1, text),
                          El(_q("objectives"), 0, 1, ref_objectives), units, anyw])
    object.__setattr__(block, "content", tuple(block_content))
    course = Decl(NS, {"id": Attr(T.ANY_URI, required=True)}, "lax", (
        El(_q("title"), 1, 1, text), El(_q("description"), 1, 1, text), anyw))
    root = Decl(NS, {}, "lax", (El(_q("course"), 1, 1, course), El(_q("objectives"), 0, 1, objectives),
                                units, anyw))
    _GRAMMAR = Grammar("cmi5", {_q("courseStructure"): root}, {}, {NS: ""})
    return _GRAMMAR


def check_cmi5(root: etree._Element, inv: Inventory | None, ctx: Context) -> None:
    def err(code: str, el: etree._Element | None, **kw: object) -> None:
        ctx.error(code, MANIFEST, el.sourceline if el is not None else 0, **kw)

    def warn(code: str, el: etree._Element | None, **kw: object) -> None:
        ctx.warning(code, MANIFEST, el.sourceline if el is not None else 0, **kw)

    def report(code: str, el: etree._Element, **kw: object) -> None:
        err(f"cmi5.{code}", el, **kw)

    check_document(root, cmi5_grammar(), report, _q("courseStructure"))
    if root.tag != _q("courseStructure"):
        return
    seen: dict[str, int] = {}
    objective_ids: set[str] = set()
    top = root.find(_q("objectives"))
    for o in top.findall(_q("objective")) if top is not None else []:
        objective_ids.add(collapse(o.get("id") or ""))
    for el in root.iter(_q("course"), _q("block"), _q("au"), _q("objective")):
        parent = el.getparent()
        is_ref = el.tag == _q("objective") and parent is not None and parent.getparent() is not root
        if is_ref:
            ref = collapse(el.get("idref") or "")
            if ref not in objective_ids:
                err("cmi5.bad-objective-ref", el, value=ref)
            continue
        ident = el.get("id")
        if ident is None:
            continue
        ident = collapse(ident)
        if not is_absolute_iri(ident):
            err("cmi5.bad-iri", el, value=ident)
        elif ident in seen:
            err("cmi5.duplicate-id", el, value=ident, first_line=seen[ident])
        else:
            seen[ident] = el.sourceline or 0
    for au in root.iter(_q("au")):
        score = au.get("masteryScore")
        if score is not None:
            s = collapse(score)
            if "." in s and len(s.split(".", 1)[1].rstrip("0")) > 4:
                err("cmi5.mastery-decimals", au, value=s)
            if au.get("moveOn", "NotApplicable") not in _PASSING:
                warn("cmi5.mastery-without-passed", au, value=au.get("moveOn", "NotApplicable"))
        atype = au.get("activityType")
        if atype is not None and not is_absolute_iri(atype.strip()):
            warn("cmi5.activity-type", au, value=atype)
        url_el = au.find(_q("url"))
        if url_el is None:
            continue
        url = (url_el.text or "").strip()
        try:
            parts = urlsplit(url)
        except ValueError:
            err("cmi5.invalid-url", url_el, url=url[:200])
            continue
        reserved = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} & RESERVED)
        if reserved:
            warn("cmi5.reserved-parameter", url_el, names=", ".join(reserved))
        if parts.scheme or url.startswith("//") or not url:
            continue
        if inv is None:
            err("cmi5.relative-url-without-zip", url_el, url=url[:200])
            continue
        path = unquote(parts.path)
        if path.startswith("./"):
            path = path[2:]
        if path not in inv.files:
            err("cmi5.missing-launch-file", url_el, path=path, hint=case_hint(inv, path))
