#!/usr/bin/env python3
"""Seeded benchmark corpus in the efop-author course format (docs/dev/contracts.md §1).

    python benchmarks/make_corpus.py OUT_DIR --modules N --pages M --seed S

Writes ``course.yml``, ``glossary.yml`` (20 acronyms used in the text) and N modules, each
with M content pages of about 600 words of French prose (``##``/``###`` headings, a list, a
table, a link to another page of the module, an external link, one ~20 KB noisy PNG with alt
text and caption) plus one 8-question quiz page (single, multiple, true-false, matching,
ordering, fill-in). Same arguments -> byte-identical files. Standard library + PyYAML only.
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

import yaml

WORDS_PER_PAGE = 600
IMAGE_SIZE = (96, 70)  # 96 * 70 * 3 bytes of noise -> a PNG of about 20 KB

GLOSSARY = {
    "QPV": "Quartier prioritaire de la politique de la ville",
    "EPCI": "Établissement public de coopération intercommunale",
    "INSEE": "Institut national de la statistique et des études économiques",
    "CAF": "Caisse d'allocations familiales",
    "ANRU": "Agence nationale pour la rénovation urbaine",
    "NPNRU": "Nouveau programme national de renouvellement urbain",
    "DREETS": "Direction régionale de l'économie, de l'emploi, du travail et des solidarités",
    "PLIE": "Plan local pour l'insertion et l'emploi",
    "CCAS": "Centre communal d'action sociale",
    "RSA": "Revenu de solidarité active",
    "IAE": "Insertion par l'activité économique",
    "ESS": "Économie sociale et solidaire",
    "PEC": "Parcours emploi compétences",
    "CEJ": "Contrat d'engagement jeune",
    "AAH": "Allocation aux adultes handicapés",
    "ANCT": "Agence nationale de la cohésion des territoires",
    "PRE": "Programme de réussite éducative",
    "REP": "Réseau d'éducation prioritaire",
    "FSE": "Fonds social européen",
    "CLSPD": "Conseil local de sécurité et de prévention de la délinquance",
}
ACRONYMS = sorted(GLOSSARY)

SUBJECTS = [
    "Le conseiller", "La mission locale", "L'équipe du {acr}", "Chaque habitant du {acr}",
    "Le référent de parcours", "La collectivité", "Le service public de l'emploi",
    "Le partenaire associatif", "La commune", "L'intercommunalité", "Le chargé d'insertion",
    "Le dispositif {acr}", "La structure d'accueil", "L'employeur local", "Le bénéficiaire du {acr}",
    "La coordinatrice", "Le centre social", "La délégation territoriale",
]
VERBS = [
    "accompagne", "oriente", "mobilise", "évalue", "coordonne", "soutient", "finance",
    "repère", "informe", "réunit", "améliore", "facilite", "renforce", "observe", "mesure",
    "prépare", "anime", "développe", "simplifie", "présente",
]
OBJECTS = [
    "les demandeurs d'emploi", "les jeunes de seize à vingt-cinq ans", "les familles monoparentales",
    "les acteurs du quartier", "les parcours d'insertion", "les données du {acr}",
    "les besoins de formation", "les démarches administratives", "l'accès aux droits",
    "les projets de rénovation", "les indicateurs de précarité", "les entreprises partenaires",
    "les actions collectives", "la mobilité des habitants", "la réussite scolaire",
    "les écarts de revenus", "les solutions de garde d'enfants", "les freins périphériques",
]
COMPLEMENTS = [
    "dans le cadre du {acr}", "avec l'appui de la {acr2}", "selon les chiffres de l'{acr}",
    "sur l'ensemble du territoire régional", "au plus près des habitants", "depuis plusieurs années",
    "en lien avec les élus", "grâce à des permanences hebdomadaires", "pendant toute la durée du contrat",
    "à partir d'un diagnostic partagé", "en s'appuyant sur le réseau local", "lorsque la situation l'exige",
    "malgré des moyens limités", "au sein d'un comité de pilotage", "pour chaque quartier concerné",
]
CLAUSES = [
    "afin de réduire les inégalités territoriales", "ce qui favorise le retour à l'emploi",
    "tout en respectant le rythme de chacun", "pour éviter les ruptures de parcours",
    "car les besoins évoluent rapidement", "et les résultats sont suivis chaque trimestre",
    "même si les délais restent longs", "afin que personne ne reste sans solution",
    "ce qui demande une coordination étroite", "pour que l'information circule mieux",
]
TOPICS = [
    "Repères", "Les chiffres clés", "Les acteurs", "Le cadre réglementaire", "Les publics",
    "Les dispositifs", "Les financements", "Les bonnes pratiques", "Le diagnostic", "Les enjeux",
    "Le suivi", "L'évaluation", "Les partenariats", "La mobilité", "La formation", "Le logement",
    "L'éducation", "La santé", "La participation", "Les perspectives",
]
QUALIFIERS = [
    "du territoire", "en pratique", "à retenir", "pour l'accompagnement", "dans les quartiers",
    "et leurs limites", "au quotidien", "de la région", "pour les jeunes", "des partenaires",
]
CITIES = ["Lille", "Roubaix", "Amiens", "Calais", "Dunkerque", "Beauvais", "Valenciennes",
          "Arras", "Saint-Quentin", "Lens", "Boulogne-sur-Mer", "Creil", "Maubeuge", "Douai"]
EXTERNAL = [
    ("le site de l'Insee", "https://www.insee.fr/fr/statistiques"),
    ("le portail de la politique de la ville", "https://sig.ville.gouv.fr/"),
    ("le site de l'ANCT", "https://agence-cohesion-territoires.gouv.fr/"),
    ("Service-Public.fr", "https://www.service-public.fr/"),
    ("le site de France Travail", "https://www.francetravail.fr/"),
]


def fr(text: str) -> str:
    """French typography: narrow no-break space before ? ! ; and inside « », no-break before :."""
    for a, b in ((" ?", "\u202f?"), (" !", "\u202f!"), (" ;", "\u202f;"), (" :", "\u00a0:"),
                 ("« ", "«\u202f"), (" »", "\u202f»")):
        text = text.replace(a, b)
    return text


def _fill(rng: random.Random, template: str) -> str:
    a, b = rng.sample(ACRONYMS, 2)
    return template.replace("{acr2}", b).replace("{acr}", a)


def sentence(rng: random.Random) -> str:
    parts = [_fill(rng, rng.choice(SUBJECTS)), rng.choice(VERBS), _fill(rng, rng.choice(OBJECTS)),
             _fill(rng, rng.choice(COMPLEMENTS))]
    if rng.random() < 0.6:
        parts[-1] += ","
        parts.append(rng.choice(CLAUSES))
    return " ".join(parts) + "."


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def words(text: str) -> int:
    return len(text.split())


def title(rng: random.Random) -> str:
    return f"{rng.choice(TOPICS)} {rng.choice(QUALIFIERS)}"


def slug(n: int) -> str:
    return f"{n:02d}-partie-{n}"


# -- PNG --------------------------------------------------------------------------------------
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_png(rng: random.Random, width: int = IMAGE_SIZE[0], height: int = IMAGE_SIZE[1]) -> bytes:
    """An RGB PNG of noisy pixels (so it does not shrink under deflate), deterministic."""
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b"")


# -- pages ------------------------------------------------------------------------------------
def typeset(data):
    """Apply :func:`fr` to every string of a YAML structure."""
    if isinstance(data, dict):
        return {k: typeset(v) for k, v in data.items()}
    if isinstance(data, list):
        return [typeset(v) for v in data]
    return fr(data) if isinstance(data, str) else data


def dump(data) -> str:
    return yaml.safe_dump(typeset(data), allow_unicode=True, sort_keys=False, width=100)


def front_matter(data: dict) -> str:
    return "---\n" + dump(data) + "---\n"


def content_page(rng: random.Random, n: int, pages: int, quiz_file: str) -> tuple[str, str]:
    """(page title, file text) of content page ``n`` (1-based) among ``pages``."""
    page_title = title(rng)
    other = slug(n + 1 if n < pages else max(1, n - 1)) + ".md" if pages > 1 else quiz_file
    ext_label, ext_url = rng.choice(EXTERNAL)
    acr = rng.sample(ACRONYMS, 4)
    blocks: list[str] = []
    blocks.append(f"## {title(rng)}")
    blocks.append(paragraph(rng, 5))
    blocks.append(f"Pour aller plus loin, voir [la partie suivante]({other}) ou consulter {'[' + ext_label + '](' + ext_url + ')'}. "
                  + paragraph(rng, 2))
    blocks.append(f"### {title(rng)} ({acr[0]})")
    blocks.append(paragraph(rng, 4))
    blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
    blocks.append(f"## {title(rng)}")
    cities = rng.sample(CITIES, 4)
    rows = ["| Commune | Habitants en QPV | Taux de chômage | Part des moins de 25 ans |",
            "|---|---:|---:|---:|"]
    for c in cities:
        rows.append(f"| {c} | {rng.randint(2000, 60000):,} | {rng.randint(80, 320) / 10:.1f} % | {rng.randint(150, 450) / 10:.1f} % |"
                    .replace(",", "\u202f").replace(".", ","))
    blocks.append("\n".join(rows))
    blocks.append(paragraph(rng, 3))
    blocks.append(f'![Graphique : évolution des indicateurs pour {acr[1]} et {acr[2]}](assets/figure-{n:02d}.png '
                  f'"Évolution des indicateurs ({acr[1]})")')
    blocks.append(f"### {title(rng)}")
    while words("\n".join(blocks)) < WORDS_PER_PAGE:
        blocks.append(paragraph(rng, 3))
    body = fr("\n\n".join(blocks)) + "\n"
    return page_title, front_matter({"id": f"partie-{n}", "title": page_title}) + body


def quiz_page(rng: random.Random, mid: int) -> str:
    a = rng.sample(ACRONYMS, 8)
    c = rng.sample(CITIES, 6)
    questions = [
        {"id": "q1-single", "type": "single",
         "prompt": f"Que signifie le sigle **{a[0]}** ?",
         "choices": [{"text": GLOSSARY[a[0]], "correct": True, "feedback": "Oui."},
                     {"text": GLOSSARY[a[1]], "feedback": f"Non, c'est le sens de {a[1]}."},
                     {"text": GLOSSARY[a[2]]}],
         "feedback": {"correct": "Exact !", "incorrect": f"Non : {a[0]} signifie « {GLOSSARY[a[0]]} »."}},
        {"id": "q2-single", "type": "single",
         "prompt": f"Quelle commune compte le plus d'habitants en QPV dans l'exemple du module {mid} ?",
         "choices": [{"text": c[0], "correct": True}, {"text": c[1]}, {"text": c[2]}, {"text": c[3]}]},
        {"id": "q3-multiple", "type": "multiple",
         "prompt": "Quels acteurs peuvent *accompagner* un demandeur d'emploi ?",
         "choices": [{"text": "La mission locale", "correct": True},
                     {"text": f"Le référent {a[3]}", "correct": True},
                     {"text": "Le cadastre", "feedback": "Il ne suit pas les parcours."},
                     {"text": "Le conseiller en insertion", "correct": True}]},
        {"id": "q4-multiple", "type": "multiple",
         "prompt": "Quels sigles relèvent de l'emploi ?",
         "choices": [{"text": "PLIE", "correct": True}, {"text": "CEJ", "correct": True},
                     {"text": "REP"}, {"text": "AAH"}]},
        {"id": "q5-tf", "type": "true-false",
         "prompt": f"Le {a[4]} est financé uniquement par l'État.", "answer": False},
        {"id": "q6-matching", "type": "matching",
         "prompt": "Associez chaque sigle à sa signification.",
         "pairs": [{"source": x, "target": GLOSSARY[x]} for x in a[5:8]],
         "distractors": [GLOSSARY[a[0]]]},
        {"id": "q7-ordering", "type": "ordering",
         "prompt": "Remettez dans l'ordre les étapes d'un parcours.",
         "items": ["Accueil", "Diagnostic", "Plan d'action", "Suivi", "Bilan"]},
        {"id": "q8-fill", "type": "fill-in",
         "prompt": "Que signifie le P de QPV ? (un mot)",
         "accept": ["prioritaire", "prioritaires"]},
    ]
    fm = {"id": "quiz", "title": "Testez vos connaissances", "type": "quiz", "pass_score": 75,
          "attempts": 3, "shuffle": bool(mid % 2), "questions": questions}
    return front_matter(fm) + "Répondez aux huit questions, puis validez.\n"


def make_corpus(out: Path, modules: int, pages: int, seed: int) -> Path:
    if out.exists():
        shutil.rmtree(out)
    (out / "modules").mkdir(parents=True)
    rng = random.Random(seed)
    course = {"id": "bench", "title": f"Corpus de mesure {modules} × {pages}", "language": "fr",
              "version": "1.0.0", "publisher": "Banc d'essai efop-author",
              "iri": "https://example.org/xapi/bench", "mastery_score": 75, "targets": ["scorm12"]}
    (out / "course.yml").write_text(dump(course), encoding="utf-8")
    (out / "glossary.yml").write_text(dump(GLOSSARY), encoding="utf-8")
    for m in range(1, modules + 1):
        folder = out / "modules" / f"{m:03d}-module-{m}"
        (folder / "assets").mkdir(parents=True)
        mod = {"id": f"module-{m}", "title": f"Module {m} : {title(rng)}",
               "description": paragraph(rng, 1),
               "objectives": [f"Expliquer le rôle du **{x}**." for x in rng.sample(ACRONYMS, 3)],
               "duration": 10 * pages, "mastery_score": 75}
        (folder / "module.yml").write_text(dump(mod), encoding="utf-8")
        quiz_file = f"{pages + 1:02d}-quiz.md"
        for n in range(1, pages + 1):
            _, text = content_page(rng, n, pages, quiz_file)
            (folder / f"{slug(n)}.md").write_text(text, encoding="utf-8")
            (folder / "assets" / f"figure-{n:02d}.png").write_bytes(make_png(rng))
        (folder / quiz_file).write_text(quiz_page(rng, m), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--modules", type=int, default=10)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    if a.modules < 1 or a.pages < 1:
        ap.error("--modules and --pages must be >= 1")
    make_corpus(a.out, a.modules, a.pages, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
