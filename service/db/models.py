"""The decision log's tables (SQLAlchemy 2.x). Alembic alone changes the schema."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .types import UTCDateTime


class Base(DeclarativeBase):
    """Base class of every table."""


class DecisionRecord(Base):
    """One triage decision, exactly as returned, chained to the one before it."""

    __tablename__ = "decisions"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String(36), unique=True)
    reference: Mapped[str] = mapped_column(String(64), index=True)
    area: Mapped[str] = mapped_column(String(100), index=True)
    category: Mapped[str] = mapped_column(String(64))
    routing: Mapped[str] = mapped_column(String(64), index=True)
    review_required: Mapped[bool] = mapped_column(Boolean)
    ruleset_name: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[date] = mapped_column(Date)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    request_json: Mapped[str] = mapped_column(Text)
    facts_json: Mapped[str] = mapped_column(Text)
    decision_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(100), index=True)  # the API key's name

    flags: Mapped[list[DecisionFlag]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", passive_deletes=True
    )
    rules: Mapped[list[DecisionRule]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class DecisionFlag(Base):
    """A flag a decision raised, kept apart so decisions can be filtered by flag."""

    __tablename__ = "decision_flags"
    __table_args__ = (Index("ix_decision_flags_code_seq", "code", "decision_seq"),)

    decision_seq: Mapped[int] = mapped_column(ForeignKey("decisions.seq", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)

    decision: Mapped[DecisionRecord] = relationship(back_populates="flags")


class ChainHead(Base):
    """The one row that serialises appends, anchors the chain after a purge, and names the live rules.

    Triage locks this row, so a reload that changes ``ruleset_version`` is ordered
    against every decision: each decision recorded after it uses the new rules.
    """

    __tablename__ = "chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    anchor_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    anchor_hash: Mapped[str] = mapped_column(String(64))
    records: Mapped[int] = mapped_column(BigInteger, default=0)
    ruleset_version: Mapped[str | None] = mapped_column(String(64))
    ruleset_activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @classmethod
    def locked(cls, session) -> ChainHead:
        """The head row, locked until the session's transaction ends (writers queue here)."""
        return session.execute(select(cls).where(cls.id == 1).with_for_update()).scalar_one()


class RulesetVersion(Base):
    """The rule files of a version that has been live, so every worker can load it."""

    __tablename__ = "ruleset_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    files_json: Mapped[str] = mapped_column(Text)
    first_activated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_activated_by: Mapped[str] = mapped_column(String(100))


class ApiKey(Base):
    """A calling system's key: only its hash is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Who changed keys or rules, or reviewed a decision, and when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50), index=True)
    target: Mapped[str] = mapped_column(String(200))
    details_json: Mapped[str] = mapped_column(Text)


class User(Base):
    """A person who signs in to the review pages."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(Base):
    """A sign-in: its cookie names it, and sign-out ends it here, so a copied cookie stops working."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Review(Base):
    """A chair's review of a decision: accepted, or overridden with a reason. Never edited."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_decision_seq_id", "decision_seq", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    decision_seq: Mapped[int] = mapped_column(ForeignKey("decisions.seq", ondelete="CASCADE"))
    reviewer: Mapped[str] = mapped_column(String(100))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(20))  # "accept" or "override"
    original_routing: Mapped[str] = mapped_column(String(64))
    routing: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class DecisionRule(Base):
    """A rule that fired for a decision, and whether it drove the routing."""

    __tablename__ = "decision_rules"

    decision_seq: Mapped[int] = mapped_column(ForeignKey("decisions.seq", ondelete="CASCADE"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)  # ix_decision_rules_rule_id
    drove_routing: Mapped[bool] = mapped_column(Boolean)
