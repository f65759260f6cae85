"""Validate stage: Tin Can packages (``tincan.xml``, standards §5 and §7.4).

No official tincan.xsd exists to compare with, so the structure rules come from Rustici's
launch document and real files: root ``{http://projecttincan.com/tincan.xsd}tincan``,
``activities/activity+``, absolute activity IRIs, exactly one launchable activity, first.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from lxml import etree

from efop_author.diagnostics import Severity
from efop_author.validate._ctx import Context
from efop_author.validate._iri import is_absolute_iri, is_lang_tag
from efop_author.validate.ziplevel import Inventory, case_hint

NS = "http://projecttincan.com/tincan.xsd"
MANIFEST = "tincan.xml"
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other"}
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def _q(local: str) -> str:
    return f"{{{NS}}}{local}"


def check_tincan(root: etree._Element, inv: Inventory | None, ctx: Context) -> None:
    def err(code: str, el: etree._Element | None, **kw: object) -> None:
        ctx.error(code, MANIFEST, el.sourceline if el is not None else 0, **kw)

    def warn(code: str, el: etree._Element | None, **kw: object) -> None:
        ctx.warning(code, MANIFEST, el.sourceline if el is not None else 0, **kw)

    if root.tag != _q("tincan"):
        err("tincan.bad-root", root, element=root.tag if isinstance(root.tag, str) else "?", expected=NS)
        return
    activities_el = root.find(_q("activities"))
    activities = activities_el.findall(_q("activity")) if activities_el is not None else []
    if not activities:
        err("tincan.no-activity", activities_el if activities_el is not None else root)
        return
    seen: dict[str, int] = {}
    launching = []
    for act in activities:
        aid = act.get("id")
        if aid is None or not is_absolute_iri(aid.strip()):
            err("tincan.activity-id", act, value=aid or "")
        elif aid in seen:
            err("tincan.duplicate-id", act, value=aid, first_line=seen[aid])
        else:
            seen[aid] = act.sourceline or 0
        atype = act.get("type")
        if atype is not None and not is_absolute_iri(atype.strip()):
            warn("tincan.activity-type", act, value=atype)
        if act.find(_q("name")) is None:
            warn("tincan.missing-name", act, value=aid or "")
        for el in act:
            if isinstance(el.tag, str) and el.get("lang") is not None and not is_lang_tag(el.get("lang", "")):
                warn("tincan.bad-lang", el, value=el.get("lang"))
        if act.find(_q("launch")) is not None:
            launching.append(act)
        itype = act.find(_q("interactionType"))
        if itype is not None:
            if (itype.text or "").strip() not in INTERACTION_TYPES:
                warn("tincan.interaction-type", itype, value=(itype.text or "").strip())
            for list_name in _COMPONENT_LISTS:
                lst = act.find(_q(list_name))
                if lst is None:
                    continue
                ids: set[str] = set()
                for comp in lst.iter(_q("id")):
                    cid = (comp.text or "").strip()
                    if not cid or any(c.isspace() for c in cid) or cid in ids:
                        warn("tincan.component-id", comp, value=cid)
                    ids.add(cid)
    if not launching:
        err("tincan.no-launch", activities[0])
        return
    if len(launching) > 1:
        err("tincan.several-launch", launching[1], count=len(launching))
    if launching[0] is not activities[0]:
        err("tincan.launch-not-first", launching[0])
        ctx.moodle("moodle.tincan-first-activity", Severity.ERROR, MANIFEST, launching[0].sourceline)
    launch = launching[0].find(_q("launch"))
    url = (launch.text or "").strip() if launch is not None else ""
    if not url:
        err("tincan.no-launch", launch)
        return
    try:
        parts = urlsplit(url)
    except ValueError:
        err("tincan.invalid-launch", launch, url=url[:200])
        return
    if parts.scheme or url.startswith("//"):
        warn("tincan.absolute-launch", launch, url=url[:200])
        return
    path = unquote(parts.path).lstrip("./") if parts.path.startswith("./") else unquote(parts.path)
    if inv is not None and path not in inv.files:
        err("tincan.missing-launch-file", launch, path=path, hint=case_hint(inv, path))
