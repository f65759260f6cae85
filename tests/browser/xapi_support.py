"""Helpers of the xAPI browser tests (``from browser import xapi_support``: ``tests/`` is on the path).

    build_modules(root, out)         -> {module_id: unzipped package folder} (xapi target)
    launch_url(base, module, ...)    -> the module's launch URL with the Tin Can query parameters
    walk(page, answers=...)          walks every page with « Suivant », answers the quiz on the way
    correct_answers(data, wrong=())  -> answers to give: the right ones, except the ``wrong`` ids
    wait_drained(page)               waits until the adapter's queue is empty
    ready(adapter)                   wait_for_function condition: the adapter answered start()
    sorted_statements(stored)        statements in the order they were made (timestamp)
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import uuid
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DURATION_RE = re.compile(r"^PT(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?$")


def build_modules(root: Path, out: Path) -> dict[str, Path]:
    """Build ``root`` for the xapi target (no validation pass: its test is separate) and
    unzip every module package; returns module id -> folder."""
    from efop_author.build import build_course  # noqa: PLC0415

    result = build_course(root, targets=["xapi"], out=out / "zips", validate=False)
    assert result.ok, [str(d) for d in result.diagnostics]
    folders = {}
    for zpath in result.written:
        dest = out / zpath.stem
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(dest)
        module_dir = next(p.parent for p in dest.glob("*/index.html") if p.parent.name != "efop")
        folders[module_dir.name] = dest
    return folders


def module_data(folder: Path, module_id: str) -> dict:
    html = (folder / module_id / "index.html").read_text("utf-8")
    m = re.search(r'<script type="application/json" id="efop-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def actor(name: str = "learner-1", *, legacy: bool = False) -> dict:
    if legacy:  # the obsolete 0.9 array form of Rustici's 2012 example
        return {"name": [f"Apprenant {name}"], "mbox": [f"mailto:{name}@example.org"]}
    return {
        "objectType": "Agent",
        "name": f"Apprenant {name}",
        "account": {"homePage": "https://moodle.example.org", "name": name},
    }


def launch_url(
    base: str,
    module: str,
    *,
    endpoint: str,
    auth: str | None,
    actor_: dict,
    registration: str | None = None,
    activity_id: str | None = None,
    extra: dict | None = None,
) -> str:
    params = {"endpoint": endpoint}
    if auth is not None:
        params["auth"] = auth
    params["actor"] = json.dumps(actor_)
    if registration:
        params["registration"] = registration
    if activity_id:
        params["activity_id"] = activity_id
    params.update(extra or {})
    # mod_tincanlaunch: http_build_query(..., PHP_QUERY_RFC3986)
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
    return f"{base}{module}/index.html?{query}"


def new_registration() -> str:
    return str(uuid.uuid4())


def correct_answers(data: dict, wrong: tuple[str, ...] = ()) -> dict[str, object]:
    """question id -> answer (see :func:`answer_question`): right unless in ``wrong``."""
    out: dict[str, object] = {}
    for quiz in data["quizzes"].values():
        for q in quiz["questions"]:
            bad = q["id"] in wrong
            t = q["type"]
            if t in ("single", "true-false"):
                keys = [c["key"] for c in q["choices"]]
                right = q["correct"][0]
                out[q["id"]] = next(k for k in keys if k != right) if bad else right
            elif t == "multiple":
                out[q["id"]] = [c["key"] for c in q["choices"]] if bad else list(q["correct"])
            elif t == "matching":
                pairs = dict(p.split(".") for p in q["correct"])
                if bad:
                    srcs = list(pairs)
                    pairs[srcs[0]], pairs[srcs[1]] = pairs[srcs[1]], pairs[srcs[0]]
                out[q["id"]] = pairs
            elif t == "ordering":
                order = list(q["correct"])
                out[q["id"]] = list(reversed(order)) if bad else order
            else:
                out[q["id"]] = "mauvaise réponse" if bad else q["correct"][0]
    return out


def answer_question(page, q: dict, value) -> None:
    fs = page.locator(f'fieldset[data-question-id="{q["id"]}"]')
    t = q["type"]
    if t in ("single", "true-false"):
        fs.locator(f'input[value="{value}"]').check()
    elif t == "multiple":
        for inp in fs.locator("input").all():
            if inp.get_attribute("value") in value:
                inp.check()
            else:
                inp.uncheck()
    elif t == "matching":
        for src, target in value.items():
            fs.locator(f'select[data-source="{src}"]').select_option(target)
    elif t == "ordering":
        # the learner's buttons move one step at a time; put the list in the wanted order
        for pos, key in enumerate(value):
            for _ in range(10):
                items = [li.get_attribute("data-item") for li in fs.locator("li[data-item]").all()]
                if items.index(key) <= pos:
                    break
                fs.locator(f'li[data-item="{key}"] button[data-move="up"]').click()
    else:
        fs.locator("input[data-fill-in]").fill(value)


def current_page(page) -> str:
    return page.evaluate(
        "() => { const s = [...document.querySelectorAll('section.efop-page')].find(x => !x.hidden);"
        " return s ? s.getAttribute('data-page-id') : null; }"
    )


def walk(page, data: dict, answers: dict | None = None, *, stop_at: str | None = None) -> list[str]:
    """Click « Suivant » through the module from the current page, answering each quiz
    (and submitting it) on the way; stops at the last page or at ``stop_at``. Returns the
    page ids shown."""
    shown = [current_page(page)]
    for _ in range(100):
        pid = shown[-1]
        if pid in data["quizzes"] and answers is not None:
            form = page.locator(f'form[data-efop-quiz="{pid}"]')
            for q in data["quizzes"][pid]["questions"]:
                answer_question(page, q, answers[q["id"]])
            form.locator("[data-efop-submit]").click()
        if pid == stop_at:
            break
        nxt = page.locator('[data-efop-pager] [data-efop-action="next"]')
        if nxt.is_disabled():
            break
        nxt.click()
        shown.append(current_page(page))
    return shown


def wait_drained(page, timeout: float = 60.0) -> None:
    """Wait until the adapter has nothing left to send (statements and state)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate("window.efopLms.pending()") == 0:
            page.wait_for_timeout(300)  # a state PUT may still be on its way
            return
        page.evaluate("window.efopLms.commit()")
        page.wait_for_timeout(200)
    raise AssertionError(f"queue not drained: {page.evaluate('window.efopLms.pending()')} left")


def ready(adapter: str) -> str:
    """Condition for ``page.wait_for_function``: ``adapter`` is loaded and the run-time has
    started. xapi.js and cmi5.js answer ``start()`` with a promise: the run-time shows the
    pager only once it has settled."""
    return (f"window.efopLms && window.efopLms.name === '{adapter}'"
            " && !document.querySelector('[data-efop-pager]').hidden")


def sorted_statements(stored: list[dict]) -> list[dict]:
    return sorted(stored, key=lambda s: s["timestamp"])


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


