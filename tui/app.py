"""The aiwatch Textual app: wiring between screens, workers and the store.

Screens post requests up (``*Requested``); each handler here is one
`tui.store_worker.StoreApp.store_call`, which reads or writes the store in a
thread and posts the past-tense result (``*Loaded``) back to whoever asked. The
app's parts live beside it: refreshing (`tui.app_refresh`), corrections and the
knowledge base (`tui.app_records`), the daily loop (`tui.app_loop`), paging and
live updates (`tui.app_live`). One `Worker.StateChanged` handler turns any worker
failure into a notification, a line in the status bar and the log: a database
error never takes the app down.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.engine import Engine
from textual import events
from textual.app import CSSPathType
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from aiwatch.feeds.knowledge.base import KnowledgeBase, KnowledgeBaseError
from aiwatch.feeds.sources.seeds import bundled_seed_dir
from aiwatch.store.queries import read_dashboard
from aiwatch.store.read_models import Dashboard, Filter
from aiwatch.tui.app_live import LiveApp
from aiwatch.tui.app_loop import LoopApp
from aiwatch.tui.app_read_ahead import ReadAheadApp
from aiwatch.tui.app_reads import ReadsApp
from aiwatch.tui.app_records import RecordsApp
from aiwatch.tui.app_refresh import RefreshApp
from aiwatch.tui.collection import IdleCollections, resume_full_collections
from aiwatch.tui.commands_palette import LoopCommands
from aiwatch.tui.config import Settings
from aiwatch.tui.knowledge import check_knowledge_files
from aiwatch.tui.messages import (
    CompanyFilterRequested,
    DashboardLoaded,
    DashboardRequested,
    KnowledgeBaseFailed,
    RecordOpenRequested,
    SeedsLoaded,
)
from aiwatch.tui.read_process import WAIT_SECONDS as READ_PROCESS_WAIT
from aiwatch.tui.read_process import ReadProcess
from aiwatch.tui.screens.article import ArticleScreen
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.screens.entity import EntityScreen
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.screens.help import HelpScreen
from aiwatch.tui.screens.search_anything import SearchAnything
from aiwatch.tui.seeding import SeedReport, pending_seeds, store_seeds
from aiwatch.tui.store_worker import describe_failure

LIVE_RELOAD_SECONDS = 2.0
"""Look this often for rows other processes stored (`tui.app_live`: two index lookups;
the panels are read again only when something arrived)."""
COLLECT_EVERY = 0.1
"""Seconds between checks for a pause to collect garbage in (`tui.collection`)."""
USER_WAITS = frozenset(
    {"dashboard", "read-ahead", "pages", "article", "entity", "counts", "feeds", "edit"}
)
"""Worker groups someone watches the screen for: no full collection while one runs."""
FIRST_READ_WAIT = 1.0
"""Seconds the first frame may wait, on the UI thread, for a child's answer that has begun."""

_DONE = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
log = logging.getLogger("aiwatch.tui")


