"""People who sign in: creating accounts, hashed passwords, checking credentials."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from service.db import AuditEvent, User
from service.reviews import UserProblem, check_credentials, create_user, get_user, list_users
from tests.service.web.support import PASSWORD, rows_of


def _user(database, username: str) -> User:
    with database.reading() as session:
        return session.execute(select(User).where(User.username == username)).scalar_one()


def _disable(database, username: str) -> None:
    with database.transaction() as session:
        session.execute(select(User).where(User.username == username)).scalar_one().disabled_at = datetime.now(UTC)


def test_a_created_user_is_stored_with_their_role(database):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="tests")
    user = _user(database, "jag.chair")
    assert (user.username, user.role, user.disabled_at) == ("jag.chair", "chair", None)


def test_the_password_is_stored_as_a_salted_scrypt_hash(database):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="tests")
    create_user(database, "cat.chair", "chair", PASSWORD, actor="tests")
    first, second = _user(database, "jag.chair").password_hash, _user(database, "cat.chair").password_hash
    assert first.startswith("scrypt:") and PASSWORD not in first
    assert first != second  # salted: the same password never hashes the same way twice


@pytest.mark.parametrize("password", ["", "short", "x" * 11])
def test_a_password_under_twelve_characters_is_refused(database, password):
    with pytest.raises(UserProblem, match="at least 12 characters"):
        create_user(database, "jag.chair", "chair", password, actor="tests")
    assert rows_of(database, User) == []


@pytest.mark.parametrize("role", ["caller", "Chair", "", "superuser"])
def test_an_unknown_role_is_refused(database, role):
    with pytest.raises(UserProblem, match="unknown role"):
        create_user(database, "jag.chair", role, PASSWORD, actor="tests")


@pytest.mark.parametrize("username", ["", "x", "-starts-with-dash", "has space", "semi;colon", "a" * 101, "jag.chair\n"])
def test_a_malformed_username_is_refused(database, username):
    with pytest.raises(UserProblem, match="username"):
        create_user(database, username, "chair", PASSWORD, actor="tests")


def test_a_duplicate_username_is_refused_and_the_first_account_kept(database):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="tests")
    with pytest.raises(UserProblem, match="already exists"):
        create_user(database, "jag.chair", "admin", "another long password", actor="tests")
    assert [(u.username, u.role) for u in rows_of(database, User)] == [("jag.chair", "chair")]


def test_creating_a_user_is_audited_without_the_password(database):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="cli")
    (event,) = [e for e in rows_of(database, AuditEvent) if e.action == "user.create"]
    assert (event.actor, event.target, json.loads(event.details_json)) == ("cli", "jag.chair", {"role": "chair"})
    assert PASSWORD not in event.details_json


def test_the_right_password_returns_the_user(database):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="tests")
    user = check_credentials(database, "jag.chair", PASSWORD)
    assert (user.username, user.role) == ("jag.chair", "chair")


@pytest.mark.parametrize("username, password", [
    ("jag.chair", "wrong password entirely"),
    ("jag.chair", PASSWORD.upper()),
    ("JAG.CHAIR", PASSWORD),
    ("nobody", PASSWORD),
    ("", ""),
])
def test_wrong_credentials_return_none(database, username, password):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="tests")
    assert check_credentials(database, username, password) is None


def test_a_disabled_account_cannot_sign_in_or_keep_a_session(database):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="tests")
    user_id = _user(database, "jag.chair").id
    _disable(database, "jag.chair")
    assert check_credentials(database, "jag.chair", PASSWORD) is None
    assert get_user(database, user_id) is None


def test_get_user_finds_an_enabled_account_by_id(database):
    create_user(database, "jag.chair", "chair", PASSWORD, actor="tests")
    user_id = _user(database, "jag.chair").id
    assert get_user(database, user_id).username == "jag.chair"
    assert get_user(database, user_id + 1000) is None


def test_list_users_is_in_username_order(database):
    for name, role in (("officer.b", "officer"), ("admin.c", "admin"), ("chair.a", "chair")):
        create_user(database, name, role, PASSWORD, actor="tests")
    assert [(u.username, u.role) for u in list_users(database)] == [
        ("admin.c", "admin"), ("chair.a", "chair"), ("officer.b", "officer")]
