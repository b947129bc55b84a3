"""Putting rule versions live: publish at start-up, reload, and every app on the database following."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from service.db import ChainHead, RulesetVersion
from service.rulebook import load_rulebook
from tests.conftest import RULES_DIR, make_issue
from tests.service.rulebook.broken import UNKNOWN_FACT, copy_rules, raise_persistence_threshold, update_changed_case
from tests.service.rulebook.test_loader import edit
from tests.service.rulesets.apps import admin_client, persistent_for_three_months, triage


def go_to_four_months(directory):
    """Persistence at 4 months, with the test cases brought up to date: valid, and passing."""
    raise_persistence_threshold(directory)
    update_changed_case(directory)
    return directory


@pytest.fixture
def app_a(app_on, rules_copy):
    """An app serving the copy, started before the test edits it."""
    return app_on(rules_copy)


@pytest.fixture
def apps(app_on, rules_copy):
    """App A serving the copy and app B serving rules/, both on one database (two workers, in effect)."""
    return app_on(rules_copy), app_on(RULES_DIR)


def head_version(app) -> str:
    """The version the database names live."""
    with app.extensions["database"].reading() as session:
        return session.execute(select(ChainHead.ruleset_version)).scalar_one()


def stored_files(app, version: str) -> dict | None:
    """The rule files stored for a version, or None."""
    with app.extensions["database"].reading() as session:
        stored = session.get(RulesetVersion, version)
        return json.loads(stored.files_json) if stored else None


# --- publish and reload in one app ------------------------------------------------------


def test_start_up_names_the_loaded_version_live_in_the_database(app, book):
    assert head_version(app) == book.version


def test_start_up_stores_the_loaded_files(app, book):
    assert stored_files(app, book.version) == {name: data.decode() for name, data in book.files.items()}


def test_a_reload_returns_the_new_and_previous_versions(app_a, rules_copy, book):
    go_to_four_months(rules_copy)
    result = app_a.extensions["rulesets"].reload("tests")
    assert (result.loaded, result.version, result.previous_version) == (True, load_rulebook(rules_copy).version, book.version)


def test_a_reload_names_the_new_version_live_in_the_database(app_a, rules_copy):
    go_to_four_months(rules_copy)
    app_a.extensions["rulesets"].reload("tests")
    assert head_version(app_a) == load_rulebook(rules_copy).version


def test_a_reload_stores_the_new_files(app_a, rules_copy):
    go_to_four_months(rules_copy)
    app_a.extensions["rulesets"].reload("tests")
    assert stored_files(app_a, load_rulebook(rules_copy).version)["ruleset.yaml"] == (rules_copy / "ruleset.yaml").read_text()


def test_a_refused_reload_reports_the_problems_and_keeps_the_version(app_a, rules_copy, book):
    UNKNOWN_FACT.apply(rules_copy)
    result = app_a.extensions["rulesets"].reload("tests")
    assert (result.loaded, result.version, result.previous_version) == (False, book.version, book.version)
    assert [problem for problem in result.problems if UNKNOWN_FACT.message in problem]


def test_a_refused_reload_leaves_the_database_naming_the_old_version(app_a, rules_copy, book):
    raise_persistence_threshold(rules_copy)  # valid, but a shipped case now fails
    app_a.extensions["rulesets"].reload("tests")
    assert head_version(app_a) == book.version


def test_sync_does_nothing_when_the_database_names_this_version(app):
    manager, live = app.extensions["rulesets"], app.extensions["triage"].live
    with app.extensions["database"].transaction() as session:
        manager.sync(session, session.get(ChainHead, 1))
    assert app.extensions["triage"].live is live


# --- a second app on the same database follows without reloading --------------------------------


def reload_in(app):
    """Reload through the API of ``app``; it must succeed."""
    response = admin_client(app).post("/v1/rulesets/reload")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["version"]


def test_the_other_apps_next_decision_uses_the_version_reloaded_in_the_first(apps, rules_copy):
    a, b = apps
    go_to_four_months(rules_copy)
    version = reload_in(a)
    assert triage(admin_client(b), make_issue())["ruleset"]["version"] == version


def test_the_other_apps_decision_is_recorded_with_that_version(apps, rules_copy):
    a, b = apps
    go_to_four_months(rules_copy)
    version = reload_in(a)
    client = admin_client(b)
    decision = triage(client, make_issue())
    assert client.get(f"/v1/decisions/{decision['decision_id']}").get_json()["ruleset"]["version"] == version


def test_the_other_app_decides_by_the_reloaded_rules(apps, rules_copy):
    a, b = apps
    go_to_four_months(rules_copy)
    reload_in(a)
    assert triage(admin_client(b), persistent_for_three_months())["routing"] == "cat"


def test_a_refused_reload_in_the_first_app_leaves_the_other_on_the_old_version(apps, rules_copy, book):
    a, b = apps
    UNKNOWN_FACT.apply(rules_copy)
    admin_client(a).post("/v1/rulesets/reload")
    assert triage(admin_client(b), make_issue())["ruleset"]["version"] == book.version


def test_the_other_app_follows_a_reload_back_to_the_old_rules(apps, rules_copy, book):
    a, b = apps
    go_to_four_months(rules_copy)
    reload_in(a)
    client = admin_client(b)
    triage(client, make_issue())
    edit(rules_copy, "ruleset.yaml", "persistent_min_months: 4", "persistent_min_months: 3")
    (rules_copy / "tests" / "routing_test.yaml").write_text((RULES_DIR / "tests" / "routing_test.yaml").read_text())
    reload_in(a)
    assert triage(client, make_issue())["ruleset"]["version"] == book.version


def test_the_other_apps_active_rules_show_the_reloaded_version(apps, rules_copy):
    a, b = apps
    go_to_four_months(rules_copy)
    version = reload_in(a)
    assert admin_client(b).get("/v1/rulesets/active").get_json()["version"] == version


def test_a_refused_reload_in_the_other_app_names_the_version_really_live(app_on, app_a, rules_copy, tmp_path):
    other_copy = copy_rules(tmp_path, "other")
    b = app_on(other_copy)
    go_to_four_months(rules_copy)
    version = reload_in(app_a)
    UNKNOWN_FACT.apply(other_copy)
    refused = b.extensions["rulesets"].reload("tests")
    assert (refused.loaded, refused.version) == (False, version)


def test_the_other_app_accepts_a_category_the_reload_added(apps, rules_copy):
    a, b = apps
    edit(rules_copy, "ruleset.yaml", "  other: Other\n", "  other: Other\n  knife_crime: Knife crime\n")
    edit(rules_copy, "agencies.yaml", "agency_table:\n", "agency_table:\n  knife_crime:\n    lead: Neighbourhood Police Team\n")
    version = reload_in(a)
    response = admin_client(b).post("/v1/triage", json=make_issue(category="knife_crime"))
    assert (response.status_code, response.get_json().get("ruleset", {}).get("version")) == (200, version)
