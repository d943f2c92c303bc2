"""A DataTable of records updated in place by row key, with columns that fill the width."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual._types import SegmentLines
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets._data_table import CellCacheKey
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist, RowKey

from aiwatch.tui.widgets.table_cells import one_line, renders_alone

Cells = tuple[Text, ...]
MORE_MARGIN = 20
"""Rows from the end of a paged table at which it asks for the next page."""
PATCH_LIMIT = 8
"""`RecordTable.sync` removes at most this many rows one by one; more, and it lays out anew."""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a `RecordTable`.

    Attributes:
        key: Column key.
        label: Header text.
        width: Fixed width, or ``None`` for a column that shares what is left.
        min_width: A sharing column never gets narrower than this.
        min_table: Hide the column when the table is narrower than this.
        weight: A sharing column's share of what is left.
    """

    key: str
    label: str
    width: int | None = None
    min_width: int = 12
    min_table: int = 0
    weight: int = 1


class RecordTable(DataTable[Text]):
    """Rows keyed by record id; `sync` keeps the cursor on the same record across reloads.

    Enter posts `DataTable.RowSelected` for the row under the cursor, unless the
    table was made with ``openable=False`` (then Enter is not offered at all).
    Its one-line cells are drawn without Rich's layout (`tui.widgets.table_cells`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "select_cursor", "Open", tooltip="Open the highlighted row", id="open-selected"
        ),
        # The columns always fit the width, so Home and End go to the first and last rows
        # (DataTable's own move sideways), as in a list; a paged panel then reads more.
        Binding("home", "scroll_top", "First row", show=False, id="first-row"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="last-row"),
    ]

    class MoreWanted(Message):
        """The cursor came near the last row loaded, and more rows exist (see `sync`)."""

        def __init__(self, table: RecordTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> RecordTable:
            """The table that wants more rows."""
            return self.table

    def __init__(
        self, columns: Sequence[ColumnSpec], *, id: str | None = None, openable: bool = True
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=1)
        self.openable = openable
        self._specs = tuple(columns)
        self._rows: dict[str, Cells] = {}
        self._current_layout: tuple[tuple[int, int], ...] = ()
        self.more = False
        """More rows than these exist (a paged panel): moving near the end asks for them."""
        self._asked = False
        self._filling = False  # rows are being added: the cursor moves, the user did not

    def on_mount(self) -> None:
        """Create the columns (unless an early `sync` already did)."""
        if not self.columns:
            self._add_columns()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter only opens rows in tables whose rows open something."""
        return action != "select_cursor" or self.openable

    @property
    def spec_keys(self) -> list[str]:
        """Every column key, shown or hidden, in order."""
        return [spec.key for spec in self._specs]

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

    def sync(self, rows: Sequence[tuple[str, Cells]], *, more: bool = False) -> None:
        """Show ``rows`` (key, cells) in order, keeping the cursor on its record.

        Stale keys are removed, changed cells updated and new rows added; when
        the order itself changed, or more than `PATCH_LIMIT` rows went, the rows
        are laid out again in the new order.
        ``more``: rows after these exist; the table posts `MoreWanted` when the
        cursor comes within `MORE_MARGIN` rows of the end (then `extend`), or
        at once when it already is: a page of articles can group into a story
        or two, and a cursor on the last row has nowhere to move.
        Call inside ``app.batch_update()`` when syncing several tables.
        """
        self.more, self._asked = more, False
        self._filling = True
        try:
            self._sync(rows)
        finally:
            self._filling = False
        self._want_more()

    def _sync(self, rows: Sequence[tuple[str, Cells]]) -> None:
        if not self.columns:
            self._add_columns()
        wanted = dict(rows)
        order = [key for key, _ in rows]
        stale = [k for k in self._rows if k not in wanted]
        kept = [k for k in self._rows if k in wanted]
        if len(stale) > PATCH_LIMIT or order[: len(kept)] != kept:
            # A new filter or order: one layout beats patching (DataTable's remove_row
            # re-indexes every row, ~1 ms each at 100 rows; new rows could only go last).
            self._rows = {key: wanted[key] for key in order}
            self._relayout()
            self.call_after_refresh(self._fit)
            return
        selected = self.selected_key
        for key in stale:
            self.remove_row(key)
            del self._rows[key]
        if stale and selected in wanted:  # rows above it went: follow the record
            self.move_cursor(row=kept.index(selected), animate=False)
        visible = self._visible_indexes()
        for key, cells in rows:
            old = self._rows.get(key)
            if old is None:
                self.add_row(*(cells[i] for i in visible), key=key)
            elif old != cells:
                for index in visible:
                    if cells[index] != old[index]:
                        # (no ``update_width``: every column has a set width, so DataTable
                        # would measure the whole column on idle for nothing, for each cell)
                        self.update_cell(key, self._specs[index].key, cells[index])
            self._rows[key] = cells
        self._rows = {key: wanted[key] for key in order}
        self.call_after_refresh(self._fit)

    def extend(self, rows: Sequence[tuple[str, Cells]], *, more: bool = False) -> None:
        """Add the next page: ``rows`` after the ones shown (keys already shown are skipped)."""
        self.more, self._asked = more, False
        if not self.columns:
            self._add_columns()
        self._filling = True
        visible = self._visible_indexes()
        try:
            for key, cells in rows:
                if key not in self._rows:
                    self.add_row(*(cells[i] for i in visible), key=key)
                    self._rows[key] = cells
        finally:
            self._filling = False
        self._want_more()

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        """Move the cursor (as DataTable does), then ask for more rows near the end."""
        super().watch_cursor_coordinate(old, new)
        if old != new and not self._filling:
            self._want_more()

    def _want_more(self) -> None:
        if self.more and not self._asked and self.cursor_row >= self.row_count - MORE_MARGIN:
            self._asked = True
            self.post_message(self.MoreWanted(self))

    def _visible_indexes(self) -> list[int]:
        """Columns that fit: a column with ``min_table`` hides in a narrower table."""
        width = self.scrollable_content_region.width
        return [i for i, spec in enumerate(self._specs) if not width or width >= spec.min_table]

    def _layout(self) -> tuple[tuple[int, int], ...]:
        """(column index, width) of each visible column; sharing columns split the rest."""
        visible = self._visible_indexes()
        specs = {i: self._specs[i] for i in visible}
        fixed = sum((s.width or 0) + 2 * self.cell_padding for s in specs.values())
        shares = share_width(
            max(0, self.scrollable_content_region.width - fixed),
            {i: (s.min_width, s.weight) for i, s in specs.items() if s.width is None},
        )
        return tuple((i, specs[i].width or shares[i]) for i in visible)

    def _add_columns(self) -> None:
        self._current_layout = self._layout()
        for index, width in self._current_layout:
            spec = self._specs[index]
            self.add_column(Text(spec.label), key=spec.key, width=width)

    def _relayout(self) -> None:
        """Lay every row out again (new order or width), restoring the cursor by key."""
        selected, row = self.selected_key, self.cursor_row
        scroll_y = self.scroll_y
        self.clear(columns=True)
        self._add_columns()
        visible = [index for index, _ in self._current_layout]
        for key, cells in self._rows.items():
            self.add_row(*(cells[i] for i in visible), key=key)
        if not self._rows:
            return
        if selected in self._rows:
            row = list(self._rows).index(selected)
        self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def on_resize(self, event: events.Resize) -> None:
        """Show the columns that fit and share out the width left over."""
        self._fit()

    def watch_show_vertical_scrollbar(self, _shown: bool) -> None:
        """A scrollbar that comes or goes changes the width without a resize: fit again."""
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Lay out again when the width changed (a resize, or a scrollbar came or went)."""
        if self.is_mounted and self.columns and self._layout() != self._current_layout:
            with self.app.batch_update():
                self._relayout()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Size the table for its rows without measuring their cells.

        DataTable measures every cell of each new row to widen auto-width columns
        (a fifth of the time a filter takes to show 200 new rows); every column here
        has a set width and every row one line, so only the size is left to set.
        """
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """Render a one-line cell (a header's too: they were two fifths of the cell time of
        showing a dashboard) as `tui.widgets.table_cells.one_line` does, cached as DataTable
        caches its cells; row labels, fixed cells and cells that need Rich's layout as
        DataTable does."""
        header = row_index == -1
        row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if (
            row_key is None
            or column_key is None  # a row label
            or (not header and (row_index < self.fixed_rows or column_index < self.fixed_columns))
            or width <= 2 * self.cell_padding
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key: CellCacheKey = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(key)
        if lines is not None:
            return lines
        cell = self._get_row_renderables(row_index).cells[column_index]
        height = self.header_height if header else self.rows[row_key].height
        if not renders_alone(cell) or height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            header,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        lines = [
            one_line(
                self.app.console,
                cell,
                width,
                self.cell_padding,
                pre_style + component_style,
                post_style,
            )
        ]
        self._cell_render_cache[key] = lines
        return lines

    def cell_text(self, key: str, column: str) -> str:
        """The plain text of one cell of a row, shown or not (for tests and lookups)."""
        index = self.spec_keys.index(column)
        return self._rows[key][index].plain


def share_width(total: int, columns: dict[int, tuple[int, int]]) -> dict[int, int]:
    """Split ``total`` cells between columns by weight, none below its minimum.

    Args:
        total: The width to share.
        columns: Column index → (minimum width, weight).

    Returns:
        Column index → width; the widths add up to ``total`` unless the minimums
        alone exceed it.
    """
    widths: dict[int, int] = {}
    left, free = total, dict(columns)
    while free:
        weights = sum(weight for _, weight in free.values())
        pinned = {i: low for i, (low, weight) in free.items() if left * weight // weights < low}
        if not pinned:
            break
        widths.update(pinned)
        left -= sum(pinned.values())
        free = {i: c for i, c in free.items() if i not in pinned}
    weights = sum(weight for _, weight in free.values()) or 1
    for position, (i, (_, weight)) in enumerate(free.items()):
        widths[i] = left * weight // weights
        if position == len(free) - 1:
            widths[i] = left - sum(widths[j] for j in free if j != i)
    return widths
