"""Refresh glue shared by the dashboard and ``aiwatch refresh``: feeds → store.

`run_refresh` plans what to refresh, claims those feeds (another refresh on
the same database fetches the rest), runs `feeds.refresh.refresh_feeds`, and
commits each feed with `store.feed_repo.apply_outcome` in a worker thread as it
lands, so the event loop never blocks on the database and the caller hears
about every feed (``on_progress``) as soon as it is stored. Feed state goes
through `store.refresh_store.RefreshStore`, which opens the full store only
when some feed changed. Nothing here imports Textual, SQLAlchemy or the
extractor until it is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from aiwatch.feeds.fetch.urls import AddressCheck, is_public_address
from aiwatch.feeds.parse.sanitize import clean_line
from aiwatch.feeds.work import Extractor, KnowledgeExtractor
from aiwatch.store.feed_claims import RENEW_SECONDS
from aiwatch.store.refresh_state import SkippedFeed
from aiwatch.store.refresh_store import RefreshStore
from aiwatch.tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from aiwatch.feeds.refresh import FeedOutcome, FeedRequest

_DEFAULT: Any = object()
log = logging.getLogger("aiwatch.extraction")
progress_log = logging.getLogger("aiwatch.refresh")
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
    failed_extractions: int = 0
    """Articles stored with an ``extraction_error`` (an extractor bug), to be retried."""
    store_error: str = ""
    """Why the store refused what was fetched (read-only, locked, full); ``""``: it did not.

    The feed cannot record this error itself, so callers show it (``error`` says
    ``could not save: …`` with it)."""


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """The whole refresh: counts, new articles, wall time, per-feed reports, feeds left out."""

    subscribed: int
    total: int
    ok: int
    unchanged: int
    failed: int
    new_articles: int
    changed_articles: int
    seconds: float
    feeds: tuple[FeedReport, ...] = ()
    skipped: tuple[SkippedFeed, ...] = ()

    @property
    def nothing_refreshed(self) -> bool:
        """True when feeds were due but none could be refreshed, or none are subscribed."""
        if self.subscribed == 0:
            return True
        return self.total > 0 and self.ok + self.unchanged == 0

    def describe(self) -> str:
        """One line: ``12 feeds: 9 ok, 2 unchanged, 1 failed · 37 new articles · 4.2 s``.

        Feeds left out follow, with why: ``· skipped 2: 1 disabled, 1 backing
        off (next retry 14:05)``, and feeds another refresh was fetching.
        """
        if self.subscribed == 0:
            return (
                "No feeds subscribed: `aiwatch feeds defaults` subscribes to the curated "
                "AI-news feeds, `aiwatch feeds add URL` to any other."
            )
        reasons = describe_skipped(self.skipped)
        if self.total == 0:
            return f"Nothing to refresh: all {self.subscribed} feeds skipped: {reasons}"
        skipped = f"{len(self.skipped)}: {reasons}"
        new = f"{self.new_articles} new article{'s' if self.new_articles != 1 else ''}"
        failed = self.failed_extractions
        broken = f" · {failed} not extracted (reextract --failed retries)" if failed else ""
        line = (
            f"{self.total} feed{'s' if self.total != 1 else ''}: {self.ok} ok, "
            f"{self.unchanged} unchanged, {self.failed} failed · {new}{broken}"
            f" · {self.seconds:.1f} s"
        )
        return f"{line} · skipped {skipped}" if self.skipped else line

    @property
    def failed_extractions(self) -> int:
        """Articles whose extraction raised, over every feed."""
        return sum(f.failed_extractions for f in self.feeds)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stable keys; keys are only ever added)."""
        return {
            "feeds_total": self.total,
            "feeds_ok": self.ok,
            "feeds_unchanged": self.unchanged,
            "feeds_failed": self.failed,
            "feeds_skipped": len(self.skipped),
            "new_articles": self.new_articles,
            "changed_articles": self.changed_articles,
            "failed_extractions": self.failed_extractions,
            "seconds": round(self.seconds, 3),
            "feeds": [
                {
                    "id": f.feed_id,
                    "url": f.url,
                    "status": f.status,
                    "new_articles": f.new_articles,
                    "failed_extractions": f.failed_extractions,
                    "error": f.error,
                    "warning": f.warning,
                }
                for f in self.feeds
            ],
            "skipped": [
                {
                    "id": f.feed_id,
                    "url": f.url,
                    "reason": f.reason,
                    "retry_after": f.retry_after.isoformat() if f.retry_after else None,
                }
                for f in self.skipped
            ],
        }


SKIP_WORDS = {
    "disabled": "disabled",
    "backing-off": "backing off",
    "busy": "being refreshed by another aiwatch",
}


