"""Shared fixtures: the default rule book, a triage service, an app and client."""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from service import create_app
from service.auth import create_key
from service.db import Database
from service.rulebook import load_rulebook
from service.triage import TriageService

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
AS_OF = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def book():
    """The default rule book shipped in rules/."""
    return load_rulebook(RULES_DIR)


@pytest.fixture(scope="session")
def triage_service(book):
    """A TriageService on the default rules (registered once per test session)."""
    return TriageService(book)


POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
TABLES = ("decision_flags", "decision_rules", "reviews", "decisions", "api_keys", "audit_events", "user_sessions", "users",
          "ruleset_versions")


@contextmanager
def postgres_schema():
    """A new PostgreSQL schema migrated by Alembic, dropped afterwards; yields its URL."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = Database(POSTGRES_URL)
    with admin.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    database = Database(url)
    database.migrate()
    database.dispose()
    try:
        yield url
    finally:
        with admin.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A database migrated once per run by Alembic: an SQLite file, or a fresh PostgreSQL schema.

    Set TEST_DATABASE_URL=postgresql+psycopg://... to run the suite on PostgreSQL.
    """
    if not POSTGRES_URL:
        path = tmp_path_factory.mktemp("db") / "template.db"
        database = Database(f"sqlite:///{path}")
        database.migrate()
        database.dispose()
        yield path
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def database_url(database_template, tmp_path):
    """A fresh, empty, migrated database for one test."""
    if isinstance(database_template, Path):
        path = tmp_path / "triage.db"
        shutil.copyfile(database_template, path)
        return f"sqlite:///{path}"
    database = Database(database_template)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        connection.execute(text(
            "UPDATE chain_head SET last_seq = 0, last_hash = :g, anchor_seq = 0, anchor_hash = :g, records = 0, "
            "ruleset_version = NULL, ruleset_activated_at = NULL"
        ), {"g": "0" * 64})
    database.dispose()
    return database_template


@pytest.fixture
def database(database_url):
    """The test's empty, migrated database."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def app(database_url):
    """The app on the default rules, with its own empty decision log."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False})
    yield app
    app.extensions["database"].dispose()


@pytest.fixture
def key_for(app):
    """Make an API key with a role: key_for("caller", name=None) -> the key."""
    made = itertools.count(1)

    def _key(role: str, name: str | None = None) -> str:
        return create_key(app.extensions["database"], name or f"{role}-{next(made)}", role, actor="tests")

    return _key


@pytest.fixture
def client(app, key_for):
    """A test client that sends an admin key (tests of access control make their own)."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for('admin', 'test-admin')}"
    return client


@pytest.fixture
def client_as(app, key_for):
    """A test client acting with a new key of the given role: client_as("caller")."""

    def _client(role: str, name: str | None = None):
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(role, name)}"
        return client

    return _client


def make_issue(**overrides) -> dict:
    """A valid, quiet triage request as JSON (a local graffiti report), with overrides."""
    issue = {
        "reference": "REF-1",
        "area": "Blakenall",
        "category": "graffiti",
        "first_reported": "2026-10-15",
        "reports_last_6_months": 1,
        "as_of": AS_OF.isoformat(),
    }
    issue.update(overrides)
    return issue


def make_request(**overrides) -> dict:
    """The same issue as the validated dict the domain takes (dates as dates)."""
    issue = {
        "raised_by": "resident",
        "raised_at_nap": False,
        "raised_at_jag": False,
        "nap_priority_rank": None,
        "jag_cls_decision": "not_considered",
        "resources_requested": [],
        "local_actions": [],
        "other_areas_affected": [],
        "cat_requests_escalation": False,
        "high_crime_area": False,
        "vulnerable_victim": False,
        "hate_motivated": False,
        "residents_willing_to_lead": False,
        **make_issue(),
        "first_reported": date(2026, 10, 15),
        "as_of": AS_OF,
    }
    issue.update(overrides)
    return issue
