"""Built xAPI packages carry no credential, no endpoint and no external request (the
validator says so), and the validator flags a package with a hard-coded ``Basic`` token.
Also: xapi.js and messages/xapi.py hold the same learner texts."""

from __future__ import annotations

import io
import json
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
    if not (root / "course.yml").exists():
        pytest.skip(f"{root} has no course.yml yet")
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


def _js_catalogue() -> dict[str, dict[str, str]]:
    text = XAPI_JS.read_text("utf-8")
    block = text[text.index("var UI = {"): text.index("};", text.index("var UI = {"))]
    out: dict[str, dict[str, str]] = {}
    lang = None
    for line in block.splitlines():
        m = re.match(r"\s*(fr|en): \{", line)
        if m:
            lang = m.group(1)
            out[lang] = {}
            continue
        m = re.match(r"""\s*'([a-z-]+)': (".*"|'.*'),?$""", line)
        if m and lang:
            raw = m.group(2)
            out[lang][m.group(1)] = json.loads(raw) if raw.startswith('"') else raw[1:-1]
    return out


def test_adapter_texts_match_the_catalogue():
    from efop_author.messages.xapi import UI

    assert _js_catalogue() == UI
