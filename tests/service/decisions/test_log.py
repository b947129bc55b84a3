"""Recording decisions: one record per decision, chained, with history facts."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from service.db import ChainHead, DecisionFlag, DecisionRecord
from service.decisions import get_decision_text
from service.decisions.chain import GENESIS
from tests.conftest import NOW, make_request


def _count(database):
    with database.reading() as session:
        return session.execute(select(func.count()).select_from(DecisionRecord)).scalar_one()


def test_each_decision_is_stored_once_and_reads_back_identical(log, database, triage_service):
    outcome = log.triage(triage_service, [make_request()], now=NOW)[0]
    assert _count(database) == 1
    assert get_decision_text(database, outcome.decision["decision_id"]) == outcome.text
    assert json.loads(outcome.text) == outcome.decision


def test_the_record_keeps_request_facts_ruleset_and_dates(log, database, triage_service):
    request = make_request(description="Youths gather in the alley at night", area="Darlaston")
    decision = log.triage(triage_service, [request], now=NOW)[0].decision
    with database.reading() as session:
        row = session.execute(select(DecisionRecord)).scalar_one()
    assert row.decision_id == decision["decision_id"]
    assert (row.reference, row.area, row.category, row.routing) == ("REF-1", "Darlaston", "graffiti", "cat")
    assert json.loads(row.request_json)["description"] == "Youths gather in the alley at night"
    assert json.loads(row.facts_json) == decision["facts"]
    assert (row.ruleset_name, row.ruleset_version) == (triage_service.live.name, triage_service.live.version)
    assert row.as_of == date(2026, 11, 1)


def test_records_are_chained_from_genesis(record, database):
    record(3)
    with database.reading() as session:
        rows = session.execute(select(DecisionRecord).order_by(DecisionRecord.seq)).scalars().all()
        head = session.get(ChainHead, 1)
    assert rows[0].prev_hash == GENESIS
    assert [row.prev_hash for row in rows[1:]] == [row.record_hash for row in rows[:-1]]
    assert head.last_hash == rows[-1].record_hash and head.records == 3


def test_flags_are_stored_for_filtering(record, database):
    record(1, hate_motivated=True, vulnerable_victim=True)
    with database.reading() as session:
        codes = set(session.execute(select(DecisionFlag.code)).scalars())
    assert codes == {"hate_incident", "vulnerable_victim"}


def test_history_counts_earlier_decisions_for_the_same_reference(log, triage_service):
    request = make_request(reference="ALLEY-7")
    first = log.triage(triage_service, [request], now=NOW)[0].decision
    second = log.triage(triage_service, [request], now=NOW)[0].decision
    other = log.triage(triage_service, [make_request(reference="OTHER")], now=NOW)[0].decision
    assert first["facts"]["times_triaged_before"] == 0
    assert second["facts"]["times_triaged_before"] == 1
    assert second["facts"]["times_routed_to_cat_before"] == 1
    assert other["facts"]["times_triaged_before"] == 0


def test_three_cat_meetings_unresolved_escalates_to_borough_tasking(log, triage_service):
    request = make_request(reference="ALLEY-9", local_actions=[
        {"action": "patrols", "agency": "Neighbourhood Police Team", "outcome": "not_resolved"}])
    routings = [log.triage(triage_service, [request], now=NOW)[0].decision for _ in range(4)]
    assert [d["routing"] for d in routings] == ["cat", "cat", "cat", "borough_tasking"]
    reason = routings[-1]["reasons"][0]
    assert reason["rule"] == "bt_repeated_at_cat_unresolved"
    assert "3 times" in reason["text"]


def test_a_resolved_action_stops_the_repeat_escalation(log, triage_service):
    request = make_request(reference="ALLEY-10", local_actions=[
        {"action": "graffiti removal", "agency": "Street Pride", "outcome": "resolved"}])
    decisions = [log.triage(triage_service, [request], now=NOW)[0].decision for _ in range(4)]
    assert decisions[-1]["routing"] == "cat"


def test_an_invalid_item_is_reported_and_not_stored(log, database, triage_service):
    bad = make_request(first_reported=date(2027, 1, 1))
    outcomes = log.triage(triage_service, [make_request(), bad, None], now=NOW)
    assert outcomes[0].decision is not None
    assert outcomes[1].errors == {"first_reported": ["must not be after as_of (2026-11-01)"]}
    assert outcomes[2].decision is None and outcomes[2].errors is None
    assert _count(database) == 1
