"""People who sign in to the review pages: chairs, officers and admins.

Passwords are hashed with werkzeug's scrypt (salted, memory-hard).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import record_event
from ..db import Database, User, UserSession

USER_ROLES = ("chair", "officer", "admin")
MIN_PASSWORD = 12
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{1,99}")
_DUMMY_HASH = generate_password_hash("timing-equaliser")


class UserProblem(ValueError):
    """A user account change that cannot be made; the message says why."""


def create_user(database: Database, username: str, role: str, password: str, actor: str) -> None:
    """Add a person who can sign in."""
    if not _USERNAME.fullmatch(username or ""):
        raise UserProblem("a username is 2-100 letters, digits, '.', '_', '@' or '-'")
    if role not in USER_ROLES:
        raise UserProblem(f"unknown role {role!r}; roles are {', '.join(USER_ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise UserProblem(f"a password needs at least {MIN_PASSWORD} characters")
    with database.transaction() as session:
        if session.execute(select(User.id).where(User.username == username)).first():
            raise UserProblem(f"a user named {username!r} already exists")
        session.add(User(username=username, role=role, password_hash=generate_password_hash(password),
                         created_at=datetime.now(UTC)))
        record_event(session, actor, "user.create", username, role=role)


def check_credentials(database: Database, username: str, password: str) -> User | None:
    """The user if the password is right and the account is enabled, else None."""
    with database.reading() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or user.disabled_at is not None:
        check_password_hash(_DUMMY_HASH, password)  # same work either way: no username probing by timing
        return None
    return user if check_password_hash(user.password_hash, password) else None


def get_user(database: Database, user_id: int) -> User | None:
    """An enabled user by id (for the session), or None."""
    with database.reading() as session:
        user = session.get(User, user_id)
    return user if user is not None and user.disabled_at is None else None


def start_session(database: Database, user_id: int) -> str:
    """A new sign-in for a user; the token goes in the session cookie, only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with database.transaction() as session:
        session.add(UserSession(token_hash=_hash(token), user_id=user_id, started_at=datetime.now(UTC)))
    return token


def end_session(database: Database, token: str) -> None:
    """Sign-out: this sign-in stops working, even from a copy of its cookie."""
    with database.transaction() as session:
        row = session.get(UserSession, _hash(token))
        if row is not None and row.ended_at is None:
            row.ended_at = datetime.now(UTC)


def user_for_session(database: Database, user_id: int, token: str) -> User | None:
    """The enabled user of a live sign-in, or None."""
    with database.reading() as session:
        user = session.execute(
            select(User).join(UserSession, UserSession.user_id == User.id)
            .where(User.id == user_id, User.disabled_at.is_(None), UserSession.token_hash == _hash(token),
                   UserSession.ended_at.is_(None))
        ).scalar_one_or_none()
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def list_users(database: Database) -> list[User]:
    """Every account, by name."""
    with database.reading() as session:
        return list(session.execute(select(User).order_by(User.username)).scalars())
