"""Feed subscriptions and their health; applying one feed's refresh outcome.

Functions take a `Session`. `apply_outcome` is the unit of work of a refresh:
it saves the feed's articles and *then* its validators and health in one
transaction, so a crash never leaves an ETag or body hash saved ahead of the
entries it describes (the next refresh would skip them as unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from feeds.limits import backoff_delay
from feeds.opml import OpmlFeed
from feeds.refresh import FeedOutcome, FeedRequest
from feeds.sanitize import clean_line
from feeds.urls import FeedURLError, validate_feed_url
from store.ingest import save_article
from store.models import Article, ArticleSource, Feed, as_utc, utcnow


class FeedError(ValueError):
    """A feed operation refused with a message for the user (invalid, duplicate, unknown)."""


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


@dataclass(frozen=True, slots=True)
class AppliedOutcome:
    """What `apply_outcome` stored for one feed."""

    feed_id: int
    status: str
    new_articles: int
    changed_articles: int
    failed_extractions: int


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
    session: Session, url: str, *, title: str = "", category: str = "", site_url: str = ""
) -> Feed:
    """Subscribe to ``url`` (not committed); `FeedError` when invalid or already subscribed."""
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
                )
            )
        except FeedError:
            skipped.append(item.url)
    return added, skipped


def remove_feed(session: Session, ref: str | int) -> Feed:
    """Unsubscribe (not committed). Stored articles stay; `FeedError` if unknown."""
    feed = find_feed(session, ref)
    if feed is None:
        raise FeedError(f"No such feed: {clean_line(str(ref), limit=200)}")
    session.delete(feed)
    session.flush()
    return feed


def set_feed_enabled(session: Session, ref: str | int, enabled: bool) -> Feed:
    """Enable or disable a feed (not committed); re-enabling clears its back-off."""
    feed = find_feed(session, ref)
    if feed is None:
        raise FeedError(f"No such feed: {clean_line(str(ref), limit=200)}")
    feed.enabled = enabled
    if enabled:
        feed.retry_after = None
        feed.error_count = 0
        if feed.status in ("gone", "disabled"):
            feed.status = "new"
    else:
        feed.status = "disabled" if feed.status != "gone" else "gone"
    session.add(feed)
    return feed


def feed_requests(
    session: Session,
    *,
    feed_ids: Iterable[int] | None = None,
    now: datetime | None = None,
    with_known: bool = True,
) -> list[FeedRequest]:
    """What to refresh: the given feeds, else every enabled feed not backing off.

    ``with_known`` attaches each feed's stored entries (key → content hash) so
    unchanged entries are not extracted again.
    """
    query = select(Feed).order_by(col(Feed.id))
    if feed_ids is not None:
        query = query.where(col(Feed.id).in_(list(feed_ids)))
    feeds = list(session.exec(query))
    if feed_ids is None:
        moment = now or utcnow()
        feeds = [f for f in feeds if f.enabled and not _backing_off(f, moment)]
    known = known_entries(session, [int(f.id or 0) for f in feeds]) if with_known else {}
    return [
        FeedRequest(
            url=f.url,
            feed_id=f.id,
            etag=f.etag,
            last_modified=f.last_modified,
            body_hash=f.body_hash,
            known=known.get(int(f.id or 0), {}),
        )
        for f in feeds
    ]


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


def _backing_off(feed: Feed, now: datetime) -> bool:
    retry = as_utc(feed.retry_after)
    return retry is not None and retry > now


def apply_outcome(
    session: Session, feed_id: int, outcome: FeedOutcome, *, now: datetime | None = None
) -> AppliedOutcome:
    """Store one feed's refresh in one transaction: articles first, then validators and health.

    Commits on success; on any error rolls back (nothing of the batch is kept)
    and re-raises.
    """
    now = now or utcnow()
    try:
        feed = session.get(Feed, feed_id)
        if feed is None:
            return AppliedOutcome(feed_id, "removed", 0, 0, 0)
        created = changed = failed = 0
        for entry in outcome.entries:
            saved = save_article(
                session,
                entry.record,
                entry.extraction,
                feed_id=feed_id,
                extraction_error=entry.extraction_error,
                now=now,
            )
            created += saved.created
            changed += saved.changed
            failed += bool(entry.extraction_error)
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
    validators change: no entries depend on them, so batching is safe. Plain
    304s become one UPDATE per HTTP status.
    """
    now = now or utcnow()
    healthy = {
        "last_checked": now,
        "last_ok": now,
        "error": "",
        "error_count": 0,
        "retry_after": None,
        "status": "unchanged",
    }
    plain: dict[int | None, list[int]] = {}
    done = 0
    try:
        for outcome in outcomes:
            feed_id = outcome.request.feed_id
            if feed_id is None or outcome.entries or outcome.status != "unchanged":
                continue
            fetched = outcome.fetch
            done += 1
            if fetched.permanent_url:
                feed = session.get(Feed, feed_id)
                if feed is not None:
                    _update_health(session, feed, outcome, now)
            elif fetched.status == "not-modified":
                plain.setdefault(fetched.http_status, []).append(feed_id)
            else:
                session.execute(
                    update(Feed)
                    .where(col(Feed.id) == feed_id)
                    .values(
                        **healthy,
                        http_status=fetched.http_status,
                        etag=fetched.etag,
                        last_modified=fetched.last_modified,
                        body_hash=fetched.body_hash,
                    )
                )
        for http_status, ids in plain.items():
            session.execute(
                update(Feed).where(col(Feed.id).in_(ids)).values(**healthy, http_status=http_status)
            )
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
        )
        for f in session.exec(select(Feed))
    ]
    return sorted(rows, key=lambda r: (r.category.lower(), (r.title or r.url).lower(), r.id))


def export_feeds(session: Session) -> list[OpmlFeed]:
    """Every subscription as an OPML outline."""
    return [
        OpmlFeed(url=f.url, title=f.title, category=f.category, site_url=f.site_url)
        for f in session.exec(select(Feed).order_by(col(Feed.id)))
    ]
