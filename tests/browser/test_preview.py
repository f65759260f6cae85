"""``efop-author preview`` in real Chromium: live reload within 2 s, build errors in the page
(file and line), loopback only, the inspector (SCORM 1.2 recorder, xAPI statements) kept out
of packages; and the web target from ``file://`` keeping progress across reloads."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from efop_author.build import build_course
from efop_author.preview.server import HOST, PreviewServer

PAGE_FILE = "modules/01-intro/01-accueil.md"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def preview(course_root):
    """``preview(name="minimal") -> (PreviewServer, project copy)``, stopped after the test."""
    servers: list[PreviewServer] = []

    def start(name: str = "minimal") -> tuple[PreviewServer, Path]:
        root = course_root(name)
        server = PreviewServer(root, 0, interval=0.2).start()
        servers.append(server)
        return server, root

    yield start
    for s in servers:
        s.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def status(server: PreviewServer) -> dict:
    with urllib.request.urlopen(server.url + "__efop__/status", timeout=5) as r:
        return json.loads(r.read())


# ---------------------------------------------------------------------------------------------
# live reload and build errors


def test_edit_shows_in_page_within_two_seconds(preview, new_page) -> None:
    server, root = preview()
    page: Page = new_page()
    page.goto(server.url + "intro/index.html")
    expect(page.locator("#page-accueil")).to_contain_text("Pourquoi ce module")
    page.wait_for_timeout(300)  # the page's first status poll has happened
    started = time.monotonic()
    edit(root / PAGE_FILE, "## Pourquoi ce module ?", "## Un titre modifié à chaud")
    expect(page.locator("#page-accueil")).to_contain_text("Un titre modifié à chaud", timeout=2000)
    assert time.monotonic() - started < 2.0
    # and again (the watcher keeps going), this time in a quiz file
    started = time.monotonic()
    edit(root / "modules/01-intro/03-quiz.md", "Répondez aux questions.", "Répondez vite aux questions.")
    expect(page.locator("#page-quiz")).to_contain_text("Répondez vite aux questions.", timeout=2000)
    assert time.monotonic() - started < 2.0


def test_yaml_error_shows_in_page_with_file_and_line(preview, new_page) -> None:
    server, root = preview()
    page = new_page()
    page.goto(server.url + "intro/index.html")
    expect(page.locator("#page-accueil")).to_be_attached()
    edit(root / PAGE_FILE, "title: Bienvenue", "title: Bienvenue : ici")  # ": " in a plain scalar
    overlay = page.locator('[data-efop-preview="errors"]')
    expect(overlay).to_be_visible(timeout=3000)
    expect(overlay).to_have_attribute("role", "alert")
    expect(overlay).to_contain_text(f"{PAGE_FILE}:3: error:")
    expect(overlay).to_contain_text("[load.yaml-syntax]")
    expect(overlay).to_contain_text("La construction a échoué")
    # the last good version stays underneath
    expect(page.locator("#page-accueil")).to_contain_text("Pourquoi ce module")
    st = status(server)
    assert not st["ok"] and st["errors"][0]["path"] == PAGE_FILE and st["errors"][0]["line"] == 3
    # fixing the file removes the overlay and shows the new build
    edit(root / PAGE_FILE, "title: Bienvenue : ici", "title: Bienvenue corrigé")
    expect(page.locator("#page-accueil h1")).to_contain_text("Bienvenue corrigé", timeout=3000)
    expect(page.locator('[data-efop-preview="errors"]')).to_have_count(0)


def test_course_yml_error_and_first_build_failing(course_root, new_page) -> None:
    root = course_root("minimal")
    edit(root / "course.yml", "version: \"1.0.0\"", "version: \"1.0.0\nbroken: [")
    server = PreviewServer(root, 0, interval=0.2).start()
    try:
        page = new_page()
        page.goto(server.url)
        expect(page.locator("h1")).to_have_text("La construction a échoué")
        expect(page.locator("main")).to_contain_text("course.yml:")
        expect(page.locator("main")).to_contain_text("[load.yaml-syntax]")
        edit(root / "course.yml", "version: \"1.0.0\nbroken: [", "version: \"1.0.0\"")
        expect(page.locator("body")).to_contain_text("Premier module", timeout=3000)
    finally:
        server.stop()


def test_warnings_listed_and_inspector_toggle_in_module_pages(preview, new_page) -> None:
    server, _root = preview()
    page = new_page()
    page.goto(server.url + "intro/index.html")
    button = page.locator('[data-efop-preview="warnings"]')
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("#efop-preview-warnings")).to_contain_text(f"{PAGE_FILE}:5: warning:")
    expect(page.locator("#efop-preview-warnings")).to_contain_text("[fr.nbsp]")
    link = page.locator('[data-efop-preview="inspect"]')
    expect(link).to_have_attribute("href", "/__efop__/inspect/intro/")
    link.click()
    expect(page).to_have_url(re.compile(r"/__efop__/inspect/intro/"))
    expect(page.locator(".efi-disclaimer")).to_contain_text("pas une plateforme")


# ---------------------------------------------------------------------------------------------
# loopback only


def _non_loopback_ipv4() -> list[str]:
    addrs: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addrs.add(info[4][0])
    except OSError:
        pass
    try:  # the address of the default route, without sending anything
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            addrs.add(s.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in addrs if not a.startswith("127.") and a != "0.0.0.0")


def _listeners(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of the sockets listening on ``port``."""
    out = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            addr, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                out.append(addr)
    return out


