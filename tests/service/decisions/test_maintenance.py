"""Verifying the chain and purging old records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from service.decisions import parse_age, purge_older_than, verify
from tests.service.decisions.conftest import T0


def test_an_untouched_log_verifies(record, database):
    record(5)
    result = verify(database)
    assert result.intact and result.checked == 5


def test_an_empty_log_verifies(database):
    assert verify(database).intact


def test_an_altered_row_fails_and_is_named(record, database):
    decisions = record(3)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET routing = 'borough_tasking' WHERE seq = 2"))
    result = verify(database)
    assert not result.intact
    assert decisions[1]["decision_id"] in result.problems[0]
    assert "altered" in result.problems[0]


def test_a_removed_row_breaks_the_link_after_it(record, database):
    decisions = record(3)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions WHERE seq = 2"))
    problems = verify(database).problems
    assert any(decisions[2]["decision_id"] in problem and "does not follow" in problem for problem in problems)


def test_removing_the_newest_row_is_noticed(record, database):
    record(3)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions WHERE seq = 3"))
    assert any("newest records are missing" in problem for problem in verify(database).problems)


def test_purge_removes_only_old_records_and_the_chain_still_verifies(record, database):
    record(10, start=T0, step=timedelta(days=30))
    removed = purge_older_than(database, timedelta(days=100), now=T0 + timedelta(days=270))
    assert removed == 6
    result = verify(database)
    assert result.intact and result.checked == 4


def test_purge_with_nothing_old_removes_nothing(record, database):
    record(2)
    assert purge_older_than(database, timedelta(days=365), now=T0) == 0
    assert verify(database).checked == 2


def test_tampering_after_a_purge_is_still_caught(record, database):
    record(4, step=timedelta(days=30))
    purge_older_than(database, timedelta(days=45), now=T0 + timedelta(days=100))
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET area = 'Elsewhere' WHERE seq = 4"))
    assert not verify(database).intact


@pytest.mark.parametrize(("text_age", "days"), [("365d", 365), ("52w", 364), ("1d", 1)])
def test_ages_are_read_in_days_and_weeks(text_age, days):
    assert parse_age(text_age) == timedelta(days=days)


@pytest.mark.parametrize("bad", ["", "d", "12", "0d", "-3d", "1y", "3 days"])
def test_other_ages_are_refused(bad):
    with pytest.raises(ValueError, match="365d"):
        parse_age(bad)