def describe_skipped(skipped: Sequence[SkippedFeed], now: datetime | None = None) -> str:
    """``1 disabled, 2 backing off (next retry 14:05)``; retry times are local."""
    counts = {reason: 0 for reason in SKIP_WORDS}
    for feed in skipped:
        counts[feed.reason] += 1
    parts = []
    for reason, count in counts.items():
        if not count:
            continue
        part = f"{count} {SKIP_WORDS[reason]}"
        retries = [f.retry_after for f in skipped if f.reason == reason and f.retry_after]
        if retries:
            part += f" (next retry {_local_time(min(retries), now)})"
        parts.append(part)
    return ", ".join(parts)


def _local_time(moment: datetime, now: datetime | None = None) -> str:
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return local.strftime("%H:%M" if local.date() == today else "%b %d %H:%M")


def _summarise(
    subscribed: int,
    total: int,
    reports: list[FeedReport],
    seconds: float,
    skipped: Sequence[SkippedFeed] = (),
) -> RefreshSummary:
    status = [r.status for r in reports]
    ok = status.count("ok") + status.count("warning")
    return RefreshSummary(
        subscribed=subscribed,
        total=total,
        ok=ok,
        unchanged=status.count("unchanged"),
        failed=len(reports) - ok - status.count("unchanged"),
        new_articles=sum(r.new_articles for r in reports),
        changed_articles=sum(r.changed_articles for r in reports),
        seconds=seconds,
        feeds=tuple(reports),
        skipped=tuple(skipped),
    )


def _unsaved(feed_id: int | None, url: str, exc: BaseException, store: RefreshStore) -> FeedReport:
    """The report of a feed whose results the store refused."""
    reason = store.describe_error(exc)
    return FeedReport(feed_id, url, "error", error=f"could not save: {reason}", store_error=reason)


def _known(store: RefreshStore, requests: Sequence[FeedRequest]) -> dict[int, dict[str, str]]:
    """Stored entries per feed; read only once some feed actually changed."""
    from aiwatch.store.db import session
    from aiwatch.store.feed_repo import known_entries

    with session(store.engine()) as db:
        return known_entries(db, [r.feed_id for r in requests if r.feed_id is not None])


def _store(store: RefreshStore, outcome: FeedOutcome) -> FeedReport:
    feed_id = outcome.request.feed_id
    url = outcome.request.url
    if feed_id is None:
        return FeedReport(None, url, outcome.status, error=outcome.error)
    try:
        from aiwatch.store.db import session
        from aiwatch.store.feed_apply import apply_outcome

        with session(store.engine()) as db:
            applied = apply_outcome(db, feed_id, outcome)
    except Exception as exc:  # noqa: BLE001 - a store failure fails this feed, not the refresh
        return _unsaved(feed_id, url, exc, store)
    failed = "error" if outcome.status in ("error", "gone") else outcome.status
    for entry in outcome.entries:
        if entry.extraction_error:
            log.warning("%s: %s: %s", url, entry.record.entry_key[:120], entry.extraction_error)
    return FeedReport(
        feed_id,
        url,
        failed,
        new_articles=applied.new_articles,
        changed_articles=applied.changed_articles,
        error=outcome.error,
        warning=outcome.warning,
        failed_extractions=applied.failed_extractions,
    )


def _store_unchanged(store: RefreshStore, outcomes: list[FeedOutcome]) -> list[FeedReport]:
    try:
        store.record_unchanged(outcomes)
    except Exception as exc:  # noqa: BLE001 - reported per feed, the refresh goes on
        return [_unsaved(o.request.feed_id, o.request.url, exc, store) for o in outcomes]
    return [FeedReport(o.request.feed_id, o.request.url, "unchanged") for o in outcomes]


def _plain_unchanged(outcome: FeedOutcome) -> bool:
    """A feed whose refresh only touches its health (no entries, no move to a new URL)."""
    return outcome.status == "unchanged" and not outcome.entries and not outcome.fetch.permanent_url


async def _renew(store: RefreshStore) -> None:
    """Keep the claims alive while the refresh runs (SQLite leases expire otherwise)."""
    while True:
        await asyncio.sleep(RENEW_SECONDS)
        with contextlib.suppress(Exception):  # a missed renewal only shortens the lease
            await asyncio.to_thread(store.renew_claims)


