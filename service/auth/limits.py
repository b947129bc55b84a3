"""Per-key rate limits (flask-limiter), one limiter per app.

One allowance per API key across the whole API (``RATE_LIMIT``, default 600 a
minute), counted before the key is even checked, so floods with a wrong key are
limited too. Sign-in attempts have a tighter limit per address. Counts live in
Redis when ``RATELIMIT_STORAGE_URI`` is set, else in each worker's memory.
"""

from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter

from .access import is_exempt

LOGIN_LIMIT = "10 per minute"


def rate_limit_key() -> str:
    """Count per presented key (by its hash, never the key), or per address without one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "key:" + hashlib.sha256(token.strip().encode()).hexdigest()[:32]
    return f"addr:{request.remote_addr}"


def init_limits(app: Flask) -> Limiter:
    """Make this app's limiter; it checks before authentication does."""
    limiter = Limiter(
        key_func=rate_limit_key,
        application_limits=[app.config["RATE_LIMIT"]],
        application_limits_exempt_when=is_exempt,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        headers_enabled=True,
        key_prefix="triage",
    )
    limiter.init_app(app)
    login = app.view_functions["web.login_submit"]
    app.view_functions["web.login_submit"] = limiter.limit(
        LOGIN_LIMIT, key_func=lambda: f"login:{request.remote_addr}")(login)
    return limiter
