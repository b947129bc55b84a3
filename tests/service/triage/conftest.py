"""Fixtures for the triage domain tests."""

from __future__ import annotations

import pytest

from tests.conftest import NOW, make_request


@pytest.fixture
def decide(triage_service):
    """Decide a make_request() issue with overrides, evaluated at NOW."""

    def _decide(**overrides) -> dict:
        return triage_service.decide(make_request(**overrides), now=NOW)

    return _decide
