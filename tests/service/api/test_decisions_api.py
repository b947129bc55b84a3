"""GET /v1/decisions and /v1/decisions/<id>: reading the decision log back."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select, text

from service.db import DecisionRecord
from tests.conftest import make_issue


def _post(client, **overrides):
    response = client.post("/v1/triage", json=make_issue(**overrides))
    assert response.status_code == 200, response.get_json()
    return response


def _stored(app):
    with app.extensions["database"].reading() as session:
        return session.execute(select(func.count()).select_from(DecisionRecord)).scalar_one()


def test_a_stored_decision_reads_back_byte_for_byte(client):
    posted = _post(client)
    fetched = client.get(f"/v1/decisions/{posted.get_json()['decision_id']}")
    assert fetched.status_code == 200
    assert fetched.data.startswith(posted.data[:-1] + b',"review":')
    body = fetched.get_json()
    assert body.pop("review")["status"] == "not_reviewed"
    assert body == posted.get_json()


def test_an_unknown_decision_is_404_in_the_envelope(client):
    response = client.get("/v1/decisions/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_the_list_is_newest_first(client):
    ids = [_post(client, reference=f"R{i}").get_json()["decision_id"] for i in range(3)]
    items = client.get("/v1/decisions").get_json()["items"]
    assert [item["decision_id"] for item in items] == ids[::-1]


@pytest.mark.parametrize(("query", "expected"), [
    ("reference=R1", ["R1"]),
    ("area=Darlaston", ["R2"]),
    ("routing=borough_tasking", ["R3"]),
    ("flag=hate_incident", ["R2"]),
    ("flag=cross_area", ["R3"]),
    ("routing=cat&area=Blakenall", ["R1"]),
])
def test_filters_pick_the_matching_decisions(client, query, expected):
    _post(client, reference="R1")
    _post(client, reference="R2", area="Darlaston", hate_motivated=True)
    _post(client, reference="R3", other_areas_affected=["Bloxwich"])
    items = client.get(f"/v1/decisions?{query}").get_json()["items"]
    assert [item["reference"] for item in items] == expected


def test_date_filters_are_inclusive_days(client):
    _post(client)
    today = client.get("/v1/decisions").get_json()["items"][0]["evaluated_at"][:10]
    assert len(client.get(f"/v1/decisions?from={today}&to={today}").get_json()["items"]) == 1
    assert client.get("/v1/decisions?to=2000-01-01").get_json()["items"] == []


def test_pages_follow_the_cursor_without_gaps_or_repeats(client):
    ids = [_post(client, reference=f"P{i}").get_json()["decision_id"] for i in range(7)]
    seen, url = [], "/v1/decisions?limit=3"
    while url:
        page = client.get(url).get_json()
        seen += [item["decision_id"] for item in page["items"]]
        url = f"/v1/decisions?limit=3&cursor={page['next_cursor']}" if page["next_cursor"] else None
    assert seen == ids[::-1]


@pytest.mark.parametrize(("query", "field"), [
    ("routing=elsewhere", "routing"), ("limit=0", "limit"), ("limit=201", "limit"),
    ("from=yesterday", "from"), ("cursor=not-ours", "cursor"), ("colour=red", "colour"),
])
def test_bad_filters_are_422_naming_the_parameter(client, query, field):
    response = client.get(f"/v1/decisions?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_a_database_failure_is_503_and_stores_nothing(app, client):
    database = app.extensions["database"]
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE decisions RENAME TO decisions_away"))
    try:
        response = client.post("/v1/triage", json=make_issue())
    finally:
        with database.engine.begin() as connection:
            connection.execute(text("ALTER TABLE decisions_away RENAME TO decisions"))
    assert response.status_code == 503
    body = response.get_json()
    assert "decision_id" not in body and "Traceback" not in response.get_data(as_text=True)
    assert _stored(app) == 0


def test_descriptions_never_reach_the_application_log(client, caplog):
    secret = "Mrs Example at number 12 is being harassed"
    with caplog.at_level(logging.DEBUG):
        _post(client, description=secret)
        client.post("/v1/triage", json=make_issue(description=secret, category="nonsense"))
    assert secret not in caplog.text
