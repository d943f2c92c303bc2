"""The app's part of the analyst's daily loop: the user's own writes, links, pipes, alerts, theme.

`LoopApp` is the base of `tui.app.AiwatchApp`. It runs the small per-user jobs
screens ask for (`StoreJobRequested`), opens and copies links, pipes articles
to the user's command, announces new events of watched entities during a
refresh (a toast, and the ``[notify] program``), applies ``[keys]`` and keeps
the theme chosen in the palette.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session
from textual.css.query import NoMatches
from textual.theme import Theme
from textual.widgets import DataTable
from textual.widgets._toast import ToastRack

from aiwatch.feeds.parse.sanitize import safe_url
from aiwatch.store.article_text import article_json, article_markdown
from aiwatch.store.db import session
from aiwatch.store.details import get_article
from aiwatch.store.saved_views import get_preference, set_preference
from aiwatch.store.watchlist import watch_events
from aiwatch.store.whats_new import mark_read
from aiwatch.tui.config import Settings
from aiwatch.tui.keymap import unknown_binding_ids
from aiwatch.tui.launch import open_in_browser, run_notify
from aiwatch.tui.messages import (
    ArticleActionRequested,
    DashboardRequested,
    LaunchFailed,
    LinkOpenRequested,
    ReadMarkRequested,
    StoreJobDone,
    StoreJobRequested,
    ThemeLoaded,
    WatchAlertsFound,
)
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.store_worker import StoreApp
from aiwatch.tui.text import line

MAX_ALERT_TOASTS = 3
"""New events of watched entities shown as separate toasts; more are summed up in one."""


class LoopApp(StoreApp):
    """Per-user jobs, links, pipes, watch alerts, keymap and theme (see the module docstring)."""

    settings: Settings
    dashboard: DashboardScreen

    def __init__(self) -> None:
        super().__init__()
        self.watch_since: datetime | None = None
        """When the running refresh began: its watch alerts are events stored since."""
        self._announced: set[tuple[str, int, int, str]] = set()
        self._user: str | None = None

    @property
    def user(self) -> str:
        """Whose read state, watchlist, views and theme these are (`Settings.username`)."""
        if self._user is None:
            self._user = self.settings.username
        return self._user

    def setup_loop(self) -> None:
        """Apply ``[keys]`` and restore the user's theme (call from ``on_mount``)."""
        keymap = self.settings.keymap
        if keymap:
            self.set_keymap(keymap)
            unknown = unknown_binding_ids(keymap)
            if unknown:
                self.notify(
                    f"[keys] names no binding {', '.join(map(repr, unknown))}; ? lists the ids.",
                    title="Config",
                    severity="warning",
                    markup=False,
                )
        self._restore_theme()
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    # Toasts ----------------------------------------------------------------------------

    def notify(self, message: str, **options: Any) -> None:
        """A toast placed where it covers neither the highlighted row nor the status line.

        Textual stacks toasts at the bottom right, over the status line and the last
        rows; when the row being acted on is in the lower half they go to the top.
        """
        self._place_toasts()
        super().notify(message, **options)

    def _place_toasts(self) -> None:
        try:
            rack = self.screen.get_child_by_type(ToastRack)
        except NoMatches:
            return
        focused = self.focused
        low = False
        if isinstance(focused, DataTable) and focused.row_count:
            header = 1 if focused.show_header else 0
            y = focused.content_region.y + header + focused.cursor_row - round(focused.scroll_y)
            low = y >= self.size.height // 2
        rack.styles.dock = "top" if low else "bottom"
        rack.styles.align_vertical = "top" if low else "bottom"
        rack.styles.margin = (1, 0, 0, 0) if low else (0, 0, 2, 0)

    # Jobs ------------------------------------------------------------------------------

    def on_store_job_requested(self, message: StoreJobRequested) -> None:
        """Run a screen's small read or write in a worker."""
        self._store_job(message)

    def on_read_mark_requested(self, message: ReadMarkRequested) -> None:
        """Mark articles read or unread: shown on the dashboard now, written in a worker.

        Opening an article marks it read; re-reading the whole dashboard for that
        would cost more than opening the article.
        """
        user, ids, read = self.user, list(message.article_ids), message.read
        self.dashboard.reflect_read(ids, read)
        self.store_call(
            lambda db: mark_read(db, user, ids, read=read),
            group="store-job",
            description="Marking read" if read else "Marking unread",
            commit=True,
        )

    def _store_job(self, message: StoreJobRequested) -> None:
        def done(result: object) -> StoreJobDone:
            if message.reload:  # (in the worker: post_message is thread-safe)
                self.post_message(DashboardRequested(self.dashboard.filter))
            return StoreJobDone(message.tag, result)

        self.store_call(
            message.job,
            done,
            to=message.reply_to,
            group="store-job",
            description=message.description,
            commit=True,
        )

    # Theme -----------------------------------------------------------------------------

    def _restore_theme(self) -> None:
        user = self.user
        self.store_call(
            lambda db: get_preference(db, user, "theme"),
            ThemeLoaded,
            group="theme",
            description="Reading your theme",
        )

    def on_theme_loaded(self, message: ThemeLoaded) -> None:
        """Apply the theme the user chose last time (one this Textual still has)."""
        saved = message.name
        if saved and saved in self.available_themes and saved != self.theme:
            self.theme = saved

    def _theme_changed(self, theme: Theme) -> None:
        self._save_theme(theme.name)

    def _save_theme(self, name: str) -> None:
        user = self.user

        def save(db: Session) -> None:
            if get_preference(db, user, "theme") != name:
                set_preference(db, user, "theme", name)

        self.store_call(save, group="theme", description="Saving your theme", commit=True)

    # Links and pipes -------------------------------------------------------------------

    def on_link_open_requested(self, message: LinkOpenRequested) -> None:
        """Open a link in the browser: only plain http(s), and the URL shown is the one opened."""
        url = safe_url(message.url)
        if url is None:
            reason = "No link to open." if not message.url else "Refused: not a plain http(s) link."
            self.notify(reason, title="Open link", severity="warning")
            return
        if self.is_web and not self.settings.reading.browser:
            self.open_url(url)  # textual-serve opens it in the user's own browser
            self.notify(url, title="Opened in a new tab", markup=False)
            return
        self.notify(url, title="Opening in the browser…", markup=False, timeout=3)
        self._open_link(url)

    def _open_link(self, url: str) -> None:
        browser = self.settings.reading.browser
        self.in_worker(
            lambda: open_in_browser(browser, url),
            lambda problem: (
                None
                if problem is None
                else LaunchFailed("Browser", f"{problem} The link: {url}", "error", timeout=12)
            ),
            group="browser",
            description="Opening the link",
        )

    def on_launch_failed(self, message: LaunchFailed) -> None:
        """The browser or the ``[notify] program`` could not be run: say why."""
        self.notify(
            message.text,
            title=message.title,
            severity=message.severity,
            markup=False,
            timeout=message.timeout,
        )

    def on_article_action_requested(self, message: ArticleActionRequested) -> None:
        """``y`` copies an article's link; ``|`` pipes it to a command."""
        if message.action == "copy-link":
            url = safe_url(message.url)
            if url is None:
                self.notify(
                    "This article has no link to copy.", title="Copy link", severity="warning"
                )
                return
            self.copy_to_clipboard(url)
            self.notify(url, title="Link copied", markup=False, timeout=4)
        elif message.action == "pipe" and message.article_id is not None:
            from aiwatch.tui.screens.pipe import PipeScreen

            reading = self.settings.reading
            self.push_screen(PipeScreen(message.article_id, reading.pipe, reading.pipe_format))

    def article_text(self, article_id: int, fmt: str) -> str | None:
        """An article as Markdown or JSON (in a worker thread), ``None`` when it is gone."""
        with session(self.engine) as db:
            detail = get_article(db, article_id)
        if detail is None:
            return None
        return article_json(detail) if fmt == "json" else article_markdown(detail)

    # Watch alerts ----------------------------------------------------------------------

    def check_watch_alerts(self) -> None:
        """Announce new events of watched entities stored since the refresh began."""
        if self.watch_since is not None:
            self._watch_alerts(self.watch_since)

    def _watch_alerts(self, since: datetime) -> None:
        user, program = self.user, self.settings.notify.program

        def alert() -> None:  # in the worker: toasts first, then the user's program
            events = self.in_session(lambda db: watch_events(db, user, since=since))
            fresh = [e for e in reversed(events) if e.key not in self._announced]
            if not fresh:
                return
            self._announced.update(e.key for e in fresh)
            self.post_message(WatchAlertsFound(tuple(fresh)))
            if program:
                for problem in run_notify(program, [e.as_dict(user) for e in fresh]):
                    self.post_message(LaunchFailed("Notify", problem, "warning"))

        self.in_worker(alert, group="watch-alerts", description="Checking the watchlist")

    def on_watch_alerts_found(self, message: WatchAlertsFound) -> None:
        """A toast per new event of a watched entity (a few; the rest summed up)."""
        events = message.events
        for event in events[:MAX_ALERT_TOASTS]:
            source = f" ({line(event.source, limit=40)})" if event.source else ""
            self.notify(
                f"{line(event.entity, limit=60)}: {line(event.event, limit=40)}{source}\n"
                f"{line(event.title, limit=120)}",
                title=f"Watched: {line(event.watched, limit=40)}",
                markup=False,
                timeout=8,
            )
        if len(events) > MAX_ALERT_TOASTS:
            self.notify(
                f"{len(events) - MAX_ALERT_TOASTS} more new events of what you watch: press W.",
                title="Watchlist",
                markup=False,
                timeout=8,
            )
