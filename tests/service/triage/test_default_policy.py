"""The default policy in rules/: each rule fires when it should and not otherwise.

Every issue here starts from make_request() (a quiet, local graffiti report) and
is decided at NOW, with as_of 2026-11-01.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.conftest import NOW, make_request

PERSISTENT = {"first_reported": date(2026, 8, 1), "reports_last_6_months": 3}  # 3 months, 3 reports
CLS_READY = {**PERSISTENT, "raised_at_nap": True, "residents_willing_to_lead": True}
DOMEHAWK = [{"name": "domehawk camera", "available_locally": False}]
CSP_OFFICER = "Community Safety Partnership Support Officer"
JAG_CONFIRM = "Ask the JAG to confirm a Community Led Solution group"
POLICE = "Neighbourhood Police Team"

CANONICAL_AGENCIES = {
    "Neighbourhood Police Team", "Anti-Social Behaviour Unit", "Housing Association", "Youth Service",
    "Street Pride", "Green Spaces", "LNP Support Team", "Engineering and Transportation", "Fire Service",
    "Environmental Health", "Trading Standards", "Licensing", CSP_OFFICER,
}

LEADS = {
    "anti_social_behaviour": POLICE,
    "youth_nuisance": POLICE,
    "graffiti": "Street Pride",
    "fly_tipping": "Street Pride",
    "litter": "Street Pride",
    "drug_dealing": POLICE,
    "street_drinking": POLICE,
    "noise": "Environmental Health",
    "abandoned_vehicle": "Street Pride",
    "deliberate_fire": "Fire Service",
    "street_lighting": "Engineering and Transportation",
    "overgrown_vegetation": "Green Spaces",
    "dog_fouling": "Street Pride",
    "speeding": "Engineering and Transportation",
    "parking": "Engineering and Transportation",
    "underage_sales": "Trading Standards",
    "hate_incident": POLICE,
    "criminal_damage": POLICE,
    "vehicle_nuisance": POLICE,
    "other": "LNP Support Team",
}

SCENARIOS = {
    "quiet": {},
    "resource": {"resources_requested": DOMEHAWK},
    "other_areas": {"other_areas_affected": ["Birchills"]},
    "escalation": {"cat_requests_escalation": True},
    "cls_endorsed": {**CLS_READY, "jag_cls_decision": "endorsed"},
    "cls_recommended": CLS_READY,
    "prerequisite_missing": PERSISTENT,
    "jag_declined": {**CLS_READY, "jag_cls_decision": "declined"},
    "no_resident_lead": {**CLS_READY, "residents_willing_to_lead": False},
    "every_flag": {"reports_last_6_months": 5, "hate_motivated": True, "vulnerable_victim": True,
                   "high_crime_area": True, "other_areas_affected": ["Pleck"]},
}


def rules_of(items: list[dict]) -> list[str]:
    """The rule ids of a decision's reasons."""
    return [item["rule"] for item in items]


def flag_codes(decision: dict) -> list[str]:
    """The codes of a decision's flags."""
    return [flag["code"] for flag in decision["flags"]]


def agency(decision: dict, name: str) -> dict | None:
    """The named agency in a decision, if it is there."""
    return next((a for a in decision["agencies"] if a["name"] == name), None)


def also(decision: dict) -> list[str]:
    """The route codes also recommended."""
    return [alt["routing"] for alt in decision["also_recommended"]]


# --- Borough Tasking Group ------------------------------------------------------


def test_an_unavailable_resource_goes_to_borough_tasking(decide):
    assert decide(resources_requested=DOMEHAWK)["routing"] == "borough_tasking"


def test_the_resource_reason_names_the_resource(decide):
    decision = decide(resources_requested=DOMEHAWK)
    reason = next(r for r in decision["reasons"] if r["rule"] == "bt_resource_not_available_locally")
    assert "domehawk camera" in reason["text"]


def test_a_resource_available_locally_stays_at_the_cat(decide):
    decision = decide(resources_requested=[{"name": "leaflets", "available_locally": True}])
    assert decision["routing"] == "cat"


def test_the_resource_reason_names_only_the_unavailable_resources(decide):
    resources = [{"name": "leaflets", "available_locally": True}, *DOMEHAWK]
    decision = decide(resources_requested=resources)
    assert "leaflets" not in decision["reasons"][0]["text"]


