"""The wire format of the admin endpoints: API keys and the audit log."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

ROLES = ("caller", "officer", "chair", "admin")


class KeyCreateSchema(Schema):
    """A key to create."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Regexp(r"\A[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}\Z",
                         error="1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit."))
    role = fields.String(required=True, validate=validate.OneOf(ROLES, error="Must be one of: {choices}."))


class KeyCreatedSchema(Schema):
    """A new key: shown once."""

    name = fields.String(required=True)
    role = fields.String(required=True)
    key = fields.String(required=True, metadata={"description": "Send as 'Authorization: Bearer <key>'"})


class KeySchema(Schema):
    """A key's name, role and dates."""

    name = fields.String(required=True)
    role = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    created_by = fields.String(required=True)
    revoked_at = fields.DateTime(allow_none=True)


class AuditQuerySchema(Schema):
    """Filters and paging for the audit log."""

    class Meta:
        unknown = RAISE

    action = fields.String(validate=validate.Length(1, 50), metadata={"example": "rules.reload"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    before = fields.Integer(validate=validate.Range(min=1, max=2**63 - 1), metadata={"description": "next_before of the previous page"})


class AuditEventSchema(Schema):
    """One audited action."""

    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(required=True)
    action = fields.String(required=True)
    target = fields.String(required=True)
    details = fields.Dict(required=True)


class AuditPageSchema(Schema):
    """A page of the audit log, newest first."""

    items = fields.List(fields.Nested(AuditEventSchema), required=True)
    next_before = fields.Integer(allow_none=True, required=True)
