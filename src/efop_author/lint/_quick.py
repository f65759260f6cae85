"""Cheap pre-checks: regexes over a unit's HTML that prove a rule has nothing to report there.

The precise lints (:mod:`efop_author.lint.a11y`, :mod:`efop_author.lint.french`) parse each
piece of prose with lxml and walk its text in Python: that was half of a build. Almost all prose
is clean, so each rule first asks a function of this module whether the unit *may* hold a
finding; only then does the precise path run, unchanged, and it alone decides what to report and
where. The functions here may answer "maybe" too often (that only costs time) but must never
answer "no" when the precise path would report something. ``tests/test_lint_perf_equivalence.py``
compares both paths on courses full of mistakes and on random Markdown/HTML soup.

What makes the shortcuts sound: the HTML comes from markdown-it (escaped text, escaped attribute
values) or from the raw-HTML sanitiser (idem), so a ``<`` followed by a letter, ``/``, ``!`` or
``?`` always starts a tag and a tag ends at the first ``>``. Replacing every tag by :data:`SEP`
leaves the text nodes in document order, as runs of characters without ``SEP``. A rule that
would fire looks at characters that are either inside one run (the same characters as in the
precise text, up to white-space collapsing) or across a ``SEP`` (then the pre-check says
"maybe"). The precise path also masks URLs: that only hides more characters from it, except
right after a punctuation mark (« voir:https://... »), which :func:`punctuation_may_fire`
checks. Tool-generated screen-reader text, which the lints skip, is removed first
(``<span class="efop-sr-only">…</span>`` exactly as the loader writes it; any other use of the
class sends the unit to the precise path).
"""

from __future__ import annotations

import html as _html
import re
import unicodedata

SEP = "\x00"
"""Stands for a tag in the approximate text (neither space, letter, nor punctuation)."""

_TAG = re.compile(r"<(?:/?[A-Za-z][^>]*|!--.*?--|![^>]*|\?[^>]*)>", re.S)
_SR_SPAN = re.compile(r'<span class="efop-sr-only">[^<]*</span>')
_SR_CLASS = "efop-sr-only"
_ASCII_WS = frozenset(" \t\r\n\f\v")

_URL_START = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://|mailto:|tel:|www\.")
"""How a URL that ``_source.mask_urls`` would mask starts."""


def without_sr_only(fragment: str) -> str | None:
    """``fragment`` without the loader's screen-reader-only spans; ``None`` when the class is
    used in any other way (or :data:`SEP` occurs): the caller must take the precise path."""
    if SEP in fragment:
        return None
    if _SR_CLASS not in fragment:
        return fragment
    out = _SR_SPAN.sub("", fragment)
    return None if _SR_CLASS in out else out


def _unescape(text: str) -> str:
    return _html.unescape(text) if "&" in text else text


def separated_text(fragment: str) -> str:
    """Text of ``fragment`` (without sr-only spans), each tag replaced by :data:`SEP`,
    entities decoded. URLs are not masked (the precise path masks them): the checks below
    stay sound without it, and masking costs more than all of them."""
    return _unescape(_TAG.sub(SEP, fragment))


def joined_text(fragment: str) -> str:
    """Text of ``fragment`` (without sr-only spans), tags removed, entities decoded."""
    return _unescape(_TAG.sub("", fragment)) if "<" in fragment else _unescape(fragment)


# ---------------------------------------------------------------------------------------------
# fr.*

