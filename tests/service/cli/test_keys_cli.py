"""flask keys create / revoke / list."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from service.db import ApiKey, AuditEvent
from tests.service.auth.support import bearer, forget_keys


@pytest.fixture(autouse=True)
def _no_keys_from_other_tests(database_url):
    forget_keys(database_url)


def keys(app, *args):
    """Run ``flask keys ...``."""
    return app.test_cli_runner().invoke(args=["keys", *args])


def create(app, name="ecins-walsall", role="caller") -> str:
    """Create a key with the CLI; the key it printed."""
    result = keys(app, "create", "--name", name, "--role", role)
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _rows(app, model):
    with app.extensions["database"].reading() as session:
        return session.execute(select(model)).scalars().all()


def test_create_prints_the_key_once_with_a_warning(app):
    result = keys(app, "create", "--name", "ecins-walsall", "--role", "caller")
    assert result.exit_code == 0
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("cst_")
    assert result.output.count(key) == 1
    assert "will not be shown again" in result.output


def test_the_printed_key_works_with_its_role(app):
    client = app.test_client()
    headers = bearer(create(app, role="caller"))
    assert client.get("/v1/decisions", headers=headers).status_code == 200
    assert client.get("/v1/keys", headers=headers).status_code == 403


def test_only_a_sha256_hash_is_stored(app):
    key = create(app)
    (row,) = _rows(app, ApiKey)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(getattr(row, column.key)) for column in ApiKey.__table__.columns]
    stored += [event.details_json + event.target for event in _rows(app, AuditEvent)]
    assert not any(key in value or key[4:] in value for value in stored)


def test_the_database_file_holds_no_plaintext_key(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("reads the SQLite file")
    key = create(app)
    app.extensions["database"].dispose()
    assert key[4:].encode() not in Path(database_url.removeprefix("sqlite:///")).read_bytes()


def test_a_duplicate_name_is_refused(app):
    create(app, name="twice")
    result = keys(app, "create", "--name", "twice", "--role", "admin")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert "cst_" not in result.output
    assert [row.role for row in _rows(app, ApiKey)] == ["caller"]


@pytest.mark.parametrize("role", ["root", "Admin", ""])
def test_an_unknown_role_is_refused(app, role):
    result = keys(app, "create", "--name", "someone", "--role", role)
    assert result.exit_code == 2
    assert "--role" in result.output
    assert _rows(app, ApiKey) == []


def test_a_bad_name_is_refused(app):
    result = keys(app, "create", "--name", "a/b", "--role", "caller")
    assert result.exit_code == 1
    assert "name" in result.output
    assert _rows(app, ApiKey) == []


def test_revoke_takes_effect_on_the_next_request(app):
    client = app.test_client()
    headers = bearer(create(app, name="leaver"))
    assert client.get("/v1/decisions", headers=headers).status_code == 200
    result = keys(app, "revoke", "leaver")
    assert result.exit_code == 0
    assert "Revoked" in result.output
    assert client.get("/v1/decisions", headers=headers).status_code == 401


def test_revoking_an_unknown_key_is_refused(app):
    result = keys(app, "revoke", "nobody")
    assert result.exit_code == 1
    assert "no key named 'nobody'" in result.output


def test_list_shows_names_roles_and_state_but_never_keys(app):
    key = create(app, name="alive")
    create(app, name="gone", role="officer")
    keys(app, "revoke", "gone")
    result = keys(app, "list")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("alive\tcaller\t") and lines[0].endswith("live")
    assert lines[1].startswith("gone\tofficer\t") and "revoked" in lines[1]
    assert key not in result.output and hashlib.sha256(key.encode()).hexdigest() not in result.output


def test_cli_changes_are_audited_as_the_cli(app):
    create(app, name="audited")
    keys(app, "revoke", "audited")
    events = [(event.action, event.target, event.actor) for event in _rows(app, AuditEvent)]
    assert events == [("key.create", "audited", "cli"), ("key.revoke", "audited", "cli")]
