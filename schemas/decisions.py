"""The wire format of the decision log: listing filters, summaries and batches."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .fields import IsoDate
from .triage import ROUTINGS, DecisionSchema, RulesetRefSchema


class DecisionQuerySchema(Schema):
    """Filters and paging for GET /v1/decisions."""

    class Meta:
        unknown = RAISE

    reference = fields.String(validate=validate.Length(1, 64))
    area = fields.String(validate=validate.Length(1, 100))
    routing = fields.String(validate=validate.OneOf(ROUTINGS, error="Must be one of: {choices}."))
    flag = fields.String(validate=validate.Length(1, 64))
    from_ = IsoDate(data_key="from", metadata={"description": "Evaluated on or after this date"})
    to = IsoDate(metadata={"description": "Evaluated on or before this date"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(validate=validate.Length(1, 100), metadata={"description": "next_cursor of the previous page"})


class DecisionSummarySchema(Schema):
    """One decision in a listing."""

    decision_id = fields.UUID(required=True)
    reference = fields.String(required=True)
    area = fields.String(required=True)
    category = fields.String(required=True)
    routing = fields.String(required=True, validate=validate.OneOf(ROUTINGS))
    routing_label = fields.String(required=True)
    review_required = fields.Boolean(required=True)
    flags = fields.List(fields.String(), required=True)
    ruleset = fields.Nested(RulesetRefSchema, required=True)
    as_of = fields.Date(required=True)
    evaluated_at = fields.DateTime(required=True)


class DecisionPageSchema(Schema):
    """A page of decisions, newest first."""

    items = fields.List(fields.Nested(DecisionSummarySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True,
                                metadata={"description": "Pass as ?cursor= for the next page; null on the last"})


class BatchRequestSchema(Schema):
    """Up to 500 issues, e.g. a month's CAT agenda."""

    class Meta:
        unknown = RAISE

    error_messages = {"type": "Expected a JSON object with an 'items' list."}

    items = fields.List(fields.Raw(), required=True, validate=validate.Length(1, 500),
                        metadata={"description": "Triage requests (see TriageRequest)"})


class BatchItemSchema(Schema):
    """One item's result: its decision, or why it was not triaged."""

    index = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("decided", "invalid")))
    decision = fields.Nested(DecisionSchema, metadata={"description": "When status is decided"})
    errors = fields.Dict(metadata={"description": "When status is invalid: field -> messages"})


class BatchResultSchema(Schema):
    """One result per item, in order; only decided items were recorded."""

    results = fields.List(fields.Nested(BatchItemSchema), required=True)
    decided = fields.Integer(required=True)
    invalid = fields.Integer(required=True)
