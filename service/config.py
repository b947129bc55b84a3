"""Configuration, read once from the environment into a plain mapping.

Every variable is documented in the README. Tests pass overrides to
``create_app`` instead of touching the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def from_environment(environ=None) -> dict:
    """The service's settings from environment variables, with defaults."""
    env = os.environ if environ is None else environ
    return {
        "RULES_DIR": env.get("RULES_DIR", str(PROJECT_ROOT / "rules")),
        "DATABASE_URL": env.get("DATABASE_URL"),  # None: an SQLite file in the instance folder
        "AUTO_MIGRATE": _flag(env.get("AUTO_MIGRATE", "true")),
        "AUTH_REQUIRED": _flag(env.get("AUTH_REQUIRED", "true")),
        "RATE_LIMIT": env.get("RATE_LIMIT", "600 per minute"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED", "true")),
        "SECRET_KEY": env.get("SECRET_KEY"),  # None: a random key kept in the instance folder
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_CHECK_DEFAULT": False,  # only the review pages' forms use CSRF tokens; the API uses keys
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "TIMEZONE": env.get("TRIAGE_TIMEZONE", "Europe/London"),
        "DEBUG": _flag(env.get("DEBUG")),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "API_TITLE": "Community safety triage",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
        "JSON_SORT_KEYS": False,
    }
