"""Build orchestration: reproducible bytes, bundles, stable identifiers across content edits."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from efop_author.build import build_course

ROOTS = Path(__file__).parent / "roots"
CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(ROOTS / "minimal", dest)
    return dest


def _build(course: Path, out: Path, **kw: object) -> list[Path]:
    result = build_course(course, targets=kw.pop("targets", ("scorm12",)), out=out, **kw)  # type: ignore[arg-type]
    assert result.ok, [d.format() for d in result.diagnostics]
    return sorted(result.written)


def test_two_builds_are_byte_identical(course: Path, tmp_path: Path) -> None:
    a = _build(course, tmp_path / "a", targets=("scorm12", "web"))
    b = _build(course, tmp_path / "b", targets=("scorm12", "web"))
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 2
    for x, y in zip(a, b):
        if x.is_dir():  # the web target writes a folder
            files_x = sorted(p.relative_to(x) for p in x.rglob("*") if p.is_file())
            assert files_x == sorted(p.relative_to(y) for p in y.rglob("*") if p.is_file())
            for rel in files_x:
                assert (x / rel).read_bytes() == (y / rel).read_bytes(), rel
        else:
            assert x.read_bytes() == y.read_bytes(), x.name


def test_source_date_epoch_sets_entry_times(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    (zpath,) = _build(course, tmp_path / "o")
    with zipfile.ZipFile(zpath) as zf:
        infos = zf.infolist()
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert [i.filename for i in infos if i.filename != "imsmanifest.xml"] == sorted(
        i.filename for i in infos if i.filename != "imsmanifest.xml"
    )


def _manifest_ids(zpath: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(zpath) as zf:
        root = etree.fromstring(zf.read("imsmanifest.xml"))
    return {
        "manifest": [root.get("identifier")],
        "items": [i.get("identifier") for i in root.iter(f"{CP}item")],
        "resources": [r.get("identifier") for r in root.iter(f"{CP}resource")],
    }


def test_identifiers_stable_when_content_changes(course: Path, tmp_path: Path) -> None:
    (first,) = _build(course, tmp_path / "v1")
    page = course / "modules/01-intro/02-contenu.md"
    page.write_text(page.read_text(encoding="utf-8").replace("- deux", "- deux\n- trois"), encoding="utf-8")
    (course / "course.yml").write_text(
        (course / "course.yml").read_text(encoding="utf-8").replace('version: "1.0.0"', 'version: "1.1.0"'), encoding="utf-8"
    )
    (second,) = _build(course, tmp_path / "v2")
    assert first.read_bytes() != second.read_bytes()
    assert _manifest_ids(first) == _manifest_ids(second)


def test_bundle_has_one_sco_per_module(course: Path, tmp_path: Path) -> None:
    second = course / "modules/02-suite"
    second.mkdir()
    (second / "module.yml").write_text("id: suite\ntitle: Deuxième module\n", encoding="utf-8")
    (second / "01-page.md").write_text("---\nid: page\ntitle: Une page\n---\nTexte.\n", encoding="utf-8")
    (zpath,) = _build(course, tmp_path / "o", bundle=True)
    assert zpath.name == "demo-scorm12.zip"
    with zipfile.ZipFile(zpath) as zf:
        root = etree.fromstring(zf.read("imsmanifest.xml"))
        names = set(zf.namelist())
    scos = [r for r in root.iter(f"{CP}resource") if r.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"]
    assert [r.get("href") for r in scos] == ["intro/index.html", "suite/index.html"]
    assert {"intro/index.html", "suite/index.html", "efop/runtime.js"} <= names
    items = list(root.iter(f"{CP}item"))
    assert len(items) == 2
