"""Package rules: vendor-like layouts are accepted; each rule of standards §7 fires where it should."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from validate_support.hostile import make_zip, scorm_files  # noqa: E402
from validate_support.manifests import CMI5_SIMPLE, SCORM12_SINGLE, SCORM2004_SINGLE  # noqa: E402
from validate_support.vendor import HTML, TINCAN_LIKE, VENDOR_PACKAGES  # noqa: E402

from efop_author.diagnostics import Diagnostic, Severity  # noqa: E402
from efop_author.validate import (  # noqa: E402
    ValidationError, detect, is_valid, iter_errors, validate, validate_paths,
)


def diags(data: bytes | Path, **kw: object) -> list[Diagnostic]:
    return list(iter_errors(data, **kw))  # type: ignore[arg-type]


def errors(data: bytes | Path, **kw: object) -> set[str]:
    return {d.code for d in diags(data, **kw) if d.severity is Severity.ERROR}


def warnings(data: bytes | Path, **kw: object) -> set[str]:
    return {d.code for d in diags(data, **kw) if d.severity is Severity.WARNING}


def scorm12(manifest: str = SCORM12_SINGLE, **extra: bytes) -> bytes:
    files = scorm_files()
    files["imsmanifest.xml"] = manifest.encode()
    files.update({k.replace("__", "/"): v for k, v in extra.items()})
    return make_zip(files)


@pytest.mark.parametrize("name", sorted(VENDOR_PACKAGES))
def test_vendor_layouts_are_accepted(name: str, shared_dir: Path) -> None:
    data = VENDOR_PACKAGES[name]()
    found = [d.format() for d in diags(data, lms="moodle", schemas=shared_dir / "schemas")
             if d.severity is Severity.ERROR]
    assert found == []


def test_detect() -> None:
    assert detect(VENDOR_PACKAGES["multi-sco-scorm12"]()) == "scorm12"
    assert detect(VENDOR_PACKAGES["sequencing-scorm2004"]()) == "scorm2004"
    assert detect(VENDOR_PACKAGES["tincan-like"]()) == "xapi"
    assert detect(VENDOR_PACKAGES["cmi5-blocks"]()) == "cmi5"
    assert detect(b"not a zip") is None


def test_validate_raises_on_first_error_and_locates_it() -> None:
    bad = scorm12(SCORM12_SINGLE.replace('href="app.js"', 'href="missing.js"'))
    with pytest.raises(ValidationError) as info:
        validate(bad)
    d = info.value.diagnostic
    assert d.code == "scorm12.missing-file"
    assert d.loc is not None and d.loc.path == "<bytes>!imsmanifest.xml" and d.loc.line == 14
    assert not is_valid(bad)


def test_unpacked_folder_and_folder_of_zips(tmp_path: Path) -> None:
    pkg = tmp_path / "unpacked"
    for name, data in scorm_files().items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_bytes(data)
    assert is_valid(pkg)
    zips = tmp_path / "zips"
    zips.mkdir()
    (zips / "a.zip").write_bytes(scorm12())
    (zips / "b.zip").write_bytes(b"garbage")
    reports = validate_paths([pkg, zips])
    assert [(Path(r.path).name, r.format, r.ok()) for r in reports] == [
        ("unpacked", "scorm12", True), ("a.zip", "scorm12", True), ("b.zip", None, False)]


def test_manifest_in_subfolder_is_explained() -> None:
    files = {f"course/{k}": v for k, v in scorm_files().items()}
    found = diags(make_zip(files), lms="moodle")
    codes = {d.code for d in found}
    assert {"zip.manifest-nested", "moodle.manifest-location"} <= codes
    nested = next(d for d in found if d.code == "zip.manifest-nested")
    assert "course/" in nested.message


def test_zip_names() -> None:
    files = scorm_files()
    files.update({"page.HTML": b"x", "__MACOSX/._index.html": b"x", "a b.html": b"x"})
    data = make_zip(files)
    assert "zip.case-duplicate" not in errors(data)
    files["PAGE.html"] = b"x"
    assert "zip.case-duplicate" in errors(make_zip(files))
    assert {"zip.os-cruft", "portability.file-name"} <= warnings(data)


def test_identifiers_and_references() -> None:
    dup = SCORM12_SINGLE.replace('identifier="ITEM_001"', 'identifier="RES_001"')
    assert "scorm12.duplicate-id" in errors(scorm12(dup))
    bad = SCORM12_SINGLE.replace('identifier="ITEM_001"', 'identifier="1st"')
    assert "scorm12.bad-value" in errors(scorm12(bad))
    dangling = SCORM12_SINGLE.replace('identifierref="RES_001"', 'identifierref="NOPE"')
    assert {"scorm12.bad-identifierref", "scorm12.no-launchable-item"} <= errors(scorm12(dangling))
    default = SCORM12_SINGLE.replace('default="ORG_001"', 'default="ITEM_001"')
    assert "scorm12.default-organization" in errors(scorm12(default))


def test_order_and_missing_elements_have_clear_messages() -> None:
    swapped = SCORM12_SINGLE.replace(
        "<schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>",
        "<schemaversion>1.2</schemaversion><schema>ADL SCORM</schema>")
    found = [d for d in diags(scorm12(swapped)) if d.code == "scorm12.element-order"]
    assert found and "<schema>" in found[0].message and found[0].loc and found[0].loc.line == 5
    no_res = SCORM12_SINGLE.split("<resources>")[0] + "</manifest>"
    assert "scorm12.missing-element" in errors(scorm12(no_res))


def test_masteryscore_and_timespan() -> None:
    assert "scorm12.masteryscore" in errors(scorm12(SCORM12_SINGLE.replace(">80<", ">120<")))
    assert "scorm12.masteryscore" in errors(scorm12(SCORM12_SINGLE.replace(">80<", ">8O<")))


def test_launch_file_and_xml_base() -> None:
    based = SCORM12_SINGLE.replace('adlcp:scormtype="sco" href="index.html"',
                                   'adlcp:scormtype="sco" xml:base="sco/" href="index.html"')
    assert "scorm12.missing-launch-file" in errors(scorm12(based))
    ok = make_zip({"imsmanifest.xml": based.encode(), "sco/index.html": HTML, "sco/app.js": b"//"})
    assert errors(ok) == set()
    on_resources = based.replace('xml:base="sco/" ', "").replace("<resources>", '<resources xml:base="sco/">')
    ok2 = make_zip({"imsmanifest.xml": on_resources.encode(), "sco/index.html": HTML, "sco/app.js": b"//"})
    assert errors(ok2) == set()
    assert "moodle.xml-base" in errors(ok2, lms="moodle")
    escaping = SCORM12_SINGLE.replace('href="app.js"', 'href="../../etc/passwd"')
    assert "scorm12.unsafe-href" in errors(scorm12(escaping))
    case = SCORM12_SINGLE.replace('href="app.js"', 'href="App.js"')
    missing = next(d for d in diags(scorm12(case)) if d.code == "scorm12.missing-file")
    assert "app.js" in missing.message


def test_undeclared_files_and_missing_scormtype() -> None:
    assert "scorm12.undeclared-file" in warnings(scorm12(extra__x=b"x"))
    no_type = SCORM12_SINGLE.replace(' adlcp:scormtype="sco"', "")
    assert "scorm12.missing-scormtype" in errors(scorm12(no_type))


def test_moodle_prefix() -> None:
    other = SCORM12_SINGLE.replace("xmlns:adlcp=", "xmlns:adl=").replace("adlcp:", "adl:")
    assert "portability.namespace-prefix" in warnings(scorm12(other))
    assert "moodle.namespace-prefix" in errors(scorm12(other), lms="moodle")
    assert "moodle.namespace-prefix" not in errors(scorm12(), lms="moodle")


def test_scorm2004_rules() -> None:
    files = {"imsmanifest.xml": SCORM2004_SINGLE.encode(), "index.html": HTML, "app.js": b"//"}
    assert errors(make_zip(files)) == set()
    v12 = SCORM2004_SINGLE.replace("<title>Leçon</title>", "<title>Leçon</title><adlcp:masteryscore>80</adlcp:masteryscore>")
    assert "scorm2004.scorm12-construct" in errors(make_zip({**files, "imsmanifest.xml": v12.encode()}))
    typo = SCORM2004_SINGLE.replace("2004 4th Edition", "2004 4th edition")
    assert "scorm2004.schemaversion" in errors(make_zip({**files, "imsmanifest.xml": typo.encode()}))
    two = SCORM2004_SINGLE.replace('</item>', '</item><item identifier="ITEM2" identifierref="RES"><title>2</title></item>')
    assert "scorm2004.no-flow" in warnings(make_zip({**files, "imsmanifest.xml": two.encode()}))


def test_tincan_rules() -> None:
    ok = make_zip({"tincan.xml": TINCAN_LIKE.encode(), "story.html": HTML})
    assert errors(ok) == set()
    no_scheme = TINCAN_LIKE.replace("https://vendor.example/courses/fire-safety\"", "vendor.example/fire\"")
    assert "tincan.activity-id" in errors(make_zip({"tincan.xml": no_scheme.encode(), "story.html": HTML}))
    assert "tincan.missing-launch-file" in errors(make_zip({"tincan.xml": TINCAN_LIKE.encode()}))
    first, second = TINCAN_LIKE.split("<activity id=\"https://vendor.example/courses/fire-safety/q1\"")
    head, act1 = first.rsplit("<activity ", 1)
    act2, tail = second.split("</activity>", 1)
    swapped = head + "<activity id=\"https://vendor.example/courses/fire-safety/q1\"" + act2 + "</activity>\n    <activity " + act1.rsplit("</activity>", 1)[0] + "</activity>" + tail
    found = errors(make_zip({"tincan.xml": swapped.encode(), "story.html": HTML}), lms="moodle")
    assert {"tincan.launch-not-first", "moodle.tincan-first-activity"} <= found


def test_cmi5_rules(tmp_path: Path) -> None:
    assert errors(make_zip({"cmi5.xml": CMI5_SIMPLE.encode(), "au1/index.html": HTML})) == set()
    assert "cmi5.missing-launch-file" in errors(make_zip({"cmi5.xml": CMI5_SIMPLE.encode()}))
    bare = tmp_path / "cmi5.xml"
    bare.write_text(CMI5_SIMPLE)
    assert "cmi5.relative-url-without-zip" in errors(bare)
    bad = CMI5_SIMPLE.replace('moveOn="CompletedAndPassed"', 'moveOn="passed"')
    assert "cmi5.bad-value" in errors(make_zip({"cmi5.xml": bad.encode(), "au1/index.html": HTML}))
    decimals = CMI5_SIMPLE.replace('masteryScore="0.8"', 'masteryScore="0.81234"')
    assert "cmi5.mastery-decimals" in errors(make_zip({"cmi5.xml": decimals.encode(), "au1/index.html": HTML}))
    reserved = CMI5_SIMPLE.replace("au1/index.html", "au1/index.html?endpoint=x")
    assert "cmi5.reserved-parameter" in warnings(make_zip({"cmi5.xml": reserved.encode(), "au1/index.html": HTML}))


@pytest.mark.parametrize("code,text", [
    ("security.lrs-credentials", b'var auth = "Basic ' + __import__("base64").b64encode(b"key:secret") + b'";'),
    ("security.lrs-credentials", b'conf = {endpoint: "https://lrs.example/xapi/", password: "hunter22"};'),
    ("security.lrs-credentials", b'fetch("https://user:pass@lrs.example/xapi/statements")'),
])
def test_credentials_are_errors(code: str, text: bytes) -> None:
    assert code in errors(make_zip({**scorm_files(), "app.js": text}))


def test_clean_contents_are_scanned_once_but_every_finding_is_reported() -> None:
    """Contents scanned clean are remembered (run-time files shared by every package of a
    course); a member with the same name and size but other bytes is still scanned."""
    leaky = b'var conf = {endpoint: "https://lrs.example/xapi/", password: "hunter22"};'
    clean = leaky.replace(b'password: "hunter22"', b'name: "efop-author1"')
    assert len(clean) == len(leaky)
    for _ in range(2):
        assert not any(c.startswith("security.") for c in errors(make_zip({**scorm_files(), "app.js": clean})))
    for _ in range(2):  # findings are reported every time, never remembered as clean
        assert "security.lrs-credentials" in errors(make_zip({**scorm_files(), "app.js": leaky}))
    remote = b'<script src="https://cdn.example.org/x.js"></script>'
    for _ in range(2):
        assert "portability.remote-resource" in warnings(make_zip({**scorm_files(), "index.html": remote}))


def test_remote_resources_are_warnings() -> None:
    page = (b'<html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
            b'<script src="https://cdn.jsdelivr.net/npm/x.js"></script>'
            b'<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
            b'<link rel="canonical" href="https://example.org/"></head>'
            b'<body><a href="https://example.org">lien</a></body></html>')
    found = warnings(make_zip({**scorm_files(), "index.html": page}))
    assert {"portability.remote-font", "portability.remote-resource", "security.tracker"} <= found
    plain = make_zip({**scorm_files(), "index.html": b'<a href="https://example.org">x</a>'})
    assert not any(c.startswith(("portability.remote", "security.")) for c in warnings(plain))


def test_english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EFOP_AUTHOR_LANG", "en")
    found = diags(make_zip({f"x/{k}": v for k, v in scorm_files().items()}))
    assert any("instead of the zip root" in d.message for d in found)
