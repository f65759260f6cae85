"""Run-time in a real SCORM 1.2 LMS (scorm-again in a Moodle-like parent page).

The module is rendered from the in-memory sample course (efop_author.render.sample), packaged
by the real SCORM 1.2 target and launched by the ``scorm12_lms`` fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from efop_author.model import Course
from efop_author.render.sample import sample_course, sample_module
from efop_author.render.site import render_site
from efop_author.render.suspend import suspend_worst_case
from efop_author.targets import get_target

TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
TIME = re.compile(r"^([0-2]\d):([0-5]\d):([0-5]\d)$")


def package_dir(course: Course, dest: Path, module: int = 0) -> Path:
    """Render + package ``course`` with the real scorm12 target; the module's package as a folder."""
    site, diags = render_site(course, "scorm12", "scorm12.js")
    assert not diags.errors, [d.format() for d in diags]
    pkg = get_target("scorm12").package(course, site)[module]
    for f in pkg.files:
        path = dest / f.arcname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f.data)
    return dest


def next_button(frame):  # noqa: ANN001, ANN201
    return frame.locator('[data-efop-action="next"]')


def current_page(frame) -> str:  # noqa: ANN001
    return frame.evaluate(
        "() => document.querySelector('section.efop-page:not([hidden])').getAttribute('data-page-id')"
    )


def walk(frame) -> list[str]:  # noqa: ANN001
    seen = [current_page(frame)]
    while next_button(frame).is_enabled():
        next_button(frame).click()
        seen.append(current_page(frame))
    return seen


def answer_all(frame, right: bool = True) -> None:  # noqa: ANN001
    """Answer every question of the sample quiz (right or wrong) through the UI."""
    q = "#page-quiz "
    frame.check(q + '#q-quiz-nombre-qpv-' + ("b" if right else "a"))
    if frame.locator(q + "#q-quiz-acteurs-emploi").count():
        for key in "abcd":
            frame.set_checked(q + "#q-quiz-acteurs-emploi-" + key, key in ("ac" if right else "b"))
    frame.check(q + "#q-quiz-region-premiere-" + ("b" if right else "a"))
    frame.select_option(q + "#q-quiz-missions-1", "a" if right else "b")
    frame.select_option(q + "#q-quiz-missions-2", "b" if right else "a")
    # ordering: move "Diagnostic" (a) to the top, then "Contrat de ville" (b) second
    target = ["a", "b", "c"] if right else ["c", "b", "a"]
    for pos, key in enumerate(target):
        while True:
            order = frame.eval_on_selector_all(q + "#q-quiz-etapes li[data-item]", "els => els.map(e => e.dataset.item)")
            if order.index(key) == pos:
                break
            frame.click(q + f'#q-quiz-etapes li[data-item="{key}"] button[data-move="up"]')
    frame.fill(q + "#q-quiz-sigle-input", "Prioritaire de la Politique de la Ville" if right else "quartier")


def test_walk_every_page_completes(scorm12_lms, tmp_path: Path) -> None:
    course = sample_course(mastery_score=None)
    lms = scorm12_lms(package_dir(course, tmp_path / "pkg"))
    frame = lms.frame
    frame.wait_for_selector('[data-efop-pager]:not([hidden])')
    pages = walk(frame)
    assert pages == ["introduction", "chiffres", "quiz", "essentiel", "sources"]
    assert lms.value("cmi.core.lesson_status") == "completed"
    assert lms.value("cmi.core.lesson_location") == "sources"
    assert lms.value("cmi.suspend_data").startswith("1|introduction,chiffres,quiz,essentiel,sources|")
    assert not lms.calls_named("LMSFinish")
    lms.unload_sco()
    assert len(lms.calls_named("LMSInitialize")) == 1
    assert len(lms.calls_named("LMSFinish")) == 1
    assert lms.errors() == []
    sets = lms.set_values()
    assert TIMESPAN.match(sets["cmi.core.session_time"])
    assert sets["cmi.core.exit"] == ""
    statuses = [c["args"][1] for c in lms.calls_named("LMSSetValue") if c["args"][0] == "cmi.core.lesson_status"]
    assert statuses[0] == "incomplete" and statuses[-1] == "completed"
    assert lms.page_errors() == []


