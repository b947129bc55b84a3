"""Persistence: the decision log's tables and database access."""

from .database import Database
from .models import ApiKey, AuditEvent, Base, ChainHead, DecisionFlag, DecisionRecord, RulesetVersion

__all__ = ["ApiKey", "AuditEvent", "Base", "ChainHead", "Database", "DecisionFlag", "DecisionRecord", "RulesetVersion"]
