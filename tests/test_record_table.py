"""`RecordTable.sync`: rows follow the records in order, and the cursor follows its record."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import _data_table as data_table

from aiwatch.tui.widgets.record_table import PATCH_LIMIT, ColumnSpec, RecordTable

COLUMNS = (ColumnSpec("name", "Name"), ColumnSpec("count", "Count", width=6))


def rows(*keys: str, count: int = 1) -> list[tuple[str, tuple[Text, ...]]]:
    return [(key, (Text(f"record {key}"), Text(str(count)))) for key in keys]


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield RecordTable(COLUMNS, id="table")


async def test_sync_patches_a_few_rows_in_place_and_lays_out_a_new_set_once() -> None:
    app = OneTable()
    async with app.run_test(size=(60, 50)) as pilot:
        table = app.query_one(RecordTable)
        laid_out: list[bool] = []
        clear = table.clear
        table.clear = lambda columns=False: laid_out.append(columns) or clear(columns)  # type: ignore[method-assign]
        keys = [f"k{n}" for n in range(30)]
        table.sync(rows(*keys))
        table.move_cursor(row=12)
        await pilot.pause()
        assert table.selected_key == "k12"
        laid_out.clear()  # (only what follows counts)

        # A few rows go, one changes, two are added at the end: patched, nothing laid out.
        fewer = [k for k in keys if k not in {"k1", "k2", "k3"}] + ["new1", "new2"]
        table.sync(rows(*fewer[:5]) + rows(fewer[5], count=9) + rows(*fewer[6:]))
        await pilot.pause()
        assert laid_out == [] and table.keys == fewer and table.selected_key == "k12"
        assert table.cell_text(fewer[5], "count") == "9"

        # A new filter: most rows go (more than are worth removing one by one). One layout,
        # the cursor kept on its record.
        other = ["k0", "k12"] + [f"o{n}" for n in range(PATCH_LIMIT + 5)]
        table.sync(rows(*other))
        await pilot.pause()
        assert laid_out and table.keys == other and table.selected_key == "k12"
        assert str(table.get_row_at(table.cursor_row)[0]) == "record k12"

        # The same records in another order: laid out again in that order.
        table.sync(rows(*reversed(other)))
        await pilot.pause()
        assert table.keys == list(reversed(other)) and table.selected_key == "k12"


async def test_new_rows_size_the_table_without_their_cells_being_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every column has a set width, so DataTable's measuring of each new cell is skipped;
    the table is still as tall as its rows and as wide as its columns, and it scrolls."""
    measured: list[object] = []
    monkeypatch.setattr(data_table, "measure", lambda *args, **kwargs: measured.append(args) or 1)
    app = OneTable()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(RecordTable)
        table.sync(rows(*(f"k{n}" for n in range(40))))
        await pilot.pause()
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert table.virtual_size == Size(widths, 40 + 1)  # the rows and the header
        assert [args for args in measured if "record" in str(args[1])] == []  # (labels are)
        table.move_cursor(row=39)
        await pilot.pause()
        assert table.scroll_y > 0 and table.selected_key == "k39"


async def test_changed_cells_are_updated_without_their_columns_being_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reload that changes the cells of rows already shown (their article counts, a
    name) updates them in place; the columns have set widths, so nothing is measured
    (DataTable measured every cell of the column again for each narrower cell: ~45 ms
    on idle after a dashboard of 50-row panels)."""
    measured: list[object] = []
    app = OneTable()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(RecordTable)
        keys = [f"k{n}" for n in range(40)]
        table.sync([(key, (Text(f"a long record {key}"), Text("1"))) for key in keys])
        await pilot.pause()
        monkeypatch.setattr(
            data_table, "measure", lambda *args, **kwargs: measured.append(args) or 1
        )
        table.sync(rows(*keys, count=2))
        await pilot.pause()
        assert table.cell_text("k7", "name") == "record k7"
        assert table.cell_text("k7", "count") == "2"
        assert [args for args in measured if "record" in str(args[1])] == []
