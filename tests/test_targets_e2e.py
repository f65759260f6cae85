"""End to end: sources → loader → render → every target → official XSDs; reproducible builds.

Courses: ``tests/roots/need-escaped`` (``&``, ``<``, quotes, accents, ``]]>`` in titles, prompts,
choices, descriptions, version) and ``tests/roots/minimal``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import xsd  # noqa: E402

from efop_author.load import load_course  # noqa: E402
from efop_author.package.writer import write_package, zip_bytes  # noqa: E402
from efop_author.targets import TARGETS  # noqa: E402
from efop_author.targets._cam import IMSCP, IMSCP12, TINCAN  # noqa: E402

render_site = pytest.importorskip("efop_author.render.site").render_site

TESTS = Path(__file__).parent
REPO = TESTS.parent
ADAPTERS = REPO / "themes" / "default" / "static" / "js" / "lms"
ROOTS = ["need-escaped", "minimal"]
MANIFEST = {"scorm12": "imsmanifest.xml", "scorm2004": "imsmanifest.xml", "xapi": "tincan.xml",
            "cmi5": "cmi5.xml"}


def _load(name: str):
    course, diags = load_course(TESTS / "roots" / name)
    assert course is not None and not diags.errors, [d.format() for d in diags]
    return course


def _site(course, target):
    # The adapters of xapi/scorm2004/cmi5 come later: until then package a site rendered with
    # the SCORM 1.2 adapter (packaging does not depend on the adapter's content).
    adapter = target.lms_adapter if (ADAPTERS / target.lms_adapter).is_file() else "scorm12.js"
    site, diags = render_site(course, target.name, adapter)
    assert not diags.errors, [d.format() for d in diags]
    return site


def _check_refs(name: str, data: bytes, files: set[str]) -> None:
    """Every file/launch the manifest names is in the package; every package file is listed."""
    root = etree.fromstring(data)
    if name in ("scorm12", "scorm2004"):
        ns = IMSCP12 if name == "scorm12" else IMSCP
        listed = [f.get("href") for f in root.iter(f"{{{ns}}}file")]
        hrefs = [r.get("href") for r in root.iter(f"{{{ns}}}resource") if r.get("href")]
        assert set(listed) == files - {"imsmanifest.xml"}
        assert set(hrefs) <= files
        ids = [e.get("identifier") for e in root.iter() if e.get("identifier")]
        assert len(ids) == len(set(ids))
    elif name == "xapi":
        launches = [e.text for e in root.iter(f"{{{TINCAN}}}launch")]
        assert len(launches) == 1 and launches[0] in files
    else:
        urls = [e.text for e in root.iter("{*}url")]
        assert urls and set(urls) <= files


@pytest.mark.parametrize("root_name", ROOTS)
@pytest.mark.parametrize("target_name", sorted(MANIFEST))
def test_every_target_validates(root_name, target_name):
    course = _load(root_name)
    target = TARGETS[target_name]()
    site = _site(course, target)
    for bundle in (False, True):
        pkgs = target.package(course, site, bundle=bundle)
        assert len(pkgs) == (1 if bundle else len(course.modules))
        for pkg in pkgs:
            files = {f.arcname for f in pkg.files}
            data = next(f.data for f in pkg.files if f.arcname == MANIFEST[target_name])
            if target_name != "xapi":
                xsd.assert_valid(target_name, data)
            _check_refs(target_name, data, files)
            # titles survive escaping: the course (bundle) or module title is there as text
            if pkg is pkgs[0]:
                texts = {e.text for e in etree.fromstring(data).iter() if e.text}
                assert (course.title if bundle else course.modules[0].title) in texts


def test_need_escaped_titles_reach_the_manifests():
    course = _load("need-escaped")
    assert "&" in course.title and "<" in course.title and '"' in course.title
    (pkg,) = TARGETS["scorm12"]().package(course, _site(course, TARGETS["scorm12"]()), bundle=True)
    data = next(f.data for f in pkg.files if f.arcname == "imsmanifest.xml")
    root = etree.fromstring(data)
    titles = [t.text for t in root.iter(f"{{{IMSCP12}}}title")]
    assert titles[0] == course.title
    assert titles[1] == 'Risques & <dangers> "graves" : l\'œil de l\'expert ]]> &amp;'
    assert root.get("version") == '1.0.0 & <beta> "é"'
    assert b"&lt;dangers&gt;" in data and b"]]&gt;" in data


@pytest.mark.parametrize("target_name", sorted(TARGETS))
def test_two_builds_byte_identical(tmp_path, monkeypatch, target_name):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outs = []
    for run in ("a", "b"):
        course = _load("need-escaped")
        target = TARGETS[target_name]()
        for pkg in target.package(course, _site(course, target), bundle=target_name != "web"):
            outs.append((run, write_package(pkg, tmp_path / run)))
    a = {p.relative_to(tmp_path / "a"): p for r, p in outs if r == "a"}
    b = {p.relative_to(tmp_path / "b"): p for r, p in outs if r == "b"}
    assert a.keys() == b.keys()
    for rel, pa in a.items():
        if pa.is_dir():
            ta = {q.relative_to(pa): q.read_bytes() for q in pa.rglob("*") if q.is_file()}
            tb = {q.relative_to(b[rel]): q.read_bytes() for q in b[rel].rglob("*") if q.is_file()}
            assert ta == tb
            continue
        assert pa.read_bytes() == b[rel].read_bytes()
        with zipfile.ZipFile(pa) as zf:
            names = zf.namelist()
            assert names[0] in ("imsmanifest.xml", "tincan.xml", "cmi5.xml")
            assert names[1:] == sorted(names[1:])
            assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_build_course_reproducible(tmp_path, monkeypatch):
    """Through the orchestrator (``efop_author.build.build_course``) when it is there."""
    build = pytest.importorskip("efop_author.build")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    results = []
    for run in ("a", "b"):
        res = build.build_course(TESTS / "roots" / "need-escaped", targets=["scorm12"],
                                 out=tmp_path / run)
        assert res.ok, [d.format() for d in res.diagnostics]
        results.append(sorted(res.written))
    assert [p.name for p in results[0]] == ["need-escaped-aide-scorm12.zip",
                                             "need-escaped-risques-scorm12.zip"]
    assert sorted(p.name for p in (tmp_path / "a").glob("*.moodle.md")) == [
        "need-escaped-aide-scorm12.moodle.md",
        "need-escaped-risques-scorm12.moodle.md",
    ]
    for pa, pb in zip(*results, strict=True):
        assert pa.read_bytes() == pb.read_bytes()
        with zipfile.ZipFile(io.BytesIO(pa.read_bytes())) as zf:
            assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            xsd.assert_valid("scorm12", zf.read("imsmanifest.xml"))


def test_zip_bytes_same_as_written(tmp_path):
    course = _load("minimal")
    target = TARGETS["scorm12"]()
    (pkg,) = target.package(course, _site(course, target))
    assert write_package(pkg, tmp_path).read_bytes() == zip_bytes(pkg)


@pytest.mark.parametrize("target_name", sorted(MANIFEST))
def test_project_validator_finds_nothing(target_name):
    """The project's own validator (Moodle checks and the official-XSD pass on) agrees."""
    validate = pytest.importorskip("efop_author.validate")
    course = _load("need-escaped")
    target = TARGETS[target_name]()
    site = _site(course, target)
    for bundle in (False, True):
        for pkg in target.package(course, site, bundle=bundle):
            found = list(validate.iter_errors(zip_bytes(pkg), lms="moodle", schemas=xsd.SCHEMAS))
            assert not found, [d.format() for d in found]
