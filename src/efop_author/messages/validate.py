"""Messages of the package validator (``efop-author validate``), French then English.

Keys are the diagnostic codes themselves (``zip.unsafe-path``, ``scorm12.missing-file``...),
plus ``validate.*`` for the command's own lines. The areas ``zip``, ``xml``, ``scorm12``,
``scorm2004``, ``tincan``, ``cmi5``, ``security``, ``portability`` and ``moodle`` re-export this
catalogue (see :mod:`efop_author.messages`: the area is the part of the key before the dot).
"""

from __future__ import annotations

# Native schema checks, shared by the SCORM 1.2, SCORM 2004 and cmi5 grammars.
_GRAMMAR_FR = {
    "missing-element": "élément <{element}> obligatoire manquant dans <{parent}>",
    "element-order": "<{element}> est mal placé dans <{parent}> : l'ordre du schéma n'est pas respecté "
                     "(voir <{before}>)",
    "unexpected-element": "élément <{element}> non autorisé dans <{parent}>",
    "too-many": "<{element}> apparaît trop de fois dans <{parent}> (au plus {max})",
    "missing-attribute": "attribut obligatoire « {attribute} » manquant sur <{element}>",
    "unknown-attribute": "attribut « {attribute} » non autorisé sur <{element}>",
    "bad-value": "valeur « {value} » invalide pour <{element}>{target} : attendu {expected}",
    "unexpected-text": "texte non autorisé dans <{element}>",
    "duplicate-id": "identifiant « {value} » en double (déjà utilisé ligne {first_line}) ; "
                    "les identifiants doivent être uniques dans tout le fichier",
    "bad-idref": "la référence « {value} » ({attribute}) ne désigne aucun identifiant du fichier",
    "unknown-element": "élément <{element}> inconnu : son espace de noms n'est pas déclaré par le schéma",
    "bad-root": "élément racine <{element}> (espace de noms « {namespace} ») : attendu <{expected}> "
                "dans l'espace de noms officiel",
    "xsd": "schéma officiel (XSD) : {detail}",
}
_GRAMMAR_EN = {
    "missing-element": "required element <{element}> missing in <{parent}>",
    "element-order": "<{element}> is out of order in <{parent}>: the schema order is not respected "
                     "(see <{before}>)",
    "unexpected-element": "element <{element}> is not allowed in <{parent}>",
    "too-many": "<{element}> occurs too many times in <{parent}> (at most {max})",
    "missing-attribute": "required attribute '{attribute}' missing on <{element}>",
    "unknown-attribute": "attribute '{attribute}' is not allowed on <{element}>",
    "bad-value": "invalid value '{value}' for <{element}>{target}: expected {expected}",
    "unexpected-text": "text is not allowed in <{element}>",
    "duplicate-id": "duplicate identifier '{value}' (first used on line {first_line}); identifiers "
                    "must be unique in the whole file",
    "bad-idref": "reference '{value}' ({attribute}) names no identifier of the file",
    "unknown-element": "unknown element <{element}>: its namespace is not declared by the schema",
    "bad-root": "root element <{element}> (namespace '{namespace}'): expected <{expected}> in the "
                "official namespace",
    "xsd": "official schema (XSD): {detail}",
}

