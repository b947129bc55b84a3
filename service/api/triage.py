"""POST /v1/triage: one issue in, one decision out."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas import DecisionSchema, ErrorSchema, TriageRequestSchema

from ..errors import ApiError
from ..triage import InvalidRequest
from .body import load_body

blp = Blueprint("triage", __name__, url_prefix="/v1", description="Triage community safety issues")

_BODY = {"required": True, "content": {"application/json": {"schema": "TriageRequest"}}}


def triage_service():
    """The app's TriageService."""
    return current_app.extensions["triage"]


def request_schema(service) -> TriageRequestSchema:
    """A request schema that knows the live categories, built once per ruleset version."""
    cache = current_app.extensions.setdefault("triage_schemas", {})
    version = service.live.version
    if version not in cache:
        cache.clear()
        cache[version] = TriageRequestSchema(categories=service.categories)
    return cache[version]


@blp.route("/triage")
class Triage(MethodView):
    """Triage one issue."""

    @blp.doc(requestBody=_BODY)
    @blp.alt_response(200, schema=DecisionSchema, description="The decision and why")
    @blp.alt_response(422, schema=ErrorSchema, description="Invalid fields, each named")
    @blp.alt_response(400, schema=ErrorSchema, description="Malformed JSON")
    @blp.alt_response(413, schema=ErrorSchema, description="Body over 64 KiB")
    @blp.alt_response(415, schema=ErrorSchema, description="Not JSON")
    def post(self):
        """Route an issue to the CAT, Borough Tasking or a Community Led Solution group."""
        service = triage_service()
        data = load_body(request_schema(service))
        try:
            decision = service.decide(data, now=datetime.now(UTC))
        except InvalidRequest as error:
            raise ApiError(422, "The request has invalid fields.", {"json": {error.field: [error.message]}}) from None
        return jsonify(decision)
