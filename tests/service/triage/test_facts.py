"""Fact derivation: whole months, counts, text facts and the as_of check."""

from datetime import date

import pytest

from service.triage import InvalidRequest
from service.triage.facts import derive_facts, whole_months
from tests.conftest import AS_OF, make_request


def action(outcome: str) -> dict:
    """A local action with the given outcome."""
    return {"action": "patrols", "agency": "Neighbourhood Police Team", "outcome": outcome}


# --- whole_months -------------------------------------------------------------


def test_same_day_is_zero_months():
    assert whole_months(date(2026, 5, 10), date(2026, 5, 10)) == 0


def test_under_a_month_is_zero():
    assert whole_months(date(2026, 5, 10), date(2026, 6, 9)) == 0


def test_same_day_next_month_is_one_month():
    assert whole_months(date(2026, 5, 10), date(2026, 6, 10)) == 1


def test_day_before_the_anniversary_is_one_month_short():
    assert whole_months(date(2026, 2, 10), date(2026, 5, 9)) == 2


def test_the_anniversary_completes_the_month():
    assert whole_months(date(2026, 2, 10), date(2026, 5, 10)) == 3


def test_months_count_across_a_year_end():
    assert whole_months(date(2025, 11, 20), date(2026, 2, 20)) == 3


def test_a_whole_year_is_twelve_months():
    assert whole_months(date(2025, 3, 1), date(2026, 3, 1)) == 12


def test_start_after_end_is_zero_not_negative():
    assert whole_months(date(2026, 6, 1), date(2026, 3, 1)) == 0


def test_month_end_to_a_longer_month_end_is_whole_months():
    assert whole_months(date(2026, 1, 31), date(2026, 3, 31)) == 2


def test_month_end_day_before_is_one_short():
    assert whole_months(date(2026, 1, 31), date(2026, 3, 30)) == 1


def test_first_of_month_to_end_of_month_is_under_a_month():
    assert whole_months(date(2026, 2, 1), date(2026, 2, 28)) == 0


def test_leap_day_to_leap_day_the_next_month():
    assert whole_months(date(2024, 2, 29), date(2024, 3, 29)) == 1


def test_february_28_to_leap_day_a_year_later_is_twelve_months():
    assert whole_months(date(2023, 2, 28), date(2024, 2, 29)) == 12


def test_january_29_to_february_28_in_a_leap_year_is_under_a_month():
    assert whole_months(date(2024, 1, 29), date(2024, 2, 28)) == 0


def test_month_end_to_a_shorter_month_end_is_a_whole_month():
    assert whole_months(date(2026, 1, 31), date(2026, 2, 28)) == 1


def test_month_end_to_leap_february_end_is_a_whole_month():
    assert whole_months(date(2024, 1, 31), date(2024, 2, 29)) == 1


def test_leap_day_to_february_28_a_year_later_is_twelve_months():
    assert whole_months(date(2024, 2, 29), date(2025, 2, 28)) == 12


def test_november_30_to_february_28_is_three_months():
    assert whole_months(date(2025, 11, 30), date(2026, 2, 28)) == 3


# --- derive_facts: months and counts -------------------------------------------


def test_months_ongoing_is_measured_to_as_of(book):
    facts = derive_facts(make_request(first_reported=date(2026, 7, 1)), book, AS_OF)
    assert facts["months_ongoing"] == 4


def test_as_of_is_recorded_in_the_facts(book):
    facts = derive_facts(make_request(), book, date(2026, 12, 25))
    assert facts["as_of"] == "2026-12-25"


def test_first_reported_on_as_of_is_allowed(book):
    facts = derive_facts(make_request(first_reported=AS_OF), book, AS_OF)
    assert facts["months_ongoing"] == 0


def test_first_reported_after_as_of_is_an_invalid_request(book):
    with pytest.raises(InvalidRequest) as raised:
        derive_facts(make_request(first_reported=date(2026, 11, 2)), book, AS_OF)
    assert raised.value.field == "first_reported"


