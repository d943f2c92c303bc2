"""Read models for the feeds screen and ``feeds list``/``export``: plain frozen rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from aiwatch.feeds.sources.opml import OpmlFeed
from aiwatch.store.models import ArticleSource, Feed, as_utc


@dataclass(frozen=True, slots=True)
class FeedHealthRow:
    """One feed as the feeds screen and ``feeds list`` show it."""

    id: int
    url: str
    title: str
    category: str
    site_url: str
    enabled: bool
    status: str
    last_checked: datetime | None
    last_ok: datetime | None
    retry_after: datetime | None
    http_status: int | None
    error: str
    warning: str
    error_count: int
    articles: int
    publisher: str = ""
    """The organisation the user says the feed speaks for (empty: detected)."""
    detected_publisher: str = ""
    """What the last refresh found from the feed's title and link."""

    @property
    def speaks_for(self) -> str:
        """The publisher in effect: the user's choice, else the detected one."""
        return self.publisher or self.detected_publisher


def list_feed_health(session: Session) -> list[FeedHealthRow]:
    """Every feed with its health and article count, by category then title."""
    counts = dict(
        session.exec(
            select(ArticleSource.feed_id, func.count(func.distinct(ArticleSource.article_id)))
            .where(col(ArticleSource.feed_id).is_not(None))
            .group_by(col(ArticleSource.feed_id))
        ).all()
    )
    rows = [
        FeedHealthRow(
            id=int(f.id or 0),
            url=f.url,
            title=f.title,
            category=f.category,
            site_url=f.site_url,
            enabled=f.enabled,
            status=f.status,
            last_checked=as_utc(f.last_checked),
            last_ok=as_utc(f.last_ok),
            retry_after=as_utc(f.retry_after),
            http_status=f.http_status,
            error=f.error,
            warning=f.warning,
            error_count=f.error_count,
            articles=int(counts.get(f.id, 0)),
            publisher=f.publisher,
            detected_publisher=f.detected_publisher,
        )
        for f in session.exec(select(Feed))
    ]
    return sorted(rows, key=lambda r: (r.category.lower(), (r.title or r.url).lower(), r.id))


def export_feeds(session: Session) -> list[OpmlFeed]:
    """Every subscription as an OPML outline."""
    return [
        OpmlFeed(
            url=f.url,
            title=f.title,
            category=f.category,
            site_url=f.site_url,
            publisher=f.publisher,
        )
        for f in session.exec(select(Feed).order_by(col(Feed.id)))
    ]
