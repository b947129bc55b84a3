"""/v1/keys and /v1/audit: keys made and revoked over the API, for admins only."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from service.db import ApiKey
from tests.service.auth.support import bearer, forget_keys


@pytest.fixture(autouse=True)
def _no_keys_from_other_tests(database_url):
    forget_keys(database_url)


def _create(client, name="ecins-walsall", role="caller"):
    response = client.post("/v1/keys", json={"name": name, "role": role})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_creating_a_key_returns_it_once(client):
    created = _create(client)
    assert created["name"] == "ecins-walsall" and created["role"] == "caller"
    assert created["key"].startswith("cst_")
    listing = client.get("/v1/keys")
    assert created["key"] not in listing.get_data(as_text=True)


def test_a_created_key_works_with_its_role(app, client):
    headers = bearer(_create(client, role="officer")["key"])
    other = app.test_client()
    assert other.get("/v1/rulesets/active", headers=headers).status_code == 200
    assert other.get("/v1/decisions", headers=headers).status_code == 403


def test_only_the_hash_of_a_created_key_is_stored(app, client):
    key = _create(client, name="stored")["key"]
    with app.extensions["database"].reading() as session:
        row = session.execute(select(ApiKey).where(ApiKey.name == "stored")).scalar_one()
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert row.created_by == "key:test-admin"


def test_the_listing_shows_names_roles_and_dates(client):
    _create(client, name="listed", role="chair")
    listed = {key["name"]: key for key in client.get("/v1/keys").get_json()}
    assert set(listed) == {"test-admin", "listed"}
    assert listed["listed"]["role"] == "chair" and listed["listed"]["revoked_at"] is None
    assert set(listed["listed"]) == {"name", "role", "created_at", "created_by", "revoked_at"}


def test_a_duplicate_name_is_409(client):
    _create(client, name="twice")
    response = client.post("/v1/keys", json={"name": "twice", "role": "admin"})
    assert response.status_code == 409
    assert "already exists" in response.get_json()["message"]
    assert "key" not in response.get_json()


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x", "role": "root"}, "role"),
    ({"name": "", "role": "caller"}, "name"),
    ({"name": "a/b", "role": "caller"}, "name"),
    ({"role": "caller"}, "name"),
    ({"name": "x"}, "role"),
    ({"name": "x", "role": "caller", "key": "cst_mine"}, "key"),
])
def test_an_invalid_key_request_is_422_naming_the_field(client, body, field):
    response = client.post("/v1/keys", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_a_name_ending_in_a_newline_is_422(client):
    response = client.post("/v1/keys", json={"name": "ops\n", "role": "caller"})
    assert response.status_code == 422


def test_revoking_a_key_is_204_and_refuses_its_next_request(app, client):
    headers = bearer(_create(client, name="leaver")["key"])
    other = app.test_client()
    assert other.get("/v1/decisions", headers=headers).status_code == 200
    response = client.delete("/v1/keys/leaver")
    assert response.status_code == 204 and response.data == b""
    assert other.get("/v1/decisions", headers=headers).status_code == 401
    listed = {key["name"]: key for key in client.get("/v1/keys").get_json()}
    assert listed["leaver"]["revoked_at"] is not None


def test_revoking_an_unknown_key_is_404(client):
    response = client.delete("/v1/keys/nobody")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_a_name_with_spaces_can_be_revoked(client):
    _create(client, name="Walsall council")
    assert client.delete("/v1/keys/Walsall%20council").status_code == 204


def test_an_admin_can_revoke_its_own_key_and_is_then_refused(client):
    assert client.delete("/v1/keys/test-admin").status_code == 204
    assert client.get("/v1/keys").status_code == 401


@pytest.mark.parametrize("role", ["caller", "officer", "chair"])
def test_no_other_role_can_make_itself_a_key(client_as, role):
    response = client_as(role).post("/v1/keys", json={"name": "escalated", "role": "admin"})
    assert response.status_code == 403


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "before=0", "before=x", "action=", "colour=red"])
def test_bad_audit_queries_are_422(client, query):
    response = client.get(f"/v1/audit?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]
