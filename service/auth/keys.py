"""API keys: created once and shown once, stored only as a hash, revoked at once.

Keys are 256-bit random tokens, so a plain SHA-256 of the key is a safe,
constant-time-lookup hash (no password stretching is needed for random keys).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from ..audit import record_event
from ..db import ApiKey, Database

ROLES = ("caller", "officer", "chair", "admin")
PREFIX = "cst_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}")


class KeyProblem(ValueError):
    """A key operation that cannot be done; the message says why."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name and role."""

    name: str
    role: str


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(database: Database, name: str, role: str, actor: str) -> str:
    """Make a key and return it; it is never shown again."""
    if not _NAME.fullmatch(name or ""):
        raise KeyProblem("a key name is 1-100 letters, digits, spaces, '.', '_' or '-'")
    if role not in ROLES:
        raise KeyProblem(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    key = PREFIX + secrets.token_urlsafe(32)
    with database.transaction() as session:
        if session.execute(select(ApiKey.id).where(ApiKey.name == name)).first():
            raise KeyProblem(f"a key named {name!r} already exists")
        session.add(ApiKey(name=name, role=role, key_hash=hash_key(key), created_at=datetime.now(UTC), created_by=actor))
        record_event(session, actor, "key.create", name, role=role)
    return key


def revoke_key(database: Database, name: str, actor: str) -> None:
    """Revoke a key: every request with it is refused from now on."""
    with database.transaction() as session:
        key = session.execute(select(ApiKey).where(ApiKey.name == name)).scalar_one_or_none()
        if key is None:
            raise KeyProblem(f"no key named {name!r}")
        if key.revoked_at is None:
            key.revoked_at = datetime.now(UTC)
            record_event(session, actor, "key.revoke", name, role=key.role)


def list_keys(database: Database) -> list[dict]:
    """Every key's name, role and dates (never the key)."""
    with database.reading() as session:
        keys = session.execute(select(ApiKey).order_by(ApiKey.name)).scalars().all()
    return [{"name": k.name, "role": k.role, "created_at": k.created_at, "created_by": k.created_by,
             "revoked_at": k.revoked_at} for k in keys]


def authenticate(database: Database, key: str) -> Principal | None:
    """The principal a live key belongs to, or None."""
    with database.reading() as session:
        row = session.execute(
            select(ApiKey.name, ApiKey.role).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None))
        ).first()
    return Principal(row.name, row.role) if row else None