def test_listens_on_loopback_only(preview) -> None:
    server, _root = preview()
    host, port = server.address
    assert host == HOST == "127.0.0.1"
    assert server.httpd.socket.getsockname()[0] == "127.0.0.1"
    if Path("/proc/net/tcp").exists():
        assert _listeners(port) == ["0100007F"], "only 127.0.0.1 may listen on the preview port"
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    for addr in _non_loopback_ipv4():
        with pytest.raises(OSError):
            socket.create_connection((addr, port), timeout=2).close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_command(course_root) -> None:
    """``efop-author preview PROJECT --port N --no-open`` serves until interrupted; a busy
    port given with --port is a usage error (exit 2)."""
    root = course_root("minimal")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "efop_author", "preview", str(root), "--port", str(port), "--no-open"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__efop__/status", timeout=5) as r:
            assert json.loads(r.read())["ok"] is True
        busy = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
        assert busy.returncode == 2 and f"{port}" in busy.stderr and "--port" in busy.stderr
    finally:
        proc.send_signal(2)  # Ctrl+C
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------------------------
# inspector


def test_inspector_records_scorm_calls_and_statements(preview, new_page) -> None:
    """The recorder behaves like a SCORM 1.2 LMS; driven here directly (the module's own
    calls are checked in ``test_inspector_plays_the_module``)."""
    server, _root = preview()
    page = new_page()
    page.goto(server.url + "__efop__/inspect/intro/")
    expect(page.locator(".efi-disclaimer")).to_contain_text("Aide à la prévisualisation, pas une plateforme")
    # a fresh recorder for this test, detached from the module playing in the frame
    page.evaluate("window.__efopInspector.detach()")
    res = page.evaluate(
        """() => {
      const api = window.API, r = {};
      r.before = api.LMSGetValue('cmi.core.lesson_status'); r.beforeErr = api.LMSGetLastError();
      r.init = api.LMSInitialize('');
      r.mastery = api.LMSGetValue('cmi.student_data.mastery_score');
      r.ro = api.LMSSetValue('cmi.core.student_id', 'x'); r.roErr = api.LMSGetLastError();
      r.wo = api.LMSGetValue('cmi.core.exit'); r.woErr = api.LMSGetLastError();
      r.badStatus = api.LMSSetValue('cmi.core.lesson_status', 'done'); r.badStatusErr = api.LMSGetLastError();
      r.gap = api.LMSSetValue('cmi.interactions.3.id', 'q'); r.gapErr = api.LMSGetLastError();
      api.LMSSetValue('cmi.interactions.0.id', 'quiz.q-single');
      api.LMSSetValue('cmi.interactions.0.type', 'choice');
      api.LMSSetValue('cmi.interactions.0.student_response', 'b');
      api.LMSSetValue('cmi.interactions.0.result', 'correct');
      r.count = api.LMSGetValue('cmi.interactions._count');
      r.big = api.LMSSetValue('cmi.suspend_data', 'x'.repeat(4097)); r.bigErr = api.LMSGetLastError();
      r.ok = api.LMSSetValue('cmi.suspend_data', 'y'.repeat(1234));
      api.LMSSetValue('cmi.core.score.raw', '90');
      api.LMSSetValue('cmi.core.lesson_status', 'passed');
      api.LMSSetValue('cmi.core.exit', 'suspend');
      api.LMSSetValue('cmi.core.session_time', '0000:05:00');
      r.commit = api.LMSCommit('');
      r.finish = api.LMSFinish('');
      r.after = api.LMSGetValue('cmi.core.lesson_status'); r.afterErr = api.LMSGetLastError();
      return r;
    }"""
    )
    assert res["before"] == "" and res["beforeErr"] == "301"
    assert res["init"] == "true" and res["mastery"] == "80"
    assert (res["ro"], res["roErr"]) == ("false", "403")
    assert (res["wo"], res["woErr"]) == ("", "404")
    assert (res["badStatus"], res["badStatusErr"]) == ("false", "405")
    assert (res["gap"], res["gapErr"]) == ("false", "201")
    assert res["count"] == "1"
    assert (res["big"], res["bigErr"]) == ("false", "405")
    assert res["ok"] == "true" and res["commit"] == "true" and res["finish"] == "true"
    assert res["afterErr"] == "101"

    panel = page.locator("#efi-panel")
    expect(panel.locator('[data-efi-out="status"]')).to_have_text("passed")
    expect(panel.locator('[data-efi-out="score"]')).to_contain_text("90")
    expect(panel.locator('[data-efi-out="suspend"]')).to_have_text("1234 / 4096")
    expect(panel.locator('[data-efi-out="calls"] tr[data-call="LMSSetValue"].efi-bad')).to_have_count(4)
    expect(panel.locator('[data-efi-out="calls"]')).to_contain_text("405 Incorrect Data Type")
    expect(panel.locator('[data-efi-out="cmi"]')).to_contain_text("cmi.interactions.0.student_response")
    statements = page.evaluate("window.__efopStatements")
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs[-4:] == ["initialized", "answered", "passed", "suspended"], verbs
    answered = statements[-3]
    assert answered["object"]["id"] == "https://example.org/xapi/demo/intro/quiz/q-single"
    assert answered["result"] == {"success": True, "response": "b"}
    assert statements[-2]["result"]["score"]["scaled"] == 0.9
    assert statements[-1]["result"]["duration"] == "PT0H5M0S"
    expect(panel.locator('[data-efi-out="statements"] li')).to_have_count(len(statements))

    # relaunch with resume: the LMS hands back the recorded data, entry = resume
    page.evaluate("window.__efopInspector.detach(true)")
    res2 = page.evaluate(
        """() => { const api = window.API; api.LMSInitialize('');
          return [api.LMSGetValue('cmi.core.entry'), api.LMSGetValue('cmi.suspend_data').length,
                  api.LMSGetValue('cmi.core.total_time')]; }"""
    )
    assert res2 == ["resume", 1234, "0000:05:00"]

    # the panel toggles
    toggle = page.locator('[data-efi="toggle-panel"]')
    toggle.click()
    expect(panel).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(panel).to_be_visible()


