"""The cmi5 LMS test double (tests/lrs/cmi5_lms_double.py) follows the spec: what an AU sees
of a launch (standards §6.2-6.4), without a browser."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from lrs import cmi5_lms_double

pytestmark = pytest.mark.lrs

AU_ID = "https://example.org/xapi/demo/intro"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
ACTOR = {"objectType": "Agent", "name": "Double", "account": {"homePage": "https://lms.example.org", "name": "double-1"}}




@pytest.fixture
def lms(ralph_lrs):
    double = cmi5_lms_double.Cmi5LmsDouble(ralph_lrs.endpoint, ralph_lrs.auth_header)
    yield double
    double.close()


def _call(method, url, *, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        raw, status = e.read(), e.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw


def _xapi(lms, method, resource, params, *, body=None, auth=None, version="1.0.3"):
    headers = {"Authorization": auth or "Basic " + lms.token}
    if version:
        headers["X-Experience-API-Version"] = version
    if body is not None:
        headers["Content-Type"] = "application/json"
    return _call(method, lms.endpoint + resource + "?" + urllib.parse.urlencode(params), body=body, headers=headers)


def test_launch_url_and_one_time_fetch(lms):
    launch = lms.launch("http://127.0.0.1:1/pkg/intro/index.html", AU_ID, ACTOR, mastery_score=0.8,
                        return_url=lms.return_url)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(launch.url).query))
    assert set(query) == {"endpoint", "fetch", "actor", "registration", "activityId"}
    assert query["endpoint"] == lms.endpoint and json.loads(query["actor"]) == ACTOR
    assert query["activityId"] == launch.activity_id != AU_ID
    assert query["registration"] == launch.registration
    # GET is not allowed; POST answers the token once, then error-code 1 (HTTP 200 both times)
    assert _call("GET", launch.fetch_url)[0] == 405
    assert _call("POST", launch.fetch_url) == (200, {"auth-token": lms.token})
    status, body = _call("POST", launch.fetch_url)
    assert status == 200 and body["error-code"] == "1" and body["error-text"]
    assert _call("POST", lms.origin + "/fetch/unknown")[1]["error-code"] == "2"
    # the token is the complete Basic credential of the LRS
    assert base64.b64decode(lms.token).decode().count(":") == 1


def test_endpoint_auth_launch_data_and_profile(lms, ralph_lrs, xapi_validate):
    launch = lms.launch("http://127.0.0.1:1/au.html", AU_ID, ACTOR, launch_mode="Review", move_on="Passed",
                        mastery_score=0.75, return_url=lms.return_url, launch_parameters="x=1")
    ctx = {"activityId": launch.activity_id, "agent": json.dumps(ACTOR), "registration": launch.registration}
    one = {**ctx, "stateId": "LMS.LaunchData"}
    # exactly "Basic <token>", and the xAPI version header
    assert _xapi(lms, "GET", "activities/state", one, auth="Basic " + base64.b64encode(lms.token.encode()).decode())[0] == 401
    assert _xapi(lms, "GET", "activities/state", one, version=None)[0] == 400
    status, data = _xapi(lms, "GET", "activities/state", one)
    assert status == 200
    assert data == {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"objectType": "Activity", "id": AU_ID}]},
            "extensions": {EXT + "sessionid": launch.session_id},
        },
        "launchMode": "Review", "moveOn": "Passed", "masteryScore": 0.75, "returnURL": lms.return_url,
        "launchParameters": "x=1", "entitlementKey": {"courseStructure": AU_ID},
    }
    # read-only for the AU
    assert _xapi(lms, "PUT", "activities/state", one, body={"launchMode": "Normal"})[0] == 403
    assert lms.violations == ["PUT LMS.LaunchData"]
    assert lms.document(launch, "LMS.LaunchData") == data
    # the AU's own documents: a State API
    mine = {**ctx, "stateId": "efop-state"}
    assert _xapi(lms, "GET", "activities/state", mine)[0] == 404
    assert _xapi(lms, "PUT", "activities/state", mine, body={"a": 1})[0] == 204
    assert _xapi(lms, "GET", "activities/state", mine) == (200, {"a": 1})
    # learner preferences: 404 until set, then read-only
    prefs = {"agent": json.dumps(ACTOR), "profileId": "cmi5LearnerPreferences"}
    assert _xapi(lms, "GET", "agents/profile", prefs)[0] == 404
    lms.preferences(ACTOR, {"languagePreference": "fr-FR", "audioPreference": "on"})
    assert _xapi(lms, "GET", "agents/profile", prefs) == (200, {"languagePreference": "fr-FR", "audioPreference": "on"})
    assert _xapi(lms, "PUT", "agents/profile", prefs, body={})[0] == 403
    # launched went to the LRS, valid, with the cmi5 context
    (launched,) = ralph_lrs.statements(registration=launch.registration)
    assert xapi_validate([launched]) == []
    assert launched["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert launched["object"]["id"] == launch.activity_id
    ext = launched["context"]["extensions"]
    assert ext[EXT + "sessionid"] == launch.session_id
    assert ext[EXT + "launchmode"] == "Review" and ext[EXT + "moveon"] == "Passed"
    assert ext[EXT + "launchparameters"] == "x=1"
    # statements are forwarded to the LRS with the same credential
    status, body = _xapi(lms, "GET", "statements", {"registration": launch.registration})
    assert status == 200 and [s["id"] for s in body["statements"]] == [launched["id"]]


def test_unterminated_session_is_abandoned_at_the_next_launch(lms, ralph_lrs, xapi_validate):
    first = lms.launch("http://127.0.0.1:1/au.html", AU_ID, ACTOR)
    second = lms.launch("http://127.0.0.1:1/au.html", AU_ID, ACTOR, registration=first.registration)
    assert second.activity_id == first.activity_id and second.session_id != first.session_id
    stored = ralph_lrs.statements(registration=first.registration)
    assert xapi_validate(stored) == []
    verbs = sorted((s["verb"]["id"].rsplit("/", 1)[-1], s["context"]["extensions"][EXT + "sessionid"]) for s in stored)
    assert verbs == sorted([("launched", first.session_id), ("abandoned", first.session_id),
                            ("launched", second.session_id)])
    abandoned = next(s for s in stored if s["verb"]["id"].endswith("/abandoned"))
    assert abandoned["verb"]["id"] == "https://w3id.org/xapi/adl/verbs/abandoned"
    assert abandoned["result"]["duration"].startswith("PT")
