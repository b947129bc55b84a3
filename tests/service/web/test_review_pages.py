"""The review queue, a decision's page, and accepting or overriding through the form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from service.db import DecisionRecord, Review
from service.decisions import verify
from tests.service.web.support import (
    CLS,
    CROSS_AREA,
    HATE,
    RESOURCE,
    count,
    csrf_token,
    parse_page,
    post_review,
    record_in,
    rows_of,
    signed_in,
    structure_problems,
)

REASON = "Residents report the same gang across three estates."
QUEUE_CAPTION = "Decisions awaiting review"
HISTORY_CAPTION = "Every review of this decision"


@pytest.fixture
def chair(app):
    """A test client signed in as the chair jag.chair."""
    return signed_in(app, "chair", "jag.chair")


@pytest.fixture
def mixed(app):
    """Decisions in two areas with every routing, some needing review, an hour apart, the newest 2 hours ago."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=8)
    plan = [("BLK-Q1", "Blakenall", {}), ("BLK-H1", "Blakenall", HATE), ("DAR-R1", "Darlaston", RESOURCE),
            ("DAR-Q1", "Darlaston", {}), ("BLK-C1", "Blakenall", CLS), ("DAR-X1", "Darlaston", CROSS_AREA)]
    return {reference: record_in(app, start + timedelta(hours=index), reference=reference, area=area, **overrides)
            for index, (reference, area, overrides) in enumerate(plan)}


def queue_references(response) -> list[str]:
    """The references in the queue table, top to bottom."""
    rows = parse_page(response.get_data(as_text=True)).table(QUEUE_CAPTION).body
    return [row[0].split()[0] for row in rows if len(row) > 1]


def review_history(response) -> list[list[str]]:
    """The review history table's rows: when, who, what, routing, why."""
    page = parse_page(response.get_data(as_text=True))
    tables = [table for table in page.tables if table.caption.startswith(HISTORY_CAPTION)]
    return tables[0].body if tables else []


def _stored_text(app, decision_id: str) -> str:
    with app.extensions["database"].reading() as session:
        return session.execute(
            select(DecisionRecord.decision_json).where(DecisionRecord.decision_id == decision_id)).scalar_one()


# --- the queue ---------------------------------------------------------------------------


def test_the_queue_puts_decisions_needing_review_first_then_newest(chair, mixed):
    assert queue_references(chair.get("/review")) == ["DAR-X1", "BLK-C1", "DAR-R1", "BLK-H1", "DAR-Q1", "BLK-Q1"]


def test_each_queue_row_shows_reference_area_category_routing_flags_and_wait(chair, mixed):
    html = chair.get("/review").get_data(as_text=True)
    rows = {row[0].split()[0]: row for row in parse_page(html).table(QUEUE_CAPTION).body}
    cat = mixed["BLK-H1"]["routing_label"]
    assert rows["BLK-H1"] == ["BLK-H1 Review needed", "Blakenall", "Graffiti", cat, "hate incident", "7 hours"]
    assert rows["BLK-Q1"] == ["BLK-Q1", "Blakenall", "Graffiti", cat, "None", "8 hours"]
    assert f'href="/review/{mixed["BLK-H1"]["decision_id"]}"' in html


def test_the_queue_filters_by_area_routing_flag_and_date(chair, mixed):
    today = datetime.now(UTC).date()
    queries = {
        "area=Darlaston": ["DAR-X1", "DAR-R1", "DAR-Q1"],
        "routing=borough_tasking": ["DAR-X1", "DAR-R1"],
        "flag=hate_incident": ["BLK-H1"],
        "area=Blakenall&routing=cat": ["BLK-H1", "BLK-Q1"],
        "area=Blakenall&flag=cross_area": [],
        f"from={today + timedelta(days=1)}": [],
        f"from={today - timedelta(days=1)}&to={today}": ["DAR-X1", "BLK-C1", "DAR-R1", "BLK-H1", "DAR-Q1", "BLK-Q1"],
        f"to={today - timedelta(days=2)}": [],
        "area=&routing=&flag=&from=&to=": ["DAR-X1", "BLK-C1", "DAR-R1", "BLK-H1", "DAR-Q1", "BLK-Q1"],
    }
    assert {query: queue_references(chair.get(f"/review?{query}")) for query in queries} == queries


