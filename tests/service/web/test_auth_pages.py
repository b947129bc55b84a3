"""Signing in and out, CSRF on the sign-in forms, and who may see which page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from service.db import User
from tests.service.web.support import (
    PASSWORD,
    add_person,
    csrf_token,
    parse_page,
    record_in,
    sign_in,
    signed_in,
    structure_problems,
)

SIGNED_OUT_PATHS = ["/review", "/review?area=Blakenall&page=2", "/review/{decision}", "/reports/areas",
                    "/reports/areas.csv", "/rules/feedback", "/admin", "/admin?before=5"]
OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "/\t/evil.example",
            "javascript:alert(1)", "http:/evil.example", "evil.example"]


@pytest.fixture
def chair(app):
    """A chair who can sign in with PASSWORD: their username."""
    add_person(app.extensions["database"], "jag.chair", "chair")
    return "jag.chair"


def _signed_in_as(client) -> str | None:
    """Who the pages say is signed in, or None when the queue sends the client to sign in."""
    page = client.get("/review")
    if page.status_code == 302:
        return None
    match = re.search(r"Signed in as (\S+)", page.get_data(as_text=True))
    return match.group(1) if match else None


def _login_page_without_secrets(response, username: str) -> str:
    """The sign-in page with the CSRF token and the echoed username blanked, for comparing two responses."""
    html = response.get_data(as_text=True)
    html = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)
    return html.replace(f'value="{username}"', 'value=""')


# --- signing in -----------------------------------------------------------------------


def test_the_sign_in_page_is_open_and_carries_a_csrf_token(app):
    page = app.test_client().get("/login")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', html)
    assert 'id="username"' in html and 'id="password" name="password" type="password"' in html


def test_the_right_password_starts_a_session_and_opens_the_queue(app, chair):
    client = app.test_client()
    response = sign_in(client, chair)
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert _signed_in_as(client) == "jag.chair"


def test_the_session_cookie_is_http_only_and_same_site(app, chair):
    client = app.test_client()
    cookie = sign_in(client, chair).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_signed_out_visitor_is_sent_to_sign_in_from_every_page(app):
    decision = record_in(app)["decision_id"]
    client = app.test_client()
    sent_to = {}
    for path in (path.format(decision=decision) for path in SIGNED_OUT_PATHS):
        response = client.get(path)
        location = urlsplit(response.headers.get("Location", ""))
        sent_to[path] = (response.status_code, location.netloc, location.path, parse_qs(location.query).get("next"))
    assert sent_to == {path: (302, "", "/login", [path]) for path in sent_to}


def test_the_start_page_sends_a_signed_out_visitor_to_sign_in(app):
    response = app.test_client().get("/", follow_redirects=True)
    assert (response.status_code, response.request.path) == (200, "/login")
    assert "Please sign in to see that page." in response.get_data(as_text=True)


def test_signing_in_returns_to_the_page_asked_for(app, chair):
    path = f"/review/{record_in(app)['decision_id']}"
    client = app.test_client()
    next_page = parse_qs(urlsplit(client.get(path).headers["Location"]).query)["next"][0]
    assert f'name="next" value="{path}"' in client.get(f"/login?next={next_page}").get_data(as_text=True)
    assert sign_in(client, chair, next_page=next_page).headers["Location"] == path


def test_sign_in_never_redirects_off_the_site(app, chair):
    client = app.test_client()
    locations = {target: sign_in(client, chair, next_page=target).headers["Location"] for target in OFF_SITE}
    off_site = {target: location for target, location in locations.items()
                if not location.startswith("/") or location.startswith("//") or "\\" in location
                or urlsplit(location).netloc}
    assert off_site == {}


def test_the_sign_in_form_drops_an_off_site_next(app):
    html = app.test_client().get("/login?next=https://evil.example/").get_data(as_text=True)
    assert 'name="next"' not in html and "evil.example" not in html


def test_a_wrong_password_is_a_401_page_and_no_session(app, chair):
    client = app.test_client()
    response = sign_in(client, chair, password="not the password at all")
    html = response.get_data(as_text=True)
    assert response.status_code == 401 and response.mimetype == "text/html"
    assert "That username and password do not match." in html and "not the password at all" not in html
    assert _signed_in_as(client) is None


def test_a_wrong_password_keeps_the_page_to_return_to(app, chair):
    response = sign_in(app.test_client(), chair, password="not the password at all", next_page="/reports/areas")
    assert 'name="next" value="/reports/areas"' in response.get_data(as_text=True)


def test_unknown_user_wrong_password_and_disabled_account_get_the_same_page(app, chair):
    add_person(app.extensions["database"], "gone.chair", "chair", disabled=True)
    attempts = {"nobody.here": "whatever password", chair: "wrong password here", "gone.chair": PASSWORD}
    pages = set()
    for username, password in attempts.items():
        response = sign_in(app.test_client(), username, password=password)
        pages.add((response.status_code, _login_page_without_secrets(response, username)))
    assert len(pages) == 1 and next(iter(pages))[0] == 401


def test_sign_in_attempts_are_rate_limited_per_address(app):
    client = app.test_client()
    statuses = [sign_in(client, "nobody.here", password="guess number one").status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]


# --- signing out --------------------------------------------------------------------------


def test_signing_out_ends_the_session(app, chair):
    client = app.test_client()
    sign_in(client, chair)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/review")})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "You have signed out." in client.get("/login").get_data(as_text=True)
    assert _signed_in_as(client) is None


def test_signing_out_needs_a_post(app, chair):
    client = app.test_client()
    sign_in(client, chair)
    assert client.get("/logout").status_code == 405
    assert _signed_in_as(client) == "jag.chair"


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, chair):
    client = app.test_client()
    sign_in(client, chair)
    copied = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/review")})
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert _signed_in_as(replay) is None


def test_disabling_an_account_ends_its_session(app):
    client = signed_in(app, "chair", "jag.chair")
    with app.extensions["database"].transaction() as session:
        session.execute(select(User).where(User.username == "jag.chair")).scalar_one().disabled_at = datetime.now(UTC)
    assert _signed_in_as(client) is None


# --- CSRF on the sign-in and sign-out forms -----------------------------------------------


def _other_sessions_token(app) -> str:
    return csrf_token(app.test_client())


@pytest.mark.parametrize("token", [None, "", "not-a-token", "other-session"])
def test_signing_in_without_this_sessions_csrf_token_is_refused(app, chair, token):
    client = app.test_client()
    client.get("/login")
    form = {"username": chair, "password": PASSWORD}
    if token is not None:
        form["csrf_token"] = _other_sessions_token(app) if token == "other-session" else token
    response = client.post("/login", data=form)
    assert response.status_code == 400 and "<h1>Form refused</h1>" in response.get_data(as_text=True)
    assert _signed_in_as(client) is None


def test_signing_in_with_a_token_but_no_session_cookie_is_refused(app, chair):
    response = app.test_client().post("/login", data={"csrf_token": _other_sessions_token(app), "username": chair,
                                                      "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize("token", [None, "not-a-token", "other-session"])
def test_signing_out_without_this_sessions_csrf_token_is_refused(app, chair, token):
    client = app.test_client()
    sign_in(client, chair)
    form = {} if token is None else {"csrf_token": _other_sessions_token(app) if token == "other-session" else token}
    assert client.post("/logout", data=form).status_code == 400
    assert _signed_in_as(client) == "jag.chair"


def test_the_api_needs_no_csrf_token(client):
    assert client.post("/v1/triage", json={"reference": "REF-1"}).status_code == 422


# --- who may see what ------------------------------------------------------------------------

PAGES = ["/review", "/review/{decision}", "/reports/areas", "/reports/areas.csv", "/rules/feedback", "/admin"]
ALLOWED = {
    "chair": {"/review", "/review/{decision}", "/reports/areas", "/reports/areas.csv"},
    "officer": {"/reports/areas", "/reports/areas.csv", "/rules/feedback"},
    "admin": set(PAGES),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_sees_only_its_pages(app, role):
    client, decision = signed_in(app, role), record_in(app)["decision_id"]
    statuses = {path: client.get(path.format(decision=decision)).status_code for path in PAGES}
    assert statuses == {path: 200 if path in ALLOWED[role] else 403 for path in PAGES}


def test_a_forbidden_page_is_an_html_page_saying_so(app):
    response = signed_in(app, "officer").get("/review")
    page = parse_page(response.get_data(as_text=True))
    assert (response.status_code, response.mimetype) == (403, "text/html")
    assert [text for level, text in page.headings if level == 1] == ["Forbidden"]


@pytest.mark.parametrize("role, links", [
    ("chair", ["Review queue", "LNP progress"]),
    ("officer", ["LNP progress", "Rule feedback"]),
    ("admin", ["Review queue", "LNP progress", "Rule feedback", "Admin"]),
])
def test_the_menu_offers_only_the_pages_a_role_may_see(app, role, links):
    html = signed_in(app, role).get("/reports/areas").get_data(as_text=True)
    menu = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    assert [text for _, text in parse_page(menu).links] == links


@pytest.mark.parametrize("path", ["/login", "/review"])
def test_pages_may_not_be_framed_or_load_other_sites_content(app, path):
    headers = signed_in(app, "chair").get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "form-action 'self'" in policy and "frame-ancestors 'none'" in policy
    assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"]) == ("DENY", "nosniff")


def test_an_api_key_does_not_sign_anyone_in_to_the_pages(client):
    assert client.get("/review").status_code == 302
    assert client.get("/admin").status_code == 302


def test_a_signed_in_session_does_not_open_the_api(app):
    assert signed_in(app, "admin").get("/v1/decisions").status_code == 401


# --- page structure ----------------------------------------------------------------------------


def test_the_sign_in_page_is_well_structured(app):
    assert structure_problems(app.test_client().get("/login?next=/review").get_data(as_text=True)) == []


def test_the_sign_in_page_with_an_error_is_well_structured(app):
    response = sign_in(app.test_client(), "nobody.here", password="wrong password here")
    assert response.status_code == 401 and structure_problems(response.get_data(as_text=True)) == []


def test_the_form_refused_and_not_found_pages_are_well_structured(app):
    client = signed_in(app, "chair")
    refused, missing = client.post("/logout"), client.get("/review/no-such-decision")
    assert (refused.status_code, missing.status_code) == (400, 404)
    assert structure_problems(refused.get_data(as_text=True)) == structure_problems(missing.get_data(as_text=True)) == []
