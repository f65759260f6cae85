"""The native schema rules agree with the official XSDs (``../shared/schemas``).

Over every single-point mutation of six valid base manifests (SCORM 1.2, SCORM 2004 4th Ed. with
sequencing, cmi5): each manifest the official schemas reject is rejected natively, and the
valid bases are accepted. Where the native validator is stricter than libxml2 + the XSDs, the
rule must be one of the documented differences (``docs/validate.md``).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
from validate_support.manifests import BASES, all_cases, package  # noqa: E402

from efop_author.diagnostics import Severity  # noqa: E402
from efop_author.validate import iter_errors  # noqa: E402
from efop_author.validate.xsd import SchemaError, load_schema, xsd_errors  # noqa: E402

# Rules the schemas cannot express (SCORM CAM / cmi5 spec text), each listed in docs/validate.md.
STRICTER_RULES = {
    f"{family}.{rule}"
    for family in ("scorm12", "scorm2004")
    for rule in (
        "schema", "schemaversion", "no-schemaversion", "resource-type", "missing-scormtype",
        "missing-launch-file", "missing-file", "unsafe-href", "invalid-href", "bad-identifierref",
        "bad-dependency", "default-organization", "no-organization", "no-launchable-item",
        "missing-title", "parent-item-identifierref", "resource-without-href", "masteryscore",
        "maxtimeallowed", "prerequisites", "scorm12-construct",
        # XML Schema rules that libxml2 does not enforce:
        "bad-idref",  # IDREF values must match an ID (cvc-id.1); libxml2 does not check it
        "duplicate-global-objective",  # xs:unique on mapInfo with a predicate: not applied
    )
} | {"cmi5.bad-iri", "cmi5.duplicate-id", "cmi5.bad-objective-ref", "cmi5.mastery-decimals",
     "cmi5.missing-launch-file", "cmi5.invalid-url"}


@pytest.fixture(scope="module")
def schemas(shared_dir: Path) -> Path:
    path = shared_dir / "schemas"
    try:
        for family in ("scorm12", "scorm2004", "cmi5"):
            load_schema(family, path)
    except SchemaError as exc:  # pragma: no cover - the CI machine has them
        pytest.fail(f"official schemas unusable: {exc}")
    return path


def _libxml2_lenient_order(xml: bytes, line: int) -> bool:
    """libxml2 accepts an element of the target namespace after an ``##other`` lax wildcard
    (``<adlcp:x/><resource/>``), which XML Schema forbids; the native pass rejects it."""
    root = etree.fromstring(xml)
    for el in root.iter():
        if not isinstance(el.tag, str) or el.sourceline != line:
            continue
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is not None and etree.QName(prev).namespace != etree.QName(el).namespace:
            return True
    return False


def test_bases_are_valid_for_both(schemas: Path) -> None:
    for base in BASES:
        root = etree.fromstring(base.text.encode())
        assert list(xsd_errors(root, base.family, schemas)) == [], base.name
        case = next(c for c in all_cases() if c.base is base and c.label == "original")
        diags = list(iter_errors(package(case)))
        assert [d for d in diags if d.severity is Severity.ERROR] == [], base.name


def test_native_rejects_everything_the_xsds_reject(schemas: Path) -> None:
    cases = all_cases()
    assert len(cases) >= 200
    rejected = 0
    missed = []
    unexplained = []
    stricter: collections.Counter[str] = collections.Counter()
    for case in cases:
        xsd = list(xsd_errors(etree.fromstring(case.xml), case.base.family, schemas))
        errors = [d for d in iter_errors(package(case)) if d.severity is Severity.ERROR]
        if xsd:
            rejected += 1
            if not errors:
                missed.append(f"{case.base.name} / {case.label}: {xsd[0].message}")
            continue
        for d in errors:
            if d.code in STRICTER_RULES:
                stricter[d.code] += 1
            elif d.code.endswith(".element-order") and d.loc and _libxml2_lenient_order(case.xml, d.loc.line):
                stricter["libxml2 wildcard order"] += 1
            else:
                unexplained.append(f"{case.base.name} / {case.label}: {d.format()}")
    assert missed == [], "\n".join(missed[:20])
    assert unexplained == [], "\n".join(unexplained[:20])
    assert rejected >= 200, rejected  # the mutations really exercise the schemas
    assert len(cases) - rejected >= 100  # and enough stay valid to test false alarms
