"""Default theme palette: WCAG contrast of every colour pair, computed from course.css itself."""

from __future__ import annotations

import re

import pytest

from efop_author.render import palette
from efop_author.render.theme import builtin_theme_dir

CSS = (builtin_theme_dir() / "static" / "css" / "course.css").read_text(encoding="utf-8")
VARS = palette.custom_properties(CSS)


def _ratio(fg: str, bg: str) -> float:
    """Contrast ratio, written out independently of palette.py (WCAG 2.1 definition)."""

    def lum(hex_: str) -> float:
        h = hex_.lstrip("#")
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        out = []
        for i in (0, 2, 4):
            c = int(h[i : i + 2], 16) / 255
            out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_formula_matches_known_values() -> None:
    assert _ratio("#000", "#fff") == pytest.approx(21.0)
    assert _ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert palette.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert palette.contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(_ratio("#767676", "#fff"))


def test_every_pair_variable_is_declared_in_course_css() -> None:
    names = {n for p in palette.PAIRS for n in (p.fg, p.bg)}
    assert names <= set(VARS), names - set(VARS)
    colours = {n for n in VARS if n.startswith("color-")}
    assert colours <= names, f"colour variables used in no checked pair: {colours - names}"


@pytest.mark.parametrize("pair", palette.PAIRS, ids=lambda p: f"{p.fg}/{p.bg}")
def test_default_pair_contrast(pair: palette.Pair) -> None:
    fg, bg = VARS[pair.fg], VARS[pair.bg]
    assert re.fullmatch(r"#[0-9a-f]{3}|#[0-9a-f]{6}", fg) and re.fullmatch(r"#[0-9a-f]{3}|#[0-9a-f]{6}", bg)
    ratio = _ratio(fg, bg)
    assert ratio >= pair.minimum, f"{pair.fg} {fg} on {pair.bg} {bg}: {ratio:.2f}:1 < {pair.minimum}:1"


def test_no_colour_outside_root_except_print_and_forced_colors() -> None:
    """Colours appear only as custom properties, so the pairs above cover the whole screen theme."""
    body = re.sub(r"/\*.*?\*/", "", CSS, flags=re.DOTALL)
    body = re.sub(r":root\s*\{[^}]*\}", "", body, count=1)
    body = body[: body.index("@media print")]
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(", body)
    named = re.findall(r"(?:color|background)\s*:\s*(white|black|red|blue|green|gray|grey)\b", body)
    assert not named


def test_focus_is_visible_and_motion_reduced() -> None:
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid var\(--efop-color-focus\)", CSS)
    assert "@media (prefers-reduced-motion: reduce)" in CSS
    assert "@media (forced-colors: active)" in CSS
    assert "@import" not in CSS and "url(" not in CSS  # nothing loaded, no web font


def test_contrast_problems_on_a_bad_override() -> None:
    values = {**VARS, "color-primary": "#9e9e9e"}
    problems = palette.contrast_problems(values, only={"color-primary"})
    names = {(p.pair.fg, p.pair.bg) for p in problems}
    assert ("color-on-primary", "color-primary") in names
    assert ("color-primary", "color-bg") in names
    assert all(p.ratio < p.pair.minimum for p in problems)
    assert palette.contrast_problems(VARS) == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("#6a1b4d", True),
        ('Georgia, "Times New Roman", serif', True),
        ("1.5rem", True),
        ("url(img/fond.png)", True),
        ("red; background: url(x)", False),
        ("url(https://evil.example/x.png)", False),
        ("url( '//evil.example/x.png')", False),
        ("url(data:image/png;base64,xx)", False),
        ("u\\72l(http://x)", False),
        ("#fff } body { display:none", False),
        ("</style><script>", False),
        ("@import 'x'", False),
        ("", False),
        ("expression(alert(1))", False),
    ],
)
def test_check_value(value: str, ok: bool) -> None:
    assert (palette.check_value(value) is None) is ok


def test_parse_color() -> None:
    assert palette.parse_color("#FFF") == (255, 255, 255)
    assert palette.parse_color("#6a1b4d") == (0x6A, 0x1B, 0x4D)
    assert palette.parse_color("rgb(10, 20, 30)") == (10, 20, 30)
    assert palette.parse_color("rgb(10 20 30 / 50%)") is None  # translucent: not measured
    assert palette.parse_color("#00000080") is None
    assert palette.parse_color("var(--x)") is None
