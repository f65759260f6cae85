"""Validate stage: the optional official-XSD pass (``--schemas DIR`` / ``EFOP_AUTHOR_SCHEMAS``).

The official schemas are third-party files that the project does not bundle. Given a folder
laid out like ``../shared/schemas`` (``scorm12/``, ``scorm2004-4th/``, ``cmi5/``, or all the files
in one folder), this module compiles in-memory wrapper schemas with the libxml2 workarounds
described in that folder's README, loads every file locally (``no_network``; anything outside
the folder is refused) and ignores the instance's ``xsi:schemaLocation`` hints. Errors become
diagnostics ``<family>.xsd`` located at the manifest line.

SCORM 1.2 inline LOM metadata (``imsmd:lom``) cannot be checked: ``imsmd_rootv1p2p1.xsd`` does
not compile under libxml2 (non-deterministic content model), so the wrapper leaves it out and
the "no matching global declaration" errors it causes for that namespace are dropped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from efop_author.records import record
from efop_author.validate.cp_grammar import ADLCP04, ADLCP12, ADLNAV, ADLSEQ, CP04, CP12, IMSSS

ENV_VAR = "EFOP_AUTHOR_SCHEMAS"
CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"

_SUBDIRS = ("scorm12", "scorm2004-4th", "cmi5", ".")

# family -> [(namespace, file name)], imported in this order (xml.xsd first: see README).
_IMPORTS: dict[str, list[tuple[str, str]]] = {
    "scorm12": [(XML_NS, "xml.xsd"), (CP12, "imscp_rootv1p1p2.xsd"), (ADLCP12, "adlcp_rootv1p2.xsd")],
    "scorm2004": [(XML_NS, "xml.xsd"), (CP04, "imscp_v1p1.xsd"), (ADLCP04, "adlcp_v1p3.xsd"),
                  (ADLSEQ, "adlseq_v1p3.xsd"), (ADLNAV, "adlnav_v1p3.xsd"), (IMSSS, "imsss_v1p0.xsd")],
    "cmi5": [(CMI5_NS, "CourseStructure.xsd")],
}


class SchemaError(Exception):
    """The schema folder is unusable (missing file, does not compile)."""


def schema_dir_from(value: str | os.PathLike[str] | None) -> Path | None:
    """The explicit folder, else ``$EFOP_AUTHOR_SCHEMAS``, else None (no XSD pass)."""
    if value:
        return Path(value)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else None


class _LocalOnly(etree.Resolver):
    """Resolve schema imports/includes to files inside the schema folder; refuse the rest."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        name = system_url.rsplit("/", 1)[-1]
        if name.endswith(".dtd"):
            return self.resolve_string("", context)
        found = _find(self.root, name)
        if found is None:
            raise SchemaError(f"{name}: not found in {self.root}")
        return self.resolve_filename(str(found), context)


def _find(root: Path, name: str) -> Path | None:
    for sub in _SUBDIRS:
        p = (root / sub / name).resolve()
        if p.is_file() and p.is_relative_to(root.resolve()):
            return p
    return None


_CACHE: dict[tuple[str, str], etree.XMLSchema] = {}
_LOCK = threading.Lock()


def load_schema(family: str, schema_dir: Path) -> etree.XMLSchema:
    """Compile (once per process) the official schema set of ``family``."""
    key = (family, str(schema_dir.resolve()))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        imports = _IMPORTS[family]
        parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
        parser.resolvers.add(_LocalOnly(schema_dir))
        if family == "cmi5":
            path = _find(schema_dir, imports[0][1])
            if path is None:
                raise SchemaError(f"CourseStructure.xsd: not found in {schema_dir}")
            doc = etree.parse(str(path), parser)
        else:
            parts = []
            for ns, name in imports:
                path = _find(schema_dir, name)
                if path is None:
                    raise SchemaError(f"{name}: not found in {schema_dir}")
                parts.append(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>')
            wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                       'targetNamespace="urn:efop-author:xsd-wrapper">' + "".join(parts) + "</xs:schema>")
            doc = etree.fromstring(wrapper.encode(), parser,
                                   base_url=(schema_dir.resolve() / "wrapper.xsd").as_uri()).getroottree()
        try:
            schema = etree.XMLSchema(doc)
        except etree.XMLSchemaParseError as exc:
            raise SchemaError(f"{family}: {exc}") from exc
        _CACHE[key] = schema
        return schema


@record
class XsdError:
    line: int
    message: str
    path: str | None


def xsd_errors(root: etree._Element, family: str, schema_dir: Path) -> Iterator[XsdError]:
    """Validate ``root`` against the official schemas; yield each libxml2 error."""
    schema = load_schema(family, schema_dir)
    with _LOCK:
        ok = schema.validate(root)
        log = list(schema.error_log)
    if ok:
        return
    for entry in log:
        if family == "scorm12" and _IMSMD12 in entry.message and "No matching global element" in entry.message:
            continue  # imsmd_rootv1p2p1.xsd does not compile under libxml2 (see module docstring)
        yield XsdError(entry.line, entry.message, entry.path)