def test_the_filter_form_keeps_the_chosen_values(chair, mixed):
    html = chair.get("/review?area=Darlaston&routing=cat&flag=cross_area&from=2026-01-02").get_data(as_text=True)
    assert '<option value="Darlaston" selected>' in html
    assert '<option value="cat" selected>' in html and '<option value="cross_area" selected>' in html
    assert 'id="from" name="from" type="date" value="2026-01-02"' in html


def test_an_empty_queue_says_nothing_is_waiting(chair):
    html = chair.get("/review?area=Nowhere").get_data(as_text=True)
    assert "Nothing is waiting for review with these filters." in html and "0 decisions awaiting review" in html


def test_bad_filter_values_show_an_error_not_a_500(chair, mixed):
    errors = {
        "routing=police": "Choose one of the listed routings.",
        "from=31/12/2026": "Enter a date as YYYY-MM-DD.",
        "to=2026-02-30": "Enter a date as YYYY-MM-DD.",
        "from=2026-1-5": "Enter a date as YYYY-MM-DD.",
    }
    shown = {}
    for query, message in errors.items():
        response = chair.get(f"/review?{query}")
        shown[query] = (response.status_code in (200, 400, 422), message in response.get_data(as_text=True))
    assert shown == {query: (True, True) for query in errors}


def test_a_nul_character_in_a_filter_is_refused_with_an_html_page(chair, mixed):
    response = chair.get("/review?from=%00")
    assert (response.status_code, response.mimetype) == (400, "text/html")
    assert structure_problems(response.get_data(as_text=True)) == []


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999", "1.5"])
def test_odd_page_numbers_show_a_page_of_the_queue(chair, mixed, page):
    response = chair.get(f"/review?page={page}")
    assert response.status_code == 200 and len(queue_references(response)) == 6


def test_the_queue_pages_twenty_five_rows_and_keeps_the_filters(app, chair):
    start = datetime.now(UTC) - timedelta(days=2)
    for index in range(30):
        record_in(app, start + timedelta(minutes=index), reference=f"P-{index:02d}", area="Pleck")
    record_in(app, start, reference="ELSEWHERE", area="Darlaston")
    first = chair.get("/review?area=Pleck")
    links = dict((text, href) for href, text in parse_page(first.get_data(as_text=True)).links)
    second = chair.get(links["Next page"])
    assert len(queue_references(first)) == 25 and "page 1 of 2" in first.get_data(as_text=True)
    assert links["Next page"] == "/review?area=Pleck&page=2"
    assert queue_references(second) == ["P-04", "P-03", "P-02", "P-01", "P-00"]
    assert "Previous page" in second.get_data(as_text=True) and "Next page" not in second.get_data(as_text=True)


def test_reviewed_decisions_leave_the_queue(chair, mixed):
    post_review(chair, mixed["BLK-H1"]["decision_id"], action="accept")
    post_review(chair, mixed["DAR-Q1"]["decision_id"], action="override", routing="borough_tasking", reason=REASON)
    assert queue_references(chair.get("/review")) == ["DAR-X1", "BLK-C1", "DAR-R1", "BLK-Q1"]


# --- a decision's page ---------------------------------------------------------------------


def test_the_decision_page_shows_the_recommendation_and_every_reason(app, chair):
    decision = record_in(app, reference="ALLEY-7", **RESOURCE, **CROSS_AREA)
    html = chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True)
    assert f"Recommendation: {decision['routing_label']}" in html
    assert len(decision["reasons"]) == 2
    for reason in decision["reasons"]:
        assert f"{reason['text']} <span class=\"rule\">(rule {reason['rule']})</span>" in html


