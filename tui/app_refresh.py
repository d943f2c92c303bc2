"""The app's part of refreshing: one refresh at a time, its progress, and what it says at the end.

`RefreshApp` is a base of `tui.app.AiwatchApp`. ``r``, a scheduled refresh and
the feeds screen post `RefreshRequested`; a refresh runs `tui.jobs.run_refresh`
in an async worker (its feeds are stored in threads as they land). Progress
moves the indicator and re-reads the panels, both throttled; at the end the
status line says what `tui.refresh_report.refresh_report` makes of the summary.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from textual import work
from textual.app import App
from textual.reactive import var

from aiwatch.feeds.knowledge.base import KnowledgeBaseError
from aiwatch.store.models import utcnow
from aiwatch.tui.config import Settings
from aiwatch.tui.jobs import RefreshProgress, run_refresh
from aiwatch.tui.messages import (
    KnowledgeBaseFailed,
    RefreshFinished,
    RefreshProgressed,
    RefreshRequested,
)
from aiwatch.tui.refresh_report import refresh_report
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.screens.feeds import FeedsScreen
from aiwatch.tui.throttle import Throttle

REFRESH_RELOAD_SECONDS = 2.0
"""During a refresh, re-read the panels at most this often. Feeds can land dozens a
second, and each re-read and redraw (0.1–0.3 s with thousands of rows) holds the event
loop the refresh itself runs on: reloading after every feed made a 200-feed refresh
four times slower."""
INDICATOR_SECONDS = 0.25
"""During a refresh, redraw the progress indicator at most this often."""


class RefreshApp(App[None]):
    """Refreshes started from the dashboard (see the module docstring)."""

    engine: Engine
    settings: Settings
    dashboard: DashboardScreen
    knowledge_error: str
    watch_since: datetime | None
    refresh_state: var[RefreshProgress | None] = var(None)
    """The running refresh (feeds done / total …), ``None`` when none runs; every
    `tui.widgets.refresh_indicator.RefreshIndicator` shows it."""

    def setup_refresh(self) -> None:
        """Prepare the throttles and the scheduled refresh (call from ``on_mount``)."""
        self._latest_progress: RefreshProgress | None = None
        self._indicate = Throttle(self, INDICATOR_SECONDS, self._show_progress)
        self._show_landed = Throttle(self, REFRESH_RELOAD_SECONDS, self._reload_landed)
        minutes = self.settings.refresh.auto_refresh_minutes
        if minutes > 0:
            self.set_interval(minutes * 60, self._scheduled_refresh)

    def _reload_dashboard(self) -> None:
        """Read the dashboard again (`tui.app.AiwatchApp` does: latest request wins)."""
        raise NotImplementedError

    def _landed(self) -> None:
        """Show what a refresh stored: the panels, watch alerts, the feeds screen."""
        raise NotImplementedError

    @property
    def refreshing(self) -> bool:
        """A refresh is running."""
        return any(w.group == "refresh" and not w.is_finished for w in self.workers)

    def _scheduled_refresh(self) -> None:
        if not self.refreshing:
            self.post_message(RefreshRequested())

    def action_refresh_feeds(self) -> None:
        """Refresh every enabled feed in the background."""
        self.post_message(RefreshRequested())

    def on_refresh_requested(self, message: RefreshRequested) -> None:
        """Start a refresh unless one is running or the knowledge base is broken."""
        if self.refreshing:
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
        if self.refreshing:
            self.refresh_state = self._latest_progress

    def _reload_landed(self) -> None:
        self._landed()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Summarise; feeds the store refused (read-only, locked, full) are an error with a toast."""
        report = refresh_report(message.summary)
        if report.failed:
            self.notify(report.unsaved, title="Refresh", severity="error", markup=False, timeout=10)
        self.dashboard.set_status(report.status, "error" if report.failed else "information")
        self._landed()
        if isinstance(self.screen, FeedsScreen) and not report.failed:
            # the dashboard's status line is hidden behind this screen
            self.notify(report.status, title="Refresh", markup=False)

    def refresh_ended(self) -> None:
        """The refresh worker finished, however: stop the throttles, hide the indicator."""
        self._indicate.cancel()
        self._show_landed.cancel()
        self.refresh_state = None
