"""postgresql search table

PostgreSQL only: each article's tsvector moves from a generated column of
``article`` to ``article_search``, a table of its own with the GIN index,
written by a trigger on ``article`` (store/search_index.py). Beside the body
the vectors were TOASTed, and a search for a common word (a scan) read every
one of them from the TOAST table. The stored vectors are copied, not computed
again. SQLite is unchanged.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from aiwatch.store.search_index import add_search_column, drop_search_index, move_search_vectors

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        move_search_vectors(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        drop_search_index(connection)
        add_search_column(connection)
