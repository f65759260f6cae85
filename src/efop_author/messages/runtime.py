"""Message catalogue, run-time: diagnostics about learner state and the strings runtime.js shows.

``MESSAGES`` holds diagnostic texts (CLI locale). ``UI`` holds the strings passed to the
browser run-time in the ``efop-data`` JSON (``strings``), chosen by ``course.language``.
``{name}`` placeholders are filled in by runtime.js.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "runtime.suspend-overflow": (
            "le module « {module} » peut produire un état de reprise de {size} caractères, "
            "au-delà de la limite SCORM 1.2 de {limit} (cmi.suspend_data) : réduisez le nombre "
            "de pages ou de questions, ou raccourcissez leurs identifiants"
        ),
    },
    "en": {
        "runtime.suspend-overflow": (
            "module '{module}' can produce a resume state of {size} characters, over the "
            "SCORM 1.2 limit of {limit} (cmi.suspend_data): use fewer pages or questions, or "
            "shorter ids"
        ),
    },
}

UI: dict[str, dict[str, str]] = {
    "fr": {
        "correct": "Bonne réponse",
        "incorrect": "Mauvaise réponse",
        "partial": "Réponse incomplète",
        "unanswered": "Vous n'avez pas répondu à cette question.",
        "expected": "Réponse attendue : {answer}",
        "score": "Votre score : {score} % (score à atteindre : {pass} %).",
        "score-nopass": "Votre score : {score} %.",
        "quiz-passed": "Quiz réussi.",
        "quiz-failed": "Quiz non réussi.",
        "attempts-left": "Essais restants : {n}.",
        "no-attempts-left": "Vous avez utilisé tous vos essais.",
        "retry-hint": "Vous pouvez modifier vos réponses puis les valider à nouveau.",
        "resume": "Reprendre là où vous vous étiez arrêté",
        "resume-text": "Vous aviez commencé ce module. Dernière page consultée : « {title} ».",
        "restart": "Rester au début",
        "progress": "{seen} pages vues sur {total}",
        "page-of": "Page {n} sur {total}",
        "visited": "(déjà vue)",
        "current": "(page en cours)",
        "moved": "« {item} » est maintenant en position {pos} sur {total}.",
        "lms-missing": "Mode autonome : aucune plateforme de formation détectée, votre progression ne sera pas transmise.",
        "lms-error": "La plateforme n'a pas confirmé l'enregistrement. Nouvel essai automatique : vos réponses sont conservées.",
        "lms-recovered": "Vos données ont bien été enregistrées par la plateforme.",
        "lms-failed": "La plateforme n'enregistre pas vos données pour le moment. Gardez cette page ouverte : un nouvel essai sera fait à la prochaine étape.",
        "web-saved": "Votre progression est enregistrée dans ce navigateur.",
        "web-nostorage": "Votre navigateur ne permet pas d'enregistrer votre progression.",
        "finished": "Vous avez terminé ce module. Vous pouvez fermer cette fenêtre.",
        "exited": "Votre session est terminée. Vous pouvez fermer cette fenêtre.",
        "completed": "Module terminé.",
        "module-passed": "Module réussi.",
        "module-failed": "Module non réussi.",
        "table": "Tableau",
        "cmi5-launch": "Le module n'a pas pu ouvrir sa session sur la plateforme : votre progression ne sera pas transmise. Relancez-le depuis la plateforme.",
        "cmi5-browse": "Mode consultation : vos réponses et votre progression ne sont pas enregistrées.",
        "cmi5-ended": "Cette session est terminée : vos réponses ne sont plus transmises. Relancez le module depuis la plateforme.",
        "cmi5-auth": "La plateforme refuse l'accès : vos réponses sont conservées dans ce navigateur. Relancez le module depuis la plateforme.",
        "cmi5-rejected": "La plateforme a refusé une partie des données. Signalez-le à votre formateur.",
        "loading": "Chargement de votre progression…",
        "lms-start": "Votre progression précédente n'a pas pu être récupérée : le module commence au début.",
        "lms-timeout": "La plateforme ne répond pas : le module commence au début, sans votre progression précédente. Vos réponses sont conservées dans ce navigateur et seront envoyées automatiquement.",
        "xapi-no-launch": "Aucun LRS n'est indiqué dans l'adresse de lancement : votre progression ne sera pas transmise.",
        "xapi-no-state": "La plateforme ne permet pas la reprise : votre progression sera transmise, mais le module recommencera au début à la prochaine ouverture.",
        "xapi-offline": "La plateforme ne répond pas. Vos réponses sont conservées dans ce navigateur et seront envoyées automatiquement.",
        "xapi-sent": "Vos données ont bien été transmises à la plateforme.",
        "xapi-rejected": "La plateforme a refusé une partie des données (erreur {status}). Signalez-le à votre formateur.",
        "xapi-auth": "La plateforme refuse l'accès (erreur {status}). Vos réponses sont conservées dans ce navigateur : relancez le module depuis la plateforme.",
    },
    "en": {
        "correct": "Correct answer",
        "incorrect": "Wrong answer",
        "partial": "Incomplete answer",
        "unanswered": "You did not answer this question.",
        "expected": "Expected answer: {answer}",
        "score": "Your score: {score}% (pass mark: {pass}%).",
        "score-nopass": "Your score: {score}%.",
        "quiz-passed": "Quiz passed.",
        "quiz-failed": "Quiz not passed.",
        "attempts-left": "Attempts left: {n}.",
        "no-attempts-left": "You have used all your attempts.",
        "retry-hint": "You can change your answers and check them again.",
        "resume": "Resume where you left off",
        "resume-text": "You had started this module. Last page viewed: “{title}”.",
        "restart": "Stay at the beginning",
        "progress": "{seen} of {total} pages viewed",
        "page-of": "Page {n} of {total}",
        "visited": "(viewed)",
        "current": "(current page)",
        "moved": "“{item}” is now in position {pos} of {total}.",
        "lms-missing": "Standalone mode: no learning platform found, your progress will not be sent.",
        "lms-error": "The platform did not confirm saving. Retrying automatically: your answers are kept.",
        "lms-recovered": "Your data has been saved by the platform.",
        "lms-failed": "The platform is not saving your data at the moment. Keep this page open: it will be retried at the next step.",
        "web-saved": "Your progress is saved in this browser.",
        "web-nostorage": "Your browser does not allow saving your progress.",
        "finished": "You have finished this module. You can close this window.",
        "exited": "Your session has ended. You can close this window.",
        "completed": "Module completed.",
        "module-passed": "Module passed.",
        "module-failed": "Module not passed.",
        "table": "Table",
        "cmi5-launch": "The module could not open its session on the platform: your progress will not be sent. Launch it again from the platform.",
        "cmi5-browse": "Browse mode: your answers and progress are not recorded.",
        "cmi5-ended": "This session has ended: your answers are no longer sent. Launch the module again from the platform.",
        "cmi5-auth": "The platform refuses access: your answers are kept in this browser. Launch the module again from the platform.",
        "cmi5-rejected": "The platform refused part of the data. Please tell your trainer.",
        "loading": "Loading your progress…",
        "lms-start": "Your previous progress could not be retrieved: the module starts from the beginning.",
        "lms-timeout": "The platform is not answering: the module starts from the beginning, without your previous progress. Your answers are kept in this browser and will be sent automatically.",
        "xapi-no-launch": "No LRS is given in the launch address: your progress will not be sent.",
        "xapi-no-state": "The platform does not support resuming: your progress is sent, but the module will start from the beginning next time.",
        "xapi-offline": "The platform is not answering. Your answers are kept in this browser and will be sent automatically.",
        "xapi-sent": "Your data has been sent to the platform.",
        "xapi-rejected": "The platform refused part of the data (error {status}). Please tell your trainer.",
        "xapi-auth": "The platform refuses access (error {status}). Your answers are kept in this browser: launch the module again from the platform.",
    },
}