def test_spanning_other_areas_goes_to_borough_tasking(decide):
    decision = decide(other_areas_affected=["Birchills"])
    assert (decision["routing"], rules_of(decision["reasons"])) == ("borough_tasking", ["bt_spans_other_areas"])


def test_the_other_areas_reason_names_the_areas(decide):
    decision = decide(other_areas_affected=["Birchills", "Leamore"])
    assert "Birchills and Leamore" in decision["reasons"][0]["text"]


def test_a_cat_escalation_request_goes_to_borough_tasking(decide):
    decision = decide(cat_requests_escalation=True)
    assert (decision["routing"], rules_of(decision["reasons"])) == ("borough_tasking", ["bt_cat_requests_escalation"])


def test_the_escalation_reason_says_the_cat_cannot_resolve_it(decide):
    text = decide(cat_requests_escalation=True)["reasons"][0]["text"]
    assert "CAT" in text and "cannot resolve" in text


def test_every_borough_tasking_cause_is_a_reason(decide):
    decision = decide(resources_requested=DOMEHAWK, other_areas_affected=["Pleck"], cat_requests_escalation=True)
    assert rules_of(decision["reasons"]) == [
        "bt_resource_not_available_locally", "bt_spans_other_areas", "bt_cat_requests_escalation"]


def test_borough_tasking_next_step_names_the_resource(decide):
    steps = decide(resources_requested=DOMEHAWK)["next_steps"]
    assert any("domehawk camera" in step for step in steps)


def test_a_quiet_issue_fires_no_borough_tasking_rule(decide):
    assert not [r for r in decide()["rules_fired"] if r.startswith("bt_")]


# --- Community Led Solution -------------------------------------------------------


def test_an_endorsed_persistent_issue_goes_to_a_cls_group(decide):
    decision = decide(**CLS_READY, jag_cls_decision="endorsed")
    assert (decision["routing"], rules_of(decision["reasons"])) == ("community_led_solution", ["cls_jag_endorsed"])


@pytest.mark.parametrize("jag", ["not_considered", "pending"])
def test_a_persistent_issue_the_jag_has_not_decided_is_recommended_for_cls(decide, jag):
    decision = decide(**CLS_READY, jag_cls_decision=jag)
    assert (decision["routing"], rules_of(decision["reasons"])) == ("community_led_solution", ["cls_recommended"])


def test_raised_at_the_jag_alone_is_enough_for_cls(decide):
    decision = decide(**{**CLS_READY, "raised_at_nap": False, "raised_at_jag": True})
    assert decision["routing"] == "community_led_solution"


@pytest.mark.parametrize("jag", ["not_considered", "pending", "endorsed"])
def test_cls_adds_the_csp_support_officer_in_support(decide, jag):
    officer = agency(decide(**CLS_READY, jag_cls_decision=jag), CSP_OFFICER)
    assert officer is not None and officer["role"] == "support"


@pytest.mark.parametrize("jag", ["not_considered", "pending"])
def test_cls_asks_the_jag_to_confirm_when_not_endorsed(decide, jag):
    assert JAG_CONFIRM in decide(**CLS_READY, jag_cls_decision=jag)["next_steps"]


def test_cls_does_not_ask_the_jag_to_confirm_once_endorsed(decide):
    assert JAG_CONFIRM not in decide(**CLS_READY, jag_cls_decision="endorsed")["next_steps"]


def test_the_cls_reason_names_months_and_reports(decide):
    text = decide(**CLS_READY)["reasons"][0]["text"]
    assert "3 months" in text and "3 reports" in text


def test_a_cat_issue_has_no_csp_support_officer(decide):
    assert agency(decide(), CSP_OFFICER) is None


def test_a_non_persistent_issue_is_not_a_cls(decide):
    decision = decide(**{**CLS_READY, "reports_last_6_months": 2})
    assert decision["routing"] == "cat"


# --- CAT --------------------------------------------------------------------------


def test_a_persistent_issue_not_raised_at_nap_or_jag_stays_at_the_cat(decide):
    decision = decide(**PERSISTENT)
    assert (decision["routing"], rules_of(decision["reasons"])) == ("cat", ["cat_cls_prerequisite_missing"])


