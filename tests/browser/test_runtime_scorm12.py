"""Run-time in a real SCORM 1.2 LMS (scorm-again in a Moodle-like parent page).

The module is rendered from the in-memory sample course (efop_author.render.sample), packaged
by the real SCORM 1.2 target and launched by the ``scorm12_lms`` fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from efop_author.model import Course
from efop_author.render.sample import sample_course
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
        for key in ("a", "c") if right else ("b",):
            frame.check(q + "#q-quiz-acteurs-emploi-" + key)
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
