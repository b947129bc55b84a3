"""API keys: made once, stored as a hash, refused as soon as they are revoked."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from service.auth import KeyProblem, create_key, list_keys, revoke_key
from service.auth.keys import Principal, authenticate
from service.db import ApiKey, AuditEvent, Database

from .support import forget_keys


@pytest.fixture
def database(database_url):
    """A fresh database with no keys."""
    forget_keys(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


def _rows(database, model):
    with database.reading() as session:
        return session.execute(select(model)).scalars().all()


def test_a_new_key_is_long_random_and_prefixed(database):
    first, second = create_key(database, "one", "caller", "tests"), create_key(database, "two", "caller", "tests")
    assert first.startswith("cst_") and len(first) >= 40
    assert first != second


def test_only_the_sha256_of_a_key_is_stored(database):
    key = create_key(database, "hashed", "officer", "tests")
    (row,) = _rows(database, ApiKey)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(getattr(row, column.key)) for column in ApiKey.__table__.columns]
    assert not any(key in value or key[4:] in value for value in stored)


def test_a_live_key_authenticates_as_its_name_and_role(database):
    key = create_key(database, "ecins-walsall", "caller", "tests")
    assert authenticate(database, key) == Principal("ecins-walsall", "caller")


@pytest.mark.parametrize("key", ["", "cst_", "cst_unknown", "x" * 500])
def test_an_unknown_key_authenticates_as_nobody(database, key):
    create_key(database, "someone", "admin", "tests")
    assert authenticate(database, key) is None


def test_a_revoked_key_authenticates_as_nobody(database):
    key = create_key(database, "gone", "admin", "tests")
    revoke_key(database, "gone", "tests")
    assert authenticate(database, key) is None


def test_a_duplicate_name_is_refused_even_after_revocation(database):
    create_key(database, "twice", "caller", "tests")
    revoke_key(database, "twice", "tests")
    with pytest.raises(KeyProblem, match="already exists"):
        create_key(database, "twice", "admin", "tests")
    assert [row.role for row in _rows(database, ApiKey)] == ["caller"]


@pytest.mark.parametrize("role", ["", "root", "Admin", "callers", None])
def test_an_unknown_role_is_refused(database, role):
    with pytest.raises(KeyProblem, match="role"):
        create_key(database, "named", role, "tests")
    assert _rows(database, ApiKey) == []


@pytest.mark.parametrize("name", ["", " leading", "-dash", "a/b", "x" * 101, "tab\there", "new\nline", None])
def test_a_bad_name_is_refused(database, name):
    with pytest.raises(KeyProblem, match="name"):
        create_key(database, name, "caller", "tests")


def test_a_name_ending_in_a_newline_is_refused(database):
    with pytest.raises(KeyProblem, match="name"):
        create_key(database, "ops\n", "caller", "tests")


def test_revoking_an_unknown_key_is_refused(database):
    with pytest.raises(KeyProblem, match="no key"):
        revoke_key(database, "nobody", "tests")


def test_revoking_twice_keeps_the_first_revocation(database):
    create_key(database, "twice-revoked", "caller", "tests")
    revoke_key(database, "twice-revoked", "first")
    (first,) = _rows(database, ApiKey)
    revoke_key(database, "twice-revoked", "second")
    (second,) = _rows(database, ApiKey)
    assert second.revoked_at == first.revoked_at
    assert [event.actor for event in _rows(database, AuditEvent) if event.action == "key.revoke"] == ["first"]


def test_listing_keys_never_shows_a_key_or_its_hash(database):
    key = create_key(database, "listed", "chair", "tests")
    (listed,) = list_keys(database)
    assert set(listed) == {"name", "role", "created_at", "created_by", "revoked_at"}
    assert key not in str(listed) and hashlib.sha256(key.encode()).hexdigest() not in str(listed)


def test_creating_and_revoking_are_audited_with_the_actor(database):
    create_key(database, "audited", "officer", "key:boss")
    revoke_key(database, "audited", "cli")
    events = [(event.action, event.target, event.actor) for event in _rows(database, AuditEvent)]
    assert events == [("key.create", "audited", "key:boss"), ("key.revoke", "audited", "cli")]
