"""The audit log: who changed keys or rules, or reviewed a decision, and when."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from .db import AuditEvent, Database


def record_event(session, actor: str, action: str, target: str, **details) -> None:
    """Add an audit event to the session's transaction (it commits with the change it records)."""
    session.add(AuditEvent(at=datetime.now(UTC), actor=actor, action=action, target=target[:200],
                           details_json=json.dumps(details, default=str, sort_keys=True)))


def list_events(database: Database, action: str | None, limit: int, before: int | None) -> dict:
    """Newest first; ``next_before`` fetches the next page."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if action:
        query = query.where(AuditEvent.action == action)
    if before:
        query = query.where(AuditEvent.id < before)
    with database.reading() as session:
        rows = session.execute(query).scalars().all()
    page = rows[:limit]
    return {
        "items": [{"id": e.id, "at": e.at, "actor": e.actor, "action": e.action, "target": e.target,
                   "details": json.loads(e.details_json)} for e in page],
        "next_before": page[-1].id if len(rows) > limit else None,
    }