_CP_FR = {
    "schema": "<schema> vaut « {value} » : attendu « ADL SCORM »",
    "resource-type": "la ressource « {identifier} » a type=« {value} » : attendu « webcontent »",
    "missing-scormtype": "la ressource « {identifier} » n'a pas d'attribut {attribute} (sco ou asset) ; "
                         "Moodle la traite alors comme un asset, sans suivi",
    "xml-base-slash": "xml:base=« {value} » ne se termine pas par « / » : le dernier segment sera "
                      "remplacé par href, et Moodle concatène sans séparateur",
    "bad-dependency": "<dependency> désigne « {value} », qui n'est pas une ressource du manifeste",
    "invalid-href": "href « {href} » n'est pas une URL valide",
    "unsafe-href": "href « {href} » absolu ou sortant du paquet : il doit être relatif à la racine",
    "missing-launch-file": "fichier de lancement « {path} » absent du paquet (href=« {href} »){hint}",
    "missing-file": "fichier « {path} » déclaré dans <file> mais absent du paquet{hint}",
    "dependency-cycle": "dépendances circulaires entre les ressources « {identifier} » et « {other} »",
    "no-organization": "<organizations> ne contient aucune <organization>",
    "default-organization": "organizations/@default=« {value} » ne désigne aucune organisation",
    "no-launchable-item": "l'organisation « {identifier} » n'a aucun item lançable (feuille avec "
                          "identifierref vers une ressource qui a un href)",
    "missing-title": "<{element}> « {identifier} » sans <title> non vide",
    "parameters": "parameters=« {value} » devrait commencer par « ? », « & » ou « # »",
    "parent-item-identifierref": "l'item « {identifier} » a des sous-items et un identifierref : seul "
                                 "un item feuille peut désigner une ressource",
    "item-not-launchable": "l'item feuille « {identifier} » n'a pas d'identifierref : il ne lance rien",
    "bad-identifierref": "l'item « {identifier} » désigne la ressource « {value} », absente de "
                         "<resources>",
    "resource-without-href": "l'item « {identifier} » désigne la ressource « {resource} », qui n'a pas "
                             "de href (rien à lancer)",
    "undeclared-file": "{count} fichier(s) du paquet ne sont déclarés par aucune ressource : {names}",
    "missing-xsd": "fichiers XSD cités dans xsi:schemaLocation absents de la racine du paquet : {names}",
    "no-schemaversion": "<metadata><schemaversion> absent",
    "schemaversion": "schemaversion « {value} » inattendu",
}
_CP_EN = {
    "schema": "<schema> is '{value}': expected 'ADL SCORM'",
    "resource-type": "resource '{identifier}' has type='{value}': expected 'webcontent'",
    "missing-scormtype": "resource '{identifier}' has no {attribute} attribute (sco or asset); Moodle "
                         "then treats it as an untracked asset",
    "xml-base-slash": "xml:base='{value}' does not end with '/': href replaces its last segment, and "
                      "Moodle concatenates without a separator",
    "bad-dependency": "<dependency> names '{value}', which is not a resource of the manifest",
    "invalid-href": "href '{href}' is not a valid URL",
    "unsafe-href": "href '{href}' is absolute or leaves the package: it must be relative to the root",
    "missing-launch-file": "launch file '{path}' is missing from the package (href='{href}'){hint}",
    "missing-file": "file '{path}' is declared in <file> but missing from the package{hint}",
    "dependency-cycle": "circular dependencies between resources '{identifier}' and '{other}'",
    "no-organization": "<organizations> contains no <organization>",
    "default-organization": "organizations/@default='{value}' names no organization",
    "no-launchable-item": "organization '{identifier}' has no launchable item (a leaf with an "
                          "identifierref to a resource that has an href)",
    "missing-title": "<{element}> '{identifier}' has no non-empty <title>",
    "parameters": "parameters='{value}' should start with '?', '&' or '#'",
    "parent-item-identifierref": "item '{identifier}' has child items and an identifierref: only a leaf "
                                 "item may name a resource",
    "item-not-launchable": "leaf item '{identifier}' has no identifierref: it launches nothing",
    "bad-identifierref": "item '{identifier}' names resource '{value}', which is not in <resources>",
    "resource-without-href": "item '{identifier}' names resource '{resource}', which has no href",
    "undeclared-file": "{count} file(s) of the package are declared by no resource: {names}",
    "missing-xsd": "XSD files named in xsi:schemaLocation are missing from the package root: {names}",
    "no-schemaversion": "<metadata><schemaversion> is missing",
    "schemaversion": "unexpected schemaversion '{value}'",
}

FR: dict[str, str] = {}
EN: dict[str, str] = {}
for _family in ("scorm12", "scorm2004", "cmi5"):
    FR.update({f"{_family}.{k}": v for k, v in _GRAMMAR_FR.items()})
    EN.update({f"{_family}.{k}": v for k, v in _GRAMMAR_EN.items()})
