"""Who may call what: every endpoint x every kind of caller, revocation at once, headers and rate limits."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field

import pytest

from service.auth import revoke_key
from service.auth.keys import create_key
from service.config import from_environment
from tests.conftest import make_issue

from .support import bearer, forget_keys, make_app, module_database, renamed_table

# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One API operation, a request that passes validation where it can, and the roles besides admin allowed it."""

    method: str
    path: str  # as the OpenAPI spec writes it
    url: str
    roles: frozenset = frozenset()
    body: dict | None = field(default=None, hash=False)


NO_DECISION = "00000000-0000-0000-0000-000000000000"
ENDPOINTS = (
    Endpoint("POST", "/v1/triage", "/v1/triage", frozenset({"caller"}), make_issue()),
    Endpoint("POST", "/v1/triage/batch", "/v1/triage/batch", frozenset({"caller"}), {"items": [make_issue()]}),
    Endpoint("GET", "/v1/decisions", "/v1/decisions", frozenset({"caller", "chair"})),
    Endpoint("GET", "/v1/decisions/{decision_id}", f"/v1/decisions/{NO_DECISION}", frozenset({"caller", "chair"})),
    Endpoint("GET", "/v1/rulesets/active", "/v1/rulesets/active", frozenset({"officer"})),
    Endpoint("POST", "/v1/rulesets/validate", "/v1/rulesets/validate", frozenset({"officer"}),
             {"files": {"ruleset.yaml": "ruleset:\n  name: example\n"}}),
    Endpoint("POST", "/v1/rulesets/reload", "/v1/rulesets/reload", frozenset({"officer"})),
    Endpoint("GET", "/v1/keys", "/v1/keys"),
    Endpoint("POST", "/v1/keys", "/v1/keys", body={"name": "", "role": "nobody"}),  # 422: creates nothing
    Endpoint("DELETE", "/v1/keys/{name}", "/v1/keys/no-such-key"),  # 404: revokes nothing
    Endpoint("GET", "/v1/audit", "/v1/audit"),
)
OPEN_URLS = {("GET", "/healthz"): 200, ("GET", "/openapi.json"): 200, ("GET", "/docs"): 200, ("GET", "/static/{filename}"): 404}
UNAUTHENTICATED = ("no key", "wrong key", "revoked key")
ROLES = ("caller", "officer", "chair", "admin")
PASSED_AUTH = {200, 201, 204, 404, 422}


def expected(endpoint: Endpoint, who: str) -> int | str:
    """401 without a live key, 403 for a role not allowed, else 'allowed'."""
    if who in UNAUTHENTICATED:
        return 401
    return "allowed" if who == "admin" or who in endpoint.roles else 403


def spec_path(rule: str) -> str:
    """/v1/keys/<string:name> -> /v1/keys/{name}."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


CASES = [pytest.param(endpoint, who, id=f"{endpoint.method} {endpoint.path} as {who}")
         for endpoint in ENDPOINTS for who in (*UNAUTHENTICATED, *ROLES)]


@pytest.fixture(scope="module")
def shared_app(database_template, tmp_path_factory):
    """One app for the whole table, with a key for each kind of caller."""
    with module_database(database_template, tmp_path_factory.mktemp("access")) as url:
        app = make_app(url)
        yield app
        app.extensions["database"].dispose()


@pytest.fixture(scope="module")
def headers_for(shared_app):
    """The Authorization header each kind of caller sends."""
    database = shared_app.extensions["database"]
    headers = {role: bearer(create_key(database, f"table-{role}", role, actor="tests")) for role in ROLES}
    revoked = create_key(database, "table-revoked", "admin", actor="tests")
    revoke_key(database, "table-revoked", actor="tests")
    headers.update({"no key": {}, "wrong key": bearer("cst_" + "x" * 43), "revoked key": bearer(revoked)})
    return headers


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_every_endpoint_refuses_or_serves_each_caller(shared_app, headers_for, endpoint, who):
    response = shared_app.test_client().open(endpoint.url, method=endpoint.method, json=endpoint.body,
                                             headers=headers_for[who])
    want = expected(endpoint, who)
    if want == "allowed":
        assert response.status_code in PASSED_AUTH, (response.status_code, response.get_json())
    else:
        assert response.status_code == want, response.get_json()
        body = response.get_json()
        assert body["code"] == want and body["message"]
    if want == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_table_has_a_row_for_every_api_route(shared_app):
    routes = {(method, spec_path(rule.rule)) for rule in shared_app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}
              if rule.rule.startswith("/v1/")}
    assert routes == {(endpoint.method, endpoint.path) for endpoint in ENDPOINTS}


def test_the_table_has_a_row_for_every_operation_in_the_spec(shared_app):
    spec = shared_app.test_client().get("/openapi.json").get_json()
    operations = {(method.upper(), path) for path, item in spec["paths"].items() for method in item if method != "parameters"}
    assert operations == {(endpoint.method, endpoint.path) for endpoint in ENDPOINTS} | {("GET", "/healthz")}


def test_every_route_outside_the_api_is_open_or_a_review_page(shared_app):
    others = {(method, spec_path(rule.rule)): rule.endpoint for rule in shared_app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"} if not rule.rule.startswith("/v1/")}
    unaccounted = {route for route, endpoint in others.items() if route not in OPEN_URLS and not endpoint.startswith("web.")}
    assert not unaccounted, "new routes need a row in ENDPOINTS or OPEN_URLS"


@pytest.mark.parametrize(("route", "status"), OPEN_URLS.items(), ids=[" ".join(route) for route in OPEN_URLS])
@pytest.mark.parametrize("who", ["no key", "wrong key"])
def test_open_endpoints_need_no_key(shared_app, headers_for, route, status, who):
    url = route[1].replace("{filename}", "nothing.css")
    response = shared_app.test_client().open(url, method=route[0], headers=headers_for[who])
    assert response.status_code == status


def test_review_pages_send_anonymous_visitors_to_sign_in(shared_app):
    client = shared_app.test_client()
    pages = [rule.rule for rule in shared_app.url_map.iter_rules()
             if rule.endpoint.startswith("web.") and "GET" in rule.methods and not rule.arguments
             and rule.endpoint not in ("web.login", "web.static")]
    for page in pages:
        response = client.get(page, follow_redirects=True)
        assert response.request.path == "/login", page


def test_a_head_request_needs_a_key_too(shared_app):
    assert shared_app.test_client().head("/v1/decisions").status_code == 401


# --- the Authorization header ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_keys_from_other_tests(request):
    """Function-scoped tests here use conftest's app; see support.forget_keys."""
    if "database_url" in request.fixturenames:
        forget_keys(request.getfixturevalue("database_url"))


