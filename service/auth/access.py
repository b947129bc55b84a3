"""Who may call what: Bearer API keys, roles, and per-key rate limits.

Every /v1 endpoint needs a live key (401 otherwise); each view names the roles
it allows (403 otherwise). admin may do everything. /healthz and the API docs
stay open.
"""

from __future__ import annotations

import functools

from flask import current_app, g, request

from ..errors import ApiError
from .keys import Principal, authenticate

OPEN_ENDPOINTS = frozenset(("health.Health", "api-docs.openapi_json", "api-docs.openapi_swagger_ui", "static"))
DEVELOPMENT = Principal("development", "admin")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="triage"'}


def authenticate_request() -> None:
    """Before each request: find the caller's key, or refuse with 401."""
    g.principal = None
    if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS or not request.path.startswith("/v1/"):
        return  # the review pages use sign-in sessions instead
    if not current_app.config["AUTH_REQUIRED"]:
        g.principal = DEVELOPMENT
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Send an API key as 'Authorization: Bearer <key>'.", headers=_CHALLENGE)
    principal = authenticate(current_app.extensions["database"], token.strip())
    if principal is None:
        raise ApiError(401, "That API key is not valid, or has been revoked.", headers=_CHALLENGE)
    g.principal = principal


def current_principal() -> Principal:
    """The authenticated caller of this request."""
    return g.principal


def allow(*roles: str):
    """Decorate a view method: only these roles (and admin) may call it."""

    def decorate(view):
        view._allowed_roles = (*roles, "admin")

        @functools.wraps(view)
        def guarded(*args, **kwargs):
            principal = g.get("principal")
            if principal is None or principal.role not in view._allowed_roles:
                allowed = ", ".join(view._allowed_roles)
                raise ApiError(403, f"Your key's role may not do this; it needs one of: {allowed}.")
            return view(*args, **kwargs)

        return guarded

    return decorate


def is_exempt() -> bool:
    """Health checks and docs are never rate limited."""
    return request.endpoint in OPEN_ENDPOINTS


def security_headers(response):
    """After each request: headers that keep browsers and caches safe."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.blueprint == "web":
        headers.setdefault("Content-Security-Policy", "default-src 'self'; form-action 'self'; frame-ancestors 'none'")
    elif request.endpoint == "api-docs.openapi_swagger_ui":
        cdn = "https://cdn.jsdelivr.net"
        headers.setdefault("Content-Security-Policy", f"default-src 'self'; script-src 'self' 'unsafe-inline' {cdn}; "
                                                      f"style-src 'self' 'unsafe-inline' {cdn}; img-src 'self' data: {cdn}")
    else:
        headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
    if request.path.startswith("/v1/"):
        headers.setdefault("Cache-Control", "no-store")
    headers.pop("Server", None)
    return response
