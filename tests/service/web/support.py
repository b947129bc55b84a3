"""Helpers for the review pages' tests: people, decisions at known times, forms, and reading the HTML."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from service.db import Database, User
from service.reviews import review_decision, start_session
from tests.conftest import NOW, make_request

PASSWORD = "correct horse battery staple"

DOMEHAWK = [{"name": "domehawk camera", "available_locally": False}]
QUIET = {}  # CAT, no flags, no review needed
HATE = {"hate_motivated": True}  # CAT, flag hate_incident, review needed
RESOURCE = {"resources_requested": DOMEHAWK}  # Borough Tasking, no flags, review needed
CROSS_AREA = {"other_areas_affected": ["Pleck"]}  # Borough Tasking, flag cross_area, review needed
CLS = {"first_reported": date(2026, 8, 1), "reports_last_6_months": 3, "raised_at_nap": True,
       "residents_willing_to_lead": True, "jag_cls_decision": "endorsed"}  # Community Led Solution, flag asb_case_review_threshold


# --- people -----------------------------------------------------------------------


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per run (scrypt takes a fifth of a second)."""
    return generate_password_hash(PASSWORD)


def add_person(database: Database, username: str, role: str, disabled: bool = False) -> int:
    """A person who can sign in with PASSWORD; their id."""
    with database.transaction() as session:
        user = User(username=username, role=role, password_hash=password_hash(), created_at=datetime.now(UTC),
                    disabled_at=datetime.now(UTC) if disabled else None)
        session.add(user)
        session.flush()
        return user.id


def signed_in(app, role: str = "chair", username: str | None = None):
    """A test client with a session for a new person of this role (the sign-in form is tested on its own)."""
    username = username or f"{role}.one"
    user_id = add_person(app.extensions["database"], username, role)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{start_session(app.extensions['database'], user_id)}"
        session["_fresh"] = True
    return client


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token in the form on a page."""
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD, next_page: str | None = None):
    """Post the sign-in form as a browser would; the response."""
    form = {"csrf_token": csrf_token(client), "username": username, "password": password}
    if next_page is not None:
        form["next"] = next_page
    return client.post("/login", data=form)


def post_review(client, decision_id: str, **form):
    """Post the review form on a decision's page, with the page's CSRF token."""
    path = f"/review/{decision_id}"
    return client.post(path, data={"csrf_token": csrf_token(client, path), **form})


# --- decisions ----------------------------------------------------------------------


def record(log, service, now: datetime = NOW, **overrides) -> dict:
    """Triage and store one issue evaluated at ``now``; the decision."""
    return log.triage(service, [make_request(**overrides)], now=now)[0].decision


def record_in(app, now: datetime = NOW, **overrides) -> dict:
    """``record`` with the app's decision log and rules."""
    return record(app.extensions["decision_log"], app.extensions["triage"], now, **overrides)


def count(database: Database, model) -> int:
    """How many rows a table holds."""
    with database.reading() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def rows_of(database: Database, model) -> list:
    """Every row of a table, in insertion order."""
    with database.reading() as session:
        return list(session.execute(select(model)).scalars())


# --- reading pages --------------------------------------------------------------------


@dataclass
class Table:
    """A table's caption, class, header cells and body rows, as text."""

    caption: str = ""
    css_class: str = ""
    head: list[list[str]] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)


@dataclass
class Page:
    """What a page is made of, as far as the structure checks need."""

    lang: str | None = None
    headings: list[tuple[int, str]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    label_for: list[str] = field(default_factory=list)
    controls: list[dict] = field(default_factory=list)
    header_cells: list[dict] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)  # (attribute, id)
    focusable: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)

    def table(self, caption_starts: str) -> Table:
        """The table whose caption starts with this text."""
        found = [t for t in self.tables if t.caption.startswith(caption_starts)]
        assert found, f"no table captioned {caption_starts!r}; captions: {[t.caption for t in self.tables]}"
        return found[0]


