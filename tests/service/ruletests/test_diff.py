"""What candidate rules would change: recorded decisions and test cases replayed through both."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from service.rulebook import load_rulebook
from service.ruletests import load_cases
from service.ruletests.diff import diff_rules
from service.triage import TriageService
from tests.conftest import make_issue
from tests.service.rulebook.broken import CHANGED_CASE, copy_rules, raise_persistence_threshold
from tests.service.rulebook.test_loader import edit
from tests.service.rulesets.apps import persistent_for_three_months, triage

PREREQUISITE_MISSING = make_issue(reference="PREREQ-1", category="noise", first_reported="2026-07-15", reports_last_6_months=3)


@pytest.fixture
def recorded(client) -> dict:
    """Decisions recorded on the shipped rules, by reference: two that 4 months changes and one it does not."""
    issues = [persistent_for_three_months(reference="CLS-1"), PREREQUISITE_MISSING, make_issue(reference="QUIET-1")]
    return {issue["reference"]: triage(client, issue) for issue in issues}


def candidate(tmp_path, change=None) -> TriageService:
    """A service on a copy of the shipped rules, changed by ``change(directory)``."""
    directory = copy_rules(tmp_path, "candidate")
    if change:
        change(directory)
    return TriageService(load_rulebook(directory))


@pytest.fixture
def four_months(tmp_path) -> TriageService:
    """The shipped rules with persistence at 4 months."""
    return candidate(tmp_path, raise_persistence_threshold)


def diff(app, proposed: TriageService, since: date | None = None, database=True):
    """diff_rules from the app's live rules and decision log to ``proposed``."""
    return diff_rules(app.extensions["triage"], proposed, app.extensions["database"] if database else None, since)


def decision_changes(result) -> dict:
    """The changed recorded decisions, by reference."""
    return {change.reference: change for change in result.changes if change.source == "decision"}


# --- what changes -----------------------------------------------------------------------


def test_a_decision_the_change_does_not_touch_is_not_listed(app, recorded, four_months):
    assert "QUIET-1" not in decision_changes(diff(app, four_months))


def test_a_changed_routing_is_listed_as_live_then_candidate(app, recorded, four_months):
    assert decision_changes(diff(app, four_months))["CLS-1"].routing == ("community_led_solution", "cat")


def test_a_changed_decision_is_named_by_its_decision_id(app, recorded, four_months):
    assert decision_changes(diff(app, four_months))["CLS-1"].item == recorded["CLS-1"]["decision_id"]


def test_agencies_no_longer_involved_are_listed(app, recorded, four_months):
    assert decision_changes(diff(app, four_months))["CLS-1"].agencies_removed == ["Community Safety Partnership Support Officer (support)"]


def test_a_flag_only_change_keeps_the_routing_and_lists_the_flag(app, recorded, four_months):
    change = decision_changes(diff(app, four_months))["PREREQ-1"]
    assert (change.routing, change.flags_removed, change.flags_added) == (("cat", "cat"), ["cls_prerequisite_missing"], [])


def test_the_rules_responsible_are_listed(app, recorded, four_months):
    change = decision_changes(diff(app, four_months))["CLS-1"]
    assert (change.rules_no_longer_firing, change.rules_now_firing) == (["cls_recommended", "derived_persistent"], [])


def test_routings_flags_and_agencies_changed_are_counted(app, recorded, four_months):
    result = diff(app, four_months)  # CLS-1 and the shipped CLS case change routing and agencies; PREREQ-1 a flag
    assert (result.routings, result.flags, result.agencies) == (2, 1, 2)


def test_every_decision_and_every_candidate_case_is_replayed(app, recorded, four_months):
    cases = len(load_cases(four_months.live.book.directory).cases)
    assert diff(app, four_months).replayed == len(recorded) + cases


def test_the_candidate_test_cases_are_replayed_too(app, recorded, four_months):
    assert [c.item for c in diff(app, four_months).changes if c.source == "test case"] == [CHANGED_CASE]


def test_without_a_database_only_test_cases_are_replayed(app, recorded, four_months):
    assert {change.source for change in diff(app, four_months, database=False).changes} == {"test case"}


def test_identical_rules_change_nothing(app, recorded, tmp_path):
    assert diff(app, candidate(tmp_path)).changes == []


# --- replaying faithfully ---------------------------------------------------------------


def test_since_leaves_out_decisions_evaluated_before_it(app, recorded, four_months):
    with app.extensions["database"].engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET evaluated_at = '2020-01-01 00:00:00' WHERE reference = 'PREREQ-1'"))
    assert set(decision_changes(diff(app, four_months, since=date(2025, 1, 1)))) == {"CLS-1"}


def test_since_keeps_decisions_evaluated_that_day(app, recorded, four_months):
    today = datetime.now(UTC).date()
    assert set(decision_changes(diff(app, four_months, since=today))) == {"CLS-1", "PREREQ-1"}


def test_each_decision_is_replayed_with_its_own_history(app, client, tmp_path):
    unresolved = make_issue(reference="FLY-1", category="fly_tipping", local_actions=[
        {"action": "clearance", "agency": "Street Pride", "outcome": "not_resolved"}])
    decisions = [triage(client, unresolved) for _ in range(4)]  # the fourth follows three at the CAT
    later = candidate(tmp_path, lambda d: edit(d, "ruleset.yaml", "cat_meetings_before_escalation: 3", "cat_meetings_before_escalation: 4"))
    assert [c.item for c in diff(app, later).changes if c.source == "decision"] == [decisions[3]["decision_id"]]


def test_a_decision_the_candidate_cannot_take_is_reported_not_dropped(app, client, tmp_path):
    triage(client, make_issue(reference="OTHER-1", category="other"))

    def drop_other(directory):
        edit(directory, "ruleset.yaml", "  other: Other\n", "")
        edit(directory, "agencies.yaml", "  other:\n    lead: LNP Support Team\n    support: [Neighbourhood Police Team]\n", "")

    change = decision_changes(diff(app, candidate(tmp_path, drop_other)))["OTHER-1"]
    assert change.error.startswith("cannot replay:")
