"""Re-derive every article's knowledge after the knowledge base or rules change.

Entities that are still supported keep their ids; entities a user edited are
never pruned or overwritten. Articles are read and rewritten in batches, so a
large database costs a few queries per few hundred articles.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime

from sqlmodel import Session, col, delete, select

from aiwatch.feeds.records import ArticleRecord, Extraction, Insight, Section
from aiwatch.store.bulk import CHUNK, add_rows, update_rows
from aiwatch.store.consolidate import consolidate, prune_orphans
from aiwatch.store.db import lock_for_writing
from aiwatch.store.models import (
    Article,
    ArticleInsight,
    ArticleSection,
    ArticleSource,
    ArticleTopic,
    Feed,
    Mention,
    StatusChange,
    utcnow,
)
from aiwatch.store.search_index import names_for_search

Rederived = tuple[int, Extraction | None, str]
"""An article id, its new extraction (``None`` when extraction failed) and the error."""


def sync_publishers(session: Session, article_ids: Collection[int] | None = None) -> int:
    """Give articles from a feed the publisher that feed has now (the user's, else detected).

    A feed's publisher can change after its articles were stored; re-extraction
    should read "we" as the feed speaks now. Articles whose feed is gone keep theirs.
    Returns how many articles changed.
    """
    query = (
        select(ArticleSource.article_id, Feed.publisher, Feed.detected_publisher, Article.publisher)
        .join(Feed, col(Feed.id) == col(ArticleSource.feed_id))
        .join(Article, col(Article.id) == col(ArticleSource.article_id))
        .order_by(col(ArticleSource.id))
    )
    if article_ids is not None:
        query = query.where(col(ArticleSource.article_id).in_(list(article_ids)))
    first: dict[int, tuple[str, str]] = {}
    for article_id, chosen, detected, current in session.exec(query).all():
        first.setdefault(article_id, (chosen or detected, current))
    changed = [
        {"id": article_id, "publisher": now}
        for article_id, (now, current) in first.items()
        if now != current
    ]
    if changed:
        update_rows(session, Article, changed)
        session.expire_all()
    return len(changed)


def stored_records(
    session: Session, batch: int = CHUNK, *, article_ids: Collection[int] | None = None
) -> Iterator[list[tuple[int, ArticleRecord]]]:
    """Stored articles (every one, or ``article_ids``) rebuilt as the records they were
    saved from, ``batch`` at a time."""
    last = 0
    while True:
        query = select(Article).where(col(Article.id) > last)
        if article_ids is not None:
            query = query.where(col(Article.id).in_(list(article_ids)))
        articles = session.exec(query.order_by(col(Article.id)).limit(batch)).all()
        if not articles:
            return
        ids = [a.id for a in articles if a.id is not None]
        last = ids[-1]
        sources: dict[int, ArticleSource] = {}
        for source in session.exec(
            select(ArticleSource)
            .where(col(ArticleSource.article_id).in_(ids))
            .order_by(col(ArticleSource.id))
        ):
            sources.setdefault(source.article_id, source)
        sections: dict[int, list[Section]] = {}
        for row in session.exec(
            select(ArticleSection)
            .where(col(ArticleSection.article_id).in_(ids))
            .order_by(col(ArticleSection.article_id), col(ArticleSection.position))
        ):
            sections.setdefault(row.article_id, []).append(Section(row.name, row.text))
        insights: dict[int, list[Insight]] = {}
        for item in session.exec(
            select(ArticleInsight)
            .where(col(ArticleInsight.article_id).in_(ids))
            .order_by(col(ArticleInsight.article_id), col(ArticleInsight.position))
        ):
            insights.setdefault(item.article_id, []).append(
                Insight(item.question, tuple(item.points))
            )
        yield [(_id(a), _record(a, sources, sections, insights)) for a in articles]


def _id(article: Article) -> int:
    assert article.id is not None
    return article.id


def _record(
    article: Article,
    sources: dict[int, ArticleSource],
    sections: dict[int, list[Section]],
    insights: dict[int, list[Insight]],
) -> ArticleRecord:
    article_id = _id(article)
    source = sources.get(article_id)
    return ArticleRecord(
        source=source.source if source else "",
        entry_key=source.entry_key if source else str(article_id),
        url=article.url,
        title=article.title,
        published=article.published,
        summary=article.summary,
        sections=tuple(sections.get(article_id, ())),
        insights=tuple(insights.get(article_id, ())),
        author=article.author,
        publisher=article.publisher,
    )


def replace_extractions(session: Session, items: Sequence[Rederived]) -> None:
    """Swap each article's derived knowledge for its new extraction (without committing)."""
    ids = [article_id for article_id, _, _ in items]
    if not ids:
        return
    lock_for_writing(session)
    for table in (ArticleTopic, Mention, StatusChange):
        session.execute(delete(table).where(col(table.article_id).in_(ids)))
    update_rows(
        session,
        Article,
        [
            {"id": i, "extraction_error": error, "search_names": names_for_search(found)}
            for i, found, error in items
        ],
    )
    seen: dict[int, datetime] = {
        article_id: published or fetched or utcnow()
        for article_id, published, fetched in session.exec(
            select(col(Article.id), Article.published, Article.fetched).where(
                col(Article.id).in_(ids)
            )
        )
        if article_id is not None
    }
    topics = [
        {"article_id": article_id, "topic": topic}
        for article_id, extraction, _ in items
        if extraction is not None
        for topic in sorted({t[:64] for t in extraction.topics})
    ]
    add_rows(session, ArticleTopic, topics)
    consolidate(
        session,
        [
            (article_id, extraction, seen[article_id])
            for article_id, extraction, _ in items
            if extraction is not None
        ],
    )
    session.expire_all()  # rows were rewritten behind the ORM's back


def finish_reextract(session: Session) -> int:
    """Drop records no article supports any more; returns how many were removed."""
    return prune_orphans(session)
