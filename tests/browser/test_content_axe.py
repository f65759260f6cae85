"""axe-core (WCAG 2.1 A/AA) on every page of the real course (content/), web target, in
Chromium, at desktop width and at 320 px for the pages most likely to overflow."""

from __future__ import annotations

from pathlib import Path

import pytest

from efop_author.build import build_course
from efop_author.load import load_course

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def course():  # noqa: ANN201
    c, _ = load_course(CONTENT)
    assert c is not None
    return c


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    result = build_course(CONTENT, targets=("web",), out=tmp_path_factory.mktemp("web"), strict=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {"web": sorted(result.written)}


def test_axe_on_every_page_of_the_web_target(built: dict[str, list[Path]], serve, new_page, axe_check, axe_report, course) -> None:  # noqa: ANN001
    (web,) = built["web"]
    base = serve(web)
    failures = []
    for width in (1280, 320):
        page = new_page(viewport={"width": width, "height": 900})
        page.goto(base + "index.html")
        violations = axe_check(page)
        if violations:
            failures.append(f"{width}px home: {axe_report(violations)}")
        for m in course.modules:
            page.goto(f"{base}{m.id}/index.html")
            page.wait_for_selector("[data-efop-pager]:not([hidden])")
            ids = page.eval_on_selector_all("section.efop-page", "els => els.map(e => e.dataset.pageId)")
            if width == 320:  # narrow screens: the pages most likely to overflow
                ids = [i for i in ids if i in ("quiz", "sources") or i.startswith("_")]
            for pid in ids:
                page.evaluate("id => { location.hash = 'page-' + id; }", pid)
                page.wait_for_selector(f'section[data-page-id="{pid}"]:not([hidden])')
                violations = axe_check(page)
                if violations:
                    failures.append(f"{width}px {m.id}/{pid}: {axe_report(violations)}")
        page.close()
    assert failures == [], "\n".join(failures)
