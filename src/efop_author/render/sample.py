"""Render stage: a small in-memory demo course (every page kind and question type).

Used by the render and run-time tests (which must not depend on the loader) and handy to try a
theme. ``version=2`` is the same module after an update: one page added, one question removed,
so that resuming a version-1 state in version 2 can be tested.
"""

from __future__ import annotations

from pathlib import Path

from efop_author.diagnostics import SourceLocation
from efop_author.model import (
    Accessibility,
    Choice,
    Course,
    GlossaryEntry,
    Heading,
    MatchPair,
    Module,
    OrderItem,
    Page,
    Question,
    Quiz,
)


def _loc(path: str, line: int = 1) -> SourceLocation:
    return SourceLocation(path, line)


def sample_questions(version: int = 1) -> tuple[Question, ...]:
    q = "modules/01-demo/04-quiz.md"
    questions = [
        Question(
            id="nombre-qpv",
            type="single",
            prompt_html="<p>Combien de <strong>QPV</strong> compte la région ?</p>",
            prompt_text="Combien de QPV compte la région ?",
            loc=_loc(q, 7),
            choices=(
                Choice(key="a", html="199", correct=False, feedback_html="<p>C'était le nombre avant 2024.</p>"),
                Choice(key="b", html="204", correct=True),
                Choice(key="c", html="1 514", correct=False),
            ),
            feedback_correct_html="<p>Exact : 204 quartiers.</p>",
            feedback_incorrect_html="<p>Non : la région compte 204 quartiers.</p>",
        ),
        Question(
            id="acteurs-emploi",
            type="multiple",
            prompt_html="<p>Quels acteurs accompagnent vers l'emploi ?</p>",
            prompt_text="Quels acteurs accompagnent vers l'emploi ?",
            loc=_loc(q, 16),
            choices=(
                Choice(key="a", html="France Travail", correct=True),
                Choice(key="b", html="La préfecture", correct=False),
                Choice(key="c", html="La mission locale", correct=True),
                Choice(key="d", html="L'INSEE", correct=False),
            ),
        ),
        Question(
            id="region-premiere",
            type="true-false",
            prompt_html="<p>La région est la première de France par le nombre de QPV.</p>",
            prompt_text="La région est la première de France par le nombre de QPV.",
            loc=_loc(q, 24),
            choices=(Choice(key="a", html="Vrai", correct=False), Choice(key="b", html="Faux", correct=True)),
        ),
        Question(
            id="missions",
            type="matching",
            prompt_html="<p>Associez chaque acteur à sa mission.</p>",
            prompt_text="Associez chaque acteur à sa mission.",
            loc=_loc(q, 28),
            pairs=(
                MatchPair(source_key="1", source_html="France Travail", target_key="a", target_html="Inscription des demandeurs d'emploi"),
                MatchPair(source_key="2", source_html="Mission locale", target_key="b", target_html="Accompagnement des 16-25 ans"),
            ),
            distractors=(MatchPair(source_key="", source_html="", target_key="c", target_html="Délivrance des diplômes"),),
        ),
        Question(
            id="etapes",
            type="ordering",
            prompt_html="<p>Remettez les étapes dans l'ordre.</p>",
            prompt_text="Remettez les étapes dans l'ordre.",
            loc=_loc(q, 38),
            items=(
                OrderItem(key="a", html="Diagnostic"),
                OrderItem(key="b", html="Contrat de ville"),
                OrderItem(key="c", html="Évaluation"),
            ),
        ),
        Question(
            id="sigle",
            type="fill-in",
            prompt_html="<p>Que signifie le sigle QPV ? (Quartier …)</p>",
            prompt_text="Que signifie le sigle QPV ? (Quartier …)",
            loc=_loc(q, 42),
            accepted=("prioritaire de la politique de la ville", "prioritaire"),
        ),
    ]
    if version >= 2:
        questions = [x for x in questions if x.id != "acteurs-emploi"]
    return tuple(questions)


