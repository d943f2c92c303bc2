"""Messages: requests that screens post up to the app, and the past-tense results of its workers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlmodel import Session
from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel

from aiwatch.store.changes import DataMark
from aiwatch.store.feed_repo import FeedHealthRow
from aiwatch.store.read_models import (
    ArticleDetail,
    CountRow,
    Dashboard,
    EntityDetail,
    Filter,
    PanelPage,
)
from aiwatch.store.watchlist import WatchEvent
from aiwatch.tui.jobs import RefreshProgress, RefreshSummary
from aiwatch.tui.seeding import SeedReport


class SeedsLoaded(Message):
    """The seed folder was loaded into the store (``report``: files, new, changed, errors)."""

    def __init__(self, report: SeedReport) -> None:
        super().__init__()
        self.report = report


class KnowledgeBaseFailed(Message):
    """The knowledge base could not be loaded: nothing may be extracted (or refreshed)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class DashboardLoaded(Message):
    """Every dashboard panel was read for one filter."""

    def __init__(self, dashboard: Dashboard) -> None:
        super().__init__()
        self.dashboard = dashboard


class DashboardReadAhead(Message):
    """The dashboard of a filter a dialog is about to choose was read (`tui.read_ahead`)."""

    def __init__(self, dashboard: Dashboard, generation: int) -> None:
        super().__init__()
        self.dashboard = dashboard
        self.generation = generation


class CountsLoaded(Message):
    """Companies or topics were counted, for a picker."""

    def __init__(self, kind: str, rows: Sequence[CountRow]) -> None:
        super().__init__()
        self.kind = kind
        self.rows = tuple(rows)


class ArticleLoaded(Message):
    """One article was read (``detail`` is ``None`` when it no longer exists)."""

    def __init__(self, article_id: int, detail: ArticleDetail | None) -> None:
        super().__init__()
        self.article_id = article_id
        self.detail = detail


class EntityLoaded(Message):
    """One entity was read (``detail`` is ``None`` when it no longer exists)."""

    def __init__(self, entity_type: str, entity_id: int, detail: EntityDetail | None) -> None:
        super().__init__()
        self.entity_type = entity_type
        self.entity_id = entity_id
        self.detail = detail


class FeedHealthLoaded(Message):
    """The feeds and their health were read."""

    def __init__(self, rows: Sequence[FeedHealthRow]) -> None:
        super().__init__()
        self.rows = tuple(rows)


class RefreshProgressed(Message):
    """A feed was stored during a refresh; a burst collapses into the latest one."""

    def __init__(self, progress: RefreshProgress) -> None:
        super().__init__()
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        """A newer progress report makes an older, unprocessed one redundant."""
        return isinstance(message, RefreshProgressed)


class RefreshFinished(Message):
    """A refresh ended."""

    def __init__(self, summary: RefreshSummary) -> None:
        super().__init__()
        self.summary = summary


class FeedChanged(Message):
    """A feed was enabled or disabled from the feeds screen."""

    def __init__(self, feed_id: int, enabled: bool) -> None:
        super().__init__()
        self.feed_id = feed_id
        self.enabled = enabled


class CuratedFeedsRequested(Message):
    """The feeds screen asks to subscribe to the curated AI-news feeds."""

    def __init__(self, reply_to: MessagePump) -> None:
        super().__init__()
        self.reply_to = reply_to


class FeedsSubscribed(Message):
    """Subscribing to a list of feeds finished."""

    def __init__(self, added: int, already: int) -> None:
        super().__init__()
        self.added = added
        self.already = already


class DashboardRequested(Message):
    """A screen wants the dashboard read for ``filter`` (latest request wins)."""

    def __init__(self, filter: Filter) -> None:
        super().__init__()
        self.filter = filter


class DashboardReadAheadRequested(Message):
    """A dialog highlights a choice: read the dashboard of ``filter`` ahead of Enter."""

    def __init__(self, filter: Filter) -> None:
        super().__init__()
        self.filter = filter


class _Request(Message):
    """A screen asks the app to read something; the answer goes to ``reply_to``."""

    def __init__(self, reply_to: MessagePump) -> None:
        super().__init__()
        self.reply_to = reply_to


class ArticleRequested(_Request):
    """Read one article (answered with `ArticleLoaded`)."""

    def __init__(self, reply_to: MessagePump, article_id: int) -> None:
        super().__init__(reply_to)
        self.article_id = article_id


class EntityRequested(_Request):
    """Read one partnership, product, case or company (answered with `EntityLoaded`)."""

    def __init__(self, reply_to: MessagePump, entity_type: str, entity_id: int) -> None:
        super().__init__(reply_to)
        self.entity_type = entity_type
        self.entity_id = entity_id


class CountsRequested(_Request):
    """Count articles per company or per topic (answered with `CountsLoaded`)."""

    def __init__(self, reply_to: MessagePump, kind: str) -> None:
        super().__init__(reply_to)
        self.kind = kind


class FeedHealthRequested(_Request):
    """Read every feed's health (answered with `FeedHealthLoaded`)."""


