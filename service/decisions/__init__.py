"""The decision log: record, read, verify and purge decisions."""

from .log import DecisionLog, Outcome, dumps
from .maintenance import parse_age, purge_older_than, verify
from .queries import BadCursor, get_decision_text, list_decisions

__all__ = [
    "BadCursor", "DecisionLog", "Outcome", "dumps", "get_decision_text", "list_decisions",
    "parse_age", "purge_older_than", "verify",
]
