"""The lint's cheap pre-checks must not change a single diagnostic.

``lint_course`` skips the precise (lxml) path for a piece of prose when a regex over its HTML
proves that no rule can fire there (:mod:`efop_author.lint._quick`). These tests build courses
full of typography and accessibility mistakes and compare the complete diagnostic list
(code, severity, ``file:line``, message):

- with the golden list recorded from the lint *before* the pre-checks existed
  (``tests/golden/lint/bad-course.txt``);
- between the fast path and the precise path forced everywhere (``PRECHECKS = False``), on the
  same course and on randomly generated pages (Markdown + raw HTML soup).
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

import pytest

import efop_author.lint as lint_mod
from efop_author.lint import lint_course
from efop_author.load import load_course

NNBSP = "\u202f"
NBSP = "\u00a0"

GLOSSARY = """\
QPV: Quartier prioritaire de la politique de la ville
EPCI:
  expansion: "Établissement public : de coopération intercommunale"
  definition: 'Une "intercommunalité" ; souvent une agglomération !'
DREETS: Direction régionale de l'économie, de l'emploi, du travail et des solidarités
CAF: Caisse d'allocations familiales (CNAF ?)
FSE+: Fonds social européen plus
"""

PROSE = [
    "Tout va bien ? Oui : une espace ordinaire ; une autre !",
    f"Tout va bien{NNBSP}? Oui{NBSP}: une espace fine{NNBSP}; une autre{NNBSP}!",
    "Sans espace du tout! Vraiment?",
    "Rendez-vous à 14:30, ratio 1:2, clin d'œil ;-) et voir:https://www.insee.fr/a?b=1.",
    "Voir https://www.insee.fr/fr/statistiques?x=1 ou www.insee.fr/?q=2 ou mailto:a@b.fr.",
    "Le code `a ? b` et `print(\"x\")` puis `QQQ` ne comptent pas.",
    "Un écran de 15\" et le \"Grand Paris\" en 2024.",
    f"Le dispositif «{NNBSP}Quartiers 2030{NNBSP}» et le « mauvais » et le «collé».",
    f"Le «{NBSP}bon{NBSP}» puis «{NNBSP}demi » puis « autre{NNBSP}».",
    "La DGFIP, l'URSSAF, le XXIe siècle, chapitre IV, la CAF et les QPV.",
    "Les sigles coupés Q*PV* et **DR**EETS et *AB*CD puis QPVwww.exemple.fr et AB&CD.",
    "Le FSE+ finance, le FSE+ aussi ; mais le FSE seul, le FSE+X et le (FSE+) ?",
    "Des sigles en fin: l'ANAH. Puis ANAH encore, et le CNAF, et É*TAT*.",
    "Lire [ici](https://www.insee.fr/) puis [cliquez ici](02-page.md) ou [le rapport annuel de l'Insee](https://www.insee.fr/r).",
    "Un lien [](https://www.insee.fr/) vide et un autre [ ](https://x.org/) presque vide.",
    "Des liens [**ici**](https://x.fr) et [`lien`](https://x.fr) et [*Cliquez* ici !](https://x.fr).",
    "Écoutez [l'entretien](assets/entretien.mp3) et voyez [le film](assets/film.mp4?v=1#t).",
    "Une note de bas de page[^1] et une autre[^2].",
    "*Attention* : **bien**! _souligné_ ? ~~barré~~ ; `code` : fin.",
    "Un caractère &nbsp;? et &quot;entité&quot; et &amp; et &lt;b&gt; : fin.",
    "Le texte est affiché en vert, la réponse rouge, surligné.",
    "Une ligne\ncoupée ? Et une autre\\\ncoupée !",
]

RAW_HTML = [
    '<video controls src="film.mp4"></video>',
    '<video controls src="film2.mp4"><track kind="captions" src="film2.vtt" srclang="fr"></video>',
    '<audio controls src="x.mp3"></audio>',
    "<p>Texte <em>en</em> « guillemets » ? et <strong>fort</strong>!</p>",
    "<p><span>Q</span><span>PV</span> et <span>XY</span>Z et <abbr title=\"x\">ZZZ</abbr> ; WWW</p>",
    '<p><a href="https://x.fr">ici</a> et <a href="https://x.fr"></a> et <a href="https://x.fr"><img src="assets/fig.png" alt="Logo"></a></p>',
    '<p><a href="https://x.fr" aria-label="Le site">ici</a> et <a>ici</a> et <a href="#x" class="footnote-backref">ici</a></p>',
    "<table><tr><td>a</td><td>b ?</td></tr></table>",
    "<table><thead><tr><th> </th></tr></thead><tbody><tr><td>x</td></tr></tbody></table>",
    "<table><tr><th><em>Titre</em></th></tr><tr><td>1</td></tr></table>",
    "<p>A&quot;B &nbsp;? &#160;! &#x202F;: &#171;x&#187; &laquo;&#8239;y&#8239;&raquo;</p>",
    "<p>Commentaire <!-- caché ? --> visible ?</p>",
    "<p><code>x</code>? et <kbd>Ctrl</kbd> ! et <code>AB</code>CD</p>",
    '<p>Le <span class="efop-sr-only">caché ?</span>? et <span class="x efop-sr-only">CACHÉ</span>!</p>',
    "<div>«x» et <br>? et <br>«</div>",
    '<p title="a &gt; b ?">titre</p><p>A<br>BC</p>',
    '<p><a href="https://x.fr">ici <em>non fermé</p><p>suite ?</a></p>',
    "<ul><li>un ?</li><li>: deux</li><li>trois<ul><li>QUATRE</li></ul></li></ul>",
    "<details><summary>Plus ?</summary>Texte !</details>",
    '<p><a href="assets/entretien.mp3">écouter</a> <a href="https://x.fr/film.MP4">voir</a></p>',
    "<p>v<em>er</em>t et en <em>vert</em> et <q>citation \"x\"</q></p>",
]

HEADINGS = ["## Partie", "### Sous-partie", "#### Trop bas", "## Autre partie", "##### Encore plus bas"]

TABLES = [
    "| Indicateur | QPV |\n|---|---|\n| Chômage | 14 % |",
    "|  |  |\n|---|---|\n| Chômage | 14 % |",
    "| **Gras** | `code` |\n|:--|--:|\n| a ? | b |",
]

CALLOUTS = [
    "::: info Transcription\nBonjour et bienvenue ?\n:::",
    "::: warning\nAttention : le « piège » !\n:::",
]

QUIZ = """\
---
id: quiz
title: Quiz ?
type: quiz
questions:
  - id: q1
    type: single
    prompt: Combien ?
    choices:
      - text: '"199"'
        feedback: "Non : la bonne réponse est affichée en vert."
      - text: "204"
        correct: true
    feedback:
      correct: Exact{nnbsp}!
      incorrect: Relisez la page précédente ; la réponse surlignée.
  - id: q2
    type: multiple
    prompt: Quels sigles (DGFIP, QPV) ?
    choices:
      - text: PLIE
        correct: true
      - text: "CEJ : oui"
        correct: true
      - text: REP
        feedback: Les cases rouges sont fausses !
  - id: q3
    type: matching
    prompt: "Associez{nnbsp}:"
    pairs:
      - source: ANRU
        target: Agence « nationale »
      - source: CCAS
        target: 'Centre "communal"'
    distractors:
      - Autre chose !
  - id: q4
    type: ordering
    prompt: Dans l'ordre ?
    items: [Accueil, "Diagnostic ?", Bilan]
  - id: q5
    type: true-false
    prompt: Le ciel est bleu{nnbsp}?
    answer: true
  - id: q6
    type: fill-in
    prompt: Que signifie le P de QPV ? (un mot)
    accept: [prioritaire]
