"""Render stage: templates, context, escaping, strict undefined, theme resolution, suspend size."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from efop_author.model import Question
from efop_author.render import Site
from efop_author.render.context import make_translator
from efop_author.render.sample import sample_content_module, sample_course, sample_module
from efop_author.render.site import render_site
from efop_author.render.suspend import FILL_IN_MAX, SUSPEND_LIMIT, suspend_worst_case
from efop_author.render.theme import builtin_theme_dir


def _render(**kw: object) -> Site:
    site, diags = render_site(sample_course(**kw), "scorm12", "scorm12.js")  # type: ignore[arg-type]
    assert not diags.errors, [d.format() for d in diags]
    return site


def _doc(site: Site, index: int = 0) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(site.modules[index].files["index.html"])


def _data(doc: lxml_html.HtmlElement) -> dict[str, object]:
    (node,) = doc.xpath('//script[@id="efop-data"]')
    return json.loads(node.text)  # type: ignore[no-any-return]


def test_site_layout_and_shared_files() -> None:
    site = _render()
    assert set(site.shared) >= {"course.css", "runtime.js", "lms.js"}
    lms = builtin_theme_dir() / "static/js/lms"
    # the adapter, its include line replaced by the shared file (one file ships)
    expected = (lms / "scorm12.js").read_bytes().replace(b"  /* efop:include _scorm.js */\n",
                                                          (lms / "_scorm.js").read_bytes())
    assert expected != (lms / "scorm12.js").read_bytes()
    assert site.shared["lms.js"] == expected
    assert "_scorm.js" not in site.shared
    assert [m.module.id for m in site.modules] == ["qpv-chiffres", "lecture"]
    assert site.home is not None and b"qpv-chiffres/index.html" in site.home


def test_web_adapter_is_copied_as_lms_js() -> None:
    site, diags = render_site(sample_course(), "web", "web.js")
    assert not diags.errors
    assert site.shared["lms.js"] == (builtin_theme_dir() / "static/js/lms/web.js").read_bytes()


def test_unknown_adapter_is_a_diagnostic() -> None:
    _, diags = render_site(sample_course(), "scorm12", "nope.js")
    assert [d.code for d in diags.errors] == ["render.unknown-adapter"]


def test_document_contract() -> None:
    doc = _doc(_render())
    assert doc.get("lang") == "fr"
    assert doc.xpath("//header") and doc.xpath("//nav") and doc.xpath("//main") and doc.xpath("//footer")
    skip = doc.xpath('//a[@class="efop-skip"]')[0]
    assert skip.text == "Aller au contenu" and skip.get("href") == "#efop-main"
    scripts = [s.get("src") for s in doc.xpath("//script[@src]")]
    assert scripts == ["../efop/lms.js", "../efop/runtime.js"]
    assert all(s.get("defer") is not None for s in doc.xpath("//script[@src]"))
    assert doc.xpath('//link[@rel="stylesheet"]/@href') == ["../efop/course.css"]
    sections = doc.xpath('//section[contains(@class, "efop-page")]')
    ids = [s.get("data-page-id") for s in sections]
    assert ids == ["introduction", "chiffres", "quiz", "essentiel", "sources", "_glossary", "_accessibility"]
    for s in sections:
        h1s = s.xpath(".//h1")
        assert len(h1s) == 1
        assert s.get("aria-labelledby") == h1s[0].get("id") == f"title-{s.get('data-page-id')}"
        assert s.get("id") == f"page-{s.get('data-page-id')}"
    assert len(doc.xpath("//h1")) == len(sections)
    labels = {b.get("data-efop-action"): b.text_content().strip() for b in doc.xpath("//nav//button[@data-efop-action]")}
    assert labels == {"prev": "Précédent", "next": "Suivant", "exit": "Quitter"}
    assert doc.xpath('//*[@data-efop-notice][@role="status"]')
    assert doc.xpath("//*[@data-efop-progress]")
    toc = doc.xpath('//nav[@aria-label="Sommaire"]//a/@href')
    assert toc[:5] == [f"#page-{i}" for i in ids[:5]]
    assert not doc.xpath("//@*[starts-with(name(), 'on')]"), "no inline event handlers"
    assert not doc.xpath("//script[not(@src)][not(@type='application/json')]"), "no inline script"


def test_efop_data() -> None:
    data = _data(_doc(_render()))
    assert data["format"] == 1 and data["target"] == "scorm12" and data["lang"] == "fr"
    assert data["module"] == {  # type: ignore[comparison-overlap]
        "id": "qpv-chiffres",
        "title": "Les QPV en chiffres",
        "mastery_score": 80,
        "iri": "https://formation.example.org/efop-demo/qpv-chiffres",
    }
    quiz = data["quizzes"]["quiz"]  # type: ignore[index]
    assert quiz["pass_score"] == 80 and quiz["attempts"] == 3 and quiz["shuffle"] is True
    by_id = {q["id"]: q for q in quiz["questions"]}
    assert by_id["nombre-qpv"]["correct"] == ["b"]
    assert by_id["acteurs-emploi"]["correct"] == ["a", "c"]
    assert by_id["region-premiere"]["correct"] == ["b"]
    assert by_id["missions"]["correct"] == ["1.a", "2.b"]
    assert [t["key"] for t in by_id["missions"]["targets"]] == ["a", "b", "c"]
    assert by_id["etapes"]["correct"] == ["a", "b", "c"]
    assert by_id["sigle"]["correct"] == ["prioritaire de la politique de la ville", "prioritaire"]
    assert by_id["sigle"]["case_sensitive"] is False
    assert data["strings"]["correct"] == "Bonne réponse"  # type: ignore[index]


def test_efop_data_cannot_break_out_of_script() -> None:
    course = sample_course()
    evil = "</script><script>alert(1)</script> & <!--"
    module = course.modules[0]
    from dataclasses import replace

    module = replace(module, title=evil)
    site, diags = render_site(replace(course, modules=(module,)), "scorm12", "scorm12.js")
    assert not diags.errors
    raw = site.modules[0].files["index.html"].decode()
    assert "<script>alert(1)" not in raw
    doc = lxml_html.document_fromstring(raw)
    assert _data(doc)["module"]["title"] == evil  # type: ignore[index]
    assert doc.xpath("//title")[0].text.startswith(evil)


def test_text_is_escaped_and_html_fragments_are_not() -> None:
    raw = _render().modules[0].files["index.html"].decode()
    assert "Démo « QPV » &amp; politique de la ville" in raw  # course title: text, escaped
    assert '<abbr title="Quartiers prioritaires' in raw  # loader HTML: kept
    assert "L&#39;essentiel" in raw


def test_quiz_markup() -> None:
    doc = _doc(_render())
    quiz = doc.xpath('//form[@data-efop-quiz="quiz"]')[0]
    fieldsets = quiz.xpath(".//fieldset")
    assert [f.get("data-question-type") for f in fieldsets] == ["single", "multiple", "true-false", "matching", "ordering", "fill-in"]
    for f in fieldsets:
        assert f.xpath("./legend")
        assert f.xpath('.//*[@aria-live="polite"][@data-efop-feedback]')
        for control in f.xpath(".//input | .//select"):
            assert f.xpath(f'.//label[@for="{control.get("id")}"]'), control.get("id")
    single = fieldsets[0]
    assert [i.get("type") for i in single.xpath(".//input")] == ["radio"] * 3
    assert single.xpath('.//*[@data-fb-choice="a"][@hidden]')
    assert single.xpath('.//*[@data-fb="correct"][@hidden]')
    assert [i.get("type") for i in fieldsets[1].xpath(".//input")] == ["checkbox"] * 4
    assert [l.text_content() for l in fieldsets[2].xpath(".//label")] == ["Vrai", "Faux"]
    selects = fieldsets[3].xpath(".//select")
    assert len(selects) == 2 and [o.get("value") for o in selects[0].xpath("./option")] == ["", "a", "b", "c"]
    items = fieldsets[4].xpath('.//li[@data-item]')
    assert [i.get("data-item") for i in items] != ["a", "b", "c"], "never shown in the correct order"
    assert len(fieldsets[4].xpath(".//button[@data-move]")) == 6
    assert fieldsets[5].xpath('.//input[@type="text"][@data-fill-in]')
    assert quiz.xpath('.//button[@type="submit"]')[0].text.strip() == "Valider mes réponses"
    assert quiz.xpath('.//*[@data-efop-result][@role="status"]')


def test_glossary_annex_only_when_glossary_not_empty() -> None:
    from dataclasses import replace

    doc = _doc(_render())
    terms = doc.xpath('//section[@data-page-kind="glossary"]//dt')
    assert [t.text_content() for t in terms] == ["EPCI", "QPV"]
    site, _ = render_site(replace(sample_course(), glossary=()), "scorm12", "scorm12.js")
    doc = _doc(site)
    assert not doc.xpath('//section[@data-page-kind="glossary"]')
    assert doc.xpath('//section[@data-page-kind="accessibility"]')


def test_english_catalogue() -> None:
    doc = _doc(_render(language="en"))
    assert doc.get("lang") == "en"
    assert doc.xpath('//a[@class="efop-skip"]')[0].text == "Skip to content"
    assert _data(doc)["strings"]["correct"] == "Correct answer"  # type: ignore[index]


def test_every_template_string_is_in_both_catalogues() -> None:
    from efop_author.messages import render as r
    from efop_author.messages import runtime as rt

    assert set(r.UI["fr"]) == set(r.UI["en"])
    assert set(rt.UI["fr"]) == set(rt.UI["en"])
    used: set[str] = set()
    for path in (builtin_theme_dir() / "templates").rglob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9-]+)["']""", path.read_text(encoding="utf-8")))
    assert used and used <= set(r.UI["fr"]), used - set(r.UI["fr"])
    runtime_js = (builtin_theme_dir() / "static/js/runtime.js").read_text(encoding="utf-8")
    js_used = set(re.findall(r"""\bS\(\s*["']([a-z0-9-]+)["']""", runtime_js))
    assert js_used <= set(rt.UI["fr"]), js_used - set(rt.UI["fr"])


