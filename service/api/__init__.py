"""The HTTP face of the service: one blueprint per resource."""

from __future__ import annotations

from ..extensions import api
from . import admin, decisions, health, rulesets, triage


def register_blueprints() -> None:
    """Attach every blueprint to the API (and so to the app)."""
    api.register_blueprint(health.blp)
    api.register_blueprint(triage.blp)
    api.register_blueprint(decisions.blp)
    api.register_blueprint(rulesets.blp)
    api.register_blueprint(admin.blp)
