"""``efop-author validate``: exit codes, the JSON schema, JUnit structure, GitHub annotations,
course folders, and packages written by ``build`` (clean, zero warnings)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
from validate_support.hostile import make_zip, scorm_files  # noqa: E402
from validate_support.manifests import SCORM12_SINGLE  # noqa: E402

from efop_author.validate import validate_paths  # noqa: E402
from efop_author.validate.command import validate_command  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def files() -> dict[str, bytes]:
    """A clean SCORM 1.2 package: the XSDs its schemaLocation names are at the root."""
    return {**scorm_files(), "imscp_rootv1p1p2.xsd": b"<x/>", "adlcp_rootv1p2.xsd": b"<x/>"}


@pytest.fixture()
def pkgs(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.zip"
    good.write_bytes(make_zip(files()))
    warn = tmp_path / "warn.zip"
    warn.write_bytes(make_zip({**files(), "extra.txt": b"x"}))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(make_zip({**files(), "imsmanifest.xml": SCORM12_SINGLE.replace(
        'href="app.js"', 'href="nope.js"').encode()}))
    return {"good": good, "warn": warn, "bad": bad}


def invoke(*args: str) -> object:
    return CliRunner().invoke(validate_command, list(args), catch_exceptions=False)


def test_exit_codes(pkgs: dict[str, Path], tmp_path: Path) -> None:
    assert invoke(str(pkgs["good"])).exit_code == 0
    assert invoke(str(pkgs["warn"])).exit_code == 0
    assert invoke(str(pkgs["warn"]), "--strict").exit_code == 1
    assert invoke(str(pkgs["bad"])).exit_code == 1
    assert invoke(str(pkgs["good"]), str(pkgs["bad"])).exit_code == 1
    assert invoke().exit_code == 2  # no path
    assert invoke(str(tmp_path / "absent.zip")).exit_code == 2
    assert invoke(str(pkgs["good"]), "--format", "xml").exit_code == 2
    assert invoke(str(pkgs["good"]), "--lms", "canvas").exit_code == 2
    assert invoke(str(pkgs["good"]), "--schemas", str(tmp_path)).exit_code == 2  # no XSD inside


def test_text_output(pkgs: dict[str, Path]) -> None:
    result = invoke(str(pkgs["bad"]), str(pkgs["good"]))
    assert "bad.zip!imsmanifest.xml:14: error:" in result.stderr
    assert "[scorm12.missing-file]" in result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3 and "2 paquet(s)" in lines[-1]


def test_json_output_matches_schema(pkgs: dict[str, Path], shared_dir: Path) -> None:
    schema = json.loads((REPO / "docs" / "validate-report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    result = invoke(*(str(p) for p in pkgs.values()), "--format", "json", "--lms", "moodle",
                    "--schemas", str(shared_dir / "schemas"))
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, schema)
    assert [(Path(p["path"]).name, p["valid"]) for p in doc["packages"]] == [
        ("good.zip", True), ("warn.zip", True), ("bad.zip", False)]
    assert doc["summary"] == {"packages": 3, "valid": 2, "invalid": 1, "errors": 1, "warnings": 2}
    assert result.exit_code == 1


def test_junit_output(pkgs: dict[str, Path]) -> None:
    result = invoke(*(str(p) for p in pkgs.values()), "--format", "junit", "--strict")
    root = etree.fromstring(result.stdout.encode())
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    cases = suite.findall("testcase")
    assert [c.get("name").rsplit("/", 1)[-1] for c in cases] == ["good.zip", "warn.zip", "bad.zip"]
    assert cases[0].find("failure") is None
    failure = cases[2].find("failure")
    assert failure is not None and failure.get("type") == "scorm12.missing-file"
    assert "imsmanifest.xml:14" in (failure.text or "")


def test_github_output(pkgs: dict[str, Path]) -> None:
    result = invoke(str(pkgs["bad"]), "--format", "github")
    line = next(x for x in result.stdout.splitlines() if x.startswith("::error"))
    assert "title=scorm12.missing-file" in line and "imsmanifest.xml:14" in line


def test_course_folder_runs_the_loader(repo_root: Path, tmp_path: Path) -> None:
    course = tmp_path / "minimal"
    shutil.copytree(repo_root / "tests" / "roots" / "minimal", course)
    (report,) = validate_paths([course])
    assert report.format == "course"
    assert not [d for d in report.diagnostics if d.code.startswith("validate.")]
    (course / "course.yml").write_text("id: [unclosed\n")
    (broken,) = validate_paths([course])
    assert broken.errors


@pytest.mark.parametrize("target", ["scorm12", "scorm2004", "xapi", "cmi5"])
def test_built_packages_validate_clean(target: str, repo_root: Path, tmp_path: Path) -> None:
    from efop_author.build import build_course

    course = tmp_path / "course"
    shutil.copytree(repo_root / "tests" / "roots" / "minimal", course)
    result = build_course(course, targets=[target], out=tmp_path / "out", validate=False)
    zips = [p for p in result.written if p.suffix == ".zip"]
    assert zips, [d.format() for d in result.diagnostics]
    for report in validate_paths(zips, lms="moodle", schemas=repo_root.parent / "shared" / "schemas"):
        assert [d.format() for d in report.diagnostics] == []
