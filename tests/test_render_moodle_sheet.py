"""The French Moodle import sheet."""

from __future__ import annotations

from efop_author.render.moodle_sheet import moodle_import_sheet
from efop_author.render.sample import sample_content_module, sample_course, sample_module
from efop_author.render.suspend import suspend_worst_case


def test_assessed_module_sheet() -> None:
    course = sample_course()
    module = course.modules[0]
    text = moodle_import_sheet(course, module)
    assert text.startswith("# Fiche d'import Moodle : Les QPV en chiffres\n")
    assert "Score de maîtrise : 80 / 100" in text
    assert "| Note | Méthode d'évaluation | Note la plus haute |" in text
    assert "| Achèvement d'activité | Requiert un statut | Réussi |" in text
    assert "| Réglages de compatibilité | Imposer de terminer | Non |" in text
    assert f"au plus {suspend_worst_case(module)} caractères" in text


def test_completion_only_module_sheet() -> None:
    course = sample_course(modules=(sample_content_module(),))
    text = moodle_import_sheet(course, course.modules[0])
    assert "Pas de score de maîtrise" in text
    assert "| Achèvement d'activité | Requiert un statut | Terminé |" in text
    assert "Objets d'apprentissage" in text


def test_bundle_sheet() -> None:
    course = sample_course(modules=(sample_module(), sample_content_module()))
    text = moodle_import_sheet(course, None)
    assert "### Les QPV en chiffres" in text and "### Lecture seule" in text
    assert "Tous les SCOs doivent retourner le statut d'achèvement | Oui" in text
    assert "| Apparence | Afficher la navigation | Sous le contenu |" in text
