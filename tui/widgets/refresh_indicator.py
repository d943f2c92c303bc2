"""Feeds done / total during a refresh, with the error count and the current feed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from aiwatch.tui.jobs import RefreshProgress
from aiwatch.tui.text import assemble, line


class RefreshIndicator(Horizontal):
    """A label and a progress bar that follow the app's ``refresh_state``.

    Hidden (no ``-running`` class) while no refresh runs; any screen can show
    one, and a screen pushed mid-refresh shows the current state at once.
    """

    def compose(self) -> ComposeResult:
        """A label followed by the bar."""
        yield Label(id="refresh-label", markup=False)
        yield ProgressBar(show_eta=False, id="refresh-bar")

    def on_mount(self) -> None:
        """Follow the app's refresh state from now on."""
        self.watch(self.app, "refresh_state", self._show)

    def _show(self, progress: RefreshProgress | None) -> None:
        self.set_class(progress is not None, "-running")
        if progress is None:
            return
        bar, label = self.query_one(ProgressBar), self.query_one(Label)
        if not progress.total:  # started; nothing stored yet
            bar.update(total=None, progress=0)
            label.update(assemble(("Refreshing feeds…", "bold")))
            return
        bar.update(total=progress.total, progress=progress.done)
        errors = f" · {progress.errors} failed" if progress.errors else ""
        label.update(
            assemble(
                ("Refreshing ", "bold"),
                f"{progress.done}/{progress.total}{errors} · {progress.new_articles} new · ",
                (line(progress.current_url or "", limit=80), "$text-muted"),
            )
        )