def test_the_decision_page_shows_agencies_with_their_roles(app, chair):
    decision = record_in(app, **HATE)
    page = parse_page(chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True))
    shown = page.table("Agencies and their roles").body
    assert shown == [[a["name"], a["role"], a["reason"]] for a in decision["agencies"]] and len(shown) == 2


def test_the_decision_page_shows_next_steps_flags_and_facts(app, chair):
    decision = record_in(app, **CLS, vulnerable_victim=True)
    html = chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True)
    assert decision["next_steps"] and all(f"<li>{step}</li>" in html for step in decision["next_steps"])
    assert [flag["code"] for flag in decision["flags"]] == ["asb_case_review_threshold", "vulnerable_victim"]
    assert "<strong>vulnerable victim</strong>: A victim is vulnerable: check safeguarding and risk-assess" in html
    assert decision["facts"]["persistent"] is True
    assert all(f"<dt>{name}</dt><dd>{escape(value)}</dd>" in html for name, value in decision["facts"].items())


def test_the_decision_page_shows_the_rules_version_and_when_it_was_decided(app, chair):
    decision = record_in(app, datetime(2026, 3, 10, 9, 5, tzinfo=UTC))
    html = chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True)
    ruleset = decision["ruleset"]
    assert f"Rules: {ruleset['name']}, version {ruleset['version']}. Evaluated 10 Mar 2026 09:05 UTC for 2026-11-01." in html


def test_the_decision_page_shows_the_issue_as_submitted_escaped(app, chair):
    decision = record_in(app, description="Tags say <script>alert('x')</script> & worse")
    html = chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True)
    assert "<dt>description</dt><dd>Tags say &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; worse</dd>" in html
    assert "<script>" not in html


def test_the_decision_page_lists_the_other_decisions_for_the_reference(app, chair):
    earlier = record_in(app, datetime(2026, 2, 1, 9, 0, tzinfo=UTC), reference="ALLEY-7")
    current = record_in(app, datetime(2026, 3, 1, 9, 0, tzinfo=UTC), reference="ALLEY-7", **RESOURCE)
    record_in(app, datetime(2026, 3, 2, 9, 0, tzinfo=UTC), reference="OTHER-1")
    post_review(chair, earlier["decision_id"], action="accept")
    html = chair.get(f"/review/{current['decision_id']}").get_data(as_text=True)
    assert parse_page(html).table("Earlier and later decisions").body == [["01 Feb 2026 09:00", "CAT", "accepted"]]
    assert f'href="/review/{earlier["decision_id"]}"' in html


def test_the_decision_page_shows_the_near_misses(app, chair):
    decision = record_in(app, first_reported=CLS["first_reported"], reports_last_6_months=3)  # CLS, but not raised at NAP/JAG
    html = chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True)
    assert decision["routing"] == "cat" and len(decision["not_chosen"]) == 2
    assert "<h3>Near misses</h3>" in html
    assert all(f"<li>{escape(miss['text'])}</li>" in html for miss in decision["not_chosen"])


def test_an_unknown_decision_is_a_404_page(chair):
    response = chair.get("/review/00000000-0000-0000-0000-000000000000")
    assert (response.status_code, response.mimetype) == (404, "text/html")
    assert "There is no page at this address." in response.get_data(as_text=True)


# --- accepting and overriding --------------------------------------------------------------


def test_accepting_stores_a_review_and_says_so(app, chair):
    decision = record_in(app, **HATE)
    response = post_review(chair, decision["decision_id"], action="accept")
    assert (response.status_code, response.headers["Location"]) == (302, f"/review/{decision['decision_id']}#reviews")
    (review,) = rows_of(app.extensions["database"], Review)
    assert (review.reviewer, review.action, review.routing, review.reason) == ("jag.chair", "accept", "cat", "")
    page = chair.get(f"/review/{decision['decision_id']}")
    assert "Recommendation accepted." in page.get_data(as_text=True)
    assert [row[1:] for row in review_history(page)] == [["jag.chair", "Accepted", "CAT", "—"]]


