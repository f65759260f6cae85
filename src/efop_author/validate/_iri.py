"""Validate stage: small IRI and language-tag helpers shared by the xAPI and cmi5 checks."""

from __future__ import annotations

import re

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s#][^\s]*")
_LANG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def is_absolute_iri(value: str) -> bool:
    """Has a scheme, no white space, and more than a fragment after it."""
    return bool(_ABSOLUTE_IRI.fullmatch(value))


def is_lang_tag(value: str) -> bool:
    """A plausible RFC 5646 tag (``fr``, ``fr-FR``, ``zh-Hant-TW``); empty means unknown."""
    return value == "" or bool(_LANG.fullmatch(value))