@pytest.mark.parametrize("template", ["Bearer {key}", "bearer {key}", "BEARER {key}", "Bearer  {key} "])
def test_the_bearer_scheme_is_case_insensitive(app, key_for, template):
    key = key_for("admin")
    response = app.test_client().get("/v1/keys", headers={"Authorization": template.format(key=key)})
    assert response.status_code == 200


@pytest.mark.parametrize("template", ["{key}", "Basic {key}", "Token {key}", "Bearer", "Bearer ", "Bearer x{key}"])
def test_a_malformed_authorization_header_is_401(app, key_for, template):
    key = key_for("admin")
    response = app.test_client().get("/v1/keys", headers={"Authorization": template.format(key=key)})
    assert response.status_code == 401
    assert response.get_json()["code"] == 401


def test_a_key_in_the_query_string_is_not_accepted(app, key_for):
    response = app.test_client().get(f"/v1/keys?api_key={key_for('admin')}")
    assert response.status_code == 401


def test_revoking_a_key_refuses_its_very_next_request(app, key_for):
    client = app.test_client()
    headers = bearer(key_for("caller", "soon-revoked"))
    assert client.get("/v1/decisions", headers=headers).status_code == 200
    revoke_key(app.extensions["database"], "soon-revoked", actor="tests")
    response = client.get("/v1/decisions", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.get_json()["message"]


def test_a_revoked_key_stays_refused_by_other_apps_on_the_same_database(app, database_url, key_for):
    headers = bearer(key_for("caller", "revoked-everywhere"))
    other = make_app(database_url)
    try:
        assert other.test_client().get("/v1/decisions", headers=headers).status_code == 200
        revoke_key(app.extensions["database"], "revoked-everywhere", actor="tests")
        assert other.test_client().get("/v1/decisions", headers=headers).status_code == 401
    finally:
        other.extensions["database"].dispose()


def test_auth_is_on_unless_turned_off():
    assert from_environment({})["AUTH_REQUIRED"] is True
    assert from_environment({"AUTH_REQUIRED": "false"})["AUTH_REQUIRED"] is False


def test_with_auth_turned_off_every_call_acts_as_admin(database_url):
    app = make_app(database_url, AUTH_REQUIRED=False)
    try:
        assert app.test_client().get("/v1/audit").status_code == 200
    finally:
        app.extensions["database"].dispose()


# --- security headers ---------------------------------------------------------------------

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HEADER_CASES = {  # name: (method, url, extra request arguments, expected status)
    "healthz": ("GET", "/healthz", {}, 200),
    "openapi": ("GET", "/openapi.json", {}, 200),
    "docs": ("GET", "/docs", {}, 200),
    "decisions": ("GET", "/v1/decisions", {"key": "admin"}, 200),
    "no key": ("GET", "/v1/decisions", {}, 401),
    "wrong role": ("GET", "/v1/keys", {"key": "caller"}, 403),
    "unknown address": ("GET", "/nowhere", {}, 404),
    "unknown decision": ("GET", f"/v1/decisions/{NO_DECISION}", {"key": "admin"}, 404),
    "wrong method": ("PUT", "/v1/decisions", {"key": "admin"}, 405),
    "bad JSON": ("POST", "/v1/triage", {"key": "admin", "data": "{", "content_type": "application/json"}, 400),
    "too large": ("POST", "/v1/triage", {"key": "admin", "json": make_issue(description="x" * 70_000)}, 413),
    "not JSON": ("POST", "/v1/triage", {"key": "admin", "data": "x", "content_type": "text/plain"}, 415),
    "invalid": ("POST", "/v1/triage", {"key": "admin", "json": {}}, 422),
}


def _send(app, key_for, method, url, arguments):
    arguments = dict(arguments)
    role = arguments.pop("key", None)
    headers = bearer(key_for(role)) if role else {}
    return app.test_client().open(url, method=method, headers=headers, **arguments)


@pytest.mark.parametrize("name", HEADER_CASES)
def test_every_response_carries_the_security_headers(app, key_for, name):
    method, url, arguments, status = HEADER_CASES[name]
    response = _send(app, key_for, method, url, arguments)
    assert response.status_code == status
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, header
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Content-Security-Policy" in response.headers
    assert "Server" not in response.headers
    if url.startswith("/v1/"):
        assert response.headers["Cache-Control"] == "no-store"


def test_an_unexpected_error_carries_the_security_headers_too(app, key_for):
    with renamed_table(app, "decisions"):
        response = app.test_client().get("/v1/decisions", headers=bearer(key_for("admin")))
    assert response.status_code >= 500
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, header
    assert "Server" not in response.headers


def test_api_responses_forbid_framing_and_all_content(app, key_for):
    response = app.test_client().get("/v1/decisions", headers=bearer(key_for("admin")))
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


# --- rate limits ----------------------------------------------------------------------------

REDIS_URI = "redis://127.0.0.1:6379"


@pytest.fixture
def limited(app, database_url):
    """An app allowing 3 requests a minute per key, made after conftest's app (as in any test run)."""
    limited = make_app(database_url, RATE_LIMIT="3 per minute")
    yield limited
    limited.extensions["database"].dispose()


def _exhaust(client, headers, url="/v1/decisions", times=3):
    for _ in range(times):
        assert client.get(url, headers=headers).status_code == 200


def test_the_fourth_request_in_a_minute_is_429_in_the_envelope(limited, key_for):
    client, headers = limited.test_client(), bearer(key_for("caller"))
    _exhaust(client, headers)
    response = client.get("/v1/decisions", headers=headers)
    assert response.status_code == 429
    assert response.get_json()["code"] == 429 and response.get_json()["message"]
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_another_key_is_not_limited_by_the_first(limited, key_for):
    client, first, second = limited.test_client(), bearer(key_for("caller")), bearer(key_for("caller"))
    _exhaust(client, first)
    assert client.get("/v1/decisions", headers=first).status_code == 429
    assert client.get("/v1/decisions", headers=second).status_code == 200


def test_healthz_is_never_limited(limited, key_for):
    client, headers = limited.test_client(), bearer(key_for("caller"))
    _exhaust(client, headers)
    assert client.get("/v1/decisions", headers=headers).status_code == 429
    assert all(client.get("/healthz", headers=headers).status_code == 200 for _ in range(10))


def test_wrong_keys_are_rate_limited_too(limited):
    client = limited.test_client()
    statuses = [client.get("/v1/decisions", headers=bearer("cst_not-a-key")).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URI, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_limited(app, database_url):
    """An app allowing 3 requests a minute per key, counting in Redis."""
    if not _redis_reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    limited = make_app(database_url, RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=REDIS_URI)
    yield limited
    limited.extensions["database"].dispose()


def test_counts_are_kept_in_redis_when_configured(redis_limited, key_for):
    import redis

    key = key_for("caller", f"redis-{uuid.uuid4().hex[:12]}")  # unique, so runs never share a count
    assert redis_limited.test_client().get("/v1/decisions", headers=bearer(key)).status_code == 200
    counted_as = hashlib.sha256(key.encode()).hexdigest()[:32]  # counts are kept per key hash, never the key
    stored = redis.Redis.from_url(REDIS_URI).keys(f"*key:{counted_as}*")
    assert stored, "no rate limit counter for the key in Redis"


def test_the_limit_holds_across_apps_sharing_redis(redis_limited, database_url, key_for):
    headers = bearer(key_for("caller", f"redis-{uuid.uuid4().hex[:12]}"))
    _exhaust(redis_limited.test_client(), headers, times=2)
    other = make_app(database_url, RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=REDIS_URI)
    try:
        client = other.test_client()
        assert client.get("/v1/decisions", headers=headers).status_code == 200
        assert client.get("/v1/decisions", headers=headers).status_code == 429
    finally:
        other.extensions["database"].dispose()