def test_a_persistent_issue_not_raised_is_flagged_cls_prerequisite_missing(decide):
    assert "cls_prerequisite_missing" in flag_codes(decide(**PERSISTENT))


def test_a_persistent_issue_not_raised_gets_a_raise_at_nap_next_step(decide):
    steps = decide(**PERSISTENT)["next_steps"]
    assert any("Neighbourhood Action Panel" in step for step in steps)


def test_a_persistent_issue_raised_at_the_nap_is_not_flagged_prerequisite_missing(decide):
    assert "cls_prerequisite_missing" not in flag_codes(decide(**PERSISTENT, raised_at_nap=True))


def test_a_jag_decline_keeps_it_at_the_cat_with_that_reason(decide):
    decision = decide(**CLS_READY, jag_cls_decision="declined")
    assert (decision["routing"], rules_of(decision["reasons"])) == ("cat", ["cat_jag_declined_cls"])


def test_the_jag_decline_reason_says_declined(decide):
    assert "declined" in decide(**CLS_READY, jag_cls_decision="declined")["reasons"][0]["text"]


def test_nobody_willing_to_lead_keeps_it_at_the_cat_with_that_reason(decide):
    decision = decide(**{**CLS_READY, "residents_willing_to_lead": False})
    assert (decision["routing"], rules_of(decision["reasons"])) == ("cat", ["cat_no_resident_lead"])


def test_the_no_lead_reason_says_nobody_is_willing_to_lead(decide):
    text = decide(**{**CLS_READY, "residents_willing_to_lead": False})["reasons"][0]["text"]
    assert "willing to lead" in text


def test_a_jag_decline_with_nobody_willing_gives_only_the_decline(decide):
    decision = decide(**{**CLS_READY, "residents_willing_to_lead": False, "jag_cls_decision": "declined"})
    assert rules_of(decision["reasons"]) == ["cat_jag_declined_cls"]


def test_a_quiet_issue_falls_back_to_the_cat(decide):
    decision = decide()
    assert (decision["routing"], rules_of(decision["reasons"])) == ("cat", ["cat_local_issue"])


def test_the_fallback_reason_names_the_category(decide):
    assert "Fly-tipping" in decide(category="fly_tipping")["reasons"][0]["text"]


def test_the_fallback_is_not_a_reason_when_a_specific_cat_rule_fires(decide):
    assert "cat_local_issue" not in rules_of(decide(**PERSISTENT)["reasons"])


# --- persistence boundaries ---------------------------------------------------------


def test_two_months_is_not_persistent(decide):
    assert decide(**{**PERSISTENT, "first_reported": date(2026, 8, 2)})["facts"]["persistent"] is False


def test_three_months_is_persistent(decide):
    assert decide(**PERSISTENT)["facts"]["persistent"] is True


def test_two_reports_is_not_persistent(decide):
    assert decide(**{**PERSISTENT, "reports_last_6_months": 2})["facts"]["persistent"] is False


def test_three_reports_is_persistent(decide):
    assert decide(**{**PERSISTENT, "first_reported": date(2025, 1, 1)})["facts"]["persistent"] is True


def test_two_months_is_not_ready_for_cls(decide):
    assert decide(**{**CLS_READY, "first_reported": date(2026, 8, 2)})["routing"] == "cat"


def test_three_months_is_ready_for_cls(decide):
    assert decide(**CLS_READY)["routing"] == "community_led_solution"


def test_two_reports_does_not_flag_a_missing_cls_prerequisite(decide):
    decision = decide(**{**PERSISTENT, "reports_last_6_months": 2})
    assert "cls_prerequisite_missing" not in flag_codes(decision)


def test_two_months_does_not_flag_a_missing_cls_prerequisite(decide):
    decision = decide(**{**PERSISTENT, "first_reported": date(2026, 8, 2)})
    assert "cls_prerequisite_missing" not in flag_codes(decision)


# --- precedence -----------------------------------------------------------------------


def test_borough_tasking_beats_cls(decide):
    decision = decide(**CLS_READY, resources_requested=DOMEHAWK)
    assert (decision["routing"], also(decision)) == ("borough_tasking", ["community_led_solution"])


def test_borough_tasking_beats_a_specific_cat_rule(decide):
    decision = decide(**PERSISTENT, cat_requests_escalation=True)
    assert (decision["routing"], also(decision)) == ("borough_tasking", ["cat"])


