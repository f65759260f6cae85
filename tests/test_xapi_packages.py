"""Built xAPI packages carry no credential, no endpoint and no external request (the
validator says so), and the validator flags a package with a hard-coded ``Basic`` token.
Also: the adapters' notices all come from the run-time catalogue (no copy in the adapters)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from efop_author.build import build_course

REPO = Path(__file__).resolve().parent.parent
XAPI_JS = REPO / "themes" / "default" / "static" / "js" / "lms" / "xapi.js"

validate = pytest.importorskip("efop_author.validate")


def _packages(root: Path, out: Path, bundle: bool) -> list[Path]:
    result = build_course(root, targets=["xapi"], out=out, bundle=bundle, validate=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.written


COURSES = [REPO / "tests" / "roots" / "minimal", REPO / "tests" / "roots" / "need-escaped", REPO / "content"]


@pytest.mark.parametrize("bundle", [False, True], ids=["modules", "bundle"])
@pytest.mark.parametrize("root", COURSES, ids=lambda p: p.name)
def test_no_credential_no_external_request(root, bundle, tmp_path):
    assert (root / "course.yml").exists()
    for pkg in _packages(root, tmp_path, bundle):
        data = pkg.read_bytes()
        diags = list(validate.iter_errors(data))
        bad = [d.format() for d in diags if d.code.startswith(("security.", "portability.remote"))]
        assert bad == [], pkg.name
        errors = [d.format() for d in diags if d.severity.name == "ERROR"]
        assert errors == [], pkg.name
        with zipfile.ZipFile(pkg) as zf:
            names = zf.namelist()
            assert "tincan.xml" in names
            assert "efop/lms.js" in names
            for name in names:
                text = zf.read(name).decode("utf-8", "replace")
                assert "127.0.0.1" not in text and "localhost" not in text, name
                assert not re.search(r"Basic\s+[A-Za-z0-9+/]{8,}", text), name


def test_hard_coded_basic_token_is_flagged(tmp_path):
    (pkg,) = _packages(REPO / "tests" / "roots" / "minimal", tmp_path, False)
    src = zipfile.ZipFile(pkg)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "efop/lms.js":
                data += (b'\nvar lrs = {endpoint: "https://lrs.example.org/xAPI/",'
                         b' auth: "Basic ZWZvcC1rZXk6dHJlcy1zZWNyZXQ="};\n')
            out.writestr(info, data)
    src.close()
    codes = [d.code for d in validate.iter_errors(buf.getvalue())]
    assert "security.lrs-credentials" in codes


LMS_JS = XAPI_JS.parent
RUNTIME_JS = LMS_JS.parent / "runtime.js"


def _notice_keys(name: str) -> set[str]:
    return set(re.findall(r"""\bnotice\(\s*'([a-z0-9-]+)'""", (LMS_JS / name).read_text("utf-8")))


def _lms_notices() -> set[str]:
    text = RUNTIME_JS.read_text("utf-8")
    block = text[text.index("var LMS_NOTICES = {"): text.index("};", text.index("var LMS_NOTICES = {"))]
    return set(re.findall(r"'([a-z0-9-]+)':", block))


@pytest.mark.parametrize("adapter", ["xapi.js", "cmi5.js", "scorm12.js", "scorm2004.js", "web.js"])
def test_adapter_notices_come_from_the_runtime_catalogue(adapter):
    """Adapters show only texts of messages/runtime.py (``strings`` of efop-data), in both
    languages; a key sent to the run-time as an ``efop:notice`` event must be in its
    LMS_NOTICES map (which says whether it is an error)."""
    from efop_author.messages.runtime import UI

    text = (LMS_JS / adapter).read_text("utf-8")
    keys = _notice_keys(adapter)
    assert keys <= set(UI["fr"]) and keys <= set(UI["en"]), keys - set(UI["fr"])
    if "efop:notice" in text:
        assert keys <= _lms_notices(), keys - _lms_notices()
    # no learner text of its own (they used to be duplicated in xapi.js)
    assert "var UI" not in text and "Votre" not in text and "plateforme" not in text
