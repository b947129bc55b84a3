"""Helpers for access-control tests: a database for a whole module, and no keys left over from other tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from service import create_app
from service.db import Database
from tests.conftest import postgres_schema

ACCESS_TABLES = ("api_keys", "audit_events")


def forget_keys(database_url: str) -> None:
    """Empty the key and audit tables.

    On SQLite every test has a fresh copy of the template; on PostgreSQL tests share a
    schema, and conftest's ``database_url`` empties only the decision tables, so keys
    (e.g. ``test-admin``) and audit events from earlier tests would still be there.
    """
    if database_url.startswith("sqlite"):
        return
    database = Database(database_url)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(ACCESS_TABLES)} RESTART IDENTITY"))
    database.dispose()


@contextmanager
def module_database(database_template, directory: Path) -> Iterator[str]:
    """A fresh, migrated database of its own for a module's tests (conftest's ``database_url`` is per test)."""
    if isinstance(database_template, Path):
        path = directory / "triage.db"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"
        return
    with postgres_schema() as url:
        yield url


@contextmanager
def renamed_table(app, table: str) -> Iterator[None]:
    """Make a table disappear for a while, so queries on it fail as in a database outage."""
    database = app.extensions["database"]
    database.dispose()
    with database.engine.begin() as connection:
        connection.execute(text(f"ALTER TABLE {table} RENAME TO {table}_away"))
    try:
        yield
    finally:
        database.dispose()
        with database.engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE {table}_away RENAME TO {table}"))


def make_app(database_url: str, **config):
    """An app on the default rules and the given database, with config overrides."""
    return create_app({"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False, **config})


def bearer(key: str) -> dict:
    """The Authorization header for a key."""
    return {"Authorization": f"Bearer {key}"}