def test_unavailable_resources_are_counted(book):
    resources = [
        {"name": "domehawk camera", "available_locally": False},
        {"name": "leaflets", "available_locally": True},
        {"name": "dispersal order", "available_locally": False},
    ]
    facts = derive_facts(make_request(resources_requested=resources), book, AS_OF)
    assert (facts["resources_requested_count"], facts["resources_unavailable_count"]) == (3, 2)


def test_locally_available_resources_are_not_unavailable(book):
    resources = [{"name": "leaflets", "available_locally": True}]
    facts = derive_facts(make_request(resources_requested=resources), book, AS_OF)
    assert facts["resources_unavailable_count"] == 0


def test_not_resolved_and_partly_resolved_actions_count_as_unresolved(book):
    actions = [action("not_resolved"), action("partly_resolved"), action("resolved"), action("in_progress")]
    facts = derive_facts(make_request(local_actions=actions), book, AS_OF)
    assert facts["local_actions_unresolved_count"] == 2


def test_in_progress_actions_are_counted(book):
    actions = [action("in_progress"), action("in_progress"), action("resolved")]
    facts = derive_facts(make_request(local_actions=actions), book, AS_OF)
    assert facts["local_actions_in_progress_count"] == 2


def test_resolved_actions_are_counted(book):
    actions = [action("resolved"), action("not_resolved")]
    facts = derive_facts(make_request(local_actions=actions), book, AS_OF)
    assert facts["local_actions_resolved_count"] == 1


def test_every_local_action_is_counted(book):
    actions = [action("resolved"), action("not_resolved"), action("in_progress")]
    facts = derive_facts(make_request(local_actions=actions), book, AS_OF)
    assert facts["local_actions_count"] == 3


def test_other_areas_are_counted(book):
    facts = derive_facts(make_request(other_areas_affected=["Birchills", "Leamore"]), book, AS_OF)
    assert facts["other_areas_count"] == 2


def test_a_quiet_issue_has_zero_counts(book):
    facts = derive_facts(make_request(), book, AS_OF)
    counted = [name for name in facts if name.endswith("_count")]
    assert counted and all(facts[name] == 0 for name in counted)


def test_missing_nap_priority_rank_becomes_zero(book):
    facts = derive_facts(make_request(nap_priority_rank=None), book, AS_OF)
    assert facts["nap_priority_rank"] == 0


def test_nap_priority_rank_is_passed_through(book):
    facts = derive_facts(make_request(nap_priority_rank=2), book, AS_OF)
    assert facts["nap_priority_rank"] == 2


# --- derive_facts: text facts ---------------------------------------------------


def test_category_label_comes_from_the_rule_files(book):
    facts = derive_facts(make_request(category="fly_tipping"), book, AS_OF)
    assert facts["category_label"] == book.categories["fly_tipping"]


def test_no_other_areas_is_empty_text(book):
    assert derive_facts(make_request(), book, AS_OF)["other_areas"] == ""


def test_one_other_area_is_its_name(book):
    facts = derive_facts(make_request(other_areas_affected=["Birchills"]), book, AS_OF)
    assert facts["other_areas"] == "Birchills"


def test_two_other_areas_are_joined_with_and(book):
    facts = derive_facts(make_request(other_areas_affected=["Birchills", "Leamore"]), book, AS_OF)
    assert facts["other_areas"] == "Birchills and Leamore"


def test_three_other_areas_are_joined_with_commas_and_and(book):
    facts = derive_facts(make_request(other_areas_affected=["Birchills", "Leamore", "Pleck"]), book, AS_OF)
    assert facts["other_areas"] == "Birchills, Leamore and Pleck"


def test_unavailable_resources_are_named_in_english(book):
    resources = [
        {"name": "domehawk camera", "available_locally": False},
        {"name": "leaflets", "available_locally": True},
        {"name": "dispersal order", "available_locally": False},
    ]
    facts = derive_facts(make_request(resources_requested=resources), book, AS_OF)
    assert facts["resources_unavailable"] == "domehawk camera and dispersal order"
