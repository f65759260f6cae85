"""cmi5 AUs launched by a spec-exact cmi5 LMS test double (tests/lrs/cmi5_lms_double.py) in
front of the real ralph LRS, walked in Chromium.

The built package of ``tests/roots/minimal`` (one module, mastery 80, one quiz of six
questions, three attempts) is launched with the cmi5 parameters; every statement the AU sends
goes through the double to ralph, and must follow the cmi5 rules (standards §6.4): initialized
first, terminated last, allowed statements (experienced, answered) in between without the cmi5
category, completed/passed/failed with the result rules, the moveon category only there, the
session id everywhere, the masteryscore on passed/failed, UTC timestamps, at most one completed
and one passed per registration and never failed after passed; all valid for the strict
validator. The fetch URL is called exactly once, LMS.LaunchData is never written.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from browser import xapi_support as X
from lrs import cmi5_lms_double as D
from lrs import hanging as H

pytestmark = pytest.mark.lrs

ADL = "http://adlnet.gov/expapi/verbs/"
W3 = "https://w3id.org/xapi/cmi5/context/"
CAT_CMI5 = W3 + "categories/cmi5"
CAT_MOVEON = W3 + "categories/moveon"
EXT_SESSION = W3 + "extensions/sessionid"
EXT_MASTERY = W3 + "extensions/masteryscore"
DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}
MODULE = "intro"






# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The unzipped cmi5 package of the minimal course's module (built and validated)."""
    from efop_author.build import build_course  # noqa: PLC0415
    from efop_author.validate import validate_package  # noqa: PLC0415

    out = tmp_path_factory.mktemp("cmi5")
    result = build_course(X.REPO / "tests" / "roots" / "minimal", targets=("cmi5",), out=out / "zips")
    assert result.ok, [str(d) for d in result.diagnostics]
    (zpath,) = [p for p in result.written if p.suffix == ".zip"]
    assert validate_package(zpath, lms="moodle").diagnostics == []
    dest = out / "pkg"
    with zipfile.ZipFile(zpath) as zf:
        assert "cmi5.xml" in zf.namelist()
        zf.extractall(dest)
    return dest


@pytest.fixture(scope="module")
def lms(ralph_lrs):
    double = D.Cmi5LmsDouble(ralph_lrs.endpoint, ralph_lrs.auth_header)
    yield double
    double.close()


@pytest.fixture(scope="module")
def data(package) -> dict:
    return X.module_data(package, MODULE)


class Run:
    """One launch in a fresh browser context (or an existing ``page``)."""

    def __init__(self, page, launch, errors):
        self.page, self.launch, self.errors = page, launch, errors


@pytest.fixture
def launch(package, data, lms, new_page, http_server):
    base = http_server.serve(package)

    def go(actor, *, page=None, **kw) -> Run:
        kw.setdefault("mastery_score", data["module"]["mastery_score"] / 100)
        kw.setdefault("return_url", lms.return_url)
        au = lms.launch(base + f"{MODULE}/index.html", data["module"]["iri"], actor, **kw)
        errors: list[str] = []
        if page is None:
            page = new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(au.url)
        page.wait_for_function(X.ready("cmi5"))
        return Run(page, au, errors)

    return go


def _quit(run: Run, lms) -> None:
    """« Quitter »: terminated, then the AU goes to the LMS's returnURL once all is sent."""
    run.page.locator('[data-efop-action="exit"]').first.click()
    run.page.wait_for_url(lms.return_url, timeout=15000)


def _session(ralph_lrs, au) -> list[dict]:
    """The statements of one launch (the AU's and the LMS's), in timestamp order."""
    stored = ralph_lrs.statements(registration=au.registration)
    return X.sorted_statements([s for s in stored if s["context"]["extensions"].get(EXT_SESSION) == au.session_id])


def _verbs(statements) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def _categories(s) -> list[str]:
    return [a["id"] for a in s["context"].get("contextActivities", {}).get("category", [])]


