"""The aiwatch Textual app: wiring between screens, workers and the store.

Screens post requests up (``*Requested``); the app's workers read or write the
store in threads and post past-tense results (``*Loaded``) back to whoever
asked. One `Worker.StateChanged` handler turns any worker failure into a
notification and a line in the status bar: a database error never takes the
app down.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from textual import work
from textual.app import CSSPathType
from textual.binding import Binding, BindingType
from textual.message_pump import MessagePump
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from aiwatch.feeds.knowledge.base import KnowledgeBase, KnowledgeBaseError
from aiwatch.feeds.sources.opml import default_feeds
from aiwatch.feeds.sources.seeds import bundled_seed_dir
from aiwatch.store.db import StoreError, describe_db_error, session
from aiwatch.store.details import get_article, get_entity
from aiwatch.store.feed_repo import import_feeds, list_feed_health, set_feed_enabled
from aiwatch.store.models import utcnow
from aiwatch.store.queries import company_counts, read_dashboard, topic_counts
from aiwatch.store.read_models import Filter
from aiwatch.tui.app_live import LiveApp
from aiwatch.tui.app_loop import LoopApp
from aiwatch.tui.app_records import RecordsApp
from aiwatch.tui.commands_palette import LoopCommands
from aiwatch.tui.config import Settings
from aiwatch.tui.jobs import RefreshProgress, RefreshSummary, run_refresh
from aiwatch.tui.knowledge import check_knowledge_files
from aiwatch.tui.messages import (
    ArticleLoaded,
    ArticleRequested,
    CompanyFilterRequested,
    CountsLoaded,
    CountsRequested,
    CuratedFeedsRequested,
    DashboardLoaded,
    DashboardRequested,
    EntityLoaded,
    EntityRequested,
    FeedChanged,
    FeedHealthLoaded,
    FeedHealthRequested,
    FeedsSubscribed,
    FeedToggleRequested,
    KnowledgeBaseFailed,
    RecordOpenRequested,
    RefreshFinished,
    RefreshProgressed,
    RefreshRequested,
    SeedsLoaded,
)
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.screens.help import HelpScreen
from aiwatch.tui.screens.search_anything import SearchAnything
from aiwatch.tui.seeding import load_seeds
from aiwatch.tui.text import line
from aiwatch.tui.throttle import Throttle

LIVE_RELOAD_SECONDS = 2.0
"""Look this often for rows other processes stored (`tui.app_live`: two index lookups;
the panels are read again only when something arrived)."""
REFRESH_RELOAD_SECONDS = 2.0
"""During a refresh, re-read the panels at most this often. Feeds can land dozens a
second, and each re-read and redraw (0.1–0.3 s with thousands of rows) holds the event
loop the refresh itself runs on: reloading after every feed made a 200-feed refresh
four times slower."""
INDICATOR_SECONDS = 0.25
"""During a refresh, redraw the progress indicator at most this often."""

_DONE = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
UNSAVED = "could not save:"
"""How `tui.jobs` starts the error of a feed whose batch the store refused."""


class AiwatchApp(RecordsApp, LoopApp, LiveApp):
    """The dashboard and its drill-down screens over one database engine."""

    TITLE = "aiwatch"
    CSS_PATH: ClassVar[CSSPathType | None] = [
        f"styles/{name}.tcss" for name in ("app", "dashboard", "detail", "dialogs", "feeds", "loop")
    ]
    COMMANDS = LoopApp.COMMANDS | {SearchAnything, LoopCommands}
    refresh_state: var[RefreshProgress | None] = var(None)
    """The running refresh (feeds done / total …), ``None`` when none runs; every
    `tui.widgets.refresh_indicator.RefreshIndicator` shows it."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", tooltip="List every key", id="show-help"),
        Binding(
            "r",
            "refresh_feeds",
            "Refresh",
            tooltip="Refresh every feed in the background",
            id="refresh-feeds",
        ),
        Binding("f", "feeds", "Feeds", tooltip="Feeds and their health", id="show-feeds"),
        Binding("q", "quit", "Quit", tooltip="Quit aiwatch", id="quit"),
    ]

    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings | None = None,
        seed_dir: Path | None = None,
        kb: KnowledgeBase | None = None,
        load_bundled_seeds: bool = True,
        live_reload: float = LIVE_RELOAD_SECONDS,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings or Settings()
        self.seed_dir = seed_dir
        self.kb = kb
        self.load_bundled_seeds = load_bundled_seeds
        self.live_reload = live_reload
        self.dashboard = DashboardScreen()
        self._dashboard_loading = False
        self._dashboard_pending: Filter | None = None
        self._last_failure: tuple[str, str] | None = None
        self._latest_progress: RefreshProgress | None = None
        self._indicate = Throttle(self, INDICATOR_SECONDS, self._show_progress)
        self._show_landed = Throttle(self, REFRESH_RELOAD_SECONDS, self._reload_landed)

    def get_default_screen(self) -> Screen[Any]:
        """The dashboard is the bottom of the screen stack."""
        return self.dashboard

    def on_mount(self) -> None:
        """Load the seeds in the background; the dashboard asks for its own first load."""
        self.setup_loop()
        if self.load_bundled_seeds:
            self.load_seeds()  # loads the knowledge base first, and says so if it cannot
        elif self.kb is None:  # a refresh checks it in full before it stores anything
            try:
                check_knowledge_files(self.settings)
            except KnowledgeBaseError as exc:
                self.post_message(KnowledgeBaseFailed(str(exc)))
        self.start_live(self.live_reload)
        minutes = self.settings.refresh.auto_refresh_minutes
        if minutes > 0:
            self.set_interval(minutes * 60, self._scheduled_refresh)

    # Seeds ---------------------------------------------------------------------------

    @work(thread=True, group="seeds", exit_on_error=False, description="Loading seeds")
    def load_seeds(self) -> None:
        """Load the seed folder (idempotent) and report what it did."""
        if self._knowledge() is None:
            return
        assert self.kb is not None
        report = load_seeds(self.engine, self.seed_dir or bundled_seed_dir(), self.kb)
        self.post_message(SeedsLoaded(report))

    def on_seeds_loaded(self, message: SeedsLoaded) -> None:
        """Say what loading did (naming every bad file) and show the new rows."""
        report = message.report
        for error in report.errors:
            self.notify(error, title="Seed not loaded", severity="warning", markup=False)
        self.dashboard.set_status(report.describe(), "warning" if report.errors else "information")
        self._reload_dashboard()

    # Dashboard -----------------------------------------------------------------------

    def on_dashboard_requested(self, message: DashboardRequested) -> None:
        """Load now, or right after the load in flight (latest request wins)."""
        self._request_dashboard(message.filter)

    def _reload_dashboard(self) -> None:
        self._request_dashboard(self.dashboard.filter)

    def _request_dashboard(self, filt: Filter) -> None:
        if self._dashboard_loading:
            self._dashboard_pending = filt
            return
        self._dashboard_loading = True
        self._load_dashboard(filt)

    @work(thread=True, group="dashboard", exit_on_error=False, description="Loading the dashboard")
    def _load_dashboard(self, filt: Filter) -> None:
        limits = self.dashboard.loaded_rows() if filt == self.dashboard.filter else None
        dashboard = read_dashboard(self.engine, filt, limits=limits, user=self.user)
        self.post_message(DashboardLoaded(dashboard))

    def on_dashboard_loaded(self, message: DashboardLoaded) -> None:
        """Show the result unless the filter changed meanwhile."""
        self._last_failure = None
        if message.dashboard.filter == self.dashboard.filter:
            self.dashboard.show(message.dashboard)

    def _dashboard_done(self) -> None:
        self._dashboard_loading = False
        pending, self._dashboard_pending = self._dashboard_pending, None
        if pending is not None:
            self._request_dashboard(self.dashboard.filter)

    # Drill-down reads ----------------------------------------------------------------

    def on_article_requested(self, message: ArticleRequested) -> None:
        """Read an article for the screen that asked."""
        self._load_article(message.reply_to, message.article_id)

    @work(thread=True, group="article", exit_on_error=False, description="Loading the article")
    def _load_article(self, reply_to: MessagePump, article_id: int) -> None:
        with session(self.engine) as db:
            detail = get_article(db, article_id)
        reply_to.post_message(ArticleLoaded(article_id, detail))

    def on_entity_requested(self, message: EntityRequested) -> None:
        """Read an entity for the screen that asked."""
        self._load_entity(message.reply_to, message.entity_type, message.entity_id)

    @work(thread=True, group="entity", exit_on_error=False, description="Loading the record")
    def _load_entity(self, reply_to: MessagePump, entity_type: str, entity_id: int) -> None:
        with session(self.engine) as db:
            detail = get_entity(db, entity_type, entity_id)
        reply_to.post_message(EntityLoaded(entity_type, entity_id, detail))

    def on_counts_requested(self, message: CountsRequested) -> None:
        """Count companies or topics for a picker."""
        self._load_counts(message.reply_to, message.kind)

    @work(thread=True, group="counts", exit_on_error=False, description="Counting articles")
    def _load_counts(self, reply_to: MessagePump, kind: str) -> None:
        with session(self.engine) as db:
            rows = company_counts(db) if kind == "company" else topic_counts(db)
        reply_to.post_message(CountsLoaded(kind, rows))

    # Feeds ---------------------------------------------------------------------------

    def on_feed_health_requested(self, message: FeedHealthRequested) -> None:
        """Read the feeds' health for the feeds screen."""
        self._load_feed_health(message.reply_to)

    @work(thread=True, group="feeds", exit_on_error=False, description="Loading feeds")
    def _load_feed_health(self, reply_to: MessagePump) -> None:
        with session(self.engine) as db:
            rows = list_feed_health(db)
        reply_to.post_message(FeedHealthLoaded(rows))

    def on_feed_toggle_requested(self, message: FeedToggleRequested) -> None:
        """Enable or disable a feed."""
        self._toggle_feed(message.reply_to, message.feed_id, message.enabled)

    @work(thread=True, group="feeds", exit_on_error=False, description="Changing the feed")
    def _toggle_feed(self, reply_to: MessagePump, feed_id: int, enabled: bool) -> None:
        with session(self.engine) as db:
            set_feed_enabled(db, feed_id, enabled)
            db.commit()
        reply_to.post_message(FeedChanged(feed_id, enabled))

    def on_curated_feeds_requested(self, message: CuratedFeedsRequested) -> None:
        """Subscribe to the curated AI-news feeds shipped with aiwatch."""
        self._subscribe_curated(message.reply_to)

    @work(thread=True, group="feeds", exit_on_error=False, description="Subscribing")
    def _subscribe_curated(self, reply_to: MessagePump) -> None:
        with session(self.engine) as db:
            added, already = import_feeds(db, default_feeds().feeds)
            db.commit()
        reply_to.post_message(FeedsSubscribed(len(added), len(already)))

    def _scheduled_refresh(self) -> None:
        if not self._refreshing:
            self.post_message(RefreshRequested())

    @property
    def _refreshing(self) -> bool:
        return any(w.group == "refresh" and not w.is_finished for w in self.workers)

    def action_refresh_feeds(self) -> None:
        """Refresh every enabled feed in the background."""
        self.post_message(RefreshRequested())

    def on_refresh_requested(self, message: RefreshRequested) -> None:
        """Start a refresh unless one is running."""
        if self._refreshing:
            self.notify("A refresh is already running.", severity="warning")
            return
        if self.knowledge_error:
            self.notify(
                self.knowledge_error, title="Not refreshing", severity="error", markup=False
            )
            return
        self.refresh_state = RefreshProgress(
            done=0, total=0, current_url="", errors=0, new_articles=0
        )
        self.watch_since = utcnow()
        self.dashboard.set_status("Refreshing feeds…")
        self._refresh(message.feed_ids, message.force)

    @work(group="refresh", exit_on_error=False, description="Refreshing feeds")
    async def _refresh(self, feed_ids: tuple[int, ...] | None, force: bool) -> None:
        try:
            summary = await run_refresh(
                self.engine,
                self.settings,
                feed_ids=list(feed_ids) if feed_ids else None,
                force=force,
                on_progress=self._progressed,
            )
        except KnowledgeBaseError as exc:  # stopped before anything was stored
            self.post_message(KnowledgeBaseFailed(str(exc)))
            return
        self.post_message(RefreshFinished(summary))

    def _progressed(self, progress: RefreshProgress) -> None:
        """Called by `run_refresh` after each feed is stored (on the event loop)."""
        self.post_message(RefreshProgressed(progress))

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        """Advance the indicator and show what the stored feeds brought (both throttled)."""
        self._latest_progress = message.progress
        self._indicate()
        self._show_landed()

    def _show_progress(self) -> None:
        if self._refreshing:
            self.refresh_state = self._latest_progress

    def _reload_landed(self) -> None:
        self._reload_dashboard()
        self.check_watch_alerts()
        if isinstance(self.screen, FeedsScreen):
            self.screen.reload()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Summarise; feeds the store refused (read-only, locked, full) are an error with a toast."""
        status, unsaved = describe_refresh(message.summary)
        if unsaved:
            self.notify(unsaved, title="Refresh", severity="error", markup=False, timeout=10)
        self.dashboard.set_status(status, "error" if unsaved else "information")
        self._reload_dashboard()
        self.check_watch_alerts()
        if isinstance(self.screen, FeedsScreen):
            self.screen.reload()
            if not unsaved:  # the dashboard's status line is hidden behind this screen
                self.notify(status, title="Refresh", markup=False)

    def action_feeds(self) -> None:
        """Show the feeds and their health."""
        if not isinstance(self.screen, FeedsScreen):
            self.push_screen(FeedsScreen())

    # Navigation ----------------------------------------------------------------------

    def on_record_open_requested(self, message: RecordOpenRequested) -> None:
        """Open an article or entity screen (from the command palette)."""
        if message.entity_type == "article":
            self.push_screen(ArticleScreen(message.entity_id))
        else:
            self.push_screen(EntityScreen(message.entity_type, message.entity_id))

    def on_company_filter_requested(self, message: CompanyFilterRequested) -> None:
        """Go back to the dashboard, narrowed to one company."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.dashboard.filter = replace(self.dashboard.filter, company=message.company)

    def action_help(self) -> None:
        """List every key of the current screen and of the app."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # Failures ------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker outcomes are handled: bookkeeping and every error."""
        worker = event.worker
        if event.state not in _DONE:
            return
        if worker.group == "dashboard":
            self._dashboard_done()
        if worker.group == "refresh":
            self._indicate.cancel()
            self._show_landed.cancel()
            self.refresh_state = None
        if event.state == WorkerState.ERROR:
            self._report_failure(worker.description or worker.name, worker.error)

    def _report_failure(self, what: str, error: BaseException | None) -> None:
        """Status line always; a notification unless it repeats the last one (background reloads)."""
        message = describe_failure(error, self.engine)
        if (what, message) != self._last_failure:
            self.notify(message, title=f"{what} failed", severity="error", markup=False, timeout=10)
        self._last_failure = (what, message)
        self.dashboard.set_status(f"{what} failed: {message}", "error")


