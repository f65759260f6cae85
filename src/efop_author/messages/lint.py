"""Catalogue: build-time lints (``a11y.*`` accessibility, ``fr.*`` French typography).

Keys are ``lint.<code>`` (the diagnostic code itself is ``a11y.…``/``fr.…``).
"""

MESSAGES = {
    "fr": {
        "lint.a11y.empty-link": "lien sans intitulé (vers « {href} ») : un lecteur d'écran n'annoncerait que l'adresse ; écrivez entre les crochets un texte qui dit où mène le lien",
        "lint.a11y.heading-jump": "intertitre de niveau {level} « {text} » après un niveau {previous} : ne sautez pas de niveau (utilisez « {hashes} »)",
        "lint.a11y.table-no-header": "tableau sans cellule d'en-tête : la première ligne du tableau doit donner l'intitulé de chaque colonne",
        "lint.a11y.link-text": "intitulé de lien « {text} » incompréhensible hors contexte : décrivez la destination (par exemple « le rapport de l'Insee sur les QPV »)",
        "lint.a11y.colour-only": "la rétroaction désigne une réponse par sa couleur seule (« {phrase} ») : nommez aussi la réponse, la couleur n'est pas perçue par tout le monde",
        "lint.a11y.media-captions": "{what} sans sous-titres ni transcription : ajoutez une piste <track kind=\"captions\"> ou une transcription textuelle dans la page",
        "lint.what-video": "vidéo",
        "lint.what-audio": "enregistrement audio",
        "lint.fr.nbsp": "{how} « {char} » dans « {context} » : mettez une espace fine insécable (U+202F) ou une espace insécable (U+00A0)",
        "lint.nbsp-space": "espace ordinaire (sécable) avant",
        "lint.nbsp-none": "espace manquante avant",
        "lint.fr.nbsp-guillemets": "espace insécable manquante {where} « {char} » dans « {context} » : mettez une espace fine insécable (U+202F) ou une espace insécable (U+00A0)",
        "lint.where-after": "après le guillemet",
        "lint.where-before": "avant le guillemet",
        "lint.fr.straight-quotes": "guillemets droits (\") dans « {context} » : en français, employez les guillemets « » avec des espaces insécables",
        "lint.fr.undefined-acronym": "sigle « {term} » employé sans être défini dans glossary.yml : ajoutez-le au glossaire (il sera développé au survol et dans la page Glossaire)",
    },
    "en": {
        "lint.a11y.empty-link": "link without text (to '{href}'): a screen reader would only read the address; write between the brackets a text saying where the link leads",
        "lint.a11y.heading-jump": "level {level} heading '{text}' after a level {previous}: do not skip levels (use '{hashes}')",
        "lint.a11y.table-no-header": "table without header cells: the first row of the table must name each column",
        "lint.a11y.link-text": "link text '{text}' means nothing out of context: describe the destination (e.g. 'the Insee report on QPV')",
        "lint.a11y.colour-only": "the feedback points at an answer by its colour only ('{phrase}'): name the answer too, not everyone perceives colours",
        "lint.a11y.media-captions": "{what} without captions or transcript: add a <track kind=\"captions\"> or a text transcript on the page",
        "lint.what-video": "video",
        "lint.what-audio": "audio recording",
        "lint.fr.nbsp": "{how} '{char}' in '{context}': use a narrow no-break space (U+202F) or a no-break space (U+00A0)",
        "lint.nbsp-space": "ordinary (breaking) space before",
        "lint.nbsp-none": "missing space before",
        "lint.fr.nbsp-guillemets": "missing no-break space {where} '{char}' in '{context}': use a narrow no-break space (U+202F) or a no-break space (U+00A0)",
        "lint.where-after": "after the quotation mark",
        "lint.where-before": "before the quotation mark",
        "lint.fr.straight-quotes": "straight quotes (\") in '{context}': French uses « » with no-break spaces",
        "lint.fr.undefined-acronym": "acronym '{term}' used but not defined in glossary.yml: add it to the glossary (it will be expanded on hover and on the Glossary page)",
    },
}
