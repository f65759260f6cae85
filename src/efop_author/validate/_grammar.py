"""Validate stage: a small native content-model checker (the schema rules, as Python data).

A :class:`Grammar` is the part of an XML Schema that packages need: element declarations with
their attributes and an ordered content model (sequences of elements with min/max occurrences,
``##other`` wildcards, choices and ``xs:all``). :func:`check_document` walks a parsed tree and
reports clear, located problems (``missing-element``, ``element-order``...) instead of raw XSD
messages. Sequences are matched greedily, which is exact for the deterministic (UPA-conformant)
content models of the SCORM, IMS and cmi5 schemas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Union

from lxml import etree

from efop_author.records import record
from efop_author.validate._types import SimpleType, collapse

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"


@record
class Attr:
    type: SimpleType
    required: bool = False


@record
class El:
    """An element particle; ``decl`` is a local declaration, else the global one is used."""

    name: str
    min: int = 1
    max: int | None = 1
    decl: Decl | None = None


@record
class Any:
    """``xs:any namespace="##other"`` (not the target namespace, not unqualified)."""

    process: str = "lax"
    min: int = 0
    max: int | None = None


@record
class Choice:
    options: tuple[El, ...]
    min: int = 1
    max: int | None = 1


@record
class All:
    elements: tuple[El, ...]


Particle = Union[El, Any, Choice]


@record
class Decl:
    """An element declaration (complex type flattened)."""

    ns: str
    """Target namespace of the schema that declares it (for ``##other``)."""
    attrs: dict[str, Attr] = field(default_factory=dict)
    """Keys: ``local`` for unqualified attributes, ``{ns}local`` for qualified ones."""
    any_attr: str | None = None
    """``strict`` / ``lax`` for ``anyAttribute namespace="##other"``; None: no wildcard."""
    content: tuple[Particle, ...] | All | None = None
    """Element-only content; None with ``text`` None means empty content."""
    text: SimpleType | None = None
    """Simple content type."""
    any_content: bool = False
    """``xs:anyType``: anything goes."""


@dataclass
class Grammar:
    prefix: str
    """Diagnostic code prefix (``scorm12``)."""
    elements: dict[str, Decl]
    """Global element declarations by Clark name."""
    attributes: dict[str, SimpleType]
    """Global attribute declarations by Clark name (for attribute wildcards)."""
    prefixes: dict[str, str]
    """Conventional prefixes used to name expected elements in messages."""
    skip_namespaces: frozenset[str] = frozenset()
    """Namespaces whose elements wildcards accept without checking (documented differences)."""


Report = Callable[..., None]
"""``report(code, element, **kw)``: code without the family prefix."""


def clark_to_display(name: str, prefixes: dict[str, str]) -> str:
    if name.startswith("{"):
        ns, local = name[1:].split("}", 1)
        p = prefixes.get(ns)
        if p is None:
            return local
        return f"{p}:{local}" if p else local
    return name


def node_name(el: etree._Element) -> str:
    q = etree.QName(el)
    return f"{el.prefix}:{q.localname}" if el.prefix else q.localname


def _ns_of(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def element_children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def own_text(el: etree._Element) -> str:
    parts = [el.text or ""]
    parts.extend(c.tail or "" for c in el)
    return "".join(parts)


class Checker:
    def __init__(self, grammar: Grammar, report: Report) -> None:
        self.g = grammar
        self.report = report
        self.ids: dict[str, etree._Element] = {}
        self.idrefs: list[tuple[etree._Element, str, str]] = []

    def disp(self, name: str) -> str:
        return clark_to_display(name, self.g.prefixes)

    # -- attributes ---------------------------------------------------------------------------
    def check_attrs(self, el: etree._Element, decl: Decl) -> None:
        where = node_name(el)
        for name, value in el.attrib.items():
            ns = _ns_of(name)
            spec = decl.attrs.get(name)
            if spec is not None:
                self.check_value(el, spec.type, value, attribute=self._attr_disp(el, name), where=where)
                continue
            if ns == XSI:
                continue
            if decl.any_content:
                continue
            if decl.any_attr and ns and ns != decl.ns:
                gtype = self.g.attributes.get(name)
                if gtype is not None:
                    self.check_value(el, gtype, value, attribute=self._attr_disp(el, name), where=where)
                elif decl.any_attr == "strict" and ns not in self.g.skip_namespaces:
                    self.report("unknown-attribute", el, attribute=self._attr_disp(el, name), element=where)
                continue
            self.report("unknown-attribute", el, attribute=self._attr_disp(el, name), element=where)
        for name, spec in decl.attrs.items():
            if spec.required and name not in el.attrib:
                self.report("missing-attribute", el, attribute=self.disp(name), element=where)

    def _attr_disp(self, el: etree._Element, name: str) -> str:
        if not name.startswith("{"):
            return name
        ns, local = name[1:].split("}", 1)
        if ns == XML_NS:
            return f"xml:{local}"
        for p, uri in (el.nsmap or {}).items():
            if uri == ns and p:
                return f"{p}:{local}"
        return self.disp(name)

    def check_value(self, el: etree._Element, stype: SimpleType, value: str, *, where: str,
                    attribute: str | None = None) -> None:
        problem = stype(value)
        if problem is not None:
            self.report("bad-value", el, element=where, target=f"@{attribute}" if attribute else "",
                        value=value[:80], expected=stype.label, problem=problem)
            return
        if stype.kind == "id":
            key = collapse(value)
            if key in self.ids:
                first = self.ids[key].sourceline or 0
                self.report("duplicate-id", el, value=key, first_line=first)
            else:
                self.ids[key] = el
        elif stype.kind == "idref":
            self.idrefs.append((el, collapse(value), attribute or where))

    # -- content ------------------------------------------------------------------------------
    def check(self, el: etree._Element, decl: Decl) -> None:
        self.check_attrs(el, decl)
        if decl.any_content:
            return
        where = node_name(el)
        kids = element_children(el)
        if decl.content is None:
            text = own_text(el)
            if kids:
                self.report("unexpected-element", kids[0], element=node_name(kids[0]), parent=where)
            if decl.text is None:
                if text:
                    self.report("unexpected-text", el, element=where)
            else:
                self.check_value(el, decl.text, text, where=where)
            return
        if own_text(el).strip():
            self.report("unexpected-text", el, element=where)
        if isinstance(decl.content, All):
            self._match_all(el, kids, decl.content)
        else:
            self._match_sequence(el, kids, decl.content, decl)

    def _particle_accepts(self, p: Particle, child: etree._Element, decl: Decl) -> bool:
        tag = child.tag
        if isinstance(p, El):
            return tag == p.name
        if isinstance(p, Choice):
            return any(tag == o.name for o in p.options)
        ns = _ns_of(tag)  # type: ignore[arg-type]
        return bool(ns) and ns != decl.ns

    def _match_sequence(self, el: etree._Element, kids: list[etree._Element],
                        particles: tuple[Particle, ...], decl: Decl) -> None:
        where = node_name(el)
        i, n = 0, len(kids)
        for p in particles:
            count = 0
            while i < n and (p.max is None or count < p.max) and self._particle_accepts(p, kids[i], decl):
                self._descend(kids[i], p)
                i += 1
                count += 1
            if count < p.min and not isinstance(p, Any):
                wanted = p.name if isinstance(p, El) else p.options[0].name
                later = next((k for k in kids[i:] if self._particle_accepts(p, k, decl)), None)
                if later is not None and i < n:
                    self.report("element-order", later, element=node_name(later),
                                before=node_name(kids[i]), parent=where)
                    return
                names = (self.disp(wanted) if isinstance(p, El)
                         else " | ".join(self.disp(o.name) for o in p.options))
                self.report("missing-element", kids[i] if i < n else el, element=names, parent=where)
            if p.max is not None and count == p.max and i < n and self._particle_accepts(p, kids[i], decl):
                self.report("too-many", kids[i], element=node_name(kids[i]), parent=where, max=p.max)
                return
        if i < n:
            extra = kids[i]
            if any(self._particle_accepts(p, extra, decl) for p in particles):
                self.report("element-order", extra, element=node_name(extra),
                            before=node_name(kids[i - 1]) if i else "", parent=where)
            else:
                self.report("unexpected-element", extra, element=node_name(extra), parent=where)

    def _match_all(self, el: etree._Element, kids: list[etree._Element], content: All) -> None:
        where = node_name(el)
        seen: dict[str, int] = {}
        for k in kids:
            p = next((e for e in content.elements if e.name == k.tag), None)
            if p is None:
                self.report("unexpected-element", k, element=node_name(k), parent=where)
                return
            seen[p.name] = seen.get(p.name, 0) + 1
            if seen[p.name] > 1:
                self.report("too-many", k, element=node_name(k), parent=where, max=1)
                return
            self._descend(k, p)
        for p in content.elements:
            if p.min and p.name not in seen:
                self.report("missing-element", el, element=self.disp(p.name), parent=where)

    def _descend(self, child: etree._Element, p: Particle) -> None:
        if isinstance(p, El):
            decl = p.decl or self.g.elements.get(p.name)
        elif isinstance(p, Choice):
            opt = next(o for o in p.options if o.name == child.tag)
            decl = opt.decl or self.g.elements.get(opt.name)
        else:
            decl = self.g.elements.get(child.tag)  # type: ignore[arg-type]
            if decl is None:
                ns = _ns_of(child.tag)  # type: ignore[arg-type]
                if p.process == "strict" and ns not in self.g.skip_namespaces:
                    self.report("unknown-element", child, element=node_name(child))
                return
        if decl is not None:
            self.check(child, decl)

    def finish(self) -> None:
        for el, ref, attribute in self.idrefs:
            if ref not in self.ids:
                self.report("bad-idref", el, attribute=attribute, value=ref)


def check_document(root: etree._Element, grammar: Grammar, report: Report,
                   root_name: str) -> Checker:
    """Check ``root`` against the global declaration ``root_name``; return the checker (ids)."""
    checker = Checker(grammar, report)
    decl = grammar.elements.get(root_name)
    if root.tag != root_name or decl is None:
        report("bad-root", root, element=node_name(root), expected=clark_to_display(root_name, grammar.prefixes),
               namespace=etree.QName(root).namespace or "")
        return checker
    checker.check(root, decl)
    checker.finish()
    return checker