def describe_refresh(summary: RefreshSummary) -> tuple[str, str]:
    """The status line after a refresh, and why feeds could not be saved (``""``: all were).

    A feed the store refused cannot record its own error (the feeds screen would
    not show it), so the first reason leads the status line.
    """
    if summary.subscribed == 0:
        return "No feeds yet: press f, then s for the curated AI-news feeds.", ""
    unsaved = [f.error for f in summary.feeds if f.error.startswith(UNSAVED)]
    if not unsaved:
        return summary.describe(), ""
    count = f"{len(unsaved)} feed{'s' if len(unsaved) != 1 else ''}"
    reason = line(f"Could not save {count}: {unsaved[0].removeprefix(UNSAVED).strip()}")
    return f"{reason} · {summary.describe()}", reason


def describe_failure(error: BaseException | None, engine: Engine | None = None) -> str:
    """One line for a worker failure, without a traceback."""
    if isinstance(error, StoreError):
        return line(str(error))
    if isinstance(error, SQLAlchemyError):
        return line(describe_db_error(error, engine))
    return line(f"{type(error).__name__}: {error}")


def make_app(
    *,
    engine: Engine,
    settings: Settings | None = None,
    seed_dir: Path | None = None,
    kb: KnowledgeBase | None = None,
    load_bundled_seeds: bool = True,
    live_reload: float = LIVE_RELOAD_SECONDS,
) -> AiwatchApp:
    """Build the app over ``engine``; tests pass their own engine, seeds and settings.

    Args:
        engine: The store's engine (see `store.db.make_engine`).
        settings: The user's settings (default: built-in defaults, no config file read).
        seed_dir: Seed folder loaded on start (default: the bundled seeds).
        kb: Knowledge base for extraction (default: loaded on first use).
        load_bundled_seeds: Load ``seed_dir`` when the app starts.
        live_reload: Seconds between looks for rows other processes stored (0: never).
    """
    return AiwatchApp(
        engine=engine,
        settings=settings,
        seed_dir=seed_dir,
        kb=kb,
        load_bundled_seeds=load_bundled_seeds,
        live_reload=live_reload,
    )
