"""Theme accessibility acceptance tests, real Chromium (issue 7).

- axe-core (WCAG 2.1 A/AA): zero violations on every page type — home, content, quiz before and
  after answering, summary, sources, glossary annex, accessibility statement annex — of the
  default theme and of the derived theme of ``tests/roots/derived-theme``, at 1280 and 320 px;
  one screenshot per page type, theme and width in ``tests/artifacts/screenshots/``; plus the
  preview's error overlay and error page.
- landmarks, headings in order, skip link, visible focus, reduced motion, reflow at 320 px and
  200 % zoom.
- keyboard only (``page.keyboard``: Tab, Shift+Tab, Enter, Space, arrows; no click/check/fill)
  through ``tests/roots/minimal``: every question type answered, quiz passed.
- printing: every page one after the other, no navigation, external URLs printed, feedback only
  when answered, a PDF of several pages; the facilitator sheet of ``content/`` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from efop_author.build import build_course
from efop_author.load import load_course
from efop_author.render.sample import sample_course
from efop_author.render.site import render_site

TESTS = Path(__file__).resolve().parents[1]
ROOTS = TESTS / "roots"
DERIVED = ROOTS / "derived-theme"
CONTENT = TESTS.parent / "content"
SHOTS = TESTS / "artifacts" / "screenshots"
MODULE = "qpv-chiffres"  # the sample course's module with every page kind


def write_site(site, dest: Path) -> Path:
    for rel, data in site.shared.items():
        (dest / "efop" / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / "efop" / rel).write_bytes(data)
    for m in site.modules:
        for rel, data in m.files.items():
            (dest / m.module.id / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / m.module.id / rel).write_bytes(data)
    if site.home is not None:
        (dest / "index.html").write_bytes(site.home)
    return dest


@pytest.fixture(scope="module")
def themed_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample course (every page kind, glossary) as a web site, default and derived theme."""
    out = {}
    for name, course in (("default", sample_course()), ("derived", sample_course(root=DERIVED, theme="maison"))):
        site, diags = render_site(course, "web", "web.js")
        assert list(diags) == [], [d.format() for d in diags]
        out[name] = write_site(site, tmp_path_factory.mktemp(name))
    assert (out["derived"] / "efop" / "theme.css").is_file()
    return out


