"""Nothing is lost: the LRS goes down in the middle of a session (and the page is reloaded
while it is down), comes back later, and every statement arrives exactly once. A 5xx is
retried; a 4xx is reported and not retried forever."""

from __future__ import annotations

import json

import pytest
from browser import xapi_support as X

pytestmark = pytest.mark.lrs





@pytest.fixture(scope="module")
def intro(tmp_path_factory):
    folders = X.build_modules(X.REPO / "tests" / "roots" / "minimal", tmp_path_factory.mktemp("xapi-outage"))
    return folders["intro"]


def _open(new_page, http_server, folder, lrs, registration, who):
    page = new_page()
    sent: list[str] = []  # every statement id the browser tried to send (also failed tries)
    errors: list[str] = []
    console: list[tuple[str, str]] = []

    def on_request(req):
        if req.method == "POST" and req.url.startswith(lrs.endpoint + "statements") and req.post_data:
            body = json.loads(req.post_data)
            sent.extend(s["id"] for s in (body if isinstance(body, list) else [body]))

    page.on("request", on_request)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: console.append((m.type, m.text)))
    url = X.launch_url(http_server.serve(folder), "intro", endpoint=lrs.endpoint, auth=lrs.auth_header,
                       actor_=who, registration=registration,
                       activity_id="https://example.org/xapi/demo/intro")
    page.goto(url)
    page.wait_for_function(X.ready("xapi"))
    return page, url, sent, errors, console


def test_outage_and_reload_lose_nothing_and_duplicate_nothing(intro, new_page, http_server, ralph_lrs, xapi_validate):
    data = X.module_data(intro, "intro")
    registration = X.new_registration()
    page, url, sent, errors, _ = _open(new_page, http_server, intro, ralph_lrs, registration, X.actor("outage"))
    X.walk(page, data, stop_at="contenu")
    X.wait_drained(page)
    before = len(ralph_lrs.statements(registration=registration))
    assert before == 3  # initialized, experienced × 2

    ralph_lrs.stop()
    # quiz answered while the LRS is down: statements wait in localStorage
    page.locator('[data-efop-action="next"]').first.click()
    answers = X.correct_answers(data, wrong=("q-multi", "q-fill"))
    form = page.locator('form[data-efop-quiz="quiz"]')
    for q in data["quizzes"]["quiz"]["questions"]:
        X.answer_question(page, q, answers[q["id"]])
    form.locator("[data-efop-submit]").click()
    page.wait_for_timeout(300)
    assert page.locator('[data-notice="xapi-offline"]').count() == 1
    queued = page.evaluate("window.efopLms.pending()")
    assert queued == 1 + 6 + 1  # experienced(quiz), answered × 6, failed (67 % < 80 %)

    # reload while still down: the session ends (terminated), a new one starts
    page.reload()
    page.wait_for_function(X.ready("xapi"))
    page.locator('[data-efop-action="next"]').first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.efopLms.pending()") == queued + 1 + 2 + 1  # terminated, initialized, experienced × 2 (accueil, contenu)

    ralph_lrs.start()
    X.wait_drained(page, timeout=60)
    page.locator('[data-efop-action="exit"]').first.click()
    X.wait_drained(page)
    assert errors == []
    assert page.locator('[data-notice="xapi-offline"]').count() == 0  # recovered

    stored = X.sorted_statements(ralph_lrs.statements(registration=registration))
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)), "a statement was stored twice"
    assert set(ids) == set(sent), "a statement never arrived"
    assert xapi_validate(stored) == []
    assert X.verbs(stored) == (
        ["initialized", "experienced", "experienced", "experienced"] + ["answered"] * 6
        + ["failed", "terminated", "initialized", "experienced", "experienced", "terminated"]
    )
    failed = next(s for s in stored if s["verb"]["id"].endswith("/failed"))
    assert failed["result"]["score"] == {"scaled": 0.67, "raw": 67, "min": 0, "max": 100}
    # the page queue is empty and nothing stays in localStorage
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('efop-xapi:q:')).length") == 0


def test_server_errors_are_retried_client_errors_are_not(intro, new_page, http_server, ralph_lrs):
    data = X.module_data(intro, "intro")
    registration = X.new_registration()
    page = new_page()
    calls = {"n": 0, "bad": 0}
    bad_question = "https://example.org/xapi/demo/intro/quiz/q-fill"
    cors = {"Access-Control-Allow-Origin": http_server.origin, "Content-Type": "application/json"}
    console: list[tuple[str, str]] = []
    page.on("console", lambda m: console.append((m.type, m.text)))

    def handler(route):
        req = route.request
        if req.method != "POST":
            route.continue_()
            return
        calls["n"] += 1
        body = json.loads(req.post_data)
        if calls["n"] <= 2:
            route.fulfill(status=503, headers=cors, body="{}")
        elif any(s["object"]["id"] == bad_question for s in body):
            calls["bad"] += 1
            route.fulfill(status=400, headers=cors, body=json.dumps({"detail": "refused by the test"}))
        else:
            route.continue_()

    page.route(ralph_lrs.endpoint + "statements", handler)
    url = X.launch_url(http_server.serve(intro), "intro", endpoint=ralph_lrs.endpoint, auth=ralph_lrs.auth_header,
                       actor_=X.actor("errors"), registration=registration)
    page.goto(url)
    page.wait_for_function(X.ready("xapi"))
    X.walk(page, data, X.correct_answers(data))
    X.wait_drained(page, timeout=60)
    page.wait_for_timeout(500)
    stored = ralph_lrs.statements(registration=registration)
    objects = [s["object"]["id"] for s in stored]
    assert bad_question not in objects
    assert sum(1 for s in stored if s["verb"]["id"].endswith("/answered")) == 5
    assert len(objects) == len({s["id"] for s in stored})
    # the batch holding it, then the statement alone: refused twice, never again
    assert calls["bad"] == 2
    assert page.locator('[data-notice="xapi-rejected"]').count() == 1
    assert any(kind == "error" and "refused statement" in text for kind, text in console)
