"""A JAG chair's journey in a real browser: sign in, filter the queue, override a decision, see it everywhere.

Playwright drives Debian's Chromium (never a downloaded browser) against the app served
over HTTP from a background thread. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from service import create_app
from service.auth import create_key
from service.reviews import create_user
from tests.conftest import make_issue
from tests.service.auth.support import module_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHAIR, PASSWORD = "jag.chair", "correct horse battery staple"
REASON = "Hate crime pattern across the estate: the borough's resources are needed."
VIEWPORT = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's Chromium is not installed at /usr/bin/chromium (the Makefile's "
                                       "`browser` target installs it)")

DOMEHAWK = [{"name": "domehawk camera", "available_locally": False}]
CLS = {"first_reported": "2026-08-01", "reports_last_6_months": 3, "raised_at_nap": True,
       "residents_willing_to_lead": True, "jag_cls_decision": "endorsed"}
ISSUES = [  # in the order they are triaged, so the last is the newest
    {"reference": "BLK-101", "area": "Blakenall"},
    {"reference": "BLK-102", "area": "Blakenall", "hate_motivated": True},
    {"reference": "BLK-103", "area": "Blakenall", "resources_requested": DOMEHAWK},
    {"reference": "DAR-201", "area": "Darlaston", "category": "litter"},
    {"reference": "DAR-202", "area": "Darlaston", "hate_motivated": True},
    {"reference": "DAR-203", "area": "Darlaston", **CLS},
]


@dataclass
class Site:
    """The running app: its address, the decisions it holds, and a chair's API key."""

    base: str
    decisions: dict[str, dict]
    chair_key: str


@dataclass
class ChairPage:
    """A signed-in chair's browser tab, and what the browser complained about."""

    page: object
    problems: list[str] = field(default_factory=list)


@dataclass
class Override:
    """The override made through the decision page, and the notice the page showed."""

    decision_id: str
    notice: str


@pytest.fixture(scope="module")
def journey_database(database_template, tmp_path_factory):
    """A database of this module's own: a copy of the SQLite template, or a new PostgreSQL schema."""
    with module_database(database_template, tmp_path_factory.mktemp("journey")) as url:
        yield url


def _seed(app) -> tuple[dict[str, dict], str]:
    """A chair, and the ISSUES triaged through the API with a caller's key; the decisions and a chair's key."""
    database = app.extensions["database"]
    create_user(database, CHAIR, "chair", PASSWORD, actor="tests")
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {create_key(database, 'ecins', 'caller', actor='tests')}"
    decisions = {}
    for issue in ISSUES:
        response = client.post("/v1/triage", json=make_issue(**issue))
        assert response.status_code == 200, response.get_data(as_text=True)
        decisions[issue["reference"]] = response.get_json()
    return decisions, create_key(database, "chair-key", "chair", actor="tests")


@pytest.fixture(scope="module")
def site(journey_database):
    """The app with its default settings, seeded, served over HTTP on 127.0.0.1 from a background thread."""
    app = create_app({"DATABASE_URL": journey_database, "AUTO_MIGRATE": False, "SECRET_KEY": "browser-tests"})
    decisions, chair_key = _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="review-pages", daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_port}", decisions, chair_key)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    app.extensions["database"].dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def chair_page(site, browser):
    """A tab in which the chair signed in through the sign-in form, having first asked for the queue."""
    context = browser.new_context(viewport=VIEWPORT, base_url=site.base)
    context.set_default_timeout(10_000)
    page = context.new_page()
    tab = ChairPage(page)
    page.on("console", lambda message: tab.problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: tab.problems.append(str(error)))
    page.goto("/review")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Freview$"))
    sign_in(page)
    expect(page).to_have_url(f"{site.base}/review")
    yield tab
    context.close()


@pytest.fixture(scope="module")
def overridden(site, chair_page):
    """BLK-102 (a hate incident kept at the CAT) overridden to Borough Tasking through its page."""
    page = chair_page.page
    page.goto("/review?area=Blakenall")
    page.get_by_role("link", name="BLK-102").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BLK-102")
    page.get_by_label("Send it to").select_option(label="Borough Tasking Group")
    page.get_by_label("Reason for the override (required)").fill(REASON)
    page.get_by_role("button", name="Override", exact=True).click()
    expect(page).to_have_url(re.compile(r"/review/[0-9a-f-]+#reviews$"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "decision-page.png"), full_page=True)
    return Override(site.decisions["BLK-102"]["decision_id"], page.locator(".notice").inner_text())


