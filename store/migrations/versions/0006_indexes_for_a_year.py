"""indexes for a year of articles

What the paged panels, the company and topic filters and re-saving changed
articles look rows up by: an entity's articles from the mention index alone
(it replaces the index on entity type and id), parties, makers and feeds'
articles by their id, topics by name, timeline points by entity and by
article, articles by recency (the panel's order: published, else fetched),
partnerships by when they were last seen. The mention index on article_id is
dropped: the unique constraint's index starts with it.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SIMPLE = (
    ("ix_articletopic_topic", "articletopic", ["topic", "article_id"]),
    ("ix_product_company_id", "product", ["company_id"]),
    ("ix_partnership_last_seen", "partnership", ["last_seen"]),
    ("ix_partnershipparty_company_id", "partnershipparty", ["company_id"]),
    ("ix_caseparty_company_id", "caseparty", ["company_id"]),
    ("ix_statuschange_entity", "statuschange", ["entity_type", "entity_id", "at"]),
    ("ix_statuschange_article_id", "statuschange", ["article_id"]),
    ("ix_articlesource_feed_id", "articlesource", ["feed_id"]),
)


def upgrade() -> None:
    op.drop_index("ix_mention_entity", table_name="mention")
    op.drop_index("ix_mention_article_id", table_name="mention")
    op.create_index("ix_mention_entity", "mention", ["entity_type", "entity_id", "article_id"])
    op.drop_index("ix_statuschange_entity_id", table_name="statuschange")
    for name, table, columns in _SIMPLE:
        op.create_index(name, table, columns)
    op.create_index("ix_article_recent", "article", [sa.text("coalesce(published, fetched)"), "id"])


def downgrade() -> None:
    op.drop_index("ix_article_recent", table_name="article")
    for name, table, _ in reversed(_SIMPLE):
        op.drop_index(name, table_name=table)
    op.create_index("ix_statuschange_entity_id", "statuschange", ["entity_id"])
    op.drop_index("ix_mention_entity", table_name="mention")
    op.create_index("ix_mention_article_id", "mention", ["article_id"])
    op.create_index("ix_mention_entity", "mention", ["entity_type", "entity_id"])
