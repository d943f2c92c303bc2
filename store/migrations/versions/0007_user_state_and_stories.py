"""per-user state and stories

What each analyst read, saw, watches and saved (keyed by user name, so people
sharing one PostgreSQL database keep their own), and which story each article
belongs to.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:33:46.504000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import aiwatch.store.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entityseen",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("entity_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("at", aiwatch.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", "entity_type", "entity_id"),
    )
    op.create_table(
        "savedview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("sort", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username", "name"),
    )
    op.create_table(
        "userpreference",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.PrimaryKeyConstraint("username", "name"),
    )
    op.create_table(
        "watch",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("entity_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("created", aiwatch.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", "entity_type", "entity_id"),
    )
    op.create_table(
        "articleread",
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("at", aiwatch.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("username", "article_id"),
    )
    op.create_table(
        "articlestory",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("lead_key", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    with op.batch_alter_table("articlestory", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articlestory_lead_key"), ["lead_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_articlestory_story_id"), ["story_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("articlestory", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articlestory_story_id"))
        batch_op.drop_index(batch_op.f("ix_articlestory_lead_key"))

    op.drop_table("articlestory")
    op.drop_table("articleread")
    op.drop_table("watch")
    op.drop_table("userpreference")
    op.drop_table("savedview")
    op.drop_table("entityseen")
