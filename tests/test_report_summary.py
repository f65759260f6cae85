"""report/summary.py and report/output.py from hand-written statements (no network)."""

from __future__ import annotations

import csv
import io

import pytest

from efop_author.report.output import render_csv, render_html, render_table
from efop_author.report.summary import duration_seconds, in_course, score_percent, summarize

C = "https://example.org/xapi/demo"
M = C + "/intro"
V = "http://adlnet.gov/expapi/verbs/"
SID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


def agent(n):
    return {"objectType": "Agent", "name": f"Learner {n}", "account": {"homePage": "https://lms.example.org", "name": f"u{n}"}}


def st(who, verb, obj, ts, *, session="s1", result=None, parent=True, name=None):
    s = {
        "id": f"{who}-{verb}-{ts}",
        "actor": agent(who),
        "verb": {"id": V + verb},
        "object": {"objectType": "Activity", "id": obj},
        "context": {"contextActivities": {"grouping": [{"id": C}]}, "extensions": {SID: f"{who}-{session}"}},
        "timestamp": f"2026-03-01T10:{ts:02d}:00.000Z",
    }
    if name:
        s["object"]["definition"] = {"name": {"fr": name}}
    if parent:
        s["context"]["contextActivities"]["parent"] = [{"id": M}]
    if result:
        s["result"] = result
    return s


def q(n):
    return f"{M}/quiz/q{n}"


def corpus():
    a = [
        st(1, "initialized", M, 0, parent=False, name="Premier module"),
        st(1, "experienced", M + "/accueil", 1),
        st(1, "answered", q(1), 2, result={"success": False, "response": "a"}),
        st(1, "answered", q(2), 2, result={"success": True, "response": "b"}),
        st(1, "failed", M, 3, parent=False, result={"score": {"scaled": 0.5, "raw": 50, "min": 0, "max": 100}}),
        st(1, "terminated", M, 4, parent=False, result={"duration": "PT4M30S"}),
        # second session: retry and pass; no terminated (window closed): last − first
        st(1, "initialized", M, 10, session="s2", parent=False),
        st(1, "answered", q(1), 12, session="s2", result={"success": True, "response": "b"}),
        st(1, "answered", q(2), 12, session="s2", result={"success": True, "response": "b"}),
        st(1, "completed", M, 13, session="s2", parent=False, result={"completion": True}),
        st(1, "passed", M, 13, session="s2", parent=False, result={"score": {"scaled": 1.0}}),
        st(1, "experienced", M + "/fin", 15, session="s2"),
    ]
    b = [
        st(2, "initialized", M, 20, parent=False),
        st(2, "answered", q(1), 21, result={"success": False}),
        st(2, "answered", q(2), 21, result={}),  # success unknown
        st(2, "failed", M, 22, parent=False, result={"score": {"raw": 3, "min": 0, "max": 6}}),
    ]
    other = [st(3, "initialized", "https://example.org/xapi/other/m", 30, parent=False)]
    other[0]["context"]["contextActivities"]["grouping"] = [{"id": "https://example.org/xapi/other"}]
    voided = st(1, "voided", M, 40, parent=False)
    return a + b + other + [voided]


def test_rows_and_items():
    report = summarize(reversed(corpus()), course=C)  # order does not matter
    assert report.statements == 16 and report.skipped == 2
    one, two = report.rows
    assert (one.learner, one.module, one.module_name) == ("Learner 1", M, "Premier module")
    assert one.started and one.completed and one.result == "passed"
    assert one.best_score == 100.0
    assert one.sessions == 2
    assert one.time_spent == 270 + 300  # terminated PT4M30S + 10:10 → 10:15
    assert (two.started, two.completed, two.result, two.best_score) == (True, False, "failed", 50.0)
    assert two.time_spent == 120
    items = {i.question: i for i in report.items}
    assert (items[q(1)].attempts, items[q(1)].correct, items[q(1)].success_rate) == (3, 1, 33.3)
    assert (items[q(2)].attempts, items[q(2)].correct, items[q(2)].known, items[q(2)].success_rate) == (3, 2, 2, 100.0)


def test_no_course_filter_keeps_other_courses():
    report = summarize(corpus())
    assert {r.module for r in report.rows} == {M, "https://example.org/xapi/other/m"}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("PT4M35.12S", 275.12), ("PT1H", 3600), ("P1DT1S", 86401), ("PT0S", 0), ("P2W", 1209600),
     ("PT", None), ("12 minutes", None), ("PT1:00", None), (None, None)],
)
def test_duration_seconds(text, seconds):
    assert duration_seconds(text) == seconds


def test_score_and_course_helpers():
    assert score_percent({"score": {"scaled": 0.8333}}) == 83.33
    assert score_percent({"score": {"raw": 5, "min": 0, "max": 10}}) == 50
    assert score_percent({"score": {"raw": 7}}) == 7
    assert score_percent({"success": True}) is None
    assert in_course({"object": {"id": C + "/m/q"}}, C)
    assert not in_course({"object": {"id": C + "-other/m"}}, C)
    assert in_course({"object": {"id": "x:y"}, "context": {"contextActivities": {"grouping": {"id": C}}}}, C)


def test_csv_output():
    text = render_csv(summarize(corpus(), course=C))
    learners, _, items = text.partition("\n\n")
    rows = list(csv.DictReader(io.StringIO(learners)))
    assert rows[0]["learner"] == "Learner 1" and rows[0]["result"] == "passed"
    assert rows[0]["best_score"] == "100" and rows[0]["time_spent_s"] == "570"
    assert rows[0]["started"] == "yes" and rows[1]["completed"] == "no"
    assert rows[0]["first_seen"] == "2026-03-01T10:00:00.000Z"
    it = list(csv.DictReader(io.StringIO(items)))
    assert [(i["attempts"], i["correct"], i["success_rate"]) for i in it] == [("3", "1", "33.3"), ("3", "2", "100")]


def test_table_and_html(monkeypatch):
    monkeypatch.setenv("EFOP_AUTHOR_LANG", "fr")
    report = summarize(corpus(), course=C)
    table = render_table(report)
    assert "Learner 1" in table and "réussi" in table and "9 min 30 s" in table and "33,3" in table
    html = render_html(report)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert html.count("<svg") == 2 and 'role="img"' in html
    assert "<script" not in html and "src=" not in html and "href=" not in html
    assert '<th scope="col">' in html and "<caption>" in html


def test_html_escapes_names():
    s = st(1, "initialized", M, 0, parent=False, name='<b>"x"</b> & y')
    html = render_html(summarize([s]))
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_empty_report():
    report = summarize([])
    assert "Aucune" in render_table(report) or "No statement" in render_table(report)
    assert "<table" not in render_html(report)
