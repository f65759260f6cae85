"""Load stage: a correct course loads; each kind of bad input gives its code and its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from efop_author.load import load_course

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(ROOTS / "minimal", dest)
    return dest


def diags_of(root: Path) -> list[tuple[str, str, int]]:
    _course, diags = load_course(root)
    return [(d.code, d.loc.path if d.loc else "", d.loc.line if d.loc else 0) for d in diags]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_minimal_course_loads_clean(course: Path) -> None:
    c, diags = load_course(course)
    assert [d.format() for d in diags] == []
    assert c is not None
    module = c.modules[0]
    assert [p.id for p in module.pages] == ["accueil", "contenu", "quiz", "essentiel"]
    assert module.mastery_score == 80  # inherited from course.yml
    quiz = module.pages[2].quiz
    assert quiz is not None and quiz.attempts == 3 and quiz.shuffle
    assert [q.type for q in quiz.questions] == ["single", "multiple", "true-false", "matching", "ordering", "fill-in"]
    assert [a.arcname for a in module.assets] == ["assets/chart.svg"]


def test_markdown_features(course: Path) -> None:
    c, _ = load_course(course)
    assert c is not None
    html = c.modules[0].pages[0].html
    assert '<h2 id="accueil--pourquoi-ce-module">' in html
    assert 'href="#page-contenu"' in html and 'href="#contenu--les-chiffres"' in html
    assert 'target="_blank" rel="noopener"' in html and "(nouvelle fenêtre)" in html
    assert 'class="efop-callout efop-callout--info" role="note"' in html
    assert "<figure" in html and "<figcaption>Indicateurs QPV et région</figcaption>" in html
    # first use of a glossary term on a page only
    assert html.count("<abbr") == 1 and 'title="Quartier prioritaire de la politique de la ville"' in html
    table = c.modules[0].pages[1].html
    assert "<th>" in table and "<table>" in table


CASES = [
    # (file, old, new, code, line)
    ("course.yml", "title: Cours", "titel: Cours", "load.unknown-key", 2),
    ("course.yml", "version: \"1.0.0\"\n", "", "load.missing-field", 1),
    ("course.yml", "id: demo", "id: Démo 1", "load.bad-id", 1),
    ("course.yml", "mastery_score: 80", "mastery_score: 180", "load.bad-value", 7),
    ("course.yml", "iri: https://example.org/xapi/demo", "iri: example.org", "load.bad-value", 6),
    ("course.yml", "language: fr", "language: [fr", "load.yaml-syntax", 4),
    ("course.yml", "language: fr", "language: fr\nlanguage: en", "load.duplicate-key", 4),
    ("modules/01-intro/module.yml", "duration: 15", "duration: quinze", "load.bad-type", 7),
    ("modules/01-intro/02-contenu.md", "id: contenu", "id: accueil", "load.duplicate-id", 2),
    ("modules/01-intro/01-accueil.md", "(02-contenu.md)", "(09-absent.md)", "load.broken-link", 7),
    ("modules/01-intro/01-accueil.md", "![Graphique des indicateurs]", "![]", "load.image-without-alt", 14),
    ("modules/01-intro/01-accueil.md", "assets/chart.svg", "assets/absent.svg", "load.missing-asset", 14),
    ("modules/01-intro/02-contenu.md", "- deux", "- deux\n\n<script>alert(1)</script>", "load.raw-html", 14),
    ("modules/01-intro/02-contenu.md", "- un", "- un <b onclick=x>gras</b>", "load.raw-html", 11),
    ("modules/01-intro/02-contenu.md", "---\nid: contenu", "id: contenu", "load.front-matter", 1),
    ("modules/01-intro/03-quiz.md", "        correct: true\n    feedback:", "    feedback:", "quiz.no-correct", 12),
    ("modules/01-intro/03-quiz.md", "  - id: q-multi", "  - id: q-single", "quiz.duplicate-id", 20),
    ("modules/01-intro/03-quiz.md", "type: ordering", "type: ordre", "quiz.unknown-type", 43),
    ("modules/01-intro/03-quiz.md", "        target: Jeunes de 16 à 25 ans", "        target: Demandeurs d'emploi", "quiz.bad-pairs", 36),
    ("modules/01-intro/03-quiz.md", "accept: [prioritaire]", "accept: []", "quiz.no-accepted", 49),
    ("modules/01-intro/03-quiz.md", "      - text: Délinquance", "      - text: Délinquance\n        corect: true", "load.unknown-key", 29),
]


@pytest.mark.parametrize(("file", "old", "new", "code", "line"), CASES, ids=[c[3] + ":" + c[0].split("/")[-1] for c in CASES])
def test_bad_input_reports_code_and_line(course: Path, file: str, old: str, new: str, code: str, line: int) -> None:
    edit(course / file, old, new)
    found = diags_of(course)
    assert (code, file, line) in found, found


def test_unknown_key_suggests(course: Path) -> None:
    edit(course / "course.yml", "title: Cours", "titel: Cours")
    _c, diags = load_course(course)
    msg = next(d for d in diags if d.code == "load.unknown-key").format()
    assert "« title »" in msg and msg.startswith("course.yml:2: error:")


def test_duplicate_id_names_both_places(course: Path) -> None:
    edit(course / "modules/01-intro/02-contenu.md", "id: contenu", "id: accueil")
    _c, diags = load_course(course)
    d = next(d for d in diags if d.code == "load.duplicate-id")
    assert "modules/01-intro/01-accueil.md:2" in d.message


def test_all_errors_collected(course: Path) -> None:
    edit(course / "course.yml", "title: Cours", "titel: Cours")
    edit(course / "modules/01-intro/01-accueil.md", "(02-contenu.md)", "(09-absent.md)")
    edit(course / "modules/01-intro/03-quiz.md", "accept: [prioritaire]", "accept: []")
    codes = {c for c, _p, _l in diags_of(course)}
    assert {"load.unknown-key", "load.broken-link", "quiz.no-accepted"} <= codes


def test_raw_html_allowed_is_sanitised(course: Path) -> None:
    edit(course / "course.yml", "mastery_score: 80", "mastery_score: 80\nallow_raw_html: true")
    edit(
        course / "modules/01-intro/02-contenu.md",
        "- deux",
        '- deux\n\n<div class="x" onclick="steal()"><script>alert(1)</script><a href="javascript:alert(1)">lien</a> <kbd>Ctrl</kbd></div>',
    )
    c, diags = load_course(course)
    assert [d.code for d in diags] == []
    assert c is not None
    html = c.modules[0].pages[1].html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert '<div class="x">' in html and "<kbd>Ctrl</kbd>" in html


def test_non_utf8_file(course: Path) -> None:
    (course / "modules/01-intro/02-contenu.md").write_bytes("---\nid: contenu\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    assert ("load.encoding", "modules/01-intro/02-contenu.md", 3) in diags_of(course)


def test_not_a_project(tmp_path: Path) -> None:
    c, diags = load_course(tmp_path)
    assert c is None and [d.code for d in diags] == ["load.missing-file"]


def test_plain_quiz_strings_shortcut_gives_what_the_parser_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quiz strings without inline syntax skip markdown-it: same HTML, text and diagnostics
    as parsing them, on generated strings and on the whole real course."""
    import random

    from efop_author.diagnostics import Diagnostics, SourceLocation
    from efop_author.load import markdown as md
    from efop_author.model import GlossaryEntry

    glossary = (GlossaryEntry(term="QPV", expansion="quartier prioritaire", definition=None,
                              loc=SourceLocation("glossary.yml", 1)),)

    def render(text: str, shortcut: bool) -> tuple[object, list[str]]:
        monkeypatch.setattr(md, "PLAIN_INLINE_SHORTCUT", shortcut)
        ctx = md.ModuleContext(root=Path("/tmp"), module_dir=Path("/tmp"), module_id="m", page_files={},
                               other_modules={}, glossary=glossary, allow_html=False, diags=Diagnostics())
        out = md.render_markdown(text, page_id="p", path=Path("/tmp/p.md"), display_path="p.md",
                                 line_offset=0, ctx=ctx, inline=True)
        return out, [d.format() for d in ctx.diags]

    rng = random.Random(5)
    alphabet = list("ab QPV éà:;-+#$%=@{}^\"'\t,.?09") + list("\\`*_~[]!<>&\n")
    plain = 0
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 15)))
        plain += not md._INLINE_SYNTAX.search(text)
        assert render(text, True) == render(text, False), text
    assert plain > 500  # the shortcut was taken often enough to be compared

    content = Path(__file__).resolve().parents[1] / "content"
    monkeypatch.setattr(md, "PLAIN_INLINE_SHORTCUT", True)
    fast, fast_diags = load_course(content)
    monkeypatch.setattr(md, "PLAIN_INLINE_SHORTCUT", False)
    slow, slow_diags = load_course(content)
    assert fast == slow and fast is not None
    assert [d.format() for d in fast_diags] == [d.format() for d in slow_diags]


