"""Recording decisions: triage and store in one transaction, with history facts.

Appends are serialised by locking the chain head row, so each record can be
chained to the one before it and the history of a reference is consistent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select

from ..db import ChainHead, Database, DecisionFlag, DecisionRecord, DecisionRule
from ..triage import InvalidRequest, TriageService
from .chain import hash_record


@dataclass
class Outcome:
    """One item's result: the decision as stored and returned, or its errors."""

    decision: dict | None = None
    text: str | None = None
    errors: dict | None = None


def dumps(value) -> str:
    """JSON text as stored and returned: compact, UTF-8, dates in ISO form."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_iso)


def _iso(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


class DecisionLog:
    """Triage requests and record each decision in the same transaction."""

    def __init__(self, database: Database, on_locked=None):
        self.database = database
        self.on_locked = on_locked  # called with (session, head) once the head is locked: rule version sync

    def triage(self, service: TriageService, requests: list, now: datetime, created_by: str | None = None) -> list[Outcome]:
        """Decide and record each request (None marks one already found invalid); ``created_by`` names the key."""
        outcomes = []
        with self.database.transaction() as session:
            head = ChainHead.locked(session)
            if self.on_locked is not None:
                self.on_locked(session, head)
            for request in requests:
                outcomes.append(self._triage_one(session, head, service, request, now, created_by))
        return outcomes

    def _triage_one(self, session, head, service, request, now, created_by) -> Outcome:
        if request is None:
            return Outcome()
        try:
            decision = service.decide(request, now, history=self.history(session, request["reference"]))
        except InvalidRequest as error:
            return Outcome(errors={error.field: [error.message]})
        text = dumps(decision)
        self._append(session, head, request, decision, text, created_by)
        return Outcome(decision, text)

    @staticmethod
    def history(session, reference: str) -> dict:
        """How often this reference was triaged before, and how often it went to the CAT."""
        total, at_cat = session.execute(
            select(func.count(), func.coalesce(func.sum(case((DecisionRecord.routing == "cat", 1), else_=0)), 0))
            .where(DecisionRecord.reference == reference)
        ).one()
        return {"times_triaged_before": int(total), "times_routed_to_cat_before": int(at_cat)}

    @staticmethod
    def _append(session, head: ChainHead, request: dict, decision: dict, text: str, created_by: str | None) -> None:
        record = DecisionRecord(
            decision_id=decision["decision_id"], reference=decision["reference"], area=request["area"],
            category=request["category"], routing=decision["routing"], review_required=decision["review_required"],
            ruleset_name=decision["ruleset"]["name"], ruleset_version=decision["ruleset"]["version"],
            as_of=date.fromisoformat(decision["as_of"]), evaluated_at=datetime.fromisoformat(decision["evaluated_at"]),
            request_json=dumps(request), facts_json=dumps(decision["facts"]), decision_json=text,
            prev_hash=head.last_hash, created_by=created_by,
        )
        record.record_hash = hash_record(head.last_hash, record)
        record.flags = [DecisionFlag(code=code) for code in dict.fromkeys(f["code"] for f in decision["flags"])]
        drove = {reason["rule"] for reason in decision["reasons"]}
        record.rules = [DecisionRule(rule_id=rule, drove_routing=rule in drove) for rule in decision["rules_fired"]]
        session.add(record)
        session.flush()
        head.last_seq, head.last_hash, head.records = record.seq, record.record_hash, head.records + 1
