"""Persistence: the decision log's tables and database access."""

from .database import Database
from .models import Base, ChainHead, DecisionFlag, DecisionRecord, RulesetVersion

__all__ = ["Base", "ChainHead", "Database", "DecisionFlag", "DecisionRecord", "RulesetVersion"]