def test_yaml_with_lines_gives_the_values_pyyaml_gives() -> None:
    """Our constructor (lines kept, strings taken as they are) against PyYAML's safe loader
    on every YAML document of the real course and of the test projects."""
    import yaml

    from efop_author.load.source import split_front_matter
    from efop_author.load.yaml_marks import YamlError, load_yaml

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    repo = Path(__file__).resolve().parents[1]
    documents = 0
    for path in sorted([*(repo / "content").rglob("*"), *(repo / "tests" / "roots").rglob("*")]):
        if path.suffix not in (".yml", ".yaml", ".md") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = split_front_matter(text).front or ""
        try:
            ours = load_yaml(text)
        except YamlError:
            continue  # projects with deliberate mistakes
        assert plain(ours) == plain(yaml.load(text, Loader=yaml.CSafeLoader)), path
        documents += 1
    assert documents > 60


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_files_with_one_package_name_are_reported_at_each_reference(course_root, jobs: int) -> None:
    """« chart é.svg » and « chart-e.svg » both become ``assets/chart-e.svg``: the first one
    used in the module keeps the name, every use of the other is an error where it is
    written, across pages (rendered separately, possibly by other processes)."""
    root = course_root("minimal")
    assets = root / "modules/01-intro/assets"
    (assets / "chart é.svg").write_bytes((assets / "chart.svg").read_bytes())
    (assets / "chart-e.svg").write_bytes((assets / "chart.svg").read_bytes() + b"\n")
    contenu = root / "modules/01-intro/02-contenu.md"
    essentiel = root / "modules/01-intro/04-essentiel.md"
    body = contenu.read_text(encoding="utf-8")
    contenu.write_text(body + "\n![Graphique A](assets/chart%20%C3%A9.svg)\n\n![Graphique B](assets/chart-e.svg)\n",
                       encoding="utf-8")
    first = body.count("\n") + 2
    end = essentiel.read_text(encoding="utf-8")
    essentiel.write_text(end + "\n![Graphique C](assets/chart-e.svg)\n\n![Graphique D](assets/chart%20%C3%A9.svg)\n",
                         encoding="utf-8")
    course, diags = load_course(root, jobs=jobs)
    clashes = [(d.loc.path, d.loc.line) for d in diags if d.code == "load.asset-name-clash"]
    assert clashes == [("modules/01-intro/02-contenu.md", first + 2),
                       ("modules/01-intro/04-essentiel.md", end.count("\n") + 2)]
    assert course is not None
    module = course.modules[0]
    assert [a.source.name for a in module.assets if a.arcname == "assets/chart-e.svg"] == ["chart é.svg"]
