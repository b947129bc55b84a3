"""Getting the service ready to be benchmarked: its database, an API key, no rate limit in the way."""

from __future__ import annotations

import secrets

# The limiter stays on (its cost is part of every request) but cannot refuse a benchmark's load.
UNREACHABLE_RATE_LIMIT = "1000000000 per minute"


def server_environment(database_url: str) -> dict:
    """Environment for the service under gunicorn in a benchmark."""
    return {"DATABASE_URL": database_url, "AUTO_MIGRATE": "true", "RATE_LIMIT": UNREACHABLE_RATE_LIMIT}


def app_config(database_url: str) -> dict:
    """The same settings for an app built in this process."""
    return {"DATABASE_URL": database_url, "AUTO_MIGRATE": True, "RATE_LIMIT": UNREACHABLE_RATE_LIMIT,
            "LOG_LEVEL": "WARNING"}


def prepare_database(database_url: str) -> str | None:
    """Migrate a throwaway database and make a 'caller' API key in it; None if the service has no keys."""
    from service import create_app

    app = create_app(app_config(database_url))
    database = app.extensions.get("database")
    try:
        from service.auth.keys import create_key
    except ImportError:  # a service without API keys
        return None
    try:
        return create_key(database, f"bench-{secrets.token_hex(4)}", "caller", actor="bench")
    finally:
        database.dispose()


def auth_headers(api_key: str | None) -> dict:
    """The Authorization header for a key (none without one)."""
    return {"Authorization": f"Bearer {api_key}"} if api_key else {}
