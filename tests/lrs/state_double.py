"""StateApiDouble: a TEST DOUBLE of an LRS's State API (xAPI 1.0.3, part 3 §2.3 / digest §4.7).

No LRS with a State API can be installed here (ralph 5.1.0 has only the Statements
resource), so the resume tests use this small server, written to the letter of the spec:

- every request needs ``X-Experience-API-Version: 1.0.x`` (400 otherwise) and, when the
  double has an ``auth`` value, that exact ``Authorization`` header (401 otherwise);
- ``{endpoint}activities/state``: ``activityId`` (absolute IRI) and ``agent`` (JSON Agent
  with an inverse functional identifier) are required, ``registration`` must be a UUID;
  ``PUT`` stores or replaces (204), ``POST`` merges the top-level keys of JSON documents
  (400 when either side is not a JSON object), ``GET`` returns the document with an
  ``ETag`` (quoted SHA-1) or 404, or without ``stateId`` the JSON array of ids (``since``),
  ``DELETE`` removes one document or every document of the context (204);
- documents are keyed by activity, agent (its IFI), registration and state id;
- CORS for the browser (preflight answered, ``ETag`` exposed).

The Statements resource is only what the adapter needs around it (POST stores by id,
ignoring a statement it already has; GET lists); it is not what this double tests.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.I)
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _agent_key(raw: str | None) -> str | None:
    """The agent's IFI as a canonical string, or None when the agent is invalid."""
    if not raw:
        return None
    try:
        agent = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(agent, dict):
        return None
    found = [k for k in IFIS if k in agent]
    if len(found) != 1:
        return None
    value = agent[found[0]]
    if found[0] == "account":
        if not isinstance(value, dict) or not value.get("homePage") or "name" not in value:
            return None
        value = {"homePage": value["homePage"], "name": value["name"]}
    return json.dumps({found[0]: value}, sort_keys=True)


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format, *args):  # noqa: A002
        pass

    # -- plumbing -------------------------------------------------------------
    def _cors(self) -> None:
        origin = self.headers.get("Origin")
        self.send_header("Access-Control-Allow-Origin", origin or "*")
        self.send_header("Vary", "Origin")
        self.send_header("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, OPTIONS")
        self.send_header("Access-Control-Allow-Headers",
                         "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match")
        self.send_header("Access-Control-Expose-Headers", "ETag, X-Experience-API-Version")

    def _send(self, status: int, body: bytes = b"", ctype: str | None = None, extra: dict | None = None) -> None:
        self.send_response(status)
        self._cors()
        self.send_header("X-Experience-API-Version", "1.0.3")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if body:
            self.send_header("Content-Type", ctype or "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj) -> None:
        self._send(status, json.dumps(obj).encode("utf-8"))

    def _route(self) -> tuple[str, dict[str, str]] | None:
        parts = urllib.parse.urlsplit(self.path)
        if not parts.path.startswith("/xapi/"):
            return None
        query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        return parts.path[len("/xapi/"):], query

    def _check(self) -> bool:
        version = self.headers.get("X-Experience-API-Version") or ""
        if not re.match(r"^1\.0(\.\d+)?$", version):
            self._json(400, {"error": "X-Experience-API-Version 1.0.x required"})
            return False
        if self.server.auth is not None and self.headers.get("Authorization") != self.server.auth:
            self._json(401, {"error": "unauthorized"})
            return False
        return True

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # -- verbs ------------------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802
        self._send(204)

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        route = self._route()
        body = self._body() if method in ("PUT", "POST") else b""
        with self.server.lock:
            self.server.log.append((method, self.path, dict(self.headers.items()), body))
        if route is None:
            self._json(404, {"error": "not found"})
            return
        resource, query = route
        if not self._check():
            return
        if resource == "activities/state":
            self._state(method, query, body)
        elif resource == "statements":
            self._statements(method, body)
        else:
            self._json(404, {"error": "not found"})

    # -- State resource -------------------------------------------------------------
    def _state(self, method: str, q: dict[str, str], body: bytes) -> None:
        activity = q.get("activityId")
        agent = _agent_key(q.get("agent"))
        registration = q.get("registration")
        state_id = q.get("stateId")
        if not activity or not IRI_RE.match(activity):
            self._json(400, {"error": "activityId: absolute IRI required"})
            return
        if agent is None:
            self._json(400, {"error": "agent: JSON Agent with one inverse functional identifier required"})
            return
        if registration is not None and not UUID_RE.match(registration):
            self._json(400, {"error": "registration: UUID required"})
            return
        context = (activity, agent, registration.lower() if registration else None)
        docs = self.server.docs
        with self.server.lock:
            if method == "GET" and not state_id:
                since = q.get("since")
                ids = [k[3] for k, v in docs.items() if k[:3] == context and (not since or v["updated"] > since)]
                self._json(200, sorted(ids))
                return
            if method == "DELETE" and not state_id:
                for key in [k for k in docs if k[:3] == context]:
                    del docs[key]
                self._send(204)
                return
            if not state_id:
                self._json(400, {"error": "stateId required"})
                return
            key = (*context, state_id)
            now = datetime.now(timezone.utc).isoformat()
            ctype = (self.headers.get("Content-Type") or "application/octet-stream").split(";")[0].strip()
            if method == "GET":
                doc = docs.get(key)
                if doc is None:
                    self._json(404, {"error": "no such document"})
                    return
                etag = '"' + hashlib.sha1(doc["content"]).hexdigest() + '"'
                self._send(200, doc["content"], doc["type"], {"ETag": etag, "Last-Modified": doc["updated"]})
            elif method == "PUT":
                docs[key] = {"content": body, "type": ctype, "updated": now}
                self._send(204)
            elif method == "POST":
                old = docs.get(key)
                try:
                    new = json.loads(body) if ctype == "application/json" else None
                except ValueError:
                    new = None
                if not isinstance(new, dict):
                    self._json(400, {"error": "POST needs a JSON object"})
                    return
                if old is not None:
                    try:
                        merged = json.loads(old["content"]) if old["type"] == "application/json" else None
                    except ValueError:
                        merged = None
                    if not isinstance(merged, dict):
                        self._json(400, {"error": "the stored document is not a JSON object"})
                        return
                    merged.update(new)
                    new = merged
                docs[key] = {"content": json.dumps(new).encode("utf-8"), "type": "application/json", "updated": now}
                self._send(204)
            elif method == "DELETE":
                docs.pop(key, None)
                self._send(204)

    # -- Statements (minimal) -------------------------------------------------------
    def _statements(self, method: str, body: bytes) -> None:
        if method == "GET":
            with self.server.lock:
                self._json(200, {"statements": list(self.server.statements.values()), "more": ""})
            return
        if method != "POST":
            self._json(405, {"error": "method not allowed"})
            return
        try:
            data = json.loads(body)
        except ValueError:
            self._json(400, {"error": "invalid JSON"})
            return
        items = data if isinstance(data, list) else [data]
        with self.server.lock:
            ids = []
            for st in items:
                if not isinstance(st, dict) or not isinstance(st.get("id"), str):
                    self._json(400, {"error": "statements need ids here"})
                    return
                ids.append(st["id"])
            for st in items:
                self.server.statements.setdefault(st["id"], st)
        self._json(200, ids)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, auth: str | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.auth = auth
        self.lock = threading.Lock()
        self.docs: dict[tuple, dict] = {}
        self.statements: dict[str, dict] = {}
        self.log: list[tuple[str, str, dict, bytes]] = []


class StateApiDouble:
    """Start with ``StateApiDouble(auth="Basic …")``; ``endpoint`` ends with ``/xapi/``."""

    def __init__(self, auth: str | None = None) -> None:
        self._server = _Server(auth)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/xapi/"

    @property
    def docs(self) -> dict[tuple, dict]:
        return self._server.docs

    @property
    def statements(self) -> dict[str, dict]:
        return self._server.statements

    @property
    def log(self) -> list[tuple[str, str, dict, bytes]]:
        return self._server.log

    def document(self, activity: str, agent: dict, registration: str | None, state_id: str):
        key = (activity, _agent_key(json.dumps(agent)), registration, state_id)
        doc = self._server.docs.get(key)
        return None if doc is None else json.loads(doc["content"])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
