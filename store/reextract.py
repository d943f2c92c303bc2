"""Re-derive every article's knowledge after the knowledge base or rules change.

Entities that are still supported keep their ids; entities a user edited are
never pruned or overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session, col, delete, select

from feeds.records import ArticleRecord, Extraction, Insight, Section
from store.consolidate import apply_extraction, prune_orphans
from store.models import (
    Article,
    ArticleSection,
    ArticleSource,
    ArticleTopic,
    Mention,
    StatusChange,
    utcnow,
)
from store.models import (
    Insight as InsightRow,
)


def stored_records(session: Session) -> Iterator[tuple[int, ArticleRecord]]:
    """Every stored article rebuilt as the record it was saved from."""
    for article in session.exec(select(Article).order_by(col(Article.id))).all():
        assert article.id is not None
        source = session.exec(
            select(ArticleSource)
            .where(ArticleSource.article_id == article.id)
            .order_by(col(ArticleSource.id))
        ).first()
        sections = session.exec(
            select(ArticleSection)
            .where(ArticleSection.article_id == article.id)
            .order_by(col(ArticleSection.position))
        ).all()
        insights = session.exec(
            select(InsightRow)
            .where(InsightRow.article_id == article.id)
            .order_by(col(InsightRow.position))
        ).all()
        yield (
            article.id,
            ArticleRecord(
                source=source.source if source else "",
                entry_key=source.entry_key if source else str(article.id),
                url=article.url,
                title=article.title,
                published=article.published,
                summary=article.summary,
                sections=tuple(Section(s.name, s.text) for s in sections),
                insights=tuple(Insight(i.question, tuple(i.points)) for i in insights),
                author=article.author,
            ),
        )


def replace_extraction(
    session: Session, article_id: int, extraction: Extraction | None, *, error: str = ""
) -> None:
    """Swap an article's derived knowledge for ``extraction`` (without committing)."""
    for table in (ArticleTopic, Mention, StatusChange):
        session.execute(delete(table).where(col(table.article_id) == article_id))
    article = session.get(Article, article_id)
    assert article is not None
    article.extraction_error = error
    session.add(article)
    if extraction is not None:
        for topic in sorted(set(extraction.topics)):
            session.add(ArticleTopic(article_id=article_id, topic=topic[:64]))
        apply_extraction(
            session, article_id, extraction, seen=article.published or article.fetched or utcnow()
        )
    session.flush()


def finish_reextract(session: Session) -> int:
    """Drop records no article supports any more; returns how many were removed."""
    return prune_orphans(session)