def check_session(statements: list[dict], au, mastery: float | None) -> list[dict]:
    """Assert the cmi5 rules on one session; returns the AU's statements (without launched)."""
    assert _verbs(statements)[0] == "launched"
    mine = statements[1:]
    verbs = _verbs(mine)
    assert verbs[0] == "initialized" and verbs[-1] == "terminated", verbs
    defined = [v for v in verbs if v in DEFINED]
    assert len(defined) == len(set(defined)), f"defined verb repeated in a session: {verbs}"
    assert not {"passed", "failed"} <= set(verbs)
    assert set(verbs) <= DEFINED | {"experienced", "answered"}
    for s, verb in zip(mine, verbs, strict=True):
        assert s["actor"] == au.actor
        assert s["timestamp"].endswith(("Z", "+00:00")), s["timestamp"]
        ctx = s["context"]
        assert ctx["registration"] == au.registration
        assert ctx["extensions"][EXT_SESSION] == au.session_id
        assert au.au_id in [a["id"] for a in ctx["contextActivities"]["grouping"]]
        cats = _categories(s)
        result = s.get("result", {})
        if verb not in DEFINED:  # cmi5 allowed
            assert CAT_CMI5 not in cats and CAT_MOVEON not in cats, s
            assert s["object"]["id"].startswith(au.au_id + "/")
            continue
        assert s["object"]["id"] == au.activity_id
        assert CAT_CMI5 in cats
        assert (CAT_MOVEON in cats) is (verb in ("completed", "passed", "failed")), (verb, cats)
        assert (EXT_MASTERY in ctx["extensions"]) is (verb in ("passed", "failed"))
        if verb in ("initialized",):
            assert not {"success", "completion", "score"} & set(result)
        if verb in ("completed", "passed", "failed", "terminated"):
            assert X.DURATION_RE.match(result["duration"]), result
        if verb == "completed":
            assert result["completion"] is True and "success" not in result and "score" not in result
        if verb in ("passed", "failed"):
            assert result["success"] is (verb == "passed") and "completion" not in result
            assert ctx["extensions"][EXT_MASTERY] == mastery
            scaled = result["score"]["scaled"]
            assert (scaled >= mastery) if verb == "passed" else (scaled < mastery)
            assert result["score"]["min"] == 0 and result["score"]["max"] == 100
        if verb == "terminated":
            assert not {"success", "completion", "score"} & set(result)
    return mine


def check_registration(ralph_lrs, registration: str) -> list[dict]:
    """Registration rules: at most one completed and one passed, no failed after passed."""
    stored = X.sorted_statements(ralph_lrs.statements(registration=registration))
    verbs = _verbs(stored)
    assert verbs.count("completed") <= 1 and verbs.count("passed") <= 1, verbs
    if "passed" in verbs:
        assert "failed" not in verbs[verbs.index("passed"):], verbs
    return stored


def _common_checks(lms, au, xapi_validate, ralph_lrs, run):
    assert run.errors == []
    assert [c for c in lms.fetch_calls if c[1] == au.fetch_url.rsplit("/", 1)[-1]] == [
        ("POST", au.fetch_url.rsplit("/", 1)[-1])
    ]
    assert lms.violations == []
    latest = [x for x in lms.launches if (x.registration, x.activity_id) == (au.registration, au.activity_id)][-1]
    assert lms.document(au, "LMS.LaunchData") == latest.launch_data  # never written by the AU
    for method, path, headers in lms.requests:
        if path.startswith("/xapi/") and method != "OPTIONS":
            assert headers.get("Authorization") == "Basic " + lms.token, (method, path)
            assert headers.get("X-Experience-API-Version") == "1.0.3"
    stored = ralph_lrs.statements(registration=au.registration)
    assert xapi_validate(stored) == []


def _expected_walk(data, judgement: list[str]) -> list[str]:
    out = ["initialized"]
    for p in data["pages"]:
        if p["kind"] in ("glossary", "accessibility"):
            continue
        out.append("experienced")
        if p["id"] in data["quizzes"]:
            out += ["answered"] * len(data["quizzes"][p["id"]]["questions"]) + judgement
    return [*out, "terminated"]


# ---------------------------------------------------------------------------
# tests