def sample_module(version: int = 1, mastery_score: int | None = 80, quiz_attempts: int | None = 3) -> Module:
    base = "modules/01-demo"
    pages = [
        Page(
            id="introduction",
            title="Introduction",
            kind="content",
            html=(
                '<h2 id="contexte">Contexte</h2>\n<p>Les <abbr title="Quartiers prioritaires de la politique '
                'de la ville">QPV</abbr> &amp; leurs habitants : « 5,4 millions » de personnes.</p>'
            ),
            headings=(Heading(level=2, text="Contexte", anchor="contexte"),),
            loc=_loc(f"{base}/01-introduction.md"),
        ),
        Page(
            id="chiffres",
            title="Les chiffres clés",
            kind="content",
            html=(
                '<p>Voir la <a href="#page-introduction">page d\'introduction</a>.</p>\n'
                '<div class="efop-table-wrap"><table><caption>QPV par département</caption>'
                "<thead><tr>" + "".join(f"<th>Département numéro {i}</th>" for i in range(8)) + "</tr></thead>"
                "<tbody><tr>" + "".join(f"<td>{i * 7} quartiers prioritaires</td>" for i in range(8)) + "</tr></tbody>"
                "</table></div>\n"
                '<div class="efop-callout efop-callout--warning" role="note"><p>Chiffres provisoires.</p></div>'
            ),
            headings=(),
            loc=_loc(f"{base}/02-chiffres.md"),
        ),
    ]
    if version >= 2:
        pages.append(
            Page(
                id="nouveautes",
                title="Les nouveautés 2025",
                kind="content",
                html="<p>Une page ajoutée dans la version 2.</p>",
                headings=(),
                loc=_loc(f"{base}/03-nouveautes.md"),
            )
        )
    pages += [
        Page(
            id="quiz",
            title="Testez vos connaissances",
            kind="quiz",
            html="<p>Répondez aux questions suivantes.</p>",
            headings=(),
            loc=_loc(f"{base}/04-quiz.md"),
            quiz=Quiz(
                pass_score=None,
                attempts=quiz_attempts,
                shuffle=True,
                questions=sample_questions(version),
                loc=_loc(f"{base}/04-quiz.md", 5),
            ),
        ),
        Page(
            id="essentiel",
            title="L'essentiel",
            kind="summary",
            html="<ul><li>204 QPV dans la région.</li></ul>",
            headings=(),
            loc=_loc(f"{base}/05-essentiel.md"),
        ),
        Page(
            id="sources",
            title="Sources",
            kind="sources",
            html="<ul><li>ANCT, 2024.</li></ul>",
            headings=(),
            loc=_loc(f"{base}/06-sources.md"),
        ),
    ]
    return Module(
        id="qpv-chiffres",
        title="Les QPV en chiffres",
        folder="01-demo",
        description="Un module de démonstration.",
        objectives=("Connaître le nombre de <strong>QPV</strong>",),
        duration_minutes=10,
        mastery_score=mastery_score,
        pages=tuple(pages),
        assets=(),
        loc=_loc(f"{base}/module.yml"),
    )


def sample_content_module() -> Module:
    """A module without quiz nor mastery score (completion by pages seen)."""
    base = "modules/02-lecture"
    pages = tuple(
        Page(
            id=pid,
            title=title,
            kind=kind,  # type: ignore[arg-type]
            html=f"<p>{title}.</p>",
            headings=(),
            loc=_loc(f"{base}/{i:02d}-{pid}.md"),
        )
        for i, (pid, title, kind) in enumerate(
            [("accueil", "Accueil", "content"), ("definitions", "Définitions", "content"), ("essentiel", "L'essentiel", "summary")],
            start=1,
        )
    )
    return Module(
        id="lecture",
        title="Lecture seule",
        folder="02-lecture",
        description="",
        objectives=(),
        duration_minutes=None,
        mastery_score=None,
        pages=pages,
        assets=(),
        loc=_loc(f"{base}/module.yml"),
    )


def sample_course(
    version: int = 1,
    root: Path | None = None,
    language: str = "fr",
    modules: tuple[Module, ...] | None = None,
    theme: str = "default",
    mastery_score: int | None = 80,
) -> Course:
    return Course(
        id="efop-demo",
        title="Démo « QPV » & politique de la ville",
        language=language,
        version=f"{version}.0.0",
        publisher="EFOP",
        iri="https://formation.example.org/efop-demo",
        description="Un cours de démonstration.",
        mastery_score=mastery_score,
        targets=("scorm12",),
        theme=theme,
        allow_raw_html=False,
        suppress_warnings=(),
        modules=modules if modules is not None else (sample_module(version, mastery_score), sample_content_module()),
        glossary=(
            GlossaryEntry(term="QPV", expansion="Quartier prioritaire de la politique de la ville", definition=None, loc=_loc("glossary.yml", 1)),
            GlossaryEntry(
                term="EPCI",
                expansion="Établissement public de coopération intercommunale",
                definition="Regroupement de communes.",
                loc=_loc("glossary.yml", 2),
            ),
        ),
        accessibility=Accessibility(status="partiellement conforme", contact="accessibilite@example.org", audit_date=None),
        root=root or Path("/nonexistent-efop-demo"),
        loc=_loc("course.yml"),
    )
