"""Validate stage: SCORM content-package rules (standards §7.2 and §7.3), 1.2 and 2004 alike.

First the native schema pass (:mod:`~efop_author.validate.cp_grammar`), then the SCORM rules
the schemas cannot express: identifier references, default organization, titles, scorm types,
launch files and ``<file>`` entries present in the zip (after ``xml:base``), undeclared files,
dependencies, and the Moodle-specific traps (namespace prefixes, ignored ``xml:base``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from efop_author.diagnostics import Severity
from efop_author.validate._ctx import Context
from efop_author.validate._grammar import Grammar, check_document, node_name
from efop_author.validate._types import collapse
from efop_author.validate.cp_grammar import (
    ADLCP04, ADLCP12, ADLNAV, ADLSEQ, CP04, CP12, IMSSS, XML_BASE, scorm12_grammar, scorm2004_grammar,
)
from efop_author.validate.ziplevel import Inventory, case_hint

MANIFEST = "imsmanifest.xml"
_GRAMMARS: dict[str, Grammar] = {}
_DUMMY_HOST = "http://pkg.invalid/"
_DUMMY = _DUMMY_HOST + "__root__/"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_TIMESPAN = re.compile(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?")
_CONVENTIONAL = {ADLCP12: "adlcp", ADLCP04: "adlcp", IMSSS: "imsss", ADLSEQ: "adlseq", ADLNAV: "adlnav"}
_V2004_OK = "2004 4th Edition"
_V2004_OLDER = ("2004 3rd Edition", "CAM 1.3", "1.3")
_AICC_WORDS = {"passed", "completed", "browsed", "failed", "not", "attempted", "incomplete",
               "p", "c", "b", "f", "n", "i", "a"}
_LIST_MAX = 5


def grammar(family: str) -> Grammar:
    if family not in _GRAMMARS:
        _GRAMMARS[family] = scorm12_grammar() if family == "scorm12" else scorm2004_grammar()
    return _GRAMMARS[family]


def detect_manifest(root: etree._Element) -> str:
    """``scorm12`` or ``scorm2004``, from the root namespace, else from ``schemaversion``."""
    ns = etree.QName(root).namespace
    if ns == CP12:
        return "scorm12"
    if ns == CP04:
        return "scorm2004"
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == "schemaversion":
            value = (el.text or "").strip()
            if value.startswith("2004") or value in _V2004_OLDER:
                return "scorm2004"
            break
    return "scorm12"


def resolve_href(bases: list[str], href: str) -> tuple[str, str]:
    """Resolve ``href`` against the ``xml:base`` chain: ``(kind, path)``; kind is ``local``,
    ``external`` (has a scheme), ``unsafe`` (absolute path or escapes the package root) or
    ``invalid`` (not a URL at all)."""
    url = _DUMMY
    try:
        for part in [*bases, href]:
            url = urljoin(url, part.strip())
        if not url.startswith(_DUMMY_HOST):
            return "external", url
        if not url.startswith(_DUMMY):
            return "unsafe", href
        path = urlsplit(url).path[len("/__root__/"):]
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return "invalid", href
    return "local", unquote(path)


class _Cp:
    def __init__(self, root: etree._Element, family: str, inv: Inventory, ctx: Context, raw: bytes):
        self.root, self.family, self.inv, self.ctx, self.raw = root, family, inv, ctx, raw
        self.ns = CP12 if family == "scorm12" else CP04
        self.adl = ADLCP12 if family == "scorm12" else ADLCP04
        self.referenced: set[str] = set()
        self.sub_manifests: set[str] = set()

    # helpers -------------------------------------------------------------------------------
    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def kids(self, el: etree._Element, local: str) -> list[etree._Element]:
        return [c for c in el if c.tag == self.q(local)]

    def kid(self, el: etree._Element, local: str) -> etree._Element | None:
        found = self.kids(el, local)
        return found[0] if found else None

    def err(self, code: str, el: etree._Element | None, **kw: object) -> None:
        self.ctx.error(f"{self.family}.{code}", MANIFEST, el.sourceline if el is not None else 0, **kw)

    def warn(self, code: str, el: etree._Element | None, **kw: object) -> None:
        self.ctx.warning(f"{self.family}.{code}", MANIFEST, el.sourceline if el is not None else 0, **kw)

    # rules -----------------------------------------------------------------------------------
    def run(self) -> None:
        def report(code: str, el: etree._Element, **kw: object) -> None:
            if code == "bad-idref" and kw.get("attribute") == "default":
                return  # reported below as default-organization, with a clearer message
            self.err(code, el, **kw)

        check_document(self.root, grammar(self.family), report, self.q("manifest"))
        if self.root.tag != self.q("manifest"):
            return
        self.metadata()
        resources = self.resources()
        self.organizations(resources)
        self.undeclared()
        self.schema_location()
        self.prefixes()
        if self.family == "scorm2004":
            self.scorm2004_rules()
        self.moodle_rules()

    def metadata(self) -> None:
        md = self.kid(self.root, "metadata")
        schema = self.kid(md, "schema") if md is not None else None
        version = self.kid(md, "schemaversion") if md is not None else None
        value = (version.text or "").strip() if version is not None else None
        if schema is not None and (schema.text or "").strip() != "ADL SCORM":
            self.err("schema", schema, value=(schema.text or "").strip())
        if self.family == "scorm12":
            if value is None:
                self.warn("no-schemaversion", md if md is not None else self.root)
            elif value != "1.2":
                self.err("schemaversion", version, value=value)
        else:
            if value is None:
                self.err("no-schemaversion", md if md is not None else self.root)
            elif value in _V2004_OLDER:
                self.warn("older-edition", version, value=value)
            elif value != _V2004_OK:
                self.err("schemaversion", version, value=value)

    def bases(self, *els: etree._Element | None) -> list[str]:
        return [el.get(XML_BASE) or "" for el in els if el is not None]

    def resources(self) -> dict[str, etree._Element]:
        """Every resource (sub-manifests included) by identifier; checks each one."""
        out: dict[str, etree._Element] = {}
        all_res = list(self.root.iter(self.q("resource")))
        for r in all_res:
            ident = collapse(r.get("identifier") or "")
            if ident and ident not in out:
                out[ident] = r
        for r in all_res:
            self.resource(r, out)
        self.dependency_cycles(out)
        self.sub_manifests = {collapse(m.get("identifier") or "") for m in self.root.iter(self.q("manifest"))
                              if m is not self.root}
        return out

    def resource(self, r: etree._Element, all_res: dict[str, etree._Element]) -> None:
        ident = r.get("identifier") or ""
        if (r.get("type") or "") != "webcontent":
            self.err("resource-type", r, identifier=ident, value=r.get("type") or "")
        st_name = "scormtype" if self.family == "scorm12" else "scormType"
        scormtype = r.get(f"{{{self.adl}}}{st_name}")
        if scormtype is None:
            self.err("missing-scormtype", r, identifier=ident, attribute=f"adlcp:{st_name}")
        bases = self.bases(*reversed(list(r.iterancestors())), r)
        base = r.get(XML_BASE)
        if base and not base.endswith("/"):
            self.warn("xml-base-slash", r, value=base)
        href = r.get("href")
        if href is not None:
            self.check_href(r, bases, href, launch=True)
        for f in self.kids(r, "file"):
            fh = f.get("href")
            if fh is not None:
                self.check_href(f, bases, fh, launch=False)
        for d in self.kids(r, "dependency"):
            ref = collapse(d.get("identifierref") or "")
            if ref and ref not in all_res:
                self.err("bad-dependency", d, value=ref)

    def check_href(self, el: etree._Element, bases: list[str], href: str, *, launch: bool) -> None:
        kind, path = resolve_href(bases, href)
        if kind == "external":
            if launch:
                self.ctx.warning("portability.external-launch", MANIFEST, el.sourceline, url=path[:200])
            return
        if kind in ("unsafe", "invalid"):
            self.err(f"{kind}-href", el, href=href[:200])
            return
        self.referenced.add(path)
        if path not in self.inv.files:
            code = "missing-launch-file" if launch else "missing-file"
            self.err(code, el, href=href, path=path, hint=case_hint(self.inv, path))

    def dependency_cycles(self, res: dict[str, etree._Element]) -> None:
        graph = {rid: [collapse(d.get("identifierref") or "") for d in self.kids(r, "dependency")]
                 for rid, r in res.items()}
        state: dict[str, int] = {}
        for start in graph:
            if state.get(start):
                continue
            stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
            state[start] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    stack.pop()
                elif nxt in graph:
                    if state.get(nxt) == 1:
                        self.warn("dependency-cycle", res[node], identifier=node, other=nxt)
                    elif not state.get(nxt):
                        state[nxt] = 1
                        stack.append((nxt, iter(graph[nxt])))

    def organizations(self, resources: dict[str, etree._Element]) -> None:
        orgs_el = self.kid(self.root, "organizations")
        if orgs_el is None:
            return
        orgs = self.kids(orgs_el, "organization")
        if not orgs:
            self.err("no-organization", orgs_el)
            return
        ids = {collapse(o.get("identifier") or ""): o for o in orgs}
        default = orgs_el.get("default")
        chosen = orgs[0]
        if default is not None:
            if collapse(default) in ids:
                chosen = ids[collapse(default)]
            else:
                self.err("default-organization", orgs_el, value=default)
        item_ids = {collapse(i.get("identifier") or "") for i in orgs_el.iter(self.q("item"))}
        for org in orgs:
            self.title(org)
            launchable = 0
            for item in org.iter(self.q("item")):
                launchable += self.item(item, resources, item_ids)
            if launchable == 0 and org is chosen:
                self.err("no-launchable-item", org, identifier=org.get("identifier") or "")

    def title(self, el: etree._Element) -> None:
        t = self.kid(el, "title")
        if t is None or not (t.text or "").strip():
            self.err("missing-title", t if t is not None else el, element=node_name(el),
                     identifier=el.get("identifier") or "")

    def item(self, item: etree._Element, resources: dict[str, etree._Element], item_ids: set[str]) -> int:
        self.title(item)
        ident = item.get("identifier") or ""
        ref = item.get("identifierref")
        children = self.kids(item, "item")
        params = item.get("parameters")
        if params and params[0] not in "?&#":
            self.warn("parameters", item, value=params[:100])
        if self.family == "scorm12":
            self.adlcp12_item(item, item_ids)
        if children:
            if ref is not None:
                self.err("parent-item-identifierref", item, identifier=ident)
            return 0
        if ref is None:
            self.warn("item-not-launchable", item, identifier=ident)
            return 0
        res = resources.get(collapse(ref))
        if res is None and collapse(ref) in self.sub_manifests:
            return 1
        if res is None:
            self.err("bad-identifierref", item, identifier=ident, value=ref)
            self.ctx.moodle("moodle.invalid-resource", Severity.WARNING, MANIFEST, item.sourceline,
                            value=ref)
            return 0
        if res.get("href") is None:
            self.err("resource-without-href", item, identifier=ident, resource=ref)
            return 0
        return 1

    def adlcp12_item(self, item: etree._Element, item_ids: set[str]) -> None:
        A = ADLCP12
        for el in item:
            if el.tag == f"{{{A}}}masteryscore":
                value = (el.text or "").strip()
                try:
                    ok = bool(re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value)) and 0 <= Decimal(value) <= 100
                except ArithmeticError:
                    ok = False
                if not ok:
                    self.err("masteryscore", el, value=value[:50])
            elif el.tag == f"{{{A}}}maxtimeallowed":
                value = (el.text or "").strip()
                if not _TIMESPAN.fullmatch(value):
                    self.err("maxtimeallowed", el, value=value[:50])
            elif el.tag == f"{{{A}}}prerequisites":
                script = re.sub(r'"[^"]*"', " ", el.text or "")
                unknown = [w for w in re.findall(r"[A-Za-z_][\w.\-]*", script)
                           if w.lower() not in _AICC_WORDS and w not in item_ids]
                if unknown:
                    self.err("prerequisites", el, names=", ".join(unknown[:5]))

    def undeclared(self) -> None:
        skip = {MANIFEST}
        extra = [n for n in self.inv.files if n not in self.referenced and n not in skip
                 and not ("/" not in n and n.lower().endswith((".xsd", ".dtd")))
                 and n not in ("tincan.xml", "cmi5.xml")]
        if extra:
            shown = ", ".join(extra[:_LIST_MAX]) + (f" (+{len(extra) - _LIST_MAX})" if len(extra) > _LIST_MAX else "")
            self.ctx.warning(f"{self.family}.undeclared-file", extra[0], 0, names=shown, count=len(extra))

    def schema_location(self) -> None:
        loc = self.root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
        if not loc:
            return
        parts = loc.split()
        files = [parts[i] for i in range(1, len(parts), 2)]
        missing = [f for f in files if not _SCHEME.match(f) and posixpath.normpath(f) not in self.inv.files]
        if missing:
            self.warn("missing-xsd", self.root, names=", ".join(missing[:8]))

    def prefixes(self) -> None:
        bad: dict[str, tuple[str, int]] = {}
        for el in self.root.iter():
            if not isinstance(el.tag, str):
                continue
            qn = etree.QName(el)
            want = _CONVENTIONAL.get(qn.namespace or "")
            if qn.namespace == self.ns and el.prefix:
                bad.setdefault(f"{el.prefix}:{qn.localname}", (qn.localname, el.sourceline or 0))
            elif want and el.prefix != want:
                bad.setdefault(node_name(el), (f"{want}:{qn.localname}", el.sourceline or 0))
            for name in el.attrib:
                if name.startswith("{"):
                    ans, local = name[1:].split("}", 1)
                    want_a = _CONVENTIONAL.get(ans)
                    if want_a:
                        prefix = next((p for p, u in (el.nsmap or {}).items() if u == ans), None)
                        if prefix != want_a:
                            bad.setdefault(f"{prefix}:{local}", (f"{want_a}:{local}", el.sourceline or 0))
        for found, (expected, line) in list(bad.items())[:10]:
            if self.ctx.lms == "moodle":
                self.ctx.moodle("moodle.namespace-prefix", Severity.ERROR, MANIFEST, line, found=found,
                                expected=expected)
            else:
                self.ctx.warning("portability.namespace-prefix", MANIFEST, line, found=found,
                                 expected=expected)

    def scorm2004_rules(self) -> None:
        v12_names = {"masteryscore", "maxtimeallowed", "datafromlms", "timelimitaction", "prerequisites"}
        for el in self.root.iter():
            if not isinstance(el.tag, str):
                continue
            qn = etree.QName(el)
            if qn.namespace == ADLCP12 or (qn.namespace == ADLCP04 and qn.localname in v12_names):
                self.err("scorm12-construct", el, name=node_name(el))
            for name in el.attrib:
                if name in (f"{{{ADLCP12}}}scormtype", f"{{{ADLCP04}}}scormtype"):
                    self.err("scorm12-construct", el, name="adlcp:scormtype")
        seq_by_id = {collapse(s.get("ID") or ""): s for s in self.root.iter(f"{{{IMSSS}}}sequencing")
                     if s.get("ID")}
        orgs_el = self.kid(self.root, "organizations")
        for org in self.kids(orgs_el, "organization") if orgs_el is not None else []:
            for act in [org, *org.iter(self.q("item"))]:
                if len(self.kids(act, "item")) > 1 and not self.flow(act, seq_by_id):
                    self.warn("no-flow", act, identifier=act.get("identifier") or "")
        for objs in self.root.iter(f"{{{IMSSS}}}objectives"):
            seen: set[str] = set()
            writers: set[str] = set()
            for o in objs:
                if not isinstance(o.tag, str):
                    continue
                oid = o.get("objectiveID")
                if oid:
                    if oid in seen:
                        self.warn("duplicate-objective", o, value=oid)
                    seen.add(oid)
                for mi in o.iter(f"{{{IMSSS}}}mapInfo"):
                    if collapse(mi.get("writeSatisfiedStatus") or "") in ("true", "1") or collapse(
                            mi.get("writeNormalizedMeasure") or "") in ("true", "1"):
                        target = collapse(mi.get("targetObjectiveID") or "")
                        if target in writers:
                            self.err("duplicate-global-objective", mi, value=target)
                        writers.add(target)

    def flow(self, act: etree._Element, seq_by_id: dict[str, etree._Element]) -> bool:
        seq = next((c for c in act if c.tag == f"{{{IMSSS}}}sequencing"), None)
        if seq is None:
            return False
        cm = next((c for c in seq if c.tag == f"{{{IMSSS}}}controlMode"), None)
        if cm is None and seq.get("IDRef"):
            ref = seq_by_id.get(collapse(seq.get("IDRef") or ""))
            cm = next((c for c in ref if c.tag == f"{{{IMSSS}}}controlMode"), None) if ref is not None else None
        return cm is not None and collapse(cm.get("flow") or "") in ("true", "1")

    def moodle_rules(self) -> None:
        if self.ctx.lms != "moodle":
            return
        for el in (self.root, self.kid(self.root, "resources")):
            if el is not None and el.get(XML_BASE):
                self.ctx.moodle("moodle.xml-base", Severity.ERROR, MANIFEST, el.sourceline,
                                element=node_name(el), value=el.get(XML_BASE))
        if self.family == "scorm2004":
            features = []
            for local in ("sequencingRules", "rollupRules"):
                if next(self.root.iter(f"{{{IMSSS}}}{local}"), None) is not None:
                    features.append(f"imsss:{local}")
            if any(m.get("targetObjectiveID") for m in self.root.iter(f"{{{IMSSS}}}mapInfo")):
                features.append("imsss:mapInfo")
            if features:
                first = next(self.root.iter(f"{{{IMSSS}}}sequencing"))
                self.ctx.moodle("moodle.sequencing", Severity.WARNING, MANIFEST, first.sourceline,
                                features=", ".join(features))
        m = re.search(rb"&#", self.raw)
        if m:
            self.ctx.moodle("moodle.numeric-entity", Severity.WARNING, MANIFEST,
                            self.raw.count(b"\n", 0, m.start()) + 1)


def check_manifest(root: etree._Element, family: str, inv: Inventory, ctx: Context, raw: bytes) -> None:
    _Cp(root, family, inv, ctx, raw).run()