class RefreshRequested(Message):
    """Refresh every enabled feed that is due, or only ``feed_ids``.

    ``force``: feeds backing off after errors are refreshed too.
    """

    def __init__(self, feed_ids: tuple[int, ...] | None = None, *, force: bool = False) -> None:
        super().__init__()
        self.feed_ids = feed_ids
        self.force = force


class FeedToggleRequested(_Request):
    """Enable or disable one feed (answered with `FeedChanged`)."""

    def __init__(self, reply_to: MessagePump, feed_id: int, enabled: bool) -> None:
        super().__init__(reply_to)
        self.feed_id = feed_id
        self.enabled = enabled


class LinkOpenRequested(Message):
    """Open ``url`` in the browser (refused unless it is a plain http(s) link)."""

    def __init__(self, url: str | None) -> None:
        super().__init__()
        self.url = url


class RecordOpenRequested(Message):
    """Open an article (``entity_type == "article"``) or an entity screen."""

    def __init__(self, entity_type: str, entity_id: int) -> None:
        super().__init__()
        self.entity_type = entity_type
        self.entity_id = entity_id


class CompanyFilterRequested(Message):
    """Narrow the dashboard to one company."""

    def __init__(self, company: str) -> None:
        super().__init__()
        self.company = company


class RecordConfirmRequested(_Request):
    """Mark a discovered company or product verified."""

    def __init__(self, reply_to: MessagePump, entity_type: str, entity_id: int) -> None:
        super().__init__(reply_to)
        self.entity_type = entity_type
        self.entity_id = entity_id


class RecordConfirmed(Message):
    """A record was marked verified (``name``: what it is called)."""

    def __init__(self, entity_type: str, entity_id: int, name: str) -> None:
        super().__init__()
        self.entity_type = entity_type
        self.entity_id = entity_id
        self.name = name


class FeedPublisherRequested(_Request):
    """Set the organisation a feed speaks for ("" detects it again) and re-read its articles."""

    def __init__(self, reply_to: MessagePump, feed_id: int, publisher: str) -> None:
        super().__init__(reply_to)
        self.feed_id = feed_id
        self.publisher = publisher


class FeedPublisherChanged(Message):
    """A feed's publisher was set; ``report`` says what re-reading its articles did."""

    def __init__(self, feed_id: int, publisher: str, report: str) -> None:
        super().__init__()
        self.feed_id = feed_id
        self.publisher = publisher
        self.report = report


class StoreJobRequested(_Request):
    """Run ``job(session)`` in a worker thread and commit; answered with `StoreJobDone`.

    Screens use it for the user's own small writes and reads (marking read,
    watching, saving a view …); ``reload`` re-reads the dashboard afterwards.
    """

    def __init__(
        self,
        reply_to: MessagePump,
        tag: str,
        job: Callable[[Session], object],
        *,
        description: str = "Saving",
        reload: bool = True,
    ) -> None:
        super().__init__(reply_to)
        self.tag = tag
        self.job = job
        self.description = description
        self.reload = reload


class ReadMarkRequested(Message):
    """Mark articles read (or unread) for the user; the dashboard shows it without a reload."""

    def __init__(self, article_ids: Sequence[int], read: bool = True) -> None:
        super().__init__()
        self.article_ids = tuple(article_ids)
        self.read = read


class StoreJobDone(Message):
    """A `StoreJobRequested` job finished; ``result`` is what it returned."""

    def __init__(self, tag: str, result: object) -> None:
        super().__init__()
        self.tag = tag
        self.result = result


class ArticleActionRequested(Message):
    """Copy the link of, or pipe, one article (``action``: ``copy-link`` or ``pipe``)."""

    def __init__(self, action: str, article_id: int | None, url: str | None = None) -> None:
        super().__init__()
        self.action = action
        self.article_id = article_id
        self.url = url


class PanelPageRequested(Message):
    """A panel scrolled near the end of its rows: read ``panel``'s next rows from ``offset``."""

    def __init__(self, filter: Filter, panel: str, offset: int) -> None:
        super().__init__()
        self.filter = filter
        self.panel = panel
        self.offset = offset


class PanelPageLoaded(Message):
    """More rows of one panel, read for ``filter``."""

    def __init__(self, filter: Filter, page: PanelPage) -> None:
        super().__init__()
        self.filter = filter
        self.page = page


class StoreChanged(Message):
    """Another process stored something: ``arrived`` are the new articles' ids."""

    def __init__(self, mark: DataMark, arrived: tuple[int, ...]) -> None:
        super().__init__()
        self.mark = mark
        self.arrived = arrived


class ThemeLoaded(Message):
    """The theme the user chose last time was read (``None``: never chose one)."""

    def __init__(self, name: str | None) -> None:
        super().__init__()
        self.name = name


class WatchAlertsFound(Message):
    """Watched entities have events not announced yet (oldest first)."""

    def __init__(self, events: tuple[WatchEvent, ...]) -> None:
        super().__init__()
        self.events = events


class LaunchFailed(Message):
    """A program aiwatch runs for the user (browser, ``[notify] program``) failed: ``text`` says why."""

    def __init__(
        self, title: str, text: str, severity: SeverityLevel, *, timeout: float = 8
    ) -> None:
        super().__init__()
        self.title = title
        self.text = text
        self.severity: SeverityLevel = severity
        self.timeout = timeout
