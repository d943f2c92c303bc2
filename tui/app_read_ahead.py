"""The app's part of reading ahead: the dashboard a dialog is about to choose, read before Enter.

`ReadAheadApp` is a base of `tui.app.AiwatchApp`. The picker and the search
dialog post `DashboardReadAheadRequested` as their highlight or text changes; once
they have been still for `READ_AHEAD_DELAY`, one worker reads that dashboard
(`tui.read_ahead.ReadAhead` keeps it). If Enter comes while the read is still in
flight, the dashboard waits for it rather than starting the same read again; if it
fails or lands stale, the dashboard is read as usual.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.timer import Timer

from aiwatch.store.read_models import Dashboard, Filter
from aiwatch.tui.messages import DashboardReadAhead, DashboardReadAheadRequested
from aiwatch.tui.read_process import ReadProcess
from aiwatch.tui.screens.dashboard import DashboardScreen
from aiwatch.tui.store_worker import StoreApp

READ_AHEAD_DELAY = 0.05
"""Seconds a highlight or a typed query stays put before its dashboard is read: longer than
the gap between repeated keys (an arrow held down, 25–40 a second) or pasted letters, so a
burst is read once, at its end; typed by hand, each letter is read ahead in turn."""


class ReadAheadApp(StoreApp):
    """Reads ahead the dashboards dialogs are about to choose (see the module docstring)."""

    dashboard: DashboardScreen
    reader: ReadProcess | None
    _read_ahead_timer: Timer | None = None

    def data_written(self) -> None:
        """Something was stored (any thread): what was read ahead may be stale."""
        self.dashboard.read_ahead.invalidate()

    def on_dashboard_read_ahead_requested(self, message: DashboardReadAheadRequested) -> None:
        """Read ``message.filter``'s dashboard once the dialog has been still a moment."""
        self.dashboard.read_ahead.wanted = message.filter
        if self._read_ahead_timer is not None:
            self._read_ahead_timer.stop()
        self._read_ahead_timer = self.set_timer(READ_AHEAD_DELAY, self._read_ahead)

    def _read_ahead(self) -> None:
        ahead = self.dashboard.read_ahead
        filt = ahead.wanted
        if filt is None or ahead.in_flight is not None:
            return  # (the read in flight starts the wanted one when it ends)
        ahead.wanted = None
        if ahead.get(filt) is not None or filt == self.dashboard.filter:
            return  # (chosen already, as the dialog closed: the dashboard reads it itself)
        ahead.in_flight, generation = filt, ahead.generation
        limits = self.dashboard.page_rows()  # (as the dashboard reads a new filter)
        if self.reader is not None:
            self.reader.ask(filt, limits=limits)  # (the worker's thread starts a frame later)
        self.in_worker(
            lambda: self._read_dashboard(filt, limits),
            lambda dashboard: DashboardReadAhead(dashboard, generation),
            group="read-ahead",
            description="Reading ahead",
        )

    def on_dashboard_read_ahead(self, message: DashboardReadAhead) -> None:
        """Keep what was read; show it if the dashboard chose its filter meanwhile."""
        ahead, filt = self.dashboard.read_ahead, message.dashboard.filter
        ahead.in_flight = None
        fresh = ahead.put(message.dashboard, message.generation)
        if self._waits_for(filt):
            if fresh:
                self.dashboard.show(message.dashboard)
            else:
                self._request_dashboard(filt)
        self._read_ahead()

    def read_ahead_ended(self) -> None:
        """A read ahead failed or was cancelled: the dashboard waiting for it reads its own."""
        ahead = self.dashboard.read_ahead
        filt, ahead.in_flight = ahead.in_flight, None
        if filt is not None and self._waits_for(filt):
            self._request_dashboard(filt)
        self._read_ahead()

    def reads_ahead(self, filt: Filter) -> bool:
        """Whether a read ahead of ``filt`` is in flight that the dashboard is waiting for."""
        return self.dashboard.read_ahead.in_flight == filt and self._waits_for(filt)

    def _waits_for(self, filt: Filter) -> bool:
        shown = self.dashboard.dashboard
        return self.dashboard.filter == filt and (shown is None or shown.filter != filt)

    def _read_dashboard(self, filt: Filter, limits: Mapping[str, int] | None = None) -> Dashboard:
        """Read the dashboard for ``filt`` (in a worker; `tui.app.AiwatchApp` does)."""
        raise NotImplementedError

    def _request_dashboard(self, filt: Filter) -> None:
        """Read the dashboard for ``filt`` (`tui.app.AiwatchApp` does: latest request wins)."""
        raise NotImplementedError
