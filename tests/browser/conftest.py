"""Browser fixtures: real Chromium (Debian's /usr/bin/chromium through Playwright), a
real SCORM 1.2 LMS run-time (scorm-again) and axe-core.

    browser                  Playwright Browser (session)
    new_page(**context_opts) -> Page in a fresh context, closed after the test
    scorm12_lms(package, *, cmi=None, fail_commit_once=False, sco=None, student=None)
                             -> LmsSession: the package's SCO launched in a Moodle-like
                                parent page whose window.API is scorm-again's Scorm12API
    axe_check(page_or_frame, *, disable=()) -> list of axe violations (WCAG 2.1 A/AA)

Fixtures from tests/conftest.py are available too: http_server, serve, ralph_lrs,
xapi_validate. Every test in this folder is marked ``browser``.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from playwright.sync_api import Browser, Frame, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NODE_MODULES = Path(__file__).resolve().parent.parent / "js" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):  # noqa: ARG001
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright's sync API (never downloads a
    browser: ``executable_path=/usr/bin/chromium``)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./scripts/test.sh (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_page(browser: Browser):
    """``new_page(**context_options) -> Page`` in a fresh browser context (French locale,
    1280×800 unless overridden); pages and contexts are closed after the test."""
    contexts = []

    def make(**options) -> Page:
        options.setdefault("locale", "fr-FR")
        options.setdefault("viewport", {"width": 1280, "height": 800})
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


# ---------------------------------------------------------------------------
# manifest reading (tolerant, namespace-blind like Moodle's parser)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attr(el, name: str) -> str | None:
    for key, value in el.attrib.items():
        if _local(key).lower() == name.lower():
            return value
    return None


@dataclass(frozen=True)
class ScoInfo:
    identifier: str  # the <item> identifier
    href: str  # launch path relative to the package root (parameters included)
    mastery_score: str | None
    data_from_lms: str | None


def read_scos(package_dir: Path) -> list[ScoInfo]:
    """The launchable SCOs of a SCORM 1.2 package, in organization order."""
    from lxml import etree  # noqa: PLC0415

    root = etree.parse(str(package_dir / "imsmanifest.xml")).getroot()

    def xml_base(el) -> str:
        return _attr(el, "base") or ""

    resources_el = next((e for e in root.iter() if _local(e.tag) == "resources"), None)
    resources = {}
    if resources_el is not None:
        for res in resources_el:
            if _local(res.tag) != "resource":
                continue
            scormtype = (_attr(res, "scormtype") or "").lower()
            base = xml_base(root) + xml_base(resources_el) + xml_base(res)
            resources[res.get("identifier")] = (scormtype, base + (res.get("href") or ""))
    scos = []
    for item in root.iter():
        if _local(item.tag) != "item" or not item.get("identifierref"):
            continue
        scormtype, href = resources.get(item.get("identifierref"), ("", ""))
        if scormtype != "sco" or not href:
            continue
        params = item.get("parameters") or ""
        if params:
            params = params.lstrip("?&")
            href += ("&" if "?" in href else "?") + params
        mastery = next((c.text for c in item if _local(c.tag) == "masteryscore"), None)
        data = next((c.text for c in item if _local(c.tag) == "datafromlms"), None)
        scos.append(ScoInfo(item.get("identifier"), href, mastery, data))
    return scos


# ---------------------------------------------------------------------------
# the LMS session


@dataclass
class LmsSession:
    """One launch of a SCO in the test LMS (scorm-again's Scorm12API as window.API).

    ``page`` is the LMS parent page, ``frame`` the SCO's frame. The data the SCO
    committed reach the harness server as Moodle's would (``commits()``).
    """

    page: Page
    sco: ScoInfo
    base_url: str
    backend: object  # conftest.LmsBackend
    console: list = field(default_factory=list)

    @property
    def frame(self) -> Frame:
        """The SCO's frame (the iframe named ``sco``)."""
        frame = self.page.frame(name="sco")
        assert frame is not None, "no SCO frame"
        return frame

    def calls(self) -> list[dict]:
        """Every API call so far: ``{"name", "args", "ret", "error", "t"}`` where
        ``error`` is ``LMSGetLastError()`` right after the call."""
        return self.page.evaluate("window.__calls")

    def calls_named(self, name: str) -> list[dict]:
        return [c for c in self.calls() if c["name"] == name]

    def errors(self) -> list[dict]:
        """The calls after which ``LMSGetLastError()`` was not ``"0"`` (the three
        error-query functions excluded: they only report the previous call's error)."""
        query = {"LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"}
        return [c for c in self.calls() if c["error"] != "0" and c["name"] not in query]

    def set_values(self) -> dict[str, str]:
        """Last value the SCO set for each element (``LMSSetValue`` calls that returned
        "true")."""
        out: dict[str, str] = {}
        for c in self.calls():
            if c["name"] == "LMSSetValue" and c["ret"] == "true":
                out[c["args"][0]] = c["args"][1]
        return out

    def cmi(self) -> dict:
        """The LMS's current data: scorm-again's ``renderCMIToJSONObject()``,
        ``{"cmi": {"core": {...}, "suspend_data": ..., ...}}``."""
        return self.page.evaluate("window.API.renderCMIToJSONObject()")

    def value(self, element: str) -> str:
        """Current value of one CMI element in the LMS (read directly, not through the
        recorded API), e.g. ``value("cmi.core.lesson_status")``."""
        node = self.cmi()
        for part in element.split("."):
            if isinstance(node, list):
                node = node[int(part)]
            else:
                node = node.get(part, "") if isinstance(node, dict) else ""
        return "" if node is None else str(node)

    def saved_cmi(self) -> dict:
        """What Moodle would hand back on the next launch: the current CMI without the
        per-session elements (session_time, exit, entry), with ``total_time`` = previous
        total + this session's time. Pass it to ``scorm12_lms(..., cmi=...)``, which sets
        ``cmi.core.entry = "resume"``."""
        data = json.loads(json.dumps(self.cmi()))
        core = data.get("cmi", {}).get("core", {})
        session = core.get("session_time") or "00:00:00"
        total = self.page.evaluate("window.API.cmi.core.total_time") or "00:00:00"
        core["total_time"] = _format_timespan(_timespan(total) + _timespan(session))
        for key in ("session_time", "exit", "entry"):
            core.pop(key, None)
        return data

    def commits(self) -> list:
        """Payloads scorm-again POSTed to the LMS server (LMSCommit, LMSFinish)."""
        return list(self.backend.commits)

    def wait_for_commit(self, predicate=None, timeout: float = 5.0):
        """Wait until a commit satisfying ``predicate(payload)`` (default: any) reached
        the LMS server (the termination commit travels by beacon, asynchronously);
        returns the latest such payload."""
        deadline = time.monotonic() + timeout
        while True:
            matching = [c for c in self.backend.commits if predicate is None or predicate(c)]
            if matching:
                return matching[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no matching commit within {timeout}s: {self.commits()}")
            self.page.wait_for_timeout(50)

    @property
    def failed_commits(self) -> int:
        return self.backend.failed_commits

    def unload_sco(self, timeout: float = 10.0) -> None:
        """Navigate the SCO's iframe to about:blank (as Moodle does when the learner
        leaves), so the SCO gets ``pagehide``/``unload``; returns once it is unloaded."""
        self.page.evaluate("document.getElementById('sco').src = 'about:blank'")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.frame.url == "about:blank":
                break
            self.page.wait_for_timeout(50)
        else:
            raise AssertionError("the SCO frame did not unload")
        # let beacons/handlers settle
        self.page.wait_for_timeout(100)

    def page_errors(self) -> list[str]:
        """Uncaught exceptions, console errors and HTTP responses ≥ 400 of the LMS page
        and the SCO (a failed transport simulated by ``fail_commit_once`` shows here)."""
        return list(self.console)


def _timespan(value: str) -> float:
    """Seconds of a SCORM 1.2 CMITimespan ``HHHH:MM:SS.SS``."""
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _format_timespan(seconds: float) -> str:
    cents = round(seconds * 100)
    hours, rest = divmod(cents, 360000)
    minutes, rest = divmod(rest, 6000)
    secs, cents = divmod(rest, 100)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return text + (f".{cents:02d}" if cents else "")


def _extract_if_zip(package: Path, tmp_path: Path) -> Path:
    if package.is_file() and package.suffix == ".zip":
        dest = tmp_path / ("unzipped-" + package.stem)
        if not dest.exists():
            with zipfile.ZipFile(package) as zf:
                zf.extractall(dest)
        return dest
    return package


@pytest.fixture
def scorm12_lms(new_page, http_server, tmp_path):
    """``scorm12_lms(package, *, cmi=None, fail_commit_once=False, sco=None,
    student=None) -> LmsSession``.

    ``package``: an unzipped SCORM 1.2 package folder (or a .zip, extracted first).
    Launches its first SCO (or the one whose item identifier is ``sco``) in
    ``tests/browser/harness/scorm12.html``: a parent page holding scorm-again's real
    ``Scorm12API`` as ``window.API``, the SCO in an iframe, as in Moodle. The LMS gives
    the SCO ``student_id``/``student_name``, ``lesson_mode=normal``, ``credit=credit``,
    ``entry`` (``ab-initio``, or ``resume`` when ``cmi`` is given), the manifest's
    ``mastery_score`` and ``launch_data``.

    ``cmi``: saved data of a previous launch (``LmsSession.saved_cmi()``), loaded with
    scorm-again's ``loadFromJSON`` before the SCO starts.

    ``fail_commit_once``: the first ``LMSCommit`` fails in transport: the harness
    server answers the commit POST with HTTP 500 once. The LMS is still scorm-again,
    only the network/server failure is simulated; scorm-again itself then returns
    "false" to the SCO and sets error 101 (SCORM 1.2 has no commit-specific code).
    The termination commit (``LMSFinish``, sent by beacon) is never failed.
    """

    def launch(
        package,
        *,
        cmi: dict | None = None,
        fail_commit_once: bool = False,
        sco: str | None = None,
        student: tuple[str, str] = ("efop-learner-1", "Apprenant, Test"),
        timeout: float = 15.0,
    ) -> LmsSession:
        package_dir = _extract_if_zip(Path(package), tmp_path)
        scos = read_scos(package_dir)
        assert scos, f"no SCO in {package_dir / 'imsmanifest.xml'}"
        if sco is not None:
            matches = [s for s in scos if s.identifier == sco]
            assert matches, f"no SCO item {sco!r}; have {[s.identifier for s in scos]}"
            info = matches[0]
        else:
            info = scos[0]
        base_url = http_server.serve(package_dir)
        sid, backend = http_server.new_lms_session(fail_commits=1 if fail_commit_once else 0)
        initial = {
            "cmi.core.student_id": student[0],
            "cmi.core.student_name": student[1],
            "cmi.core.lesson_mode": "normal",
            "cmi.core.credit": "credit",
            "cmi.core.entry": "resume" if cmi else "ab-initio",
        }
        if info.mastery_score:
            initial["cmi.student_data.mastery_score"] = info.mastery_score.strip()
        if info.data_from_lms:
            initial["cmi.launch_data"] = info.data_from_lms
        if cmi:
            cmi = json.loads(json.dumps(cmi))
            core = cmi.setdefault("cmi", cmi if "core" in cmi else {}).setdefault("core", {})
            core["entry"] = "resume"
            for key in ("session_time", "exit"):
                core.pop(key, None)
        config = {
            "scoUrl": urllib.parse.urljoin(base_url, info.href),
            "commitUrl": http_server.url(f"__lms/commit/{sid}"),
            "initial": initial,
            "cmi": cmi,
        }
        page = new_page()
        session = LmsSession(page=page, sco=info, base_url=base_url, backend=backend)
        page.on("pageerror", lambda exc: session.console.append(f"pageerror: {exc}"))
        page.on(
            "console",
            lambda msg: session.console.append(f"console.{msg.type}: {msg.text}")
            if msg.type == "error"
            else None,
        )
        page.on(
            "response",
            lambda r: session.console.append(f"http {r.status}: {r.request.method} {r.url}")
            if r.status >= 400
            else None,
        )
        page.add_init_script(
            "if (window === window.top) { window.__lmsConfig = %s; }" % json.dumps(config)
        )
        page.goto(http_server.url("harness/scorm12.html"))
        page.wait_for_function("window.__scoLoaded === true", timeout=timeout * 1000)
        return session

    return launch


# ---------------------------------------------------------------------------
# axe-core


@pytest.fixture(scope="session")
def axe_check():
    """``axe_check(page_or_frame, *, disable=(), context=None) -> list[dict]``: inject
    axe-core (tests/js/node_modules) into the page or frame and run it with the WCAG 2.1
    A/AA tags; returns axe's ``violations`` (each with ``id``, ``impact``, ``help``,
    ``nodes[].target``/``html``). ``disable``: rule ids to switch off (say why in the
    test). Use ``format_violations`` for a readable assertion message."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run ./scripts/test.sh (npm ci)")
    source = AXE_JS.read_text(encoding="utf-8")

    def check(target, *, disable=(), context=None) -> list[dict]:
        if not target.evaluate("() => typeof window.axe === 'object'"):
            # evaluated as a script through the DevTools protocol, so a package's
            # Content-Security-Policy does not block it (nor does it need a URL)
            target.evaluate(source + "\n;void 0")
        options = {
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
            "rules": {rule: {"enabled": False} for rule in disable},
        }
        result = target.evaluate(
            "([ctx, opts]) => window.axe.run(ctx || document, opts)", [context, options]
        )
        return result["violations"]

    return check


def format_violations(violations: list[dict]) -> str:
    """Readable text of axe violations, for assertion messages."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']}")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    {node.get('target')}: {node.get('html', '')[:160]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_report():
    """The ``format_violations`` function, as a fixture (conftest modules cannot be
    imported under --import-mode=importlib)."""
    return format_violations