def test_normal_session_passed(launch, lms, data, ralph_lrs, xapi_validate):
    who = X.actor("cmi5-pass")
    run = launch(who)
    info = run.page.evaluate("window.efopLms.info()")
    assert info["launchMode"] == "Normal" and info["masteryScore"] == 0.8
    X.walk(run.page, data, X.correct_answers(data))
    _quit(run, lms)
    au = run.launch
    mine = check_session(_session(ralph_lrs, au), au, 0.8)
    assert _verbs(mine) == _expected_walk(data, ["completed", "passed"])
    passed = next(s for s in mine if _verbs([s]) == ["passed"])
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    answered = [s for s in mine if _verbs([s]) == ["answered"]]
    assert all(s["result"]["success"] is True for s in answered)
    assert answered[0]["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    experienced = [s["object"]["id"] for s in mine if _verbs([s]) == ["experienced"]]
    assert experienced == [f"{au.au_id}/{p}" for p in ("accueil", "contenu", "quiz", "essentiel")]
    check_registration(ralph_lrs, au.registration)
    _common_checks(lms, au, xapi_validate, ralph_lrs, run)
    doc = lms.document(au, "efop-state")
    assert doc["completed"] is True and doc["passed"] is True and doc["state"].startswith("1|")


def test_browse_mode_sends_only_initialized_and_terminated(launch, lms, data, ralph_lrs, xapi_validate):
    run = launch(X.actor("cmi5-browse"), launch_mode="Browse")
    assert run.page.locator('[data-notice="cmi5-browse"]').count() == 1
    X.walk(run.page, data, X.correct_answers(data))
    _quit(run, lms)
    au = run.launch
    mine = check_session(_session(ralph_lrs, au), au, 0.8)
    assert _verbs(mine) == ["initialized", "terminated"]
    assert lms.document(au, "efop-state") is None  # nothing written in Browse mode
    _common_checks(lms, au, xapi_validate, ralph_lrs, run)


def test_relaunch_resumes_and_never_repeats_completion(launch, lms, data, ralph_lrs, xapi_validate):
    who = X.actor("cmi5-resume")
    first = launch(who)
    X.walk(first.page, data, stop_at="contenu")
    _quit(first, lms)
    reg = first.launch.registration
    assert _verbs(check_session(_session(ralph_lrs, first.launch), first.launch, 0.8)) == [
        "initialized", "experienced", "experienced", "terminated"
    ]
    # second session, same registration: the module offers to resume at « contenu »
    second = launch(who, registration=reg)
    assert second.launch.session_id != first.launch.session_id
    assert second.launch.activity_id == first.launch.activity_id
    assert second.page.locator('[data-notice="resume-text"]').count() == 1
    second.page.locator('[data-notice="resume-text"] button').first.click()
    assert X.current_page(second.page) == "contenu"
    X.walk(second.page, data, X.correct_answers(data))
    _quit(second, lms)
    mine = check_session(_session(ralph_lrs, second.launch), second.launch, 0.8)
    assert _verbs(mine) == ["initialized", "experienced", "experienced", *["answered"] * 6,
                            "completed", "passed", "experienced", "terminated"]
    # third session: already completed and passed in this registration → nothing again
    third = launch(who, registration=reg)
    X.walk(third.page, data)
    _quit(third, lms)
    mine = check_session(_session(ralph_lrs, third.launch), third.launch, 0.8)
    assert "completed" not in _verbs(mine) and "passed" not in _verbs(mine)
    stored = check_registration(ralph_lrs, reg)
    assert "abandoned" not in _verbs(stored)  # every session terminated
    for run in (first, second, third):
        _common_checks(lms, run.launch, xapi_validate, ralph_lrs, run)


def _retry_right(page, data):
    page.locator('#page-quiz [data-efop-retry]').click()
    answers = X.correct_answers(data)
    for q in data["quizzes"]["quiz"]["questions"]:
        X.answer_question(page, q, answers[q["id"]])
    page.locator('form[data-efop-quiz="quiz"] [data-efop-submit]').click()


def test_failed_then_passed_in_one_session_sends_passed_only(launch, lms, data, ralph_lrs, xapi_validate):
    run = launch(X.actor("cmi5-retry"))
    X.walk(run.page, data, X.correct_answers(data, ("q-single", "q-fill")), stop_at="quiz")
    assert run.page.locator('[data-notice="module-failed"]').count() == 1
    _retry_right(run.page, data)
    assert run.page.locator('[data-notice="module-passed"]').count() == 1
    _quit(run, lms)
    au = run.launch
    verbs = _verbs(check_session(_session(ralph_lrs, au), au, 0.8))
    assert verbs == ["initialized", "experienced", "experienced", "experienced", *["answered"] * 6,
                     "completed", *["answered"] * 6, "passed", "terminated"]
    check_registration(ralph_lrs, au.registration)
    _common_checks(lms, au, xapi_validate, ralph_lrs, run)


def test_failed_session_then_passed_session(launch, lms, data, ralph_lrs, xapi_validate):
    who = X.actor("cmi5-fail-pass")
    first = launch(who)
    X.walk(first.page, data, X.correct_answers(data, ("q-single", "q-fill")), stop_at="quiz")
    _quit(first, lms)
    mine = check_session(_session(ralph_lrs, first.launch), first.launch, 0.8)
    assert _verbs(mine)[-3:] == ["completed", "failed", "terminated"]
    failed = mine[-2]
    assert failed["result"]["score"] == {"scaled": 0.67, "raw": 67, "min": 0, "max": 100}
    second = launch(who, registration=first.launch.registration)
    second.page.locator('[data-notice="resume-text"] button').first.click()
    _retry_right(second.page, data)
    _quit(second, lms)
    verbs = _verbs(check_session(_session(ralph_lrs, second.launch), second.launch, 0.8))
    assert verbs == ["initialized", "experienced", *["answered"] * 6, "passed", "terminated"]
    # a third session cannot fail any more: the quiz is passed, and failed never follows passed
    third = launch(who, registration=first.launch.registration)
    _quit(third, lms)
    check_registration(ralph_lrs, first.launch.registration)
    for run in (first, second, third):
        _common_checks(lms, run.launch, xapi_validate, ralph_lrs, run)


def test_launch_data_mastery_score_wins(launch, lms, data, ralph_lrs, xapi_validate):
    # cmi5.xml says 0.8; the LMS says 0.5: 67 % is a pass for the LMS
    run = launch(X.actor("cmi5-mastery"), mastery_score=0.5, move_on="Passed")
    assert run.page.evaluate("window.efopLms.info()")["moveOn"] == "Passed"
    X.walk(run.page, data, X.correct_answers(data, ("q-single", "q-fill")))
    _quit(run, lms)
    au = run.launch
    mine = check_session(_session(ralph_lrs, au), au, 0.5)
    passed = [s for s in mine if _verbs([s]) == ["passed"]]
    assert len(passed) == 1 and passed[0]["result"]["score"]["scaled"] == 0.67
    assert "failed" not in _verbs(mine)
    _common_checks(lms, au, xapi_validate, ralph_lrs, run)


def test_reload_reuses_the_token_and_the_session(launch, lms, data, ralph_lrs, xapi_validate):
    run = launch(X.actor("cmi5-reload"))
    X.walk(run.page, data, stop_at="contenu")
    X.wait_drained(run.page)
    run.page.reload()
    run.page.wait_for_function(X.ready("cmi5"))
    X.walk(run.page, data)
    _quit(run, lms)
    au = run.launch
    verbs = _verbs(check_session(_session(ralph_lrs, au), au, 0.8))
    assert verbs.count("initialized") == 1 and verbs.count("terminated") == 1
    _common_checks(lms, au, xapi_validate, ralph_lrs, run)  # fetch: one POST in all


def test_used_fetch_url_sends_nothing(launch, lms, data, ralph_lrs, new_page):
    run = launch(X.actor("cmi5-used"))
    X.wait_drained(run.page)
    # the same launch URL in another tab: the one-time fetch URL answers error-code 1
    other = new_page()
    errors: list[str] = []
    other.on("pageerror", lambda e: errors.append(str(e)))
    other.goto(run.launch.url)
    other.wait_for_function(X.ready("cmi5"))
    assert other.locator('[data-notice="cmi5-launch"]').count() == 1
    other.locator('[data-efop-action="next"]').first.click()
    other.wait_for_timeout(300)
    assert errors == []
    assert _verbs(_session(ralph_lrs, run.launch)) == ["launched", "initialized", "experienced"]
    key = run.launch.fetch_url.rsplit("/", 1)[-1]
    assert [c for c in lms.fetch_calls if c[1] == key] == [("POST", key), ("POST", key)]


def test_learner_preferences_are_read(launch, lms, data):
    who = X.actor("cmi5-prefs")
    lms.preferences(who, {"languagePreference": "fr-FR,en-US", "audioPreference": "off"})
    run = launch(who)
    assert run.page.evaluate("window.efopLms.info()")["prefs"] == {
        "languagePreference": "fr-FR,en-US", "audioPreference": "off"
    }
    _quit(run, lms)


def test_standalone_without_launch_parameters(package, new_page, http_server):
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(http_server.serve(package) + f"{MODULE}/index.html")
    page.wait_for_function(X.ready("cmi5"))
    assert page.locator('[data-notice="lms-missing"]').count() == 1
    page.locator('[data-efop-action="next"]').first.click()
    page.locator('[data-efop-action="exit"]').first.click()
    assert errors == []


def test_leaving_without_quitter_terminates_by_keepalive(launch, lms, data, ralph_lrs, xapi_validate):
    run = launch(X.actor("cmi5-leave"))
    X.walk(run.page, data, stop_at="contenu")
    run.page.goto("about:blank")  # the learner leaves: pagehide, keepalive, no redirect
    assert run.page.url == "about:blank"
    au = run.launch
    # Both keepalive requests (the statement and the state document) are independent: wait
    # for each, in whatever order they arrive.
    for _ in range(50):
        mine = _session(ralph_lrs, au)
        state = lms.document(au, "efop-state")
        if _verbs(mine)[-1:] == ["terminated"] and state is not None and state.get("location") == "contenu":
            break
        run.page.wait_for_timeout(200)
    mine = check_session(mine, au, 0.8)
    assert _verbs(mine) == ["initialized", "experienced", "experienced", "terminated"]
    state = lms.document(au, "efop-state")
    assert state is not None, "the state document never reached the LMS"
    assert state["location"] == "contenu"
    _common_checks(lms, au, xapi_validate, ralph_lrs, run)


# ---------------------------------------------------------------------------
# a platform that hangs at launch (tests/lrs/hanging.py: accepts, never answers)



def _with_param(url: str, name: str, value: str) -> str:
    import urllib.parse  # noqa: PLC0415

    parts = urllib.parse.urlsplit(url)
    query = [(k, value if k == name else v) for k, v in urllib.parse.parse_qsl(parts.query)]
    return parts._replace(query=urllib.parse.urlencode(query, quote_via=urllib.parse.quote)).geturl()


def _open_hanging(package, data, lms, new_page, http_server, who, name, value):
    """Launch with the ``name`` launch parameter replaced; returns (page, au, errors, seconds
    until the module was usable)."""
    import time  # noqa: PLC0415

    au = lms.launch(http_server.serve(package) + f"{MODULE}/index.html", data["module"]["iri"], who,
                    mastery_score=0.8, return_url=lms.return_url)
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    started = time.monotonic()
    page.goto(_with_param(au.url, name, value))
    assert page.locator("main").get_attribute("aria-busy") == "true"
    assert page.locator('[data-notice="loading"]').count() == 1
    page.wait_for_function(X.ready("cmi5"), timeout=15000)
    return page, au, errors, time.monotonic() - started


def test_hanging_fetch_url_times_out_with_the_launch_notice(package, data, lms, new_page, http_server, ralph_lrs):
    with H.HangingServer() as hang:
        who = X.actor("cmi5-hang-fetch")
        key = "f" * 32
        page, au, errors, seconds = _open_hanging(package, data, lms, new_page, http_server, who,
                                                  "fetch", f"{hang.origin}/fetch/{key}")
        assert seconds < 8 + 2
        assert page.locator("main").get_attribute("aria-busy") is None
        notice = page.locator('[data-notice="cmi5-launch"]')
        assert notice.count() == 1 and "efop-notice--error" in notice.get_attribute("class")
        assert hang.held == [f"POST /fetch/{key} HTTP/1.1"]  # called exactly once, no preflight
        # usable: standalone from here on
        page.locator('[data-efop-action="next"]').first.click()
        assert X.current_page(page) == "contenu"
        page.wait_for_timeout(300)
        assert errors == []
        assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('efop-cmi5:'))") == []
    assert _verbs(_session(ralph_lrs, au)) == ["launched"]  # the AU sent nothing


