"""Errors tell the caller what went wrong, in the envelope, and never how the service is built."""

from __future__ import annotations

import pytest

from service.config import from_environment
from tests.conftest import make_issue

from .auth.support import bearer, forget_keys, make_app, renamed_table

LEAKS = ("SELECT", "INSERT", "UPDATE ", "sqlalchemy", "psycopg", "sqlite", "Traceback", 'File "', "_away", "no such table",
         "does not exist")
NO_DECISION = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(autouse=True)
def _no_keys_from_other_tests(database_url):
    forget_keys(database_url)


def assert_no_leaks(response) -> None:
    """The body is the JSON envelope and names no SQL, driver, table or stack frame."""
    body = response.get_data(as_text=True)
    assert response.is_json and response.get_json()["code"] == response.status_code
    for leak in LEAKS:
        assert leak.lower() not in body.lower(), f"{leak!r} in {body}"


@pytest.mark.parametrize(("table", "method", "url", "body"), [
    ("decisions", "POST", "/v1/triage", make_issue()),
    ("decisions", "POST", "/v1/triage/batch", {"items": [make_issue()]}),
    ("decisions", "GET", "/v1/decisions", None),
    ("decisions", "GET", f"/v1/decisions/{NO_DECISION}", None),
    ("audit_events", "GET", "/v1/audit", None),
    ("audit_events", "POST", "/v1/keys", {"name": "new", "role": "caller"}),
    ("audit_events", "DELETE", "/v1/keys/test-admin", None),
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_database_failure_names_no_sql(app, client, table, method, url, body):
    client.get("/v1/keys")  # the key is checked before the table goes
    with renamed_table(app, table):
        response = client.open(url, method=method, json=body)
    assert response.status_code in (500, 503)
    assert_no_leaks(response)


def test_a_key_table_failure_names_no_sql(app, key_for):
    headers = bearer(key_for("admin"))
    with renamed_table(app, "api_keys"):
        response = app.test_client().get("/v1/decisions", headers=headers)
    assert response.status_code in (500, 503)
    assert_no_leaks(response)


def test_outside_testing_a_failure_is_still_a_plain_500(database_url, key_for, app):
    production = make_app(database_url, TESTING=False)
    headers = bearer(key_for("admin"))
    try:
        with renamed_table(production, "decisions"):
            response = production.test_client().get("/v1/decisions", headers=headers)
    finally:
        production.extensions["database"].dispose()
    assert response.status_code == 500
    assert response.get_json()["message"].startswith("Internal server error")
    assert_no_leaks(response)


def test_debug_is_off_by_default(app):
    assert from_environment({})["DEBUG"] is False
    assert app.debug is False


@pytest.mark.parametrize(("url", "size"), [("/v1/triage", 70_000), ("/v1/rulesets/validate", 70_000),
                                           ("/v1/keys", 70_000), ("/v1/triage/batch", 4 * 1024 * 1024 + 10)])
def test_a_body_past_the_size_limit_is_413(client, url, size):
    response = client.post(url, data=b"{" + b" " * size + b"}", content_type="application/json")
    assert response.status_code == 413
    assert_no_leaks(response)


def test_an_unknown_address_is_404_in_the_envelope(client):
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert_no_leaks(response)


def test_a_wrong_method_is_405_with_allow(client):
    response = client.put("/v1/keys")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert_no_leaks(response)


@pytest.mark.parametrize(("method", "url", "body"), [
    ("POST", "/v1/triage", make_issue(reference="A\x00B")),
    ("POST", "/v1/triage", make_issue(area="Blake\x00nall")),
    ("POST", "/v1/triage/batch", {"items": [make_issue(reference="A\x00B")]}),
    ("GET", "/v1/decisions?reference=A%00B", None),
    ("GET", "/v1/decisions?area=A%00B", None),
    ("GET", "/v1/decisions?flag=A%00B", None),
    ("GET", "/v1/decisions/A%00B", None),
    ("GET", "/v1/audit?action=A%00B", None),
    ("DELETE", "/v1/keys/A%00B", None),
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_nul_character_is_refused_not_a_server_error(client, method, url, body):
    response = client.open(url, method=method, json=body)
    assert response.status_code < 500, response.get_json()