---
Répondez aux questions : puis validez !
"""


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")) + chunk(b"IEND", b"")


def _retype(text: str, rng: random.Random) -> str:
    """Randomise the space before each ``? ! : ;`` and inside « »."""
    out = []
    spaces = [NNBSP, NBSP, " ", ""]
    for i, ch in enumerate(text):
        if ch == " " and i + 1 < len(text) and text[i + 1] in "?!:;»":
            out.append(rng.choice(spaces))
        elif ch == " " and i and text[i - 1] == "«":
            out.append(rng.choice(spaces))
        else:
            out.append(ch)
    return "".join(out)


def make_bad_course(root: Path, seed: int = 1, *, modules: int = 2, pages: int = 4, fuzz: int = 0) -> Path:
    """A deterministic course full of lint findings (raw HTML allowed). ``fuzz`` > 0 adds that
    many paragraphs of random Markdown/HTML soup to each page."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    (root / "course.yml").write_text(
        "id: mauvais\ntitle: Un cours \"mal\" typographié ?\nlanguage: fr\nversion: '1.0'\npublisher: Test\n"
        "iri: https://example.org/xapi/mauvais\nallow_raw_html: true\n"
        "description: Une *description* ; avec des « erreurs » et un [lien](https://x.fr) ?\n",
        encoding="utf-8",
    )
    (root / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    for m in range(1, modules + 1):
        folder = root / "modules" / f"0{m}-m{m}"
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "fig.png").write_bytes(_png())
        (folder / "assets" / "entretien.mp3").write_bytes(b"ID3")
        (folder / "assets" / "film.mp4").write_bytes(b"\x00\x00\x00\x18ftyp")
        (folder / "module.yml").write_text(
            f"id: m{m}\ntitle: 'Module {m} : le \"{m}\"'\ndescription: Que faire ?\n"
            "objectives:\n  - Expliquer le **QPV** !\n  - Citer la DGFIP ; et [ici](https://x.fr)\n",
            encoding="utf-8",
        )
        for p in range(1, pages + 1):
            blocks: list[str] = []
            for _ in range(rng.randint(6, 14)):
                kind = rng.random()
                if kind < 0.45:
                    blocks.append(_retype(rng.choice(PROSE), rng))
                elif kind < 0.65:
                    blocks.append(_retype(rng.choice(RAW_HTML), rng))
                elif kind < 0.78:
                    blocks.append(rng.choice(HEADINGS))
                elif kind < 0.86:
                    blocks.append(rng.choice(TABLES))
                elif kind < 0.92:
                    blocks.append(_retype(rng.choice(CALLOUTS), rng))
                elif kind < 0.96:
                    blocks.append("- " + _retype(rng.choice(PROSE), rng) + "\n- " + _retype(rng.choice(PROSE), rng))
                else:
                    blocks.append("> " + _retype(rng.choice(PROSE), rng))
            if rng.random() < 0.5:
                blocks.append('![Un graphique : « courbe » ?](assets/fig.png "Évolution ? (QPV)")')
            for _ in range(fuzz):
                blocks.append(_soup(rng))
            blocks.append("[^1]: Une note ? Avec un \"guillemet\".\n[^2]: Et la DGFIP !")
            title = _retype(rng.choice(["Une page ?", "Les « QPV »", "Pourquoi : parce que", "Le \"titre\"", "Titre"]), rng)
            title = title.replace('"', '\\"')
            (folder / f"0{p}-page.md").write_text(
                f'---\nid: page-{p}\ntitle: "{title}"\n---\n' + "\n\n".join(blocks) + "\n", encoding="utf-8"
            )
        (folder / f"0{pages + 1}-quiz.md").write_text(_retype(QUIZ, rng).format(nnbsp=NNBSP), encoding="utf-8")
    return root


