"""What a candidate rule set would change: replay recorded decisions and test cases.

Each recorded decision is replayed with its stored request, ``as_of``, history
and evaluation time through both the live rules and the candidate rules, and
the test cases are run through both, so only the rule change shows up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from marshmallow import ValidationError
from sqlalchemy import select

from schemas import TriageRequestSchema

from ..db import Database, DecisionRecord
from ..triage import InvalidRequest, TriageService
from .cases import load_cases


@dataclass
class Change:
    """How one replayed item's outcome differs between live and candidate rules."""

    source: str  # "decision" or "test case"
    reference: str
    item: str  # decision id or case name
    routing: tuple[str, str]
    flags_added: list[str] = field(default_factory=list)
    flags_removed: list[str] = field(default_factory=list)
    agencies_added: list[str] = field(default_factory=list)
    agencies_removed: list[str] = field(default_factory=list)
    rules_now_firing: list[str] = field(default_factory=list)
    rules_no_longer_firing: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class Diff:
    """Counts of what changes, and each changed item."""

    replayed: int = 0
    routings: int = 0
    flags: int = 0
    agencies: int = 0
    changes: list[Change] = field(default_factory=list)


def diff_rules(live: TriageService, candidate: TriageService, database: Database | None,
               since: date | None = None) -> Diff:
    """Replay recorded decisions (optionally since a date) and the candidate's test cases."""
    result = Diff()
    schema = TriageRequestSchema(categories=candidate.categories)
    for item in _recorded(database, since) if database else ():
        _compare(result, live, candidate, schema, item)
    for case in load_cases(candidate.live.book.directory).cases:
        issue = {"reference": "rule-test", "area": "Test area", **case.issue}
        _compare(result, live, candidate, schema, ("test case", issue.get("reference"), case.name, issue,
                                                   case.history, None))
    return result


def _recorded(database: Database, since: date | None):
    query = select(DecisionRecord).order_by(DecisionRecord.seq)
    if since:
        query = query.where(DecisionRecord.evaluated_at >= datetime.combine(since, time.min, tzinfo=UTC))
    with database.reading() as session:
        for record in session.execute(query.execution_options(yield_per=500)).scalars():
            request = json.loads(record.request_json)
            request["as_of"] = record.as_of.isoformat()
            facts = json.loads(record.facts_json)
            history = {key: facts.get(key, 0) for key in ("times_triaged_before", "times_routed_to_cat_before")}
            yield ("decision", record.reference, record.decision_id, request, history, record.evaluated_at)


def _compare(result: Diff, live, candidate, schema, item) -> None:
    source, reference, name, issue, history, evaluated_at = item
    result.replayed += 1
    try:
        request = schema.load(issue)
        now = evaluated_at or datetime.combine(request["as_of"], time(12), tzinfo=UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        before = live.decide(request, now, history=history)
        after = candidate.decide(request, now, history=history)
    except (ValidationError, InvalidRequest) as error:
        message = error.messages if isinstance(error, ValidationError) else str(error)
        result.changes.append(Change(source, str(reference), name, ("?", "?"), error=f"cannot replay: {message}"))
        return
    change = _change(source, str(reference), name, before, after)
    if change is not None:
        result.routings += change.routing[0] != change.routing[1]
        result.flags += bool(change.flags_added or change.flags_removed)
        result.agencies += bool(change.agencies_added or change.agencies_removed)
        result.changes.append(change)


def _change(source, reference, name, before: dict, after: dict) -> Change | None:
    flags = [{flag["code"] for flag in d["flags"]} for d in (before, after)]
    agencies = [{f"{a['name']} ({a['role']})" for a in d["agencies"]} for d in (before, after)]
    fired = [set(d["rules_fired"]) for d in (before, after)]
    if before["routing"] == after["routing"] and flags[0] == flags[1] and agencies[0] == agencies[1]:
        return None
    return Change(
        source, reference, name, (before["routing"], after["routing"]),
        sorted(flags[1] - flags[0]), sorted(flags[0] - flags[1]),
        sorted(agencies[1] - agencies[0]), sorted(agencies[0] - agencies[1]),
        sorted(fired[1] - fired[0]), sorted(fired[0] - fired[1]),
    )
