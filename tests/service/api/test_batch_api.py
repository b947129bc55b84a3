"""POST /v1/triage/batch: a month's agenda at once."""

from __future__ import annotations

from sqlalchemy import select

from service.db import DecisionRecord
from tests.conftest import make_issue


def _references(app):
    with app.extensions["database"].reading() as session:
        return sorted(session.execute(select(DecisionRecord.reference)).scalars())


def test_a_batch_with_a_bad_item_records_only_the_good_ones(app, client):
    items = [make_issue(reference="G1"), make_issue(reference="B1", category="nonsense"),
             make_issue(reference="G2", first_reported="2030-01-01"), "not an object", make_issue(reference="G3")]
    response = client.post("/v1/triage/batch", json={"items": items})
    body = response.get_json()
    assert response.status_code == 200
    assert [result["status"] for result in body["results"]] == ["decided", "invalid", "invalid", "invalid", "decided"]
    assert [result["index"] for result in body["results"]] == [0, 1, 2, 3, 4]
    assert "category" in body["results"][1]["errors"]
    assert "first_reported" in body["results"][2]["errors"]
    assert (body["decided"], body["invalid"]) == (2, 3)
    assert _references(app) == ["G1", "G3"]


def test_batch_decisions_read_back_as_returned(client):
    body = client.post("/v1/triage/batch", json={"items": [make_issue()]}).get_json()
    decision = body["results"][0]["decision"]
    fetched = client.get(f"/v1/decisions/{decision['decision_id']}").get_json()
    fetched.pop("review")
    assert fetched == decision


def test_repeats_within_a_batch_see_each_other(client):
    items = [make_issue(reference="SAME")] * 4
    results = client.post("/v1/triage/batch", json={"items": items}).get_json()["results"]
    assert [r["decision"]["facts"]["times_triaged_before"] for r in results] == [0, 1, 2, 3]
    assert results[-1]["decision"]["routing"] == "borough_tasking"


def test_five_hundred_items_are_accepted_and_five_hundred_one_refused(client):
    ok = client.post("/v1/triage/batch", json={"items": [make_issue(reference=f"M{i}") for i in range(500)]})
    assert ok.status_code == 200 and ok.get_json()["decided"] == 500
    too_many = client.post("/v1/triage/batch", json={"items": [make_issue()] * 501})
    assert too_many.status_code == 422
    assert "items" in too_many.get_json()["errors"]["json"]


def test_an_empty_or_shapeless_batch_is_422(client):
    assert client.post("/v1/triage/batch", json={"items": []}).status_code == 422
    assert client.post("/v1/triage/batch", json=[make_issue()]).status_code == 422
    assert client.post("/v1/triage/batch", json={"items": [], "extra": 1}).status_code == 422


def test_a_batch_is_json_only(client):
    assert client.post("/v1/triage/batch", data="items=1").status_code == 415
    assert client.post("/v1/triage/batch", data="{", content_type="application/json").status_code == 400
