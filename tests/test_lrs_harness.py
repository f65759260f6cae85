"""The ralph LRS fixture works: statements go in, come back, and survive a restart."""

import uuid

import urllib.request

import pytest


def _statement(n: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "Test", "mbox": "mailto:learner@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"fr": "a vu"}},
        "object": {"objectType": "Activity", "id": f"https://example.org/efop/test/{n}"},
        "timestamp": "2026-01-01T10:00:00.000Z",
    }


def test_post_twice_then_read_back(ralph_lrs, xapi_validate):
    first, second = _statement(1), _statement(2)
    assert xapi_validate([first, second]) == []
    # The second POST fails with HTTP 500 without the APPEND fix of the launcher.
    assert ralph_lrs.post_statements(first) == [first["id"]]
    assert ralph_lrs.post_statements([second]) == [second["id"]]
    stored = ralph_lrs.statements()
    assert {s["id"] for s in stored} == {first["id"], second["id"]}
    by_id = {s["id"]: s for s in stored}
    assert by_id[first["id"]]["object"]["id"] == "https://example.org/efop/test/1"
    assert "authority" in by_id[first["id"]]  # set by the LRS from the Basic auth user


def test_auth_required(ralph_lrs):
    status, _ = ralph_lrs.request("GET", "/xAPI/statements", headers={"Authorization": "Basic eDp5"})
    assert status == 401


def test_stop_and_restart_keeps_data(ralph_lrs):
    before = len(ralph_lrs.statements())
    ralph_lrs.stop()
    assert not ralph_lrs.running
    with pytest.raises(OSError):
        urllib.request.urlopen(ralph_lrs.endpoint + "statements", timeout=2)
    ralph_lrs.start()
    extra = _statement(3)
    ralph_lrs.post_statements(extra)
    after = ralph_lrs.statements()
    assert len(after) == before + 1
    assert extra["id"] in {s["id"] for s in after}


def test_more_link_is_followed(ralph_lrs):
    ids = {s["id"] for s in ralph_lrs.statements()}
    batch = [_statement(10 + i) for i in range(5)]
    ralph_lrs.post_statements(batch)
    # a small page size forces ralph to answer with "more" links
    got = ralph_lrs.statements(limit=2)
    assert {s["id"] for s in got} == ids | {s["id"] for s in batch}
    assert len(got) == len(ids) + 5


def test_xapi_validate_rejects_bad_statements(xapi_validate):
    bad = _statement(4)
    bad["result"] = {"duration": "12 minutes"}
    bad["actor"]["mbox"] = "learner@example.org"
    errors = xapi_validate([_statement(5), bad])
    paths = {(e["index"], e["path"]) for e in errors}
    assert (1, "statement.result.duration") in paths
    assert (1, "statement.actor.mbox") in paths
    assert all(e["index"] == 1 for e in errors)
