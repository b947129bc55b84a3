"""POST /v1/triage and /v1/triage/batch: issues in, recorded decisions out."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, current_app, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from schemas import DecisionSchema, ErrorSchema, TriageRequestSchema
from schemas.decisions import BatchRequestSchema, BatchResultSchema

from ..auth import allow, current_principal
from ..errors import ApiError
from .body import json_body, load_with

blp = Blueprint("triage", __name__, url_prefix="/v1", description="Triage community safety issues")

BATCH_MAX_BYTES = 4 * 1024 * 1024
_ERRORS = {code: ErrorSchema for code in (400, 401, 403, 413, 415, 422, 429, 503)}


def _body(schema_name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema_name}}}


def load_issue(item) -> dict:
    """Validate one issue; an unknown category first checks whether another worker put new rules live."""
    service = current_app.extensions["triage"]
    try:
        return request_schema(service).load(item)
    except ValidationError as error:
        if not isinstance(error.messages, dict) or "category" not in error.messages:
            raise
        version = service.live.version
        current_app.extensions["rulesets"].follow()
        if service.live.version == version:
            raise
        return request_schema(service).load(item)


def request_schema(service) -> TriageRequestSchema:
    """A request schema that knows the live categories, built once per ruleset version."""
    cache = current_app.extensions.setdefault("triage_schemas", {})
    version = service.live.version
    if version not in cache:
        cache.clear()
        cache[version] = TriageRequestSchema(categories=service.categories)
    return cache[version]


def decide_and_record(requests: list) -> list:
    """Triage and record; a database failure becomes a 503 with nothing stored."""
    service = current_app.extensions["triage"]
    try:
        return current_app.extensions["decision_log"].triage(service, requests, now=datetime.now(UTC),
                                                             created_by=current_principal().name)
    except SQLAlchemyError:
        current_app.logger.exception("decision log write failed")
        raise ApiError(503, "The decision log is unavailable, so nothing was decided or recorded. Try again shortly.") from None


def _document_errors(view):
    for code, schema in _ERRORS.items():
        view = blp.alt_response(code, schema=schema, description="See the message and errors")(view)
    return view


@blp.route("/triage")
class Triage(MethodView):
    """Triage one issue."""

    @blp.doc(requestBody=_body("TriageRequest"))
    @blp.alt_response(200, schema=DecisionSchema, description="The recorded decision and why")
    @_document_errors
    @allow("caller")
    def post(self):
        """Route an issue to the CAT, Borough Tasking or a Community Led Solution group."""
        try:
            data = load_issue(json_body())
        except ValidationError as error:
            raise ApiError(422, "The request has invalid fields.", {"json": error.messages}) from None
        outcome = decide_and_record([data])[0]
        if outcome.errors:
            raise ApiError(422, "The request has invalid fields.", {"json": outcome.errors})
        return Response(outcome.text, mimetype="application/json")


@blp.route("/triage/batch")
class TriageBatch(MethodView):
    """Triage up to 500 issues at once."""

    @blp.doc(requestBody=_body("BatchRequest"))
    @blp.alt_response(200, schema=BatchResultSchema, description="One result per item, in order")
    @_document_errors
    @allow("caller")
    def post(self):
        """Triage a month's agenda: valid items are decided and recorded, invalid ones reported."""
        request.max_content_length = BATCH_MAX_BYTES
        items = load_with(BatchRequestSchema(), json_body())["items"]
        loaded, errors = [], {}
        for index, item in enumerate(items):
            try:
                loaded.append(load_issue(item))
            except ValidationError as error:
                loaded.append(None)
                errors[index] = error.messages
        outcomes = decide_and_record(loaded)
        results = [_item(index, outcome, errors.get(index)) for index, outcome in enumerate(outcomes)]
        decided = sum(result["status"] == "decided" for result in results)
        return jsonify({"results": results, "decided": decided, "invalid": len(results) - decided})


def _item(index: int, outcome, errors: dict | None) -> dict:
    if outcome.decision is not None:
        return {"index": index, "status": "decided", "decision": outcome.decision}
    return {"index": index, "status": "invalid", "errors": errors or outcome.errors}