def _adapter_ready(name: str) -> bool:
    path = REPO / "themes" / "default" / "static" / "js" / "lms" / name
    return path.exists() and "efopLms" in path.read_text(encoding="utf-8")


def test_inspector_plays_the_module(preview, new_page) -> None:
    """The module, rendered for SCORM 1.2, runs in the frame against the recorder."""
    assert _adapter_ready("scorm12.js")
    server, _root = preview()
    page = new_page()
    page.goto(server.url + "__efop__/inspect/intro/")
    frame = page.frame(name="sco")
    assert frame is not None
    page.wait_for_function("window.__efopCalls.some(c => c.name === 'LMSInitialize' && c.ret === 'true')", timeout=10000)
    frame.locator('[data-efop-action="next"]').first.click()
    page.wait_for_function(
        "window.__efopCalls.some(c => c.name === 'LMSSetValue' && c.args[0] === 'cmi.core.lesson_location')",
        timeout=10000,
    )
    expect(page.locator('[data-efi-out="location"]')).not_to_have_text("—")


def test_inspector_xapi_mode(preview, new_page) -> None:
    """With the theme's xAPI adapter, statements go to a fake LRS intercepted in the page."""
    assert _adapter_ready("xapi.js")
    server, _root = preview()
    page = new_page()
    page.goto(server.url + "__efop__/inspect/intro/")
    page.locator('[data-efi="mode-xapi"]').click()
    page.wait_for_function("window.__efopStatements.length > 0", timeout=10000)
    expect(page.locator('[data-efi-out="xapi-source"]')).to_contain_text("LRS fictif")


