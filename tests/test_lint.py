"""Build-time lints (``a11y.*``, ``fr.*``): each rule has a positive and a negative case, with
its ``file:line``; plus the build hook and the suppression of warnings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from efop_author.diagnostics import Severity
from efop_author.lint import RULES, lint_course
from efop_author.load import load_course

NNBSP = "\u202f"
NBSP = "\u00a0"
PAGE = "modules/01-m/01-page.md"
QUIZ = "modules/01-m/02-quiz.md"


def make_course(
    tmp_path: Path,
    body: str = "Texte.\n",
    *,
    quiz: str | None = None,
    glossary: str | None = None,
    course_extra: str = "",
    title: str = "Une page",
) -> Path:
    """A one-module course in ``tmp_path/c``: page ``01-page.md`` (front matter on lines
    1-4, so the body starts on line 5) and optionally a quiz page ``02-quiz.md``."""
    root = tmp_path / "c"
    (root / "modules" / "01-m").mkdir(parents=True)
    (root / "course.yml").write_text(
        "id: cours\ntitle: Cours\nlanguage: fr\nversion: '1.0'\npublisher: Test\n"
        "iri: https://example.org/xapi/cours\n" + course_extra,
        encoding="utf-8",
    )
    (root / "modules" / "01-m" / "module.yml").write_text("id: m\ntitle: Module\n", encoding="utf-8")
    (root / PAGE).write_text(f"---\nid: page\ntitle: {title}\n---\n" + textwrap.dedent(body), encoding="utf-8")
    if quiz is not None:
        (root / QUIZ).write_text(textwrap.dedent(quiz), encoding="utf-8")
    if glossary is not None:
        (root / "glossary.yml").write_text(textwrap.dedent(glossary), encoding="utf-8")
    return root


def lint(root: Path) -> list:
    course, diags = load_course(root)
    assert course is not None, [d.format() for d in diags]
    assert not diags.errors, [d.format() for d in diags.errors]
    return lint_course(course)


def found(diags: list, code: str) -> list[tuple[str, int]]:
    return [(d.loc.path, d.loc.line) for d in diags if d.code == code]


# ---------------------------------------------------------------------------------------------
# a11y


def test_empty_link(tmp_path: Path) -> None:
    root = make_course(tmp_path, "Un paragraphe.\n\nVoir [](https://www.insee.fr/) et\n[l'Insee](https://www.insee.fr/).\n")
    diags = lint(root)
    assert found(diags, "a11y.empty-link") == [(PAGE, 7)]
    d = next(d for d in diags if d.code == "a11y.empty-link")
    assert d.severity is Severity.ERROR
    assert "insee.fr" in d.message


def test_empty_link_negative(tmp_path: Path) -> None:
    # an external link carries a screen-reader-only « (nouvelle fenêtre) » span: not a text
    root = make_course(tmp_path, "Voir [le site de l'Insee](https://www.insee.fr/).\n")
    assert found(lint(root), "a11y.empty-link") == []


def test_heading_jump(tmp_path: Path) -> None:
    body = "## Partie\n\nTexte.\n\n#### Détail\n\nTexte.\n"
    diags = lint(make_course(tmp_path, body))
    assert found(diags, "a11y.heading-jump") == [(PAGE, 9)]
    d = next(d for d in diags if d.code == "a11y.heading-jump")
    assert "« ### »" in d.message and d.severity is Severity.WARNING


def test_heading_jump_first_heading_after_page_title(tmp_path: Path) -> None:
    # the page title is the section's h1: a body starting at ### skips h2
    diags = lint(make_course(tmp_path, "Intro.\n\n### Trop bas\n"))
    assert found(diags, "a11y.heading-jump") == [(PAGE, 7)]


def test_heading_jump_negative(tmp_path: Path) -> None:
    body = "## Partie\n\n### Sous-partie\n\n## Autre partie\n\n### Encore\n"
    assert found(lint(make_course(tmp_path, body)), "a11y.heading-jump") == []


def test_table_without_header(tmp_path: Path) -> None:
    body = (
        "Texte.\n\n| Indicateur | QPV |\n|---|---|\n| Chômage | 14 % |\n\n"
        "Un tableau sans en-tête :\n\n|  |  |\n|---|---|\n| Chômage | 14 % |\n"
    )
    diags = lint(make_course(tmp_path, body))
    assert found(diags, "a11y.table-no-header") == [(PAGE, 13)]


def test_table_with_header_negative(tmp_path: Path) -> None:
    body = "| Indicateur | QPV |\n|:---|---:|\n| Chômage | 14 % |\n"
    assert found(lint(make_course(tmp_path, body)), "a11y.table-no-header") == []


def test_raw_html_table_without_th(tmp_path: Path) -> None:
    body = "Texte.\n\n<table>\n<tr><td>a</td><td>b</td></tr>\n</table>\n"
    root = make_course(tmp_path, body, course_extra="allow_raw_html: true\n")
    assert found(lint(root), "a11y.table-no-header") == [(PAGE, 7)]


@pytest.mark.parametrize("text", ["cliquez ici", "ici", "lien", "Cliquez ici !"])
def test_vague_link_text(tmp_path: Path, text: str) -> None:
    body = f"Premier paragraphe.\n\nPour le rapport, [{text}](https://www.insee.fr/).\n"
    diags = lint(make_course(tmp_path, body))
    assert found(diags, "a11y.link-text") == [(PAGE, 7)]


def test_vague_link_text_negative(tmp_path: Path) -> None:
    # « ici » inside a longer, explicit text is fine; so is « Voici » outside links
    body = "Voici [le rapport de l'Insee publié ici en 2024](https://www.insee.fr/).\n"
    assert found(lint(make_course(tmp_path, body)), "a11y.link-text") == []


QUIZ_COLOUR = """\
---
id: quiz
title: Quiz
type: quiz
questions:
  - id: q1
    type: single
    prompt: Combien{nnbsp}?
    choices:
      - text: "199"
        feedback: "Non{nnbsp}: {bad}"
      - text: "204"
        correct: true
    feedback:
      correct: Exact{nnbsp}!
      incorrect: Relisez la page précédente.
