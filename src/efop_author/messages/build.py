"""Catalogue: build orchestration messages."""

MESSAGES = {
    "fr": {
        "build.unknown-target": "cible inconnue « {name} »",
        "build.suspend-overflow": "le module « {module} » peut produire un état de reprise (cmi.suspend_data) de {size} caractères, au-delà de la limite SCORM 1.2 de {limit} : découpez le module ou réduisez le nombre de questions",
        "build.packaged": "{name} ({target})",
        "build.strict": "{n} avertissement(s) traité(s) comme des erreurs (--strict)",
    },
    "en": {
        "build.unknown-target": "unknown target '{name}'",
        "build.suspend-overflow": "module '{module}' can produce a resume state (cmi.suspend_data) of {size} characters, over the SCORM 1.2 limit of {limit}: split the module or reduce the number of questions",
        "build.packaged": "{name} ({target})",
        "build.strict": "{n} warning(s) treated as errors (--strict)",
    },
}
