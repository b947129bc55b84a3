"""The triage domain: facts in, decision out. Knows nothing of HTTP."""

from .decision import DecisionError
from .facts import InvalidRequest
from .service import TriageService

__all__ = ["DecisionError", "InvalidRequest", "TriageService"]
