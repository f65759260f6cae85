"""Official-XSD validation helpers for tests (schemas read from ``../shared/schemas``).

The XSD files are third-party data: they are read in place, never copied into the project.
libxml2 workarounds (see ``shared/schemas/README.md``):

- SCORM 1.2: the bundled ``ims_xml.xsd`` does not compile, so the wrapper first imports the xml
  namespace from ``scorm2004-4th/xml.xsd``, then ``imscp_rootv1p1p2.xsd`` and
  ``adlcp_rootv1p2.xsd``; ``imsmd_rootv1p2p1.xsd`` is left out (not deterministic for libxml2),
  so manifests must not carry inline LOM;
- SCORM 2004 4th: a wrapper importing imscp, adlcp, adlseq, adlnav and imsss;
- cmi5: ``CourseStructure.xsd`` as is.

Usage::

    from xsd import SCHEMAS, xsd_errors, assert_valid
    assert_valid("scorm12", manifest_bytes)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "schemas"
"""``/work/shared/schemas`` when the repository is ``/work/main``."""

_XML_NS = "http://www.w3.org/XML/1998/namespace"

_IMPORTS: dict[str, list[tuple[str, str]]] = {
    "scorm12": [
        (_XML_NS, "scorm2004-4th/xml.xsd"),
        ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "scorm12/imscp_rootv1p1p2.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "scorm12/adlcp_rootv1p2.xsd"),
    ],
    "scorm2004": [
        (_XML_NS, "scorm2004-4th/xml.xsd"),
        ("http://www.imsglobal.org/xsd/imscp_v1p1", "scorm2004-4th/imscp_v1p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_v1p3", "scorm2004-4th/adlcp_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlseq_v1p3", "scorm2004-4th/adlseq_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlnav_v1p3", "scorm2004-4th/adlnav_v1p3.xsd"),
        ("http://www.imsglobal.org/xsd/imsss", "scorm2004-4th/imsss_v1p0.xsd"),
    ],
}


def available() -> bool:
    """True when the shared schema folder is there (tests skip otherwise)."""
    return (SCHEMAS / "scorm12" / "imscp_rootv1p1p2.xsd").is_file()


@cache
def schema(kind: str) -> etree.XMLSchema:
    """The compiled schema for ``scorm12``, ``scorm2004`` or ``cmi5``."""
    if kind == "cmi5":
        return etree.XMLSchema(etree.parse(str(SCHEMAS / "cmi5" / "CourseStructure.xsd")))
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(SCHEMAS / rel).as_uri()}"/>'
        for ns, rel in _IMPORTS[kind]
    )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'targetNamespace="urn:efop-author:test-wrapper:{kind}">{imports}</xs:schema>'
    )
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    doc = etree.fromstring(wrapper.encode(), parser, base_url=(SCHEMAS / "wrapper.xsd").as_uri())
    return etree.XMLSchema(doc)


def xsd_errors(kind: str, xml: bytes) -> list[str]:
    """Validation errors of ``xml`` against the official ``kind`` schema (empty when valid)."""
    doc = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    s = schema(kind)
    if s.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in s.error_log]


def assert_valid(kind: str, xml: bytes) -> None:
    errors = xsd_errors(kind, xml)
    assert not errors, "\n".join(errors) + "\n\n" + xml.decode("utf-8")
