"""Callers see only the decisions they created; chairs and admins see every decision."""

from __future__ import annotations

import pytest

from tests.conftest import make_issue
from tests.service.auth.support import forget_keys


@pytest.fixture(autouse=True)
def _no_keys_from_other_tests(database_url):
    forget_keys(database_url)


@pytest.fixture
def callers(client_as):
    """Two callers, each with one decision of its own: (client, decision id) for each."""
    made = []
    for name in ("ecins-walsall", "ecins-bloxwich"):
        caller = client_as("caller", name)
        response = caller.post("/v1/triage", json=make_issue(reference=name))
        assert response.status_code == 200, response.get_json()
        made.append((caller, response.get_json()["decision_id"]))
    return made


def _references(client, query=""):
    response = client.get(f"/v1/decisions{query}")
    assert response.status_code == 200, response.get_json()
    return [item["reference"] for item in response.get_json()["items"]]


def test_a_caller_lists_only_its_own_decisions(callers):
    (walsall, _), (bloxwich, _) = callers
    assert _references(walsall) == ["ecins-walsall"]
    assert _references(bloxwich) == ["ecins-bloxwich"]


def test_a_caller_cannot_read_another_callers_decision(callers):
    (walsall, own), (_, theirs) = callers
    assert walsall.get(f"/v1/decisions/{own}").status_code == 200
    response = walsall.get(f"/v1/decisions/{theirs}")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_filters_cannot_widen_a_callers_view(callers):
    (walsall, _), _ = callers
    assert _references(walsall, "?reference=ecins-bloxwich") == []
    assert _references(walsall, "?area=Blakenall&limit=200") == ["ecins-walsall"]


def test_paging_stays_within_a_callers_own_decisions(client_as, callers):
    (walsall, _), _ = callers
    for number in range(3):
        walsall.post("/v1/triage", json=make_issue(reference=f"W{number}"))
    seen, query = [], "?limit=2"
    while query:
        page = walsall.get(f"/v1/decisions{query}").get_json()
        seen += [item["reference"] for item in page["items"]]
        query = f"?limit=2&cursor={page['next_cursor']}" if page["next_cursor"] else None
    assert seen == ["W2", "W1", "W0", "ecins-walsall"]


def test_batch_decisions_belong_to_the_caller_that_sent_them(client_as, callers):
    (walsall, _), (bloxwich, _) = callers
    response = walsall.post("/v1/triage/batch", json={"items": [make_issue(reference="B1")]})
    decision_id = response.get_json()["results"][0]["decision"]["decision_id"]
    assert "B1" in _references(walsall)
    assert "B1" not in _references(bloxwich)
    assert bloxwich.get(f"/v1/decisions/{decision_id}").status_code == 404


@pytest.mark.parametrize("role", ["chair", "admin"])
def test_chairs_and_admins_see_every_decision(client_as, callers, role):
    reader = client_as(role)
    assert sorted(_references(reader)) == ["ecins-bloxwich", "ecins-walsall"]
    for _, decision_id in callers:
        assert reader.get(f"/v1/decisions/{decision_id}").status_code == 200


def test_a_revoked_callers_decisions_stay_visible_to_chairs(app, client_as, callers):
    from service.auth import revoke_key

    revoke_key(app.extensions["database"], "ecins-walsall", actor="tests")
    assert "ecins-walsall" in _references(client_as("chair"))
