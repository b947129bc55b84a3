"""Shared fixtures: the default rule book, a triage service, an app and client."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from service import create_app
from service.rulebook import load_rulebook
from service.triage import TriageService

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
AS_OF = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def book():
    """The default rule book shipped in rules/."""
    return load_rulebook(RULES_DIR)


@pytest.fixture(scope="session")
def triage_service(book):
    """A TriageService on the default rules (registered once per test session)."""
    return TriageService(book)


@pytest.fixture
def app():
    """The app on the default rules."""
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


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
