"""Messages of the package stage (targets and the package writer)."""

MESSAGES = {
    "fr": {
        "package.bad-arcname": (
            "nom de fichier « {name} » impossible dans un paquet : {reason}"
        ),
        "package.reason-empty": "nom vide",
        "package.reason-absolute": "chemin absolu",
        "package.reason-parent": "segment « .. » ou « . »",
        "package.reason-backslash": "barre oblique inverse",
        "package.reason-non-ascii": (
            "caractère non ASCII ou spécial (utilisez lettres sans accent, chiffres, . _ -)"
        ),
        "package.duplicate-entry": (
            "le fichier « {name} » apparaît deux fois dans le paquet {package} "
            "(la casse ne compte pas)"
        ),
        "package.bad-name": "nom de paquet invalide : « {name} »",
        "package.write-failed": "impossible d'écrire {path} : {error}",
        "package.module-clash": (
            "le module « {module} » a le même identifiant que le dossier partagé « efop/ »"
        ),
    },
    "en": {
        "package.bad-arcname": "file name '{name}' cannot go into a package: {reason}",
        "package.reason-empty": "empty name",
        "package.reason-absolute": "absolute path",
        "package.reason-parent": "'..' or '.' segment",
        "package.reason-backslash": "backslash",
        "package.reason-non-ascii": (
            "non-ASCII or special character (use unaccented letters, digits, . _ -)"
        ),
        "package.duplicate-entry": (
            "file '{name}' appears twice in package {package} (case-insensitive)"
        ),
        "package.bad-name": "invalid package name: '{name}'",
        "package.write-failed": "cannot write {path}: {error}",
        "package.module-clash": "module '{module}' has the same id as the shared folder 'efop/'",
    },
}
