"""Rule set versions: the files of each version put live, and which one is live.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ruleset_versions",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("files_json", sa.Text, nullable=False),
        sa.Column("first_activated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_activated_by", sa.String(100), nullable=False),
    )
    with op.batch_alter_table("chain_head") as batch:
        batch.add_column(sa.Column("ruleset_version", sa.String(64), nullable=True))
        batch.add_column(sa.Column("ruleset_activated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chain_head") as batch:
        batch.drop_column("ruleset_activated_at")
        batch.drop_column("ruleset_version")
    op.drop_table("ruleset_versions")
