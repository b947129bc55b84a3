"""Rule reloads under load against gunicorn on PostgreSQL: no failed request, no version mismatch.

The full run (4 clients, 20 reloads, 3 of them by SIGHUP) is ``python -m bench.reload_load``;
this test runs a smaller one (6 reloads: 4 valid, 2 invalid, one of them by SIGHUP; about 20 s) in the
PostgreSQL pass of the suite.
"""

from __future__ import annotations

import os

import pytest

from bench import reload_load

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.mark.skipif(not POSTGRES_URL.startswith("postgresql"), reason="runs in the PostgreSQL pass")
def test_reloads_under_load_fail_no_request_and_every_decision_records_its_rules():
    counts = reload_load.run(clients=4, workers=4, reloads=6, sighup_at=(3,), pause=0.5, base_url=POSTGRES_URL,
                             max_seconds=120, quiet_checks=False)
    assert counts["triage_requests"] > 0
    assert counts["failed_requests"] == 0, counts["failures_sample"]
    assert counts["valid_reloads_ok"] == counts["valid_reloads"] == 4, counts["reload_log"]
    assert counts["invalid_reloads_refused_ok"] == counts["invalid_reloads"] == 2, counts["reload_log"]
    assert counts["valid_reload_statuses"] == {"200": 3, "SIGHUP": 1}
    assert counts["invalid_reload_statuses"] == {"422": 2}
    assert counts["decisions_stored"] == counts["triage_requests"]
    assert counts["decisions_2xx_with_exactly_one_record"] == counts["triage_requests"]
    assert counts["version_mismatches"] == 0, counts["mismatch_sample"]
    assert counts["responses_with_stale_version"] == 0
    assert counts["decisions_the_other_version_decides_differently"] > 0  # the check above can tell A from B
    assert counts["active_wrong_after_valid_reload"] == 0
    assert counts["active_wrong_after_invalid_reload"] == 0
    assert counts["reload_responses_naming_the_wrong_live_version"] == 0
