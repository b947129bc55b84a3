"""GET /v1/decisions and /v1/decisions/<id>: the decision log."""

from __future__ import annotations

import uuid

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from schemas.decisions import DecisionPageSchema, DecisionQuerySchema
from schemas.errors import ErrorSchema
from schemas.triage import DecisionSchema

from ..auth import allow, current_principal
from ..decisions import BadCursor, list_decisions
from ..decisions.queries import decision_with_review
from ..errors import ApiError

blp = Blueprint("decisions", __name__, url_prefix="/v1/decisions", description="The decision log")


def database():
    """The app's Database."""
    return current_app.extensions["database"]


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _owner() -> str | None:
    """Callers see only the decisions they created; chairs and admins see all."""
    principal = current_principal()
    return principal.name if principal.role == "caller" else None


@blp.route("")
class Decisions(MethodView):
    """The decision log, newest first."""

    @blp.arguments(DecisionQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, DecisionPageSchema)
    @blp.alt_response(422, schema=ErrorSchema, description="Invalid filters")
    @allow("caller", "chair")
    def get(self, query):
        """List decisions, filtered by reference, area, routing, flag and date."""
        limit, cursor = query.pop("limit"), query.pop("cursor", None)
        since = query.pop("from_", None)
        filters = {**query, "from": since, "created_by": _owner()}
        try:
            return list_decisions(database(), filters, limit, cursor)
        except BadCursor as error:
            raise ApiError(422, "The request has invalid fields.", {"query": {"cursor": [str(error)]}}) from None


@blp.route("/<string:decision_id>")
class Decision(MethodView):
    """One recorded decision."""

    @blp.alt_response(200, schema=DecisionSchema, description="The decision exactly as it was returned")
    @blp.alt_response(404, schema=ErrorSchema, description="No such decision")
    @allow("caller", "chair")
    def get(self, decision_id):
        """Read a decision back exactly as it was returned."""
        text = decision_with_review(database(), decision_id, owner=_owner()) if _is_uuid(decision_id) else None
        if text is None:
            raise ApiError(404, f"No decision with id {decision_id!r}.")
        return Response(text, mimetype="application/json")
