"""Strict field types: JSON booleans and integers only, no coercion from text."""

from __future__ import annotations

from marshmallow import fields


class StrictBoolean(fields.Boolean):
    """true or false only; "yes", 1 and "true" are refused."""

    default_error_messages = {"invalid": "Not a valid boolean: expected true or false."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(fields.Integer):
    """A JSON whole number only; 3.0, "3" and true are refused."""

    default_error_messages = {"invalid": "Not a valid integer: expected a whole number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value


class IsoDate(fields.Date):
    """An ISO 8601 calendar date, e.g. 2026-03-31."""

    default_error_messages = {"invalid": "Not a valid date: expected an ISO date such as 2026-03-31."}


def required(expected: str) -> dict:
    """Error messages for a required field that say what was expected."""
    return {"required": f"Missing required field: expected {expected}."}
