"""Validate stage: XML Schema simple types, checked natively (value -> problem or None).

Each checker returns ``None`` when the value is valid, or a short French/English-neutral
problem key used in the message (``"type"``, ``"length"``, ``"enum"``, ``"range"``). The rules
follow XML Schema 1.0 as libxml2 applies it, so that the native pass and the optional
official-XSD pass agree (see ``docs/validate.md`` for the few deliberate differences).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from efop_author.records import record

Check = Callable[[str], "str | None"]

_WS = re.compile(r"[ \t\n\r]+")


def collapse(value: str) -> str:
    """XML Schema ``whiteSpace=collapse``."""
    return _WS.sub(" ", value).strip(" ")


# XML 1.0 (5th edition) name characters, without ':' (NCName).
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NCNAME_ASCII = re.compile(r"[A-Z_a-z][A-Z_a-z\-.0-9]*")
"""The same pattern restricted to ASCII, which is what names nearly always are: compiling
the full one costs about 6 ms, so it is compiled only for a name that needs it."""


@functools.lru_cache(maxsize=1)
def _ncname_full() -> re.Pattern[str]:
    return re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")


def is_ncname(value: str) -> bool:
    """XML ``NCName`` (no collapsing)."""
    pattern = _NCNAME_ASCII if value.isascii() else _ncname_full()
    return pattern.fullmatch(value) is not None


@record
class SimpleType:
    """A named simple type: ``label`` is shown in messages (``xs:ID``, ``booléen``...)."""

    label: str
    check: Check
    kind: str = "string"
    """``id`` and ``idref`` get document-wide checks on top of the lexical one."""

    def __call__(self, value: str) -> str | None:
        return self.check(value)


def string(max_length: int | None = None, enum: tuple[str, ...] | None = None,
           min_length: int | None = None) -> SimpleType:
    def check(value: str) -> str | None:
        if enum is not None and value not in enum:
            return "enum"
        if max_length is not None and len(value) > max_length:
            return "length"
        if min_length is not None and len(value) < min_length:
            return "length"
        return None

    label = "xs:string"
    if enum is not None:
        label = " | ".join(enum)
    elif max_length is not None:
        label = f"xs:string (≤ {max_length})"
    return SimpleType(label, check)


def token_enum(*values: str) -> SimpleType:
    def check(value: str) -> str | None:
        return None if collapse(value) in values else "enum"

    return SimpleType(" | ".join(values), check)


def _ncname(value: str) -> str | None:
    return None if is_ncname(collapse(value)) else "type"


ID = SimpleType("xs:ID", _ncname, kind="id")
IDREF = SimpleType("xs:IDREF", _ncname, kind="idref")


def _boolean(value: str) -> str | None:
    return None if collapse(value) in ("true", "false", "1", "0") else "type"


BOOLEAN = SimpleType("xs:boolean (true | false)", _boolean)

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def decimal(lo: str | None = None, hi: str | None = None) -> SimpleType:
    low = Decimal(lo) if lo is not None else None
    high = Decimal(hi) if hi is not None else None

    def check(value: str) -> str | None:
        v = collapse(value)
        if not _DECIMAL.fullmatch(v):
            return "type"
        try:
            num = Decimal(v)
        except InvalidOperation:  # pragma: no cover - the regex already guarantees it
            return "type"
        if (low is not None and num < low) or (high is not None and num > high):
            return "range"
        return None

    label = "xs:decimal" if lo is None else f"xs:decimal [{lo} ; {hi}]"
    return SimpleType(label, check)


def _non_negative_integer(value: str) -> str | None:
    v = collapse(value)
    return None if re.fullmatch(r"\+?\d+|-0+", v) else "type"


NON_NEGATIVE_INTEGER = SimpleType("xs:nonNegativeInteger", _non_negative_integer)

# libxml2 skips leading white space before a duration, but not trailing white space.
_DURATION = re.compile(
    r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d*)?S)?)?"
)


def _duration(value: str) -> str | None:
    return None if _DURATION.fullmatch(value.lstrip(" \t\n\r")) else "type"


DURATION = SimpleType("xs:duration (ISO 8601, ex. PT1H30M)", _duration)

_DATETIME = re.compile(
    r"(-?)(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-](\d\d):(\d\d))?"
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _datetime(value: str) -> str | None:
    m = _DATETIME.fullmatch(collapse(value))
    if not m:
        return "type"
    year, month, day = int(m.group(2)), int(m.group(3)), int(m.group(4))
    hour, minute, second = int(m.group(5)), int(m.group(6)), int(m.group(7))
    if year == 0 or not 1 <= month <= 12:
        return "type"
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    max_day = 29 if month == 2 and leap else (28 if month == 2 else _DAYS[month - 1])
    if not 1 <= day <= max_day or minute > 59 or second > 59:
        return "type"
    if hour > 24 or (hour == 24 and (minute or second or (m.group(8) or "").strip(".0"))):
        return "type"
    if m.group(10) is not None:
        tzh, tzm = int(m.group(10)), int(m.group(11))
        if tzm > 59 or tzh * 60 + tzm > 14 * 60:
            return "type"
    return None


DATETIME = SimpleType("xs:dateTime", _datetime)

_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")


def _language(value: str) -> str | None:
    return None if _LANGUAGE.fullmatch(collapse(value)) else "type"


LANGUAGE = SimpleType("xs:language (ex. fr-FR)", _language)

# --- xs:anyURI, as libxml2 checks it: characters outside RFC 3986 (space, backslash, non-ASCII,
# braces...) are escaped first, then the result must parse as an RFC 3986 URI reference.
_RFC_CHARS = set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_PCT = r"%[0-9A-Fa-f]{2}"
_UNRES_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="
_PCHAR = rf"(?:[{_UNRES_SUB}:@]|{_PCT})"
_SEG = rf"{_PCHAR}*"
_QUERY = rf"(?:[{_UNRES_SUB}:@/?]|{_PCT})*"
_FRAGMENT = rf"(?:[{_UNRES_SUB}:@/?\[\]]|{_PCT})*"  # libxml2 also lets brackets through
_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*"
_USERINFO = rf"(?:[{_UNRES_SUB}:]|{_PCT})*"
_REGNAME = rf"(?:[{_UNRES_SUB}]|{_PCT})*"
_IPLIT = r"\[[^\]]*\]"  # libxml2 takes anything up to the closing bracket
_AUTHORITY = rf"(?:{_USERINFO}@)?(?:{_IPLIT}|{_REGNAME})(?::(?P<port>\d+))?"
_PATH_ABEMPTY = rf"(?:/{_SEG})*"
_HIER = rf"(?://{_AUTHORITY}{_PATH_ABEMPTY}|/(?:{_PCHAR}+(?:/{_SEG})*)?|{_PCHAR}+(?:/{_SEG})*|)"
_SEG_NC = rf"(?:[{_UNRES_SUB}@]|{_PCT})+"
_REL = rf"(?://{_AUTHORITY}{_PATH_ABEMPTY}|/(?:{_PCHAR}+(?:/{_SEG})*)?|{_SEG_NC}(?:/{_SEG})*|)"
_URI = re.compile(rf"{_SCHEME}:{_HIER}(?:\?{_QUERY})?(?:#{_FRAGMENT})?")
_RELREF = re.compile(rf"{_REL}(?:\?{_QUERY})?(?:#{_FRAGMENT})?")


def any_uri_problem(value: str) -> str | None:
    v = collapse(value)
    escaped = "".join(c if c in _RFC_CHARS else "%41" for c in v)
    m = _URI.fullmatch(escaped) or _RELREF.fullmatch(escaped)
    if not m:
        return "type"
    port = m.group("port")
    if port is not None and int(port) > 2**31 - 1:
        return "type"
    return None


ANY_URI = SimpleType("xs:anyURI", any_uri_problem)


def any_uri(min_length: int | None = None, max_length: int | None = None) -> SimpleType:
    def check(value: str) -> str | None:
        problem = any_uri_problem(value)
        if problem:
            return problem
        n = len(collapse(value))
        if (min_length is not None and n < min_length) or (max_length is not None and n > max_length):
            return "length"
        return None

    return SimpleType("xs:anyURI", check)


STRING = SimpleType("xs:string", lambda v: None)
