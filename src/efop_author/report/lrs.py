"""Report: read statements from an LRS. The only module of efop-author importing ``tincan``.

``tincan.RemoteLRS`` does the transport (endpoint, ``Authorization``, the
``X-Experience-API-Version`` header, resolving ``more`` links against the server root). The
pages are decoded with :mod:`json`, not with tincan's ``StatementsResult``: that parser is
about thirty times slower and lossy (it rewrites durations such as ``PT3.2S`` as
``PT03.2S`` and timestamps to ``+00:00``), which matters over 100,000 statements.

:func:`iter_statements` is a generator: it holds one page (``limit`` statements) at a time,
so memory stays bounded whatever the number of statements stored.
"""

from __future__ import annotations

import json
import socket
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tincan import RemoteLRS
from tincan.http_request import HTTPRequest

from efop_author.messages import t

XAPI_VERSION = "1.0.3"
DEFAULT_PAGE = 500
MAX_PAGES = 1_000_000
TIMEOUT = 60.0


class LrsError(Exception):
    """The LRS could not be read; the message never holds credentials."""


@dataclass(frozen=True)
class LrsConfig:
    endpoint: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def safe_endpoint(self) -> str:
        """The endpoint without any ``user:password@`` part (for messages)."""
        return strip_userinfo(self.endpoint)


def strip_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _client(config: LrsConfig) -> RemoteLRS:
    endpoint = config.endpoint
    username, password = config.username, config.password
    parts = urllib.parse.urlsplit(endpoint)
    if parts.username is not None and username is None:
        username = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
    endpoint = strip_userinfo(endpoint)
    if not endpoint.endswith("/"):
        endpoint += "/"
    kwargs: dict = {"endpoint": endpoint, "version": XAPI_VERSION}
    if username is not None:
        kwargs["username"] = username
        kwargs["password"] = password or ""
    return RemoteLRS(**kwargs)


@contextmanager
def _timeout(seconds: float):
    # tincan opens http.client connections without a timeout: use the socket default
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


def _get(lrs: RemoteLRS, resource: str, params: dict[str, str], where: str) -> dict:
    request = HTTPRequest(method="GET", resource=resource)
    request.query_params = params
    request.headers = {"Accept": "application/json"}
    try:
        with _timeout(TIMEOUT):
            response = lrs._send_request(request)  # noqa: SLF001 - raw body, see module doc
    except OSError as exc:
        raise LrsError(t("report.lrs-unreachable", endpoint=where, reason=exc.strerror or exc)) from None
    status = response.response.status
    if status in (401, 403):
        raise LrsError(t("report.lrs-auth", endpoint=where, status=status))
    if not response.success:
        body = response.data.decode("utf-8", "replace") if isinstance(response.data, bytes) else str(response.data)
        raise LrsError(t("report.lrs-status", endpoint=where, status=status, body=body[:200]))
    try:
        page = json.loads(response.data)
    except ValueError:
        raise LrsError(t("report.lrs-bad-json", endpoint=where)) from None
    if not isinstance(page, dict) or not isinstance(page.get("statements"), list):
        raise LrsError(t("report.lrs-bad-json", endpoint=where))
    return page


def iter_statements(
    config: LrsConfig,
    *,
    activity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = DEFAULT_PAGE,
) -> Iterator[dict]:
    """Every statement the LRS returns for the query, page after page (``more``).

    ``activity`` asks the LRS for statements related to that activity
    (``related_activities=true``); ``since``/``until`` are ISO 8601 instants on the
    ``stored`` property. The caller still filters: some LRSs ignore parameters they do not
    support, and ralph 5.1.0's fs backend answers nothing to any ``activity`` query, so the
    report only sends it when asked (``--server-filter``).
    """
    lrs = _client(config)
    params: dict[str, str] = {"limit": str(limit)}
    if activity:
        params["activity"] = activity
        params["related_activities"] = "true"
    if since:
        params["since"] = since
    if until:
        params["until"] = until
    where = config.safe_endpoint
    page = _get(lrs, "statements", params, where)
    seen_more: set[str] = set()
    for _ in range(MAX_PAGES):
        statements = page["statements"]
        more = page.get("more") or ""
        del page
        yield from statements
        del statements
        if not more:
            return
        if more in seen_more:  # a buggy LRS looping on the same link
            raise LrsError(t("report.lrs-loop", endpoint=where))
        seen_more.add(more)
        resource = more if more.startswith("http") else lrs.get_endpoint_server_root() + more
        page = _get(lrs, resource, {}, where)
    raise LrsError(t("report.lrs-loop", endpoint=where))
