"""``efop-author preview``: the web target, built in memory, served on 127.0.0.1 only.

- Builds the course (load → lint → render → web package) in memory; rebuilds when a project
  file changes (mtime/size polling, no extra dependency).
- Serves the last good build; a build that fails keeps the previous pages on screen and
  lists its errors (``file:line: message [code]``) in an overlay, and in the terminal.
- Live reload: preview pages carry a small script that polls ``/__efop__/status`` and reloads
  when a new build is ready.
- Inspector (``/__efop__/inspect/<module>/``, preview only, never in packages): the module
  rendered for SCORM 1.2 runs in a frame against an in-page LMS recorder (``window.API``), next
  to the xAPI statements it would send (the theme's ``xapi.js`` adapter against a fake endpoint
  intercepted in the page when the theme has one, else statements derived from the SCORM calls).

Everything the preview adds lives under ``/__efop__/``; the site itself is served at ``/``.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import posixpath
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from efop_author.diagnostics import Diagnostic, Diagnostics, Severity
from efop_author.messages import locale, t

if TYPE_CHECKING:
    from efop_author.model import Course

HOST = "127.0.0.1"
"""The preview only ever listens on the loopback interface."""
PREFIX = "/__efop__/"
POLL_INTERVAL = 0.25
"""Seconds between two scans of the project files."""
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", "build", "dist", ".venv", "venv"})
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".part")
STATIC_FILES = ("preview.js", "preview.css", "inspector.js", "inspector.css")

Echo = Callable[[str], None]


# ---------------------------------------------------------------------------------------------
# building


@dataclass(frozen=True)
class Snapshot:
    """The result of one build attempt."""

    build: int
    """Id of the site being served (changes only when a build succeeds)."""
    attempt: int
    """Id of the last build attempt (changes on every rebuild)."""
    files: dict[str, bytes]
    """The web site being served: posix path → bytes (last good build)."""
    diagnostics: tuple[Diagnostic, ...]
    """Diagnostics of the last attempt."""
    ok: bool
    """Whether the last attempt succeeded."""
    course: Course | None = None
    """The course of the last good build (for the inspector renderings)."""
    duration: float = 0.0
    extra: dict[str, dict[str, bytes]] = field(default_factory=dict)
    """Lazily rendered other targets (``scorm12``, ``xapi``) of the same build."""

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def build_web(project: Path) -> tuple[dict[str, bytes] | None, Diagnostics, Course | None]:
    """Build the web target of ``project`` in memory: ``(files or None, diagnostics, course)``."""
    from efop_author.lint import lint_course
    from efop_author.load import load_course
    from efop_author.render.site import render_site
    from efop_author.targets import get_target

    course, diags = load_course(project)
    diags.extend(lint_course(course))
    if course is None or diags.errors:
        return None, diags, course
    target = get_target("web")
    site, render_diags = render_site(course, "web", target.lms_adapter)
    diags.extend(render_diags)
    if diags.errors:
        return None, diags, course
    files: dict[str, bytes] = {}
    for pkg in target.package(course, site):
        for f in pkg.files:
            files[f.arcname] = f.data
    return files, diags, course


def render_target_files(course: Course, target_name: str) -> dict[str, bytes]:
    """Module documents and shared files of ``course`` rendered for another target (the
    inspector's SCORM 1.2 / xAPI runs): ``efop/...`` and ``<module>/...``."""
    from efop_author.render.site import render_site
    from efop_author.targets import get_target

    target = get_target(target_name)
    site, _diags = render_site(course, target_name, target.lms_adapter)
    files = {f"efop/{k}": v for k, v in site.shared.items()}
    for rm in site.modules:
        for k, v in rm.files.items():
            files[f"{rm.module.id}/{k}"] = v
    return files


def theme_has_adapter(course: Course, adapter: str) -> bool:
    """Whether the course's theme provides ``static/js/lms/<adapter>`` (with real code)."""
    try:
        from efop_author.render.theme import resolve_theme

        theme, _diags = resolve_theme(course.theme, course.root, course.options)
        path = theme.static_file("js/lms/" + adapter)
    except Exception:  # noqa: BLE001 - a missing or broken theme only disables the option
        return False
    if path is None:
        return False
    try:
        code = Path(path).read_text(encoding="utf-8")
    except OSError:
        return False
    return "efopLms" in code


class Builder:
    """Rebuilds the project and keeps the current :class:`Snapshot` (thread-safe)."""

    def __init__(self, project: Path, echo: Echo | None = None) -> None:
        self.project = project.resolve()
        self.echo = echo or (lambda _s: None)
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self.snapshot = Snapshot(build=0, attempt=0, files={}, diagnostics=(), ok=False)

    def rebuild(self) -> Snapshot:
        with self._build_lock:
            started = time.monotonic()
            try:
                files, diags, course = build_web(self.project)
            except Exception as exc:  # noqa: BLE001 - the preview must survive any build crash
                diags = Diagnostics()
                diags.error("preview.crash", t("preview.crash", error=f"{type(exc).__name__}: {exc}"))
                files, course = None, None
            duration = time.monotonic() - started
            old = self.snapshot
            ok = files is not None
            snap = Snapshot(
                build=old.build + 1 if ok else old.build,
                attempt=old.attempt + 1,
                files=files if ok else old.files,
                diagnostics=tuple(diags.sorted()),
                ok=ok,
                course=course if ok else old.course,
                duration=duration,
            )
            with self._lock:
                self.snapshot = snap
            self._report(snap)
            return snap

    def _report(self, snap: Snapshot) -> None:
        for d in snap.diagnostics:
            self.echo(d.format())
        secs = f"{snap.duration:.1f}".replace(".", "," if locale() == "fr" else ".")
        if snap.ok:
            self.echo(t("preview.built", n=snap.build, seconds=secs, warnings=len(snap.warnings())))
        else:
            self.echo(t("preview.build-failed", errors=len(snap.errors()), warnings=len(snap.warnings())))

    def target_files(self, snap: Snapshot, target_name: str) -> dict[str, bytes]:
        """The current build rendered for ``target_name`` (cached per build)."""
        with self._lock:
            cached = snap.extra.get(target_name)
        if cached is not None:
            return cached
        files = render_target_files(snap.course, target_name) if snap.course is not None else {}
        with self._lock:
            snap.extra[target_name] = files
        return files


# ---------------------------------------------------------------------------------------------
# watching


def scan(project: Path) -> dict[str, tuple[int, int]]:
    """Signature of every project file: relative path → (mtime_ns, size)."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(project):
        dirnames[:] = [d for d in dirnames if d not in IGNORED_DIRS and not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or name.endswith(IGNORED_SUFFIXES):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            out[os.path.relpath(path, project)] = (st.st_mtime_ns, st.st_size)
    return out


class Watcher(threading.Thread):
    """Polls the project's files and rebuilds when one is added, removed or changed."""

    def __init__(self, builder: Builder, interval: float = POLL_INTERVAL) -> None:
        super().__init__(name="efop-preview-watcher", daemon=True)
        self.builder = builder
        self.interval = interval
        self._stop = threading.Event()
        self._last = scan(builder.project)

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            current = scan(self.builder.project)
            if current != self._last:
                changed = sorted(k for k in set(current) | set(self._last) if current.get(k) != self._last.get(k))
                # let an editor finish writing (save = truncate + write, or several files)
                self._stop.wait(0.05)
                current = scan(self.builder.project)
                self._last = current
                self.builder.echo(t("preview.changed", files=", ".join(changed[:3]) + (" …" if len(changed) > 3 else "")))
                self.builder.rebuild()

    def stop(self) -> None:
        self._stop.set()


# ---------------------------------------------------------------------------------------------
# HTTP


def _static(name: str) -> bytes:
    return resources.files("efop_author.preview").joinpath("static", name).read_bytes()


def _diag_json(d: Diagnostic) -> dict[str, Any]:
    out = d.as_dict()
    out["text"] = d.format()
    return out


def _ui_strings() -> dict[str, str]:
    from efop_author.messages.preview import UI_KEYS

    return {k: t("preview.ui." + k) for k in UI_KEYS}


class Handler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    # -- plumbing ---------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str, *, head: bool = False, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _json(self, obj: Any, status: int = 200, *, head: bool = False) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8", head=head)

    def _not_found(self, head: bool = False) -> None:
        body = f"<!DOCTYPE html><html lang=\"{locale()}\"><meta charset=\"utf-8\"><title>404</title><p>{html.escape(t('preview.not-found', path=self.path))}</p>"
        self._send(404, body.encode("utf-8"), "text/html; charset=utf-8", head=head)

    def do_HEAD(self) -> None:  # noqa: N802
        self._get(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._get(head=False)

    def do_POST(self) -> None:  # noqa: N802
        self._other()

    def do_PUT(self) -> None:  # noqa: N802
        self._other()

    def _other(self) -> None:
        # The fake LRS of the inspector is intercepted in the page; should a request slip
        # through, answer like an LRS that accepted it, so the adapter does not break.
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith(PREFIX + "lrs/"):
            self._json([], 200)
            return
        self._send(405, b"", "text/plain", extra={"Allow": "GET, HEAD"})

    # -- routing ----------------------------------------------------------------------------
    def _get(self, head: bool) -> None:
        parts = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parts.path)
        if path == "/favicon.ico":
            self._send(204, b"", "image/x-icon", head=head)
            return
        snap = self.server.builder.snapshot
        if path.startswith(PREFIX):
            self._preview_route(path[len(PREFIX):], snap, head)
            return
        self._site(path, snap, head)

    def _resolve(self, files: dict[str, bytes], rel: str) -> tuple[str, bytes] | None:
        rel = posixpath.normpath(rel.lstrip("/")) if rel.strip("/") else ""
        if rel.startswith("..") or rel == ".":
            rel = ""
        for candidate in (rel, posixpath.join(rel, "index.html") if rel else "index.html"):
            data = files.get(candidate)
            if data is not None:
                return candidate, data
        return None

    def _site(self, path: str, snap: Snapshot, head: bool) -> None:
        if not snap.files:
            # no good build yet: a page that shows the errors and reloads once fixed
            self._send(200, self.server.error_page(snap), "text/html; charset=utf-8", head=head)
            return
        found = self._resolve(snap.files, path)
        if found is None:
            self._not_found(head)
            return
        name, data = found
        if not path.endswith("/") and name.endswith("index.html") and not path.endswith("index.html"):
            self._send(301, b"", "text/plain", head=True, extra={"Location": path.rstrip("/") + "/"})
            return
        if name.endswith(".html"):
            data = self.server.inject(data, snap, module=self._module_of(name, snap))
        self._send(200, data, _ctype(name), head=head)

    def _module_of(self, name: str, snap: Snapshot) -> str | None:
        first = name.split("/", 1)[0]
        if snap.course is not None and "/" in name:
            for m in snap.course.modules:
                if m.id == first:
                    return m.id
        return None

    def _preview_route(self, rest: str, snap: Snapshot, head: bool) -> None:
        if rest == "status":
            self._json(self.server.status(snap), head=head)
            return
        if rest in STATIC_FILES:
            self._send(200, _static(rest), _ctype(rest), head=head)
            return
        segs = rest.split("/", 1)
        if segs[0] == "inspect" and len(segs) == 2:
            module = segs[1].strip("/")
            page = self.server.inspector_page(snap, module)
            if page is None:
                self._not_found(head)
            else:
                self._send(200, page, "text/html; charset=utf-8", head=head)
            return
        if segs[0] in ("sco", "xapi") and len(segs) == 2:
            target = "scorm12" if segs[0] == "sco" else "xapi"
            if snap.course is None:
                self._not_found(head)
                return
            files = self.server.builder.target_files(snap, target)
            found = self._resolve(files, segs[1])
            if found is None:
                self._not_found(head)
                return
            name, data = found
            if name.endswith(".html"):
                data = self.server.inject_frame(data, target)
            self._send(200, data, _ctype(name), head=head)
            return
        if segs[0] == "lrs":
            self._json([], head=head)
            return
        self._not_found(head)


def _ctype(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript; charset=utf-8"
    if name.endswith(".css"):
        return "text/css; charset=utf-8"
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    if name.endswith(".svg"):
        return "image/svg+xml"
    if name.endswith(".json"):
        return "application/json; charset=utf-8"
    guess, _ = mimetypes.guess_type(name)
    return guess or "application/octet-stream"


def _insert_before(doc: bytes, marker: bytes, snippet: bytes) -> bytes:
    idx = doc.lower().rfind(marker)
    if idx < 0:
        return doc + snippet
    return doc[:idx] + snippet + doc[idx:]


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # never share a port with another process

    def __init__(self, port: int, builder: Builder) -> None:
        self.builder = builder
        super().__init__((HOST, port), Handler)

    # -- injected into the site's pages -----------------------------------------------------
    def _config(self, snap: Snapshot, **extra: Any) -> bytes:
        cfg = {"build": snap.build, "attempt": snap.attempt, "status": PREFIX + "status",
               "strings": _ui_strings(), **extra}
        data = json.dumps(cfg, ensure_ascii=False).replace("</", "<\\/")
        return f'<script type="application/json" id="efop-preview-config">{data}</script>\n'.encode()

    def inject(self, doc: bytes, snap: Snapshot, module: str | None) -> bytes:
        """Add the live-reload/overlay script and, in module pages, the inspector toggle."""
        head = (
            f'<link rel="stylesheet" href="{PREFIX}preview.css">\n'
            f'<script src="{PREFIX}preview.js" defer></script>\n'
        ).encode()
        extra: dict[str, Any] = {}
        if module is not None:
            extra["inspect"] = f"{PREFIX}inspect/{module}/"
        doc = _insert_before(doc, b"</head>", head)
        return _insert_before(doc, b"</body>", self._config(snap, **extra))

    def inject_frame(self, doc: bytes, target: str) -> bytes:
        """A module document played inside the inspector: for xAPI, the fake-LRS interceptor
        must run before the adapter, so it goes first in <head>."""
        if target != "xapi":
            return doc
        snippet = f'<script src="{PREFIX}inspector.js" data-efop-role="lrs"></script>\n'.encode()
        lower = doc.lower()
        idx = lower.find(b"<head>")
        if idx < 0:
            return snippet + doc
        idx += len(b"<head>")
        return doc[:idx] + b"\n" + snippet + doc[idx:]

    def status(self, snap: Snapshot) -> dict[str, Any]:
        return {
            "build": snap.build,
            "attempt": snap.attempt,
            "ok": snap.ok,
            "errors": [_diag_json(d) for d in snap.errors()],
            "warnings": [_diag_json(d) for d in snap.warnings()],
        }

    def error_page(self, snap: Snapshot) -> bytes:
        lang = locale()
        items = "".join(f"<li><code>{html.escape(d.format())}</code></li>" for d in snap.errors())
        body = (
            f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(t('preview.ui.failed-title'))}</title>"
            f'<link rel="stylesheet" href="{PREFIX}preview.css">'
            f'<script src="{PREFIX}preview.js" defer></script></head>'
            f'<body class="efop-preview-empty"><main><h1>{html.escape(t("preview.ui.failed-title"))}</h1>'
            f"<p>{html.escape(t('preview.ui.no-build'))}</p><ul>{items}</ul></main>"
        ).encode()
        return body + self._config(snap) + b"</body></html>\n"

    def inspector_page(self, snap: Snapshot, module_id: str) -> bytes | None:
        course = snap.course
        if course is None:
            return None
        module = next((m for m in course.modules if m.id == module_id), None)
        if module is None:
            return None
        has_xapi = theme_has_adapter(course, "xapi.js")
        cfg = {
            "build": snap.build,
            "status": PREFIX + "status",
            "strings": _ui_strings(),
            "module": {"id": module.id, "title": module.title, "mastery_score": module.mastery_score,
                       "iri": f"{course.iri}/{module.id}"},
            "course": {"id": course.id, "title": course.title, "iri": course.iri},
            "sco": f"{PREFIX}sco/{module.id}/index.html",
            "xapi": f"{PREFIX}xapi/{module.id}/index.html" if has_xapi else None,
            "lrs": f"http://{HOST}:{self.server_address[1]}{PREFIX}lrs/",
            "back": f"/{module.id}/index.html",
            "suspend_limit": 4096,
        }
        data = json.dumps(cfg, ensure_ascii=False).replace("</", "<\\/")
        title = t("preview.ui.inspector-title", module=module.title)
        s = _ui_strings()
        page = f"""<!DOCTYPE html>
<html lang="{locale()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{PREFIX}inspector.css">
<script src="{PREFIX}inspector.js" defer></script>
</head>
<body class="efop-inspector">
<header class="efi-bar">
  <h1 class="efi-title">{html.escape(title)}</h1>
  <p class="efi-disclaimer" id="efi-disclaimer"><strong>{html.escape(s['disclaimer-title'])}</strong> {html.escape(s['disclaimer'])}</p>
  <nav class="efi-actions" aria-label="{html.escape(s['actions'])}">
    <button type="button" class="efi-btn" data-efi="mode-scorm" aria-pressed="true">SCORM 1.2</button>
    <button type="button" class="efi-btn" data-efi="mode-xapi" aria-pressed="false">xAPI</button>
    <button type="button" class="efi-btn" data-efi="resume">{html.escape(s['resume'])}</button>
    <button type="button" class="efi-btn" data-efi="restart">{html.escape(s['restart'])}</button>
    <button type="button" class="efi-btn" data-efi="toggle-panel" aria-expanded="true" aria-controls="efi-panel">{html.escape(s['hide-panel'])}</button>
    <a class="efi-btn" href="{html.escape(cfg['back'])}" data-efi="close">{html.escape(s['close-inspector'])}</a>
  </nav>
</header>
<div class="efi-layout">
  <div class="efi-stage"><iframe id="efi-frame" name="sco" title="{html.escape(s['frame-title'])}"></iframe></div>
  <aside class="efi-panel" id="efi-panel" aria-label="{html.escape(s['panel'])}" tabindex="0">
    <section class="efi-summary" aria-labelledby="efi-summary-h">
      <h2 id="efi-summary-h">{html.escape(s['summary'])}</h2>
      <dl class="efi-facts">
        <dt>{html.escape(s['status'])}</dt><dd data-efi-out="status">—</dd>
        <dt>{html.escape(s['score'])}</dt><dd data-efi-out="score">—</dd>
        <dt>{html.escape(s['location'])}</dt><dd data-efi-out="location">—</dd>
        <dt>{html.escape(s['suspend'])}</dt><dd><span data-efi-out="suspend">0 / 4096</span>
          <meter min="0" max="4096" low="3072" high="3900" optimum="0" value="0" data-efi-out="suspend-meter" aria-label="{html.escape(s['suspend'])}"></meter></dd>
        <dt>{html.escape(s['session'])}</dt><dd data-efi-out="session">—</dd>
      </dl>
      <p class="efi-alert" data-efi-out="alert" role="status" aria-live="polite"></p>
    </section>
    <section aria-labelledby="efi-calls-h">
      <h2 id="efi-calls-h">{html.escape(s['calls'])} (<span data-efi-out="count">0</span>)</h2>
      <div class="efi-scroll" tabindex="0" role="region" aria-labelledby="efi-calls-h"><table class="efi-log"><thead><tr><th scope="col">#</th><th scope="col">{html.escape(s['call'])}</th><th scope="col">{html.escape(s['value'])}</th><th scope="col">{html.escape(s['result'])}</th></tr></thead><tbody data-efi-out="calls"></tbody></table></div>
    </section>
    <section aria-labelledby="efi-data-h">
      <h2 id="efi-data-h">{html.escape(s['data'])}</h2>
      <div class="efi-scroll" tabindex="0" role="region" aria-labelledby="efi-data-h"><table class="efi-log"><thead><tr><th scope="col">{html.escape(s['element'])}</th><th scope="col">{html.escape(s['value'])}</th></tr></thead><tbody data-efi-out="cmi"></tbody></table></div>
    </section>
    <section aria-labelledby="efi-xapi-h">
      <h2 id="efi-xapi-h">{html.escape(s['statements'])} (<span data-efi-out="xcount">0</span>)</h2>
      <p class="efi-note" data-efi-out="xapi-source"></p>
      <ol class="efi-statements" data-efi-out="statements"></ol>
    </section>
  </aside>
</div>
<script type="application/json" id="efop-inspector-config">{data}</script>
</body>
</html>
"""
        return page.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# the server object


class PreviewServer:
    """A running preview: ``start()`` (background threads), ``url``, ``stop()``."""

    def __init__(self, project: Path, port: int = 0, *, echo: Echo | None = None,
                 interval: float = POLL_INTERVAL) -> None:
        self.builder = Builder(project, echo)
        self.httpd = PreviewHTTPServer(port, self.builder)  # bind first: a busy port fails fast
        self.watcher = Watcher(self.builder, interval)  # snapshot of the files before building
        self._thread: threading.Thread | None = None
        self.builder.rebuild()

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}/"

    def start(self) -> PreviewServer:
        self.watcher.start()
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="efop-preview-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Run in the calling thread until interrupted (the CLI)."""
        self.watcher.start()
        try:
            self.httpd.serve_forever()
        finally:
            self.watcher.stop()
            self.httpd.server_close()

    def stop(self) -> None:
        self.watcher.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def iter_ports(first: int, tries: int) -> Iterator[int]:
    for i in range(tries):
        yield first + i
