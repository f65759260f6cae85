"""SCORM 2004 4th Edition target: manifests valid against the official 4th Edition XSDs."""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import xsd  # noqa: E402
from pkg_course import make_course, make_module, make_site  # noqa: E402

from efop_author.targets._cam import ADLCP, IMSCP, IMSSS  # noqa: E402
from efop_author.targets.scorm2004 import Scorm2004, scaled  # noqa: E402

NS = {"cp": IMSCP, "adlcp": ADLCP, "imsss": IMSSS}


def manifest_of(pkg) -> bytes:
    return next(f.data for f in pkg.files if f.arcname == "imsmanifest.xml")


def test_scaled():
    assert [scaled(s) for s in (0, 1, 75, 80, 100, 33)] == ["0", "0.01", "0.75", "0.8", "1", "0.33"]


def test_per_module_manifests():
    course = make_course()
    pkgs = Scorm2004().package(course, make_site(course, "scorm2004"))
    assert [p.name for p in pkgs] == [
        "efop-test-m-un-scorm2004.zip",
        "efop-test-m-deux-scorm2004.zip",
    ]
    for pkg, module in zip(pkgs, course.modules, strict=True):
        data = manifest_of(pkg)
        xsd.assert_valid("scorm2004", data)
        root = etree.fromstring(data)
        for prefix in ("adlcp", "adlseq", "adlnav", "imsss"):
            assert root.nsmap[prefix].endswith(("v1p3", "imsss"))
        assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "2004 4th Edition"
        assert b"masteryscore" not in data and b"xml:base" not in data
        (res,) = root.findall("cp:resources/cp:resource", NS)
        assert res.get(f"{{{ADLCP}}}scormType") == "sco"
        assert res.get("href") == f"{module.id}/index.html"
        listed = [f.get("href") for f in res.findall("cp:file", NS)]
        assert listed == sorted(f.arcname for f in pkg.files if f.arcname != "imsmanifest.xml")
        (item,) = root.findall("cp:organizations/cp:organization/cp:item", NS)
        dc = item.find("imsss:sequencing/imsss:deliveryControls", NS)
        assert dc.get("completionSetByContent") == "true"
        assert dc.get("objectiveSetByContent") == "true"
        prim = item.find("imsss:sequencing/imsss:objectives/imsss:primaryObjective", NS)
        if module.mastery_score is None:
            assert prim is None
        else:
            assert prim.get("satisfiedByMeasure") == "true"
            assert prim.findtext("imsss:minNormalizedMeasure", namespaces=NS) == "0.8"
        cm = root.find("cp:organizations/cp:organization/imsss:sequencing/imsss:controlMode", NS)
        assert cm.get("flow") == "true"


def test_bundle_manifest():
    course = make_course()
    (pkg,) = Scorm2004().package(course, make_site(course, "scorm2004"), bundle=True)
    assert pkg.name == "efop-test-scorm2004.zip"
    data = manifest_of(pkg)
    xsd.assert_valid("scorm2004", data)
    root = etree.fromstring(data)
    org = root.find("cp:organizations/cp:organization", NS)
    assert org.find("imsss:sequencing/imsss:controlMode", NS).get("flow") == "true"
    assert len(org.findall("cp:item", NS)) == 2
    res = {r.get("identifier"): r for r in root.findall("cp:resources/cp:resource", NS)}
    assert res["RES-efop-test_shared"].get(f"{{{ADLCP}}}scormType") == "asset"
    for rid in ("RES-efop-test-m-un", "RES-efop-test-m-deux"):
        deps = [d.get("identifierref") for d in res[rid].findall("cp:dependency", NS)]
        assert deps == ["RES-efop-test_shared"]
    all_listed = sorted(f.get("href") for f in root.iter(f"{{{IMSCP}}}file"))
    assert all_listed == sorted(f.arcname for f in pkg.files if f.arcname != "imsmanifest.xml")


def test_escaped_titles_validate():
    course = make_course(title='A & <b> "c"', modules=(make_module("m", "É & <x> ]]>", mastery=100),))
    for bundle in (False, True):
        (pkg,) = Scorm2004().package(course, make_site(course, "scorm2004"), bundle=bundle)
        xsd.assert_valid("scorm2004", manifest_of(pkg))


def test_no_scorm12_import_sheet():
    course = make_course()
    for bundle in (False, True):
        assert all(p.extra == () for p in Scorm2004().package(course, make_site(course), bundle=bundle))
