"""Fixtures shared by the tests of the rule toolkit: apps on a chosen rule folder, and a copy of rules/."""

from __future__ import annotations

import pytest

from tests.service.rulebook.broken import copy_rules
from tests.service.rulesets.apps import apps_on


@pytest.fixture
def app_on(database_url):
    """Apps on a chosen rule directory, all on the test's database."""
    yield from apps_on(database_url)


@pytest.fixture
def rules_copy(tmp_path):
    """A private copy of rules/, test cases included, for a test to edit."""
    return copy_rules(tmp_path)
