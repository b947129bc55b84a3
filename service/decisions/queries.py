"""Reading the decision log: one decision, or a filtered, paged list."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import Database, DecisionFlag, DecisionRecord
from ..reviews.reviews import review_status, reviews_of


class BadCursor(ValueError):
    """A page cursor that this service did not hand out."""


def get_decision_text(database: Database, decision_id: str) -> str | None:
    """The decision exactly as it was returned, or None."""
    with database.reading() as session:
        return session.execute(
            select(DecisionRecord.decision_json).where(DecisionRecord.decision_id == decision_id)
        ).scalar_one_or_none()


def decision_with_review(database: Database, decision_id: str, owner: str | None = None) -> str | None:
    """The decision as returned, then its review state; None if unknown (or not ``owner``'s).

    The stored text is kept byte for byte: the ``review`` member is appended after it.
    """
    query = select(DecisionRecord).where(DecisionRecord.decision_id == decision_id)
    if owner is not None:
        query = query.where(DecisionRecord.created_by == owner)
    with database.reading() as session:
        record = session.execute(query).scalar_one_or_none()
        if record is None:
            return None
        review = review_status(reviews_of(session, record.seq), record.review_required, record.routing)
    return f"{record.decision_json[:-1]},\"review\":{json.dumps(review, separators=(',', ':'))}}}"


def list_decisions(database: Database, filters: dict, limit: int, cursor: str | None) -> dict:
    """Newest first, filtered; ``next_cursor`` fetches the following page."""
    query = filtered(select(DecisionRecord), filters).options(selectinload(DecisionRecord.flags))
    if cursor:
        query = query.where(DecisionRecord.seq < decode_cursor(cursor))
    with database.reading() as session:
        rows = session.execute(query.order_by(DecisionRecord.seq.desc()).limit(limit + 1)).scalars().all()
    page = rows[:limit]
    more = len(rows) > limit
    return {
        "items": [summary(row) for row in page],
        "next_cursor": encode_cursor(page[-1].seq) if more else None,
    }


def summary(record: DecisionRecord) -> dict:
    """The listing fields of one decision."""
    decision = json.loads(record.decision_json)
    return {
        "decision_id": record.decision_id,
        "reference": record.reference,
        "area": record.area,
        "category": record.category,
        "routing": record.routing,
        "routing_label": decision["routing_label"],
        "review_required": record.review_required,
        "flags": sorted(flag.code for flag in record.flags),
        "ruleset": {"name": record.ruleset_name, "version": record.ruleset_version},
        "as_of": record.as_of,
        "evaluated_at": datetime.fromisoformat(decision["evaluated_at"]),
    }


def filtered(query, filters: dict):
    """``query`` narrowed by reference, area, routing, creator, flag and from/to days (UTC)."""
    for name in ("reference", "area", "routing", "created_by"):
        if filters.get(name):
            query = query.where(getattr(DecisionRecord, name) == filters[name])
    if filters.get("flag"):
        flagged = select(DecisionFlag.decision_seq).where(DecisionFlag.code == filters["flag"])
        query = query.where(DecisionRecord.seq.in_(flagged))
    if filters.get("from"):
        query = query.where(DecisionRecord.evaluated_at >= _start_of(filters["from"]))
    if filters.get("to"):
        query = query.where(DecisionRecord.evaluated_at < _start_of(filters["to"]) + timedelta(days=1))
    return query


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def encode_cursor(seq: int) -> str:
    """An opaque cursor for the page after ``seq``."""
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; BadCursor if it is not ours."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, seq = text.split(":", 1)
        if prefix != "seq" or not seq.isdigit():
            raise ValueError
        return int(seq)
    except (ValueError, UnicodeDecodeError):
        raise BadCursor("not a cursor from this service: pass the next_cursor of a previous page") from None