def test_quit_button_finishes_once(scorm12_lms, tmp_path: Path) -> None:
    lms = scorm12_lms(package_dir(sample_course(), tmp_path / "pkg"))
    frame = lms.frame
    next_button(frame).click()
    frame.click('[data-efop-action="exit"]')
    assert len(lms.calls_named("LMSFinish")) == 1
    assert lms.set_values()["cmi.core.exit"] == "suspend"
    assert "Votre session est terminée" in frame.inner_text("[data-efop-notice]")
    assert frame.locator("[data-efop-pager]").is_hidden()
    lms.unload_sco()
    assert len(lms.calls_named("LMSFinish")) == 1
    assert lms.errors() == []


def test_resume_reopens_bookmark_with_answers(scorm12_lms, tmp_path: Path) -> None:
    pkg = package_dir(sample_course(), tmp_path / "pkg")
    first = scorm12_lms(pkg)
    frame = first.frame
    next_button(frame).click()
    next_button(frame).click()
    answer_all(frame, right=True)
    frame.fill("#q-quiz-sigle-input", "prioritaire: 100%, oui; |=")
    frame.press("#q-quiz-sigle-input", "Tab")
    first.unload_sco()
    assert first.errors() == []
    saved = first.saved_cmi()
    assert saved["cmi"]["core"]["lesson_location"] == "quiz"

    second = scorm12_lms(pkg, cmi=saved)
    frame = second.frame
    assert current_page(frame) == "introduction"
    frame.get_by_role("button", name="Reprendre là où vous vous étiez arrêté").click()
    assert current_page(frame) == "quiz"
    assert frame.is_checked("#q-quiz-nombre-qpv-b")
    assert frame.is_checked("#q-quiz-acteurs-emploi-a") and frame.is_checked("#q-quiz-acteurs-emploi-c")
    assert frame.is_checked("#q-quiz-region-premiere-b")
    assert frame.input_value("#q-quiz-missions-1") == "a"
    assert frame.input_value("#q-quiz-missions-2") == "b"
    order = frame.eval_on_selector_all("#q-quiz-etapes li[data-item]", "els => els.map(e => e.dataset.item)")
    assert order == ["a", "b", "c"]
    assert frame.input_value("#q-quiz-sigle-input") == "prioritaire: 100%, oui; |="
    assert second.calls_named("LMSInitialize") and second.errors() == []


def interactions(lms) -> list[dict[str, str]]:  # noqa: ANN001
    """Interaction records as the SCO set them (all interaction fields are write-only)."""
    records: dict[int, dict[str, str]] = {}
    for c in lms.calls_named("LMSSetValue"):
        m = re.match(r"^cmi\.interactions\.(\d+)\.(.+)$", c["args"][0])
        if m and c["ret"] == "true":
            records.setdefault(int(m.group(1)), {})[m.group(2)] = c["args"][1]
    return [records[i] for i in sorted(records)]


def submit_quiz(frame) -> None:  # noqa: ANN001
    frame.click('#page-quiz [data-efop-submit]')


def goto_quiz(frame) -> None:  # noqa: ANN001
    frame.click(".efop-toc summary")  # the table of contents is a <details>
    frame.click('.efop-toc a[href="#page-quiz"]')
    assert current_page(frame) == "quiz"


def test_every_question_type_right_passes(scorm12_lms, tmp_path: Path) -> None:
    lms = scorm12_lms(package_dir(sample_course(), tmp_path / "pkg"))
    frame = lms.frame
    goto_quiz(frame)
    answer_all(frame, right=True)
    submit_quiz(frame)
    assert lms.value("cmi.core.lesson_status") == "passed"
    assert lms.value("cmi.core.score.raw") == "100"
    assert lms.value("cmi.core.score.min") == "0" and lms.value("cmi.core.score.max") == "100"
    records = interactions(lms)
    assert [r["id"] for r in records] == [
        "quiz.nombre-qpv", "quiz.acteurs-emploi", "quiz.region-premiere", "quiz.missions", "quiz.etapes", "quiz.sigle",
    ]
    by_id = {r["id"]: r for r in records}
    expected = {
        "quiz.nombre-qpv": ("choice", "b", "b"),
        "quiz.acteurs-emploi": ("choice", "a,c", "a,c"),
        "quiz.region-premiere": ("true-false", "f", "f"),
        "quiz.missions": ("matching", "1.a,2.b", "1.a,2.b"),
        "quiz.etapes": ("sequencing", "a,b,c", "a,b,c"),
        "quiz.sigle": ("fill-in", "Prioritaire de la Politique de la Ville", "prioritaire de la politique de la ville"),
    }
    for ident, (kind, response, pattern) in expected.items():
        r = by_id[ident]
        assert (r["type"], r["student_response"], r["correct_responses.0.pattern"]) == (kind, response, pattern), r
        assert r["result"] == "correct"
        assert TIME.match(r["time"]) and TIMESPAN.match(r["latency"]), r
        assert list(r)[0] == "id", "the id is set first"
    # UI: feedback as text, not colour alone; result announced
    verdicts = frame.eval_on_selector_all("#page-quiz [data-efop-verdict]", "els => els.map(e => e.textContent)")
    assert verdicts == ["✓ Bonne réponse"] * 6
    assert "Votre score : 100 %" in frame.inner_text("#page-quiz [data-efop-result]")
    assert frame.is_visible('#page-quiz [data-fb="correct"]')
    assert frame.is_hidden("#page-quiz [data-efop-retry]")
    lms.unload_sco()
    assert lms.errors() == []
    assert len(lms.calls_named("LMSFinish")) == 1
    assert lms.set_values()["cmi.core.exit"] == ""


