"""The one error envelope every API error uses."""

from __future__ import annotations

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    """What went wrong: status code, a sentence, and per-field messages."""

    code = fields.Integer(required=True, metadata={"example": 422})
    status = fields.String(required=True, metadata={"example": "Unprocessable Entity"})
    message = fields.String(required=True, metadata={"example": "The request has invalid fields."})
    errors = fields.Dict(metadata={
        "description": "Where the problems are, e.g. {\"json\": {\"category\": [\"Unknown category ...\"]}}"})