def test_cls_beats_the_cat_fallback(decide):
    decision = decide(**CLS_READY)
    assert (decision["routing"], also(decision)) == ("community_led_solution", [])


def test_the_fallback_is_never_also_recommended_behind_borough_tasking(decide):
    assert also(decide(resources_requested=DOMEHAWK)) == []


def test_also_recommended_carries_the_losing_routes_reasons(decide):
    alternative = decide(**CLS_READY, other_areas_affected=["Pleck"])["also_recommended"][0]
    assert (alternative["routing_label"], rules_of(alternative["reasons"])) == (
        "Community Led Solution group", ["cls_recommended"])


def test_a_losing_routes_agencies_are_not_added(decide):
    assert agency(decide(**CLS_READY, resources_requested=DOMEHAWK), CSP_OFFICER) is None


def test_a_losing_routes_next_steps_are_not_added(decide):
    assert JAG_CONFIRM not in decide(**CLS_READY, resources_requested=DOMEHAWK)["next_steps"]


def test_the_routing_label_matches_the_route(decide):
    assert decide(cat_requests_escalation=True)["routing_label"] == "Borough Tasking Group"


# --- flags -------------------------------------------------------------------------------


def test_three_reports_meet_the_asb_case_review_threshold(decide):
    assert "asb_case_review_threshold" in flag_codes(decide(reports_last_6_months=3))


def test_two_reports_do_not_meet_the_asb_case_review_threshold(decide):
    assert "asb_case_review_threshold" not in flag_codes(decide(reports_last_6_months=2))


def test_the_case_review_flag_names_the_report_count(decide):
    flag = next(f for f in decide(reports_last_6_months=4)["flags"] if f["code"] == "asb_case_review_threshold")
    assert "4 reports" in flag["text"]


def test_the_case_review_flag_says_to_tell_the_victim(decide):
    steps = decide(reports_last_6_months=3)["next_steps"]
    assert any("ASB Case Review" in step for step in steps)


def test_hate_motivated_is_flagged_hate_incident(decide):
    assert "hate_incident" in flag_codes(decide(hate_motivated=True))


def test_the_hate_incident_category_is_flagged_hate_incident(decide):
    assert "hate_incident" in flag_codes(decide(category="hate_incident"))


def test_a_quiet_issue_is_not_flagged_hate_incident(decide):
    assert "hate_incident" not in flag_codes(decide())


def test_a_vulnerable_victim_is_flagged(decide):
    assert "vulnerable_victim" in flag_codes(decide(vulnerable_victim=True))


def test_a_quiet_issue_is_not_flagged_vulnerable_victim(decide):
    assert "vulnerable_victim" not in flag_codes(decide())


def test_a_high_crime_area_is_flagged(decide):
    assert "high_crime_area" in flag_codes(decide(high_crime_area=True))


def test_a_quiet_issue_is_not_flagged_high_crime_area(decide):
    assert "high_crime_area" not in flag_codes(decide())


def test_other_areas_are_flagged_cross_area(decide):
    assert "cross_area" in flag_codes(decide(other_areas_affected=["Birchills"]))


def test_the_cross_area_flag_names_the_areas(decide):
    flag = next(f for f in decide(other_areas_affected=["Birchills"])["flags"] if f["code"] == "cross_area")
    assert "Birchills" in flag["text"]


def test_a_quiet_issue_has_no_flags(decide):
    assert decide()["flags"] == []


def test_flags_do_not_change_the_routing(decide):
    decision = decide(reports_last_6_months=5, hate_motivated=True, vulnerable_victim=True, high_crime_area=True)
    assert decision["routing"] == "cat"


# --- review_required -------------------------------------------------------------------------


def test_a_plain_cat_issue_needs_no_review(decide):
    assert decide()["review_required"] is False


def test_case_review_and_high_crime_flags_alone_need_no_review(decide):
    assert decide(reports_last_6_months=3, high_crime_area=True)["review_required"] is False


@pytest.mark.parametrize("scenario", ["resource", "other_areas", "escalation", "cls_endorsed", "cls_recommended"])
def test_leaving_the_cat_needs_review(decide, scenario):
    assert decide(**SCENARIOS[scenario])["review_required"] is True


def test_a_hate_motivated_cat_issue_needs_review(decide):
    assert decide(hate_motivated=True)["review_required"] is True


