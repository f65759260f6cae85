"""Cmi5LmsDouble: a TEST DOUBLE of a cmi5 LMS (cmi5 Quartz, standards §6), in front of ralph.

No cmi5 LMS can be installed here, so the browser tests launch AUs from this small server,
written to the letter of the spec for what an AU sees:

- ``launch(...)`` (§8.1, §10): creates the registration (UUID) unless given, keeps one
  LMS-generated ``activityId`` per AU (never the AU id of cmi5.xml), a new session id per
  launch, writes the ``LMS.LaunchData`` state document (``contextTemplate`` with the session
  id extension and the publisher-id grouping activity = the AU id, ``launchMode``, ``moveOn``,
  ``masteryScore``, ``returnURL``, ``launchParameters``, ``entitlementKey``), issues
  ``abandoned`` for an earlier session of the registration that never terminated, sends
  ``launched`` to the LRS, and returns the AU URL with ``endpoint``, ``fetch``, ``actor``,
  ``registration`` and ``activityId``;
- ``POST /fetch/<key>`` (§8.2): HTTP 200 ``{"auth-token": …}`` the first time, then
  ``{"error-code": "1", …}``; a GET is refused (405). Every call is logged (``fetch_calls``);
- the xAPI endpoint ``/xapi/`` needs ``X-Experience-API-Version`` and exactly
  ``Authorization: Basic <token>`` (401 otherwise). ``statements`` is forwarded to the real
  ralph LRS (the token is ralph's Basic credential); ``activities/state`` is served here (ralph
  has no State API) by the spec-exact ``state_double`` handler, except that ``LMS.LaunchData``
  is read-only for the AU (403, logged in ``violations``); ``agents/profile`` serves
  ``cmi5LearnerPreferences`` (404 until ``preferences(...)`` sets them; read-only);
- ``/return`` is a small page used as ``returnURL``.

Everything the AU sent is in ralph (``RalphLRS.statements(registration=…)``); ``requests``
logs every request the double received (method, path, headers).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from lrs import state_double as SD

CMI5 = "https://w3id.org/xapi/cmi5/"
EXT = CMI5 + "context/extensions/"
CAT_CMI5 = CMI5 + "context/categories/cmi5"




def _now() -> datetime:
    return datetime.now(UTC)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Launch:
    url: str
    registration: str
    session_id: str
    activity_id: str
    au_id: str
    actor: dict
    fetch_url: str
    launch_data: dict
    launched_at: datetime


class _Handler(SD._Handler):  # noqa: SLF001 - the State API of the spec-exact double
    server: _Server

    def _dispatch(self, method: str) -> None:
        path = urllib.parse.urlsplit(self.path).path
        body = self._body() if method in ("PUT", "POST") else b""
        with self.server.lock:
            self.server.requests.append((method, self.path, dict(self.headers.items())))
        if path.startswith("/fetch/"):
            self._fetch(method, path[len("/fetch/"):])
            return
        if path == "/return":
            self._send(200, b"<!doctype html><title>LMS</title><p>Retour LMS</p>", "text/html; charset=utf-8")
            return
        route = self._route()
        if route is None:
            self._json(404, {"error": "not found"})
            return
        resource, query = route
        if not self._check():
            return
        if resource == "statements":
            self._forward(method, body)
        elif resource == "activities/state":
            if query.get("stateId") == "LMS.LaunchData" and method != "GET":
                with self.server.lock:
                    self.server.violations.append(f"{method} LMS.LaunchData")
                self._json(403, {"error": "LMS.LaunchData is read-only for the AU"})
                return
            if query.get("stateId") is None and method == "DELETE":
                self._json(403, {"error": "the AU cannot delete the LMS's documents"})
                return
            self._state(method, query, body)
        elif resource == "agents/profile":
            self._profile(method, query)
        else:
            self._json(404, {"error": "not found"})

    # §8.2 -------------------------------------------------------------------------
    def _fetch(self, method: str, key: str) -> None:
        with self.server.lock:
            self.server.fetch_calls.append((method, key))
            if method != "POST":
                self._send(405, b"", extra={"Allow": "POST"})
                return
            if key not in self.server.fetch_keys:
                self._json(200, {"error-code": "2", "error-text": "unknown fetch URL"})
            elif self.server.fetch_keys[key]:
                self._json(200, {"error-code": "1", "error-text": "the fetch URL was already used"})
            else:
                self.server.fetch_keys[key] = True
                self._json(200, {"auth-token": self.server.token})

    # §11 ----------------------------------------------------------------------------
    def _profile(self, method: str, q: dict[str, str]) -> None:
        agent = SD._agent_key(q.get("agent"))  # noqa: SLF001
        if agent is None or q.get("profileId") != "cmi5LearnerPreferences":
            self._json(400, {"error": "agent and profileId=cmi5LearnerPreferences required"})
            return
        if method != "GET":
            self._json(403, {"error": "cmi5LearnerPreferences is read-only for the AU"})
            return
        prefs = self.server.prefs.get(agent)
        if prefs is None:
            self._json(404, {"error": "no such document"})
        else:
            self._json(200, prefs)

    # statements → ralph ---------------------------------------------------------------
    def _forward(self, method: str, body: bytes) -> None:
        query = urllib.parse.urlsplit(self.path).query
        url = self.server.lrs_endpoint + "statements" + ("?" + query if query else "")
        headers = {
            "Authorization": self.headers["Authorization"],
            "X-Experience-API-Version": self.headers["X-Experience-API-Version"],
        }
        if body:
            headers["Content-Type"] = self.headers.get("Content-Type") or "application/json"
        req = urllib.request.Request(url, data=body or None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, raw, ctype = r.status, r.read(), r.headers.get("Content-Type")
        except urllib.error.HTTPError as e:
            status, raw, ctype = e.code, e.read(), e.headers.get("Content-Type")
        except OSError:
            status, raw, ctype = 503, b'{"error": "LRS unreachable"}', "application/json"
        if method == "POST" and 200 <= status < 300:
            self.server.seen(json.loads(body))
        self._send(status, raw, ctype or "application/json")


class _Server(SD._Server):  # noqa: SLF001
    def __init__(self, token: str, lrs_endpoint: str) -> None:
        super().__init__("Basic " + token)
        self.RequestHandlerClass = _Handler
        self.token = token
        self.lrs_endpoint = lrs_endpoint
        self.fetch_keys: dict[str, bool] = {}
        self.fetch_calls: list[tuple[str, str]] = []
        self.prefs: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.violations: list[str] = []
        self.terminated: set[str] = set()

    def seen(self, statements) -> None:
        for s in statements if isinstance(statements, list) else [statements]:
            if s.get("verb", {}).get("id") == "http://adlnet.gov/expapi/verbs/terminated":
                sid = s.get("context", {}).get("extensions", {}).get(EXT + "sessionid")
                with self.lock:
                    self.terminated.add(sid)


class Cmi5LmsDouble:
    """``Cmi5LmsDouble(lrs_endpoint, lrs_auth)`` with ralph's endpoint and ``Basic …`` header."""

    def __init__(self, lrs_endpoint: str, lrs_auth: str) -> None:
        scheme, _, token = lrs_auth.partition(" ")
        assert scheme == "Basic" and token
        self._lrs_auth = lrs_auth
        self._server = _Server(token, lrs_endpoint)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._activity_ids: dict[str, str] = {}
        self.launches: list[Launch] = []

    # -- addresses ----------------------------------------------------------------------
    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def endpoint(self) -> str:
        return self.origin + "/xapi/"

    @property
    def return_url(self) -> str:
        return self.origin + "/return"

    @property
    def token(self) -> str:
        return self._server.token

    # -- logs -----------------------------------------------------------------------------
    @property
    def fetch_calls(self) -> list[tuple[str, str]]:
        return list(self._server.fetch_calls)

    @property
    def requests(self) -> list[tuple[str, str, dict]]:
        return list(self._server.requests)

    @property
    def violations(self) -> list[str]:
        return list(self._server.violations)

    def preferences(self, actor: dict, prefs: dict) -> None:
        """Set the learner's ``cmi5LearnerPreferences`` agent profile."""
        self._server.prefs[SD._agent_key(json.dumps(actor))] = prefs  # noqa: SLF001

    def document(self, launch: Launch, state_id: str):
        """A state document of ``launch``'s AU, agent and registration (None if absent)."""
        key = (launch.activity_id, SD._agent_key(json.dumps(launch.actor)), launch.registration, state_id)  # noqa: SLF001
        doc = self._server.docs.get(key)
        return None if doc is None else json.loads(doc["content"])

    # -- launch (§8.1, §10) ---------------------------------------------------------------
    def launch(
        self,
        au_url: str,
        au_id: str,
        actor: dict,
        *,
        registration: str | None = None,
        launch_mode: str = "Normal",
        move_on: str = "CompletedAndPassed",
        mastery_score: float | None = None,
        return_url: str | None = None,
        launch_parameters: str | None = None,
        course_id: str = "",
    ) -> Launch:
        registration = registration or str(uuid.uuid4())
        activity_id = self._activity_ids.setdefault(au_id, f"https://lms.example.org/cmi5/au/{uuid.uuid4()}")
        assert activity_id != au_id
        session_id = str(uuid.uuid4())
        now = _now()
        for old in self.launches:  # §9.3.9: the LMS closes an unterminated earlier session
            if (old.registration, old.activity_id) == (registration, activity_id) and old.session_id not in self._server.terminated:
                self._abandon(old, now)
        template = {
            "contextActivities": {"grouping": [{"objectType": "Activity", "id": au_id}]},
            "extensions": {EXT + "sessionid": session_id},
        }
        data = {
            "contextTemplate": template,
            "launchMode": launch_mode,
            "moveOn": move_on,
            "entitlementKey": {"courseStructure": course_id or au_id},
        }
        if mastery_score is not None:
            data["masteryScore"] = mastery_score
        if return_url is not None:
            data["returnURL"] = return_url
        if launch_parameters is not None:
            data["launchParameters"] = launch_parameters
        agent = SD._agent_key(json.dumps(actor))  # noqa: SLF001
        with self._server.lock:
            self._server.docs[(activity_id, agent, registration, "LMS.LaunchData")] = {
                "content": json.dumps(data).encode("utf-8"), "type": "application/json", "updated": now.isoformat(),
            }
            key = uuid.uuid4().hex
            self._server.fetch_keys[key] = False
        fetch_url = f"{self.origin}/fetch/{key}"
        params = {
            "endpoint": self.endpoint,
            "fetch": fetch_url,
            "actor": json.dumps(actor),
            "registration": registration,
            "activityId": activity_id,
        }
        url = au_url + ("&" if "?" in au_url else "?") + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        launch = Launch(url, registration, session_id, activity_id, au_id, actor, fetch_url, data, now)
        ext = {EXT + "launchmode": launch_mode, EXT + "launchurl": au_url, EXT + "moveon": move_on}
        if launch_parameters is not None:
            ext[EXT + "launchparameters"] = launch_parameters
        self._lms_statement(launch, "http://adlnet.gov/expapi/verbs/launched", ext, None, now)
        self.launches.append(launch)
        return launch

    def _abandon(self, old: Launch, now: datetime) -> None:
        seconds = (now - old.launched_at).total_seconds()
        result = {"duration": f"PT{seconds:.2f}S"}
        self._lms_statement(old, "https://w3id.org/xapi/adl/verbs/abandoned", {}, result, now)
        self._server.terminated.add(old.session_id)

    def _lms_statement(self, launch: Launch, verb: str, ext: dict, result: dict | None, when: datetime) -> None:
        ctx = json.loads(json.dumps(launch.launch_data["contextTemplate"]))
        ctx["registration"] = launch.registration
        ctx["contextActivities"]["category"] = [{"objectType": "Activity", "id": CAT_CMI5}]
        ctx["extensions"].update(ext)
        statement = {
            "id": str(uuid.uuid4()),
            "actor": launch.actor,
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": {"objectType": "Activity", "id": launch.activity_id},
            "context": ctx,
            "timestamp": _iso(when),
        }
        if result:
            statement["result"] = result
        req = urllib.request.Request(
            self._server.lrs_endpoint + "statements",
            data=json.dumps(statement).encode("utf-8"),
            method="POST",
            headers={"Authorization": self._lrs_auth, "X-Experience-API-Version": "1.0.3",
                     "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 200, r.status

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