_PUNCT = re.compile(r"[:;!?]")
_GUILLEMET = re.compile(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»")
_STOP_AFTER = re.compile(r"[\s\x00]")


def punctuation_may_fire(text: str, no_space_before: frozenset[str] | set[str]) -> bool:
    """Whether ``fr.nbsp``, ``fr.nbsp-guillemets`` or ``fr.straight-quotes`` may fire on a
    unit whose :func:`separated_text` is ``text`` (mirrors ``french._punctuation``)."""
    if '"' in text or ("«" in text or "»" in text) and _GUILLEMET.search(text):
        return True
    n = len(text)
    for m in _PUNCT.finditer(text):
        i = m.start()
        if not i:
            return True
        prev = text[i - 1]
        if prev == SEP:
            return True
        if prev in no_space_before:  # same text node: the precise text has it (or masks it) too
            continue
        if prev in _ASCII_WS:
            j = i - 2
            while j >= 0 and text[j] in _ASCII_WS:
                j -= 1
            if j < 0 or text[j] == SEP or text[j] not in no_space_before:
                return True
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if not nxt or nxt == SEP:
            return True
        if nxt in ")/\\-_":
            continue
        if nxt.isalnum():
            # « 14:30 », « a:b » are not prose punctuation... unless the precise text masks
            # what follows as a URL (« voir:https://... »): one that starts here, or whose
            # start runs across a tag (then no white space comes before the next tag).
            if "a" <= nxt <= "z" or "A" <= nxt <= "Z":
                if _URL_START.match(text, i + 1):
                    return True
                stop = _STOP_AFTER.search(text, i + 1)
                if stop is None or text[stop.start()] == SEP:
                    return True
            continue
        return True
    return False


def acronym_may_fire(
    fragment: str, text: str, caps: str, known: set[str], seen: set[str], roman: re.Pattern[str]
) -> bool:
    """Whether ``fr.undefined-acronym`` may report a term in a unit (``fragment`` without
    sr-only spans, ``text`` its :func:`separated_text`).

    A reported term is a run of capitals and digits of the precise text, starting with a
    capital not preceded by a letter or digit and running to the end of the run. In the
    approximate text its characters form one run of capitals, digits and tags (:data:`SEP`)
    that starts with a capital; when no tag splits that run, the term can only be the whole run.
    So: "maybe" when a run is split by a tag, or is not a glossary term, a roman numeral or a
    term already reported. Glossary ``<abbr>`` contents, which the precise path masks, are
    looked at again without them when they are the reason (« FSE+ » gives the run « FSE »)."""
    if not _runs_may_fire(text, caps, known, seen, roman):
        return False
    if "<abbr" not in fragment:
        return True
    return _runs_may_fire(separated_text(_ABBR.sub(SEP, fragment)), caps, known, seen, roman)


_ABBR = re.compile(r"<abbr\b[^>]*>[^<]*</abbr>")


def _runs_may_fire(text: str, caps: str, known: set[str], seen: set[str], roman: re.Pattern[str]) -> bool:
    runs = set(_caps_run(caps).findall(text))
    runs -= known
    runs -= seen
    for run in runs:
        if SEP in run:
            run = run.strip(SEP)
            if SEP in run:
                return True
        if run not in known and run not in seen and not roman.match(run):
            return True
    return False


_CAPS_RUNS: dict[str, re.Pattern[str]] = {}


def _caps_run(caps: str) -> re.Pattern[str]:
    pattern = _CAPS_RUNS.get(caps)
    if pattern is None:
        pattern = _CAPS_RUNS[caps] = re.compile(rf"[{caps}][{caps}0-9\x00]*[{caps}][{caps}0-9\x00]*")
    return pattern


# ---------------------------------------------------------------------------------------------
# a11y.*

_A_START = re.compile(r"<a(?=[\s/>])[^>]*>", re.I)
_A_END = re.compile(r"</a\s*>", re.I)
_INLINE = frozenset("em strong code span abbr b i s u del ins sub sup kbd mark small q cite dfn samp var".split())
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")


def _balanced_inline(inner: str) -> bool:
    """``inner`` holds only inline elements (from :data:`_INLINE`), properly nested, so that
    lxml keeps them where they are."""
    stack: list[str] = []
    for m in _TAG.finditer(inner):
        name = _TAG_NAME.match(m.group(0))
        if name is None:  # comment, declaration
            continue
        closing, tag = name.group(1), name.group(2).lower()
        if tag not in _INLINE:
            return False
        if closing:
            if not stack or stack.pop() != tag:
                return False
        elif not m.group(0).endswith("/>"):
            stack.append(tag)
        else:
            return False
    return not stack


def links_may_fire(fragment: str, vague: frozenset[str]) -> bool:
    """Whether ``a11y.empty-link`` or ``a11y.link-text`` may fire (``fragment`` without
    sr-only spans): some ``<a>`` has an empty or vague text, or cannot be read safely."""
    for m in _A_START.finditer(fragment):
        end = _A_END.search(fragment, m.end())
        if end is None:
            return True
        inner = fragment[m.end() : end.start()]
        if "<" in inner:
            if _A_START.search(inner) or not _balanced_inline(inner):
                return True
            inner = _TAG.sub("", inner)
        text = _normalise(_unescape(inner)).strip()
        if not text.strip("\u00a0\u202f "):
            return True
        if _key(text) in vague:
            return True
    return False


def _normalise(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text)


def _key(text: str) -> str:
    """As ``a11y._key``: lower-case, punctuation and spaces dropped."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "PZ" else ch for ch in text.lower())
    return " ".join(cleaned.split())


_TABLE_START = re.compile(r"<table(?=[\s/>])", re.I)
_TABLE_END = re.compile(r"</table\s*>", re.I)
_TABLE_PARENTS = {
    "thead": ("table",), "tbody": ("table",), "tfoot": ("table",), "caption": ("table",),
    "colgroup": ("table",), "tr": ("table", "thead", "tbody", "tfoot"), "th": ("tr",), "td": ("tr",),
}
_CELLS = frozenset({"th", "td", "caption"})


def tables_may_fire(fragment: str) -> bool:
    """Whether ``a11y.table-no-header`` may fire: some table has no ``<th>`` with text that
    can be read safely (tables whose structure is anything but plainly nested are "maybe")."""
    pos = 0
    while True:
        m = _TABLE_START.search(fragment, pos)
        if m is None:
            return False
        end = _TABLE_END.search(fragment, m.end())
        if end is None:
            return True
        region = fragment[m.end() : end.start()]
        if _TABLE_START.search(region) or not _has_header(region):
            return True
        pos = end.end()


def _has_header(region: str) -> bool:
    """A non-empty ``<th>`` at a plainly nested place of the table whose content (after the
    ``<table`` start tag's name) is ``region``."""
    first = region.find(">")
    if first < 0:
        return False
    stack = ["table"]
    th_start = -1
    for m in _TAG.finditer(region, first + 1):
        name = _TAG_NAME.match(m.group(0))
        if name is None:
            continue
        closing, tag = name.group(1), name.group(2).lower()
        top = stack[-1]
        if closing:
            if top != tag:
                return False
            stack.pop()
            if tag == "th":
                text = joined_text(region[th_start : m.start()])
                if _normalise(text).strip("\u00a0\u202f "):
                    return True
            if not stack:
                return False
            continue
        if m.group(0).endswith("/>"):
            return False
        if tag in _INLINE:
            if top not in _CELLS and top not in _INLINE:
                return False
            stack.append(tag)
        elif tag in ("br", "img", "wbr"):
            if top not in _CELLS and top not in _INLINE:
                return False
        elif tag == "col":
            if top not in ("table", "colgroup"):
                return False
        elif top in _TABLE_PARENTS.get(tag, ()):
            stack.append(tag)
            if tag == "th":
                th_start = m.end()
        else:
            return False
    return False


_MEDIA_TAG = re.compile(r"<(?:video|audio)", re.I)
_MEDIA_EXT = re.compile(r"\.(?:mp4|webm|ogv|mov|m4v|mp3|ogg|oga|wav|m4a|aac|flac)", re.I)


def media_may_fire(fragment: str) -> bool:
    """Whether ``a11y.media-captions`` may fire: a ``<video>``, an ``<audio>`` or a link whose
    start tag names a media file (both HTML writers leave the dots and letters of attribute
    values as they are, never as character references)."""
    if _MEDIA_TAG.search(fragment):
        return True
    return any(_MEDIA_EXT.search(tag) for tag in _A_START.findall(fragment))


_COLOUR_HINT = re.compile(
    r"vert|rouge|orange|bleu|jaune|violet|gris|rose|couleur|surlign|colori|green|red|blue|yellow", re.I
)


def colour_may_fire(fragment: str) -> bool:
    """Whether ``a11y.colour-only`` may fire: every cue names a colour (or « surligner »,
    « colorier »), a word that stays whole in the text once tags are removed."""
    return _COLOUR_HINT.search(joined_text(fragment)) is not None