@pytest.fixture(scope="module")
def minimal_web(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = build_course(ROOTS / "minimal", targets=("web",), out=tmp_path_factory.mktemp("minimal"))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.written[0]


def show(page: Page, pid: str) -> None:
    page.evaluate("id => { location.hash = 'page-' + id; }", pid)
    page.wait_for_selector(f'section[data-page-id="{pid}"]:not([hidden])')


def answer_sample_quiz(page: Page) -> None:
    page.check("#q-quiz-nombre-qpv-a")
    page.select_option("#q-quiz-missions-1", "c")
    page.fill("#q-quiz-sigle-input", "quartier")
    page.click("#page-quiz [data-efop-submit]")
    expect(page.locator("#page-quiz [data-efop-verdict]").first).to_be_visible()


def structure_problems(page: Page) -> list[str]:
    """Landmarks and heading order of what is visible."""
    return page.evaluate(
        """() => {
        const out = [];
        const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
        const count = sel => [...document.querySelectorAll(sel)].filter(visible).length;
        if (count('body > header, [role=banner]') !== 1) out.push('one banner');
        if (count('main') !== 1) out.push('one main');
        if (count('body > footer, [role=contentinfo]') !== 1) out.push('one contentinfo');
        for (const nav of document.querySelectorAll('nav')) {
            if (!nav.getAttribute('aria-label') && !nav.getAttribute('aria-labelledby')) out.push('unlabelled nav');
        }
        const hs = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(visible);
        if (!hs.length || hs[0].tagName !== 'H1') out.push('first heading is not h1');
        if (hs.filter(h => h.tagName === 'H1').length !== 1) out.push('not exactly one visible h1');
        let prev = 0;
        for (const h of hs) {
            const lvl = +h.tagName[1];
            if (prev && lvl > prev + 1) out.push('heading jump ' + prev + '→' + lvl + ': ' + h.textContent.trim());
            prev = lvl;
        }
        if (!document.documentElement.lang) out.push('no lang');
        const skip = document.querySelector('a.efop-skip[href="#efop-main"]');
        if (!skip || document.body.firstElementChild !== skip) out.push('skip link not first');
        return out;
    }"""
    )


def overflow(page: Page) -> int:
    """Horizontal overflow of the page in CSS px (0 = no horizontal scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@dataclass(frozen=True)
class PageType:
    name: str
    url: str  # relative to the site root
    page_id: str | None = None
    answered: bool = False


PAGE_TYPES = (
    PageType("home", "index.html"),
    PageType("content", f"{MODULE}/index.html", "introduction"),
    PageType("content-table", f"{MODULE}/index.html", "chiffres"),
    PageType("quiz", f"{MODULE}/index.html", "quiz"),
    PageType("quiz-answered", f"{MODULE}/index.html", "quiz", answered=True),
    PageType("summary", f"{MODULE}/index.html", "essentiel"),
    PageType("sources", f"{MODULE}/index.html", "sources"),
    PageType("glossary", f"{MODULE}/index.html", "_glossary"),
    PageType("accessibility", f"{MODULE}/index.html", "_accessibility"),
)


@pytest.mark.parametrize("theme", ["default", "derived"])
def test_axe_structure_and_screenshots_of_every_page_type(theme: str, themed_sites, new_page, axe_check, axe_report) -> None:
    root = themed_sites[theme]
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for width in (1280, 320):
        page = new_page(viewport={"width": width, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))  # noqa: B023
        for pt in PAGE_TYPES:
            page.goto((root / pt.url).as_uri())
            if pt.page_id is not None:
                page.wait_for_selector("[data-efop-pager]:not([hidden])")
                show(page, pt.page_id)
                if pt.answered:
                    answer_sample_quiz(page)
            where = f"{theme} {width}px {pt.name}"
            violations = axe_check(page)
            if violations:
                failures.append(f"{where}: {axe_report(violations)}")
            failures += [f"{where}: {p}" for p in structure_problems(page)]
            if overflow(page) > 0:
                failures.append(f"{where}: horizontal scrolling ({overflow(page)} px)")
            page.screenshot(path=str(SHOTS / f"{theme}-{width}-{pt.name}.png"), full_page=True)
        assert errors == []
        page.close()
    assert failures == [], "\n".join(failures)
    assert len(list(SHOTS.glob(f"{theme}-*.png"))) >= 2 * len(PAGE_TYPES)


def test_derived_theme_is_applied(themed_sites, new_page) -> None:
    page = new_page()
    page.goto((themed_sites["derived"] / MODULE / "index.html").as_uri())
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    bg = page.eval_on_selector(".efop-button--primary", "e => getComputedStyle(e).backgroundColor")
    assert bg == "rgb(106, 27, 77)"  # #6a1b4d
    assert "Georgia" in page.evaluate("getComputedStyle(document.body).fontFamily")
    logo = page.locator("header img.efop-logo")
    expect(logo).to_be_visible()
    expect(logo).to_have_attribute("alt", "Région Exemple")
    assert page.evaluate("document.querySelector('header img').naturalWidth") > 0
    height = page.evaluate("document.querySelector('header img').getBoundingClientRect().height")
    assert 30 <= height <= 60


@pytest.mark.parametrize("theme", ["default", "derived"])
def test_200_percent_zoom_and_320px_reflow(theme: str, themed_sites, new_page) -> None:
    root = themed_sites[theme]
    # a 1280×800 window at 200 % zoom has a 640 CSS px viewport with 2 device px per CSS px
    for opts in ({"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}, {"viewport": {"width": 320, "height": 640}}):
        page = new_page(**opts)
        for pt in PAGE_TYPES:
            page.goto((root / pt.url).as_uri())
            if pt.page_id is not None:
                page.wait_for_selector("[data-efop-pager]:not([hidden])")
                show(page, pt.page_id)
            assert overflow(page) == 0, f"{opts} {pt.name}"
            # the controls stay reachable: nothing visible lies outside the viewport horizontally
            outside = page.evaluate(
                """w => [...document.querySelectorAll('button, a, input, select, summary')]
                    .filter(e => e.offsetParent && !e.closest('.efop-table-wrap') && !e.classList.contains('efop-skip'))
                    .filter(e => { const r = e.getBoundingClientRect(); return r.right > w + 1 || r.left < -1; })
                    .map(e => e.outerHTML.slice(0, 80))""",
                opts["viewport"]["width"],
            )
            assert outside == [], f"{opts} {pt.name}: {outside}"
    # the same with CSS zoom on the whole page at desktop size
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto((root / MODULE / "index.html").as_uri())
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    page.evaluate("document.body.style.zoom = '200%'")
    for pid in ("introduction", "chiffres", "quiz", "sources"):
        show(page, pid)
        assert overflow(page) == 0, pid


def test_skip_link_focus_and_reduced_motion(themed_sites, new_page) -> None:
    page = new_page(reduced_motion="reduce")
    page.goto((themed_sites["default"] / MODULE / "index.html").as_uri())
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    skip = page.locator("a.efop-skip")
    assert skip.bounding_box()["y"] < 0  # off screen until focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "efop-skip"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "efop-main"
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    moving = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(e => {
            const s = getComputedStyle(e);
            return s.animationName !== 'none' || (s.transitionDuration.split(',').some(d => parseFloat(d) > 0));
        }).length"""
    )
    assert moving == 0
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"


