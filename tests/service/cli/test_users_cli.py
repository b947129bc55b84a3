"""flask users create / list: accounts for the review pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from service.db import User
from service.reviews import check_credentials
from tests.service.web.support import PASSWORD

ROOT = Path(__file__).resolve().parents[3]


def users(app, *args, stdin: str | None = None):
    """Run ``flask users ...`` with this text on standard input."""
    return app.test_cli_runner().invoke(args=["users", *args], input=stdin)


def create(app, *options, stdin: str = f"{PASSWORD}\n"):
    """Run ``flask users create --password-stdin`` with a chair's details unless others are given."""
    return users(app, "create", *(options or ("--username", "jag.chair", "--role", "chair")), "--password-stdin",
                 stdin=stdin)


def _users(app) -> list[User]:
    with app.extensions["database"].reading() as session:
        return list(session.execute(select(User).order_by(User.id)).scalars())


def test_create_with_password_stdin_makes_an_account_that_can_sign_in(app):
    result = create(app)
    assert (result.exit_code, result.output) == (0, "Created chair 'jag.chair'.\n")
    assert check_credentials(app.extensions["database"], "jag.chair", PASSWORD).role == "chair"


def test_the_password_is_stored_as_an_scrypt_hash_never_in_plain_text(app):
    create(app)
    (user,) = _users(app)
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_the_password_keeps_its_spaces_but_not_the_newline(app):
    create(app, stdin=f"  {PASSWORD}  \n")
    database = app.extensions["database"]
    assert check_credentials(database, "jag.chair", f"  {PASSWORD}  ") is not None
    assert check_credentials(database, "jag.chair", PASSWORD) is None


@pytest.mark.parametrize("stdin", ["short\n", "\n", "", "eleven-char\n"])
def test_a_short_password_is_refused(app, stdin):
    result = create(app, stdin=stdin)
    assert result.exit_code == 1 and "a password needs at least 12 characters" in result.output
    assert _users(app) == []


@pytest.mark.parametrize("role", ["caller", "superuser", "CHAIR"])
def test_an_unknown_role_is_refused(app, role):
    result = create(app, "--username", "jag.chair", "--role", role)
    assert result.exit_code == 2 and "Invalid value for '--role'" in result.output
    assert _users(app) == []


def test_a_duplicate_username_is_refused_and_the_first_account_kept(app):
    create(app)
    result = create(app, "--username", "jag.chair", "--role", "admin", stdin="another long password\n")
    assert result.exit_code == 1 and "a user named 'jag.chair' already exists" in result.output
    assert [(u.username, u.role) for u in _users(app)] == [("jag.chair", "chair")]


def test_a_malformed_username_is_refused(app):
    result = create(app, "--username", "jag chair", "--role", "chair")
    assert result.exit_code == 1 and "username" in result.output and _users(app) == []


def test_without_password_stdin_the_password_is_asked_for_twice(app):
    result = users(app, "create", "--username", "jag.chair", "--role", "officer", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and PASSWORD not in result.output
    assert [(u.username, u.role) for u in _users(app)] == [("jag.chair", "officer")]


def test_a_mistyped_confirmation_creates_nothing(app):
    result = users(app, "create", "--username", "jag.chair", "--role", "chair", stdin=f"{PASSWORD}\nsomething else\n")
    assert result.exit_code != 0 and "do not match" in result.output and _users(app) == []


def test_list_shows_each_account_role_and_state(app):
    create(app)
    create(app, "--username", "policy.officer", "--role", "officer")
    assert users(app, "list").output == "jag.chair\tchair\tactive\npolicy.officer\tofficer\tactive\n"


def test_the_documented_command_works_from_a_shell(app, database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "AUTO_MIGRATE": "false", "SECRET_KEY": "cli-test"}
    result = subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "users", "create",
                             "--username", "jag.chair", "--role", "chair", "--password-stdin"],
                            input=f"{PASSWORD}\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert (result.returncode, result.stdout) == (0, "Created chair 'jag.chair'.\n"), result.stderr
    assert check_credentials(app.extensions["database"], "jag.chair", PASSWORD) is not None
