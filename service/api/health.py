"""GET /healthz: liveness, and which rules are live."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

blp = Blueprint("health", __name__, description="Liveness")


@blp.route("/healthz")
class Health(MethodView):
    """Liveness probe."""

    @blp.response(200)
    @blp.doc(security=[])
    def get(self):
        """Say the service is up and which ruleset version is live."""
        live = current_app.extensions["triage"].live
        return {"status": "ok", "ruleset": {"name": live.name, "version": live.version}}