async def run_refresh(
    target: Engine | RefreshStore,
    settings: Settings | None = None,
    *,
    feed_ids: Sequence[int] | None = None,
    force: bool = False,
    on_progress: Callable[[RefreshProgress], None] | None = None,
    extractor: Extractor | None = _DEFAULT,
    allowed: AddressCheck = is_public_address,
) -> RefreshSummary:
    """Refresh ``feed_ids`` (default: every enabled feed that is due) into ``target``.

    ``force`` also fetches feeds backing off after errors. Feeds another
    refresh is fetching are skipped (``busy``). Feeds with new content are
    committed one by one as they land; feeds that did not change (304 or the
    same body) only touch their health, so those are committed together, at
    most every `UNCHANGED_EVERY` seconds. When cancelled (SIGTERM, quitting),
    what was committed stays, the claims are released and the cancellation
    propagates. Raises `store.refresh_state.NoSuchFeed` for an unknown id.
    """
    settings = settings or Settings()
    if extractor is _DEFAULT:  # (tui.knowledge.extractor_for, without loading the knowledge base)
        extractor = KnowledgeExtractor(tuple(str(p) for p in settings.knowledge_files))
    if isinstance(extractor, KnowledgeExtractor) and settings.knowledge_files:
        from aiwatch.tui.knowledge import check_knowledge_files

        check_knowledge_files(settings)  # cheap; a broken file fails before anything is fetched
    store = target if isinstance(target, RefreshStore) else RefreshStore(engine=target)
    started = time.monotonic()
    try:
        plan = await asyncio.to_thread(store.plan, feed_ids, force=force)
        progress_log.info(
            "refreshing %d of %d subscribed feeds (%d skipped)",
            len(plan.requests),
            plan.subscribed,
            len(plan.skipped),
        )
        wanted = [r.feed_id for r in plan.requests if r.feed_id is not None]
        claimed = await asyncio.to_thread(store.claim, wanted) if wanted else set()
        requests = [r for r in plan.requests if r.feed_id is None or r.feed_id in claimed]
        busy = [
            SkippedFeed(r.feed_id, r.url, "busy")
            for r in plan.requests
            if r.feed_id is not None and r.feed_id not in claimed
        ]
        renewal = asyncio.ensure_future(_renew(store))
        try:
            reports = await _fetch_and_store(
                store, settings, requests, on_progress, extractor, allowed
            )
        finally:
            renewal.cancel()
        if any(r.new_articles for r in reports):
            await asyncio.to_thread(_group_stories, store)
        summary = _summarise(
            plan.subscribed,
            len(requests),
            reports,
            time.monotonic() - started,
            [*plan.skipped, *busy],
        )
        progress_log.info("%s", summary.describe())
        return summary
    finally:
        await asyncio.to_thread(store.close if store is not target else store.finish)


def _group_stories(store: RefreshStore) -> None:
    """Group the new articles into stories (`store.stories`); a failure leaves them ungrouped."""
    from aiwatch.store.db import session
    from aiwatch.store.stories import group_stories

    try:
        with session(store.engine()) as db:
            group_stories(db)
            db.commit()
    except Exception:  # noqa: BLE001 - every article is still shown, as a story of its own
        return


async def _fetch_and_store(
    store: RefreshStore,
    settings: Settings,
    requests: list[FeedRequest],
    on_progress: Callable[[RefreshProgress], None] | None,
    extractor: Extractor | None,
    allowed: AddressCheck,
) -> list[FeedReport]:
    from aiwatch.feeds.refresh import refresh_feeds  # (the fetcher: not for a dashboard's start)

    prepare = None
    if isinstance(extractor, KnowledgeExtractor) and settings.knowledge_files:
        prepare = partial(_check_knowledge, extractor, settings)
    reports: list[FeedReport] = []
    pending: list[FeedOutcome] = []
    pending_since = 0.0
    done = failed = new = 0
    try:
        async for outcome in refresh_feeds(
            requests,
            options=settings.refresh_options(),
            extractor=extractor,
            allowed=allowed,
            prepare=prepare,
            known=partial(_known, store, requests),
        ):
            done += 1
            if _plain_unchanged(outcome):
                pending_since = pending_since if pending else time.monotonic()
                pending.append(outcome)
            else:
                report = await asyncio.to_thread(_store, store, outcome)
                _log_report(report)
                reports.append(report)
                failed += report.status == "error"
                new += report.new_articles
            if pending and time.monotonic() - pending_since >= UNCHANGED_EVERY:
                reports.extend(await asyncio.to_thread(_store_unchanged, store, pending))
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
    finally:
        if pending:  # also when cancelled: what was fetched is not fetched again
            reports.extend(await asyncio.to_thread(_store_unchanged, store, pending))
    return reports


def _log_report(report: FeedReport) -> None:
    """One ``INFO`` line per stored feed (``--verbose``); its error at ``WARNING``."""
    if report.error:
        progress_log.warning("%s: %s: %s", report.url, report.status, report.error)
    else:
        progress_log.info(
            "%s: %s, %d new, %d changed articles",
            report.url,
            report.status,
            report.new_articles,
            report.changed_articles,
        )


def _check_knowledge(extractor: KnowledgeExtractor, settings: Settings) -> None:
    """Build the knowledge base with the user's extra files before any body is parsed.

    The workers build their own; this one only proves it can be built, so a broken
    file stops the refresh before an article is stored without extraction.

    Raises:
        KnowledgeBaseUnusable: the knowledge base cannot be built.
    """
    from aiwatch.feeds.knowledge.base import KnowledgeBaseError
    from aiwatch.tui.knowledge import explained

    try:
        extractor.load()
    except KnowledgeBaseError as exc:
        raise explained(settings, exc) from None
