"""The service starts on the default rules and answers a triage."""

from tests.conftest import make_issue


def test_a_local_graffiti_report_goes_to_the_cat(client):
    response = client.post("/v1/triage", json=make_issue())
    assert response.status_code == 200
    assert response.get_json()["routing"] == "cat"