def test_preview_interfaces_pass_axe(preview, new_page, axe_check) -> None:
    """Designers use the inspector (both modes) and the build-error overlay too: WCAG 2.1 AA
    by axe-core, the module itself excluded (checked by the theme and content tests)."""
    from browser.conftest import format_violations

    server, root = preview()
    page = new_page()
    page.goto(server.url + "__efop__/inspect/intro/")
    page.wait_for_function("window.__efopCalls.some(c => c.name === 'LMSInitialize')", timeout=10000)
    outside_module = {"exclude": [["iframe"]]}
    violations = axe_check(page, context=outside_module)
    assert violations == [], format_violations(violations)
    page.locator('[data-efi="mode-xapi"]').click()
    page.wait_for_function("window.__efopStatements.length > 0", timeout=10000)
    expect(page.locator(".efi-statements pre").first).to_have_attribute("tabindex", "0")
    violations = axe_check(page, context=outside_module)
    assert violations == [], format_violations(violations)

    page.goto(server.url + "intro/index.html")
    edit(root / PAGE_FILE, "title: Bienvenue", "title: Bienvenue : ici")
    overlay = page.locator('[data-efop-preview="errors"]')
    expect(overlay).to_be_visible(timeout=3000)
    violations = axe_check(page, context={"include": [['[data-efop-preview="errors"]']]})
    assert violations == [], format_violations(violations)


def test_preview_additions_never_in_packages(preview, tmp_path: Path) -> None:
    server, root = preview()
    snap = server.builder.snapshot
    assert not any(b"__efop__" in data or b"efop-preview" in data for data in snap.files.values())
    result = build_course(root, targets=["web", "scorm12"], out=tmp_path / "out", validate=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    import zipfile

    for path in (tmp_path / "out").rglob("*"):
        if path.is_file() and path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    data = zf.read(name)
                    assert b"__efop__" not in data and b"efop-preview" not in data, name
        elif path.is_file():
            data = path.read_bytes()
            assert b"__efop__" not in data and b"efop-preview" not in data, path


# ---------------------------------------------------------------------------------------------
# the web target from file://


def test_web_target_from_file_keeps_progress_across_reloads(course_root, new_page, tmp_path: Path) -> None:
    root = course_root("minimal")
    result = build_course(root, targets=["web"], out=tmp_path / "out", validate=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    web = tmp_path / "out" / "web"
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((web / "index.html").as_uri())
    page.locator('a[href$="intro/index.html"]').first.click()
    expect(page.locator("#page-accueil")).to_be_visible()
    page.locator('[data-efop-action="next"]').first.click()
    expect(page.locator("#page-contenu")).to_be_visible()
    page.wait_for_timeout(200)
    page.reload()
    # progress kept: the run-time offers to resume where the learner left
    resume = page.locator('[data-notice="resume-text"]')
    expect(resume).to_be_visible()
    resume.locator("button").first.click()
    expect(page.locator("#page-contenu")).to_be_visible()
    expect(page.locator("#page-accueil")).to_be_hidden()
    assert errors == []
