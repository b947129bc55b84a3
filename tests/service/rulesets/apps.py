"""Apps on a chosen rule directory, sharing one test database, and issues that 4 months changes."""

from __future__ import annotations

import uuid
from pathlib import Path

from service import create_app
from service.auth import create_key
from tests.conftest import RULES_DIR, make_issue


def apps_on(database_url: str):
    """Yield a factory of apps whose RULES_DIR is given, all on ``database_url``; dispose them after."""
    made = []

    def make(rules_dir: Path = RULES_DIR):
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False, "RULES_DIR": str(rules_dir)})
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["database"].dispose()


def admin_client(app):
    """A test client of ``app`` that sends a new admin key."""
    key = create_key(app.extensions["database"], f"admin-{uuid.uuid4().hex[:12]}", "admin", actor="tests")
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def persistent_for_three_months(**overrides) -> dict:
    """A youth nuisance issue 3 months old, raised at the NAP, that residents will lead: a CLS group at 3 months, the CAT at 4."""
    return make_issue(category="youth_nuisance", first_reported="2026-07-15", reports_last_6_months=5,
                      raised_at_nap=True, residents_willing_to_lead=True, **overrides)


def triage(client, issue: dict) -> dict:
    """POST /v1/triage, which must succeed; the decision."""
    response = client.post("/v1/triage", json=issue)
    assert response.status_code == 200, response.get_json()
    return response.get_json()
