"""A titled dashboard panel around one record table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from aiwatch.tui.text import assemble
from aiwatch.tui.widgets.record_table import RecordTable


class Panel(Vertical):
    """A bordered panel: a numbered title with a count, a table, and an empty-state line.

    The screen marks the panel holding the focus with the ``-active`` class, and
    an empty panel with ``-empty``.
    """

    def __init__(self, title: str, number: int, table: RecordTable, *, empty: str) -> None:
        super().__init__(id=f"panel-{table.id}", classes="panel")
        self.panel_title = title
        self.number = number
        self.table = table
        self._empty = empty

    def compose(self) -> ComposeResult:
        """The table and the line shown when it has no rows."""
        yield self.table
        yield Static(self._empty, classes="empty-note", markup=False)

    def on_mount(self) -> None:
        """Show the title before the first load."""
        self.show_count(None)

    def show_count(
        self,
        count: int | None,
        *,
        total: int | None = None,
        new: int = 0,
        order: str = "",
        stories: int | None = None,
    ) -> None:
        """Put ``count`` (and ``total`` when larger), how many are ``new`` and the order in the
        title; ``stories``: how many rows the ``count`` records make, said when fewer."""
        shown = (
            "…"
            if count is None
            else f"{count:,}"
            if total in (None, count)
            else f"{count:,}/{total:,}"
        )
        if count is not None and stories is not None and stories < count:
            shown += f" in {stories:,} {'story' if stories == 1 else 'stories'}"
        self.border_title = assemble(
            (f"{self.number}", "bold"),
            " ",
            self.panel_title,
            (f" {shown}", "dim"),
            (f" · {new:,} new", "bold $accent") if new else "",
        )
        self.border_subtitle = assemble((order, "dim")) if order else ""
        self.set_class(count == 0, "-empty")
        self.set_class(bool(new), "-has-new")
