"""The decision log: decisions, their flags, and the hash chain head.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("decision_id", sa.String(36), nullable=False, unique=True),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("routing", sa.String(64), nullable=False),
        sa.Column("review_required", sa.Boolean, nullable=False),
        sa.Column("ruleset_name", sa.String(64), nullable=False),
        sa.Column("ruleset_version", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_json", sa.Text, nullable=False),
        sa.Column("facts_json", sa.Text, nullable=False),
        sa.Column("decision_json", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_decisions_reference", "decisions", ["reference"])
    op.create_index("ix_decisions_area", "decisions", ["area"])
    op.create_index("ix_decisions_routing", "decisions", ["routing"])
    op.create_index("ix_decisions_evaluated_at", "decisions", ["evaluated_at"])
    op.create_table(
        "decision_flags",
        sa.Column("decision_seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                  sa.ForeignKey("decisions.seq", ondelete="CASCADE"), primary_key=True),
        sa.Column("code", sa.String(64), primary_key=True),
    )
    op.create_index("ix_decision_flags_code_seq", "decision_flags", ["code", "decision_seq"])
    chain_head = op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("anchor_seq", sa.BigInteger, nullable=False),
        sa.Column("anchor_hash", sa.String(64), nullable=False),
        sa.Column("records", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(chain_head, [{"id": 1, "last_seq": 0, "last_hash": GENESIS, "anchor_seq": 0,
                                 "anchor_hash": GENESIS, "records": 0}])


def downgrade() -> None:
    op.drop_table("chain_head")
    op.drop_table("decision_flags")
    op.drop_table("decisions")