def test_translator_rejects_unknown_key() -> None:
    with pytest.raises(KeyError):
        make_translator("fr")("no-such-string")


# --- project themes, strict templates, template errors ------------------------------------------


def _project_theme(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = tmp_path / "themes" / "maison" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


def test_project_theme_extends_default(tmp_path: Path) -> None:
    root = _project_theme(
        tmp_path,
        {
            "theme.yml": "name: maison\nextends: default\noptions:\n  show_objectives: false\n",
            "templates/module.html": '{% extends "base/module.html" %}{% block title %}MAISON {{ super() }}{% endblock %}',
            "static/css/course.css": "/* maison */",
            "static/img/logo.svg": "<svg/>",
        },
    )
    site, diags = render_site(sample_course(root=root, theme="maison"), "scorm12", "scorm12.js")
    assert not diags.errors, [d.format() for d in diags]
    doc = _doc(site)
    assert doc.xpath("//title")[0].text.startswith("MAISON ")
    assert not doc.xpath('//*[@class="efop-intro"]'), "theme option show_objectives: false"
    assert site.shared["course.css"] == b"/* maison */"
    assert site.shared["img/logo.svg"] == b"<svg/>"
    assert b"efop-author" in site.shared["runtime.js"]  # inherited


def test_unknown_theme(tmp_path: Path) -> None:
    site, diags = render_site(sample_course(root=tmp_path, theme="absent"), "scorm12", "scorm12.js")
    assert [d.code for d in diags.errors] == ["render.unknown-theme"]
    assert site.modules[0].files["index.html"].startswith(b"<!DOCTYPE html>")


def test_strict_undefined_reports_template_and_line(tmp_path: Path) -> None:
    root = _project_theme(
        tmp_path,
        {
            "theme.yml": "extends: default\n",
            "templates/partials/summary.html": "<p>ok</p>\n<p>{{ page.no_such_key }}</p>\n",
        },
    )
    _, diags = render_site(sample_course(root=root, theme="maison"), "scorm12", "scorm12.js")
    errors = diags.errors
    assert errors and {d.code for d in errors} == {"render.template-error"}
    assert errors[0].loc is not None
    assert errors[0].loc.path == "themes/maison/templates/partials/summary.html"
    assert errors[0].loc.line == 2
    assert "no_such_key" in errors[0].message


def test_template_syntax_error(tmp_path: Path) -> None:
    root = _project_theme(
        tmp_path,
        {"theme.yml": "extends: default\n", "templates/partials/sources.html": "a\nb\n{% if %}\n"},
    )
    _, diags = render_site(sample_course(root=root, theme="maison"), "scorm12", "scorm12.js")
    err = diags.errors[0]
    assert err.code == "render.template-error"
    assert err.loc is not None and err.loc.path == "themes/maison/templates/partials/sources.html" and err.loc.line == 3


def test_bad_theme_yaml(tmp_path: Path) -> None:
    root = _project_theme(tmp_path, {"theme.yml": "extends: [\n"})
    _, diags = render_site(sample_course(root=root, theme="maison"), "scorm12", "scorm12.js")
    assert "render.theme-yaml" in {d.code for d in diags.errors}


# --- suspend_data worst case --------------------------------------------------------------------


def test_suspend_worst_case_formula() -> None:
    m = sample_module()
    visited = len("introduction,chiffres,quiz,essentiel,sources")
    answers = (
        len("nombre-qpv=") + 1
        + len("acteurs-emploi=") + 4
        + len("region-premiere=") + 1
        + len("missions=") + 2
        + len("etapes=") + 3
        + len("sigle=") + FILL_IN_MAX
        + 5  # commas
    )
    quiz = len("quiz:") + 4 + 1 + 2 + 1 + 3 + 1 + answers
    assert suspend_worst_case(m) == len("1|") + visited + 1 + quiz
    assert suspend_worst_case(sample_content_module()) == len("1|accueil,definitions,essentiel|")
    site = _render()
    assert site.modules[0].suspend_max == suspend_worst_case(m)


def test_suspend_overflow_is_reported_in_suspend_max() -> None:
    from dataclasses import replace

    base = sample_module()
    quiz_page = base.pages[2]
    assert quiz_page.quiz is not None
    many: list[Question] = []
    for i in range(60):
        for q in quiz_page.quiz.questions:
            many.append(replace(q, id=f"{q.id}-{i:02d}"))
    big = replace(base, pages=(*base.pages[:2], replace(quiz_page, quiz=replace(quiz_page.quiz, questions=tuple(many))), *base.pages[3:]))
    assert suspend_worst_case(big) > SUSPEND_LIMIT
    site, diags = render_site(sample_course(modules=(big,)), "scorm12", "scorm12.js")
    assert not diags.errors  # build.py turns it into runtime.suspend-overflow for SCORM 1.2
    assert site.modules[0].suspend_max == suspend_worst_case(big) > SUSPEND_LIMIT


def test_runtime_size_budget() -> None:
    """What each target ships under ``efop/`` (style sheet, run-time, adapter with the code it
    includes) stays under 60 KiB."""
    from efop_author.diagnostics import Diagnostics
    from efop_author.render.site import _shared_files
    from efop_author.render.theme import resolve_theme

    theme, found = resolve_theme("default", None, {})
    assert not list(found)
    for adapter in ("scorm12.js", "scorm2004.js", "web.js", "cmi5.js", "xapi.js"):
        diags = Diagnostics()
        shared = _shared_files(theme, adapter, diags)
        assert not list(diags), adapter
        assert b"efop:include _" not in shared["lms.js"]  # the shared code is in, not the line
        total = sum(len(shared[name]) for name in ("course.css", "runtime.js", "lms.js"))
        assert total < 60 * 1024, (adapter, total)


def test_adapter_include_of_a_missing_file_is_reported(tmp_path: Path) -> None:
    from efop_author.diagnostics import Diagnostics
    from efop_author.render.site import _shared_files
    from efop_author.render.theme import resolve_theme

    theme_dir = tmp_path / "themes" / "mine"
    (theme_dir / "static" / "js" / "lms").mkdir(parents=True)
    (theme_dir / "theme.yml").write_text("extends: default\n", encoding="utf-8")
    (theme_dir / "static" / "js" / "lms" / "scorm12.js").write_text("a();\n  /* efop:include _absent.js */\nb();\n",
                                                                     encoding="utf-8")
    theme, _ = resolve_theme("mine", tmp_path, {})
    diags = Diagnostics()
    shared = _shared_files(theme, "scorm12.js", diags)
    assert [d.code for d in diags] == ["render.unknown-adapter"] and "_absent.js" in list(diags)[0].message
    assert shared["lms.js"] == b"a();\nb();\n"


def test_render_session_remembers_within_a_session_only():
    from efop_author.render.session import remembered, render_session

    made: list[int] = []

    def make() -> int:
        made.append(1)
        return len(made)

    assert remembered("k", make) == 1 and remembered("k", make) == 2  # no session: made each time
    with render_session():
        assert remembered("k", make) == 3
        with render_session():  # nested: the outer session's values are kept
            assert remembered("k", make) == 3
        assert remembered("k", make) == 3
        assert remembered("other", make) == 4
    assert remembered("k", make) == 5  # closed: forgotten
