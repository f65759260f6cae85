"""Load stage: check a YAML mapping against a small declarative schema, with located diagnostics.

Each field declares its type, whether it is required and its default. Unknown keys get a
« vouliez-vous dire … ? » suggestion. Values are returned in a plain dict with defaults filled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from efop_author.diagnostics import Diagnostics, SourceLocation
from efop_author.load.yaml_marks import LList, LMap
from efop_author.messages import t
from efop_author.model import ID_PATTERN
from efop_author.records import record

# Human names of YAML types, for messages (translated by catalogue keys).
_TYPE_KEYS = {
    str: "load.type-text",
    int: "load.type-integer",
    bool: "load.type-boolean",
    list: "load.type-list",
    dict: "load.type-mapping",
}


@record
class Field:
    type: type | tuple[type, ...]
    required: bool = False
    default: Any = None
    check: Callable[[Any], str | None] | None = None
    """Returns a message key (``load.*``) when the value is invalid, else None."""


def check_mapping(
    data: Any,
    fields: dict[str, Field],
    path: str,
    diags: Diagnostics,
    *,
    what: str,
    line: int = 1,
) -> dict[str, Any] | None:
    """Validate ``data`` (an :class:`LMap`) against ``fields``; return values with defaults.

    Returns None when ``data`` is not a mapping at all (already reported).
    """
    if data is None:
        data = LMap()
        data.line, data.key_lines = line, {}
    if not isinstance(data, dict):
        diags.error(
            "load.bad-type",
            t("load.not-a-mapping", what=what),
            SourceLocation(path, getattr(data, "line", line) or line),
        )
        return None
    here = data.line if isinstance(data, LMap) and data.line else line
    out: dict[str, Any] = {}
    for key in data:
        if key not in fields:
            near = close_matches(key, list(fields), n=1, cutoff=0.6)
            hint = t("load.did-you-mean", name=near[0]) if near else t("load.known-keys", keys=", ".join(sorted(fields)))
            diags.error(
                "load.unknown-key",
                t("load.unknown-key", key=key, what=what) + " " + hint,
                SourceLocation(path, _line(data, key, here)),
            )
    for name, spec in fields.items():
        if name not in data or data[name] is None:
            if spec.required:
                diags.error(
                    "load.missing-field",
                    t("load.missing-field", key=name, what=what),
                    SourceLocation(path, here),
                )
            out[name] = spec.default
            continue
        value = data[name]
        types = spec.type if isinstance(spec.type, tuple) else (spec.type,)
        if str in types and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # `version: 1.0` is meant as text
        if float in types and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        ok = isinstance(value, types) and not (
            isinstance(value, bool) and bool not in types
        )
        if not ok:
            expected = " / ".join(t(_TYPE_KEYS.get(tp, "load.type-text")) for tp in types)
            diags.error(
                "load.bad-type",
                t("load.bad-type", key=name, expected=expected),
                SourceLocation(path, _line(data, name, here)),
            )
            out[name] = spec.default
            continue
        if spec.check is not None:
            problem = spec.check(value)
            if problem:
                code = "load.bad-id" if problem == "load.bad-id" else "load.bad-value"
                diags.error(
                    code,
                    t(problem, key=name, value=value),
                    SourceLocation(path, _line(data, name, here)),
                )
                out[name] = spec.default
                continue
        out[name] = value
    return out


def _line(data: Any, key: str, default: int) -> int:
    return data.line_of(key) if isinstance(data, LMap) else default


def line_of(data: Any, key: str | int, default: int = 1) -> int:
    """Line of a key of an LMap / item of an LList, else ``default``."""
    if isinstance(data, LMap) and isinstance(key, str):
        return data.line_of(key)
    if isinstance(data, LList) and isinstance(key, int):
        return data.line_of(key)
    return getattr(data, "line", 0) or default


def check_id(value: Any) -> str | None:
    return None if isinstance(value, str) and ID_PATTERN.match(value) else "load.bad-id"


def check_score(value: Any) -> str | None:
    return None if isinstance(value, int) and 0 <= value <= 100 else "load.bad-score"


def check_positive(value: Any) -> str | None:
    return None if isinstance(value, int) and value > 0 else "load.bad-positive"


def check_nonempty(value: Any) -> str | None:
    return None if str(value).strip() else "load.empty-text"


def close_matches(word: str, candidates: list[str] | tuple[str, ...], *, n: int, cutoff: float) -> list[str]:
    """``difflib.get_close_matches``, imported only when there is a mistake to explain."""
    import difflib

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)
