"""article search

Full-text search over articles (store/search_index.py): the names of the
companies and products each article mentions (article.search_names, filled
here from the stored mentions), and the index itself: an FTS5 table kept in
step by triggers on SQLite, a generated tsvector column with a GIN index on
PostgreSQL.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aiwatch.store.search_index import (
    add_search_column,
    create_search_index,
    drop_search_index,
)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAMES = """
SELECT {aggregate} FROM (
    SELECT c.name AS name FROM mention m JOIN company c ON c.id = m.entity_id
    WHERE m.article_id = article.id AND m.entity_type = 'company'
    UNION
    SELECT p.name FROM mention m JOIN product p ON p.id = m.entity_id
    WHERE m.article_id = article.id AND m.entity_type = 'product'
) AS named
"""


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_names", sa.Text(), nullable=False, server_default=sa.text("''"))
        )
    connection = op.get_bind()
    aggregate = (
        "string_agg(name, chr(10) ORDER BY name)"
        if connection.dialect.name == "postgresql"
        else "group_concat(name, char(10))"
    )
    op.execute(
        f"UPDATE article SET search_names = coalesce(({_NAMES.format(aggregate=aggregate)}), '')"
    )
    if connection.dialect.name == "postgresql":
        add_search_column(connection)  # (0008 moves it into a table)
    else:
        create_search_index(connection)


def downgrade() -> None:
    drop_search_index(op.get_bind())
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("search_names")
