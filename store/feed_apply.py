"""Applying one feed's refresh outcome: articles first, then validators and health.

`apply_outcome` is the unit of work of a refresh: it saves the feed's articles
and *then* its validators and health in one transaction, so a crash never
leaves an ETag or body hash saved ahead of the entries it describes (the next
refresh would skip them as unchanged). `apply_unchanged` records many
entry-less outcomes (304, same body) in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from aiwatch.feeds.fetch.limits import backoff_delay
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.store.db import lock_for_writing
from aiwatch.store.driver import DriverConnection
from aiwatch.store.ingest import NewArticle, save_articles
from aiwatch.store.models import Feed, utcnow
from aiwatch.store.refresh_state import write_unchanged

if TYPE_CHECKING:  # (the refresh's types; importing it would bring the fetcher)
    from aiwatch.feeds.refresh import FeedOutcome


@dataclass(frozen=True, slots=True)
class AppliedOutcome:
    """What `apply_outcome` stored for one feed."""

    feed_id: int
    status: str
    new_articles: int
    changed_articles: int
    failed_extractions: int


def apply_outcome(
    session: Session, feed_id: int, outcome: FeedOutcome, *, now: datetime | None = None
) -> AppliedOutcome:
    """Store one feed's refresh in one transaction: articles first, then validators and health.

    Commits on success; on any error rolls back (nothing of the batch is kept)
    and re-raises.
    """
    now = now or utcnow()
    try:
        lock_for_writing(session)  # before reading the feed: its health is written below
        feed = session.get(Feed, feed_id)
        if feed is None:
            session.rollback()
            return AppliedOutcome(feed_id, "removed", 0, 0, 0)
        items = [NewArticle(e.record, e.extraction, e.extraction_error) for e in outcome.entries]
        saved = save_articles(session, items, feed_id=feed_id, now=now)
        created = sum(s.created for s in saved)
        changed = sum(s.changed for s in saved)
        failed = sum(bool(item.extraction_error) for item in items)
        _update_health(session, feed, outcome, now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return AppliedOutcome(feed_id, outcome.status, created, changed, failed)


def apply_unchanged(
    session: Session, outcomes: Sequence[FeedOutcome], *, now: datetime | None = None
) -> int:
    """Record many entry-less outcomes (304 / same body) in one transaction; returns how many.

    Only health and, for a 200 with the same body, the server's current
    validators change: no entries depend on them, so batching is safe. The
    plain ones are written by `store.refresh_state.write_unchanged` (what
    ``aiwatch refresh`` runs without the ORM); a feed that moved permanently
    is updated here, where its new URL is checked against the others.
    """
    now = now or utcnow()
    done = 0
    try:
        done = write_unchanged(DriverConnection.within(session), outcomes, now=now)
        for outcome in outcomes:
            feed_id = outcome.request.feed_id
            if feed_id is None or outcome.entries or outcome.status != "unchanged":
                continue
            if outcome.fetch.permanent_url:
                feed = session.get(Feed, feed_id)
                if feed is not None:
                    _update_health(session, feed, outcome, now)
                    done += 1
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return done


def _update_health(session: Session, feed: Feed, outcome: FeedOutcome, now: datetime) -> None:
    fetched = outcome.fetch
    status = outcome.status
    feed.last_checked = now
    feed.http_status = fetched.http_status
    if status in ("ok", "warning", "unchanged"):
        feed.last_ok = now
        feed.error = ""
        feed.error_count = 0
        feed.retry_after = None
        feed.status = status
        if status != "unchanged" or fetched.status == "unchanged":
            feed.etag = fetched.etag
            feed.last_modified = fetched.last_modified
            feed.body_hash = fetched.body_hash
        if outcome.parsed is not None:
            feed.warning = clean_line(outcome.parsed.warning, limit=500)
            feed.title = feed.title or outcome.parsed.title
            feed.site_url = feed.site_url or (outcome.parsed.site_url or "")
            feed.detected_publisher = outcome.parsed.publisher[:300]
        _move(session, feed, fetched.permanent_url)
    elif status == "gone":
        feed.status = "gone"
        feed.enabled = False
        feed.error = clean_line(outcome.error, limit=500)
        feed.error_count += 1
    else:
        feed.status = "error"
        feed.error = clean_line(outcome.error, limit=500) or "refresh failed"
        feed.error_count += 1
        wait = max(backoff_delay(feed.error_count), fetched.retry_after or 0.0)
        feed.retry_after = now + timedelta(seconds=wait) if wait else None
    session.add(feed)


def _move(session: Session, feed: Feed, new_url: str | None) -> None:
    """Follow a permanent redirect unless another subscription already has that URL."""
    if not new_url or new_url == feed.url:
        return
    taken = session.exec(select(Feed.id).where(Feed.url == new_url)).first()
    if taken is None:
        feed.url = new_url
    else:
        feed.warning = clean_line(f"moved permanently to {new_url}, already subscribed as #{taken}")
