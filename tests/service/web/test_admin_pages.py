"""The admin page: accounts and the audit log, for admins only."""

from __future__ import annotations

import pytest

from service.auth import create_key
from tests.service.web.support import add_person, parse_page, post_review, record_in, signed_in, structure_problems


@pytest.fixture
def admin(app):
    """A test client signed in as an admin."""
    return signed_in(app, "admin", "site.admin")


def _table(client, caption: str) -> list[list[str]]:
    return parse_page(client.get("/admin").get_data(as_text=True)).table(caption).body


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_only_admins_reach_the_admin_page(app, role):
    add_person(app.extensions["database"], "secret.person", "admin")
    response = signed_in(app, role).get("/admin")
    html = response.get_data(as_text=True)
    assert (response.status_code, response.mimetype) == (403, "text/html")
    assert "<h1>Forbidden</h1>" in html and "Your role does not allow you to see this page." in html
    assert "secret.person" not in html and "Audit log" not in html


def test_the_admin_page_lists_every_account_with_role_and_state(app, admin):
    add_person(app.extensions["database"], "jag.chair", "chair")
    add_person(app.extensions["database"], "gone.officer", "officer", disabled=True)
    rows = [[row[0], row[1], row[3]] for row in _table(admin, "Accounts")]
    assert rows == [["gone.officer", "officer", "disabled"], ["jag.chair", "chair", "active"],
                    ["site.admin", "admin", "active"]]


def test_the_admin_page_shows_reviews_in_the_audit_log_newest_first(app, admin):
    chair = signed_in(app, "chair", "jag.chair")
    decision = record_in(app)
    post_review(chair, decision["decision_id"], action="accept")
    post_review(chair, decision["decision_id"], action="override", routing="borough_tasking",
                reason="The borough team already holds the case.")
    rows = [row[1:] for row in _table(admin, "Latest audited actions")]
    assert rows[:2] == [["jag.chair", "review.override", decision["decision_id"]],
                        ["jag.chair", "review.accept", decision["decision_id"]]]


def test_the_audit_log_on_the_admin_page_pages_back_fifty_at_a_time(app, admin):
    for index in range(55):
        create_key(app.extensions["database"], f"key-{index:02d}", "caller", actor="tests")
    page = parse_page(admin.get("/admin").get_data(as_text=True))
    older = dict((text, href) for href, text in page.links)["Older entries"]
    first = page.table("Latest audited actions").body
    rest = parse_page(admin.get(older).get_data(as_text=True)).table("Latest audited actions").body
    assert len(first) == 50 and first[0][3] == "key-54"
    assert [row[3] for row in rest[:5]] == ["key-04", "key-03", "key-02", "key-01", "key-00"]
    assert not {tuple(row) for row in first} & {tuple(row) for row in rest}


def test_the_admin_page_is_well_structured(app, admin):
    post_review(signed_in(app, "chair", "jag.chair"), record_in(app)["decision_id"], action="accept")
    assert structure_problems(admin.get("/admin").get_data(as_text=True)) == []


def test_the_forbidden_page_is_well_structured(app):
    assert structure_problems(signed_in(app, "chair").get("/admin").get_data(as_text=True)) == []
