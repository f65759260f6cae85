"""xAPI packages launched the Tin Can way against the real ralph LRS, walked in Chromium.

Each module package of two test courses is launched with the standard query parameters
(endpoint, auth, actor, registration, activity_id), walked page by page and its quiz
answered through the UI; the LRS must then hold the expected statements, in order, all
valid for the strict validator, with the right results and context. The last tests run
``efop-author report`` over what these runs stored and check its figures.
"""

from __future__ import annotations

import csv
import io

import pytest
from browser import xapi_support as X

pytestmark = pytest.mark.lrs



ADL = "http://adlnet.gov/expapi/verbs/"
ACT = "http://adlnet.gov/expapi/activities/"

# What the tests did, checked later by the report test: (course, module) -> facts
RUNS: dict = {}


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    out = {}
    for course in ("minimal", "need-escaped"):
        root = X.REPO / "tests" / "roots" / course
        out[course] = X.build_modules(root, tmp_path_factory.mktemp(f"xapi-{course}"))
    return out


def _launch(new_page, http_server, folder, module, lrs, *, actor, registration, activity_id, extra=None):
    base = http_server.serve(folder)
    page = new_page()
    log = {"errors": [], "requests": [], "console": []}
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("console", lambda m: log["console"].append((m.type, m.text)))

    def on_request(req):
        if req.url.startswith(lrs.origin) and req.method != "OPTIONS":
            log["requests"].append((req.method, req.url, req.headers, req.post_data))

    page.on("request", on_request)
    url = X.launch_url(
        base, module, endpoint=lrs.endpoint, auth=lrs.auth_header, actor_=actor,
        registration=registration, activity_id=activity_id, extra=extra,
    )
    page.goto(url)
    page.wait_for_function(X.ready("xapi"))
    return page, log


CASES = [
    # course, module, answers wrong, legacy actor form + extra launch parameters
    ("minimal", "intro", ("q-fill",), False),
    ("need-escaped", "risques", ("q-vf", "q-choix"), True),
    ("need-escaped", "aide", (), False),
]


