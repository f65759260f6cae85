"""Fixtures shared by every test of efop-author.

General:
    repo_root        -> Path of the repository (session)
    shared_dir       -> Path of ../shared beside the repository (session; fails if absent)
    course_root(name) -> Path: a fresh copy of ``tests/roots/<name>`` in a temp dir
    golden(name, actual) compares text/bytes with ``tests/golden/<name>``
                     (``pytest --update-golden`` rewrites the files)

HTTP and xAPI (used by browser and LRS tests; nothing starts until a test asks):
    http_server      -> HarnessServer (session): threaded stdlib server on 127.0.0.1
    serve(folder)    -> base URL (ends with "/") of a folder served by http_server
    ralph_lrs        -> RalphLRS (module): the real ralph LRS (fs backend, Basic auth)
    xapi_validate(statements) -> list of errors from @learninglocker/xapi-validation

``tests/browser/conftest.py`` adds the browser fixtures (browser, scorm12_lms, axe_check).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS_DIR = REPO_ROOT / "tests"
JS_DIR = TESTS_DIR / "js"
NODE_MODULES = JS_DIR / "node_modules"
HARNESS_DIR = TESTS_DIR / "browser" / "harness"
RALPH_VENV = REPO_ROOT / ".venv-ralph"
RALPH_LAUNCHER = TESTS_DIR / "lrs" / "ralph_launcher.py"


# ---------------------------------------------------------------------------
# options


def pytest_configure(config: pytest.Config) -> None:
    """Compiled templates go to a folder of this test session, not the user's cache."""
    if "EFOP_AUTHOR_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["EFOP_AUTHOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="efop-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* files from the current output instead of comparing",
    )


