"""`RecordTable` renders its one-line cells as DataTable does, without Rich's layout."""

from __future__ import annotations

import random

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from aiwatch.tui.text import cell, marked_cell
from aiwatch.tui.widgets.panel_rows import mark
from aiwatch.tui.widgets.record_table import ColumnSpec, RecordTable
from aiwatch.tui.widgets.table_cells import renders_alone

LETTERS = "abcXYZ  ×★●…é日本🙂-e\u0301"
"""Narrow and wide characters, a combining accent, the marks' symbols and spaces."""
COLUMNS = tuple(ColumnSpec(f"c{n}", f"C{n}", width=n + 1) for n in range(1, 12))
"""Columns 2 to 12 cells wide: texts shorter, as long as and longer than their column."""
BASES = (Style(), Style(color="red", bgcolor="black"), Style(bold=True, meta={"x": 1}))


def texts(rng: random.Random) -> list[Text]:
    """One row of random cells in every form the dashboard makes (plain, styled, marked)."""
    row: list[Text] = []
    for _ in COLUMNS:
        value = "".join(rng.choice(LETTERS) for _ in range(rng.randrange(0, 16))).strip()
        form = rng.randrange(5)
        if form == 0:
            row.append(cell(value))
        elif form == 1:
            row.append(cell(value, rng.choice(["bold", "dim italic", "strike dim"])))
        elif form == 2:
            start = rng.randrange(len(value) + 1)
            row.append(marked_cell(value, [(start, min(len(value), start + 3))]))
        elif form == 3:
            row.append(mark(rng.random() < 0.5, rng.random() < 0.5))
        else:
            row.append(Text(value, overflow=rng.choice(["crop", "fold"]), end=""))
    return row


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RecordTable(COLUMNS, id="table")


async def test_every_cell_renders_as_datatable_renders_it() -> None:
    rng = random.Random(1)
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(RecordTable)
        rows = [(str(n), tuple(texts(rng))) for n in range(60)]
        table.sync(rows)
        await pilot.pause()
        compared = 0
        for row_index in range(-1, len(rows)):  # (-1: the header)
            for column_index, column in enumerate(table.ordered_columns):
                if row_index >= 0:
                    assert renders_alone(table.get_row_at(row_index)[column_index])
                width = column.get_render_width(table)
                for cursor, hover in ((False, False), (True, False), (False, True)):
                    style = rng.choice(BASES)
                    args = (row_index, column_index, style, width, cursor, hover)
                    table._cell_render_cache.clear()
                    ours = table._render_cell(*args)
                    table._cell_render_cache.clear()
                    theirs = DataTable._render_cell(table, *args)
                    assert ours == theirs, (row_index, column_index, width)
                    compared += 1
        assert compared == 61 * len(COLUMNS) * 3


def test_cells_that_need_rich_are_left_to_it() -> None:
    assert renders_alone(cell("a title"))
    assert not renders_alone(Text("two\nlines"))
    assert not renders_alone(Text("a\ttab"))
    assert not renders_alone(Text("right", justify="right"))
    assert not renders_alone(Text("ignored", overflow="ignore"))
    assert not renders_alone("a string")
