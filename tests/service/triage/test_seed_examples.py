"""The Walsall briefing's alleyway example, in-process and over HTTP.

Residents raised anti-social behaviour in an alleyway; the CAT tried graffiti
removal, cutting back bushes and improved lighting. That stays at the CAT. The
same issue asking for a domehawk camera the area does not have goes to the
Borough Tasking Group, which is what happened in the briefing.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import NOW, make_issue, make_request

FIRST_REPORTED = date(2026, 9, 14)
ALLEYWAY = {
    "reference": "WAL-ALLEY-1",
    "area": "Blakenall",
    "category": "anti_social_behaviour",
    "description": "Anti-social behaviour in the alleyway behind the shops.",
    "raised_by": "resident",
    "reports_last_6_months": 2,
    "local_actions": [
        {"action": "graffiti removal", "agency": "Street Pride", "outcome": "partly_resolved"},
        {"action": "cutting back bushes", "agency": "Green Spaces", "outcome": "partly_resolved"},
        {"action": "improved lighting", "agency": "Engineering and Transportation", "outcome": "in_progress"},
    ],
}
DOMEHAWK = [{"name": "domehawk camera", "available_locally": False}]


@pytest.fixture(params=["in_process", "http"])
def decide_alleyway(request, triage_service):
    """Decide the alleyway issue (with overrides) in-process or through POST /v1/triage."""

    def in_process(**overrides) -> dict:
        issue = make_request(**ALLEYWAY, first_reported=FIRST_REPORTED, **overrides)
        return triage_service.decide(issue, now=NOW)

    def over_http(**overrides) -> dict:
        issue = make_issue(**ALLEYWAY, first_reported=FIRST_REPORTED.isoformat(), **overrides)
        response = request.getfixturevalue("client").post("/v1/triage", json=issue)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return in_process if request.param == "in_process" else over_http


def lead(decision: dict) -> str:
    """The name of the lead agency."""
    return next(a["name"] for a in decision["agencies"] if a["role"] == "lead")


def test_the_alleyway_stays_at_the_cat(decide_alleyway):
    assert decide_alleyway()["routing"] == "cat"


def test_the_alleyway_is_led_by_the_neighbourhood_police_team(decide_alleyway):
    assert lead(decide_alleyway()) == "Neighbourhood Police Team"


def test_the_alleyway_local_actions_are_counted_as_unresolved_or_in_progress(decide_alleyway):
    facts = decide_alleyway()["facts"]
    assert (facts["local_actions_unresolved_count"], facts["local_actions_in_progress_count"]) == (2, 1)


def test_the_alleyway_with_a_domehawk_camera_goes_to_borough_tasking(decide_alleyway):
    assert decide_alleyway(resources_requested=DOMEHAWK)["routing"] == "borough_tasking"


def test_the_borough_tasking_reason_names_the_domehawk_camera(decide_alleyway):
    reasons = decide_alleyway(resources_requested=DOMEHAWK)["reasons"]
    assert any("domehawk camera" in reason["text"] for reason in reasons)


def test_the_alleyway_with_a_domehawk_camera_is_still_led_by_the_police(decide_alleyway):
    assert lead(decide_alleyway(resources_requested=DOMEHAWK)) == "Neighbourhood Police Team"


def test_a_locally_available_camera_keeps_the_alleyway_at_the_cat(decide_alleyway):
    camera = [{"name": "domehawk camera", "available_locally": True}]
    assert decide_alleyway(resources_requested=camera)["routing"] == "cat"
