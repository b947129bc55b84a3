"""Chairs' reviews: accept or override with a reason, stored beside the decision, never over it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from service.db import AuditEvent, DecisionRecord, Review
from service.db.types import UTCDateTime
from service.decisions import verify
from service.decisions.queries import decision_with_review
from service.reviews import ReviewProblem, review_decision, review_status
from tests.service.web.support import HATE, RESOURCE, count, rows_of

REASON = "The estate's housing team is already leading on this."


def _stored(database, decision_id: str) -> DecisionRecord:
    with database.reading() as session:
        return session.execute(select(DecisionRecord).where(DecisionRecord.decision_id == decision_id)).scalar_one()


def test_accepting_stores_the_recommended_routing(database, recorded):
    decision = recorded()
    before = datetime.now(UTC)
    review_decision(database, decision["decision_id"], "jag.chair", "accept")
    (review,) = rows_of(database, Review)
    assert (review.reviewer, review.action, review.original_routing, review.routing, review.reason) == (
        "jag.chair", "accept", "cat", "cat", "")
    assert before <= review.reviewed_at <= datetime.now(UTC)


def test_overriding_stores_the_new_routing_and_the_reason(database, recorded):
    decision = recorded()
    review_decision(database, decision["decision_id"], "jag.chair", "override", routing="borough_tasking",
                    reason=f"  {REASON}\n")
    (review,) = rows_of(database, Review)
    assert (review.action, review.original_routing, review.routing, review.reason) == (
        "override", "cat", "borough_tasking", REASON)


@pytest.mark.parametrize("routing, reason, field", [
    (None, REASON, "routing"),
    ("", REASON, "routing"),
    ("police", REASON, "routing"),
    ("cat", REASON, "routing"),  # the recommended routing: accept it instead
    ("borough_tasking", "", "reason"),
    ("borough_tasking", "          ", "reason"),
    ("borough_tasking", "too short", "reason"),
])
def test_an_override_needs_another_routing_and_a_written_reason(database, recorded, routing, reason, field):
    decision = recorded()
    with pytest.raises(ReviewProblem) as problem:
        review_decision(database, decision["decision_id"], "jag.chair", "override", routing=routing, reason=reason)
    assert problem.value.field == field
    assert count(database, Review) == 0


def test_an_unknown_action_is_refused(database, recorded):
    decision = recorded()
    with pytest.raises(ReviewProblem) as problem:
        review_decision(database, decision["decision_id"], "jag.chair", "reject")
    assert problem.value.field == "action" and count(database, Review) == 0


def test_reviewing_an_unknown_decision_is_refused(database):
    with pytest.raises(ReviewProblem) as problem:
        review_decision(database, "00000000-0000-0000-0000-000000000000", "jag.chair", "accept")
    assert problem.value.field == "decision"


def test_a_decision_can_be_reviewed_again_and_every_review_is_kept(database, recorded):
    decision = recorded(**RESOURCE)
    review_decision(database, decision["decision_id"], "jag.chair", "accept")
    review_decision(database, decision["decision_id"], "cat.chair", "override", routing="cat", reason=REASON)
    assert [(r.reviewer, r.action, r.routing) for r in rows_of(database, Review)] == [
        ("jag.chair", "accept", "borough_tasking"), ("cat.chair", "override", "cat")]


def test_overrides_never_alter_the_decision_record(database, recorded):
    decision = recorded(**HATE)
    before = _stored(database, decision["decision_id"])
    review_decision(database, decision["decision_id"], "jag.chair", "override", routing="borough_tasking", reason=REASON)
    review_decision(database, decision["decision_id"], "jag.chair", "accept")
    after = _stored(database, decision["decision_id"])
    columns = [column.key for column in DecisionRecord.__table__.columns]
    assert {c: getattr(after, c) for c in columns} == {c: getattr(before, c) for c in columns}
    assert verify(database).intact


def test_each_review_is_audited_with_who_what_and_why(database, recorded):
    decision = recorded()
    review_decision(database, decision["decision_id"], "jag.chair", "override", routing="borough_tasking", reason=REASON)
    (event,) = [e for e in rows_of(database, AuditEvent) if e.action.startswith("review.")]
    assert (event.actor, event.action, event.target) == ("jag.chair", "review.override", decision["decision_id"])
    assert json.loads(event.details_json) == {"reference": "REF-1", "recommended": "cat",
                                              "routing": "borough_tasking", "reason": REASON}


def test_a_refused_review_is_not_audited(database, recorded):
    decision = recorded()
    with pytest.raises(ReviewProblem):
        review_decision(database, decision["decision_id"], "jag.chair", "override", routing="borough_tasking")
    assert not [e for e in rows_of(database, AuditEvent) if e.action.startswith("review.")]


# --- the review state the API reports ------------------------------------------------


def test_an_unreviewed_decision_that_needs_review_is_awaiting_review():
    assert review_status([], True, "cat") == {"status": "awaiting_review", "routing": "cat", "reviewed_by": None,
                                              "reviewed_at": None, "reviews": 0}


def test_an_unreviewed_decision_that_needs_no_review_is_not_reviewed():
    assert review_status([], False, "cat")["status"] == "not_reviewed"


def test_the_latest_review_sets_the_status_and_routing_in_force(database, recorded):
    decision = recorded(**RESOURCE)
    review_decision(database, decision["decision_id"], "jag.chair", "override", routing="cat", reason=REASON)
    review_decision(database, decision["decision_id"], "cat.chair", "override", routing="community_led_solution",
                    reason=REASON)
    reviews = rows_of(database, Review)
    status = review_status(reviews, True, "borough_tasking")
    assert (status["status"], status["routing"], status["reviewed_by"], status["reviews"]) == (
        "overridden", "community_led_solution", "cat.chair", 2)
    assert status["reviewed_at"] == reviews[-1].reviewed_at.isoformat()


def test_accepting_after_an_override_restores_the_recommendation(database, recorded):
    decision = recorded()
    review_decision(database, decision["decision_id"], "jag.chair", "override", routing="borough_tasking", reason=REASON)
    review_decision(database, decision["decision_id"], "jag.chair", "accept")
    status = review_status(rows_of(database, Review), False, "cat")
    assert (status["status"], status["routing"], status["reviews"]) == ("accepted", "cat", 2)


def test_the_api_text_is_the_stored_decision_with_the_review_appended(database, recorded):
    decision = recorded()
    stored = _stored(database, decision["decision_id"]).decision_json
    review_decision(database, decision["decision_id"], "jag.chair", "override", routing="borough_tasking", reason=REASON)
    text = decision_with_review(database, decision["decision_id"])
    assert text.startswith(stored[:-1] + ',"review":{')
    body = json.loads(text)
    assert (body["routing"], body["review"]["status"], body["review"]["routing"]) == ("cat", "overridden", "borough_tasking")


def test_stored_times_read_back_as_utc_whether_naive_or_zoned():
    read = UTCDateTime().process_result_value
    assert read(datetime(2026, 3, 1, 12, 0), None) == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    plus_two = datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert read(plus_two, None).tzinfo == UTC and read(plus_two, None).hour == 12
