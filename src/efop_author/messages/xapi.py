"""Catalogue: the xAPI run-time adapter (themes/default/static/js/lms/xapi.js).

The adapter's learner-facing notices (``xapi-*`` keys) live in the run-time catalogue
(``messages/runtime.py``, ``UI``): they reach the browser in the ``strings`` of ``efop-data``
like every run-time text. ``MESSAGES`` is the usual diagnostics catalogue.
"""

from efop_author.messages.runtime import UI as _UI

MESSAGES: dict[str, dict[str, str]] = {
    lang: {"xapi.no-launch": _UI[lang]["xapi-no-launch"], "xapi.no-state": _UI[lang]["xapi-no-state"]}
    for lang in ("fr", "en")
}
