"""A DataTable of records updated in place by row key, with one column that fills the width."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

Cells = tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column: its key, header, and fixed width (``None``: the column that fills)."""

    key: str
    label: str
    width: int | None = None
    min_width: int = 12


class RecordTable(DataTable[Text]):
    """Rows keyed by record id; `sync` keeps the cursor on the same record across reloads.

    Enter posts `DataTable.RowSelected` for the row under the cursor.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="open-selected")
    ]

    def __init__(self, columns: Sequence[ColumnSpec], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=1)
        self._specs = tuple(columns)
        self._rows: dict[str, Cells] = {}
        self._flex_width = 0

    def on_mount(self) -> None:
        """Create the columns (unless an early `sync` already did)."""
        if not self.columns:
            self._add_columns()

    @property
    def keys(self) -> list[str]:
        """Row keys in display order."""
        return [str(row.key.value) for row in self.ordered_rows]

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, or ``None`` when empty."""
        if not self.row_count:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except (CellDoesNotExist, RowDoesNotExist):
            return None

    def sync(self, rows: Sequence[tuple[str, Cells]]) -> None:
        """Show ``rows`` (key, cells) in order, keeping the cursor on its record.

        Stale keys are removed, changed cells updated and new rows added; when
        the order itself changed the rows are laid out again in the new order.
        Call inside ``app.batch_update()`` when syncing several tables.
        """
        if not self.columns:
            self._add_columns()
        wanted = dict(rows)
        order = [key for key, _ in rows]
        for key in [k for k in self._rows if k not in wanted]:
            self.remove_row(key)
            del self._rows[key]
        for key, cells in rows:
            old = self._rows.get(key)
            if old is None:
                self.add_row(*cells, key=key)
            elif old != cells:
                for spec, value, previous in zip(self._specs, cells, old, strict=True):
                    if value != previous:
                        self.update_cell(key, spec.key, value, update_width=spec.width is None)
            self._rows[key] = cells
        self._rows = {key: wanted[key] for key in order}
        if self.keys != order:
            self._relayout()

    def _add_columns(self) -> None:
        flex = self._flex_column_width()
        for spec in self._specs:
            width = spec.width if spec.width is not None else flex
            self.add_column(Text(spec.label), key=spec.key, width=width)
        self._flex_width = flex

    def _relayout(self) -> None:
        """Lay every row out again (new order or width), restoring the cursor by key."""
        selected, row = self.selected_key, self.cursor_row
        scroll_y = self.scroll_y
        self.clear(columns=True)
        self._add_columns()
        for key, cells in self._rows.items():
            self.add_row(*cells, key=key)
        if not self._rows:
            return
        if selected in self._rows:
            row = list(self._rows).index(selected)
        self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def _flex_column_width(self) -> int:
        fixed = sum((s.width or 0) + 2 * self.cell_padding for s in self._specs)
        flexible = [s for s in self._specs if s.width is None]
        if not flexible:
            return 0
        available = self.scrollable_content_region.width - fixed - 2 * self.cell_padding
        return max(flexible[0].min_width, available)

    def on_resize(self, event: events.Resize) -> None:
        """Give the filling column whatever width the others leave."""
        if self._flex_column_width() != self._flex_width and self.columns:
            with self.app.batch_update():
                self._relayout()
