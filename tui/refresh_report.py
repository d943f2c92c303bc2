"""What the dashboard says when a refresh ends: a status line, and an error when feeds went unsaved."""

from __future__ import annotations

from dataclasses import dataclass

from aiwatch.tui.jobs import RefreshSummary
from aiwatch.tui.text import line


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """The status line after a refresh, and why feeds could not be saved (``""``: all were).

    A feed the store refused cannot record its own error (the feeds screen would
    not show it), so the first reason leads the status line and is a toast too.
    """

    status: str
    unsaved: str = ""

    @property
    def failed(self) -> bool:
        """Some feed's results were refused by the store."""
        return bool(self.unsaved)


def refresh_report(summary: RefreshSummary) -> RefreshReport:
    """Describe ``summary`` for the dashboard (see `RefreshReport`)."""
    if summary.subscribed == 0:
        return RefreshReport("No feeds yet: press f, then s for the curated AI-news feeds.")
    refused = [f.store_error for f in summary.feeds if f.store_error]
    if not refused:
        return RefreshReport(summary.describe())
    count = f"{len(refused)} feed{'s' if len(refused) != 1 else ''}"
    reason = line(f"Could not save {count}: {refused[0]}")
    return RefreshReport(f"{reason} · {summary.describe()}", reason)