def test_hanging_lrs_times_out_then_a_reload_reuses_the_token(package, data, lms, new_page, http_server, ralph_lrs,
                                                             xapi_validate):
    with H.HangingServer(target=lms.origin) as hang:
        who = X.actor("cmi5-hang-lrs")
        page, au, errors, seconds = _open_hanging(package, data, lms, new_page, http_server, who,
                                                  "endpoint", hang.origin + "/xapi/")
        assert seconds < 8 + 2
        assert page.locator('[data-notice="cmi5-launch"]').count() == 1  # LMS.LaunchData unread
        assert any("LMS.LaunchData" in line for line in hang.held), hang.held
        key = au.fetch_url.rsplit("/", 1)[-1]
        assert [c for c in lms.fetch_calls if c[1] == key] == [("POST", key)]
        page.locator('[data-efop-action="next"]').first.click()
        assert errors == []

        hang.release()  # the LRS answers again: a reload of the tab works, with the same token
        page.reload()
        page.wait_for_function(X.ready("cmi5"), timeout=15000)
        assert page.locator('[data-notice="cmi5-launch"]').count() == 0
        assert page.evaluate("window.efopLms.info()")["launchMode"] == "Normal"
        X.walk(page, data, stop_at="contenu")
        X.wait_drained(page)
        assert [c for c in lms.fetch_calls if c[1] == key] == [("POST", key)]
        assert errors == []
    mine = _session(ralph_lrs, au)
    assert _verbs(mine) == ["launched", "initialized", "experienced", "experienced"]
    assert xapi_validate(mine) == []