def test_wrong_answers_fail_with_the_right_score(scorm12_lms, tmp_path: Path) -> None:
    lms = scorm12_lms(package_dir(sample_course(), tmp_path / "pkg"))
    frame = lms.frame
    goto_quiz(frame)
    answer_all(frame, right=False)
    # one right answer out of six: 17 %
    frame.fill("#page-quiz #q-quiz-sigle-input", "prioritaire")
    submit_quiz(frame)
    assert lms.value("cmi.core.lesson_status") == "failed"
    assert lms.value("cmi.core.score.raw") == "17"
    results = {r["id"]: r["result"] for r in interactions(lms)}
    assert list(results.values()).count("correct") == 1 and results["quiz.sigle"] == "correct"
    assert set(results.values()) == {"correct", "wrong"}
    by_id = {r["id"]: r for r in interactions(lms)}
    assert by_id["quiz.nombre-qpv"]["student_response"] == "a"
    assert by_id["quiz.region-premiere"]["student_response"] == "t"
    assert by_id["quiz.missions"]["student_response"] == "1.b,2.a"
    assert by_id["quiz.etapes"]["student_response"] == "c,b,a"
    text = frame.inner_text("#page-quiz [data-efop-result]")
    assert "Votre score : 17 %" in text and "Quiz non réussi" in text and "Essais restants : 2" in text
    assert frame.is_visible('#page-quiz [data-fb-choice="a"]'), "per-choice feedback of the chosen option"
    assert frame.is_visible('#page-quiz [data-fb="incorrect"]')
    # retry: a second submission, all right → passed, score 100, new interaction records
    frame.click("#page-quiz [data-efop-retry]")
    answer_all(frame, right=True)
    submit_quiz(frame)
    assert lms.value("cmi.core.lesson_status") == "passed"
    assert lms.value("cmi.core.score.raw") == "100"
    assert len(interactions(lms)) == 12
    assert lms.errors() == []


def test_commit_failure_is_retried_and_notified(scorm12_lms, tmp_path: Path) -> None:
    lms = scorm12_lms(package_dir(sample_course(), tmp_path / "pkg"), fail_commit_once=True)
    frame = lms.frame
    commits = lms.calls_named("LMSCommit")
    assert [c["ret"] for c in commits] == ["false", "true"], commits
    assert lms.failed_commits == 1
    notice = frame.inner_text("[data-efop-notice]")
    assert "enregistrées" in notice
    # nothing lost: the server received the state of the retried commit
    payload = lms.commits()[-1]
    assert "incomplete" in str(payload)
    next_button(frame).click()
    assert lms.value("cmi.core.lesson_location") == "chiffres"
    assert lms.calls_named("LMSCommit")[-1]["ret"] == "true"
    assert "chiffres" in str(lms.commits()[-1])
    lms.unload_sco()
    assert len(lms.calls_named("LMSFinish")) == 1


