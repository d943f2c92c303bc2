"""The watchlist: everything you watch, what changed since you looked, and its latest event."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from aiwatch.store.watchlist import WatchRow, set_watched, watchlist
from aiwatch.tui.messages import StoreJobDone, StoreJobRequested
from aiwatch.tui.text import assemble, cell, date
from aiwatch.tui.widgets.app_footer import AppFooter
from aiwatch.tui.widgets.mention_list import KIND_LABEL
from aiwatch.tui.widgets.record_table import ColumnSpec, RecordTable

WATCH_COLUMNS = (
    ColumnSpec("kind", "Kind", 11),
    ColumnSpec("name", "Watched", min_width=16, weight=2),
    ColumnSpec("change", "New since you looked", min_width=12, min_table=90),
    ColumnSpec("date", "Latest", 10),
    ColumnSpec("event", "Latest event", min_width=16, weight=2),
)


def event_text(row: WatchRow) -> str:
    """``Meta × Midjourney: announced (The Verge)`` for a row's latest event."""
    event = row.latest
    if event is None:
        return "no event reported yet"
    what = f"{event.entity}: {event.event}" if event.entity != row.name else event.event
    return f"{what} ({event.source})" if event.source else what


class WatchlistScreen(Screen[None]):
    """Watched companies, products, cases and partnerships; Enter opens one, w stops watching."""

    AUTO_FOCUS = "#watchlist"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding(
            "w",
            "unwatch",
            "Unwatch",
            tooltip="Stop watching the highlighted row",
            id="toggle-watch",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(classes="detail-screen")
        self.rows: dict[str, WatchRow] = {}

    def compose(self) -> ComposeResult:
        """Title, the table, and the footer."""
        yield Static("Loading your watchlist…", id="detail-title", markup=False)
        yield RecordTable(WATCH_COLUMNS, id="watchlist")
        yield Static("", id="watch-empty", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        """Read the watchlist."""
        self.reload()

    def reload(self) -> None:
        """Read it again (after a change)."""
        user = str(getattr(self.app, "user", "default"))
        self.post_message(
            StoreJobRequested(self, "watchlist", lambda db: watchlist(db, user), reload=False)
        )

    def on_store_job_done(self, message: StoreJobDone) -> None:
        """Show the watchlist, or re-read it after unwatching."""
        if message.tag == "unwatched":
            self.reload()
            return
        rows: list[WatchRow] = message.result  # type: ignore[assignment]
        self.rows = {f"{r.entity_type}:{r.entity_id}": r for r in rows}
        fresh = sum(1 for r in rows if r.change)
        self.query_one("#detail-title", Static).update(
            assemble(
                ("Watchlist  ", "$text-muted"),
                (f"{len(rows)} watched", "bold"),
                (f" · {fresh} changed since you looked" if fresh else "", "bold $accent"),
            )
        )
        self.query_one("#watch-empty", Static).update(
            ""
            if rows
            else "Nothing watched yet. On the dashboard, highlight a partnership, product or case "
            "and press w; a company is watched from its screen (Enter on it in an article)."
        )
        self.query_one(RecordTable).sync(
            [
                (
                    key,
                    (
                        cell(KIND_LABEL.get(r.entity_type, r.entity_type)),
                        cell(r.name, "bold"),
                        cell(r.change or "—", "bold" if r.change else "dim"),
                        cell(date(r.latest.at) if r.latest else "—"),
                        cell(event_text(r)),
                    ),
                )
                for key, r in self.rows.items()
            ]
        )

    @on(DataTable.RowSelected)
    def open_row(self, event: DataTable.RowSelected) -> None:
        """Open the watched record."""
        from aiwatch.tui.screens.entity import EntityScreen

        row = self.rows.get(str(event.row_key.value))
        if row is not None:
            self.app.push_screen(EntityScreen(row.entity_type, row.entity_id))

    def action_unwatch(self) -> None:
        """Stop watching the highlighted record."""
        row = self.rows.get(self.query_one(RecordTable).selected_key or "")
        if row is None:
            return
        user = str(getattr(self.app, "user", "default"))
        self.post_message(
            StoreJobRequested(
                self,
                "unwatched",
                lambda db: set_watched(db, user, row.entity_type, row.entity_id, False),
            )
        )
        self.notify(f"Stopped watching {row.name}.", title="Watchlist", markup=False)

    def action_back(self) -> None:
        """Return to the previous screen."""
        self.dismiss()
