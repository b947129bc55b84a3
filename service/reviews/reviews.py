"""Chairs' reviews: accept the recommended routing, or override it with a written reason.

A review never changes the decision record; each is a new row, so a decision
can be reviewed again and its history shows every review.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ..audit import record_event
from ..db import Database, DecisionRecord, Review

ACTIONS = ("accept", "override")
ROUTINGS = ("cat", "borough_tasking", "community_led_solution")


class ReviewProblem(ValueError):
    """A review that cannot be recorded; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def review_decision(database: Database, decision_id: str, reviewer: str, action: str,
                    routing: str | None = None, reason: str = "") -> Review:
    """Record a review; an override needs a different routing and a written reason."""
    reason = (reason or "").strip()
    if action not in ACTIONS:
        raise ReviewProblem("action", f"must be one of {', '.join(ACTIONS)}")
    with database.transaction() as session:
        record = session.execute(select(DecisionRecord).where(DecisionRecord.decision_id == decision_id)).scalar_one_or_none()
        if record is None:
            raise ReviewProblem("decision", f"no decision with id {decision_id!r}")
        new_routing = record.routing if action == "accept" else _override_routing(record, routing, reason)
        review = Review(decision_seq=record.seq, reviewer=reviewer, reviewed_at=datetime.now(UTC), action=action,
                        original_routing=record.routing, routing=new_routing, reason=reason[:4000])
        session.add(review)
        record_event(session, reviewer, f"review.{action}", decision_id, reference=record.reference,
                     recommended=record.routing, routing=new_routing, reason=reason[:4000])
    return review


def _override_routing(record: DecisionRecord, routing: str | None, reason: str) -> str:
    if routing not in ROUTINGS:
        raise ReviewProblem("routing", f"choose the routing to use instead: one of {', '.join(ROUTINGS)}")
    if routing == record.routing:
        raise ReviewProblem("routing", "that is the recommended routing: accept it instead of overriding")
    if len(reason) < 10:
        raise ReviewProblem("reason", "an override needs a written reason (at least 10 characters)")
    return routing


def reviews_of(session, seq: int) -> list[Review]:
    """Every review of a decision, oldest first."""
    return list(session.execute(select(Review).where(Review.decision_seq == seq).order_by(Review.id)).scalars())


def review_status(reviews: list[Review], review_required: bool, routing: str) -> dict:
    """The review state the API reports: status, routing in force, latest reviewer and time."""
    if not reviews:
        return {"status": "awaiting_review" if review_required else "not_reviewed", "routing": routing,
                "reviewed_by": None, "reviewed_at": None, "reviews": 0}
    latest = reviews[-1]
    return {"status": "overridden" if latest.action == "override" else "accepted", "routing": latest.routing,
            "reviewed_by": latest.reviewer, "reviewed_at": latest.reviewed_at.isoformat(), "reviews": len(reviews)}

