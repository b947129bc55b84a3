"""POST /v1/triage through the Flask test client, and the API around it."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from schemas import DecisionSchema
from tests.conftest import make_issue

URL = "/v1/triage"
ENVELOPE_KEYS = {"code", "status", "message", "errors"}


def without(field: str) -> dict:
    """make_issue() with one field removed."""
    issue = make_issue()
    del issue[field]
    return issue


def field_errors(response) -> dict:
    """The per-field messages of a 422, under errors.json."""
    return response.get_json()["errors"]["json"]


def at_path(errors: dict, path: tuple):
    """The messages at a nested path such as ('resources_requested', '0', 'name')."""
    for key in path:
        errors = errors[key]
    return errors


# --- a valid request -----------------------------------------------------------------


def test_a_valid_request_is_answered_200(client):
    assert client.post(URL, json=make_issue()).status_code == 200


def test_a_valid_response_matches_the_decision_schema(client):
    body = client.post(URL, json=make_issue()).get_json()
    assert DecisionSchema().validate(body) == {}


def test_a_busy_response_matches_the_decision_schema(client):
    issue = make_issue(
        category="hate_incident", first_reported="2026-01-01", reports_last_6_months=6, raised_at_nap=True,
        residents_willing_to_lead=True, resources_requested=[{"name": "domehawk camera", "available_locally": False}],
        other_areas_affected=["Birchills"], vulnerable_victim=True, high_crime_area=True,
        local_actions=[{"action": "patrols", "agency": "Neighbourhood Police Team", "outcome": "in_progress"}],
    )
    body = client.post(URL, json=issue).get_json()
    assert DecisionSchema().validate(body) == {}


def test_the_response_is_json(client):
    assert client.post(URL, json=make_issue()).is_json


def test_the_decision_id_is_a_uuid(client):
    body = client.post(URL, json=make_issue()).get_json()
    assert str(uuid.UUID(body["decision_id"])) == body["decision_id"]


def test_each_decision_gets_a_fresh_id(client):
    ids = {client.post(URL, json=make_issue()).get_json()["decision_id"] for _ in range(3)}
    assert len(ids) == 3


def test_the_reference_is_echoed(client):
    assert client.post(URL, json=make_issue(reference="ASB-9")).get_json()["reference"] == "ASB-9"


@pytest.mark.parametrize(("fact", "default"), [
    ("raised_by", "resident"),
    ("raised_at_nap", False),
    ("raised_at_jag", False),
    ("jag_cls_decision", "not_considered"),
    ("resources_requested_count", 0),
    ("local_actions_count", 0),
    ("other_areas_count", 0),
    ("cat_requests_escalation", False),
    ("high_crime_area", False),
    ("vulnerable_victim", False),
    ("hate_motivated", False),
    ("residents_willing_to_lead", False),
])
def test_omitted_fields_take_their_defaults(client, fact, default):
    assert client.post(URL, json=make_issue()).get_json()["facts"][fact] == default


def test_as_of_defaults_to_today_in_london(client):
    before = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    body = client.post(URL, json=without("as_of")).get_json()
    after = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    assert body["as_of"] in {before, after}


def test_a_null_nap_priority_rank_is_allowed(client):
    assert client.post(URL, json=make_issue(nap_priority_rank=None)).status_code == 200


@pytest.mark.parametrize(("field", "value"), [
    ("reference", "R" * 64),
    ("description", "d" * 5000),
    ("reports_last_6_months", 0),
    ("nap_priority_rank", 1),
    ("area", "A" * 100),
])
def test_values_at_the_limits_are_accepted(client, field, value):
    assert client.post(URL, json=make_issue(**{field: value})).status_code == 200


def test_first_reported_on_as_of_is_accepted(client):
    assert client.post(URL, json=make_issue(first_reported="2026-11-01")).status_code == 200


# --- malformed JSON, content type, size ---------------------------------------------------


@pytest.mark.parametrize("raw", ["{", '{"reference": "x",}', "not json", ""])
def test_malformed_json_is_400(client, raw):
    assert client.post(URL, data=raw, content_type="application/json").status_code == 400


def test_form_data_is_415(client):
    assert client.post(URL, data={"reference": "x"}).status_code == 415


def test_text_plain_is_415(client):
    assert client.post(URL, data=json.dumps(make_issue()), content_type="text/plain").status_code == 415


def test_no_content_type_is_415(client):
    assert client.post(URL, data=json.dumps(make_issue())).status_code == 415


def test_json_with_a_charset_is_accepted(client):
    response = client.post(URL, data=json.dumps(make_issue()), content_type="application/json; charset=utf-8")
    assert response.status_code == 200


def test_a_body_over_64_kib_is_413(client):
    assert client.post(URL, json=make_issue(description="x" * (64 * 1024))).status_code == 413


def test_an_oversized_malformed_body_is_413_not_400(client):
    raw = "{" + " " * (65 * 1024)
    assert client.post(URL, data=raw, content_type="application/json").status_code == 413


# --- missing and invalid fields ------------------------------------------------------------


@pytest.mark.parametrize("field", ["reference", "area", "category", "first_reported", "reports_last_6_months"])
def test_a_missing_required_field_is_422(client, field):
    assert client.post(URL, json=without(field)).status_code == 422


@pytest.mark.parametrize("field", ["reference", "area", "category", "first_reported", "reports_last_6_months"])
def test_a_missing_required_field_is_named(client, field):
    assert list(field_errors(client.post(URL, json=without(field)))) == [field]


INVALID = [
    ("int_as_string", {"reports_last_6_months": "3"}, ("reports_last_6_months",)),
    ("int_as_float", {"reports_last_6_months": 3.5}, ("reports_last_6_months",)),
    ("int_as_bool", {"reports_last_6_months": True}, ("reports_last_6_months",)),
    ("rank_as_string", {"nap_priority_rank": "1"}, ("nap_priority_rank",)),
    ("bool_as_string", {"raised_at_nap": "true"}, ("raised_at_nap",)),
    ("bool_as_int", {"hate_motivated": 1}, ("hate_motivated",)),
    ("null_int", {"reports_last_6_months": None}, ("reports_last_6_months",)),
    ("null_string", {"reference": None}, ("reference",)),
    ("null_category", {"category": None}, ("category",)),
    ("null_bool", {"vulnerable_victim": None}, ("vulnerable_victim",)),
    ("null_list", {"resources_requested": None}, ("resources_requested",)),
    ("bad_month", {"first_reported": "2026-13-01"}, ("first_reported",)),
    ("british_date", {"first_reported": "15/10/2026"}, ("first_reported",)),
    ("bad_as_of", {"as_of": "yesterday"}, ("as_of",)),
    ("date_as_int", {"first_reported": 20261015}, ("first_reported",)),
    ("bad_raised_by", {"raised_by": "mayor"}, ("raised_by",)),
    ("bad_jag_decision", {"jag_cls_decision": "maybe"}, ("jag_cls_decision",)),
    ("bad_outcome", {"local_actions": [{"action": "patrols", "agency": "Street Pride", "outcome": "done"}]},
     ("local_actions", "0", "outcome")),
    ("action_missing_agency", {"local_actions": [{"action": "patrols", "outcome": "resolved"}]},
     ("local_actions", "0", "agency")),
    ("resource_missing_available_locally", {"resources_requested": [{"name": "domehawk camera"}]},
     ("resources_requested", "0", "available_locally")),
    ("resource_missing_name", {"resources_requested": [{"available_locally": False}]},
     ("resources_requested", "0", "name")),
    ("resource_available_as_string", {"resources_requested": [{"name": "camera", "available_locally": "no"}]},
     ("resources_requested", "0", "available_locally")),
    ("second_resource_bad", {"resources_requested": [{"name": "a", "available_locally": True}, {"name": "b"}]},
     ("resources_requested", "1", "available_locally")),
    ("resource_unknown_field", {"resources_requested": [{"name": "a", "available_locally": True, "cost": 5}]},
     ("resources_requested", "0", "cost")),
    ("other_areas_as_string", {"other_areas_affected": "Birchills"}, ("other_areas_affected",)),
    ("reference_65_chars", {"reference": "R" * 65}, ("reference",)),
    ("empty_reference", {"reference": ""}, ("reference",)),
    ("area_101_chars", {"area": "A" * 101}, ("area",)),
    ("empty_area", {"area": ""}, ("area",)),
    ("description_5001_chars", {"description": "d" * 5001}, ("description",)),
    ("negative_reports", {"reports_last_6_months": -1}, ("reports_last_6_months",)),
    ("rank_zero", {"nap_priority_rank": 0}, ("nap_priority_rank",)),
    ("unknown_category", {"category": "burglary"}, ("category",)),
    ("unknown_field", {"colour": "red"}, ("colour",)),
    ("first_reported_after_as_of", {"first_reported": "2026-11-02"}, ("first_reported",)),
]


@pytest.mark.parametrize(("overrides", "path"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_an_invalid_field_is_422(client, overrides, path):
    assert client.post(URL, json=make_issue(**overrides)).status_code == 422


@pytest.mark.parametrize(("overrides", "path"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_an_invalid_field_is_named_at_its_path(client, overrides, path):
    messages = at_path(field_errors(client.post(URL, json=make_issue(**overrides))), path)
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_every_bad_field_is_named_at_once(client):
    response = client.post(URL, json=make_issue(reports_last_6_months=-1, raised_by="mayor", colour="red"))
    assert set(field_errors(response)) == {"reports_last_6_months", "raised_by", "colour"}


def test_an_unknown_category_lists_every_valid_code(client, book):
    message = field_errors(client.post(URL, json=make_issue(category="burglary")))["category"][0]
    assert all(code in message for code in book.categories)


def test_an_unknown_category_names_the_bad_value(client):
    message = field_errors(client.post(URL, json=make_issue(category="burglary")))["category"][0]
    assert "burglary" in message


def test_first_reported_in_the_future_without_as_of_is_422(client):
    response = client.post(URL, json=without("as_of") | {"first_reported": "2999-01-01"})
    assert "first_reported" in field_errors(response)


def test_deeply_nested_json_is_400_not_500(client):
    assert client.post(URL, data="[" * 50_000, content_type="application/json").status_code == 400


def test_a_lone_surrogate_in_a_string_is_not_a_500(client):
    raw = json.dumps(make_issue(reference="x\ud800"))
    assert client.post(URL, data=raw, content_type="application/json").status_code in (400, 422)


@pytest.mark.parametrize("body", [[], [make_issue()], "graffiti", 3, None])
def test_a_body_that_is_not_an_object_is_422(client, body):
    response = client.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422


# --- one error envelope ------------------------------------------------------------------------

BAD_REQUESTS = {
    "malformed_json": {"data": "{", "content_type": "application/json"},
    "text_plain": {"data": "{}", "content_type": "text/plain"},
    "form_data": {"data": {"reference": "x"}},
    "too_large": {"json": make_issue(description="x" * (64 * 1024))},
    "missing_field": {"json": without("category")},
    "invalid_field": {"json": make_issue(reports_last_6_months="many")},
    "unknown_category": {"json": make_issue(category="burglary")},
    "array_body": {"json": []},
    "after_as_of": {"json": make_issue(first_reported="2026-12-01")},
}


@pytest.fixture(params=sorted(BAD_REQUESTS))
def bad_response(request, client):
    """The response to one bad request of each class."""
    return client.post(URL, **BAD_REQUESTS[request.param])


def test_errors_are_json(bad_response):
    assert bad_response.is_json


def test_errors_use_only_the_envelope_keys(bad_response):
    assert set(bad_response.get_json()) <= ENVELOPE_KEYS


def test_errors_have_code_status_and_message(bad_response):
    body = bad_response.get_json()
    assert body["code"] == bad_response.status_code and body["status"] and body["message"]


def test_errors_are_4xx_not_500(bad_response):
    assert 400 <= bad_response.status_code < 500


def test_errors_never_contain_a_traceback(bad_response):
    assert "Traceback" not in bad_response.get_data(as_text=True)


def test_an_unexpected_error_is_a_500_envelope_without_a_traceback(app, client):
    def fail():
        raise RuntimeError("boom")

    app.add_url_rule("/test-only/boom", "boom", fail)
    response = client.get("/test-only/boom")
    assert (response.status_code, response.get_json()["code"]) == (500, 500)
    assert "Traceback" not in response.get_data(as_text=True) and "boom" not in response.get_data(as_text=True)


def test_a_422_names_where_the_errors_are(client):
    body = client.post(URL, json=without("area")).get_json()
    assert body["errors"] == {"json": {"area": body["errors"]["json"]["area"]}}


def test_an_unknown_address_is_404_in_the_envelope(client):
    response = client.get("/v1/nothing-here")
    assert (response.status_code, response.get_json()["code"], response.get_json()["status"]) == (404, 404, "Not Found")


def test_a_wrong_method_is_405_in_the_envelope(client):
    response = client.get(URL)
    assert (response.status_code, response.get_json()["code"]) == (405, 405)


def test_a_405_says_which_methods_are_allowed(client):
    assert "POST" in client.delete(URL).headers["Allow"]


@pytest.mark.parametrize("method", ["get", "delete"])
def test_404_and_405_use_only_the_envelope_keys(client, method):
    response = getattr(client, method)("/v1/nothing-here" if method == "get" else URL)
    assert set(response.get_json()) <= ENVELOPE_KEYS and "Traceback" not in response.get_data(as_text=True)


# --- around it ---------------------------------------------------------------------------------


def test_healthz_is_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()["status"]) == (200, "ok")


def test_healthz_names_the_live_ruleset(client, book):
    assert client.get("/healthz").get_json()["ruleset"] == {"name": book.name, "version": book.version}


def test_the_openapi_spec_is_json(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and json.loads(response.get_data(as_text=True))["openapi"]


def test_the_openapi_spec_documents_post_triage(client):
    assert "post" in client.get("/openapi.json").get_json()["paths"][URL]


@pytest.mark.parametrize("component", ["TriageRequest", "Decision", "Error"])
def test_the_openapi_spec_has_the_components(client, component):
    assert component in client.get("/openapi.json").get_json()["components"]["schemas"]


def test_the_openapi_request_body_is_the_triage_request(client):
    post = client.get("/openapi.json").get_json()["paths"][URL]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/TriageRequest")


def test_the_openapi_200_is_a_decision(client):
    post = client.get("/openapi.json").get_json()["paths"][URL]["post"]
    assert post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Decision")


@pytest.mark.parametrize("status", ["400", "413", "415", "422"])
def test_the_openapi_errors_are_the_envelope(client, status):
    post = client.get("/openapi.json").get_json()["paths"][URL]["post"]
    assert post["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_the_docs_page_is_html(client):
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"


def test_an_emoji_written_as_a_surrogate_pair_is_accepted(client):
    raw = json.dumps(make_issue(description="Bins set alight \U0001F525"))
    assert "\\ud83d" in raw
    assert client.post(URL, data=raw, content_type="application/json").status_code == 200
