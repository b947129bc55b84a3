"""Fixtures for chairs' reviews: a database, a decision log, and a way to fill it at known times."""

from __future__ import annotations

import pytest

from service.decisions import DecisionLog
from tests.conftest import NOW
from tests.service.web.support import record


@pytest.fixture
def recorded(database, triage_service):
    """Triage and store an issue: recorded(now=NOW, **overrides) -> the decision."""
    log = DecisionLog(database)

    def _recorded(now=NOW, **overrides):
        return record(log, triage_service, now, **overrides)

    return _recorded