def sign_in(page) -> None:
    """Fill in and send the sign-in form on the current page."""
    page.get_by_label("Username").fill(CHAIR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def queue_references(page) -> list[str]:
    """The references in the queue, top to bottom."""
    return page.locator("table.queue tbody tr td:first-child a").all_inner_texts()


def filter_queue(page, **choices: str) -> None:
    """Choose filter values by their labels and press Filter."""
    page.goto("/review")
    for label, value in choices.items():
        page.get_by_label(label, exact=True).select_option(value)
    page.get_by_role("button", name="Filter").click()


# --- signing in and the queue ----------------------------------------------------------


def test_the_chair_signs_in_and_lands_on_the_queue(chair_page):
    page = chair_page.page
    page.goto("/review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(page.locator(".sign-out")).to_contain_text(f"Signed in as {CHAIR} (chair)")


def test_the_queue_shows_decisions_needing_review_first_then_newest(chair_page):
    page = chair_page.page
    page.goto("/review")
    assert queue_references(page) == ["DAR-203", "DAR-202", "BLK-103", "BLK-102", "DAR-201", "BLK-101"]


def test_filtering_by_area_and_flag_shows_only_matching_rows(chair_page):
    page = chair_page.page
    filter_queue(page, Area="Blakenall", Flag="hate_incident")
    expect(page).to_have_url(re.compile(r"area=Blakenall.*flag=hate_incident"))
    assert queue_references(page) == ["BLK-102"]
    cells = page.locator("table.queue tbody tr").first.locator("td").all_inner_texts()
    assert cells[1:5] == ["Blakenall", "Graffiti", "Community Action Tasking (CAT)", "hate incident"]


def test_filtering_by_area_keeps_the_order_and_the_queue_is_saved_as_a_screenshot(chair_page):
    page = chair_page.page
    filter_queue(page, Area="Darlaston")
    assert queue_references(page) == ["DAR-203", "DAR-202", "DAR-201"]
    expect(page.get_by_label("Area", exact=True)).to_have_value("Darlaston")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)
    assert (ARTIFACTS / "review-queue.png").stat().st_size > 0


def test_filtering_by_routing_shows_only_that_routing(chair_page):
    page = chair_page.page
    filter_queue(page, **{"Recommended routing": "community_led_solution"})
    assert queue_references(page) == ["DAR-203"]


# --- keyboard ---------------------------------------------------------------------------


def test_tab_from_the_top_of_the_queue_reaches_the_visible_skip_link_first(chair_page):
    page = chair_page.page
    page.goto("/review")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    expect(focused).to_be_visible()
    box = focused.bounding_box()
    assert box["width"] > 10 and box["height"] > 10
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= VIEWPORT["width"] and box["y"] + box["height"] <= VIEWPORT["height"]
    assert focused.evaluate("element => getComputedStyle(element).outlineStyle") != "none"


def test_the_skip_link_moves_focus_to_the_main_content(chair_page):
    page = chair_page.page
    page.goto("/review")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/review#main$"))
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "area"  # the first filter, skipping the menu


def test_a_decision_opens_from_the_queue_with_the_keyboard(chair_page):
    page = chair_page.page
    page.goto("/review?area=Blakenall")
    page.get_by_role("link", name="BLK-103").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("BLK-103")


# --- overriding, and seeing the override everywhere -----------------------------------------


def test_the_override_is_confirmed_and_shown_in_the_review_history(site, chair_page, overridden):
    page = chair_page.page
    assert overridden.notice == "Override recorded."
    page.goto(f"/review/{overridden.decision_id}")
    rows = page.locator("section[aria-labelledby=reviews] tbody tr")
    expect(rows).to_have_count(1)
    assert rows.first.locator("td").all_inner_texts()[1:] == [CHAIR, "Overridden", "Borough Tasking Group", REASON]
    expect(page.locator("section[aria-labelledby=recommendation]")).to_contain_text(
        "Review status: overridden; routing in force: Borough Tasking Group")


def test_the_api_shows_the_override(site, chair_page, overridden):
    response = chair_page.page.request.get(f"/v1/decisions/{overridden.decision_id}",
                                           headers={"Authorization": f"Bearer {site.chair_key}"})
    body = response.json()
    assert response.status == 200
    assert (body["routing"], body["review"]["status"], body["review"]["routing"], body["review"]["reviewed_by"]) == (
        "cat", "overridden", "borough_tasking", CHAIR)


def test_the_report_counts_the_override(site, chair_page, overridden):
    page = chair_page.page
    page.goto("/reports/areas")
    month = site.decisions["BLK-102"]["evaluated_at"][:7]
    row = page.get_by_role("region", name="Blakenall").locator("tbody tr", has=page.locator(f"th:text-is('{month}')"))
    assert row.locator("th, td").all_inner_texts() == [month, "3", "2", "1", "0", "1", "1"]
    darlaston = page.get_by_role("region", name="Darlaston").locator("tbody tr").first
    assert darlaston.locator("th, td").all_inner_texts() == [month, "3", "2", "0", "1", "0", "0"]


def test_the_overridden_decision_has_left_the_queue(chair_page, overridden):
    page = chair_page.page
    page.goto("/review?area=Blakenall")
    assert queue_references(page) == ["BLK-103", "BLK-101"]


def test_after_signing_out_back_does_not_show_the_decision_again(site, browser):
    context = browser.new_context(viewport=VIEWPORT, base_url=site.base)
    try:
        page = context.new_page()
        page.goto("/login")
        sign_in(page)
        page.goto(f"/review/{site.decisions['DAR-202']['decision_id']}")
        expect(page.get_by_role("heading", level=1)).to_contain_text("DAR-202")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(f"{site.base}/login")
        page.go_back()
        expect(page).to_have_url(re.compile(r"/login\?next=%2Freview%2F"))
        expect(page.locator("main")).not_to_contain_text("DAR-202")
    finally:
        context.close()


# --- printing and browser errors ------------------------------------------------------------


def test_the_printed_queue_has_the_table_without_filters_or_menu(chair_page):
    page = chair_page.page
    page.emulate_media(media="print")
    try:
        page.goto("/review")
        expect(page.locator("table.queue")).to_be_visible()
        expect(page.locator("form.filters")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    finally:
        page.emulate_media(media="screen")


def test_the_pages_raise_no_browser_errors(site, chair_page):
    page = chair_page.page
    chair_page.problems.clear()
    for path in ("/review", f"/review/{site.decisions['DAR-203']['decision_id']}", "/reports/areas"):
        page.goto(path)
        page.wait_for_load_state("load")
    assert chair_page.problems == []
