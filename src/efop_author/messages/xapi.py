"""Catalogue: the xAPI run-time adapter (themes/default/static/js/lms/xapi.js).

``UI`` holds the learner-facing notices of the adapter, by course language. xapi.js carries
the same texts (the ``efop-data`` strings come from the run-time catalogue only); a test
checks both stay identical. ``MESSAGES`` is the usual diagnostics catalogue.
"""

UI: dict[str, dict[str, str]] = {
    "fr": {
        "xapi-no-launch": "Aucun LRS n'est indiqué dans l'adresse de lancement : votre progression ne sera pas transmise.",
        "xapi-no-state": "La plateforme ne permet pas la reprise : votre progression sera transmise, mais le module recommencera au début à la prochaine ouverture.",
        "xapi-offline": "La plateforme ne répond pas. Vos réponses sont conservées dans ce navigateur et seront envoyées automatiquement.",
        "xapi-sent": "Vos données ont bien été transmises à la plateforme.",
        "xapi-rejected": "La plateforme a refusé une partie des données (erreur {status}). Signalez-le à votre formateur.",
        "xapi-auth": "La plateforme refuse l'accès (erreur {status}). Vos réponses sont conservées dans ce navigateur : relancez le module depuis la plateforme.",
    },
    "en": {
        "xapi-no-launch": "No LRS is given in the launch address: your progress will not be sent.",
        "xapi-no-state": "The platform does not support resuming: your progress is sent, but the module will start from the beginning next time.",
        "xapi-offline": "The platform is not answering. Your answers are kept in this browser and will be sent automatically.",
        "xapi-sent": "Your data has been sent to the platform.",
        "xapi-rejected": "The platform refused part of the data (error {status}). Please tell your trainer.",
        "xapi-auth": "The platform refuses access (error {status}). Your answers are kept in this browser: launch the module again from the platform.",
    },
}

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "xapi.no-launch": UI["fr"]["xapi-no-launch"],
        "xapi.no-state": UI["fr"]["xapi-no-state"],
    },
    "en": {
        "xapi.no-launch": UI["en"]["xapi-no-launch"],
        "xapi.no-state": UI["en"]["xapi-no-state"],
    },
}
