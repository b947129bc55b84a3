"""Concurrent clients against gunicorn on PostgreSQL: each 2xx has exactly one record.

The full run (8 clients, 2,000 triages, 4 workers) is ``python -m bench.log_load``;
this test runs a smaller one in the PostgreSQL pass of the suite.
"""

from __future__ import annotations

import os

import pytest

from bench import log_load

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.mark.skipif(not POSTGRES_URL.startswith("postgresql"), reason="runs in the PostgreSQL pass")
def test_every_2xx_has_exactly_one_record_and_there_are_no_5xx():
    counts = log_load.run(clients=8, requests=240, workers=4, base_url=POSTGRES_URL)
    assert counts["responses_5xx"] == 0
    assert counts["responses_2xx"] == 240
    assert counts["2xx_with_exactly_one_record"] == 240
    assert counts["records_stored"] == 240
    assert counts["records_without_a_2xx"] == 0
