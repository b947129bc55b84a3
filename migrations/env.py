"""Alembic environment: migrate the connection the service hands over, or DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from service.db.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations on the given connection, or connect to DATABASE_URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(os.environ["DATABASE_URL"])
    with engine.connect() as own:
        context.configure(connection=own, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
