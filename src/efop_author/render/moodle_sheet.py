"""Render stage: the French « fiche d'import Moodle » written next to each SCORM package.

``moodle_import_sheet(course, module)`` returns Markdown with the recommended Moodle 4.x
settings for one module's package (``module``) or for a bundle of every module (``None``),
and what Moodle will show. The text is French by design (for Moodle administrators of French
organisations); the reasons behind each setting are in docs/moodle.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from efop_author.render.suspend import SUSPEND_LIMIT, suspend_worst_case

if TYPE_CHECKING:
    from efop_author.model import Course, Module


def _quiz_count(module: Module) -> int:
    return sum(1 for p in module.pages if p.quiz is not None)


def _assessed(module: Module) -> bool:
    return module.mastery_score is not None and _quiz_count(module) > 0


def _describe(module: Module) -> list[str]:
    questions = sum(len(p.quiz.questions) for p in module.pages if p.quiz is not None)
    lines = [
        f"- Pages : {len(module.pages)} ; quiz : {_quiz_count(module)} ({questions} questions).",
    ]
    if module.duration_minutes:
        lines.append(f"- Durée estimée : {module.duration_minutes} min.")
    if _assessed(module):
        lines.append(
            f"- Score de maîtrise : {module.mastery_score} / 100 (déclaré dans le manifeste, "
            "`adlcp:masteryscore`). Le module envoie `passed` (réussi) ou `failed` (échoué) "
            "et un score de 0 à 100 (moyenne des quiz)."
        )
    else:
        lines.append(
            "- Pas de score de maîtrise : le module envoie `completed` (terminé) quand toutes "
            "les pages ont été vues" + (" ; le score des quiz est aussi transmis." if _quiz_count(module) else ".")
        )
    lines.append(
        f"- Données de reprise : au plus {suspend_worst_case(module)} caractères "
        f"(limite SCORM 1.2 : {SUSPEND_LIMIT}) ; le module fonctionne donc que le « mode standard "
        "SCORM 1.2 » du site soit activé ou non."
    )
    return lines


def moodle_import_sheet(course: Course, module: Module | None) -> str:
    """French Markdown: the recommended Moodle settings for one module's package or a bundle."""
    modules = course.modules if module is None else (module,)
    assessed = any(_assessed(m) for m in modules)
    bundle = module is None and len(modules) > 1
    title = module.title if module is not None else course.title
    out: list[str] = [f"# Fiche d'import Moodle : {title}", ""]
    out.append(f"Cours « {course.title} », version {course.version}, {course.publisher}.")
    out.append("Paquet SCORM 1.2 à déposer dans une activité **Paquetage SCORM** (Moodle 4.x).")
    out.append("")
    out.append("## Contenu du paquet")
    out.append("")
    for m in modules:
        if bundle:
            out.append(f"### {m.title}")
            out.append("")
        out.extend(_describe(m))
        out.append("")
    out.append("## Réglages recommandés")
    out.append("")
    out.append("| Section de l'activité | Réglage | Valeur recommandée |")
    out.append("| --- | --- | --- |")
    # Labels as in Moodle 4.4's French language pack (mod_scorm).
    rows: list[tuple[str, str, str]] = [
        ("Apparence", "Afficher le paquetage", "Fenêtre courante (« Nouvelle fenêtre » fonctionne aussi)"),
        ("Apparence", "Désactiver le mode prévisualisation", "Oui (la prévisualisation ne compte pas : statut « Consulté », pas de note)"),
        (
            "Apparence",
            "Affichage de la structure du contenu dans le lecteur",
            "Sur le côté" if bundle else "Désactivé (le module a son propre sommaire)",
        ),
        ("Apparence", "Afficher la navigation", "Sous le contenu" if bundle else "Non (boutons « Précédent » / « Suivant » dans le module)"),
        ("Apparence", "Continuer automatiquement", "Oui" if bundle else "Non"),
    ]
    if assessed:
        rows += [
            ("Note", "Méthode d'évaluation", "Note moyenne" if bundle else "Note la plus haute"),
            ("Note", "Note maximale", "100"),
        ]
    else:
        rows += [
            ("Note", "Méthode d'évaluation", "Objets d'apprentissage (nombre de modules terminés)"),
            ("Note", "Note maximale", str(len(modules))),
        ]
    rows += [
        ("Gestion des tentatives", "Nombre de tentatives", "Tentatives illimitées (ou selon votre politique)"),
        ("Gestion des tentatives", "Évaluation des tentatives", "Meilleure tentative"),
        ("Gestion des tentatives", "Imposer une nouvelle tentative", "Non"),
        ("Gestion des tentatives", "Verrouiller après la tentative finale", "Selon votre politique"),
        ("Réglages de compatibilité", "Imposer de terminer", "Non"),
        ("Réglages de compatibilité", "Le score de maîtrise remplace le statut", "Oui (valeur par défaut)"),
    ]
    if assessed:
        rows.append(("Achèvement d'activité", "Requiert un statut", "Réussi"))
        rows.append(("Achèvement d'activité", "Requiert un score minimal", "Facultatif (le statut « Réussi » suffit)"))
    else:
        rows.append(("Achèvement d'activité", "Requiert un statut", "Terminé"))
    if bundle:
        rows.append(("Achèvement d'activité", "Tous les SCOs doivent retourner le statut d'achèvement", "Oui"))
    for section, setting, value in rows:
        out.append(f"| {section} | {setting} | {value} |")
    out.append("")
    out.append("## Ce que verra l'apprenant et ce que Moodle enregistrera")
    out.append("")
    out.append(
        "- Au premier lancement, le statut passe à « Incomplet » ; le module mémorise la dernière "
        "page vue et propose « Reprendre là où vous vous étiez arrêté » au lancement suivant."
    )
    if assessed:
        out.append(
            "- Après le quiz, le statut devient « Réussi » ou « Échoué » et la note (0 à 100) apparaît "
            "dans le carnet de notes ; chaque réponse est visible dans le rapport « Interactions »."
        )
    else:
        out.append("- Le statut devient « Terminé » quand toutes les pages ont été vues.")
    out.append(
        "- Le bouton « Quitter » du module enregistre tout et termine la session ; fermer la page "
        "fonctionne aussi, mais le temps passé peut alors ne pas être compté."
    )
    out.append("")
    out.append("Détails et cas particuliers : docs/moodle.md.")
    out.append("")
    return "\n".join(out)
