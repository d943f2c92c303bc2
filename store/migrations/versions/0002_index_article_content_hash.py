"""index article content hash

New articles are matched against stored ones by content hash; without an index
that lookup scans the whole table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:35:25.815500
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.alter_column(
            "content_hash",
            existing_type=sqlmodel.sql.sqltypes.AutoString(),
            type_=sqlmodel.sql.sqltypes.AutoString(length=64),
            existing_nullable=False,
        )
        batch_op.create_index(batch_op.f("ix_article_content_hash"), ["content_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_content_hash"))
        batch_op.alter_column(
            "content_hash",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=64),
            type_=sqlmodel.sql.sqltypes.AutoString(),
            existing_nullable=False,
        )