class AiwatchApp(RefreshApp, ReadsApp, RecordsApp, LoopApp, LiveApp, ReadAheadApp):
    """The dashboard and its drill-down screens over one database engine."""

    TITLE = "aiwatch"
    CSS_PATH: ClassVar[CSSPathType | None] = [
        f"styles/{name}.tcss" for name in ("app", "dashboard", "detail", "dialogs", "feeds", "loop")
    ]
    COMMANDS = LoopApp.COMMANDS | {SearchAnything, LoopCommands}
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
        reader: ReadProcess | None = None,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.reader = reader
        self._first_read_pending = reader is not None
        self.settings = settings or Settings()
        self.seed_dir = seed_dir
        self.kb = kb
        self.load_bundled_seeds = load_bundled_seeds
        self.live_reload = live_reload
        self.dashboard = DashboardScreen(
            read=self._request_dashboard, first_load=self._show_first_read
        )
        self._dashboard_loading = False
        self._dashboard_pending: Filter | None = None
        self._last_failure: tuple[str, str] | None = None
        self._own_rows = threading.Lock()
        self.collections = IdleCollections()

    def get_default_screen(self) -> Screen[Any]:
        """The dashboard is the bottom of the screen stack."""
        return self.dashboard

    def on_mount(self) -> None:
        """Load the seeds in the background; the dashboard asks for its own first load."""
        self.setup_loop()
        self.setup_refresh()
        if self.load_bundled_seeds:  # (says so when the knowledge base is unusable)
            self.in_worker(
                self._load_seeds,
                lambda report: None if report is None else SeedsLoaded(report),
                group="seeds",
                description="Loading seeds",
            )
        elif self.kb is None:  # a refresh checks it in full before it stores anything
            try:
                check_knowledge_files(self.settings)
            except KnowledgeBaseError as exc:
                self.post_message(KnowledgeBaseFailed(str(exc)))
        self.start_live(self.live_reload)

    def _load_seeds(self) -> SeedReport | None:
        """Load the seed folder (idempotent; in a worker); ``None`` without a knowledge base.

        The knowledge base is loaded only when a seed is new or changed: on most starts
        every seed is stored already, and loading it would slow the first paint.
        """
        pending = pending_seeds(self.engine, self.seed_dir or bundled_seed_dir())
        if not pending.fresh:
            try:  # the user's files still exist and read (a refresh checks them in full)
                check_knowledge_files(self.settings)
            except KnowledgeBaseError as exc:
                self.post_message(KnowledgeBaseFailed(str(exc)))
            return pending.report()
        kb = self._knowledge()
        if kb is None:
            return None
        with self.storing_own_rows():
            report = store_seeds(self.engine, pending, kb)
            if report.new or report.changed:
                self.stored_own_rows()
            return report

    def on_seeds_loaded(self, message: SeedsLoaded) -> None:
        """Say what loading did (naming every bad file) and show the new rows."""
        report = message.report
        for error in report.errors:
            self.notify(error, title="Seed not loaded", severity="warning", markup=False)
        self.dashboard.set_status(report.describe(), "warning" if report.errors else "information")
        if report.new or report.changed:
            self._reload_dashboard()

    # Dashboard: the latest request wins ----------------------------------------------

    def on_dashboard_requested(self, message: DashboardRequested) -> None:
        """Load now, or right after the load in flight."""
        self._request_dashboard(message.filter)

    def _reload_dashboard(self) -> None:
        self.data_written()  # (a refresh, the seeds or another process stored something)
        self._request_dashboard(self.dashboard.filter)

    def _request_dashboard(self, filt: Filter) -> None:
        if self.reads_ahead(filt):
            return  # the read ahead in flight shows it (`tui.app_read_ahead`)
        if self._dashboard_loading:
            self._dashboard_pending = filt
            return
        self._dashboard_loading = True
        self._load_dashboard(filt)

    def _load_dashboard(self, filt: Filter) -> None:
        limits = self.dashboard.rows_to_read(filt)
        first = self._first_read_pending  # (the first load's alone: never a read ahead's)
        self._first_read_pending = False
        if not first and self.reader is not None:
            self.reader.ask(filt, limits=limits)  # (the worker's thread starts a frame later)
        self.in_worker(
            lambda: self._read_dashboard(filt, limits, first=first),
            DashboardLoaded,
            group="dashboard",
            description="Loading the dashboard",
        )

    def _show_first_read(self, filt: Filter) -> bool:
        """Show the dashboard a child read as aiwatch started, if its answer is there:
        called as the dashboard mounts, so the first frame has the panels filled."""
        reader = self.reader
        if reader is None or not self._first_read_pending or not reader.answered():
            return False  # (the first load waits for it in its worker)
        self._first_read_pending = False
        first = self._first_read(reader, filt, wait=FIRST_READ_WAIT)
        if first is None:
            return False
        self.on_dashboard_loaded(DashboardLoaded(first))
        return True

    def _read_dashboard(
        self,
        filt: Filter,
        limits: Mapping[str, int] | None = None,
        *,
        first: bool = False,
    ) -> Dashboard:
        """Read the dashboard for ``filt`` (in a worker): the child's read when it can
        (`tui.read_process`), else this process's. The first load (``first``) takes the
        child's first read instead when that is the same dashboard."""
        reader = self.reader
        if first and reader is not None:
            if limits:
                reader.decline()
            elif (dashboard := self._first_read(reader, filt, wait=READ_PROCESS_WAIT)) is not None:
                return dashboard
        if self.live_reload > 0:
            self.note_first_mark()
        if reader is not None and (dashboard := reader.read(filt, limits=limits)) is not None:
            return dashboard
        return read_dashboard(self.engine, filt, limits=limits, user=self.user)

    def _first_read(self, reader: ReadProcess, filt: Filter, *, wait: float) -> Dashboard | None:
        """The dashboard the child read for ``filt`` as this process started."""
        first = reader.take(filt, self.user, wait=wait)
        if first is None:
            return None
        if self.live_reload > 0:
            self.note_first_mark(first.mark)
        return first.dashboard

    def on_dashboard_loaded(self, message: DashboardLoaded) -> None:
        """Show the result unless the filter changed meanwhile."""
        self._last_failure = None
        first = self.dashboard.dashboard is None
        if message.dashboard.filter == self.dashboard.filter:
            self.dashboard.show(message.dashboard)
        if first:
            self.call_after_refresh(self._collect_when_idle)

    def _collect_when_idle(self) -> None:
        """Set aside what exists once the dashboard is up; full collections from now on
        come when the user pauses (`tui.collection`)."""
        self.collections.start()
        self.set_interval(COLLECT_EVERY, self._tick_collections, name="idle collections")

    def _tick_collections(self) -> None:
        waited_for = (WorkerState.PENDING, WorkerState.RUNNING)
        busy = any(w.group in USER_WAITS and w.state in waited_for for w in self.workers)
        self.collections.tick(busy=busy)

    async def on_event(self, event: events.Event) -> None:
        """Note each key and mouse event (full collections wait for a pause in them)."""
        if isinstance(event, events.InputEvent):
            self.collections.input_seen()
        await super().on_event(event)

    def on_unmount(self) -> None:
        """Give the interpreter its own collection schedule back."""
        self.collections.stop()

    def _dashboard_done(self) -> None:
        self._dashboard_loading = False
        pending, self._dashboard_pending = self._dashboard_pending, None
        if pending is not None:
            self._request_dashboard(self.dashboard.filter)

    def _landed(self) -> None:
        self._reload_dashboard()
        self.check_watch_alerts()
        if isinstance(self.screen, FeedsScreen):
            self.screen.reload()

    # Navigation ----------------------------------------------------------------------

    def action_feeds(self) -> None:
        """Show the feeds and their health."""
        if not isinstance(self.screen, FeedsScreen):
            self.push_screen(FeedsScreen())

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
            if event.state != WorkerState.SUCCESS and not self.collections.running:
                resume_full_collections(set_aside=False)  # (held for the first load)
        if worker.group == "read-ahead" and event.state != WorkerState.SUCCESS:
            log.warning("Reading ahead failed: %s", describe_failure(worker.error, self.engine))
            self.read_ahead_ended()  # (the dashboard's own read says so, if it fails too)
            return
        if worker.group == "refresh":
            self.refresh_ended()
        if event.state == WorkerState.ERROR:
            self._report_failure(worker.description or worker.name, worker.error)

    def _report_failure(self, what: str, error: BaseException | None) -> None:
        """Status line and log always; a toast unless it repeats the last one (background reloads)."""
        message = describe_failure(error, self.engine)
        log.error("%s failed: %s", what, message, exc_info=error)
        if (what, message) != self._last_failure:
            self.notify(message, title=f"{what} failed", severity="error", markup=False, timeout=10)
        self._last_failure = (what, message)
        self.dashboard.set_status(f"{what} failed: {message}", "error")


def make_app(
    *,
    engine: Engine,
    settings: Settings | None = None,
    seed_dir: Path | None = None,
    kb: KnowledgeBase | None = None,
    load_bundled_seeds: bool = True,
    live_reload: float = LIVE_RELOAD_SECONDS,
    reader: ReadProcess | None = None,
) -> AiwatchApp:
    """Build the app over ``engine``; tests pass their own engine, seeds and settings.

    Args:
        engine: The store's engine (see `store.db.make_engine`).
        settings: The user's settings (default: built-in defaults, no config file read).
        seed_dir: Seed folder loaded on start (default: the bundled seeds).
        kb: Knowledge base for extraction (default: loaded on first use).
        load_bundled_seeds: Load ``seed_dir`` when the app starts.
        live_reload: Seconds between looks for rows other processes stored (0: never).
        reader: The child process that reads the dashboards (`tui.read_process`).
    """
    return AiwatchApp(
        engine=engine,
        settings=settings,
        seed_dir=seed_dir,
        kb=kb,
        load_bundled_seeds=load_bundled_seeds,
        live_reload=live_reload,
        reader=reader,
    )
