"""feed lease

A refresh claims the feeds it is about to fetch, so two refreshes on one
SQLite database share the work instead of doing it twice (PostgreSQL uses
advisory locks and leaves this table empty).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import aiwatch.store.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedlease",
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("expires", aiwatch.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["feed_id"], ["feed.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("feed_id"),
    )


def downgrade() -> None:
    op.drop_table("feedlease")
