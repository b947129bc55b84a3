"""Persistence: the decision log's tables and database access."""

from .database import Database
from .models import (
    ApiKey,
    AuditEvent,
    Base,
    ChainHead,
    DecisionFlag,
    DecisionRecord,
    DecisionRule,
    Review,
    RulesetVersion,
    User,
    UserSession,
)

__all__ = [
    "ApiKey", "AuditEvent", "Base", "ChainHead", "Database", "DecisionFlag", "DecisionRecord", "DecisionRule",
    "Review", "RulesetVersion", "User", "UserSession",
]
