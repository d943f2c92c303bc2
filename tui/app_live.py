"""The app's part of scale and team work: panels read a page at a time, and live across processes.

`LiveApp` is a base of `tui.app.AiwatchApp`. It reads a panel's next rows when
its table scrolls near the end (`PanelPageRequested`), and every
`tui.app.AiwatchApp.live_reload` seconds asks the store whether anything was
stored or corrected since it last looked (`store.changes.data_mark`: three index
lookups). When another process — a cron refresh, a colleague's ``r`` or ``aiwatch
edit`` — stored articles or corrected a record, the panels are read again and the
articles that arrived are marked; while nothing changes, nothing is re-read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from textual import work

from aiwatch.store.changes import DataMark, arrived_since, data_mark
from aiwatch.store.db import session
from aiwatch.store.queries import load_panel
from aiwatch.store.read_models import Filter
from aiwatch.tui.messages import PanelPageLoaded, PanelPageRequested, StoreChanged
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.store_worker import StoreApp


class LiveApp(StoreApp):
    """Paged panels and live updates (see the module docstring)."""

    dashboard: DashboardScreen
    _mark: DataMark | None = None
    _own_rows: threading.Lock
    """Held while this app stores rows itself (`storing_own_rows`)."""

    @property
    def user(self) -> str | None:
        """Whose what's-new the pages carry (`tui.app_loop.LoopApp` says)."""
        return None

    def start_live(self, seconds: float) -> None:
        """Look for other processes' rows every ``seconds`` (0: never)."""
        if seconds > 0:
            self.set_interval(seconds, self._poll_store)

    def _poll_store(self) -> None:
        if not any(w.group == "live" and not w.is_finished for w in self.workers):
            self._read_mark()

    def note_first_mark(self, mark: DataMark | None = None) -> None:
        """Note the high-water mark before the first read of the panels (in its worker).

        Noted at the first poll instead, rows another process stored between the first
        read and that poll were part of the mark, so they never arrived. ``mark``: the
        one noted before a first read made elsewhere (`tui.read_process`).
        """
        if self._mark is None:
            mark = mark or self._current_mark()
            if self._mark is None:
                self._mark = mark

    @contextmanager
    def storing_own_rows(self) -> Iterator[None]:
        """Around rows this app stores itself (the seeds, in their worker): no poll runs
        meanwhile. Call `stored_own_rows` inside if some were stored."""
        with self._own_rows:
            yield

    def stored_own_rows(self) -> None:
        """The mark moves past the rows just stored: the reload that follows shows them,
        and they are no news from another process. Not moved when nothing was stored:
        rows another process stored meanwhile (the same seeds, by a colleague's dashboard
        starting at the same moment) are news, and the next poll shows them."""
        mark = self._current_mark()
        if self._mark is None or self._mark < mark:
            self._mark = mark

    def _current_mark(self) -> DataMark:
        with session(self.engine) as db:
            return data_mark(db)

    @work(thread=True, group="live", exit_on_error=False, description="Looking for new rows")
    def _read_mark(self) -> None:
        if not self._own_rows.acquire(blocking=False):
            return  # this app is storing rows itself: look next time
        try:
            self._compare_mark()
        finally:
            self._own_rows.release()

    def _compare_mark(self) -> None:
        with session(self.engine) as db:
            mark = data_mark(db)
            before = self._mark
            if before is None or mark == before:  # (a deletion can lower a max: not <=)
                self._mark = mark
                return
            arrived = tuple(arrived_since(db, before))
        self.post_message(StoreChanged(mark, arrived))

    def on_store_changed(self, message: StoreChanged) -> None:
        """Rows were stored or corrected elsewhere: read the panels again and mark what
        arrived (a correction alone brings no article)."""
        self._mark = message.mark
        if message.arrived:
            self.dashboard.arrive(message.arrived)
        self._reload_dashboard()

    def _reload_dashboard(self) -> None:
        """Read the dashboard again (`tui.app.AiwatchApp` does: latest request wins)."""
        raise NotImplementedError

    def on_panel_page_requested(self, message: PanelPageRequested) -> None:
        """Read a panel's next rows for the screen."""
        self._load_page(message.filter, message.panel, message.offset)

    def _load_page(self, filt: Filter, panel: str, offset: int) -> None:
        self.store_call(
            lambda db: load_panel(db, filt, panel, offset=offset, user=self.user),
            lambda page: PanelPageLoaded(filt, page),
            group="pages",
            description="Loading more rows",
        )

    def on_panel_page_loaded(self, message: PanelPageLoaded) -> None:
        """Add the rows, unless the filter changed meanwhile."""
        if message.filter == self.dashboard.filter:
            self.dashboard.extend(message.page)