@pytest.mark.parametrize(("course", "module", "wrong", "legacy"), CASES)
def test_walk_module_statements(
    course, module, wrong, legacy, packages, new_page, http_server, ralph_lrs, xapi_validate
):
    folder = packages[course][module]
    data = X.module_data(folder, module)
    module_iri = data["module"]["iri"]
    registration = X.new_registration()
    who = X.actor(f"{course}-{module}", legacy=legacy)
    extra = {"activity_platform": "Moodle", "Accept-Language": "fr-FR", "foo": "bar"} if legacy else None
    page, log = _launch(
        new_page, http_server, folder, module, ralph_lrs, actor=who, registration=registration,
        activity_id=module_iri, extra=extra,
    )
    answers = X.correct_answers(data, wrong)
    shown = X.walk(page, data, answers)
    page.locator('[data-efop-action="exit"]').first.click()
    X.wait_drained(page)
    assert log["errors"] == []

    stored = X.sorted_statements(ralph_lrs.statements(registration=registration))
    assert xapi_validate(stored) == []
    assert len({s["id"] for s in stored}) == len(stored)

    # the expected statements, in order
    main_pages = [p["id"] for p in data["pages"] if p["kind"] not in ("glossary", "accessibility")]
    assert shown == main_pages
    quiz_pages = [p for p in main_pages if p in data["quizzes"]]
    questions = [q for p in quiz_pages for q in data["quizzes"][p]["questions"]]
    expected = ["initialized"]
    total = correct = 0
    for pid in main_pages:
        expected.append("experienced")
        if pid in data["quizzes"]:
            expected += ["answered"] * len(data["quizzes"][pid]["questions"])
            for q in data["quizzes"][pid]["questions"]:
                total += q["weight"]
                correct += 0 if q["id"] in wrong else q["weight"]
            score = round(100 * correct / total)
            mastery = data["module"]["mastery_score"]
            if mastery is not None and score >= mastery:
                expected += ["completed", "passed"]
            elif mastery is not None:
                expected += ["failed"]
    if not quiz_pages:
        expected.append("completed")
    expected.append("terminated")
    assert X.verbs(stored) == expected

    # every request carried the version header and the launch auth, verbatim
    assert log["requests"]
    for method, url, headers, _ in log["requests"]:
        assert headers.get("x-experience-api-version") == "1.0.3", (method, url)
        assert headers.get("authorization") == ralph_lrs.auth_header

    course_iri = data["course"]["iri"]
    for s in stored:
        assert s["actor"]["name"] == f"Apprenant {course}-{module}"
        if legacy:
            assert s["actor"]["mbox"] == f"mailto:{course}-{module}@example.org"
        else:
            assert s["actor"]["account"] == {"homePage": "https://moodle.example.org", "name": f"{course}-{module}"}
        ctx = s["context"]
        assert ctx["registration"] == registration
        assert ctx["language"] == "fr"
        assert [a["id"] for a in ctx["contextActivities"]["grouping"]] == [course_iri]
        verb = s["verb"]["id"][len(ADL):]
        if verb in ("experienced", "answered"):
            assert [a["id"] for a in ctx["contextActivities"]["parent"]] == [module_iri]
        else:
            # module-level statements: the object is the launch activity (Moodle's completion check)
            assert s["object"]["id"] == module_iri
            assert "parent" not in ctx["contextActivities"]
    experienced = [s["object"]["id"] for s in stored if s["verb"]["id"] == ADL + "experienced"]
    assert experienced == [f"{module_iri}/{p}" for p in main_pages]

    # answered: full interaction definitions, response and success
    answered = [s for s in stored if s["verb"]["id"] == ADL + "answered"]
    for s, q in zip(answered, questions, strict=True):
        qpage = next(p for p in quiz_pages if q in data["quizzes"][p]["questions"])
        assert s["object"]["id"] == f"{module_iri}/{qpage}/{q['id']}"
        d = s["object"]["definition"]
        assert d["type"] == ACT + "cmi.interaction"
        itype = {"single": "choice", "multiple": "choice", "true-false": "true-false",
                 "matching": "matching", "ordering": "sequencing", "fill-in": "fill-in"}[q["type"]]
        assert d["interactionType"] == itype
        assert s["result"]["success"] is (q["id"] not in wrong)
        value = answers[q["id"]]
        if q["type"] in ("single", "multiple"):
            assert [c["id"] for c in d["choices"]] == [c["key"] for c in q["choices"]]
            assert d["correctResponsesPattern"] == ["[,]".join(q["correct"])]
            assert sorted(s["result"]["response"].split("[,]")) == sorted(value if isinstance(value, list) else [value])
        elif q["type"] == "true-false":
            truth = {"a": "true", "b": "false"}
            assert d["correctResponsesPattern"] == [truth[q["correct"][0]]]
            assert s["result"]["response"] == truth[value]
        elif q["type"] == "matching":
            assert [c["id"] for c in d["source"]] == [c["key"] for c in q["sources"]]
            assert [c["id"] for c in d["target"]] == [c["key"] for c in q["targets"]]
            assert d["correctResponsesPattern"] == ["[,]".join(p.replace(".", "[.]") for p in q["correct"])]
            assert s["result"]["response"] == "[,]".join(f"{k}[.]{v}" for k, v in value.items())
        elif q["type"] == "ordering":
            assert [c["id"] for c in d["choices"]] == [c["key"] for c in q["items"]]
            assert d["correctResponsesPattern"] == ["[,]".join(q["correct"])]
            assert s["result"]["response"] == "[,]".join(value)
        else:
            assert d["correctResponsesPattern"] == q["correct"]
            assert s["result"]["response"] == value

    # result of the module statements
    final = [s for s in stored if s["verb"]["id"] in (ADL + "passed", ADL + "failed")]
    if quiz_pages:
        (res,) = final
        r = res["result"]
        assert r["score"] == {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100}
        assert r["success"] is (res["verb"]["id"] == ADL + "passed")
        assert r["completion"] is True
        assert X.DURATION_RE.match(r["duration"]), r["duration"]
        ext = res["context"]["extensions"]
        assert ext["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == mastery / 100
    else:
        assert final == []
    term = stored[-1]
    assert X.DURATION_RE.match(term["result"]["duration"])
    sessions = {s["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] for s in stored}
    assert len(sessions) == 1

    # ralph has no State API: said once, and the module works on
    notices = page.locator('[data-notice="xapi-no-state"]')
    assert notices.count() == 1
    assert page.evaluate("window.efopLms.stateApi()") is False

    RUNS[(course, module)] = {
        "actor": who,
        "registration": registration,
        "score": score if quiz_pages else None,
        "status": ("passed" if "passed" in expected else "failed") if quiz_pages else "completed",
        "questions": {q["id"]: q["id"] not in wrong for q in questions},
        "module_iri": module_iri,
        "course_iri": course_iri,
    }


def test_bad_launch_shows_notice_and_sends_nothing(packages, new_page, http_server):
    folder = packages["minimal"]["intro"]
    page = new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/xAPI/" in r.url else None)
    page.goto(http_server.serve(folder) + "intro/index.html")
    page.wait_for_function(X.ready("xapi"))
    assert page.locator('[data-notice="xapi-no-launch"]').count() == 1
    page.locator('[data-efop-action="next"]').first.click()
    assert errors == [] and requests == []


# ---------------------------------------------------------------------------
# the report over what these runs stored


def _report(ralph_lrs, *args, env=None):
    from click.testing import CliRunner  # noqa: PLC0415

    from efop_author.report.command import report_command  # noqa: PLC0415

    base_env = {
        "EFOP_LRS_ENDPOINT": ralph_lrs.endpoint,
        "EFOP_LRS_USERNAME": ralph_lrs.username,
        "EFOP_LRS_PASSWORD": ralph_lrs.password,
    }
    base_env.update(env or {})
    result = CliRunner().invoke(report_command, list(args), env=base_env, catch_exceptions=False)
    return result


def _need_runs():
    # The report is checked against what the walk tests of this module did (they run first).
    assert len(RUNS) == len(CASES), "run the whole module: the report tests read the walk tests' statements"


@pytest.mark.parametrize("course", ["minimal", "need-escaped"])
def test_report_csv_matches_the_runs(course, ralph_lrs):
    _need_runs()
    runs = {k: v for k, v in RUNS.items() if k[0] == course}
    course_iri = next(iter(runs.values()))["course_iri"]
    result = _report(ralph_lrs, "--course", course_iri, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert ralph_lrs.password not in result.output
    text = result.output
    learners_part, _, items_part = text.partition("\n\n")
    rows = list(csv.DictReader(io.StringIO(learners_part)))
    assert len(rows) == len(runs)
    for (_, module), run in runs.items():
        (row,) = [r for r in rows if r["module"] == run["module_iri"]]
        assert row["learner"] == f"Apprenant {course}-{module}"
        assert row["started"] == "yes"
        assert row["completed"] == "yes"
        assert row["result"] == {"passed": "passed", "failed": "failed", "completed": ""}[run["status"]]
        assert row["best_score"] == ("" if run["score"] is None else str(run["score"]))
        assert float(row["time_spent_s"]) > 0
    items = list(csv.DictReader(io.StringIO(items_part)))
    expected_items = {q: ok for run in runs.values() for q, ok in run["questions"].items()}
    assert {i["question"].rsplit("/", 1)[-1] for i in items} == set(expected_items)
    for item in items:
        ok = expected_items[item["question"].rsplit("/", 1)[-1]]
        assert item["attempts"] == "1"
        assert item["correct"] == ("1" if ok else "0")
        assert item["success_rate"] == ("100" if ok else "0")


def test_report_html_is_accessible(ralph_lrs, new_page, axe_check, axe_report, tmp_path):
    _need_runs()
    out = tmp_path / "rapport.html"
    result = _report(ralph_lrs, "--course", RUNS[("minimal", "intro")]["course_iri"], "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "Apprenant minimal-intro" in html and "<svg" in html
    page = new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    assert requests == [out.as_uri()]  # self-contained: no other request
    violations = axe_check(page)
    assert violations == [], axe_report(violations)
