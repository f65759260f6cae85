"""Report: statements -> per learner × module rows and per question item analysis. Pure.

Fed one statement at a time (:class:`Summarizer`), in any order; memory grows with the
number of learners, modules, sessions and questions, never with the number of statements.

Rules (what efop-author's xAPI adapter sends, see docs/xapi.md; other content works too):

- the *module* of a statement is its object for module-level verbs (initialized, completed,
  passed, failed, terminated…), else the first ``context.contextActivities.parent``;
- the *learner* is the actor's inverse functional identifier (account, mbox, sha1, openid);
- *started*: an ``initialized``, ``launched``, ``experienced`` or ``answered`` statement;
  *completed*: ``completed`` or ``passed``, or ``result.completion`` true;
  *result*: ``passed`` if the learner ever passed, else ``failed`` if they failed;
- *best score*: the highest module-level ``result.score`` in percent (``scaled`` × 100,
  else ``raw`` within ``min``/``max``);
- *time spent*: summed over sessions (cmi5 ``sessionid`` extension, else registration):
  the ``terminated`` duration when there is one, else last − first timestamp;
- *item analysis*: per ``answered`` object: attempts, correct (``result.success``) and the
  success rate over the attempts whose success is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

VERBS = "http://adlnet.gov/expapi/verbs/"
W3ID_VERBS = "https://w3id.org/xapi/adl/verbs/"
EXT_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MODULE_VERBS = {"initialized", "launched", "completed", "passed", "failed", "terminated",
                "suspended", "resumed", "abandoned", "satisfied", "waived"}
STARTED_VERBS = {"initialized", "launched", "experienced", "answered", "resumed", "progressed"}

_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def duration_seconds(text: object) -> float | None:
    """Seconds of an ISO 8601 duration (years = 365 days, months = 30 days); None if invalid."""
    if not isinstance(text, str):
        return None
    m = _DURATION.match(text.strip())
    if not m or text.strip() in ("P", "PT"):
        return None
    f = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    days = f["y"] * 365 + f["mo"] * 30 + f["w"] * 7 + f["d"]
    return days * 86400 + f["h"] * 3600 + f["mi"] * 60 + f["s"]


def parse_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else None


def verb_name(statement: dict) -> str:
    vid = (statement.get("verb") or {}).get("id") or ""
    for prefix in (VERBS, W3ID_VERBS):
        if vid.startswith(prefix):
            return vid[len(prefix):]
    return vid


def learner_key(actor: object) -> str | None:
    if not isinstance(actor, dict):
        return None
    account = actor.get("account")
    if isinstance(account, dict) and account.get("name") is not None:
        return f"account:{account.get('homePage', '')}|{account['name']}"
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if actor.get(ifi):
            return f"{ifi}:{actor[ifi]}"
    return None


def learner_label(actor: dict) -> str:
    name = actor.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    account = actor.get("account")
    if isinstance(account, dict) and account.get("name") is not None:
        return str(account["name"])
    for ifi in ("mbox", "openid", "mbox_sha1sum"):
        if actor.get(ifi):
            return str(actor[ifi]).removeprefix("mailto:")
    return "?"


def _lang_text(value: object) -> str:
    if isinstance(value, dict) and value:
        for key in ("fr", "fr-FR", "en", "en-US", "en-GB"):
            if isinstance(value.get(key), str):
                return value[key]
        first = next(iter(value.values()))
        return first if isinstance(first, str) else ""
    return ""


def _activities(ctx_acts: object, key: str) -> list[dict]:
    if not isinstance(ctx_acts, dict):
        return []
    value = ctx_acts.get(key)
    if isinstance(value, dict):
        return [value]
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def score_percent(result: object) -> float | None:
    if not isinstance(result, dict) or not isinstance(result.get("score"), dict):
        return None
    score = result["score"]
    scaled = score.get("scaled")
    if isinstance(scaled, (int, float)) and not isinstance(scaled, bool):
        return round(float(scaled) * 100, 2)
    raw, lo, hi = score.get("raw"), score.get("min"), score.get("max")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if isinstance(hi, (int, float)) and isinstance(lo, (int, float)) and hi > lo:
            return round((raw - lo) * 100 / (hi - lo), 2)
        if isinstance(hi, (int, float)) and hi > 0:
            return round(raw * 100 / hi, 2)
        return round(float(raw), 2)
    return None


def in_course(statement: dict, course_iri: str) -> bool:
    """True when the statement's object or one of its context activities is the course or
    one of its descendants (``{course}/…``)."""
    base = course_iri.rstrip("/")

    def match(iri: object) -> bool:
        return isinstance(iri, str) and (iri == base or iri.startswith(base + "/"))

    obj = statement.get("object") or {}
    if match(obj.get("id")):
        return True
    acts = (statement.get("context") or {}).get("contextActivities")
    return any(match(a.get("id")) for key in ("parent", "grouping", "category", "other") for a in _activities(acts, key))


# ---------------------------------------------------------------------------- rows


@dataclass
class _Session:
    first: datetime | None = None
    last: datetime | None = None
    terminated: float | None = None

    def seconds(self) -> float:
        if self.terminated is not None:
            return self.terminated
        if self.first and self.last:
            return max(0.0, (self.last - self.first).total_seconds())
        return 0.0


@dataclass
class LearnerModuleRow:
    learner: str
    learner_id: str
    module: str
    module_name: str = ""
    started: bool = False
    completed: bool = False
    result: str = ""  # "passed" | "failed" | ""
    best_score: float | None = None
    time_spent: float = 0.0  # seconds
    sessions: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass
class ItemRow:
    question: str
    name: str
    module: str
    interaction_type: str
    attempts: int = 0
    correct: int = 0
    known: int = 0  # attempts whose success is known

    @property
    def success_rate(self) -> float | None:
        return round(100 * self.correct / self.known, 1) if self.known else None


@dataclass
class Report:
    rows: list[LearnerModuleRow]
    items: list[ItemRow]
    statements: int
    skipped: int
    course: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass
class _Acc:
    row: LearnerModuleRow
    sessions: dict[str, _Session] = field(default_factory=dict)


class Summarizer:
    """Accumulates statements; :meth:`report` gives the rows."""

    def __init__(self, course: str | None = None) -> None:
        self.course = course
        self._rows: dict[tuple[str, str], _Acc] = {}
        self._items: dict[str, ItemRow] = {}
        self._modules: dict[str, str] = {}
        self.count = 0
        self.skipped = 0

    def add(self, statement: dict) -> None:
        if not isinstance(statement, dict):
            self.skipped += 1
            return
        verb = verb_name(statement)
        if verb == "voided":
            self.skipped += 1
            return
        if self.course and not in_course(statement, self.course):
            self.skipped += 1
            return
        actor = statement.get("actor")
        key = learner_key(actor)
        obj = statement.get("object") if isinstance(statement.get("object"), dict) else {}
        ctx = statement.get("context") if isinstance(statement.get("context"), dict) else {}
        acts = ctx.get("contextActivities")
        parents = _activities(acts, "parent")
        if verb in MODULE_VERBS and obj.get("id"):
            module, module_def = obj["id"], obj.get("definition") or {}
        elif parents and parents[0].get("id"):
            module, module_def = parents[0]["id"], parents[0].get("definition") or {}
        else:
            module, module_def = obj.get("id"), obj.get("definition") or {}
        if key is None or not module:
            self.skipped += 1
            return
        self.count += 1
        name = _lang_text(module_def.get("name"))
        if name:
            self._modules[module] = name
        acc = self._rows.get((key, module))
        if acc is None:
            acc = _Acc(LearnerModuleRow(learner=learner_label(actor), learner_id=key, module=module))
            self._rows[(key, module)] = acc
        row = acc.row
        result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
        when = parse_time(statement.get("timestamp")) or parse_time(statement.get("stored"))

        if verb in STARTED_VERBS:
            row.started = True
        if verb in ("completed", "passed") or result.get("completion") is True:
            row.completed = True
        if verb == "passed":
            row.result = "passed"
        elif verb == "failed" and row.result != "passed":
            row.result = "failed"
        if obj.get("id") == module and verb in ("completed", "passed", "failed", "scored"):
            pct = score_percent(result)
            if pct is not None and (row.best_score is None or pct > row.best_score):
                row.best_score = pct

        ext = ctx.get("extensions") if isinstance(ctx.get("extensions"), dict) else {}
        sid = ext.get(EXT_SESSION) or ctx.get("registration") or ""
        session = acc.sessions.get(str(sid))
        if session is None:
            session = acc.sessions[str(sid)] = _Session()
        if when is not None:
            if session.first is None or when < session.first:
                session.first = when
            if session.last is None or when > session.last:
                session.last = when
            if row.first_seen is None or when < row.first_seen:
                row.first_seen = when
            if row.last_seen is None or when > row.last_seen:
                row.last_seen = when
        if verb == "terminated":
            secs = duration_seconds(result.get("duration"))
            if secs is not None:
                session.terminated = max(secs, session.terminated or 0.0)

        if verb == "answered" and obj.get("id"):
            qid = obj["id"]
            item = self._items.get(qid)
            definition = obj.get("definition") or {}
            if item is None:
                item = self._items[qid] = ItemRow(
                    question=qid,
                    name=_lang_text(definition.get("name")) or _lang_text(definition.get("description")),
                    module=module,
                    interaction_type=str(definition.get("interactionType") or ""),
                )
            item.attempts += 1
            if isinstance(result.get("success"), bool):
                item.known += 1
                item.correct += 1 if result["success"] else 0

    def report(self, *, since: str | None = None, until: str | None = None) -> Report:
        rows = []
        for acc in self._rows.values():
            row = acc.row
            row.module_name = self._modules.get(row.module, "")
            row.sessions = len(acc.sessions)
            row.time_spent = round(sum(s.seconds() for s in acc.sessions.values()), 2)
            rows.append(row)
        rows.sort(key=lambda r: (r.module, r.learner.casefold(), r.learner_id))
        items = sorted(self._items.values(), key=lambda i: (i.module, i.question))
        return Report(rows, items, self.count, self.skipped, self.course, since, until)


def summarize(statements: Iterable[dict], course: str | None = None, *, since: str | None = None,
              until: str | None = None) -> Report:
    s = Summarizer(course)
    for st in statements:
        s.add(st)
    return s.report(since=since, until=until)
