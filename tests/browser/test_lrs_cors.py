"""A page served by the test HTTP server can talk to the ralph LRS from the browser
(CORS preflight with Basic auth), as an xAPI package will."""

import uuid


def test_browser_posts_statement_to_ralph(new_page, http_server, ralph_lrs, xapi_validate):
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:learner@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/initialized"},
        "object": {"objectType": "Activity", "id": "https://example.org/efop/cors"},
    }
    assert xapi_validate(statement) == []
    page = new_page()
    page.goto(http_server.url("harness/scorm12.html"))
    status = page.evaluate(
        """async ([endpoint, auth, statement]) => {
            const r = await fetch(endpoint + 'statements', {
                method: 'POST',
                headers: {'Authorization': auth, 'X-Experience-API-Version': '1.0.3',
                          'Content-Type': 'application/json'},
                body: JSON.stringify(statement)});
            return r.status;
        }""",
        [ralph_lrs.endpoint, ralph_lrs.auth_header, statement],
    )
    assert status == 200
    assert statement["id"] in {s["id"] for s in ralph_lrs.statements()}

    ralph_lrs.stop()
    failed = page.evaluate(
        """async (endpoint) => {
            try { await fetch(endpoint + 'statements'); return 'answered'; }
            catch (e) { return 'network error'; }
        }""",
        ralph_lrs.endpoint,
    )
    assert failed == "network error"
    ralph_lrs.start()
    assert statement["id"] in {s["id"] for s in ralph_lrs.statements()}
