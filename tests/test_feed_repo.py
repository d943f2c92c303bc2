"""Feed CRUD, applying refresh outcomes in one transaction, and the health read model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

import aiwatch.store.ingest as ingest
from aiwatch.feeds.fetch.fetcher import FetchResult
from aiwatch.feeds.parse.body import ParsedFeed
from aiwatch.feeds.records import ArticleRecord, Extraction
from aiwatch.feeds.refresh import FeedOutcome, FeedRequest
from aiwatch.feeds.work import ProcessedEntry
from aiwatch.store.db import session
from aiwatch.store.feed_repo import (
    FeedError,
    add_feed,
    apply_outcome,
    apply_unchanged,
    feed_requests,
    find_feed,
    list_feed_health,
    remove_feed,
    set_feed_enabled,
)
from aiwatch.store.models import Article, ArticleSource, Feed

URL = "https://feeds.example.com/ai.xml"
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def record(n: int, source: str = URL, *, link: str | None = None) -> ArticleRecord:
    return ArticleRecord(
        source=source,
        entry_key=f"guid-{n}",
        url=link or f"https://news.example.com/story/{n}",
        title=f"Story {n}: Meta partners with Midjourney",
        published=NOW - timedelta(hours=n),
        summary=f"Summary {n}.",
    )


def outcome(
    feed: Feed,
    status: str = "ok",
    entries: tuple[ProcessedEntry, ...] = (),
    **fetched: object,
) -> FeedOutcome:
    request = FeedRequest(feed.url, feed.id, feed.etag, feed.last_modified, feed.body_hash)
    defaults: dict[str, object] = {"http_status": 200}
    if status == "ok":
        defaults.update(etag='"v2"', last_modified="Mon, 02 Jun 2025 10:00:00 GMT", body_hash="h2")
    defaults.update(fetched)
    result = FetchResult(feed.url, status, **defaults)  # type: ignore[arg-type]
    parsed = ParsedFeed("AI Feed", "https://feeds.example.com/", ()) if status == "ok" else None
    return FeedOutcome(request, result, parsed, entries)


def processed(*numbers: int, source: str = URL) -> tuple[ProcessedEntry, ...]:
    return tuple(
        ProcessedEntry(record(n, source), Extraction(topics=("partnership",))) for n in numbers
    )


@pytest.fixture
def db(engine: Engine) -> Session:
    with session(engine) as s:
        yield s


def articles(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Article)).one()


def test_add_validates_and_refuses_duplicates(db: Session) -> None:
    feed = add_feed(db, "  HTTPS://Feeds.Example.com/ai.xml ", title="AI", category="News")
    db.commit()
    assert (feed.url, feed.title, feed.category, feed.status) == (URL, "AI", "News", "new")
    with pytest.raises(FeedError, match=r"Already subscribed: .*feed #"):
        add_feed(db, URL)
    for bad in ("file:///etc/passwd", "", "javascript:x", "/etc/passwd"):
        with pytest.raises(FeedError):
            add_feed(db, bad)
    assert find_feed(db, str(feed.id)) is feed and find_feed(db, URL) is feed


def test_remove_and_enable_disable(db: Session) -> None:
    feed = add_feed(db, URL)
    db.commit()
    apply_outcome(db, feed.id, outcome(feed, entries=processed(1)), now=NOW)
    set_feed_enabled(db, feed.id, False)
    db.commit()
    assert feed_requests(db) == []
    assert [r.url for r in feed_requests(db, feed_ids=[feed.id])] == [
        URL
    ]  # explicit: still allowed
    set_feed_enabled(db, URL, True)
    db.commit()
    assert len(feed_requests(db)) == 1
    remove_feed(db, feed.id)
    db.commit()
    assert db.exec(select(Feed)).all() == [] and articles(db) == 1  # stored articles stay
    with pytest.raises(FeedError, match="No such feed"):
        remove_feed(db, 999)


def test_ok_outcome_saves_articles_then_validators(db: Session) -> None:
    feed = add_feed(db, URL)
    db.commit()
    applied = apply_outcome(db, feed.id, outcome(feed, entries=processed(1, 2, 3)), now=NOW)
    assert (applied.status, applied.new_articles) == ("ok", 3)
    db.refresh(feed)
    assert (feed.etag, feed.last_modified, feed.body_hash) == (
        '"v2"',
        "Mon, 02 Jun 2025 10:00:00 GMT",
        "h2",
    )
    assert (feed.status, feed.error_count, feed.title, feed.site_url) == (
        "ok",
        0,
        "AI Feed",
        "https://feeds.example.com/",
    )
    assert articles(db) == 3
    sources = db.exec(select(ArticleSource).where(ArticleSource.feed_id == feed.id)).all()
    assert len(sources) == 3
    again = apply_outcome(db, feed.id, outcome(feed, entries=processed(1, 2, 3)), now=NOW)
    assert again.new_articles == 0 and articles(db) == 3  # idempotent


def test_not_modified_touches_health_only(db: Session) -> None:
    feed = add_feed(db, URL)
    db.commit()
    apply_outcome(db, feed.id, outcome(feed, entries=processed(1)), now=NOW)
    later = NOW + timedelta(hours=1)
    apply_unchanged(db, [outcome(feed, "not-modified", http_status=304)], now=later)
    db.refresh(feed)
    assert (feed.status, feed.http_status, feed.etag, feed.body_hash) == (
        "unchanged",
        304,
        '"v2"',
        "h2",
    )
    assert feed.last_checked is not None and feed.last_checked.replace(tzinfo=UTC) == later
    same_body = outcome(feed, "unchanged", http_status=200, etag='"v3"', body_hash="h2")
    assert apply_unchanged(db, [same_body], now=later) == 1
    db.refresh(feed)
    assert (feed.status, feed.http_status, feed.etag, feed.body_hash) == (
        "unchanged",
        200,
        '"v3"',
        "h2",
    )


def test_errors_back_off_and_respect_retry_after(db: Session) -> None:
    feed = add_feed(db, URL)
    db.commit()
    apply_outcome(db, feed.id, outcome(feed, "error", http_status=500, error="HTTP 500"), now=NOW)
    db.refresh(feed)
    assert (feed.status, feed.error, feed.error_count, feed.retry_after) == (
        "error",
        "HTTP 500",
        1,
        None,
    )
    apply_outcome(db, feed.id, outcome(feed, "error", http_status=500, error="HTTP 500"), now=NOW)
    db.refresh(feed)
    assert feed.error_count == 2
    assert feed.retry_after.replace(tzinfo=UTC) == NOW + timedelta(seconds=300)
    assert feed_requests(db, now=NOW) == []
    assert len(feed_requests(db, now=NOW + timedelta(seconds=301))) == 1
    limited = outcome(feed, "error", http_status=429, error="HTTP 429", retry_after=7200.0)
    apply_outcome(db, feed.id, limited, now=NOW)
    db.refresh(feed)
    assert feed.retry_after.replace(tzinfo=UTC) == NOW + timedelta(seconds=7200)
    assert feed.etag is None  # validators never change on a failure
    apply_outcome(db, feed.id, outcome(feed, entries=processed(1)), now=NOW)
    db.refresh(feed)
    assert (feed.status, feed.error, feed.error_count, feed.retry_after) == ("ok", "", 0, None)


def test_gone_disables_with_the_reason(db: Session) -> None:
    feed = add_feed(db, URL)
    db.commit()
    apply_outcome(
        db, feed.id, outcome(feed, "gone", http_status=410, error="HTTP 410 Gone"), now=NOW
    )
    db.refresh(feed)
    assert (feed.enabled, feed.status, feed.error) == (False, "gone", "HTTP 410 Gone")
    assert feed_requests(db) == []


def test_permanent_redirect_updates_the_url(db: Session) -> None:
    feed = add_feed(db, URL)
    other = add_feed(db, "https://taken.example.com/rss")
    db.commit()
    moved = "https://new.example.com/ai.xml"
    apply_outcome(db, feed.id, outcome(feed, permanent_url=moved), now=NOW)
    db.refresh(feed)
    assert feed.url == moved
    apply_outcome(db, feed.id, outcome(feed, permanent_url=other.url), now=NOW)
    db.refresh(feed)
    assert feed.url == moved and "already subscribed" in feed.warning


def test_a_failing_batch_keeps_nothing(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = add_feed(db, URL)
    db.commit()
    real = ingest.consolidate
    stored_before_failure = {"articles": 0}

    def failing(session: Session, items: object) -> None:
        stored_before_failure["articles"] = articles(session)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "consolidate", failing)
    with pytest.raises(RuntimeError):
        apply_outcome(db, feed.id, outcome(feed, entries=processed(1, 2, 3, 4)), now=NOW)
    assert stored_before_failure["articles"] == 4  # written, then rolled back as one batch
    db.refresh(feed)
    assert articles(db) == 0
    assert (feed.etag, feed.body_hash, feed.status) == (None, None, "new")  # validators not ahead
    monkeypatch.setattr(ingest, "consolidate", real)
    apply_outcome(db, feed.id, outcome(feed, entries=processed(1, 2, 3, 4)), now=NOW)
    assert articles(db) == 4


def test_same_story_in_two_feeds_is_stored_once(db: Session) -> None:
    first = add_feed(db, URL)
    second = add_feed(db, "https://other.example.com/rss")
    db.commit()
    link = "https://news.example.com/big-story"
    apply_outcome(
        db, first.id, outcome(first, entries=(ProcessedEntry(record(1, link=link), None),))
    )
    two = (ProcessedEntry(record(9, second.url, link=link + "?utm_source=rss"), None),)
    apply_outcome(db, second.id, outcome(second, entries=two))
    assert articles(db) == 1
    assert len(db.exec(select(ArticleSource)).all()) == 2


def test_extraction_failure_is_marked_on_the_article(db: Session) -> None:
    feed = add_feed(db, URL)
    db.commit()
    failed = (ProcessedEntry(record(1), None, "extraction failed: ValueError: bad"),)
    applied = apply_outcome(db, feed.id, outcome(feed, entries=failed + processed(2)))
    assert (applied.new_articles, applied.failed_extractions) == (2, 1)
    marked = db.exec(select(Article).where(Article.extraction_error != "")).all()
    assert [a.extraction_error for a in marked] == ["extraction failed: ValueError: bad"]


def test_health_rows(db: Session) -> None:
    ok = add_feed(db, URL, title="Zed", category="News")
    broken = add_feed(db, "https://broken.example.com/rss", category="Legal")
    db.commit()
    apply_outcome(db, ok.id, outcome(ok, entries=processed(1, 2)), now=NOW)
    apply_outcome(
        db, broken.id, outcome(broken, "error", http_status=503, error="HTTP 503"), now=NOW
    )
    rows = list_feed_health(db)
    assert [r.category for r in rows] == ["Legal", "News"]
    legal, news = rows
    assert (legal.status, legal.error, legal.http_status, legal.error_count, legal.articles) == (
        "error",
        "HTTP 503",
        503,
        1,
        0,
    )
    assert (news.title, news.status, news.articles, news.last_ok) == ("Zed", "ok", 2, NOW)
    assert news.last_checked == NOW and news.last_checked.tzinfo is not None
