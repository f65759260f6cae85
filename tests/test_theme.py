"""Derived themes: theme.yml (variables, logo, strings), diagnostics theme.*, and the
tests/roots/derived-theme project built end to end."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html

from efop_author.build import build_course
from efop_author.render.sample import sample_course
from efop_author.render.site import render_site

ROOTS = Path(__file__).parent / "roots"
DERIVED = ROOTS / "derived-theme"


def _theme(tmp_path: Path, yml: str, files: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "themes" / "maison"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.yml").write_text(yml, encoding="utf-8")
    for rel, text in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return tmp_path


def _render(root: Path, **kw: object):
    return render_site(sample_course(root=root, theme="maison", **kw), "scorm12", "scorm12.js")  # type: ignore[arg-type]


def _doc(site, i: int = 0) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(site.modules[i].files["index.html"])


def _codes(diags) -> list[tuple[str, str, int]]:
    return [(d.code, d.loc.path if d.loc else "", d.loc.line if d.loc else 0) for d in diags]


# --- variables ------------------------------------------------------------------------------------


def test_variables_become_a_root_override_stylesheet(tmp_path: Path) -> None:
    root = _theme(tmp_path, 'extends: default\nvariables:\n  color-primary: "#6a1b4d"\n  --efop-font-body: Georgia, serif\n')
    site, diags = _render(root)
    assert list(diags) == []
    css = site.shared["theme.css"].decode()
    assert ":root {" in css and "--efop-color-primary: #6a1b4d;" in css and "--efop-font-body: Georgia, serif;" in css
    assert _doc(site).xpath('//link[@rel="stylesheet"]/@href') == ["../efop/course.css", "../efop/theme.css"]
    home = lxml_html.document_fromstring(site.home)
    assert home.xpath('//link[@rel="stylesheet"]/@href') == ["efop/course.css", "efop/theme.css"]


def test_no_variables_no_theme_css(tmp_path: Path) -> None:
    site, diags = _render(_theme(tmp_path, "extends: default\n"))
    assert not diags.errors and "theme.css" not in site.shared


def test_unknown_variable_and_bad_values_are_located(tmp_path: Path) -> None:
    root = _theme(
        tmp_path,
        "extends: default\n"
        "variables:\n"
        '  color-primay: "#6a1b4d"\n'  # line 3: typo
        "  color-link: 'red; } body { display: none'\n"  # line 4
        "  color-text: url(https://cdn.example/x.png)\n"  # line 5
        "  font-body: [a, b]\n",  # line 6
    )
    site, diags = _render(root)
    path = "themes/maison/theme.yml"
    assert _codes(diags.errors) == [
        ("theme.unknown-variable", path, 3),
        ("theme.bad-value", path, 4),
        ("theme.bad-value", path, 5),
        ("theme.bad-value", path, 6),
    ]
    assert "color-primary" in diags.errors[0].message  # « vouliez-vous dire … ? »
    assert "Internet" in diags.errors[2].message
    assert "theme.css" not in site.shared
    assert diags.errors[0].format().startswith("themes/maison/theme.yml:3: error: ")


def test_contrast_warning_names_the_pair_and_ratio(tmp_path: Path) -> None:
    root = _theme(tmp_path, 'extends: default\nvariables:\n  color-on-primary: "#4d4dff"\n')
    _, diags = _render(root)
    assert not diags.errors
    warnings = [d for d in diags.warnings if d.code == "theme.contrast"]
    assert len(warnings) == 1
    w = warnings[0]
    assert w.loc is not None and (w.loc.path, w.loc.line) == ("themes/maison/theme.yml", 3)
    assert "color-on-primary" in w.message and "color-primary" in w.message
    assert "2.71:1" in w.message  # #4d4dff on #000091
    assert "4.5:1" in w.message


def test_contrast_warning_can_be_suppressed_and_good_palette_is_quiet(tmp_path: Path) -> None:
    root = _theme(tmp_path, 'extends: default\nvariables:\n  color-primary: "#cccccc"\n')
    _, diags = _render(root)
    pairs = {d.message.split(" (")[0] for d in diags.warnings}
    assert any("color-on-primary" in p for p in pairs) and any("color-bg" in p for p in pairs)
    course = replace(sample_course(root=root, theme="maison"), suppress_warnings=("theme.contrast",))
    _, quiet = render_site(course, "scorm12", "scorm12.js")
    assert list(quiet) == []
    ok = _theme(tmp_path / "ok", 'extends: default\nvariables:\n  color-primary: "#6a1b4d"\n  color-link: "#6a1b4d"\n')
    _, diags = _render(ok)
    assert list(diags) == []


def test_child_theme_inherits_parent_variables(tmp_path: Path) -> None:
    _theme(tmp_path, 'extends: default\nvariables:\n  color-primary: "#6a1b4d"\n  color-link: "#6a1b4d"\n')
    child = tmp_path / "themes" / "fille"
    child.mkdir()
    (child / "theme.yml").write_text('extends: maison\nvariables:\n  color-link: "#00584a"\n', encoding="utf-8")
    site, diags = render_site(sample_course(root=tmp_path, theme="fille"), "scorm12", "scorm12.js")
    assert list(diags) == []
    css = site.shared["theme.css"].decode()
    assert "--efop-color-primary: #6a1b4d;" in css and "--efop-color-link: #00584a;" in css


def test_derived_base_adds_a_stylesheet_through_the_head_block(tmp_path: Path) -> None:
    root = _theme(
        tmp_path,
        "extends: default\n",
        {
            "templates/base.html": '{% extends "base/base.html" %}\n{% block head %}<link rel="stylesheet" href="{{ efop }}css/maison.css">{% endblock %}\n',
            "static/css/maison.css": ".maison { color: inherit; }\n",
        },
    )
    site, diags = _render(root)
    assert list(diags) == []
    assert site.shared["css/maison.css"]
    hrefs = ["../efop/course.css", "../efop/css/maison.css"]
    assert _doc(site).xpath('//link[@rel="stylesheet"]/@href') == hrefs
    assert _doc(site).xpath("//script/@src") == ["../efop/lms.js", "../efop/runtime.js"]
    home = lxml_html.document_fromstring(site.home)
    assert home.xpath('//link[@rel="stylesheet"]/@href') == ["efop/course.css", "efop/css/maison.css"]


# --- logo -----------------------------------------------------------------------------------------


def test_logo_is_shipped_and_shown_with_its_alternative(tmp_path: Path) -> None:
    root = _theme(tmp_path, "extends: default\nlogo: img/logo.svg\nlogo_alt: Région Exemple\n", {"img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    site, diags = _render(root)
    assert list(diags) == []
    assert site.shared["logo/logo.svg"].startswith(b"<svg")
    for doc, prefix in ((_doc(site), "../efop/"), (lxml_html.document_fromstring(site.home), "efop/")):
        (img,) = doc.xpath("//header//img")
        assert img.get("src") == prefix + "logo/logo.svg" and img.get("alt") == "Région Exemple"


def test_logo_in_static_is_not_copied_twice(tmp_path: Path) -> None:
    root = _theme(tmp_path, "extends: default\nlogo: static/img/l.png\nlogo_alt: X\n", {"static/img/l.png": "png"})
    site, diags = _render(root)
    assert list(diags) == []
    assert "img/l.png" in site.shared and "logo/l.png" not in site.shared
    assert _doc(site).xpath("//header//img/@src") == ["../efop/img/l.png"]


def test_logo_problems(tmp_path: Path) -> None:
    path = "themes/maison/theme.yml"
    _, diags = _render(_theme(tmp_path / "a", "extends: default\nlogo: absent.svg\nlogo_alt: X\n"))
    assert _codes(diags.errors) == [("theme.missing-file", path, 2)]
    assert "themes/maison/absent.svg" in diags.errors[0].message
    _, diags = _render(_theme(tmp_path / "b", "extends: default\nlogo: l.svg\n", {"l.svg": "<svg/>"}))
    assert _codes(diags.errors) == [("theme.missing-alt", path, 2)]
    _, diags = _render(_theme(tmp_path / "c", "extends: default\nlogo: ../../course.yml\nlogo_alt: X\n"))
    assert _codes(diags.errors) == [("theme.bad-value", path, 2)]
    _, diags = _render(_theme(tmp_path / "d", "extends: default\nlogo: l.svg\nlogo_alt: X\n", {"l.svg": "<svg><script>alert(1)</script></svg>"}))
    assert _codes(diags.errors) == [("theme.bad-value", path, 2)]
    _, diags = _render(_theme(tmp_path / "e", "extends: default\nlogo: l.bmp\nlogo_alt: X\n", {"l.bmp": "x"}))
    assert _codes(diags.errors) == [("theme.bad-value", path, 2)]
    # a decorative logo: explicitly empty alternative
    site, diags = _render(_theme(tmp_path / "f", 'extends: default\nlogo: l.svg\nlogo_alt: ""\n', {"l.svg": "<svg/>"}))
    assert list(diags) == [] and _doc(site).xpath("//header//img/@alt") == [""]


# --- strings, keys --------------------------------------------------------------------------------


def test_ui_strings_per_language_and_for_all(tmp_path: Path) -> None:
    root = _theme(
        tmp_path,
        "extends: default\nstrings:\n  fr:\n    next: Continuer\n    correct: C'est juste !\n  en:\n    next: Go on\n  exit: Fermer\n",
    )
    site, diags = _render(root)
    assert list(diags) == []
    doc = _doc(site)
    labels = {b.get("data-efop-action"): b.text_content().strip() for b in doc.xpath("//nav//button[@data-efop-action]")}
    assert labels == {"prev": "Précédent", "next": "Continuer", "exit": "Fermer"}
    data = json.loads(doc.xpath('//script[@id="efop-data"]')[0].text)
    assert data["strings"]["correct"] == "C'est juste !"  # run-time strings too
    site_en, _ = _render(root, language="en")
    doc = _doc(site_en)
    assert [b.text_content().strip() for b in doc.xpath('//nav//button[@data-efop-action="next"]')] == ["Go on"]


def test_unknown_string_key_and_placeholders(tmp_path: Path) -> None:
    root = _theme(
        tmp_path,
        "extends: default\nstrings:\n  fr:\n    nxet: Continuer\n    page-of: Page {n}/{totl}\n  suivant: x\n",
    )
    _, diags = _render(root)
    path = "themes/maison/theme.yml"
    assert _codes(diags.errors) == [("theme.unknown-string", path, 4), ("theme.bad-value", path, 5), ("theme.unknown-string", path, 6)]
    assert "next" in diags.errors[0].message
    assert "{total}" in diags.errors[1].message


def test_unknown_theme_key_is_an_error(tmp_path: Path) -> None:
    _, diags = _render(_theme(tmp_path, "extends: default\nvariable:\n  color-primary: '#000'\n"))
    assert _codes(diags.errors) == [("theme.unknown-key", "themes/maison/theme.yml", 2)]
    assert "variables" in diags.errors[0].message


def test_theme_yaml_error_has_a_line(tmp_path: Path) -> None:
    _, diags = _render(_theme(tmp_path, "extends: default\nvariables:\n  a: [\n"))
    (err,) = diags.errors
    assert err.code == "render.theme-yaml" and err.loc is not None and err.loc.line >= 3


# --- the test root, through build_course ----------------------------------------------------------


def test_derived_theme_root_builds(tmp_path: Path) -> None:
    result = build_course(DERIVED, targets=("web", "scorm12"), out=tmp_path / "out")
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code.startswith(("theme.", "render."))]
    web = next(p for p in result.written if p.name == "web")
    css = (web / "efop" / "theme.css").read_text()
    assert "--efop-color-primary: #6a1b4d;" in css and "--efop-font-body:" in css
    assert (web / "efop" / "logo" / "logo.svg").is_file()
    doc = lxml_html.document_fromstring((web / "intro" / "index.html").read_bytes())
    assert doc.xpath("//header//img/@alt") == ["Région Exemple"]
    # the one overridden template, calling the parent's block
    assert doc.xpath('//footer/p[@class="maison-credit"]')
    assert "Cours de démonstration · 1.0.0" in doc.xpath("//footer/p")[0].text_content()
    home = lxml_html.document_fromstring((web / "index.html").read_bytes())
    assert not home.xpath('//*[@class="maison-credit"]')  # home.html is not overridden


def test_typo_in_derived_template_fails_the_build_with_path_and_line(tmp_path: Path) -> None:
    project = tmp_path / "derived"
    shutil.copytree(DERIVED, project)
    tpl = project / "themes" / "maison" / "templates" / "module.html"
    tpl.write_text(tpl.read_text().replace("{{ course.publisher }}", "{{ course.publsher }}"), encoding="utf-8")
    line = next(i for i, text in enumerate(tpl.read_text().splitlines(), 1) if "publsher" in text)
    result = build_course(project, targets=("web",), out=tmp_path / "out")
    assert not result.ok and result.written == []
    errors = [d for d in result.diagnostics if d.code == "render.template-error"]
    assert errors, [d.format() for d in result.diagnostics]
    assert errors[0].loc is not None
    assert (errors[0].loc.path, errors[0].loc.line) == ("themes/maison/templates/module.html", line)
    assert "publsher" in errors[0].message
    assert errors[0].format().startswith(f"themes/maison/templates/module.html:{line}: error: ")


@pytest.mark.parametrize("broken", ["variables", "logo"])
def test_derived_root_theme_errors_fail_the_build(tmp_path: Path, broken: str) -> None:
    project = tmp_path / "derived"
    shutil.copytree(DERIVED, project)
    yml = project / "themes" / "maison" / "theme.yml"
    text = yml.read_text()
    text = text.replace("color-primary:", "colour-primary:") if broken == "variables" else text.replace("logo.svg", "logo.png")
    yml.write_text(text, encoding="utf-8")
    result = build_course(project, targets=("web",), out=tmp_path / "out")
    assert not result.ok
    code = "theme.unknown-variable" if broken == "variables" else "theme.missing-file"
    assert [d.code for d in result.diagnostics if d.code.startswith("theme.")] == [code]
