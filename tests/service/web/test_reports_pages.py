"""The LNP progress report page, its CSV and charts, and the rule feedback page, on known data."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from service.db import DecisionRecord, DecisionRule
from service.reviews.reports import COLUMNS
from tests.service.web.support import (
    KNOWN_REPORT,
    expected_rule_feedback,
    parse_page,
    post_review,
    record_in,
    seed_known_decisions,
    signed_in,
    structure_problems,
)

NUMBERS = COLUMNS[2:]


@pytest.fixture
def known(app):
    """KNOWN_DECISIONS recorded and reviewed in the app's log; the decisions by reference."""
    return seed_known_decisions(lambda now, **overrides: record_in(app, now, **overrides), app.extensions["database"])


@pytest.fixture
def chair(app):
    """A test client signed in as a chair."""
    return signed_in(app, "chair", "jag.chair")


@pytest.fixture
def officer(app):
    """A test client signed in as a policy officer."""
    return signed_in(app, "officer", "policy.officer")


def report_tables(html: str) -> dict[str, list[list[str]]]:
    """Each area's table on the report page: area -> rows of month and counts."""
    return {table.caption.removesuffix(" by month"): table.body for table in parse_page(html).tables}


def test_the_report_page_shows_the_counts_for_each_area_and_month(chair, known):
    expected: dict[str, list[list[str]]] = {}
    for row in KNOWN_REPORT:
        expected.setdefault(row["area"], []).append([row["month"], *(str(row[name]) for name in NUMBERS)])
    assert report_tables(chair.get("/reports/areas").get_data(as_text=True)) == expected


def test_the_report_table_headings_name_each_count(chair, known):
    page = parse_page(chair.get("/reports/areas").get_data(as_text=True))
    assert page.tables[0].head == [["Month", "Triaged", "CAT", "Borough Tasking", "Community Led Solution", "Reviewed",
                                    "Overridden"]]


def test_the_csv_has_the_same_rows_as_the_report(chair, known):
    response = chair.get("/reports/areas.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert (response.mimetype, response.headers["Content-Disposition"]) == ("text/csv",
                                                                           "attachment; filename=lnp-progress.csv")
    assert rows[0] == list(COLUMNS)
    assert rows[1:] == [[str(row[name]) for name in COLUMNS] for row in KNOWN_REPORT]


def test_the_report_page_links_to_the_csv(chair, known):
    assert ("/reports/areas.csv", "Download as CSV") in parse_page(chair.get("/reports/areas").get_data(as_text=True)).links


def test_each_area_has_a_chart_of_its_months_by_destination(chair, known):
    html = chair.get("/reports/areas").get_data(as_text=True)
    charts = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(charts) == 2
    assert "Issues triaged per month in Blakenall, by destination</title>" in charts[0]
    bars = re.findall(r"<title>([^<]*)</title></rect>", charts[0])
    assert bars == ["2026-01: 2 to CAT", "2026-01: 1 to Borough Tasking", "2026-02: 1 to CAT",
                    "2026-02: 1 to Community Led Solution"]


def test_an_override_made_on_the_review_page_shows_in_the_report(app, chair):
    decision = record_in(app, area="Pleck")
    post_review(chair, decision["decision_id"], action="override", routing="borough_tasking",
                reason="Spans the ward boundary, so the borough leads.")
    (rows,) = report_tables(chair.get("/reports/areas").get_data(as_text=True)).values()
    assert rows == [[decision["evaluated_at"][:7], "1", "1", "0", "0", "1", "1"]]


def test_an_empty_report_says_so_and_its_csv_has_only_the_header(chair):
    assert "No issues have been triaged yet." in chair.get("/reports/areas").get_data(as_text=True)
    assert chair.get("/reports/areas.csv").get_data(as_text=True).splitlines() == [",".join(COLUMNS)]


def test_officers_see_the_report_too(officer, known):
    assert officer.get("/reports/areas").status_code == 200 and officer.get("/reports/areas.csv").status_code == 200


def test_area_names_are_escaped_in_the_table_and_chart(app, chair):
    record_in(app, area='<b>Pleck</b> & "Co"')
    html = chair.get("/reports/areas").get_data(as_text=True)
    assert "<b>Pleck" not in html and "&lt;b&gt;Pleck&lt;/b&gt; &amp; &#34;Co&#34;" in html


def test_csv_cells_never_start_a_spreadsheet_formula(app, chair):
    for area in ('=HYPERLINK("http://evil.example","Pleck")', "+1+1", "-2+3", "@SUM(1)"):
        record_in(app, area=area)
    rows = list(csv.reader(io.StringIO(chair.get("/reports/areas.csv").get_data(as_text=True))))
    assert [row[0] for row in rows[1:] if row[0][:1] in ("=", "+", "-", "@", "\t", "\r")] == []


def test_each_chart_is_labelled_by_its_own_title(app, chair):
    record_in(app, area="Birchills Leamore")
    record_in(app, area="Birchills-Leamore")
    assert structure_problems(chair.get("/reports/areas").get_data(as_text=True)) == []


# --- rule feedback ----------------------------------------------------------------------------


def test_rule_feedback_shows_fired_drove_reviewed_and_overridden_per_rule(app, officer, known):
    page = parse_page(officer.get("/rules/feedback").get_data(as_text=True))
    shown = {row[0]: row[2:6] for row in page.table("Rules, most overridden first").body}
    expected = {rule: [str(counts[name]) for name in ("fired", "drove", "reviewed", "overridden")]
                for rule, counts in expected_rule_feedback(known).items()}
    assert shown == expected


def test_rule_feedback_shows_descriptions_and_override_rates_most_overridden_first(app, officer, known):
    rows = parse_page(officer.get("/rules/feedback").get_data(as_text=True)).table("Rules").body
    descriptions = {rule.id: rule.description for rule in app.extensions["triage"].live.book.rules}
    assert [row[0] for row in rows[:2]] == ["bt_resource_not_available_locally", "cat_local_issue"]
    assert [row[6] for row in rows[:3]] == ["100%", "25%", "0%"]
    assert all(row[1] == descriptions[row[0]] for row in rows)


def test_rule_feedback_names_rules_no_longer_in_the_live_rules(app, officer):
    decision = record_in(app)
    with app.extensions["database"].transaction() as session:
        seq = session.execute(select(DecisionRecord.seq).where(
            DecisionRecord.decision_id == decision["decision_id"])).scalar_one()
        session.add(DecisionRule(decision_seq=seq, rule_id="retired_rule", drove_routing=False))
    rows = parse_page(officer.get("/rules/feedback").get_data(as_text=True)).table("Rules").body
    assert [row[:3] for row in rows if row[0] == "retired_rule"] == [["retired_rule", "No longer in the live rules", "1"]]


def test_rule_feedback_without_decisions_says_so(officer):
    assert "No decisions yet." in officer.get("/rules/feedback").get_data(as_text=True)


def test_chairs_do_not_see_rule_feedback(chair):
    assert chair.get("/rules/feedback").status_code == 403


# --- page structure ---------------------------------------------------------------------------


def test_the_report_page_is_well_structured(chair, known):
    assert structure_problems(chair.get("/reports/areas").get_data(as_text=True)) == []


def test_the_empty_report_page_is_well_structured(chair):
    assert structure_problems(chair.get("/reports/areas").get_data(as_text=True)) == []


def test_the_rule_feedback_page_is_well_structured(officer, known):
    assert structure_problems(officer.get("/rules/feedback").get_data(as_text=True)) == []
