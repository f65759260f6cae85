"""Build ``Course`` and ``Site`` values directly (no loader, no renderer) for package tests."""

from __future__ import annotations

from pathlib import Path

from efop_author.diagnostics import SourceLocation
from efop_author.model import (
    Accessibility,
    Choice,
    Course,
    MatchPair,
    Module,
    OrderItem,
    Page,
    Question,
    Quiz,
)
from efop_author.render import RenderedModule, Site

LOC = SourceLocation("test.md", 1)


def questions() -> tuple[Question, ...]:
    """One question of every type."""
    return (
        Question(
            id="nombre-qpv", type="single", prompt_html="Combien de <strong>QPV</strong> ?",
            prompt_text="Combien de QPV ?", loc=LOC,
            choices=(
                Choice(key="a", html="199", correct=False),
                Choice(key="b", html="204", correct=True),
            ),
        ),
        Question(
            id="multi", type="multiple", prompt_html="Lesquels ?", prompt_text="Lesquels ?",
            loc=LOC,
            choices=(
                Choice(key="a", html="A &amp; B", correct=True),
                Choice(key="b", html="C", correct=False),
                Choice(key="c", html="<em>D</em>", correct=True),
            ),
        ),
        Question(
            id="vrai-faux", type="true-false", prompt_html="Vrai ?", prompt_text="Vrai ?",
            loc=LOC,
            choices=(
                Choice(key="a", html="Vrai", correct=False),
                Choice(key="b", html="Faux", correct=True),
            ),
        ),
        Question(
            id="acteurs", type="matching", prompt_html="Associez.", prompt_text="Associez.",
            loc=LOC,
            pairs=(
                MatchPair(source_key="1", source_html="France Travail", target_key="a",
                          target_html="Inscription"),
                MatchPair(source_key="2", source_html="Mission locale", target_key="b",
                          target_html="16-25 ans"),
            ),
            distractors=(
                MatchPair(source_key="", source_html="", target_key="c",
                          target_html="Diplômes"),
            ),
        ),
        Question(
            id="etapes", type="ordering", prompt_html="Ordre.", prompt_text="Ordre.", loc=LOC,
            items=(OrderItem(key="a", html="Premier"), OrderItem(key="b", html="Deuxième"),
                   OrderItem(key="c", html="Troisième")),
        ),
        Question(
            id="sigle", type="fill-in", prompt_html="QPV ?", prompt_text="QPV ?", loc=LOC,
            accepted=("prioritaire de la politique de la ville", "prioritaire"),
        ),
    )


def make_module(
    mid: str,
    title: str = "Module",
    *,
    mastery: int | None = 80,
    quiz: bool = True,
    description: str = "",
) -> Module:
    pages = [
        Page(id="introduction", title="Introduction", kind="content", html="<p>x</p>",
             headings=(), loc=LOC),
    ]
    if quiz:
        pages.append(
            Page(id="quiz", title="Quiz", kind="quiz", html="", headings=(), loc=LOC,
                 quiz=Quiz(pass_score=None, attempts=None, shuffle=False,
                           questions=questions(), loc=LOC))
        )
    return Module(
        id=mid, title=title, folder=f"01-{mid}", description=description, objectives=(),
        duration_minutes=10, mastery_score=mastery, pages=tuple(pages), assets=(), loc=LOC,
    )


def make_course(
    cid: str = "efop-test",
    title: str = "Cours de test",
    modules: tuple[Module, ...] | None = None,
    *,
    iri: str = "https://efop.example/courses/efop-test",
    language: str = "fr",
) -> Course:
    if modules is None:
        modules = (make_module("m-un", "Premier module"),
                   make_module("m-deux", "Deuxième module", mastery=None, quiz=False))
    return Course(
        id=cid, title=title, language=language, version="1.0.0", publisher="Éditeur",
        iri=iri, description="Un cours.", mastery_score=None, targets=("scorm12",),
        theme="default", allow_raw_html=False, suppress_warnings=(), modules=modules,
        glossary=(), accessibility=Accessibility(), root=Path("/nonexistent"), loc=LOC,
    )


def make_site(course: Course, target: str = "scorm12", *, home: bool = True) -> Site:
    shared = {
        "course.css": b"body{}\n",
        "runtime.js": b"/* runtime */\n",
        "lms.js": f"/* {target} */\n".encode(),
        "fonts/icons.woff2": b"wOF2fake",
    }
    modules = tuple(
        RenderedModule(
            module=m,
            files={
                "index.html": f"<!doctype html><title>{m.id}</title>".encode(),
                "assets/chart.svg": b"<svg/>",
                "assets/photo.png": b"\x89PNG fake",
            },
            suspend_max=100,
        )
        for m in course.modules
    )
    return Site(course=course, target=target, shared=shared, modules=modules,
                home=b"<!doctype html><title>home</title>" if home else None)
