"""Alembic environment: runs on the connection `store.db` hands it."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from aiwatch.store import models  # noqa: F401  (registers the tables)
from aiwatch.store.search_index import compared_by_alembic

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("aiwatch runs migrations through store.db.upgrade_schema(engine)")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=compared_by_alembic,  # the search index is not in the models
)
with context.begin_transaction():
    context.run_migrations()
