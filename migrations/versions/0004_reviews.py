"""Review pages: people who sign in, chairs' reviews, and which rules drove each decision.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "user_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "reviews",
        sa.Column("id", SEQ, primary_key=True, autoincrement=True),
        sa.Column("decision_seq", SEQ, sa.ForeignKey("decisions.seq", ondelete="CASCADE"), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("original_routing", sa.String(64), nullable=False),
        sa.Column("routing", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_reviews_decision_seq_id", "reviews", ["decision_seq", "id"])
    rules = op.create_table(
        "decision_rules",
        sa.Column("decision_seq", SEQ, sa.ForeignKey("decisions.seq", ondelete="CASCADE"), primary_key=True),
        sa.Column("rule_id", sa.String(100), primary_key=True),
        sa.Column("drove_routing", sa.Boolean, nullable=False),
    )
    op.create_index("ix_decision_rules_rule_id", "decision_rules", ["rule_id"])
    _backfill_rules(rules)


def _backfill_rules(rules) -> None:
    """Decisions recorded before this revision: their fired rules, from the stored decision."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT seq, decision_json FROM decisions")).fetchall()
    batch = []
    for seq, text in rows:
        decision = json.loads(text)
        drove = {reason["rule"] for reason in decision.get("reasons", [])}
        batch += [{"decision_seq": seq, "rule_id": rule, "drove_routing": rule in drove}
                  for rule in dict.fromkeys(decision.get("rules_fired", []))]
    if batch:
        op.bulk_insert(rules, batch)


def downgrade() -> None:
    op.drop_table("decision_rules")
    op.drop_table("reviews")
    op.drop_table("user_sessions")
    op.drop_table("users")