def test_overriding_with_a_reason_stores_it_and_shows_it_in_the_history(app, chair):
    decision = record_in(app)
    response = post_review(chair, decision["decision_id"], action="override", routing="borough_tasking", reason=REASON)
    assert response.status_code == 302
    (review,) = rows_of(app.extensions["database"], Review)
    assert (review.reviewer, review.action, review.original_routing, review.routing, review.reason) == (
        "jag.chair", "override", "cat", "borough_tasking", REASON)
    page = chair.get(f"/review/{decision['decision_id']}")
    html = page.get_data(as_text=True)
    assert "Override recorded." in html and "routing in force: <strong>Borough Tasking Group</strong>" in html
    assert [row[1:] for row in review_history(page)] == [["jag.chair", "Overridden", "Borough Tasking Group", REASON]]


@pytest.mark.parametrize("form, field, message", [
    ({"routing": "borough_tasking"}, "reason", "an override needs a written reason"),
    ({"routing": "borough_tasking", "reason": "   \n  "}, "reason", "an override needs a written reason"),
    ({"routing": "borough_tasking", "reason": "no reason"}, "reason", "an override needs a written reason"),
    ({"routing": "cat", "reason": REASON}, "routing", "that is the recommended routing"),
    ({"reason": REASON}, "routing", "choose the routing to use instead"),
    ({"routing": "police", "reason": REASON}, "routing", "choose the routing to use instead"),
])
def test_a_refused_override_is_a_422_page_with_the_error_and_nothing_stored(app, chair, form, field, message):
    decision = record_in(app)
    response = post_review(chair, decision["decision_id"], action="override", **form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<li><a href="#{field}">{message}' in html and f'<p class="field-error" id="{field}-error">{message}' in html
    assert f'aria-describedby="{field}-error" aria-invalid="true"' in html
    assert count(app.extensions["database"], Review) == 0 and review_history(response) == []


def test_a_refused_override_keeps_what_the_chair_typed(app, chair):
    decision = record_in(app)
    html = post_review(chair, decision["decision_id"], action="override", routing="community_led_solution",
                       reason="too short").get_data(as_text=True)
    assert '<option value="community_led_solution" selected>' in html and ">too short</textarea>" in html


def test_a_decision_reviewed_twice_shows_both_reviews_in_order(app, chair):
    decision = record_in(app, **RESOURCE)
    post_review(chair, decision["decision_id"], action="accept")
    post_review(chair, decision["decision_id"], action="override", routing="community_led_solution", reason=REASON)
    history = review_history(chair.get(f"/review/{decision['decision_id']}"))
    assert [row[1:] for row in history] == [["jag.chair", "Accepted", "Borough Tasking Group", "—"],
                                            ["jag.chair", "Overridden", "Community Led Solution", REASON]]


def test_overrides_never_alter_the_original_decision(app, chair, client):
    decision = record_in(app, **HATE)
    stored = _stored_text(app, decision["decision_id"])
    post_review(chair, decision["decision_id"], action="override", routing="borough_tasking", reason=REASON)
    post_review(chair, decision["decision_id"], action="accept")
    assert _stored_text(app, decision["decision_id"]) == stored
    assert verify(app.extensions["database"]).intact
    body = client.get(f"/v1/decisions/{decision['decision_id']}").get_json()
    assert {key: value for key, value in body.items() if key != "review"} == json.loads(stored)


def test_the_api_shows_the_latest_review_to_chairs_and_admins(app, chair, client, client_as):
    decision = record_in(app)
    post_review(chair, decision["decision_id"], action="override", routing="borough_tasking", reason=REASON)
    for api in (client, client_as("chair")):
        review = api.get(f"/v1/decisions/{decision['decision_id']}").get_json()["review"]
        assert (review["status"], review["routing"], review["reviewed_by"], review["reviews"]) == (
            "overridden", "borough_tasking", "jag.chair", 1)


def test_every_review_is_in_the_audit_log_with_who_when_and_what(app, chair, client):
    decision = record_in(app)
    before = datetime.now(UTC) - timedelta(seconds=1)
    post_review(chair, decision["decision_id"], action="accept")
    post_review(chair, decision["decision_id"], action="override", routing="borough_tasking", reason=REASON)
    events = [e for e in client.get("/v1/audit").get_json()["items"] if e["action"].startswith("review.")]
    assert [(e["actor"], e["action"], e["target"], e["details"]) for e in events] == [
        ("jag.chair", "review.override", decision["decision_id"],
         {"reference": "REF-1", "recommended": "cat", "routing": "borough_tasking", "reason": REASON}),
        ("jag.chair", "review.accept", decision["decision_id"],
         {"reference": "REF-1", "recommended": "cat", "routing": "cat", "reason": ""}),
    ]
    assert all(before <= datetime.fromisoformat(e["at"]) <= datetime.now(UTC) for e in events)


def test_audit_times_say_they_are_utc(app, chair, client):
    post_review(chair, record_in(app)["decision_id"], action="accept")
    (event,) = [e for e in client.get("/v1/audit").get_json()["items"] if e["action"] == "review.accept"]
    assert datetime.fromisoformat(event["at"]).utcoffset() == timedelta(0)


def test_a_review_reason_is_shown_escaped(app, chair):
    decision = record_in(app)
    post_review(chair, decision["decision_id"], action="override", routing="borough_tasking",
                reason="<img src=x onerror=alert(1)> moved by the JAG")
    html = chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt; moved by the JAG" in html and "<img" not in html


@pytest.mark.parametrize("token", [None, "not-a-token", "other-session"])
def test_a_review_posted_without_this_sessions_csrf_token_is_refused(app, chair, token):
    decision = record_in(app)
    form = {"action": "accept"}
    if token is not None:
        form["csrf_token"] = csrf_token(app.test_client()) if token == "other-session" else token
    response = chair.post(f"/review/{decision['decision_id']}", data=form)
    assert response.status_code == 400 and "<h1>Form refused</h1>" in response.get_data(as_text=True)
    assert count(app.extensions["database"], Review) == 0


def test_an_officer_cannot_review(app):
    officer, decision = signed_in(app, "officer"), record_in(app)
    response = officer.post(f"/review/{decision['decision_id']}",
                            data={"csrf_token": csrf_token(officer, "/reports/areas"), "action": "accept"})
    assert response.status_code == 403 and count(app.extensions["database"], Review) == 0


def test_reviewing_an_unknown_decision_is_a_404(chair):
    response = chair.post("/review/no-such-decision", data={"csrf_token": csrf_token(chair, "/review"), "action": "accept"})
    assert response.status_code == 404


# --- page structure --------------------------------------------------------------------------


def test_the_queue_page_is_well_structured(chair, mixed):
    assert structure_problems(chair.get("/review?area=Blakenall").get_data(as_text=True)) == []


def test_the_queue_page_with_filter_errors_is_well_structured(chair, mixed):
    html = chair.get("/review?routing=police&from=nope&to=never").get_data(as_text=True)
    assert structure_problems(html) == []


def test_the_paged_and_empty_queue_pages_are_well_structured(app, chair):
    assert structure_problems(chair.get("/review").get_data(as_text=True)) == []
    for index in range(26):
        record_in(app, reference=f"P-{index}")
    assert structure_problems(chair.get("/review?page=2").get_data(as_text=True)) == []


def test_the_decision_page_is_well_structured(app, chair):
    earlier = record_in(app, reference="ALLEY-7")
    decision = record_in(app, reference="ALLEY-7", **CLS, **HATE)
    post_review(chair, earlier["decision_id"], action="accept")
    post_review(chair, decision["decision_id"], action="override", routing="cat", reason=REASON)
    assert structure_problems(chair.get(f"/review/{decision['decision_id']}").get_data(as_text=True)) == []


def test_the_decision_page_with_review_errors_is_well_structured(app, chair):
    decision = record_in(app)
    response = post_review(chair, decision["decision_id"], action="override", routing="cat", reason="short")
    assert response.status_code == 422 and structure_problems(response.get_data(as_text=True)) == []