def test_a_hate_incident_category_needs_review(decide):
    assert decide(category="hate_incident")["review_required"] is True


def test_a_vulnerable_victim_needs_review(decide):
    assert decide(vulnerable_victim=True)["review_required"] is True


# --- agencies ------------------------------------------------------------------------------------


def test_the_lead_table_covers_every_category(book):
    assert set(LEADS) == set(book.categories)


@pytest.mark.parametrize(("category", "lead"), sorted(LEADS.items()))
def test_each_category_has_its_lead(decide, category, lead):
    leads = [a["name"] for a in decide(category=category)["agencies"] if a["role"] == "lead"]
    assert leads == [lead]


@pytest.mark.parametrize("category", sorted(LEADS))
@pytest.mark.parametrize("hate_motivated", [False, True])
def test_there_is_exactly_one_lead(decide, category, hate_motivated):
    decision = decide(category=category, hate_motivated=hate_motivated)
    assert [a["role"] for a in decision["agencies"]].count("lead") == 1


@pytest.mark.parametrize("category", sorted(LEADS))
def test_every_agency_has_a_canonical_name(decide, category):
    names = {a["name"] for a in decide(category=category, **CLS_READY, hate_motivated=True)["agencies"]}
    assert names <= CANONICAL_AGENCIES


@pytest.mark.parametrize("category", sorted(LEADS))
def test_no_agency_is_listed_twice(decide, category):
    names = [a["name"] for a in decide(category=category, **CLS_READY, hate_motivated=True)["agencies"]]
    assert len(names) == len(set(names))


def test_the_lead_comes_first(decide):
    assert decide(category="deliberate_fire")["agencies"][0]["role"] == "lead"


def test_supporting_agencies_come_from_the_table(decide):
    assert agency(decide(category="deliberate_fire"), POLICE)["role"] == "support"


def test_invited_agencies_come_from_the_table(decide):
    assert agency(decide(category="street_drinking"), "Licensing")["role"] == "invited"


def test_every_agency_has_a_reason(decide):
    assert all(a["reason"] for a in decide(category="anti_social_behaviour")["agencies"])


def test_hate_motivated_graffiti_involves_the_police(decide):
    assert agency(decide(category="graffiti", hate_motivated=True), POLICE) is not None


def test_hate_motivated_graffiti_is_still_led_by_street_pride(decide):
    assert agency(decide(category="graffiti", hate_motivated=True), "Street Pride")["role"] == "lead"


def test_graffiti_without_hate_does_not_involve_the_police(decide):
    assert agency(decide(category="graffiti"), POLICE) is None


def test_hate_motivated_asb_keeps_the_police_as_lead(decide):
    assert agency(decide(category="anti_social_behaviour", hate_motivated=True), POLICE)["role"] == "lead"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_agencies_are_never_empty(decide, scenario):
    assert decide(**SCENARIOS[scenario])["agencies"]


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_reasons_are_never_empty(decide, scenario):
    reasons = decide(**SCENARIOS[scenario])["reasons"]
    assert reasons and all(r["rule"] and r["text"] for r in reasons)


# --- the rest of the decision ---------------------------------------------------------------------


def test_facts_include_persistent(decide):
    assert "persistent" in decide()["facts"]


def test_the_ruleset_name_is_reported(decide, book):
    assert decide()["ruleset"]["name"] == book.name == "community-safety-triage"


def test_the_ruleset_version_is_the_rule_files_hash(decide, book):
    version = decide()["ruleset"]["version"]
    assert version and version == book.version


def test_the_decision_id_is_a_uuid(decide):
    assert uuid.UUID(decide()["decision_id"])


def test_each_decision_has_a_fresh_id(decide):
    assert decide()["decision_id"] != decide()["decision_id"]


def test_the_reference_is_echoed(decide):
    assert decide(reference="ASB-42")["reference"] == "ASB-42"


def test_evaluated_at_is_the_clock_passed_in(decide):
    assert decide()["evaluated_at"].startswith("2026-11-01T10:00:00")


def test_as_of_defaults_to_the_clock_date(triage_service):
    decision = triage_service.decide(make_request(as_of=None, first_reported=date(2026, 1, 1)), now=NOW)
    assert decision["as_of"] == "2026-11-01"
