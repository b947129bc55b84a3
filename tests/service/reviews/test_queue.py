"""The review queue (filters, order, paging) and what a decision's page is built from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from service.reviews import review_decision
from service.reviews.queue import PAGE_SIZE, awaiting_review, decision_page, known_areas, waited
from tests.service.web.support import CLS, CROSS_AREA, HATE, RESOURCE

T = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
REASON = "The JAG agreed to hold this one at the CAT."


def _references(page) -> list[str]:
    return [row["reference"] for row in page.rows]


def _queue(database, page=1, **filters):
    return awaiting_review(database, filters, page, LATER)


@pytest.fixture
def mixed(recorded):
    """Decisions in two areas with every routing, some needing review, an hour apart."""
    plan = [("BLK-Q1", "Blakenall", {}), ("BLK-H1", "Blakenall", HATE), ("DAR-R1", "Darlaston", RESOURCE),
            ("DAR-Q1", "Darlaston", {}), ("BLK-C1", "Blakenall", CLS), ("DAR-X1", "Darlaston", CROSS_AREA)]
    return {reference: recorded(T + timedelta(hours=index), reference=reference, area=area, **overrides)
            for index, (reference, area, overrides) in enumerate(plan)}


def test_decisions_needing_review_come_first_then_newest_first(database, mixed):
    assert _references(_queue(database)) == ["DAR-X1", "BLK-C1", "DAR-R1", "BLK-H1", "DAR-Q1", "BLK-Q1"]


def test_reviewed_decisions_leave_the_queue(database, mixed):
    review_decision(database, mixed["BLK-H1"]["decision_id"], "jag.chair", "accept")
    review_decision(database, mixed["DAR-Q1"]["decision_id"], "jag.chair", "override", routing="borough_tasking",
                    reason=REASON)
    page = _queue(database)
    assert _references(page) == ["DAR-X1", "BLK-C1", "DAR-R1", "BLK-Q1"] and page.total == 4


@pytest.mark.parametrize("filters, expected", [
    ({"area": "Darlaston"}, ["DAR-X1", "DAR-R1", "DAR-Q1"]),
    ({"routing": "borough_tasking"}, ["DAR-X1", "DAR-R1"]),
    ({"routing": "community_led_solution"}, ["BLK-C1"]),
    ({"flag": "hate_incident"}, ["BLK-H1"]),
    ({"flag": "cross_area", "area": "Blakenall"}, []),
    ({"area": "Blakenall", "routing": "cat"}, ["BLK-H1", "BLK-Q1"]),
    ({"area": "Nowhere"}, []),
    ({"flag": "no_such_flag"}, []),
])
def test_filters_narrow_the_queue(database, mixed, filters, expected):
    page = _queue(database, **filters)
    assert (_references(page), page.total) == (expected, len(expected))


def test_date_filters_include_whole_days_in_utc(database, recorded):
    for reference, moment in (("EVE", "2026-03-14T23:59:59"), ("START", "2026-03-15T00:00:00"),
                              ("END", "2026-03-15T23:59:59"), ("NEXT", "2026-03-16T00:00:00")):
        recorded(datetime.fromisoformat(moment).replace(tzinfo=UTC), reference=reference)
    day = date(2026, 3, 15)
    assert _references(_queue(database, **{"from": day, "to": day})) == ["END", "START"]
    assert _references(_queue(database, **{"from": day})) == ["NEXT", "END", "START"]
    assert _references(_queue(database, to=day)) == ["END", "START", "EVE"]


def test_the_queue_is_paged_twenty_five_at_a_time(database, recorded):
    for index in range(PAGE_SIZE + 5):
        recorded(T + timedelta(minutes=index), reference=f"P-{index:02d}")
    first, second = _queue(database, 1), _queue(database, 2)
    assert (first.page, first.pages, first.total, len(first.rows)) == (1, 2, 30, 25)
    assert _references(first)[0] == "P-29" and _references(first)[-1] == "P-05"
    assert (second.page, _references(second)) == (2, ["P-04", "P-03", "P-02", "P-01", "P-00"])


@pytest.mark.parametrize("asked, shown", [(0, 1), (-4, 1), (3, 2), (10**9, 2)])
def test_pages_out_of_range_show_the_nearest_page(database, recorded, asked, shown):
    for index in range(PAGE_SIZE + 1):
        recorded(T + timedelta(minutes=index), reference=f"P-{index:02d}")
    assert _queue(database, asked).page == shown


def test_an_empty_queue_is_one_empty_page(database):
    page = _queue(database)
    assert (page.rows, page.page, page.pages, page.total) == ([], 1, 1, 0)


def test_each_row_has_what_the_queue_shows(database, recorded):
    decision = recorded(T, reference="ALLEY-7", area="Pleck", **HATE)
    (row,) = awaiting_review(database, {}, 1, T + timedelta(days=3, hours=2)).rows
    assert row == {"decision_id": decision["decision_id"], "reference": "ALLEY-7", "area": "Pleck",
                   "category": "Graffiti", "routing": "cat", "routing_label": decision["routing_label"],
                   "flags": ["hate_incident"], "review_required": True, "waited": "3 days"}


@pytest.mark.parametrize("elapsed, said", [
    (timedelta(seconds=-30), "just now"),
    (timedelta(seconds=59), "just now"),
    (timedelta(minutes=1), "1 minute"),
    (timedelta(minutes=59), "59 minutes"),
    (timedelta(hours=1), "1 hour"),
    (timedelta(hours=23, minutes=59), "23 hours"),
    (timedelta(days=1), "1 day"),
    (timedelta(days=40, hours=5), "40 days"),
])
def test_waiting_time_reads_as_a_person_would_say_it(elapsed, said):
    assert waited(elapsed) == said


def test_known_areas_lists_each_area_once_in_order(database, mixed):
    assert known_areas(database) == ["Blakenall", "Darlaston"]


def test_the_decision_page_has_the_request_decision_and_status(database, recorded):
    decision = recorded(T, reference="ALLEY-7", description="Tags on the underpass", **HATE)
    data = decision_page(database, decision["decision_id"])
    assert data["decision"] == decision
    assert data["request"]["description"] == "Tags on the underpass"
    assert (data["reviews"], data["status"]["status"], data["evaluated_at"]) == ([], "awaiting_review", T)


def test_the_decision_page_lists_other_decisions_for_the_reference_newest_first(database, recorded):
    first = recorded(T, reference="ALLEY-7")
    current = recorded(T + timedelta(days=30), reference="ALLEY-7", **HATE)
    latest = recorded(T + timedelta(days=60), reference="ALLEY-7", **RESOURCE)
    recorded(T + timedelta(days=61), reference="OTHER-1")
    review_decision(database, first["decision_id"], "jag.chair", "accept")
    history = decision_page(database, current["decision_id"])["history"]
    assert [(h["decision_id"], h["routing"], h["status"]["status"], h["evaluated_at"]) for h in history] == [
        (latest["decision_id"], "borough_tasking", "awaiting_review", T + timedelta(days=60)),
        (first["decision_id"], "cat", "accepted", T),
    ]


def test_the_decision_page_lists_reviews_oldest_first(database, recorded):
    decision = recorded(**RESOURCE)
    review_decision(database, decision["decision_id"], "jag.chair", "accept")
    review_decision(database, decision["decision_id"], "cat.chair", "override", routing="cat", reason=REASON)
    data = decision_page(database, decision["decision_id"])
    assert [(r.reviewer, r.action) for r in data["reviews"]] == [("jag.chair", "accept"), ("cat.chair", "override")]
    assert (data["status"]["status"], data["status"]["routing"]) == ("overridden", "cat")


def test_an_unknown_decision_has_no_page(database):
    assert decision_page(database, "no-such-decision") is None
