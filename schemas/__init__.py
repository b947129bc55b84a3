"""Marshmallow schemas: the wire format. They do not import the service."""

from .errors import ErrorSchema
from .triage import DecisionSchema, TriageRequestSchema

__all__ = ["DecisionSchema", "ErrorSchema", "TriageRequestSchema"]
