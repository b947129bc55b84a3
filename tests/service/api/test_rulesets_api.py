"""/v1/rulesets: the active rules, validating files without loading, and reload without a restart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.rulebook import check_directory, load_rulebook
from service.rulebook.explain import describe
from tests.conftest import RULES_DIR, make_issue
from tests.service.rulebook.broken import (
    BROKEN,
    BROKEN_IDS,
    CHANGED_CASE,
    NEVER_FIRES,
    UNKNOWN_FACT,
    changed_case_line,
    raise_persistence_threshold,
    update_changed_case,
)
from tests.service.rulebook.test_loader import append, line_of, texts_of
from tests.service.rulesets.apps import admin_client, persistent_for_three_months, triage

ACTIVE, VALIDATE, RELOAD = "/v1/rulesets/active", "/v1/rulesets/validate", "/v1/rulesets/reload"
RAW_OPERATORS = ("==", "!=", ">=", "<=", " > ", " < ")


@pytest.fixture
def live_copy(app_on, rules_copy):
    """A client of an app serving the copy, which the test then edits and reloads."""
    return admin_client(app_on(rules_copy))


def files_of(directory) -> dict:
    """The rule files of a directory as a validate request body."""
    return {"files": {name: data.decode() for name, data in texts_of(directory).items()}}


def active_version(client) -> str:
    """The version GET /v1/rulesets/active names."""
    return client.get(ACTIVE).get_json()["version"]


# --- GET /v1/rulesets/active --------------------------------------------------------------


@pytest.fixture
def active(client) -> dict:
    """The active rule set of the app on the shipped rules."""
    response = client.get(ACTIVE)
    assert response.status_code == 200
    return response.get_json()


def test_active_names_the_ruleset(active, book):
    assert active["name"] == book.name == "community-safety-triage"


def test_active_gives_the_version_hash(active, book):
    assert active["version"] == book.version


def test_active_gives_an_aware_loaded_at_in_the_past(active):
    loaded_at = datetime.fromisoformat(active["loaded_at"])
    assert loaded_at.tzinfo is not None and loaded_at <= datetime.now(UTC)


def test_active_lists_every_rule_but_derived_facts_in_book_order(active, book):
    assert [rule["id"] for rule in active["rules"]] == [rule.id for rule in book.rules if rule.kind != "derived"]


def test_active_gives_each_rule_its_description(active, book):
    descriptions = {rule.id: rule.description for rule in book.rules}
    assert all(rule["description"] == descriptions[rule["id"]] for rule in active["rules"])


def test_active_gives_each_rule_its_conditions_in_plain_english(active, book):
    conditions = {rule.id: describe(rule.when) for rule in book.rules}
    assert all(rule["conditions"] == conditions[rule["id"]] for rule in active["rules"])


def test_active_conditions_use_words_not_operators(active):
    assert [rule["id"] for rule in active["rules"] if any(op in rule["conditions"] for op in RAW_OPERATORS)] == []


def test_active_conditions_read_as_sentences(active):
    rule = next(rule for rule in active["rules"] if rule["id"] == "cat_cls_prerequisite_missing")
    assert rule["conditions"] == "persistent and not raised at the Neighbourhood Action Panel and not raised at the Joint Action Group"


def test_active_says_where_each_rule_is_written(active):
    rule = next(rule for rule in active["rules"] if rule["id"] == "cls_jag_endorsed")
    assert rule["source"] == f"routing.yaml:{line_of(RULES_DIR, 'routing.yaml', 'id: cls_jag_endorsed')}"


def test_active_explains_the_derived_facts(active):
    assert active["derived_facts"] == {"persistent": "months_ongoing is at least 3 and reports_last_6_months is at least 3"}


def test_active_gives_the_parameters(active):
    assert active["parameters"]["persistent_min_months"] == 3


# --- POST /v1/rulesets/validate -----------------------------------------------------------


def test_validate_passes_the_shipped_files_and_gives_their_version(client, book):
    body = client.post(VALIDATE, json=files_of(RULES_DIR)).get_json()
    assert (body["valid"], body["errors"], body["version"], body["problems"]) == (True, 0, book.version, [])


def test_validate_refuses_a_broken_file(client, rules_copy):
    UNKNOWN_FACT.apply(rules_copy)
    body = client.post(VALIDATE, json=files_of(rules_copy)).get_json()
    assert (body["valid"], body["version"]) == (False, None)


@pytest.mark.parametrize("broken", BROKEN, ids=BROKEN_IDS)
def test_validate_gives_the_same_problems_as_rules_check(client, rules_copy, broken):
    broken.apply(rules_copy)
    body = client.post(VALIDATE, json=files_of(rules_copy)).get_json()
    assert [problem["text"] for problem in body["problems"]] == [str(problem) for problem in check_directory(rules_copy)]


def test_validate_gives_each_problem_in_parts(client, rules_copy):
    broken = UNKNOWN_FACT
    broken.apply(rules_copy)
    (problem,) = client.post(VALIDATE, json=files_of(rules_copy)).get_json()["problems"]
    line = line_of(rules_copy, broken.file, broken.needle)
    assert (problem["file"], problem["line"], problem["rule"], problem["severity"]) == (broken.file, line, broken.rule, "error")


def test_validate_passes_files_with_only_warnings_and_lists_them(client, rules_copy):
    append(rules_copy, "flags.yaml", NEVER_FIRES)
    body = client.post(VALIDATE, json=files_of(rules_copy)).get_json()
    assert (body["valid"], body["warnings"], [p["severity"] for p in body["problems"]]) == (True, 1, ["warning"])


def test_validate_does_not_load_the_files(client, rules_copy, book):
    raise_persistence_threshold(rules_copy)
    client.post(VALIDATE, json=files_of(rules_copy))
    assert active_version(client) == book.version


@pytest.mark.parametrize("body", [
    {},
    {"files": {}},
    {"files": "ruleset:\n  name: x\n"},
    {"files": {"rules.txt": "ruleset: {}\n"}},
    {"files": {"../ruleset.yaml": "ruleset: {}\n"}},
    {"files": {"ruleset.yaml": "ruleset: {}\n"}, "dir": "/etc"},
], ids=["no files", "empty files", "files not a mapping", "not a yaml name", "a path", "an unknown key"])
def test_validate_refuses_a_body_that_is_not_a_set_of_yaml_files(client, body):
    response = client.post(VALIDATE, json=body)
    assert (response.status_code, sorted(response.get_json()["errors"])) == (422, ["json"])


def test_validate_names_the_bad_file_name(client):
    response = client.post(VALIDATE, json={"files": {"rules.txt": "ruleset: {}\n"}})
    assert response.get_json()["errors"]["json"]["files"] == ["File names must be plain *.yaml names: rules.txt."]


# --- the walkthrough: reload, and new decisions carry the new version --------------------------


@pytest.fixture
def reloaded(live_copy, rules_copy):
    """The app on the copy after persistence went to 4 months and the copy was reloaded."""
    raise_persistence_threshold(rules_copy)
    update_changed_case(rules_copy)
    response = live_copy.post(RELOAD)
    assert response.status_code == 200, response.get_json()
    return live_copy


def test_walkthrough_5_reload_returns_the_new_version(live_copy, rules_copy, book):
    raise_persistence_threshold(rules_copy)
    update_changed_case(rules_copy)
    body = live_copy.post(RELOAD).get_json()
    assert body == {"loaded": True, "version": load_rulebook(rules_copy).version, "previous_version": book.version}


def test_walkthrough_5_reload_makes_the_new_version_active(reloaded, rules_copy):
    assert active_version(reloaded) == load_rulebook(rules_copy).version


def test_walkthrough_6_a_new_decision_carries_the_new_version(reloaded, rules_copy):
    decision = triage(reloaded, make_issue())
    assert decision["ruleset"] == {"name": "community-safety-triage", "version": load_rulebook(rules_copy).version}


def test_walkthrough_6_a_new_decision_follows_the_new_threshold(reloaded):
    assert triage(reloaded, persistent_for_three_months())["routing"] == "cat"


def test_walkthrough_7_the_stored_record_carries_the_new_version(reloaded, rules_copy):
    decision = triage(reloaded, make_issue())
    stored = reloaded.get(f"/v1/decisions/{decision['decision_id']}").get_json()
    assert stored["ruleset"]["version"] == load_rulebook(rules_copy).version


def test_a_decision_before_the_reload_keeps_the_old_version(live_copy, rules_copy, book):
    before = triage(live_copy, make_issue())
    raise_persistence_threshold(rules_copy)
    update_changed_case(rules_copy)
    live_copy.post(RELOAD)
    assert live_copy.get(f"/v1/decisions/{before['decision_id']}").get_json()["ruleset"]["version"] == book.version


def test_a_reload_of_unchanged_files_keeps_the_version(client, book):
    assert client.post(RELOAD).get_json() == {"loaded": True, "version": book.version, "previous_version": book.version}


# --- a refused reload leaves the old version live --------------------------------------------


@pytest.mark.parametrize("broken", BROKEN, ids=BROKEN_IDS)
def test_a_reload_of_broken_files_is_422_with_the_problem(live_copy, rules_copy, broken):
    broken.apply(rules_copy)
    response = live_copy.post(RELOAD)
    assert response.status_code == 422
    prefix = broken.prefix(rules_copy)
    assert [text for text in response.get_json()["errors"]["rules"] if text.startswith(prefix) and broken.message in text]


@pytest.mark.parametrize("broken", BROKEN, ids=BROKEN_IDS)
def test_a_reload_of_broken_files_keeps_the_old_version_active(live_copy, rules_copy, broken, book):
    broken.apply(rules_copy)
    live_copy.post(RELOAD)
    assert active_version(live_copy) == book.version


@pytest.mark.parametrize("broken", BROKEN, ids=BROKEN_IDS)
def test_a_reload_of_broken_files_keeps_deciding_on_the_old_version(live_copy, rules_copy, broken, book):
    broken.apply(rules_copy)
    live_copy.post(RELOAD)
    decision = triage(live_copy, make_issue())
    stored = live_copy.get(f"/v1/decisions/{decision['decision_id']}").get_json()
    assert (decision["ruleset"]["version"], stored["ruleset"]["version"]) == (book.version, book.version)


def test_a_refused_reload_says_which_version_stays_live(live_copy, rules_copy, book):
    UNKNOWN_FACT.apply(rules_copy)
    assert live_copy.post(RELOAD).get_json()["message"] == f"The rules were not reloaded; version {book.version} stays live."


@pytest.fixture
def failing_cases(live_copy, rules_copy):
    """The copy at 4 months with its test cases not updated: valid rules whose cases fail."""
    raise_persistence_threshold(rules_copy)
    return live_copy


def test_a_reload_whose_test_cases_fail_is_422(failing_cases):
    assert failing_cases.post(RELOAD).status_code == 422


def test_a_reload_whose_test_cases_fail_lists_each_failure(failing_cases, rules_copy):
    tests = failing_cases.post(RELOAD).get_json()["errors"]["tests"]
    assert len(tests) == 1
    assert tests[0].startswith(f"tests/routing_test.yaml:{changed_case_line(rules_copy)}: {CHANGED_CASE}: "
                               "routing expected 'community_led_solution', got 'cat'")


def test_a_reload_whose_test_cases_fail_keeps_the_old_version_active(failing_cases, book):
    failing_cases.post(RELOAD)
    assert active_version(failing_cases) == book.version


def test_a_reload_whose_test_cases_fail_keeps_the_old_rules_deciding(failing_cases, book):
    failing_cases.post(RELOAD)
    decision = triage(failing_cases, persistent_for_three_months())
    assert (decision["routing"], decision["ruleset"]["version"]) == ("community_led_solution", book.version)


def test_a_reload_with_a_broken_case_file_is_refused(live_copy, rules_copy, book):
    (rules_copy / "tests" / "extra_test.yaml").write_text("cases: [\n")
    response = live_copy.post(RELOAD)
    assert (response.status_code, active_version(live_copy)) == (422, book.version)
    assert [text for text in response.get_json()["errors"]["rules"] if text.startswith("tests/extra_test.yaml:")]