---
"""


def test_colour_only_feedback(tmp_path: Path) -> None:
    quiz = QUIZ_COLOUR.format(nnbsp=NNBSP, bad="la bonne réponse est affichée en vert.")
    diags = lint(make_course(tmp_path, quiz=quiz))
    assert found(diags, "a11y.colour-only") == [(QUIZ, 11)]
    assert "en vert" in next(d for d in diags if d.code == "a11y.colour-only").message


def test_colour_only_feedback_negative(tmp_path: Path) -> None:
    quiz = QUIZ_COLOUR.format(nnbsp=NNBSP, bad="la bonne réponse est « 204 » (en 2024, après révision).")
    quiz = quiz.replace("« 204 »", f"«{NNBSP}204{NNBSP}»")
    assert found(lint(make_course(tmp_path, quiz=quiz)), "a11y.colour-only") == []


def test_video_without_captions(tmp_path: Path) -> None:
    body = (
        "Texte.\n\n<video controls src=\"film.mp4\"></video>\n\n"
        "<video controls src=\"film2.mp4\"><track kind=\"captions\" src=\"film2.vtt\" srclang=\"fr\"></video>\n"
    )
    root = make_course(tmp_path, body, course_extra="allow_raw_html: true\n")
    diags = lint(root)
    assert found(diags, "a11y.media-captions") == [(PAGE, 7)]
    assert next(d for d in diags if d.code == "a11y.media-captions").severity is Severity.ERROR


def test_audio_without_transcript_and_media_link(tmp_path: Path) -> None:
    body = "Texte.\n\n<audio controls src=\"x.mp3\"></audio>\n\nÉcoutez [l'entretien](assets/entretien.mp3).\n"
    root = make_course(tmp_path, body, course_extra="allow_raw_html: true\n")
    (root / "modules" / "01-m" / "assets").mkdir()
    (root / "modules" / "01-m" / "assets" / "entretien.mp3").write_bytes(b"ID3")
    assert found(lint(root), "a11y.media-captions") == [(PAGE, 7), (PAGE, 9)]


def test_media_with_transcript_negative(tmp_path: Path) -> None:
    body = (
        "<video controls src=\"film.mp4\"></video>\n\n"
        "<audio controls src=\"x.mp3\"></audio>\n\n"
        "::: info Transcription\nBonjour et bienvenue.\n:::\n"
    )
    root = make_course(tmp_path, body, course_extra="allow_raw_html: true\n")
    assert found(lint(root), "a11y.media-captions") == []


# ---------------------------------------------------------------------------------------------
# fr


def test_nbsp_before_high_punctuation(tmp_path: Path) -> None:
    body = (
        f"Tout va bien{NNBSP}: une espace fine{NNBSP}; une autre{NBSP}!\n\n"
        "Et ici, pourquoi ?\n\n"
        f"Puis une ligne correcte{NNBSP}?\n\n"
        "Sans espace du tout!\n"
    )
    diags = lint(make_course(tmp_path, body))
    assert found(diags, "fr.nbsp") == [(PAGE, 7), (PAGE, 11)]
    msgs = [d.message for d in diags if d.code == "fr.nbsp"]
    assert "espace ordinaire" in msgs[0] and "« ? »" in msgs[0]
    assert "espace manquante" in msgs[1]
    assert all(d.severity is Severity.WARNING for d in diags if d.code.startswith("fr."))


def test_nbsp_negative_cases(tmp_path: Path) -> None:
    # times, URLs, code, emoticon-like sequences and « ?! » are not prose punctuation
    body = (
        f"Rendez-vous à 14:30 sur https://www.insee.fr/fr/statistiques?x=1 ou `a ? b`.\n\n"
        f"Vraiment{NNBSP}?!\n\n"
        "```\ncode : rien ; ici !\n```\n"
    )
    assert found(lint(make_course(tmp_path, body)), "fr.nbsp") == []


def test_nbsp_in_title_and_quiz(tmp_path: Path) -> None:
    quiz = QUIZ_COLOUR.format(nnbsp=NNBSP, bad="relisez.").replace(f"Combien{NNBSP}?", "Combien ?")
    diags = lint(make_course(tmp_path, title="Pourquoi ?", quiz=quiz))
    assert found(diags, "fr.nbsp") == [(PAGE, 3), (QUIZ, 8)]


def test_nbsp_guillemets(tmp_path: Path) -> None:
    body = f"Le dispositif «{NNBSP}Quartiers 2030{NNBSP}» est récent.\n\nLe «{NBSP}bon{NBSP}» et le « mauvais ».\n"
    diags = lint(make_course(tmp_path, body))
    assert found(diags, "fr.nbsp-guillemets") == [(PAGE, 7)]
    assert len([d for d in diags if d.code == "fr.nbsp-guillemets"]) == 1  # one per line


def test_nbsp_guillemets_negative(tmp_path: Path) -> None:
    body = f"Le dispositif «{NNBSP}Quartiers 2030{NNBSP}» est récent.\n"
    assert found(lint(make_course(tmp_path, body)), "fr.nbsp-guillemets") == []


def test_straight_quotes(tmp_path: Path) -> None:
    body = "Premier paragraphe.\n\nLe dispositif \"Quartiers 2030\" est récent.\n"
    diags = lint(make_course(tmp_path, body))
    assert found(diags, "fr.straight-quotes") == [(PAGE, 7)]


def test_straight_quotes_negative(tmp_path: Path) -> None:
    # inch marks, code and YAML quoting are not prose quotes
    body = f"Un écran de 15\" et `print(\"x\")`.\n\nLe dispositif «{NNBSP}Quartiers 2030{NNBSP}».\n"
    quiz = QUIZ_COLOUR.format(nnbsp=NNBSP, bad="relisez.")
    assert found(lint(make_course(tmp_path, body, quiz=quiz)), "fr.straight-quotes") == []


def test_undefined_acronym(tmp_path: Path) -> None:
    body = "Les QPV sont suivis.\n\nLa DREETS et l'EPCI agissent. La DREETS encore.\n"
    glossary = "QPV: Quartier prioritaire de la politique de la ville\nEPCI: Établissement public de coopération intercommunale\n"
    diags = lint(make_course(tmp_path, body, glossary=glossary))
    assert found(diags, "fr.undefined-acronym") == [(PAGE, 7)]  # once per course
    assert "« DREETS »" in next(d for d in diags if d.code == "fr.undefined-acronym").message


def test_undefined_acronym_in_quiz(tmp_path: Path) -> None:
    quiz = QUIZ_COLOUR.format(nnbsp=NNBSP, bad="relisez.").replace(f"Combien{NNBSP}?", f"Combien de CEJ{NNBSP}?")
    diags = lint(make_course(tmp_path, quiz=quiz))
    assert found(diags, "fr.undefined-acronym") == [(QUIZ, 8)]


def test_undefined_acronym_negative(tmp_path: Path) -> None:
    # defined in glossary.yml, roman numerals, single capitals, code and URLs are fine
    body = "Les QPV du XXIe siècle, chapitre IV. Voir `HTTP` et https://www.insee.fr/FR/QPV.\n"
    glossary = "QPV: Quartier prioritaire de la politique de la ville\n"
    assert found(lint(make_course(tmp_path, body, glossary=glossary)), "fr.undefined-acronym") == []


def test_french_lints_skip_english_courses(tmp_path: Path) -> None:
    root = make_course(tmp_path, "Why ? Click \"here\" at the DWP.\n")
    course_yml = root / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    assert [d for d in lint(root) if d.code.startswith("fr.")] == []


# ---------------------------------------------------------------------------------------------
# plumbing


def test_suppress_warnings_by_code_and_family(tmp_path: Path) -> None:
    body = "Pourquoi ? Le \"DREETS\" [ici](https://www.insee.fr/).\n"
    root = make_course(tmp_path, body, course_extra="suppress_warnings: [fr.*, a11y.link-text]\n")
    assert lint(root) == []


def test_every_rule_has_messages_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    from efop_author.messages.lint import MESSAGES

    for code in RULES:
        assert "lint." + code in MESSAGES["fr"], code
        assert "lint." + code in MESSAGES["en"], code
    assert set(MESSAGES["fr"]) == set(MESSAGES["en"])


def test_english_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EFOP_AUTHOR_LANG", "en")
    diags = lint(make_course(tmp_path, "Pourquoi ?\n"))
    assert "ordinary (breaking) space" in next(d for d in diags if d.code == "fr.nbsp").message


def test_lint_course_none() -> None:
    assert lint_course(None) == []


def test_build_runs_the_lints(tmp_path: Path) -> None:
    from efop_author.build import build_course

    root = make_course(tmp_path, "Voir [](https://www.insee.fr/) et pourquoi ?\n")
    result = build_course(root, targets=["web"], out=tmp_path / "out", validate=False)
    codes = {d.code for d in result.diagnostics}
    assert {"a11y.empty-link", "fr.nbsp"} <= codes
    assert not result.ok  # an empty link is an error: nothing written
    assert not (tmp_path / "out" / "web").exists()


def test_test_courses_have_no_a11y_errors(repo_root: Path) -> None:
    for name in ("minimal", "need-escaped"):
        course, _ = load_course(repo_root / "tests" / "roots" / name)
        errors = [d.format() for d in lint_course(course) if d.severity is Severity.ERROR]
        assert errors == [], name