_CAPTURED = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "caption", "button", "a"}
_CONTROLS = {"input", "select", "textarea"}
_UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[tuple[str, dict, list[str]]] = []
        self._section = "body"
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self._note_attributes(tag, attrs)
        if tag == "table":
            self.page.tables.append(Table(css_class=attrs.get("class", "")))
        elif tag in ("thead", "tbody"):
            self._section = "head" if tag == "thead" else "body"
        elif tag == "tr" and self.page.tables:
            self._row = []
            table = self.page.tables[-1]
            (table.head if self._section == "head" else table.body).append(self._row)
        if tag in _CAPTURED:
            self._open.append((tag, attrs, []))

    def _note_attributes(self, tag, attrs):
        page = self.page
        if tag == "html":
            page.lang = attrs.get("lang")
        if "id" in attrs:
            page.ids.append(attrs["id"])
        if tag == "label" and "for" in attrs:
            page.label_for.append(attrs["for"])
        if tag in _CONTROLS:
            page.controls.append({"tag": tag, **attrs})
        if tag == "th":
            page.header_cells.append(attrs)
        for name in ("aria-labelledby", "aria-describedby", "aria-controls"):
            page.references += [(name, ref) for ref in attrs.get(name, "").split()]
        if tag == "a" and attrs.get("href", "").startswith("#") and len(attrs["href"]) > 1:
            page.references.append(("href", attrs["href"][1:]))
        if _is_focusable(tag, attrs):
            page.focusable.append({"tag": tag, **attrs})

    def handle_endtag(self, tag):
        if tag in ("thead", "tbody"):
            self._section = "body"
        if not self._open or self._open[-1][0] != tag:
            return
        _, attrs, parts = self._open.pop()
        content = " ".join("".join(parts).split())
        if tag[0] == "h" and tag[1:].isdigit():
            self.page.headings.append((int(tag[1]), content))
        elif tag in ("th", "td") and self._row is not None:
            self._row.append(content)
        elif tag == "caption" and self.page.tables:
            self.page.tables[-1].caption = content
        elif tag == "button":
            self.page.buttons.append(content)
        elif tag == "a":
            self.page.links.append((attrs.get("href", ""), content))

    def handle_data(self, data):
        for _, _, parts in self._open:
            parts.append(data)


def _is_focusable(tag: str, attrs: dict) -> bool:
    if "disabled" in attrs or attrs.get("tabindex", "").strip().startswith("-"):
        return False  # tabindex="-1" (like <main>) takes focus from the skip link, not from Tab
    if tag == "a":
        return "href" in attrs
    if tag == "input":
        return attrs.get("type", "text") != "hidden"
    return tag in ("button", "select", "textarea") or "tabindex" in attrs