def test_state_migrates_to_a_new_version(scorm12_lms, tmp_path: Path) -> None:
    v1 = package_dir(sample_course(version=1), tmp_path / "v1")
    first = scorm12_lms(v1)
    frame = first.frame
    walk(frame)
    goto_quiz(frame)
    answer_all(frame, right=True)
    submit_quiz(frame)
    assert first.value("cmi.core.lesson_status") == "passed"
    first.unload_sco()
    saved = first.saved_cmi()

    # version 2: page "nouveautes" added, question "acteurs-emploi" removed
    v2 = package_dir(sample_course(version=2), tmp_path / "v2")
    second = scorm12_lms(v2, cmi=saved)
    frame = second.frame
    frame.get_by_role("button", name="Reprendre là où vous vous étiez arrêté").click()
    assert current_page(frame) == "quiz"
    # answers of the questions that still exist are restored
    assert frame.is_checked("#q-quiz-nombre-qpv-b")
    assert frame.input_value("#q-quiz-missions-1") == "a"
    assert frame.input_value("#q-quiz-sigle-input") == "Prioritaire de la Politique de la Ville"
    # the quiz changed: its old result is not reused (never a wrong score) and it can be taken again
    assert frame.is_visible("#page-quiz [data-efop-submit]")
    assert frame.inner_text("#page-quiz [data-efop-result]") == ""
    visited = frame.eval_on_selector_all("a.efop-seen", "els => els.map(e => e.dataset.tocPage)")
    assert "nouveautes" not in visited and {"introduction", "chiffres", "essentiel", "sources"} <= set(visited)
    # resubmitting gives the score of the new version
    submit_quiz(frame)
    assert second.value("cmi.core.score.raw") == "100"
    assert second.value("cmi.core.lesson_status") == "passed"
    assert [r["id"] for r in interactions(second)] == [
        "quiz.nombre-qpv", "quiz.region-premiere", "quiz.missions", "quiz.etapes", "quiz.sigle",
    ]
    assert second.errors() == [] and second.page_errors() == []


def test_worst_case_state_matches_python(scorm12_lms, tmp_path: Path) -> None:
    """The longest state runtime.js can write equals suspend_worst_case()."""
    course = sample_course(modules=(sample_module(mastery_score=10, quiz_attempts=None),))
    lms = scorm12_lms(package_dir(course, tmp_path / "pkg"))
    frame = lms.frame
    walk(frame)
    goto_quiz(frame)
    answer_all(frame, right=False)
    for key in ("a", "b", "c", "d"):
        frame.check("#q-quiz-acteurs-emploi-" + key)
    frame.fill("#q-quiz-sigle-input", "%|;:,=" * 30)
    for _ in range(12):  # the counter is capped at 99 in the state; 12 submissions is enough to prove tries
        if not frame.locator("#page-quiz [data-efop-submit]").is_visible():
            frame.click("#page-quiz [data-efop-retry]")
        submit_quiz(frame)
    frame.wait_for_timeout(50)
    state = lms.value("cmi.suspend_data")
    worst = suspend_worst_case(course.modules[0])
    # only the counter (12, not 99) and the score (e.g. 17, not 100) are shorter than the worst case
    score = lms.value("cmi.core.score.raw")
    assert len(state) == worst - (2 - len("12")) - (3 - len(score)), state
    assert len(state) <= 4096


@pytest.mark.parametrize("entry_state", ["", "garbage|x", "2|future|format", "1|introduction,nope|quiz:zzzz:1:50:nombre-qpv=z"])
def test_unknown_or_broken_state_never_crashes(scorm12_lms, tmp_path: Path, entry_state: str) -> None:
    pkg = package_dir(sample_course(), tmp_path / "pkg")
    cmi = {"cmi": {"core": {"lesson_location": "nope", "lesson_status": "incomplete"}, "suspend_data": entry_state}}
    lms = scorm12_lms(pkg, cmi=cmi)
    frame = lms.frame
    assert current_page(frame) == "introduction"
    assert frame.inner_text("#page-quiz [data-efop-result]") == ""
    walk(frame)
    assert lms.page_errors() == [] and lms.errors() == []


def test_unanswered_quiz_scores_zero_without_api_errors(scorm12_lms, tmp_path: Path) -> None:
    lms = scorm12_lms(package_dir(sample_course(), tmp_path / "pkg"))
    frame = lms.frame
    goto_quiz(frame)
    submit_quiz(frame)
    assert lms.value("cmi.core.score.raw") == "0"
    assert lms.value("cmi.core.lesson_status") == "failed"
    records = interactions(lms)
    assert len(records) == 6 and {r["result"] for r in records} == {"wrong"}
    # an ordering question always has an answer: the order shown (never the correct one)
    assert {r["student_response"] for r in records if r["type"] != "sequencing"} == {""}
    verdicts = frame.eval_on_selector_all("#page-quiz [data-efop-verdict]", "els => els.map(e => e.textContent)")
    assert all(v.startswith("✗ Mauvaise réponse") for v in verdicts)
    assert sum("pas répondu" in v for v in verdicts) == 5
    assert lms.errors() == [] and lms.page_errors() == []
