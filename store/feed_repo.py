"""Feed subscriptions: add, import, remove, enable, and what to refresh next.

Functions take a `Session` and do not commit unless they say so. Applying a
refresh lives in `store.feed_apply` and the read models in `store.feed_health`;
both are re-exported here, so ``store.feed_repo`` is the one place to import
feed operations from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from aiwatch.feeds.fetch.urls import FeedURLError, validate_feed_url
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.feeds.sources.opml import OpmlFeed
from aiwatch.store.driver import DriverConnection
from aiwatch.store.feed_apply import AppliedOutcome, apply_outcome, apply_unchanged
from aiwatch.store.feed_health import FeedHealthRow, export_feeds, list_feed_health
from aiwatch.store.models import Article, ArticleSource, Feed, utcnow
from aiwatch.store.refresh_state import plan_refresh

if TYPE_CHECKING:  # (the refresh's types; importing it would bring the fetcher)
    from aiwatch.feeds.refresh import FeedRequest

__all__ = [
    "AppliedOutcome",
    "FeedError",
    "FeedHealthRow",
    "add_feed",
    "apply_outcome",
    "apply_unchanged",
    "export_feeds",
    "feed_requests",
    "find_feed",
    "import_feeds",
    "known_entries",
    "list_feed_health",
    "remove_feed",
    "set_feed_enabled",
    "set_feed_publisher",
]


class FeedError(ValueError):
    """A feed operation refused with a message for the user (invalid, duplicate, unknown)."""


def find_feed(session: Session, ref: str | int) -> Feed | None:
    """A feed by id (``12`` or ``"12"``) or by URL."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        return session.get(Feed, int(ref))
    try:
        url = validate_feed_url(ref)
    except FeedURLError:
        url = ref.strip()
    return session.exec(select(Feed).where(Feed.url == url)).first()


def add_feed(
    session: Session,
    url: str,
    *,
    title: str = "",
    category: str = "",
    site_url: str = "",
    publisher: str = "",
) -> Feed:
    """Subscribe to ``url`` (not committed); `FeedError` when invalid or already subscribed.

    ``publisher`` is the organisation the feed speaks for (its "we"); empty: detect it.
    """
    try:
        url = validate_feed_url(url)
    except FeedURLError as exc:
        raise FeedError(str(exc)) from None
    existing = session.exec(select(Feed).where(Feed.url == url)).first()
    if existing is not None:
        raise FeedError(f"Already subscribed: {url} (feed #{existing.id}).")
    feed = Feed(
        url=url,
        title=clean_line(title, limit=300),
        category=clean_line(category, limit=200),
        site_url=clean_line(site_url, limit=2048),
        publisher=clean_line(publisher, limit=300),
        created=utcnow(),
    )
    session.add(feed)
    session.flush()
    return feed


def import_feeds(session: Session, feeds: Iterable[OpmlFeed]) -> tuple[list[Feed], list[str]]:
    """Add every feed not yet subscribed (not committed); returns (added, skipped URLs)."""
    added: list[Feed] = []
    skipped: list[str] = []
    for item in feeds:
        try:
            added.append(
                add_feed(
                    session,
                    item.url,
                    title=item.title,
                    category=item.category,
                    site_url=item.site_url,
                    publisher=item.publisher,
                )
            )
        except FeedError:
            skipped.append(item.url)
    return added, skipped


def set_feed_publisher(session: Session, ref: str | int, publisher: str) -> Feed:
    """Say which organisation a feed speaks for (not committed); empty: detect it again."""
    feed = find_feed(session, ref)
    if feed is None:
        raise FeedError(f"No such feed: {clean_line(str(ref), limit=200)}")
    feed.publisher = clean_line(publisher, limit=300)
    session.add(feed)
    session.flush()
    return feed


def remove_feed(session: Session, ref: str | int) -> Feed:
    """Unsubscribe (not committed). Stored articles stay; `FeedError` if unknown."""
    feed = find_feed(session, ref)
    if feed is None:
        raise FeedError(f"No such feed: {clean_line(str(ref), limit=200)}")
    session.delete(feed)
    session.flush()
    return feed


def set_feed_enabled(session: Session, ref: str | int, enabled: bool) -> Feed:
    """Enable or disable a feed (not committed).

    Its history stays: the status, last error and error count still say what
    happened before it was disabled. Re-enabling only lifts the back-off, so
    the next refresh tries it (and, if it fails again, backs off from its count).
    """
    feed = find_feed(session, ref)
    if feed is None:
        raise FeedError(f"No such feed: {clean_line(str(ref), limit=200)}")
    feed.enabled = enabled
    if enabled:
        feed.retry_after = None
        if feed.status == "disabled":  # written by versions that replaced the status
            feed.status = "new"
    session.add(feed)
    return feed


def feed_requests(
    session: Session,
    *,
    feed_ids: Iterable[int] | None = None,
    now: datetime | None = None,
    with_known: bool = True,
    force: bool = False,
) -> list[FeedRequest]:
    """What to refresh: the given feeds, else every enabled feed not backing off.

    The same plan as ``aiwatch refresh`` (`store.refresh_state.plan_refresh`).
    ``with_known`` attaches each feed's stored entries (key → content hash) so
    unchanged entries are not extracted again.
    """
    plan = plan_refresh(DriverConnection.within(session), feed_ids=feed_ids, force=force, now=now)
    if not with_known:
        return list(plan.requests)
    known = known_entries(session, [r.feed_id for r in plan.requests if r.feed_id is not None])
    return [replace(r, known=known.get(r.feed_id or 0, {})) for r in plan.requests]


def known_entries(session: Session, feed_ids: list[int]) -> dict[int, dict[str, str]]:
    """Per feed: entry key → content hash of its stored articles that were extracted fine."""
    known: dict[int, dict[str, str]] = {}
    if not feed_ids:
        return known
    rows = session.exec(
        select(ArticleSource.feed_id, ArticleSource.entry_key, Article.content_hash)
        .join(Article, col(Article.id) == col(ArticleSource.article_id))
        .where(col(ArticleSource.feed_id).in_(feed_ids), Article.extraction_error == "")
    ).all()
    for feed_id, key, content_hash in rows:
        known.setdefault(int(feed_id or 0), {})[key] = content_hash
    return known
