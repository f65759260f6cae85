"""The browser harness works: real Chromium, scorm-again as the LMS, axe-core.

The SCO used here (tests/browser/packages/tiny-sco) is a hand-written test page that
talks to the real scorm-again API of the parent page, as any SCO does.
"""

import shutil
import zipfile
from pathlib import Path

PACKAGES = Path(__file__).resolve().parent / "packages"
TINY = PACKAGES / "tiny-sco"


def test_launch_gives_lms_data(scorm12_lms):
    lms = scorm12_lms(TINY)
    status = lms.frame.locator("#status").text_content()
    assert status == "ab-initio|Apprenant, Test|hello=1|80|"
    assert [c["name"] for c in lms.calls()][:2] == ["LMSInitialize", "LMSGetValue"]
    assert lms.calls_named("LMSInitialize")[0]["ret"] == "true"
    assert lms.errors() == []
    assert lms.value("cmi.core.lesson_status") == "incomplete"
    assert lms.page_errors() == []


def test_commit_unload_and_resume(scorm12_lms):
    lms = scorm12_lms(TINY)
    frame = lms.frame
    frame.click("#next")
    frame.click("#next")
    frame.click("#commit")
    assert frame.locator("#status").text_content() == "commit=true|error=0"
    assert lms.commits()[-1]["cmi"]["core"]["lesson_location"] == "3"
    frame.click("#complete")
    assert lms.calls_named("LMSFinish") == []

    lms.unload_sco()
    finishes = lms.calls_named("LMSFinish")
    assert len(finishes) == 1 and finishes[0]["ret"] == "true"
    assert lms.errors() == []
    assert lms.value("cmi.core.lesson_status") == "passed"
    assert lms.value("cmi.core.exit") == "suspend"
    assert lms.set_values()["cmi.core.score.raw"] == "90"
    # the termination commit reached the LMS server (beacon)
    final = lms.wait_for_commit(lambda c: c["cmi"]["core"]["exit"] == "suspend")
    assert final["cmi"]["core"]["lesson_status"] == "passed"

    session_time = lms.set_values()["cmi.core.session_time"]
    saved = lms.saved_cmi()
    assert saved["cmi"]["core"]["total_time"] == session_time  # first session: total = session
    again = scorm12_lms(TINY, cmi=saved)
    status = again.frame.locator("#status").text_content()
    assert status == "resume|Apprenant, Test|hello=1|80|pages=3"
    assert again.frame.locator("#location").text_content() == "3"
    assert again.value("cmi.core.lesson_status") == "passed"
    assert again.page.evaluate("window.API.cmi.core.total_time") == session_time
    assert again.errors() == []


def test_fail_commit_once(scorm12_lms):
    lms = scorm12_lms(TINY, fail_commit_once=True)
    lms.frame.click("#commit")
    assert lms.frame.locator("#status").text_content() == "commit=false|error=101"
    lms.frame.click("#commit")
    assert lms.frame.locator("#status").text_content() == "commit=true|error=0"
    commits = lms.calls_named("LMSCommit")
    assert [(c["ret"], c["error"]) for c in commits] == [("false", "101"), ("true", "0")]
    assert lms.failed_commits == 1
    assert [c["name"] for c in lms.errors()] == ["LMSCommit"]


def test_invalid_value_is_an_error(scorm12_lms):
    lms = scorm12_lms(TINY)
    lms.frame.click("#bad")
    errors = lms.errors()
    assert len(errors) == 1
    assert errors[0]["name"] == "LMSSetValue" and errors[0]["ret"] == "false"
    assert errors[0]["error"] == "405"  # incorrect data type


def test_zip_package_and_axe(scorm12_lms, axe_check, axe_report, tmp_path):
    zpath = tmp_path / "tiny.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in sorted(TINY.iterdir()):
            zf.write(f, f.name)
    lms = scorm12_lms(zpath)
    # axe runs inside the SCO frame despite its Content-Security-Policy
    violations = axe_check(lms.frame)
    assert violations == [], axe_report(violations)


def test_axe_finds_violations(scorm12_lms, axe_check, tmp_path):
    pkg = tmp_path / "broken"
    shutil.copytree(PACKAGES / "broken-a11y", pkg)
    lms = scorm12_lms(pkg)
    ids = {v["id"] for v in axe_check(lms.frame)}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= ids
    assert "image-alt" not in {v["id"] for v in axe_check(lms.frame, disable=["image-alt"])}