BROWSER_FIXTURES = {"browser", "new_page", "scorm12_lms", "axe_check"}
LRS_FIXTURES = {"ralph_lrs"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:  # noqa: ARG001
    """Mark tests by the fixtures they use: ``-m "not browser"`` / ``-m "not lrs"``."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & LRS_FIXTURES:
            item.add_marker(pytest.mark.lrs)


# ---------------------------------------------------------------------------
# general fixtures


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the folder holding pyproject.toml)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (standards, schemas, content brief).

    CI lays it beside the clone; its absence is an error, never a skip.
    """
    path = (REPO_ROOT.parent / "shared").resolve()
    if not path.is_dir():
        pytest.fail(f"../shared is missing (expected at {path}); CI lays it beside the clone")
    return path


@pytest.fixture
def course_root(tmp_path: Path):
    """Factory: ``course_root("minimal")`` copies ``tests/roots/minimal`` into a temp dir
    and returns the copy's path (tests may modify it freely)."""

    def make(name: str) -> Path:
        src = TESTS_DIR / "roots" / name
        if not src.is_dir():
            pytest.fail(f"no test course tests/roots/{name}")
        dst = tmp_path / "roots" / name
        shutil.copytree(src, dst)
        return dst

    return make


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """``golden("scorm12/imsmanifest.xml", actual)``: compare ``actual`` (str or bytes) with
    ``tests/golden/<name>``. With ``--update-golden`` the file is (re)written instead and
    the test passes. A missing golden file is a failure that says how to create it."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str | bytes) -> None:
        path = TESTS_DIR / "golden" / name
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        if not path.exists():
            pytest.fail(f"golden file tests/golden/{name} missing: run pytest --update-golden")
        expected = path.read_bytes()
        if isinstance(actual, str):
            assert actual == expected.decode("utf-8"), f"differs from tests/golden/{name}"
        else:
            assert data == expected, f"differs from tests/golden/{name}"

    return check


# ---------------------------------------------------------------------------
# HTTP server


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of the call."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LmsBackend:
    """Server side of one simulated LMS session: the commits scorm-again POSTed
    (what Moodle would persist) and the transport failures still to simulate."""

    commits: list = field(default_factory=list)
    fail_next_commits: int = 0
    failed_commits: int = 0


class _Handler(SimpleHTTPRequestHandler):
    server: "_Server"

    # quiet: the test output is enough
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        # Map the URL prefix to a root folder; anything else → a path that does not exist.
        parsed = urllib.parse.urlsplit(path)
        parts = [p for p in urllib.parse.unquote(parsed.path).split("/") if p]
        root: Path | None = None
        rest: list[str] = []
        if parts[:1] == ["harness"]:
            root, rest = HARNESS_DIR, parts[1:]
        elif parts[:1] == ["node_modules"]:
            root, rest = NODE_MODULES, parts[1:]
        elif parts[:1] == ["pkg"] and len(parts) >= 2:
            root = self.server.folders.get(parts[1])
            rest = parts[2:]
        if root is None or any(p in ("..", ".") or "\\" in p for p in rest):
            return str(REPO_ROOT / "__not_found__")
        target = root.joinpath(*rest)
        if path.endswith("/") and target.is_dir():
            # keep the trailing slash so SimpleHTTPRequestHandler serves index.html
            return str(target) + os.sep
        return str(target)

    def send_head(self):
        if urllib.parse.urlsplit(self.path).path == "/favicon.ico":
            # browsers ask for it on their own: answer "no content", not 404
            self.send_response(HTTPStatus.NO_CONTENT)
            self.end_headers()
            return None
        return super().send_head()

    def list_directory(self, path):  # no directory listings
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def do_POST(self) -> None:
        parts = [p for p in urllib.parse.urlsplit(self.path).path.split("/") if p]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(parts) == 3 and parts[:2] == ["__lms", "commit"]:
            backend = self.server.lms_sessions.get(parts[2])
            if backend is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            try:
                payload = json.loads(body.decode("utf-8")) if body else None
            except ValueError:
                payload = {"__raw__": body.decode("utf-8", "replace")}
            # A termination commit travels by navigator.sendBeacon (text/plain): never fail it.
            is_beacon = "text/plain" in (self.headers.get("Content-Type") or "")
            if backend.fail_next_commits > 0 and not is_beacon:
                backend.fail_next_commits -= 1
                backend.failed_commits += 1
                self._send_json(500, {"result": "false"})
                return
            backend.commits.append(payload)
            self._send_json(200, {"result": "true", "errorCode": 0})
            return
        self.send_error(HTTPStatus.NOT_FOUND)

    def _send_json(self, status: int, obj) -> None:
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folders: dict[str, Path] = {}
        self.lms_sessions: dict[str, LmsBackend] = {}


class HarnessServer:
    """A threaded stdlib HTTP server on 127.0.0.1 (random port) serving, one origin:

    - ``/pkg/<n>/…``      a folder registered with :meth:`serve` (an unzipped package)
    - ``/harness/…``      ``tests/browser/harness/`` (the LMS parent pages)
    - ``/node_modules/…`` ``tests/js/node_modules/`` (scorm-again dist, axe-core)
    - ``POST /__lms/commit/<sid>`` the commit endpoint of a simulated LMS session
    Responses carry ``Cache-Control: no-store``.
    """

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._count = 0
        self._lock = threading.Lock()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.origin + "/" + path.lstrip("/")

    def serve(self, folder: str | os.PathLike) -> str:
        """Serve ``folder`` and return its base URL (ending with ``/``)."""
        folder = Path(folder).resolve()
        if not folder.is_dir():
            raise FileNotFoundError(folder)
        with self._lock:
            self._count += 1
            key = str(self._count)
        self._server.folders[key] = folder
        return self.url(f"pkg/{key}/")

    def new_lms_session(self, *, fail_commits: int = 0) -> tuple[str, LmsBackend]:
        with self._lock:
            self._count += 1
            sid = f"s{self._count}"
        backend = LmsBackend(fail_next_commits=fail_commits)
        self._server.lms_sessions[sid] = backend
        return sid, backend

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="session")
def http_server():
    """Session-wide :class:`HarnessServer` (127.0.0.1, random port)."""
    server = HarnessServer()
    yield server
    server.close()


@pytest.fixture
def serve(http_server: HarnessServer):
    """``serve(folder) -> base_url``: serve an unzipped package folder over HTTP."""
    return http_server.serve


# ---------------------------------------------------------------------------
# ralph LRS


def _ralph_python() -> Path:
    return RALPH_VENV / "bin" / "python"


class RalphLRS:
    """The real ralph LRS (ralph-malph, ``.venv-ralph``) served by uvicorn on 127.0.0.1.

    Filesystem backend in ``data_dir``, Basic auth from an auth file written here, CORS
    open to the given origins (the browser tests' HTTP server). Started through
    ``tests/lrs/ralph_launcher.py``, which fixes ralph 5.1.0's fs backend (APPEND).

    ``endpoint`` ends with ``/xAPI/`` (statements at ``endpoint + "statements"``);
    ``stop()`` / ``start()`` simulate the LRS going down and coming back (same port, same
    data); ``statements()`` reads every stored statement.
    """

    username = "efop-test"
    password = "efop-test-password"

    def __init__(self, workdir: Path, cors_origins: list[str] | None = None) -> None:
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.cors_origins = list(cors_origins or [])
        self.log_path = workdir / "ralph.log"
        self.auth_file = workdir / "auth.json"
        self._proc: subprocess.Popen | None = None
        self._write_auth_file()

    # -- configuration --------------------------------------------------------
    def _write_auth_file(self) -> None:
        python = _ralph_python()
        if not python.exists():
            pytest.fail(f"{RALPH_VENV} is missing: run ./scripts/test.sh (it installs ralph)")
        # bcrypt comes with ralph, in its own venv: hash the password there.
        hashed = subprocess.run(
            [str(python), "-c", "import bcrypt,sys; sys.stdout.write(bcrypt.hashpw("
             "sys.argv[1].encode(), bcrypt.gensalt(rounds=4)).decode())", self.password],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout
        entry = {
            "agent": {"mbox": "mailto:efop-test@example.org"},
            "scopes": ["all"],
            "hash": hashed,
            "username": self.username,
        }
        self.auth_file.write_text(json.dumps([entry]), encoding="utf-8")

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        """xAPI endpoint (ends with ``/``), e.g. ``http://127.0.0.1:PORT/xAPI/``."""
        return f"{self.origin}/xAPI/"

    @property
    def auth_header(self) -> str:
        """Value of the ``Authorization`` header: ``Basic …``."""
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
        env.update(
            {
                "RALPH_APP_DIR": str(self.workdir / "app"),
                "RALPH_AUTH_FILE": str(self.auth_file),
                "RALPH_HISTORY_FILE": str(self.workdir / "history.json"),
                "RALPH_RUNSERVER_BACKEND": "fs",
                "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
                "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.data_dir),
                "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps(self.cors_origins),
                "RALPH_EXECUTION_ENVIRONMENT": "test",
            }
        )
        return env

    # -- life cycle -------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60.0) -> None:
        """Start (or restart) the LRS and wait until it answers its heartbeat."""
        if self.running:
            return
        python = _ralph_python()
        if not python.exists():
            pytest.fail(f"{RALPH_VENV} is missing: run ./scripts/test.sh (it installs ralph)")
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self._proc = subprocess.Popen(
            [str(python), str(RALPH_LAUNCHER), "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env(),
            cwd=str(self.workdir),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                pytest.fail(f"ralph exited with {self._proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.origin + "/__heartbeat__", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"ralph did not answer within {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the LRS (its data stay); requests then fail with connection refused."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- client -----------------------------------------------------------------
    def request(self, method: str, path: str, body=None, headers: dict | None = None):
        """HTTP request to the LRS with auth and the xAPI version header.
        Returns ``(status, parsed JSON or None)``; never raises on HTTP errors."""
        url = path if path.startswith("http") else self.origin + path
        data = None
        hdrs = {"Authorization": self.auth_header, "X-Experience-API-Version": "1.0.3"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw, status = r.read(), r.status
        except urllib.error.HTTPError as e:
            raw, status = e.read(), e.code
        try:
            return status, (json.loads(raw) if raw else None)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def post_statements(self, statements) -> list[str]:
        """POST one statement or a list; returns the ids ralph answers; fails on non-200."""
        status, body = self.request("POST", "/xAPI/statements", statements)
        assert status == 200, f"POST statements → {status}: {body}\n{self.log_tail()}"
        return body

    def statements(self, **params) -> list[dict]:
        """Every stored statement (GET /xAPI/statements with ``params``, following
        ``more``), in the order ralph returns them (most recent first, as xAPI says)."""
        query = urllib.parse.urlencode({"limit": 500, **params})
        url = f"/xAPI/statements?{query}"
        result: list[dict] = []
        for _ in range(1000):
            status, body = self.request("GET", url)
            assert status == 200, f"GET {url} → {status}: {body}"
            result.extend(body.get("statements", []))
            more = body.get("more")
            if not more:
                return result
            url = more
        raise AssertionError("too many 'more' pages")


@pytest.fixture(scope="module")
def ralph_lrs(tmp_path_factory: pytest.TempPathFactory, http_server: HarnessServer):
    """A running :class:`RalphLRS` for the test module (fresh empty store).

    CORS allows the session's ``http_server`` origin, so a package served by it can POST
    statements from the browser. ``ralph_lrs.stop()`` /
    ``ralph_lrs.start()`` simulate an outage; the fixture stops the LRS at the end.
    """
    lrs = RalphLRS(tmp_path_factory.mktemp("ralph"), cors_origins=[http_server.origin])
    lrs.start()
    yield lrs
    lrs.stop()


@pytest.fixture(scope="session")
def xapi_validate():
    """``xapi_validate(statements) -> list[dict]``: strict validation of xAPI statements
    (a dict or a list) with the npm ``@learninglocker/xapi-validation`` (node script
    ``tests/js/validate-xapi.js``). Each error: ``{"index", "path", "message", "data"}``;
    an empty list means every statement is valid."""
    script = JS_DIR / "validate-xapi.js"
    if not (NODE_MODULES / "@learninglocker" / "xapi-validation").is_dir():
        pytest.fail("tests/js/node_modules is missing: run ./scripts/test.sh (npm ci)")

    def validate(statements) -> list[dict]:
        if isinstance(statements, dict):
            statements = [statements]
        proc = subprocess.run(
            ["node", str(script)],
            input=json.dumps(list(statements)),
            capture_output=True,
            text=True,
            cwd=str(JS_DIR),
            timeout=60,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"validate-xapi.js failed: {proc.stderr}")
        return json.loads(proc.stdout)

    return validate
