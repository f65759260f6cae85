"""SCORM 1.2 target: manifests valid against the official XSDs, file lists, identifiers."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import xsd  # noqa: E402
from pkg_course import make_course, make_module, make_site  # noqa: E402

from efop_author.package.writer import PackageError, zip_bytes  # noqa: E402
from efop_author.targets import TARGETS, get_target  # noqa: E402
from efop_author.targets._cam import ADLCP12, IMSCP12  # noqa: E402
from efop_author.targets.scorm12 import Scorm12  # noqa: E402

NS = {"cp": IMSCP12, "adlcp": ADLCP12}


def manifest_of(pkg) -> bytes:
    return next(f.data for f in pkg.files if f.arcname == "imsmanifest.xml")


def test_registry():
    assert set(TARGETS) == {"web", "scorm12", "scorm2004", "xapi", "cmi5"}
    for name, cls in TARGETS.items():
        assert cls.name == name
        assert cls.lms_adapter == f"{name}.js"
    assert isinstance(get_target("scorm12"), Scorm12)
    with pytest.raises(KeyError, match="scorm12"):
        get_target("scorm13")


def test_per_module_packages_validate_and_list_every_file():
    course = make_course()
    pkgs = Scorm12().package(course, make_site(course))
    assert [p.name for p in pkgs] == ["efop-test-m-un-scorm12.zip", "efop-test-m-deux-scorm12.zip"]
    for pkg, module in zip(pkgs, course.modules, strict=True):
        data = manifest_of(pkg)
        xsd.assert_valid("scorm12", data)
        assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        root = etree.fromstring(data)
        # literal prefixes, no xml:base anywhere, no inline LOM
        assert root.nsmap == {None: IMSCP12, "adlcp": ADLCP12,
                              "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
        assert b"xml:base" not in data and b"lom" not in data.lower()
        assert b"adlcp:scormtype=\"sco\"" in data
        assert root.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
        assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.2"
        assert root.get("identifier") == f"MANIFEST-efop-test-{module.id}"
        assert len(root.get("version")) <= 20
        orgs = root.find("cp:organizations", NS)
        (org,) = orgs.findall("cp:organization", NS)
        assert orgs.get("default") == org.get("identifier") == f"ORG-efop-test-{module.id}"
        (item,) = org.findall("cp:item", NS)
        (res,) = root.findall("cp:resources/cp:resource", NS)
        assert item.get("identifierref") == res.get("identifier") == f"RES-efop-test-{module.id}"
        assert item.findtext("cp:title", namespaces=NS) == module.title
        assert res.get("href") == f"{module.id}/index.html"
        assert res.get(f"{{{ADLCP12}}}scormtype") == "sco"
        assert res.get("type") == "webcontent"
        listed = [f.get("href") for f in res.findall("cp:file", NS)]
        in_zip = sorted(f.arcname for f in pkg.files if f.arcname != "imsmanifest.xml")
        assert listed == in_zip  # every file of the package, sorted, launch file included
        assert res.get("href") in listed
        assert not any(n.startswith(("m-deux/", "m-un/")) and not n.startswith(module.id + "/")
                       for n in listed)
        mastery = item.findtext("adlcp:masteryscore", namespaces=NS)
        assert mastery == (str(module.mastery_score) if module.mastery_score is not None else None)
        # launch file and every listed file exist in the zip
        with zipfile.ZipFile(io.BytesIO(zip_bytes(pkg))) as zf:
            names = zf.namelist()
            assert names[0] == "imsmanifest.xml"
            assert set(listed) <= set(names)
            # the official XSDs are not shipped
            assert not [n for n in names if n.endswith(".xsd")]


def test_bundle_validates_with_shared_asset_dependency():
    course = make_course()
    (pkg,) = Scorm12().package(course, make_site(course), bundle=True)
    assert pkg.name == "efop-test-scorm12.zip"
    data = manifest_of(pkg)
    xsd.assert_valid("scorm12", data)
    root = etree.fromstring(data)
    assert root.get("identifier") == "MANIFEST-efop-test"
    org = root.find("cp:organizations/cp:organization", NS)
    assert org.findtext("cp:title", namespaces=NS) == course.title
    items = org.findall("cp:item", NS)
    assert [i.get("identifier") for i in items] == ["ITEM-efop-test-m-un", "ITEM-efop-test-m-deux"]
    resources = {r.get("identifier"): r for r in root.findall("cp:resources/cp:resource", NS)}
    shared = resources.pop("RES-efop-test_shared")
    assert shared.get(f"{{{ADLCP12}}}scormtype") == "asset"
    assert shared.get("href") is None
    shared_files = [f.get("href") for f in shared.findall("cp:file", NS)]
    assert all(n.startswith("efop/") or n == "index.html" for n in shared_files)
    for item in items:
        res = resources[item.get("identifierref")]
        assert res.get(f"{{{ADLCP12}}}scormtype") == "sco"
        deps = [d.get("identifierref") for d in res.findall("cp:dependency", NS)]
        assert deps == ["RES-efop-test_shared"]
        mid = res.get("href").split("/")[0]
        assert all(f.get("href").startswith(mid + "/") for f in res.findall("cp:file", NS))
    # every file of the zip is listed exactly once
    all_listed = [f.get("href") for f in root.iter(f"{{{IMSCP12}}}file")]
    assert sorted(all_listed) == sorted(f.arcname for f in pkg.files if f.arcname != "imsmanifest.xml")
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids))


def test_identifiers_and_bytes_stable_across_builds():
    a = Scorm12().package(make_course(), make_site(make_course()))
    b = Scorm12().package(make_course(), make_site(make_course()))
    assert [manifest_of(p) for p in a] == [manifest_of(p) for p in b]
    assert [zip_bytes(p) for p in a] == [zip_bytes(p) for p in b]


def test_titles_are_escaped_and_clipped():
    title = 'A & <b> "c" \'d\' é ]]> &amp; ' + "x" * 300
    course = make_course(title="Cours & <co>", modules=(make_module("m", title),))
    for bundle in (False, True):
        (pkg,) = Scorm12().package(course, make_site(course), bundle=bundle)
        data = manifest_of(pkg)
        xsd.assert_valid("scorm12", data)
        titles = [t.text for t in etree.fromstring(data).iter(f"{{{IMSCP12}}}title")]
        assert all(len(t) <= 200 for t in titles)
        assert any(t.startswith('A & <b> "c" \'d\' é ]]> &amp; ') for t in titles)


def test_long_version_is_cut_to_20_characters():
    from dataclasses import replace

    course = replace(make_course(), version="2024.10.01-release-candidate-7")
    (pkg, _) = Scorm12().package(course, make_site(course))
    data = manifest_of(pkg)
    xsd.assert_valid("scorm12", data)
    assert etree.fromstring(data).get("version") == "2024.10.01-release-c"


def test_non_ascii_asset_name_is_a_package_error():
    from dataclasses import replace

    course = make_course()
    site = make_site(course)
    m0 = site.modules[0]
    bad = replace(m0, files={**m0.files, "assets/données.png": b"x"})
    site = replace(site, modules=(bad, *site.modules[1:]))
    with pytest.raises(PackageError, match="données"):
        Scorm12().package(course, site)


def test_moodle_sheet_next_to_each_package():
    course = make_course()
    pkgs = Scorm12().package(course, make_site(course))
    for pkg in pkgs:
        (name, data), = pkg.extra
        assert name == pkg.name.removesuffix(".zip") + ".moodle.md"
        assert data.decode("utf-8").startswith("# Fiche d'import Moodle")
    (bundle,) = Scorm12().package(course, make_site(course), bundle=True)
    assert [n for n, _ in bundle.extra] == ["efop-test-scorm12.moodle.md"]


def test_module_named_like_the_shared_folder_is_rejected():
    course = make_course(modules=(make_module("efop"),))
    with pytest.raises(PackageError, match="efop"):
        Scorm12().package(course, make_site(course))