# ---------------------------------------------------------------------------------------------
# keyboard only


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, id: e.id, type: e.type || '', text: (e.textContent || '').trim().slice(0, 60),
                    move: e.dataset.move || '', item: (e.closest('li[data-item]') || {dataset: {}}).dataset.item || '',
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""
    )


def tab_to(page: Page, selector: str, *, back: bool = False, limit: int = 120) -> dict:
    """Press Tab (Shift+Tab with ``back``) until the focused element matches ``selector``; the
    element must show a visible focus outline."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("sel => document.activeElement && document.activeElement.matches(sel)", selector):
            info = focused(page)
            assert info["outline"], f"no visible focus on {info}"
            return info
    raise AssertionError(f"{selector} not reached with {key}")


def value_of(page: Page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => e.value")


def test_keyboard_only_walkthrough_completes_every_question_type(minimal_web: Path, new_page) -> None:
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((minimal_web / "index.html").as_uri())
    # course home → module, with the keyboard
    tab_to(page, 'a[href="intro/index.html"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    data = page.evaluate("JSON.parse(document.getElementById('efop-data').textContent)")
    questions = {q["id"]: q for q in data["quizzes"]["quiz"]["questions"]}
    assert {q["type"] for q in questions.values()} == {"single", "multiple", "true-false", "matching", "ordering", "fill-in"}
    # « Suivant » twice: accueil → contenu → quiz
    for expected in ("contenu", "quiz"):
        tab_to(page, '[data-efop-action="next"]')
        page.keyboard.press("Enter")
        page.wait_for_selector(f'section[data-page-id="{expected}"]:not([hidden])')
        assert page.evaluate("document.activeElement.id") == f"title-{expected}"
    fs = "#q-quiz-"

    # single and true-false: radio groups, Space then arrow keys
    for qid in ("q-single", "q-tf"):
        tab_to(page, f'{fs}{qid} input[type="radio"]')
        page.keyboard.press("Space")
        (correct,) = questions[qid]["correct"]
        for _ in range(len(questions[qid]["choices"])):
            if page.evaluate("document.activeElement.value") == correct:
                break
            page.keyboard.press("ArrowDown")
        assert page.is_checked(f"{fs}{qid}-{correct}")

    # multiple: Tab through the checkboxes, Space on the right ones
    checked = 0
    first = tab_to(page, f'{fs}q-multi input[type="checkbox"]')
    assert first["type"] == "checkbox"
    for _ in range(len(questions["q-multi"]["choices"])):
        if page.evaluate("document.activeElement.value") in questions["q-multi"]["correct"]:
            page.keyboard.press("Space")
            checked += 1
        page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # back on the last checkbox
    assert page.evaluate("document.activeElement.type") == "checkbox"
    assert checked == 2
    for key in questions["q-multi"]["correct"]:
        assert page.is_checked(f"{fs}q-multi-{key}")

    # matching: each select with the arrow keys
    targets = {}
    for pair in questions["q-match"]["correct"]:
        source, target = pair.split(".")
        targets[source] = target
    for source, target in targets.items():
        sel = f"{fs}q-match-{source}"
        tab_to(page, sel)
        for _ in range(len(questions["q-match"]["targets"]) + 2):
            if value_of(page, sel) == target:
                break
            page.keyboard.press("ArrowDown")
        assert value_of(page, sel) == target, f"{sel}: {value_of(page, sel)}"

    # ordering: « Monter » buttons, Enter and Space
    correct_order = questions["q-order"]["correct"]
    order_js = "() => [...document.querySelectorAll('#q-quiz-q-order li[data-item]')].map(e => e.dataset.item)"
    for pos, key in enumerate(correct_order):
        current = page.evaluate(order_js)
        steps = current.index(key) - pos
        if steps <= 0:
            continue
        info = tab_to(page, f'{fs}q-order li[data-item="{key}"] button[data-move="up"]')
        assert info["item"] == key
        for i in range(steps):
            page.keyboard.press("Enter" if i % 2 == 0 else "Space")
            assert focused(page)["item"] == key  # the focus follows the moved item
    assert page.evaluate(order_js) == correct_order
    assert "position 1 sur 3" in page.inner_text(f"{fs}q-order [data-efop-moved]") or correct_order[0] == page.evaluate(order_js)[0]

    # fill-in: reach « Valider » then Shift+Tab back to the text field, type, Tab, Enter
    tab_to(page, "#page-quiz [data-efop-submit]")
    tab_to(page, f"{fs}q-fill-input", back=True)
    page.keyboard.type(questions["q-fill"]["correct"][0])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-efop-submit')")
    page.keyboard.press("Enter")

    result = page.locator("#page-quiz [data-efop-result]")
    expect(result).to_contain_text("Votre score : 100 %")
    assert page.evaluate("document.activeElement.hasAttribute('data-efop-result')")  # focus on the result
    verdicts = page.eval_on_selector_all("#page-quiz [data-efop-verdict]", "els => els.map(e => e.textContent)")
    assert len(verdicts) == 6 and all("Bonne réponse" in v for v in verdicts), verdicts
    stored = page.evaluate("JSON.parse(localStorage.getItem('efop:demo:intro'))")
    assert stored["status"] == "passed" and stored["score"] == 100
    # the rest of the module, still with the keyboard: « Suivant » to the summary
    tab_to(page, '[data-efop-action="next"]')
    page.keyboard.press("Space")
    page.wait_for_selector('section[data-page-id="essentiel"]:not([hidden])')
    # the table of contents (details/summary) and an annex
    page.keyboard.press("Shift+Tab")
    tab_to(page, ".efop-toc summary", back=True)
    page.keyboard.press("Enter")
    tab_to(page, '.efop-toc a[href="#page-_glossary"]')
    page.keyboard.press("Enter")
    page.wait_for_selector('section[data-page-id="_glossary"]:not([hidden])')
    tab_to(page, '#page-_glossary [data-efop-action="back"]')
    page.keyboard.press("Enter")
    page.wait_for_selector('section[data-page-id="essentiel"]:not([hidden])')
    assert errors == []


# ---------------------------------------------------------------------------------------------
# print


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def print_state(page: Page) -> dict:
    return page.evaluate(
        """() => {
        const shown = e => getComputedStyle(e).display !== 'none' && !!e.getClientRects().length;
        const q = s => [...document.querySelectorAll(s)];
        return {
            sections: q('section.efop-page').map(s => [s.dataset.pageId, shown(s), getComputedStyle(s).breakBefore]),
            chrome: q('.efop-skip, .efop-toc, [data-efop-pager], .efop-progress, [data-efop-submit], [data-move], [data-efop-action]')
                .filter(shown).map(e => e.outerHTML.slice(0, 60)),
            external: q('a[href^="http"]').filter(shown).map(a => getComputedStyle(a, '::after').content),
            feedback: q('[data-efop-verdict], [data-fb], [data-fb-choice]').filter(shown).length,
        };
    }"""
    )


@pytest.mark.parametrize("theme", ["default", "derived"])
def test_module_prints_as_a_handout(theme: str, themed_sites, new_page, tmp_path: Path) -> None:
    page = new_page()
    page.goto((themed_sites[theme] / MODULE / "index.html").as_uri())
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    page.emulate_media(media="print")
    st = print_state(page)
    ids = [s[0] for s in st["sections"]]
    assert ids == ["introduction", "chiffres", "quiz", "essentiel", "sources", "_glossary", "_accessibility"]
    assert all(s[1] for s in st["sections"]), st["sections"]  # hidden sections printed
    assert [s[2] for s in st["sections"]] == ["auto"] + ["page"] * (len(ids) - 1)  # one page each
    assert st["chrome"] == []  # no navigation, pager, skip link, buttons
    assert st["feedback"] == 0  # unanswered quiz: no feedback printed
    pdf = page.pdf(format="A4", print_background=False)
    (tmp_path / f"{theme}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) >= len(ids)
    # answered: the feedback prints
    page.emulate_media(media="screen")
    show(page, "quiz")
    answer_sample_quiz(page)
    page.emulate_media(media="print")
    assert print_state(page)["feedback"] > 0
    assert page.is_visible("#page-quiz [data-efop-result]")
    if theme == "default":
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS.parent / "print-sample.pdf").write_bytes(page.pdf(format="A4"))


def test_external_links_print_their_address(minimal_web: Path, new_page) -> None:
    page = new_page()
    page.goto((minimal_web / "intro" / "index.html").as_uri())
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    page.emulate_media(media="print")
    st = print_state(page)
    assert st["external"] == ['" (https://www.insee.fr/)"'], st["external"]
    internal = page.evaluate(
        "[...document.querySelectorAll('.efop-content a[href^=\"#\"]')].map(a => getComputedStyle(a, '::after').content)"
    )
    assert internal and set(internal) == {"none"}  # in-module links: no address
    pdf = page.pdf(format="A4")
    assert pdf_pages(pdf) >= 4


def test_facilitator_sheet_prints(new_page, tmp_path: Path) -> None:
    course, diags = load_course(CONTENT)
    assert course is not None, [d.format() for d in diags]
    (module,) = [m for m in course.modules if m.id.endswith("cooperer") or "cooperer" in str(m.loc.path)]
    from dataclasses import replace

    site, rdiags = render_site(replace(course, modules=(module,)), "web", "web.js")
    assert not rdiags.errors
    root = write_site(site, tmp_path / "web")
    page = new_page(viewport={"width": 800, "height": 1000})
    page.goto((root / module.id / "index.html").as_uri())
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    show(page, "fiche-animation")
    page.emulate_media(media="print")
    sheet = page.locator("#page-fiche-animation")
    expect(sheet).to_be_visible()
    expect(sheet.locator("table").first).to_be_visible()
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('#page-fiche-animation .efop-table-wrap')]
            .filter(w => w.scrollWidth > w.clientWidth + 1).length"""
    )
    assert clipped == 0
    assert print_state(page)["chrome"] == []
    pdf = page.pdf(format="A4")
    (tmp_path / "fiche.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) >= 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS.parent / "print-fiche-animation.pdf").write_bytes(pdf)


# ---------------------------------------------------------------------------------------------
# preview error overlay and error page


def test_preview_error_overlay_and_page_pass_axe(course_root, new_page, axe_check, axe_report) -> None:
    from efop_author.preview.server import PreviewServer

    root = course_root("minimal")
    server = PreviewServer(root, 0, interval=0.2).start()
    try:
        page = new_page()
        page.goto(server.url + "intro/index.html")
        expect(page.locator("#page-accueil")).to_be_attached()
        path = root / "modules/01-intro/01-accueil.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: Bienvenue", "title: Bienvenue : ici"), encoding="utf-8")
        expect(page.locator('[data-efop-preview="errors"]')).to_be_visible(timeout=3000)
        violations = axe_check(page)
        assert violations == [], axe_report(violations)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "preview-error-overlay.png"))
        course_yml = root / "course.yml"
        course_yml.write_text(course_yml.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
        page2 = new_page()
        page2.goto(server.url)
        page2.wait_for_timeout(500)
        violations = axe_check(page2)
        assert violations == [], axe_report(violations)
    finally:
        server.stop()
