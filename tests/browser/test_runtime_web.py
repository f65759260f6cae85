"""Run-time without an LMS: the web adapter (localStorage), standalone SCORM, accessibility."""

from __future__ import annotations

from pathlib import Path

from efop_author.render.sample import sample_course
from efop_author.render.site import render_site


def write_site(target: str, adapter: str, dest: Path) -> Path:
    site, diags = render_site(sample_course(), target, adapter)
    assert not diags.errors, [d.format() for d in diags]
    for rel, data in site.shared.items():
        (dest / "efop" / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / "efop" / rel).write_bytes(data)
    for m in site.modules:
        for rel, data in m.files.items():
            (dest / m.module.id / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / m.module.id / rel).write_bytes(data)
    assert site.home is not None
    (dest / "index.html").write_bytes(site.home)
    return dest


def current_page(page) -> str:  # noqa: ANN001
    return page.evaluate("() => document.querySelector('section.efop-page:not([hidden])').dataset.pageId")


def test_web_progress_survives_reload_from_file_url(new_page, tmp_path: Path) -> None:
    root = write_site("web", "web.js", tmp_path / "web")
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((root / "index.html").as_uri())
    page.click("text=Les QPV en chiffres")
    page.wait_for_selector("[data-efop-pager]:not([hidden])")
    page.click('[data-efop-action="next"]')
    page.click('[data-efop-action="next"]')
    assert current_page(page) == "quiz"
    page.check("#q-quiz-nombre-qpv-b")
    page.fill("#q-quiz-sigle-input", "prioritaire")
    page.click("#page-quiz [data-efop-submit]")
    assert "Votre score : 33 %" in page.inner_text("#page-quiz [data-efop-result]")
    page.reload()
    assert current_page(page) == "introduction"
    page.get_by_role("button", name="Reprendre là où vous vous étiez arrêté").click()
    assert current_page(page) == "quiz"
    assert page.is_checked("#q-quiz-nombre-qpv-b")
    assert "Votre score : 33 %" in page.inner_text("#page-quiz [data-efop-result]")
    assert page.is_visible("#page-quiz [data-efop-retry]")
    seen = page.eval_on_selector_all("a.efop-seen", "els => els.map(e => e.dataset.tocPage)")
    assert seen == ["introduction", "chiffres", "quiz"]
    # « Quitter » saves and goes back to the course home (web target only)
    page.click('[data-efop-action="exit"]')
    page.wait_for_url((root / "index.html").as_uri())
    assert errors == []


def test_shuffle_is_stable_for_a_learner(new_page, tmp_path: Path) -> None:
    root = write_site("web", "web.js", tmp_path / "web")
    page = new_page()
    url = (root / "qpv-chiffres" / "index.html").as_uri()
    page.goto(url)
    order = "els => els.map(e => e.dataset.choice || e.dataset.item)"
    first = page.eval_on_selector_all("#q-quiz-nombre-qpv li[data-choice]", order)
    items = page.eval_on_selector_all("#q-quiz-etapes li[data-item]", order)
    assert items != ["a", "b", "c"], "ordering never starts in the correct order"
    page.reload()
    assert page.eval_on_selector_all("#q-quiz-nombre-qpv li[data-choice]", order) == first
    assert page.eval_on_selector_all("#q-quiz-etapes li[data-item]", order) == items
    # another learner (another browser profile) gets its own, equally stable order
    orders = set()
    for n in range(6):
        other = new_page()
        other.add_init_script(f"localStorage.setItem('efop:learner', 'learner-{n}')")
        other.goto(url)
        orders.add(tuple(other.eval_on_selector_all("#q-quiz-nombre-qpv li[data-choice]", order)))
    assert len(orders) > 1


def test_scorm_package_without_lms_works_with_a_notice(new_page, tmp_path: Path) -> None:
    root = write_site("scorm12", "scorm12.js", tmp_path / "scorm")
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((root / "qpv-chiffres" / "index.html").as_uri())
    assert "Mode autonome" in page.inner_text("[data-efop-notice]")
    while page.locator('[data-efop-action="next"]').is_enabled():
        page.click('[data-efop-action="next"]')
    assert current_page(page) == "sources"
    page.click('[data-efop-action="exit"]')
    assert errors == []


def test_keyboard_navigation_and_single_visible_h1(new_page, tmp_path: Path) -> None:
    root = write_site("web", "web.js", tmp_path / "web")
    page = new_page()
    page.goto((root / "qpv-chiffres" / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    assert page.eval_on_selector_all("h1", "els => els.filter(e => e.offsetParent !== null).length") == 1
    page.focus('[data-efop-action="next"]')
    page.keyboard.press("Enter")
    assert current_page(page) == "chiffres"
    assert page.evaluate("document.activeElement.id") == "title-chiffres"
    assert page.eval_on_selector_all("h1", "els => els.filter(e => e.offsetParent !== null).length") == 1
    # ordering with the keyboard only
    page.click('.efop-toc summary')
    page.click('.efop-toc a[href="#page-quiz"]')
    before = page.eval_on_selector_all("#q-quiz-etapes li[data-item]", "els => els.map(e => e.dataset.item)")
    page.focus(f'#q-quiz-etapes li[data-item="{before[1]}"] button[data-move="up"]')
    page.keyboard.press("Enter")
    after = page.eval_on_selector_all("#q-quiz-etapes li[data-item]", "els => els.map(e => e.dataset.item)")
    assert after == [before[1], before[0], before[2]]
    assert "position 1 sur 3" in page.inner_text("#q-quiz-etapes [data-efop-moved]")
    assert page.evaluate("document.activeElement.closest('li').dataset.item") == before[1]
    # the glossary annex and back
    page.click('footer a[href="#page-_glossary"]')
    assert current_page(page) == "_glossary"
    page.click('#page-_glossary [data-efop-action="back"]')
    assert current_page(page) == "quiz"


def test_axe_quiz_page_before_and_after_answering(new_page, tmp_path: Path, axe_check, axe_report) -> None:
    root = write_site("web", "web.js", tmp_path / "web")
    for width in (1280, 320):
        page = new_page(viewport={"width": width, "height": 800})
        page.goto((root / "qpv-chiffres" / "index.html").as_uri())
        page.click('.efop-toc summary')
        page.click('.efop-toc a[href="#page-quiz"]')
        violations = axe_check(page)
        assert violations == [], axe_report(violations)
        # reflow (WCAG 1.4.10): no horizontal scrolling at 320 CSS px (= 1280 px at 400 %)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.check("#q-quiz-nombre-qpv-a")
        page.select_option("#q-quiz-missions-1", "c")
        page.fill("#q-quiz-sigle-input", "quartier")
        page.click("#page-quiz [data-efop-submit]")
        assert page.is_visible("#page-quiz [data-efop-verdict]")
        violations = axe_check(page)
        assert violations == [], axe_report(violations)
        for pid in ("introduction", "chiffres", "_glossary", "_accessibility"):
            page.evaluate("id => document.querySelector(`a[href='#page-${id}']`).click()", pid)
            violations = axe_check(page)
            assert violations == [], axe_report(violations)
    home = new_page()
    home.goto((root / "index.html").as_uri())
    violations = axe_check(home)
    assert violations == [], axe_report(violations)
