"""Render stage: the theme's CSS custom properties, value checks and WCAG contrast.

The default theme declares every colour, font and spacing as a custom property
``--efop-<name>`` in the ``:root`` rule of ``static/css/course.css``. A derived theme sets some
of them in ``theme.yml`` (``variables: {color-primary: "#6a1b4d"}``); :func:`check_value` keeps
those values inside one declaration and away from the network, and :data:`PAIRS` lists the
text/background (4.5:1) and non-text (3:1) colour pairs the default templates use, which
:func:`contrast` measures with the WCAG 2.1 relative-luminance formula.
"""

from __future__ import annotations

import re

from efop_author.records import record

PREFIX = "--efop-"

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ROOT = re.compile(r":root\s*\{([^}]*)\}")
_DECL = re.compile(r"--efop-([a-z0-9-]+)\s*:\s*([^;]+);")


def custom_properties(css: str) -> dict[str, str]:
    """``{name: value}`` of the ``--efop-*`` properties set in the first ``:root`` rule."""
    text = _COMMENT.sub("", css)
    m = _ROOT.search(text)
    if not m:
        return {}
    return {name: " ".join(value.split()) for name, value in _DECL.findall(m.group(1))}


def variable_name(key: str) -> str:
    """``color-primary`` and ``--efop-color-primary`` both name ``color-primary``."""
    key = key.strip()
    return key.removeprefix(PREFIX)


_FORBIDDEN = re.compile(r"[;{}<>\\@]|/\*|\*/|[\x00-\x1f\x7f]")
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_FUNCTION = re.compile(r"\b(expression|image-set|src)\s*\(", re.IGNORECASE)


def check_value(value: str) -> str | None:
    """None if ``value`` is safe as one CSS declaration value; else the reason (message key)."""
    if not value.strip():
        return "theme.value-empty"
    if _FORBIDDEN.search(value):
        return "theme.value-characters"
    for target in _URL.findall(value):
        if _SCHEME.match(target.strip()):
            return "theme.value-remote"
    if _FUNCTION.search(value):
        return "theme.value-function"
    return None


# --- colours and contrast ---------------------------------------------------------------------

_HEX = re.compile(r"^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$", re.IGNORECASE)
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})\s*(?:[,/]\s*([\d.]+%?)\s*)?\)$", re.IGNORECASE)
_NAMED = {"white": (255, 255, 255), "black": (0, 0, 0)}

RGB = tuple[int, int, int]


def parse_color(value: str) -> RGB | None:
    """An opaque sRGB colour (``#rgb``, ``#rrggbb``, ``rgb()``, ``white``, ``black``), else None.

    Translucent colours and anything else (``var()``, ``color-mix()``, named colours) are not
    measured: their contrast depends on what is behind them.
    """
    v = value.strip().lower()
    if v in _NAMED:
        return _NAMED[v]
    m = _HEX.match(v)
    if m:
        h = m.group(1)
        if len(h) in (3, 4):
            if len(h) == 4 and h[3] != "f":
                return None
            h = "".join(c * 2 for c in h[:3])
        elif len(h) == 8:
            if h[6:] != "ff":
                return None
            h = h[:6]
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
    m = _RGB.match(v)
    if m:
        alpha = m.group(4)
        if alpha is not None and alpha not in ("1", "1.0", "100%"):
            return None
        rgb = tuple(int(x) for x in m.group(1, 2, 3))
        if all(0 <= c <= 255 for c in rgb):
            return rgb  # type: ignore[return-value]
    return None


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    r, g, b = (_channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2.1 contrast ratio, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@record
class Pair:
    fg: str
    bg: str
    minimum: float
    use: str
    """Where the default templates use the pair (message key suffix in messages/theme.py)."""


TEXT = 4.5
NON_TEXT = 3.0

PAIRS: tuple[Pair, ...] = (
    Pair("color-text", "color-bg", TEXT, "body"),
    Pair("color-text", "color-surface", TEXT, "surface"),
    Pair("color-text", "color-info-bg", TEXT, "info"),
    Pair("color-text", "color-warning-bg", TEXT, "warning"),
    Pair("color-muted", "color-bg", TEXT, "muted"),
    Pair("color-muted", "color-surface", TEXT, "muted-surface"),
    Pair("color-muted", "color-info-bg", TEXT, "muted-info"),
    Pair("color-link", "color-bg", TEXT, "link"),
    Pair("color-link", "color-surface", TEXT, "link-surface"),
    Pair("color-link", "color-info-bg", TEXT, "link-info"),
    Pair("color-link", "color-warning-bg", TEXT, "link-warning"),
    Pair("color-primary", "color-bg", TEXT, "button"),
    Pair("color-primary", "color-info-bg", TEXT, "button-hover"),
    Pair("color-on-primary", "color-primary", TEXT, "button-primary"),
    Pair("color-success", "color-success-bg", TEXT, "success"),
    Pair("color-success", "color-bg", TEXT, "success-mark"),
    Pair("color-error", "color-error-bg", TEXT, "error"),
    Pair("color-error", "color-bg", TEXT, "error-mark"),
    Pair("color-focus", "color-bg", NON_TEXT, "focus"),
    Pair("color-focus", "color-surface", NON_TEXT, "focus-surface"),
    Pair("color-border", "color-bg", NON_TEXT, "border"),
    Pair("color-primary", "color-surface", NON_TEXT, "accent-surface"),
    Pair("color-warning-border", "color-warning-bg", NON_TEXT, "warning-border"),
)


@record
class ContrastProblem:
    pair: Pair
    ratio: float


def contrast_problems(values: dict[str, str], only: set[str] | None = None) -> list[ContrastProblem]:
    """The pairs of :data:`PAIRS` under their minimum with ``values`` (names without prefix).

    ``only``: check only the pairs with at least one of these names (the overridden ones).
    Pairs whose colours cannot be measured (see :func:`parse_color`) are skipped.
    """
    out: list[ContrastProblem] = []
    for pair in PAIRS:
        if only is not None and pair.fg not in only and pair.bg not in only:
            continue
        fg = parse_color(values.get(pair.fg, ""))
        bg = parse_color(values.get(pair.bg, ""))
        if fg is None or bg is None:
            continue
        ratio = contrast(fg, bg)
        if ratio < pair.minimum:
            out.append(ContrastProblem(pair, ratio))
    return out
