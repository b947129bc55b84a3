"""Fixtures for the decision log: a database, a log, and a way to fill it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.decisions import DecisionLog
from tests.conftest import make_request

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def log(database):
    """A decision log on the test database."""
    return DecisionLog(database)


@pytest.fixture
def record(log, triage_service):
    """Triage and record issues: record(count, start=T0, step=1 day, **overrides) -> decisions."""

    def _record(count=1, start=T0, step=timedelta(days=1), **overrides):
        decisions = []
        for index in range(count):
            request = make_request(**{"reference": f"REF-{index}", **overrides})
            outcome = log.triage(triage_service, [request], now=start + index * step)[0]
            decisions.append(outcome.decision)
        return decisions

    return _record
