"""The real course in content/: built for every target with --strict, validated, and checked
against the editorial requirements of the course (objectives, pages, quizzes, glossary,
sources, facilitator sheet, suspend_data budget)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from efop_author.build import SUSPEND_LIMIT, build_course
from efop_author.load import load_course
from efop_author.render.suspend import suspend_worst_case
from efop_author.targets import TARGETS
from efop_author.validate import validate_package

CONTENT = Path(__file__).resolve().parents[1] / "content"


@pytest.fixture(scope="module")
def course():  # noqa: ANN201
    c, diags = load_course(CONTENT)
    assert c is not None
    assert [d.format() for d in diags] == []
    return c


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    out = tmp_path_factory.mktemp("content-build")
    packages: dict[str, list[Path]] = {}
    for name in sorted(TARGETS):
        result = build_course(CONTENT, targets=(name,), out=out / name, strict=True)
        assert [d.format() for d in result.diagnostics] == [], name
        packages[name] = sorted(result.written)
    return packages


def test_strict_build_every_target_zero_diagnostics(built: dict[str, list[Path]], course) -> None:  # noqa: ANN001
    for name, paths in built.items():
        expected = 1 if name == "web" else len(course.modules)
        assert len(paths) == expected, (name, paths)


def test_every_package_validates_clean(built: dict[str, list[Path]]) -> None:
    for name, paths in built.items():
        if name == "web":
            continue
        for path in paths:
            report = validate_package(path, lms="moodle")
            assert report.format == name
            assert [d.format() for d in report.diagnostics] == [], path.name


def test_six_modules_with_objectives_pages_quiz_summary_sources(course) -> None:  # noqa: ANN001
    assert len(course.modules) == 6
    for m in course.modules:
        kinds = [p.kind for p in m.pages]
        assert 3 <= len(m.objectives) <= 4, m.id
        assert 4 <= kinds.count("content") <= 7, (m.id, kinds)  # module 6 adds the facilitator sheet
        assert kinds.count("quiz") == 1 and kinds.count("summary") == 1 and kinds.count("sources") == 1, m.id
        summary = next(p for p in m.pages if p.kind == "summary")
        assert "essentiel" in summary.title.lower()
        assert m.duration_minutes is not None and 15 <= m.duration_minutes <= 20
        assert m.mastery_score is not None


def test_quizzes_mix_types_and_teach(course) -> None:  # noqa: ANN001
    for m in course.modules:
        quiz = next(p.quiz for p in m.pages if p.quiz is not None)
        assert 6 <= len(quiz.questions) <= 8, m.id
        assert len({q.type for q in quiz.questions}) >= 3, m.id
        for q in quiz.questions:
            has_feedback = q.feedback_correct_html or q.feedback_incorrect_html or any(c.feedback_html for c in q.choices)
            assert has_feedback, (m.id, q.id)


def test_sources_pages_link_their_sources(course) -> None:  # noqa: ANN001
    for m in course.modules:
        sources = next(p for p in m.pages if p.kind == "sources")
        links = re.findall(r'href="(https?://[^"]+)"', sources.html)
        assert len(links) >= 3, m.id
        assert re.search(r"20\d\d", sources.html), m.id  # dated


def test_glossary_is_complete(course) -> None:  # noqa: ANN001
    assert len(course.glossary) >= 40
    for entry in course.glossary:
        assert entry.expansion and entry.definition, entry.term


def test_worst_case_suspend_data_fits(course) -> None:  # noqa: ANN001
    for m in course.modules:
        assert suspend_worst_case(m) <= SUSPEND_LIMIT, m.id


def test_svg_visuals_have_text_alternatives(course) -> None:  # noqa: ANN001
    svgs = [a for m in course.modules for a in m.assets if a.arcname.endswith(".svg")]
    assert len(svgs) >= 2
    for asset in svgs:
        text = asset.source.read_text(encoding="utf-8")
        assert 'role="img"' in text and "<title" in text and "<desc" in text, asset.arcname


def test_module6_has_printable_facilitator_sheet(course) -> None:  # noqa: ANN001
    m6 = course.modules[-1]
    sheet = [p for p in m6.pages if "animat" in p.title.lower() or "fiche" in p.title.lower()]
    assert sheet, [p.title for p in m6.pages]
    assert "qui appeler" in " ".join(p.html.lower() for p in m6.pages)


def test_docs_explain_the_course() -> None:
    text = (CONTENT.parent / "docs" / "content.md").read_text(encoding="utf-8")
    assert "module" in text and "iri" in text.lower()
