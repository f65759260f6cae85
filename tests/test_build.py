"""Build orchestration: reproducible bytes, bundles, stable identifiers across content edits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
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
    a = _build(course, tmp_path / "a", targets=("scorm12", "scorm2004", "xapi", "cmi5", "web"))
    b = _build(course, tmp_path / "b", targets=("scorm12", "scorm2004", "xapi", "cmi5", "web"))
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 5
    for x, y in zip(a, b, strict=True):
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


def _big_module(root: Path, pages: int, questions: int, qid: str = "q{:02d}", fill_in: bool = False) -> None:
    folder = root / "modules" / "02-gros"
    folder.mkdir(parents=True)
    (folder / "module.yml").write_text("id: gros-module\ntitle: Gros module\n", encoding="utf-8")
    for i in range(1, pages):
        (folder / f"{i:02d}-page.md").write_text(f"---\nid: page-{i:02d}\ntitle: Page {i}\n---\nTexte.\n", encoding="utf-8")
    kinds = ["single", "multiple", "true-false", "matching", "ordering", "fill-in"]
    lines = ["---", "id: quiz", "title: Quiz", "type: quiz", "questions:"]
    for n in range(questions):
        kind = "fill-in" if fill_in else kinds[n % len(kinds)]
        lines += [f"  - id: {qid.format(n)}", f"    type: {kind}", "    prompt: Question"]
        if kind in ("single", "multiple"):
            lines += ["    choices:", "      - text: A", "        correct: true", "      - text: B", "      - text: C", "      - text: D"]
        elif kind == "true-false":
            lines += ["    answer: true"]
        elif kind == "matching":
            lines += ["    pairs:"] + [f"      - {{source: S{k}, target: T{k}}}" for k in range(4)]
        elif kind == "ordering":
            lines += ["    items: [Un, Deux, Trois, Quatre]"]
        else:
            lines += ["    accept: [réponse]"]
    lines += ["---", "Répondez."]
    (folder / f"{pages:02d}-quiz.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_sixty_pages_forty_questions_fit_in_suspend_data(course: Path, tmp_path: Path) -> None:
    from efop_author.load import load_course
    from efop_author.render.suspend import suspend_worst_case

    _big_module(course, pages=60, questions=40)
    c, diags = load_course(course)
    assert c is not None and not diags.errors
    big = c.module("gros-module")
    assert len(big.pages) == 60 and sum(len(p.quiz.questions) for p in big.pages if p.quiz) == 40
    assert suspend_worst_case(big) <= 4096
    _build(course, tmp_path / "o")


def test_module_that_cannot_fit_fails_the_build(course: Path, tmp_path: Path) -> None:
    _big_module(course, pages=10, questions=60, qid="question-a-completer-numero-{:02d}", fill_in=True)
    out = tmp_path / "o"
    result = build_course(course, targets=("scorm12",), out=out)
    errors = [d for d in result.diagnostics if d.code == "runtime.suspend-overflow"]
    assert len(errors) == 1 and "gros-module" in errors[0].message
    assert errors[0].loc is not None and errors[0].loc.path == "modules/02-gros/module.yml"
    assert result.written == [] and not out.exists()
    # SCORM 2004 allows 64,000 characters: the same module builds there.
    assert build_course(course, targets=("scorm2004",), out=tmp_path / "o2004").ok


def _build_in_fresh_process(course: Path, out: Path, jobs: int, targets: tuple[str, ...]) -> dict:
    """Build in a new interpreter (this one may run threads, and then never forks):
    diagnostics, files written and worker processes started."""
    code = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        from efop_author import parallel
        from efop_author.build import build_course
        r = build_course(Path({str(course)!r}), targets={targets!r}, out=Path({str(out)!r}), jobs={jobs})
        print(json.dumps({{"ok": r.ok, "diags": [d.format() for d in r.diagnostics.sorted()],
                           "written": sorted(str(p) for p in r.written), "forks": parallel.forks}}))
    """)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    env.pop("EFOP_AUTHOR_JOBS", None)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _real_course_with(tmp_path: Path, page_glob: str, addition: str) -> Path:
    """A copy of the real course, ``addition`` appended to the page ``page_glob``."""
    course = tmp_path / "course"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", course)
    page = next((course / "modules").glob(page_glob))
    page.write_text(page.read_text(encoding="utf-8") + addition, encoding="utf-8")
    return course


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    """Per-module work on several processes gives the same bytes and the same diagnostics."""
    course = _real_course_with(tmp_path, "03-*/02-*.md", "\n# Un titre de niveau 1 : à corriger\n")
    runs = {}
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}"
        result = _build_in_fresh_process(course, out, jobs, ("scorm12", "xapi", "cmi5"))
        assert result["ok"], result["diags"]
        assert (result["forks"] > 0) == (jobs > 1)
        runs[jobs] = (result["diags"], {Path(p).name: Path(p).read_bytes() for p in result["written"]})
    assert len(runs[1][1]) == 18
    assert runs[1][0] and runs[1][0] == runs[2][0]  # the warnings, once each
    assert runs[1][1] == runs[2][1]


def test_lint_error_found_alongside_the_workers_writes_nothing(tmp_path: Path) -> None:
    """With several processes the lints run while the workers package: an error they find
    still fails the build with the serial build's diagnostics, and nothing is written."""
    course = _real_course_with(tmp_path, "04-*/02-*.md", "\nVoir [](https://example.org/vide).\n")
    runs = {}
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}"
        out.mkdir()
        (out / "ancien.zip").write_bytes(b"previous build")
        result = _build_in_fresh_process(course, out, jobs, ("scorm12",))
        assert not result["ok"] and result["written"] == []
        assert (result["forks"] > 0) == (jobs > 1)
        assert sorted(p.name for p in out.iterdir()) == ["ancien.zip"]  # previous output intact
        runs[jobs] = result["diags"]
    assert any("[a11y.empty-link]" in d for d in runs[1])
    assert runs[1] == runs[2]