for _family in ("scorm12", "scorm2004"):
    FR.update({f"{_family}.{k}": v for k, v in _CP_FR.items()})
    EN.update({f"{_family}.{k}": v for k, v in _CP_EN.items()})

FR.update({
    # archive
    "zip.unreadable": "archive illisible (ce n'est pas un zip valide ou il est tronqué) : {reason}",
    "zip.corrupt-entry": "membre illisible (données corrompues ou tronquées) : {reason}",
    "zip.too-many-entries": "{count} entrées dans l'archive (limite {limit}) : analyse arrêtée",
    "zip.too-large": "taille décompressée déclarée {size} octets (limite {limit}) : bombe zip probable, "
                     "analyse arrêtée",
    "zip.compression-ratio": "taux de compression suspect ({size} octets pour {compressed} compressés, "
                             "limite ×{limit}) : bombe zip probable, analyse arrêtée",
    "zip.unsafe-path": "entrée « {name} » dangereuse ({reason}) : chemin absolu, lecteur, « .. » ou "
                       "caractère de contrôle (zip-slip)",
    "zip.encrypted": "entrée chiffrée : aucun LMS ne peut la lire",
    "zip.compression-method": "méthode de compression {method} non prise en charge (seules « stored » et "
                              "« deflate » fonctionnent partout)",
    "zip.backslash": "nom d'entrée avec des barres obliques inverses « \\ » : à remplacer par « / »",
    "zip.symlink": "lien symbolique dans l'archive : ignoré, à remplacer par le fichier",
    "zip.non-utf8-name": "nom non ASCII sans l'indicateur UTF-8 (bit 11) : il sera mal décodé "
                         "(voulu : « {intended} » ?)",
    "zip.duplicate-entry": "entrée en double dans l'archive",
    "zip.case-duplicate": "entrée qui ne diffère de « {other} » que par la casse : conflit sur les "
                          "systèmes insensibles à la casse et dans Moodle",
    "zip.os-cruft": "{count} fichier(s) système inutiles (__MACOSX, .DS_Store, Thumbs.db…) : {names}",
    "zip.multiple-manifests": "plusieurs manifestes à la racine ({names}) : « {used} » est utilisé "
                              "(Moodle, module SCORM, prend imsmanifest.xml)",
    "zip.manifest-case": "manifeste mal nommé : attendu exactement « {expected} » en minuscules",
    "zip.manifest-nested": "« {expected} » est dans le sous-dossier « {folder} » au lieu de la racine "
                           "du zip : recompressez le contenu du dossier, pas le dossier",
    "zip.no-manifest": "aucun manifeste à la racine (imsmanifest.xml, cmi5.xml ou tincan.xml)",
    # xml
    "xml.too-large": "fichier XML de {size} octets (limite {limit})",
    "xml.doctype": "déclaration {kind} interdite (DTD/entités : risques XXE et « billion laughs »)",
    "xml.encoding": "encodage {encoding} : les manifestes doivent être en UTF-8",
    "xml.not-well-formed": "XML mal formé : {detail}",
    # SCORM 1.2 specific
    "scorm12.masteryscore": "adlcp:masteryscore « {value} » : attendu un nombre décimal entre 0 et 100",
    "scorm12.maxtimeallowed": "adlcp:maxtimeallowed « {value} » : attendu HHHH:MM:SS (heures sur 2 à "
                              "4 chiffres)",
    "scorm12.prerequisites": "adlcp:prerequisites cite des items inconnus : {names}",
    "scorm12.schemaversion": "schemaversion « {value} » : attendu « 1.2 »",
    # SCORM 2004 specific
    "scorm2004.schemaversion": "schemaversion « {value} » : attendu « 2004 4th Edition » (Moodle "
                               "traite toute autre valeur comme du SCORM 1.2)",
    "scorm2004.no-schemaversion": "<metadata><schemaversion> absent : Moodle traitera le paquet comme "
                                  "du SCORM 1.2 (API_1484_11 absente)",
    "scorm2004.older-edition": "schemaversion « {value} » : édition antérieure, vérifiée avec les "
                               "règles de la 4e édition",
    "scorm2004.scorm12-construct": "<{name}> est une construction SCORM 1.2, sans effet en SCORM 2004",
    "scorm2004.no-flow": "« {identifier} » a plusieurs enfants sans imsss:controlMode flow=\"true\" : "
                         "les boutons Suivant/Précédent du LMS ne fonctionneront pas",
    "scorm2004.duplicate-objective": "objectiveID « {value} » en double dans la même activité",
    "scorm2004.duplicate-global-objective": "plusieurs mapInfo écrivent l'objectif global « {value} » "
                                            "dans le même <imsss:objectives>",
    # Tin Can
    "tincan.bad-root": "racine <{element}> : attendu <tincan> dans l'espace de noms {expected}",
    "tincan.no-activity": "aucune <activity> dans <activities>",
    "tincan.activity-id": "id d'activité « {value} » : attendu un IRI absolu (avec schéma, sans espace)",
    "tincan.duplicate-id": "id d'activité « {value} » en double (ligne {first_line})",
    "tincan.activity-type": "type « {value} » : un IRI absolu est attendu "
                            "(ex. http://adlnet.gov/expapi/activities/course)",
    "tincan.missing-name": "l'activité « {value} » n'a pas de <name>",
    "tincan.bad-lang": "lang=« {value} » n'est pas une étiquette de langue RFC 5646",
    "tincan.interaction-type": "interactionType « {value} » inconnu",
    "tincan.component-id": "id de composant « {value} » vide, en double ou avec des espaces",
    "tincan.no-launch": "aucune activité n'a de <launch> non vide",
    "tincan.several-launch": "{count} activités ont un <launch> : une seule doit en avoir",
    "tincan.launch-not-first": "l'activité lançable n'est pas la première de <activities>",
    "tincan.invalid-launch": "<launch> « {url} » n'est pas une URL valide",
    "tincan.absolute-launch": "<launch> absolu ({url}) : le contenu n'est pas dans le paquet",
    "tincan.missing-launch-file": "fichier de lancement « {path} » absent du paquet{hint}",
    # cmi5
    "cmi5.bad-objective-ref": "objectif « {value} » référencé mais non défini dans courseStructure/objectives",
    "cmi5.bad-iri": "id « {value} » : attendu un IRI absolu",
    "cmi5.mastery-decimals": "masteryScore « {value} » : 4 décimales au plus",
    "cmi5.mastery-without-passed": "masteryScore sans effet avec moveOn=« {value} » (attendu Passed, "
                                   "CompletedAndPassed ou CompletedOrPassed)",
    "cmi5.activity-type": "activityType « {value} » : un IRI absolu est attendu",
    "cmi5.reserved-parameter": "l'URL de l'AU utilise des paramètres réservés au lancement cmi5 : {names}",
    "cmi5.relative-url-without-zip": "URL relative « {url} » dans un cmi5.xml seul : sans zip, les URL "
                                     "doivent être absolues",
    "cmi5.invalid-url": "URL « {url} » invalide",
    "cmi5.missing-launch-file": "fichier de l'AU « {path} » absent du paquet{hint}",
    # security / portability
    "security.lrs-credentials": "identifiants LRS écrits en dur ({kind}) : ils seraient lisibles par tous "
                                "les apprenants ; le LMS doit les fournir au lancement",
    "security.tracker": "outil de mesure d'audience chargé depuis Internet ({host}) : données "
                        "personnelles envoyées à un tiers, et ne fonctionne pas hors ligne",
    "portability.remote-resource": "ressource chargée depuis Internet ({url}) : le paquet doit "
                                   "fonctionner hors ligne",
    "portability.remote-font": "police chargée depuis Internet ({url}) : à inclure dans le paquet",
    "portability.external-launch": "lancement d'une URL externe ({url}) : le contenu n'est pas dans le paquet",
    "portability.namespace-prefix": "préfixe « {found} » : utilisez « {expected} », le seul que "
                                    "comprend l'analyseur de Moodle (qui ignore les espaces de noms)",
    "portability.file-name": "{count} nom(s) de fichier avec des caractères hors [A-Za-z0-9._/-] "
                             "(espaces, accents, #, ?, %…) : {names}",
    # Moodle
    "moodle.manifest-location": "Moodle refuse ce paquet (« badimsmanifestlocation ») : le manifeste "
                                "doit être à la racine",
    "moodle.invalid-resource": "Moodle n'affiche qu'un avertissement pour « {value} » et importe un "
                               "item qui ne lance rien",
    "moodle.namespace-prefix": "Moodle ignore « {found} » : son analyseur ne reconnaît que le préfixe "
                               "« {expected} » (type SCO, note de maîtrise… perdus)",
    "moodle.xml-base": "Moodle ignore xml:base=« {value} » sur <{element}> : l'URL de lancement sera "
                       "fausse (404) ; placez xml:base sur <resource>",
    "moodle.sequencing": "Moodle ne prend en charge qu'une partie du séquencement SCORM 2004 ({features}) : "
                         "testez le parcours dans Moodle",
    "moodle.numeric-entity": "Moodle réécrit les « & » non suivis d'un nom d'entité : les références "
                             "numériques (&#…;) seront altérées",
    "moodle.tincan-first-activity": "Moodle (mod_tincanlaunch) lance la première activité : celle-ci "
                                    "n'a pas de <launch>",
    # command
    "validate.loader-unavailable": "le chargeur de cours (efop_author.load) n'est pas disponible",
    "validate.course-error": "projet de cours inutilisable : {detail}",
    "validate.no-package": "aucun paquet (.zip), manifeste ni course.yml dans ce dossier",
    "validate.internal-error": "erreur interne du validateur ({detail}) : merci de la signaler",
    "validate.summary-ok": "{path} : {format}, valide",
    "validate.summary-warnings": "{path} : {format}, valide, {warnings} avertissement(s)",
    "validate.summary-errors": "{path} : {format}, {errors} erreur(s), {warnings} avertissement(s)",
    "validate.total": "{count} paquet(s) vérifié(s) : {valid} valide(s), {invalid} invalide(s)",
    "validate.unknown-format": "format inconnu",
    "validate.bad-schemas": "dossier de schémas inutilisable : {detail}",
    "validate.case-hint": " (mais « {name} » existe : la casse diffère)",
    "validate.help": "Vérifie des paquets (SCORM 1.2/2004, xAPI, cmi5 : zip, dossier décompressé ou "
                     "dossier de zips) et des projets de cours (dossier avec course.yml), sans rien "
                     "construire. Sortie : 0 sans erreur, 1 avec erreurs, 2 si l'appel est incorrect.",
    "validate.opt-format": "Format du rapport (json, junit et github pour la CI, sur la sortie standard).",
    "validate.opt-lms": "Ajoute les contrôles propres à ce LMS (ce qu'il refuse ou déforme sans prévenir).",
    "validate.opt-schemas": "Dossier des XSD officiels pour une passe de validation supplémentaire "
                            "(sinon $EFOP_AUTHOR_SCHEMAS).",
    "validate.opt-strict": "Les avertissements font aussi échouer.",
    "validate.no-path": "indiquez au moins un chemin (paquet .zip, dossier ou projet de cours)",
})
EN.update({
    "zip.unreadable": "unreadable archive (not a valid zip, or truncated): {reason}",
    "zip.corrupt-entry": "unreadable member (corrupt or truncated data): {reason}",
    "zip.too-many-entries": "{count} entries in the archive (limit {limit}): analysis stopped",
    "zip.too-large": "declared uncompressed size {size} bytes (limit {limit}): likely zip bomb, "
                     "analysis stopped",
    "zip.compression-ratio": "suspicious compression ratio ({size} bytes from {compressed} compressed, "
                             "limit ×{limit}): likely zip bomb, analysis stopped",
    "zip.unsafe-path": "unsafe entry '{name}' ({reason}): absolute path, drive, '..' or control "
                       "character (zip slip)",
    "zip.encrypted": "encrypted entry: no LMS can read it",
    "zip.compression-method": "compression method {method} is not supported (only stored and deflate "
                              "work everywhere)",
    "zip.backslash": "entry name with backslashes '\\': use '/'",
    "zip.symlink": "symbolic link in the archive: ignored, replace it with the file",
    "zip.non-utf8-name": "non-ASCII name without the UTF-8 flag (bit 11): it will be mis-decoded "
                         "(meant '{intended}'?)",
    "zip.duplicate-entry": "duplicate entry in the archive",
    "zip.case-duplicate": "entry differs from '{other}' only by case: conflict on case-insensitive "
                          "systems and in Moodle",
    "zip.os-cruft": "{count} useless system file(s) (__MACOSX, .DS_Store, Thumbs.db...): {names}",
    "zip.multiple-manifests": "several manifests at the root ({names}): '{used}' is used (Moodle's "
                              "SCORM module takes imsmanifest.xml)",
    "zip.manifest-case": "wrongly named manifest: expected exactly '{expected}' in lower case",
    "zip.manifest-nested": "'{expected}' is in subfolder '{folder}' instead of the zip root: zip the "
                           "folder's content, not the folder",
    "zip.no-manifest": "no manifest at the root (imsmanifest.xml, cmi5.xml or tincan.xml)",
    "xml.too-large": "XML file of {size} bytes (limit {limit})",
    "xml.doctype": "{kind} declaration refused (DTD/entities: XXE and billion-laughs risks)",
    "xml.encoding": "encoding {encoding}: manifests must be UTF-8",
    "xml.not-well-formed": "malformed XML: {detail}",
    "scorm12.masteryscore": "adlcp:masteryscore '{value}': expected a decimal between 0 and 100",
    "scorm12.maxtimeallowed": "adlcp:maxtimeallowed '{value}': expected HHHH:MM:SS (2 to 4 hour digits)",
    "scorm12.prerequisites": "adlcp:prerequisites names unknown items: {names}",
    "scorm12.schemaversion": "schemaversion '{value}': expected '1.2'",
    "scorm2004.schemaversion": "schemaversion '{value}': expected '2004 4th Edition' (Moodle treats any "
                               "other value as SCORM 1.2)",
    "scorm2004.no-schemaversion": "<metadata><schemaversion> is missing: Moodle will treat the package "
                                  "as SCORM 1.2 (no API_1484_11)",
    "scorm2004.older-edition": "schemaversion '{value}': an older edition, checked with the 4th edition "
                               "rules",
    "scorm2004.scorm12-construct": "<{name}> is a SCORM 1.2 construct, without effect in SCORM 2004",
    "scorm2004.no-flow": "'{identifier}' has several children without imsss:controlMode flow=\"true\": "
                         "the LMS Next/Previous buttons will not work",
    "scorm2004.duplicate-objective": "duplicate objectiveID '{value}' in the same activity",
    "scorm2004.duplicate-global-objective": "several mapInfo write global objective '{value}' in the "
                                            "same <imsss:objectives>",
    "tincan.bad-root": "root <{element}>: expected <tincan> in namespace {expected}",
    "tincan.no-activity": "no <activity> in <activities>",
    "tincan.activity-id": "activity id '{value}': expected an absolute IRI (scheme, no spaces)",
    "tincan.duplicate-id": "duplicate activity id '{value}' (line {first_line})",
    "tincan.activity-type": "type '{value}': an absolute IRI is expected",
    "tincan.missing-name": "activity '{value}' has no <name>",
    "tincan.bad-lang": "lang='{value}' is not an RFC 5646 language tag",
    "tincan.interaction-type": "unknown interactionType '{value}'",
    "tincan.component-id": "component id '{value}' is empty, duplicated or has spaces",
    "tincan.no-launch": "no activity has a non-empty <launch>",
    "tincan.several-launch": "{count} activities have a <launch>: only one may",
    "tincan.launch-not-first": "the launchable activity is not the first of <activities>",
    "tincan.invalid-launch": "<launch> '{url}' is not a valid URL",
    "tincan.absolute-launch": "absolute <launch> ({url}): the content is not in the package",
    "tincan.missing-launch-file": "launch file '{path}' is missing from the package{hint}",
    "cmi5.bad-objective-ref": "objective '{value}' is referenced but not defined in courseStructure/objectives",
    "cmi5.bad-iri": "id '{value}': expected an absolute IRI",
    "cmi5.mastery-decimals": "masteryScore '{value}': at most 4 decimals",
    "cmi5.mastery-without-passed": "masteryScore has no effect with moveOn='{value}' (expected Passed, "
                                   "CompletedAndPassed or CompletedOrPassed)",
    "cmi5.activity-type": "activityType '{value}': an absolute IRI is expected",
    "cmi5.reserved-parameter": "the AU URL uses parameters reserved by the cmi5 launch: {names}",
    "cmi5.relative-url-without-zip": "relative URL '{url}' in a bare cmi5.xml: without a zip, URLs "
                                     "must be absolute",
    "cmi5.invalid-url": "invalid URL '{url}'",
    "cmi5.missing-launch-file": "AU file '{path}' is missing from the package{hint}",
    "security.lrs-credentials": "hard-coded LRS credentials ({kind}): every learner could read them; "
                                "the LMS must supply them at launch",
    "security.tracker": "audience measurement loaded from the internet ({host}): personal data sent to "
                        "a third party, and it does not work offline",
    "portability.remote-resource": "resource loaded from the internet ({url}): the package must work "
                                   "offline",
    "portability.remote-font": "font loaded from the internet ({url}): include it in the package",
    "portability.external-launch": "launches an external URL ({url}): the content is not in the package",
    "portability.namespace-prefix": "prefix '{found}': use '{expected}', the only one Moodle's "
                                    "namespace-blind parser understands",
    "portability.file-name": "{count} file name(s) with characters outside [A-Za-z0-9._/-] (spaces, "
                             "accents, #, ?, %...): {names}",
    "moodle.manifest-location": "Moodle refuses this package ('badimsmanifestlocation'): the manifest "
                                "must be at the root",
    "moodle.invalid-resource": "Moodle only shows a notice for '{value}' and imports an item that "
                               "launches nothing",
    "moodle.namespace-prefix": "Moodle ignores '{found}': its parser only knows the prefix '{expected}' "
                               "(SCO type, mastery score... lost)",
    "moodle.xml-base": "Moodle ignores xml:base='{value}' on <{element}>: the launch URL will be wrong "
                       "(404); put xml:base on <resource>",
    "moodle.sequencing": "Moodle supports only part of SCORM 2004 sequencing ({features}): test the "
                         "navigation in Moodle",
    "moodle.numeric-entity": "Moodle rewrites '&' not followed by an entity name: numeric references "
                             "(&#...;) will be altered",
    "moodle.tincan-first-activity": "Moodle (mod_tincanlaunch) launches the first activity, which has "
                                    "no <launch>",
    "validate.loader-unavailable": "the course loader (efop_author.load) is not available",
    "validate.course-error": "unusable course project: {detail}",
    "validate.no-package": "no package (.zip), manifest or course.yml in this folder",
    "validate.internal-error": "internal validator error ({detail}): please report it",
    "validate.summary-ok": "{path}: {format}, valid",
    "validate.summary-warnings": "{path}: {format}, valid, {warnings} warning(s)",
    "validate.summary-errors": "{path}: {format}, {errors} error(s), {warnings} warning(s)",
    "validate.total": "{count} package(s) checked: {valid} valid, {invalid} invalid",
    "validate.unknown-format": "unknown format",
    "validate.bad-schemas": "unusable schema folder: {detail}",
    "validate.case-hint": " (but '{name}' exists: the case differs)",
    "validate.help": "Check packages (SCORM 1.2/2004, xAPI, cmi5: zip, unpacked folder or folder of "
                     "zips) and course projects (folders with course.yml), without building anything. "
                     "Exit 0 without errors, 1 with errors, 2 on usage errors.",
    "validate.opt-format": "Report format (json, junit and github for CI, on stdout).",
    "validate.opt-lms": "Also run this LMS's checks (what it refuses or silently mishandles).",
    "validate.opt-schemas": "Folder of the official XSDs for an extra validation pass "
                            "(else $EFOP_AUTHOR_SCHEMAS).",
    "validate.opt-strict": "Warnings also make the command fail.",
    "validate.no-path": "give at least one path (a .zip package, a folder or a course project)",
})

MESSAGES = {"fr": FR, "en": EN}
