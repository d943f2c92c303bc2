"""news versus mention, discovered products, publishers, retired keys

Mentions say whether the article reports the record as news; products carry
whether they are verified (in the knowledge base) and how a discovered one was
found; feeds and articles carry the organisation the source speaks for; retired
keys remember deletions, merges and renames across re-extraction.

Existing mentions of partnerships and cases were all reports (the extractor had
no notion of a passing mention), and a product mention was a report when its
article put a point on the product's timeline (a launch).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    empty = sa.text("''")
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "publisher",
                sqlmodel.sql.sqltypes.AutoString(length=300),
                nullable=False,
                server_default=empty,
            )
        )
        batch_op.add_column(
            sa.Column(
                "detected_publisher",
                sqlmodel.sql.sqltypes.AutoString(length=300),
                nullable=False,
                server_default=empty,
            )
        )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "publisher",
                sqlmodel.sql.sqltypes.AutoString(length=300),
                nullable=False,
                server_default=empty,
            )
        )
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "found_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=empty
            )
        )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verified", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column(
                "found_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=empty
            )
        )
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reported", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE mention SET reported = TRUE WHERE entity_type IN ('partnership', 'case')")
    op.execute(
        "UPDATE mention SET reported = TRUE WHERE entity_type = 'product' AND EXISTS ("
        "SELECT 1 FROM statuschange s WHERE s.entity_type = 'product'"
        " AND s.entity_id = mention.entity_id AND s.article_id = mention.article_id)"
    )
    op.create_table(
        "retiredkey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity_type", "key"),
    )
    with op.batch_alter_table("retiredkey", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retiredkey_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("retiredkey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retiredkey_target_id"))
    op.drop_table("retiredkey")
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_column("reported")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("found_by")
        batch_op.drop_column("verified")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_column("found_by")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("publisher")
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.drop_column("detected_publisher")
        batch_op.drop_column("publisher")
