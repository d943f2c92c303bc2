"""Feeds done / total during a refresh, with the error count and the current feed."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from tui.text import assemble, line


class RefreshProgress(Horizontal):
    """A progress bar and a label; hidden unless the ``-running`` class is set."""

    def compose(self) -> ComposeResult:
        """A label followed by the bar."""
        yield Label(id="refresh-label", markup=False)
        yield ProgressBar(show_eta=False, id="refresh-bar")

    def start(self, total: int | None = None) -> None:
        """Show the indicator for a new refresh."""
        self.add_class("-running")
        self.query_one(ProgressBar).update(total=total, progress=0)
        self.query_one(Label).update(assemble(("Refreshing feeds…", "bold")))

    def advance(self, progress: Any) -> None:
        """Show a `RefreshProgress` (done, total, current_url, errors, new_articles)."""
        self.query_one(ProgressBar).update(total=progress.total or None, progress=progress.done)
        errors = f" · {progress.errors} failed" if progress.errors else ""
        self.query_one(Label).update(
            assemble(
                ("Refreshing ", "bold"),
                f"{progress.done}/{progress.total}{errors} · {progress.new_articles} new · ",
                (line(progress.current_url or "", limit=80), "$text-muted"),
            )
        )

    def stop(self) -> None:
        """Hide the indicator."""
        self.remove_class("-running")