def parse_page(html: str) -> Page:
    """Read a page's structure."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


def structure_problems(html: str) -> list[str]:
    """Everything wrong with a page's basic accessible structure; empty when it is sound."""
    page = parse_page(html)
    ids = set(page.ids)
    problems = [] if page.lang else ["<html> has no lang attribute"]
    h1s = [text for level, text in page.headings if level == 1]
    if len(h1s) != 1:
        problems.append(f"expected one h1, found {h1s}")
    levels = [level for level, _ in page.headings]
    problems += [f"heading level jumps from h{a} to h{b}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    first = page.focusable[0] if page.focusable else {}
    if "skip-link" not in first.get("class", "") or first.get("href", "")[1:] not in ids:
        problems.append(f"the first focusable element is not a working skip link: {first}")
    problems += [f"duplicate id {name!r}" for name in sorted(ids) if page.ids.count(name) > 1]
    for control in page.controls:
        if control["tag"] == "input" and control.get("type", "text") in _UNLABELLED_INPUTS:
            continue
        if not control.get("id") or control["id"] not in page.label_for:
            problems.append(f"no <label for> for {control}")
    problems += [f"<label for={target!r}> labels nothing" for target in page.label_for if target not in ids]
    problems += [f"<th> without a valid scope: {cell}" for cell in page.header_cells
                 if cell.get("scope") not in ("col", "row", "colgroup", "rowgroup")]
    problems += [f"table without a caption (class {t.css_class!r})" for t in page.tables if not t.caption]
    problems += [f"{attribute} points at missing id {ref!r}" for attribute, ref in page.references if ref not in ids]
    problems += ["a button without text" for label in page.buttons if not label]
    return problems


# --- a month-by-month data set for the reports ------------------------------------------

OVERRIDE_REASON = "The JAG chair moved this after the meeting."

# (reference, area, evaluated at (UTC), scenario, reviews in order: "accept" or a routing to override to)
KNOWN_DECISIONS = [
    ("B-J1", "Blakenall", "2026-01-05T10:00:00", QUIET, ["accept"]),
    ("B-J2", "Blakenall", "2026-01-20T10:00:00", QUIET, []),
    ("B-J3", "Blakenall", "2026-01-31T23:59:59", RESOURCE, ["cat"]),
    ("B-F1", "Blakenall", "2026-02-01T00:00:00", CLS, []),
    ("B-F2", "Blakenall", "2026-02-14T10:00:00", HATE, ["borough_tasking", "accept"]),
    ("D-F1", "Darlaston", "2026-02-10T10:00:00", CROSS_AREA, []),
    ("D-F2", "Darlaston", "2026-02-28T23:59:59", QUIET, ["borough_tasking", "community_led_solution"]),
    ("D-M1", "Darlaston", "2026-03-01T00:00:00", QUIET, ["accept"]),
]

# Per area and month: triaged, recommended routings, reviewed (at least once), overridden (latest review).
KNOWN_REPORT = [
    {"area": "Blakenall", "month": "2026-01", "triaged": 3, "cat": 2, "borough_tasking": 1,
     "community_led_solution": 0, "reviewed": 2, "overridden": 1},
    {"area": "Blakenall", "month": "2026-02", "triaged": 2, "cat": 1, "borough_tasking": 0,
     "community_led_solution": 1, "reviewed": 1, "overridden": 0},
    {"area": "Darlaston", "month": "2026-02", "triaged": 2, "cat": 1, "borough_tasking": 1,
     "community_led_solution": 0, "reviewed": 1, "overridden": 1},
    {"area": "Darlaston", "month": "2026-03", "triaged": 1, "cat": 1, "borough_tasking": 0,
     "community_led_solution": 0, "reviewed": 1, "overridden": 0},
]


def seed_known_decisions(recorder, database) -> dict[str, dict]:
    """Record KNOWN_DECISIONS with ``recorder(now, **overrides)`` and review them; decisions by reference."""
    decisions = {}
    for reference, area, moment, scenario, reviews in KNOWN_DECISIONS:
        now = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        decision = decisions[reference] = recorder(now, reference=reference, area=area, **scenario)
        for review in reviews:
            routing = None if review == "accept" else review
            review_decision(database, decision["decision_id"], "jag.chair", "override" if routing else "accept",
                            routing=routing, reason=OVERRIDE_REASON if routing else "")
    return decisions


def expected_rule_feedback(decisions: dict[str, dict]) -> dict[str, dict]:
    """Rule feedback worked out from the decisions themselves and the reviews in KNOWN_DECISIONS."""
    latest = {reference: reviews[-1] for reference, _, _, _, reviews in KNOWN_DECISIONS if reviews}
    stats: dict[str, dict] = {}
    for reference, decision in decisions.items():
        drove = {reason["rule"] for reason in decision["reasons"]}
        for rule in decision["rules_fired"]:
            entry = stats.setdefault(rule, {"fired": 0, "drove": 0, "reviewed": 0, "overridden": 0})
            entry["fired"] += 1
            if rule in drove:
                entry["drove"] += 1
                entry["reviewed"] += reference in latest
                entry["overridden"] += latest.get(reference, "accept") != "accept"
    return stats
