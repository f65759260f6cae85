"""SCORM 2004 4th Edition adapter in a real LMS run-time (scorm-again's Scorm2004API, SCO in an
iframe): a module built by the real scorm2004 target reports completion, success, score and
interactions in the 2004 formats, with zero API errors."""

from __future__ import annotations

import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from efop_author.build import build_course

ROOTS = Path(__file__).resolve().parents[1] / "roots"
ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)$")
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


@pytest.fixture
def scorm2004_package(tmp_path: Path) -> Path:
    result = build_course(ROOTS / "minimal", targets=("scorm2004",), out=tmp_path / "out")
    assert result.ok, [d.format() for d in result.diagnostics]
    (zpath,) = result.written
    dest = tmp_path / "pkg"
    with zipfile.ZipFile(zpath) as zf:
        zf.extractall(dest)
    return dest


def launch(new_page, http_server, package: Path, cmi: dict | None = None):  # noqa: ANN001, ANN201
    root = etree.parse(str(package / "imsmanifest.xml")).getroot()
    href = next(r.get("href") for r in root.iter(f"{CP}resource") if r.get("href"))
    base = http_server.serve(package)
    config = {
        "scoUrl": urllib.parse.urljoin(base, href),
        "initial": {"cmi.learner_id": "efop-learner-1", "cmi.learner_name": "Apprenant, Test",
                    "cmi.entry": "resume" if cmi else "ab-initio"},
        "cmi": cmi,
    }
    if cmi:  # what the LMS keeps between sessions: the saved data, with entry=resume
        cmi = json.loads(json.dumps(cmi))
        cmi["cmi"]["entry"] = "resume"
        for key in ("session_time", "exit"):
            cmi["cmi"].pop(key, None)
        config["cmi"] = cmi
    page = new_page()
    page.add_init_script("if (window === window.top) { window.__lmsConfig = %s; }" % json.dumps(config))
    page.goto(http_server.url("harness/scorm2004.html"))
    page.wait_for_function("window.__scoLoaded === true", timeout=15000)
    frame = page.frame(name="sco")
    assert frame is not None
    frame.wait_for_selector("[data-efop-pager]:not([hidden])")
    return page, frame


def calls(page) -> list[dict]:  # noqa: ANN001
    return page.evaluate("window.__calls")


def sets(page) -> dict[str, str]:  # noqa: ANN001
    return {c["args"][0]: c["args"][1] for c in calls(page) if c["name"] == "SetValue" and c["ret"] == "true"}


def test_walk_answer_and_terminate(new_page, http_server, scorm2004_package: Path) -> None:
    page, frame = launch(new_page, http_server, scorm2004_package)
    nxt = frame.locator('[data-efop-action="next"]')
    while frame.evaluate("() => document.querySelector('section.efop-page:not([hidden])').dataset.pageId") != "quiz":
        nxt.click()
    frame.check("#page-quiz #q-quiz-q-single-b")  # right
    frame.check("#page-quiz #q-quiz-q-tf-a")  # wrong (answer: false)
    frame.click("#page-quiz [data-efop-submit]")
    frame.wait_for_selector("#page-quiz [data-efop-result]:not(:empty)", timeout=5000)
    while nxt.is_enabled():
        nxt.click()
    frame.locator('[data-efop-action="exit"]').click()
    page.wait_for_timeout(300)

    log = calls(page)
    assert [c["name"] for c in log].count("Initialize") == 1
    assert [c["name"] for c in log].count("Terminate") == 1
    errors = [c for c in log if c["error"] not in ("0", "") and c["name"] not in ("GetLastError", "GetErrorString", "GetDiagnostic")]
    assert errors == [], errors
    values = sets(page)
    assert values["cmi.completion_status"] == "completed"
    assert values["cmi.success_status"] == "failed"  # 1 of 6 right, pass score 80
    raw = float(values["cmi.score.raw"])
    assert float(values["cmi.score.scaled"]) == pytest.approx(raw / 100)
    assert raw < 80
    assert ISO_DURATION.match(values["cmi.session_time"]), values["cmi.session_time"]
    assert values["cmi.location"] == "essentiel"
    assert values["cmi.exit"] == "suspend"  # failed: the learner may come back and retry
    by_index: dict[str, dict[str, str]] = {}
    for key, value in values.items():
        m = re.match(r"cmi\.interactions\.(\d+)\.(.+)$", key)
        if m:
            by_index.setdefault(m.group(1), {})[m.group(2)] = value
    inter = {v["id"]: v for v in by_index.values()}
    assert inter["quiz.q-single"]["type"] == "choice"
    assert inter["quiz.q-single"]["learner_response"] == "b"
    assert inter["quiz.q-single"]["result"] == "correct"
    assert inter["quiz.q-tf"]["learner_response"] == "true"
    assert inter["quiz.q-tf"]["correct_responses.0.pattern"] == "false"
    assert inter["quiz.q-tf"]["result"] == "incorrect"
    assert inter["quiz.q-match"]["correct_responses.0.pattern"] == "1[.]a[,]2[.]b"
    assert inter["quiz.q-order"]["correct_responses.0.pattern"] == "a[,]b[,]c"
    assert all(ISO_DURATION.match(v["latency"]) for v in inter.values())


def test_relaunch_resumes_bookmark(new_page, http_server, scorm2004_package: Path) -> None:
    page, frame = launch(new_page, http_server, scorm2004_package)
    frame.locator('[data-efop-action="next"]').click()
    frame.locator('[data-efop-action="exit"]').click()
    page.wait_for_timeout(200)
    saved = page.evaluate("JSON.parse(JSON.stringify(window.API_1484_11.renderCMIToJSONObject()))")
    assert saved["cmi"]["location"] == "contenu"
    page2, frame2 = launch(new_page, http_server, scorm2004_package, cmi=saved)
    frame2.get_by_role("button", name="Reprendre là où vous vous étiez arrêté").click()
    frame2.wait_for_function(
        "() => document.querySelector('section.efop-page:not([hidden])').dataset.pageId === 'contenu'", timeout=5000
    )
