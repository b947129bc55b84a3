"""The LNP progress report and rule feedback, checked against decisions with known areas, months and reviews."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service.reviews import review_decision
from service.reviews.reports import COLUMNS, area_report, rule_feedback
from tests.service.web.support import KNOWN_REPORT, OVERRIDE_REASON, RESOURCE, expected_rule_feedback, seed_known_decisions


@pytest.fixture
def known(database, recorded):
    """KNOWN_DECISIONS recorded and reviewed; the decisions by reference."""
    return seed_known_decisions(recorded, database)


def test_the_area_report_counts_each_area_and_month_exactly(database, known):
    assert area_report(database) == KNOWN_REPORT


def test_every_report_row_has_the_csv_columns_in_order(database, known):
    assert all(tuple(row) == COLUMNS for row in area_report(database))


def test_an_empty_log_has_an_empty_report(database):
    assert area_report(database) == []


def test_reviewing_twice_counts_the_decision_once(database, recorded):
    decision = recorded(**RESOURCE)
    for _ in range(3):
        review_decision(database, decision["decision_id"], "jag.chair", "override", routing="cat", reason=OVERRIDE_REASON)
    (row,) = area_report(database)
    assert (row["triaged"], row["reviewed"], row["overridden"]) == (1, 1, 1)


def test_the_routing_columns_count_the_recommendation_even_after_an_override(database, recorded):
    decision = recorded()
    review_decision(database, decision["decision_id"], "jag.chair", "override", routing="borough_tasking",
                    reason=OVERRIDE_REASON)
    (row,) = area_report(database)
    assert (row["cat"], row["borough_tasking"], row["overridden"]) == (1, 0, 1)


def test_months_follow_the_service_timezone_like_as_of(database, recorded):
    decision = recorded(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), as_of=None, first_reported=date(2026, 6, 1))
    assert decision["as_of"] == "2026-07-01"
    assert [row["month"] for row in area_report(database)] == ["2026-07"]


def test_rule_feedback_counts_fired_drove_reviewed_and_overridden(database, known):
    rows = {row.pop("rule"): row for row in rule_feedback(database)}
    rates = {rule: row.pop("override_rate") for rule, row in rows.items()}
    assert rows == expected_rule_feedback(known)
    assert rows["bt_resource_not_available_locally"] == {"fired": 1, "drove": 1, "reviewed": 1, "overridden": 1}
    assert rows["cat_local_issue"] == {"fired": 8, "drove": 5, "reviewed": 4, "overridden": 1}
    assert (rates["bt_resource_not_available_locally"], rates["cat_local_issue"], rates["cls_jag_endorsed"]) == (1.0, 0.25, 0.0)


def test_rule_feedback_lists_the_most_overridden_rules_first(database, known):
    rules = [row["rule"] for row in rule_feedback(database)]
    assert rules[:2] == ["bt_resource_not_available_locally", "cat_local_issue"]
    assert rules[2:] == sorted(rules[2:])


def test_rule_feedback_is_empty_without_decisions(database):
    assert rule_feedback(database) == []
