"""Resume through the xAPI State API (against tests/lrs/state_double.py, a spec-exact test
double) and clean degradation against ralph, which has no State API."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from browser import xapi_support as X
from lrs import hanging, state_double

AUTH = "Basic " + base64.b64encode(b"state-test:state-secret").decode()
STATE_ID = "efop-state"
ACTIVITY = "https://example.org/xapi/demo/intro"






@pytest.fixture
def state_lrs():
    double = state_double.StateApiDouble(auth=AUTH)
    yield double
    double.close()


@pytest.fixture(scope="module")
def intro(tmp_path_factory):
    return X.build_modules(X.REPO / "tests" / "roots" / "minimal", tmp_path_factory.mktemp("xapi-state"))["intro"]


# ---------------------------------------------------------------------------
# the double itself follows the spec


def _call(double, method, params, body=None, headers=None):
    url = double.endpoint + "activities/state?" + urllib.parse.urlencode(params)
    hdrs = {"X-Experience-API-Version": "1.0.3", "Authorization": AUTH}
    if body is not None:
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def test_double_follows_the_state_api(state_lrs):
    agent = json.dumps({"objectType": "Agent", "mbox": "mailto:a@example.org"})
    reg = "0b5c8a1e-8f7b-4b5e-9a39-3f0f4f6a1c11"
    ctx = {"activityId": ACTIVITY, "agent": agent, "registration": reg}
    one = {**ctx, "stateId": "s1"}
    assert _call(state_lrs, "GET", one)[0] == 404
    assert _call(state_lrs, "PUT", one, {"a": 1, "b": 2})[0] == 204
    assert _call(state_lrs, "POST", one, {"b": 3, "c": 4})[0] == 204  # top-level merge
    status, body, headers = _call(state_lrs, "GET", one)
    assert status == 200 and json.loads(body) == {"a": 1, "b": 3, "c": 4}
    assert headers["ETag"].startswith('"') and len(headers["ETag"]) == 42
    assert json.loads(_call(state_lrs, "GET", ctx)[1]) == ["s1"]
    # another registration is another context
    assert json.loads(_call(state_lrs, "GET", {**ctx, "registration": "1b5c8a1e-8f7b-4b5e-9a39-3f0f4f6a1c11"})[1]) == []
    assert _call(state_lrs, "PUT", {**ctx, "stateId": "raw"}, b"plain", {"Content-Type": "text/plain"})[0] == 204
    assert _call(state_lrs, "POST", {**ctx, "stateId": "raw"}, {"x": 1})[0] == 400  # non-JSON stored doc
    assert _call(state_lrs, "POST", one, b"[1]")[0] == 400  # not an object
    assert _call(state_lrs, "GET", {**one, "registration": "nope"})[0] == 400
    assert _call(state_lrs, "GET", {**one, "activityId": "relative/path"})[0] == 400
    assert _call(state_lrs, "GET", {**one, "agent": json.dumps({"name": "no ifi"})})[0] == 400
    assert _call(state_lrs, "GET", one, headers={"X-Experience-API-Version": ""})[0] == 400
    assert _call(state_lrs, "GET", one, headers={"Authorization": "Basic eDp5"})[0] == 401
    assert _call(state_lrs, "DELETE", one)[0] == 204
    assert _call(state_lrs, "GET", one)[0] == 404
    assert _call(state_lrs, "DELETE", ctx)[0] == 204
    assert json.loads(_call(state_lrs, "GET", ctx)[1]) == []


# ---------------------------------------------------------------------------
# resume


def _launch(new_page, http_server, folder, endpoint, auth, registration, who):
    page = new_page()  # a fresh browser context: nothing in localStorage
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = X.launch_url(http_server.serve(folder), "intro", endpoint=endpoint, auth=auth, actor_=who,
                       registration=registration, activity_id=ACTIVITY)
    page.goto(url)
    page.wait_for_function(X.ready("xapi"))
    return page, errors


def test_resume_through_the_state_api(intro, new_page, http_server, state_lrs):
    data = X.module_data(intro, "intro")
    registration = X.new_registration()
    who = X.actor("resume")
    page, errors = _launch(new_page, http_server, intro, state_lrs.endpoint, AUTH, registration, who)
    assert page.evaluate("window.efopLms.stateApi()") is True
    X.walk(page, data, stop_at="quiz")
    answers = X.correct_answers(data)
    questions = {q["id"]: q for q in data["quizzes"]["quiz"]["questions"]}
    X.answer_question(page, questions["q-single"], answers["q-single"])
    X.answer_question(page, questions["q-tf"], answers["q-tf"])
    page.goto("about:blank")  # the learner leaves: pagehide, keepalive
    for _ in range(50):  # the keepalive request may arrive a little later on a busy machine
        doc = state_lrs.document(ACTIVITY, who, registration, STATE_ID)
        if doc is not None and "q-tf=b" in str(doc.get("state")):  # saved after the last answer
            break
        page.wait_for_timeout(200)
    assert errors == []

    doc = state_lrs.document(ACTIVITY, who, registration, STATE_ID)
    assert doc is not None, state_lrs.log[-3:]
    assert doc["location"] == "quiz"
    assert doc["state"].startswith("1|accueil,contenu,quiz|quiz:")
    assert "q-single=b" in doc["state"] and "q-tf=b" in doc["state"]
    # every state request named the activity, the agent, the registration and the version
    for method, path, headers, _ in state_lrs.log:
        if "activities/state" in path:
            q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
            assert q["activityId"] == ACTIVITY and q["registration"] == registration
            assert json.loads(q["agent"]) == who
            assert headers["X-Experience-API-Version"] == "1.0.3"

    # relaunch in another browser: the state comes from the LRS
    again, errors = _launch(new_page, http_server, intro, state_lrs.endpoint, AUTH, registration, who)
    assert again.locator('[data-notice="xapi-no-state"]').count() == 0
    offer = again.locator('[data-notice="resume-text"]')
    assert offer.count() == 1
    offer.locator("button").first.click()
    assert X.current_page(again) == "quiz"
    fs = again.locator('fieldset[data-question-id="q-single"]')
    assert fs.locator('input[value="b"]').is_checked()
    assert again.locator('fieldset[data-question-id="q-tf"] input[value="b"]').is_checked()
    assert errors == []

    # another registration (a new attempt): no resume
    other, _ = _launch(new_page, http_server, intro, state_lrs.endpoint, AUTH, X.new_registration(), who)
    assert other.locator('[data-notice="resume-text"]').count() == 0
    assert X.current_page(other) == "accueil"

    # statements reached the double too, all with the launch activity as module
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in state_lrs.statements.values()]
    assert verbs.count("initialized") == 3 and verbs.count("terminated") >= 1


@pytest.mark.lrs
def test_without_state_api_no_resume_and_said_once(intro, new_page, http_server, ralph_lrs):
    data = X.module_data(intro, "intro")
    registration = X.new_registration()
    who = X.actor("no-state")
    page, errors = _launch(new_page, http_server, intro, ralph_lrs.endpoint, ralph_lrs.auth_header, registration, who)
    X.walk(page, data, X.correct_answers(data), stop_at="quiz")
    X.wait_drained(page)
    assert page.evaluate("window.efopLms.stateApi()") is False
    assert page.locator('[data-notice="xapi-no-state"]').count() == 1
    assert any(v == "answered" for v in X.verbs(ralph_lrs.statements(registration=registration)))
    page.goto("about:blank")
    page.wait_for_timeout(300)
    assert errors == []
    again, errors = _launch(new_page, http_server, intro, ralph_lrs.endpoint, ralph_lrs.auth_header, registration, who)
    assert again.locator('[data-notice="resume-text"]').count() == 0
    assert X.current_page(again) == "accueil"
    assert again.locator('[data-notice="xapi-no-state"]').count() == 1
    assert errors == []


# ---------------------------------------------------------------------------
# an LRS that hangs at launch


def test_hanging_lrs_the_module_starts_without_resume_and_loses_nothing(intro, new_page, http_server, state_lrs):
    """The LRS accepts the connections and never answers (tests/lrs/hanging.py in front of the
    State API double): the module shows a loading state, becomes usable once the State API
    read times out (8 s), says so once, and the statements made meanwhile reach the LRS once it
    answers again."""
    import time  # noqa: PLC0415

    data = X.module_data(intro, "intro")
    registration = X.new_registration()
    who = X.actor("hanging")
    with hanging.HangingServer(target=state_lrs.endpoint) as lrs:
        endpoint = lrs.origin + "/xapi/"
        page = new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        url = X.launch_url(http_server.serve(intro), "intro", endpoint=endpoint, auth=AUTH, actor_=who,
                           registration=registration, activity_id=ACTIVITY)
        started = time.monotonic()
        page.goto(url)
        # waiting: busy, a status text, no navigation, the first page readable
        assert page.locator("main").get_attribute("aria-busy") == "true"
        loading = page.locator('[data-efop-notice] [data-notice="loading"]')
        assert loading.inner_text() == "Chargement de votre progression…"
        assert page.locator("[data-efop-pager]").is_hidden()
        assert X.current_page(page) == "accueil"
        page.wait_for_function(X.ready("xapi"), timeout=15000)
        assert time.monotonic() - started < 8 + 2
        assert page.locator("main").get_attribute("aria-busy") is None
        assert loading.count() == 0
        timeout_notice = page.locator('[data-notice="lms-timeout"]')
        assert timeout_notice.count() == 1
        assert "ne répond pas" in timeout_notice.inner_text()
        assert page.locator('[data-notice="resume-text"]').count() == 0
        assert any(line.startswith("OPTIONS /xapi/activities/state?") for line in lrs.held), lrs.held
        assert state_lrs.log == []  # nothing got through

        # the learner goes on: the statements wait in the browser
        X.walk(page, data, stop_at="contenu")
        page.wait_for_timeout(300)
        assert page.evaluate("window.efopLms.pending()") == 3  # initialized, experienced × 2
        lrs.release()  # the LRS answers again
        X.wait_drained(page, timeout=30)
        page.wait_for_timeout(500)
        assert timeout_notice.count() == 1  # said once
        assert errors == []

    stored = X.sorted_statements(list(state_lrs.statements.values()))
    assert X.verbs(stored) == ["initialized", "experienced", "experienced"]
    assert {s["context"]["registration"] for s in stored} == {registration}
    doc = state_lrs.document(ACTIVITY, who, registration, STATE_ID)
    assert doc is not None and doc["location"] == "contenu"


def test_rejected_start_is_a_fresh_start_with_a_notice(intro, new_page, http_server, state_lrs):
    """runtime.js never throws: an adapter whose start() promise rejects leaves a usable module
    that starts from the beginning, and says so."""
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script("""Object.defineProperty(window, 'efopLms', {configurable: true,
      get() { return this.__lms; },
      set(v) { v.start = () => Promise.reject(new Error('adapter failure')); this.__lms = v; }});""")
    page.goto(X.launch_url(http_server.serve(intro), "intro", endpoint=state_lrs.endpoint, auth=AUTH,
                           actor_=X.actor("rejected"), registration=X.new_registration(), activity_id=ACTIVITY))
    page.wait_for_function(X.ready("xapi"))
    notice = page.locator('[data-notice="lms-start"]')
    assert notice.count() == 1 and "efop-notice--error" in notice.get_attribute("class")
    assert page.locator('[data-notice="loading"]').count() == 0
    assert page.locator("main").get_attribute("aria-busy") is None
    page.locator('[data-efop-action="next"]').first.click()
    assert X.current_page(page) == "contenu"
    assert errors == []
