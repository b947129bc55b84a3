"""The audit log: key changes and rule reloads, with who and when, read back by admins only."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest

from service.audit import list_events, record_event
from service.auth import create_key
from tests.conftest import RULES_DIR

from .auth.support import forget_keys, make_app


@pytest.fixture(autouse=True)
def _no_keys_from_other_tests(database_url):
    forget_keys(database_url)


def _events(client, query=""):
    response = client.get(f"/v1/audit{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _recent(at: str) -> bool:
    when = datetime.fromisoformat(at)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)  # see test_times_carry_their_utc_offset
    return abs(datetime.now(UTC) - when) < timedelta(minutes=5)


def test_key_creation_and_revocation_are_logged_with_who_and_when(client):
    client.post("/v1/keys", json={"name": "ecins-walsall", "role": "caller"})
    client.delete("/v1/keys/ecins-walsall")
    items = _events(client)["items"]
    revoked, created = items[0], items[1]
    assert (revoked["action"], revoked["target"], revoked["actor"]) == ("key.revoke", "ecins-walsall", "key:test-admin")
    assert (created["action"], created["target"], created["actor"]) == ("key.create", "ecins-walsall", "key:test-admin")
    assert created["details"] == {"role": "caller"}
    assert _recent(created["at"]) and _recent(revoked["at"])


def test_times_carry_their_utc_offset(client):
    client.post("/v1/keys", json={"name": "dated", "role": "caller"})
    client.delete("/v1/keys/dated")
    at = _events(client)["items"][0]["at"]
    assert datetime.fromisoformat(at).utcoffset() == timedelta(0)
    (key,) = [key for key in client.get("/v1/keys").get_json() if key["name"] == "dated"]
    assert datetime.fromisoformat(key["created_at"]).utcoffset() == timedelta(0)
    assert datetime.fromisoformat(key["revoked_at"]).utcoffset() == timedelta(0)


def test_the_key_itself_never_reaches_the_log(client):
    key = client.post("/v1/keys", json={"name": "secret", "role": "caller"}).get_json()["key"]
    assert key[4:] not in client.get("/v1/audit").get_data(as_text=True)


def test_a_successful_reload_is_logged_with_the_officer(client, client_as):
    officer = client_as("officer", "rules-officer")
    response = officer.post("/v1/rulesets/reload")
    assert response.status_code == 200, response.get_json()
    (event,) = _events(client, "?action=rules.reload")["items"]
    assert event["actor"] == "key:rules-officer"
    assert event["target"] == response.get_json()["version"]
    assert event["details"]["outcome"] == "loaded"
    assert event["details"]["previous_version"] == response.get_json()["previous_version"]
    assert _recent(event["at"])


@pytest.fixture
def editable_app(database_url, tmp_path):
    """An app on a private copy of the rules, to break before a reload."""
    rules = shutil.copytree(RULES_DIR, tmp_path / "rules")
    app = make_app(database_url, RULES_DIR=str(rules))
    app.rules_dir = rules
    yield app
    app.extensions["database"].dispose()


def test_a_refused_reload_is_logged_with_its_problems(editable_app):
    database = editable_app.extensions["database"]
    officer = {"Authorization": f"Bearer {create_key(database, 'careless-officer', 'officer', 'tests')}"}
    admin = {"Authorization": f"Bearer {create_key(database, 'auditor', 'admin', 'tests')}"}
    with open(editable_app.rules_dir / "ruleset.yaml", "a") as rules:
        rules.write("\nnot_a_section: 1\n")
    client = editable_app.test_client()
    response = client.post("/v1/rulesets/reload", headers=officer)
    assert response.status_code == 422
    (event,) = client.get("/v1/audit?action=rules.reload", headers=admin).get_json()["items"]
    assert event["actor"] == "key:careless-officer"
    assert event["details"]["outcome"] == "refused"
    assert any("not_a_section" in problem for problem in event["details"]["problems"])
    assert _recent(event["at"])


@pytest.mark.parametrize("role", ["caller", "officer", "chair"])
def test_only_admins_may_read_the_log(client_as, role):
    response = client_as(role).get("/v1/audit")
    assert response.status_code == 403


def test_pages_follow_next_before_newest_first_without_gaps_or_repeats(app, client):
    database = app.extensions["database"]
    for number in range(7):
        create_key(database, f"paged-{number}", "caller", "tests")
    seen, query = [], "?limit=3&action=key.create"
    while query:
        page = _events(client, query)
        assert len(page["items"]) <= 3
        seen += [event["target"] for event in page["items"]]
        query = f"?limit=3&action=key.create&before={page['next_before']}" if page["next_before"] else None
    assert seen == [f"paged-{number}" for number in reversed(range(7))] + ["test-admin"]


def test_the_last_page_has_no_next_before(client):
    page = _events(client, "?limit=200")
    assert page["next_before"] is None


def test_the_action_filter_picks_only_that_action(client):
    client.post("/v1/keys", json={"name": "filtered", "role": "caller"})
    client.delete("/v1/keys/filtered")
    items = _events(client, "?action=key.revoke")["items"]
    assert [(event["action"], event["target"]) for event in items] == [("key.revoke", "filtered")]


def test_events_commit_with_the_change_they_record(app):
    database = app.extensions["database"]
    with pytest.raises(RuntimeError), database.transaction() as session:
        record_event(session, "tests", "key.create", "rolled-back")
        raise RuntimeError("the change failed")
    assert list_events(database, "key.create", 10, None)["items"] == []


def test_a_long_target_is_cut_to_fit(app):
    database = app.extensions["database"]
    with database.transaction() as session:
        record_event(session, "tests", "rules.reload", "x" * 500, note="long")
    (event,) = list_events(database, "rules.reload", 10, None)["items"]
    assert event["target"] == "x" * 200
    assert event["details"] == {"note": "long"}
