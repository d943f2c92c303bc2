"""Idempotent writes: an article with its extraction, in the caller's transaction.

`save_article` never commits; the caller commits once per seed load or per feed,
so a batch is stored whole or not at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlmodel import Session, col, delete, select

from feeds.records import ArticleRecord, Extraction
from store.consolidate import apply_extraction, prune_orphans
from store.models import (
    Article,
    ArticleSection,
    ArticleSource,
    ArticleTopic,
    Insight,
    Mention,
    StatusChange,
    utcnow,
)

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


@dataclass(frozen=True, slots=True)
class SavedArticle:
    """What `save_article` did: the row id, and whether it was new or changed."""

    article_id: int
    created: bool
    changed: bool


def canonical_url(url: str) -> str:
    """A link normalised for identity: lower-case host, no fragment or tracking params."""
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING_PARAMS)]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def article_identity(record: ArticleRecord) -> str:
    """The story's identity across sources: its canonical link, else source + entry key."""
    if record.url:
        return "url:" + canonical_url(record.url)[:500]
    return "src:" + hashlib.sha256(f"{record.source}\x00{record.entry_key}".encode()).hexdigest()


def save_article(
    session: Session,
    record: ArticleRecord,
    extraction: Extraction | None,
    *,
    feed_id: int | None = None,
    extraction_error: str = "",
    now: datetime | None = None,
) -> SavedArticle:
    """Insert or update ``record`` and its extraction, without committing.

    The same entry (same source and key), the same link or the same content is
    one article; each source that carried it is recorded. Unchanged content is a
    no-op; changed content replaces sections, insights, topics and mentions.
    """
    now = now or utcnow()
    article = _find_existing(session, record)
    created = article is None
    previously: dict[str, set[int]] = {}
    if article is None:
        article = Article(identity=article_identity(record), fetched=now)
    elif article.content_hash == record.content_hash and not article.extraction_error:
        _link_source(session, article, record, feed_id)
        return SavedArticle(_id(article), created=False, changed=False)
    else:
        previously = _clear_derived(session, _id(article))
    article.url = record.url
    article.title = record.title
    article.author = record.author
    article.summary = record.summary
    article.body = record.body
    article.published = record.published
    article.content_hash = record.content_hash
    article.extraction_error = extraction_error
    session.add(article)
    session.flush()
    article_id = _id(article)
    _link_source(session, article, record, feed_id)
    for position, section in enumerate(record.sections):
        session.add(
            ArticleSection(
                article_id=article_id, position=position, name=section.name, text=section.text
            )
        )
    for position, insight in enumerate(record.insights):
        session.add(
            Insight(
                article_id=article_id,
                position=position,
                question=insight.question,
                points=list(insight.points),
            )
        )
    if extraction is not None:
        for topic in sorted(set(extraction.topics)):
            session.add(ArticleTopic(article_id=article_id, topic=topic[:64]))
        apply_extraction(session, article_id, extraction, seen=record.published or now)
    session.flush()
    if not created:
        prune_orphans(session, only=previously)
    return SavedArticle(article_id, created=created, changed=not created)


def _id(article: Article) -> int:
    assert article.id is not None
    return article.id


def _find_existing(session: Session, record: ArticleRecord) -> Article | None:
    by_source = session.exec(
        select(Article)
        .join(ArticleSource, col(ArticleSource.article_id) == col(Article.id))
        .where(ArticleSource.source == record.source, ArticleSource.entry_key == record.entry_key)
    ).first()
    if by_source is not None:
        return by_source
    by_identity = session.exec(
        select(Article).where(Article.identity == article_identity(record))
    ).first()
    if by_identity is not None:
        return by_identity
    return session.exec(select(Article).where(Article.content_hash == record.content_hash)).first()


def _link_source(
    session: Session, article: Article, record: ArticleRecord, feed_id: int | None
) -> None:
    existing = session.exec(
        select(ArticleSource).where(
            ArticleSource.source == record.source, ArticleSource.entry_key == record.entry_key
        )
    ).first()
    if existing is None:
        session.add(
            ArticleSource(
                article_id=_id(article),
                source=record.source,
                entry_key=record.entry_key,
                feed_id=feed_id,
            )
        )
    elif existing.article_id != article.id:
        existing.article_id = _id(article)
        session.add(existing)


def _clear_derived(session: Session, article_id: int) -> dict[str, set[int]]:
    """Drop what was derived from an article's old text; return the entities it mentioned."""
    mentioned: dict[str, set[int]] = {}
    for entity_type, entity_id in session.exec(
        select(Mention.entity_type, Mention.entity_id).where(Mention.article_id == article_id)
    ).all():
        mentioned.setdefault(entity_type, set()).add(entity_id)
    for table in (ArticleSection, Insight, ArticleTopic, Mention, StatusChange):
        session.execute(delete(table).where(col(table.article_id) == article_id))
    return mentioned
