"""The review queue and the facts shown on one decision's page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..db import Database, DecisionRecord, Review
from ..decisions.queries import filtered
from .reviews import review_status, reviews_of

PAGE_SIZE = 25


@dataclass
class QueuePage:
    """One page of decisions awaiting review."""

    rows: list[dict]
    page: int
    pages: int
    total: int


def awaiting_review(database: Database, filters: dict, page: int, now: datetime) -> QueuePage:
    """Unreviewed decisions: those needing review first, then newest first."""
    unreviewed = ~select(Review.id).where(Review.decision_seq == DecisionRecord.seq).exists()
    query = filtered(select(DecisionRecord).where(unreviewed), filters)
    with database.reading() as session:
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 1), pages)
        records = session.execute(
            query.order_by(DecisionRecord.review_required.desc(), DecisionRecord.seq.desc())
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).scalars().all()
        rows = [_row(record, now) for record in records]
    return QueuePage(rows, page, pages, total)


def _row(record: DecisionRecord, now: datetime) -> dict:
    decision = json.loads(record.decision_json)
    return {
        "decision_id": record.decision_id, "reference": record.reference, "area": record.area,
        "category": decision["facts"].get("category_label", record.category), "routing": record.routing,
        "routing_label": decision["routing_label"], "flags": [flag["code"] for flag in decision["flags"]],
        "review_required": record.review_required, "waited": waited(now - record.evaluated_at),
    }


def waited(elapsed: timedelta) -> str:
    """How long something has waited, as a person would say it."""
    minutes = int(elapsed.total_seconds() // 60)
    for size, unit in ((60 * 24, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            count = minutes // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "just now"


def decision_page(database: Database, decision_id: str) -> dict | None:
    """Everything the decision page shows, or None if there is no such decision."""
    with database.reading() as session:
        record = session.execute(select(DecisionRecord).where(DecisionRecord.decision_id == decision_id)).scalar_one_or_none()
        if record is None:
            return None
        reviews = reviews_of(session, record.seq)
        history = session.execute(
            select(DecisionRecord).where(DecisionRecord.reference == record.reference, DecisionRecord.seq != record.seq)
            .order_by(DecisionRecord.seq.desc()).limit(50)
        ).scalars().all()
        history_rows = [{"decision_id": other.decision_id, "routing": other.routing,
                         "evaluated_at": other.evaluated_at,
                         "status": review_status(reviews_of(session, other.seq), other.review_required, other.routing)}
                        for other in history]
    return {
        "record": record, "request": json.loads(record.request_json), "decision": json.loads(record.decision_json),
        "reviews": reviews, "status": review_status(reviews, record.review_required, record.routing),
        "history": history_rows, "evaluated_at": record.evaluated_at,
    }


def known_areas(database: Database) -> list[str]:
    """Every area that has a decision, for the filter list."""
    with database.reading() as session:
        return list(session.execute(select(DecisionRecord.area).distinct().order_by(DecisionRecord.area)).scalars())
