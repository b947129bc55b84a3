"""Near misses: each route that did not hold, with the first condition that kept it out."""

from __future__ import annotations

from datetime import date

from tests.conftest import NOW, make_request


def _misses(triage_service, **overrides) -> dict:
    decision = triage_service.decide(make_request(**overrides), NOW)
    return {miss["routing"]: miss for miss in decision["not_chosen"]}


def test_a_plain_cat_issue_explains_both_other_routes(triage_service):
    misses = _misses(triage_service)
    assert set(misses) == {"borough_tasking", "community_led_solution"}
    assert misses["borough_tasking"]["rule"] == "bt_resource_not_available_locally"
    assert "resources_unavailable_count is 0" in misses["borough_tasking"]["text"]
    assert "persistent does not hold" in misses["community_led_solution"]["text"]
    assert "months_ongoing is 0" in misses["community_led_solution"]["text"]


def test_a_persistent_issue_not_raised_says_so(triage_service):
    misses = _misses(triage_service, first_reported=date(2026, 5, 1), reports_last_6_months=4)
    text = misses["community_led_solution"]["text"]
    assert text.startswith("Community Led Solution group not recommended: ")
    assert "raised at the Neighbourhood Action Panel or raised at the Joint Action Group" in text


def test_nobody_willing_to_lead_is_the_near_miss_once_raised(triage_service):
    misses = _misses(triage_service, first_reported=date(2026, 5, 1), reports_last_6_months=4, raised_at_nap=True)
    assert misses["community_led_solution"]["text"].endswith("no residents are ready to take the lead")


def test_a_jag_decline_names_the_decision_needed(triage_service):
    misses = _misses(triage_service, first_reported=date(2026, 5, 1), reports_last_6_months=4, raised_at_jag=True,
                     jag_cls_decision="declined", residents_willing_to_lead=True)
    assert "jag_cls_decision is declined, but the rule needs it to be endorsed" in misses["community_led_solution"]["text"]


def test_the_cat_is_not_chosen_when_a_higher_route_wins(triage_service):
    misses = _misses(triage_service, cat_requests_escalation=True)
    assert misses["cat"]["rule"] is None
    assert misses["cat"]["text"] == "Community Action Tasking (CAT) not chosen: Borough Tasking Group takes precedence"


def test_routes_that_held_are_in_also_recommended_not_near_misses(triage_service):
    decision = triage_service.decide(make_request(
        first_reported=date(2026, 5, 1), reports_last_6_months=4, raised_at_nap=True, residents_willing_to_lead=True,
        cat_requests_escalation=True), NOW)
    assert [route["routing"] for route in decision["also_recommended"]] == ["community_led_solution"]
    assert [miss["routing"] for miss in decision["not_chosen"]] == ["cat"]
