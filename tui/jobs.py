"""Refresh glue shared by the dashboard and ``aiwatch refresh``: feeds → store.

`run_refresh` reads what to refresh, runs `feeds.refresh.refresh_feeds`, and
commits each feed with `store.feed_repo.apply_outcome` in a worker thread as it
lands, so the event loop never blocks on the database and the caller hears
about every feed (``on_progress``) as soon as it is stored. Nothing here
imports Textual.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from feeds.refresh import FeedOutcome, FeedRequest, refresh_feeds
from feeds.sanitize import clean_line
from feeds.urls import AddressCheck, is_public_address
from feeds.work import Extractor, KnowledgeExtractor
from store.db import describe_db_error, session
from store.feed_repo import apply_outcome, apply_unchanged, feed_requests, known_entries
from store.models import Feed
from tui.config import Settings

_DEFAULT: Any = object()
UNCHANGED_EVERY = 1.0
"""Seconds between commits of unchanged feeds' health (one transaction each time)."""


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Sent after each feed is stored."""

    done: int
    total: int
    current_url: str
    errors: int
    new_articles: int


@dataclass(frozen=True, slots=True)
class FeedReport:
    """One feed's result, for ``--json`` and the status line."""

    feed_id: int | None
    url: str
    status: str
    new_articles: int = 0
    changed_articles: int = 0
    error: str = ""
    warning: str = ""


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """The whole refresh: counts, new articles, wall time, per-feed reports."""

    subscribed: int
    total: int
    ok: int
    unchanged: int
    failed: int
    new_articles: int
    changed_articles: int
    seconds: float
    feeds: tuple[FeedReport, ...] = ()

    @property
    def nothing_refreshed(self) -> bool:
        """True when feeds were due but none could be refreshed, or none are subscribed."""
        if self.subscribed == 0:
            return True
        return self.total > 0 and self.ok + self.unchanged == 0

    def describe(self) -> str:
        """One line: ``12 feeds: 9 ok, 2 unchanged, 1 failed · 37 new articles · 4.2 s``."""
        if self.subscribed == 0:
            return (
                "No feeds subscribed: `aiwatch feeds defaults` subscribes to the curated "
                "AI-news feeds, `aiwatch feeds add URL` to any other."
            )
        if self.total == 0:
            return f"Nothing to refresh: all {self.subscribed} feeds are disabled or backing off."
        new = f"{self.new_articles} new article{'s' if self.new_articles != 1 else ''}"
        return (
            f"{self.total} feed{'s' if self.total != 1 else ''}: {self.ok} ok, "
            f"{self.unchanged} unchanged, {self.failed} failed · {new} · {self.seconds:.1f} s"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stable keys)."""
        return {
            "feeds_total": self.total,
            "feeds_ok": self.ok,
            "feeds_unchanged": self.unchanged,
            "feeds_failed": self.failed,
            "new_articles": self.new_articles,
            "changed_articles": self.changed_articles,
            "seconds": round(self.seconds, 3),
            "feeds": [
                {
                    "id": f.feed_id,
                    "url": f.url,
                    "status": f.status,
                    "new_articles": f.new_articles,
                    "error": f.error,
                    "warning": f.warning,
                }
                for f in self.feeds
            ],
        }


def _load(engine: Engine, feed_ids: Sequence[int] | None) -> tuple[int, list[FeedRequest]]:
    with session(engine) as db:
        subscribed = len(db.exec(select(Feed.id)).all())
        return subscribed, feed_requests(db, feed_ids=feed_ids, with_known=False)


def _known(engine: Engine, requests: list[FeedRequest]) -> dict[int, dict[str, str]]:
    """Stored entries per feed; read only once some feed actually changed."""
    with session(engine) as db:
        return known_entries(db, [r.feed_id for r in requests if r.feed_id is not None])


def _store(engine: Engine, outcome: FeedOutcome) -> FeedReport:
    feed_id = outcome.request.feed_id
    url = outcome.request.url
    if feed_id is None:
        return FeedReport(None, url, outcome.status, error=outcome.error)
    try:
        with session(engine) as db:
            applied = apply_outcome(db, feed_id, outcome)
    except Exception as exc:  # noqa: BLE001 - a store failure fails this feed, not the refresh
        return FeedReport(
            feed_id, url, "error", error=f"could not save: {describe_db_error(exc, engine)}"
        )
    failed = "error" if outcome.status in ("error", "gone") else outcome.status
    return FeedReport(
        feed_id,
        url,
        failed,
        new_articles=applied.new_articles,
        changed_articles=applied.changed_articles,
        error=outcome.error,
        warning=outcome.warning,
    )


async def run_refresh(
    engine: Engine,
    settings: Settings | None = None,
    *,
    feed_ids: Sequence[int] | None = None,
    on_progress: Callable[[RefreshProgress], None] | None = None,
    extractor: Extractor | None = _DEFAULT,
    allowed: AddressCheck = is_public_address,
) -> RefreshSummary:
    """Refresh ``feed_ids`` (default: every enabled feed that is due) into ``engine``.

    Feeds with new content are committed one by one as they land; feeds that
    did not change (304 or the same body) only touch their health, so those
    are committed together, at most every `UNCHANGED_EVERY` seconds.
    """
    settings = settings or Settings()
    started = time.monotonic()
    subscribed, requests = await asyncio.to_thread(_load, engine, feed_ids)
    if extractor is _DEFAULT:
        extractor = KnowledgeExtractor(tuple(str(p) for p in settings.knowledge_files))
    prepare = partial(_preload, extractor) if isinstance(extractor, KnowledgeExtractor) else None
    reports: list[FeedReport] = []
    pending: list[FeedOutcome] = []
    pending_since = 0.0
    done = failed = new = 0
    async for outcome in refresh_feeds(
        requests,
        options=settings.refresh_options(),
        extractor=extractor,
        allowed=allowed,
        prepare=prepare,
        known=partial(_known, engine, requests),
    ):
        done += 1
        if outcome.status == "unchanged" and not outcome.entries:
            pending_since = pending_since if pending else time.monotonic()
            pending.append(outcome)
        else:
            report = await asyncio.to_thread(_store, engine, outcome)
            reports.append(report)
            failed += report.status == "error"
            new += report.new_articles
        if pending and time.monotonic() - pending_since >= UNCHANGED_EVERY:
            reports.extend(await asyncio.to_thread(_store_unchanged, engine, pending))
            pending = []
        if on_progress is not None:
            on_progress(
                RefreshProgress(
                    done=done,
                    total=len(requests),
                    current_url=clean_line(outcome.request.url, limit=300),
                    errors=failed,
                    new_articles=new,
                )
            )
    if pending:
        reports.extend(await asyncio.to_thread(_store_unchanged, engine, pending))
    return _summarise(subscribed, len(requests), reports, time.monotonic() - started)


def _store_unchanged(engine: Engine, outcomes: list[FeedOutcome]) -> list[FeedReport]:
    try:
        with session(engine) as db:
            apply_unchanged(db, outcomes)
    except Exception as exc:  # noqa: BLE001 - reported per feed, the refresh goes on
        error = f"could not save: {describe_db_error(exc, engine)}"
        return [
            FeedReport(o.request.feed_id, o.request.url, "error", error=error) for o in outcomes
        ]
    return [FeedReport(o.request.feed_id, o.request.url, "unchanged") for o in outcomes]


def _summarise(
    subscribed: int, total: int, reports: list[FeedReport], seconds: float
) -> RefreshSummary:
    status = [r.status for r in reports]
    return RefreshSummary(
        subscribed=subscribed,
        total=total,
        ok=status.count("ok") + status.count("warning"),
        unchanged=status.count("unchanged"),
        failed=len(reports)
        - status.count("ok")
        - status.count("warning")
        - status.count("unchanged"),
        new_articles=sum(r.new_articles for r in reports),
        changed_articles=sum(r.changed_articles for r in reports),
        seconds=seconds,
        feeds=tuple(reports),
    )


def _preload(extractor: KnowledgeExtractor) -> None:
    """Import the extractor and load the knowledge base before workers fork, so they share it."""
    try:
        import feeds.extract  # noqa: F401 - imported once here, inherited by forked workers

        extractor.load()
    except Exception:  # noqa: BLE001 - each article will then report the failure itself
        return
