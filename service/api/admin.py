"""/v1/keys and /v1/audit: API keys and the audit log, for admins."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from schemas.admin import AuditPageSchema, AuditQuerySchema, KeyCreatedSchema, KeyCreateSchema, KeySchema
from schemas.errors import ErrorSchema

from ..audit import list_events
from ..auth import KeyProblem, allow, create_key, current_principal, list_keys, revoke_key
from ..errors import ApiError
from .body import load_body

blp = Blueprint("admin", __name__, url_prefix="/v1", description="API keys and the audit log (admins)")


def _database():
    return current_app.extensions["database"]


@blp.route("/keys")
class Keys(MethodView):
    """API keys."""

    @blp.response(200, KeySchema(many=True))
    @allow()
    def get(self):
        """List API keys (never the keys themselves)."""
        return list_keys(_database())

    @blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": "KeyCreate"}}})
    @blp.alt_response(201, schema=KeyCreatedSchema, description="The key, shown this once")
    @blp.alt_response(409, schema=ErrorSchema, description="A key with that name exists")
    @blp.alt_response(422, schema=ErrorSchema, description="Invalid name or role")
    @allow()
    def post(self):
        """Create an API key; the key is in this response only."""
        data = load_body(KeyCreateSchema())
        try:
            key = create_key(_database(), data["name"], data["role"], actor=f"key:{current_principal().name}")
        except KeyProblem as error:
            raise ApiError(409, str(error)) from None
        return {"name": data["name"], "role": data["role"], "key": key}, 201


@blp.route("/keys/<string:name>")
class Key(MethodView):
    """One API key."""

    @blp.response(204)
    @blp.alt_response(404, schema=ErrorSchema, description="No such key")
    @allow()
    def delete(self, name):
        """Revoke a key at once."""
        try:
            revoke_key(_database(), name, actor=f"key:{current_principal().name}")
        except KeyProblem as error:
            raise ApiError(404, str(error)) from None


@blp.route("/audit")
class Audit(MethodView):
    """The audit log."""

    @blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AuditPageSchema)
    @allow()
    def get(self, query):
        """Key changes, rule reloads and reviews: who did what, and when, newest first."""
        return list_events(_database(), query.get("action"), query["limit"], query.get("before"))