SOUP = [
    "Le", "QPV", "DGFIP", "Q", "PV", "IV", "bien", "14", "30", " ", " ", " ", NBSP, NNBSP, "?", "!", ":", ";",
    "«", "»", '"', "*", "**", "`", "[ici](https://x.fr/)", "[](https://x.fr/)", "https://www.x.fr/a?b", "www.y.fr",
    "&amp;", "&quot;", "&nbsp;", "&#8239;", "<em>", "</em>", "<span>", "</span>", "<code>", "</code>", "<br>",
    '<span class="efop-sr-only">', "<a href=\"https://x.fr\">", "</a>", "<p>", "</p>", "<th>", "<table>", "\n",
    "ÉTAT", "15", "voir", "-", "/", "(", ")", ".", "@", "&", "'", "_", "ici", "en vert", "rouge", "\\", "FSE+", "FSE",
]


def _soup(rng: random.Random) -> str:
    return "".join(rng.choice(SOUP) for _ in range(rng.randint(5, 60))).strip() or "x"


def _lines(root: Path) -> list[str]:
    course, _ = load_course(root)
    assert course is not None
    return [f"{d.code}|{d.severity.name}|{d.loc.path}:{d.loc.line}|{d.message}" for d in lint_course(course)]


def _both(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    course, _ = load_course(root)
    assert course is not None
    fast = lint_course(course)
    monkeypatch.setattr(lint_mod, "PRECHECKS", False)
    slow = lint_course(course)
    monkeypatch.setattr(lint_mod, "PRECHECKS", True)

    def fmt(diags: list) -> list[str]:
        return [f"{d.code}|{d.severity.name}|{d.loc.path}:{d.loc.line}|{d.message}" for d in diags]

    return fmt(fast), fmt(slow)


def test_bad_course_matches_the_lint_before_the_prechecks(tmp_path: Path, golden) -> None:
    lines = _lines(make_bad_course(tmp_path / "c"))
    assert len(lines) > 100
    assert {line.split("|")[0] for line in lines} == set(lint_mod.RULES)  # every rule fires
    golden("lint/bad-course.txt", "\n".join(lines) + "\n")


def test_fast_and_precise_paths_agree_on_the_bad_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(make_bad_course(tmp_path / "c", seed=2), monkeypatch)
    assert len(slow) > 100
    assert fast == slow


@pytest.mark.parametrize("seed", range(3, 9))
def test_fast_and_precise_paths_agree_on_random_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    root = make_bad_course(tmp_path / "c", seed=seed, modules=1, pages=3, fuzz=12)
    fast, slow = _both(root, monkeypatch)
    assert fast == slow


def test_prechecks_skip_clean_prose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Well-typeset prose never reaches lxml (the point of the pre-checks)."""
    from efop_author.lint import _source

    root = tmp_path / "c"
    (root / "modules" / "01-m").mkdir(parents=True)
    (root / "course.yml").write_text(
        "id: c\ntitle: Cours\nlanguage: fr\nversion: '1.0'\npublisher: T\niri: https://example.org/c\n", encoding="utf-8"
    )
    (root / "glossary.yml").write_text("QPV: Quartier prioritaire\n", encoding="utf-8")
    (root / "modules" / "01-m" / "module.yml").write_text("id: m\ntitle: Module\n", encoding="utf-8")
    body = (
        f"## Partie\n\nLes QPV{NNBSP}: voir [le site de l'Insee](https://www.insee.fr/){NNBSP}!\n\n"
        f"| Commune | QPV |\n|---|---:|\n| Lille | 3 |\n\n### Détail\n\nLe «{NNBSP}bon{NNBSP}» choix{NNBSP}?\n"
    )
    (root / "modules" / "01-m" / "01-p.md").write_text(f"---\nid: p\ntitle: Page\n---\n{body}", encoding="utf-8")
    course, diags = load_course(root)
    assert course is not None and not diags.errors
    calls: list[str] = []
    real = _source.parse_fragment
    monkeypatch.setattr(_source, "parse_fragment", lambda h: calls.append(h) or real(h))
    assert lint_course(course) == []
    assert calls == []
