"""Every subscribed feed with its health; refresh one feed or disable it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from aiwatch.tui.messages import (
    CuratedFeedsRequested,
    FeedChanged,
    FeedHealthLoaded,
    FeedHealthRequested,
    FeedPublisherChanged,
    FeedPublisherRequested,
    FeedsSubscribed,
    FeedToggleRequested,
    RefreshRequested,
)
from aiwatch.tui.screens.prompt import PromptScreen
from aiwatch.tui.text import assemble, cell, line
from aiwatch.tui.widgets.app_footer import AppFooter
from aiwatch.tui.widgets.record_table import Cells, ColumnSpec, RecordTable
from aiwatch.tui.widgets.refresh_indicator import RefreshIndicator

FEED_COLUMNS = (
    ColumnSpec("feed", "Feed", min_width=16),  # 80 columns, with a scrollbar, leave 18
    ColumnSpec("status", "Status", 9),
    ColumnSpec("checked", "Checked", 12),
    ColumnSpec("ok", "Last OK", 12),
    ColumnSpec("http", "HTTP", 4),
    ColumnSpec("errors", "Errs", 4),
    ColumnSpec("articles", "Arts", 5),
)
_STATUS_STYLE = {"error": "bold red", "gone": "bold red", "warning": "yellow", "disabled": "dim"}


def _when(value: datetime | None, now: datetime | None = None) -> str:
    """``Nov 25 17:07`` this year, ``2024-11-25`` before (UTC): short enough for 80 columns."""
    if value is None:
        return "never"
    if value.year == (now or datetime.now(value.tzinfo)).year:
        return value.strftime("%b %d %H:%M")
    return value.strftime("%Y-%m-%d")


def feed_rows(rows: Sequence[Any]) -> list[tuple[str, Cells]]:
    """Cells for feed-health rows (``store.feed_repo.list_feed_health``)."""
    table: list[tuple[str, Cells]] = []
    for row in rows:
        status = row.status if row.enabled else "disabled"
        table.append(
            (
                str(row.id),
                (
                    cell(row.title or row.url, "bold" if row.enabled else "dim"),
                    cell(status, _STATUS_STYLE.get(status, "")),
                    cell(_when(row.last_checked)),
                    cell(_when(row.last_ok)),
                    cell(row.http_status or "—"),
                    cell(row.error_count or ""),
                    cell(row.articles),
                ),
            )
        )
    return table


class FeedsScreen(Screen[None]):
    """A table of feeds; the highlighted feed's URL and last error are shown below it."""

    AUTO_FOCUS = "#feeds"
    FOOTER_HIDDEN: ClassVar[frozenset[str]] = frozenset({"f"})
    """Keys left out of this screen's footer, so that 80 columns hold the rest."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding(
            "r",
            "refresh_feed",
            "Refresh",
            tooltip="Refresh the highlighted feed",
            id="refresh-feed",
        ),
        Binding(
            "a",
            "refresh_all",
            "Refresh all",
            tooltip="Refresh every enabled feed now, also those backing off after errors",
            id="refresh-all",
        ),
        Binding(
            "d",
            "toggle_feed",
            "On/off",
            tooltip="Disable the highlighted feed, or enable it again (its history stays)",
            id="toggle-feed",
        ),
        Binding(
            "p",
            "set_publisher",
            "Publisher",
            tooltip='Set the organisation the feed speaks for (its "we")',
            id="set-publisher",
        ),
        Binding(
            "s",
            "subscribe_curated",
            "Curated",
            tooltip="Subscribe to the curated AI-news feeds",
            id="subscribe-curated",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(classes="detail-screen")
        self.rows: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        """Title, the table, the details of the highlighted feed, the footer."""
        yield Static(
            assemble(("Feeds", "bold"), ("  health of every subscription", "dim")),
            id="detail-title",
        )
        yield RecordTable(FEED_COLUMNS, id="feeds", openable=False)
        yield Static("", id="feed-detail")
        yield RefreshIndicator()
        yield AppFooter()

    def on_mount(self) -> None:
        """Ask for the feeds."""
        self.reload()

    def reload(self) -> None:
        """Read the feeds again (after a refresh step, or a change)."""
        self.post_message(FeedHealthRequested(self))

    def on_feed_health_loaded(self, message: FeedHealthLoaded) -> None:
        """Show the feeds."""
        self.rows = {str(row.id): row for row in message.rows}
        self.query_one(RecordTable).sync(feed_rows(message.rows))
        if not message.rows:
            self.query_one("#feed-detail", Static).update(
                assemble(
                    ("No feeds yet. ", "bold"),
                    "Press s to subscribe to the curated AI-news feeds, "
                    "or add your own with: aiwatch feeds add URL",
                )
            )
        else:
            self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        row = self.rows.get(self.query_one(RecordTable).selected_key or "")
        if row is None:
            return
        parts: list[Any] = [("URL: ", "dim"), line(row.url), "\n", ("Publisher: ", "dim")]
        if row.publisher:
            parts += [line(row.publisher), ("  (set by you · p changes)", "dim")]
        elif row.detected_publisher:
            parts += [line(row.detected_publisher), ("  (detected · p changes)", "dim")]
        else:
            parts += [("none detected (a news outlet or unknown) · p sets one", "dim")]
        if row.error:
            parts += ["\n", ("Error: ", "bold $error"), line(row.error)]
        warning = getattr(row, "warning", "")
        if warning:
            parts += ["\n", ("Warning: ", "bold $warning"), line(warning)]
        self.query_one("#feed-detail", Static).update(assemble(*parts))

    def _selected_id(self) -> int | None:
        key = self.query_one(RecordTable).selected_key
        return int(key) if key and key in self.rows else None

    def action_refresh_feed(self) -> None:
        """Refresh the highlighted feed only."""
        feed_id = self._selected_id()
        if feed_id is not None:
            self.post_message(RefreshRequested((feed_id,)))

    def action_refresh_all(self) -> None:
        """Refresh every enabled feed now, including those backing off after errors."""
        self.post_message(RefreshRequested(force=True))

    def action_toggle_feed(self) -> None:
        """Disable the highlighted feed, or enable it again."""
        feed_id = self._selected_id()
        if feed_id is not None:
            row = self.rows[str(feed_id)]
            self.post_message(FeedToggleRequested(self, feed_id, not row.enabled))

    def action_set_publisher(self) -> None:
        """Ask which organisation the highlighted feed speaks for."""
        feed_id = self._selected_id()
        if feed_id is None:
            return
        row = self.rows[str(feed_id)]

        def chosen(name: str | None) -> None:
            if name is not None:
                self.post_message(FeedPublisherRequested(self, feed_id, name.strip()))

        self.app.push_screen(
            PromptScreen(
                f"Who does {line(row.title or row.url, limit=40)} speak for?",
                row.publisher,
                placeholder=row.detected_publisher or "e.g. Anthropic",
                hint="Enter saves and re-reads · empty detects · Esc cancels",
            ),
            chosen,
        )

    def on_feed_publisher_changed(self, message: FeedPublisherChanged) -> None:
        """Say what changed and read the feeds again."""
        speaks = message.publisher or "its detected publisher"
        self.notify(f"The feed speaks for {speaks}. {message.report}", markup=False)
        self.reload()

    def action_subscribe_curated(self) -> None:
        """Subscribe to the curated AI-news feeds (those already subscribed are kept)."""
        self.post_message(CuratedFeedsRequested(self))

    def on_feeds_subscribed(self, message: FeedsSubscribed) -> None:
        """Say what subscribing did and read the feeds again."""
        added = f"Subscribed to {message.added} curated feed{'s' if message.added != 1 else ''}"
        self.notify(f"{added} ({message.already} already subscribed). Press a to fetch them.")
        self.reload()

    def on_feed_changed(self, message: FeedChanged) -> None:
        """Say what changed and read the feeds again."""
        self.notify("Feed enabled." if message.enabled else "Feed disabled.")
        self.reload()

    def action_back(self) -> None:
        """Return to the dashboard."""
        self.dismiss()
