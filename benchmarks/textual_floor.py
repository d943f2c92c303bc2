"""What Textual itself costs for the dashboard benchmark's steps on this machine.

    python -m benchmarks.textual_floor [--runs 3]

`benchmarks.dashboard` times the real ``aiwatch`` in a 120×40 pseudo-terminal. This runs, in
the same terminal and timed the same way, a bare Textual app with no database and no
aiwatch code that draws what the dashboard draws: a header line, four tables of 50 rows
in a 2×2 grid, a status line and a footer of ten keys. Its steps are the least any
Textual dashboard of that shape can take here:

- **first paint**: launching the process (interpreter, Textual's imports) to the filled
  tables;
- **filter**: a key that swaps every table's rows for 50 others (data already in memory)
  to the header naming it;
- **open**: Enter to a pushed screen (a title, a 3 KB body, a list of ten entities, a
  footer), to its title showing (Textual's own footer shows its keys a frame later, once
  focus has landed; aiwatch's footer composes them with the screen).

Compare its figures with `benchmarks.dashboard`'s: the difference is what aiwatch adds
(imports of SQLAlchemy and the models, queries, its widgets).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import ClassVar

from benchmarks.dashboard import COUNTS, SIZE, Terminal, print_medians, terminal_env

ROWS = 50
PANELS = ("Partnerships", "Products", "Cases", "Articles")
COLUMNS = ("Name", "With", "Focus", "Status", "Seen", "Articles")


def _rows(panel: str, generation: int) -> list[tuple[str, ...]]:
    return [
        (
            f"{panel[:-1]} {generation}-{n} Labs",
            f"Partner Company {n % 17}",
            "generative video models and licensing",
            ("announced", "active", "ended")[n % 3],
            f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            str(n * 7 % 400),
        )
        for n in range(ROWS)
    ]


def run_app() -> None:
    """The bare dashboard (run in the pseudo-terminal)."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding, BindingType
    from textual.containers import Grid
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, OptionList, Static

    class Detail(Screen[None]):
        BINDINGS: ClassVar[list[BindingType]] = [
            Binding("escape", "app.pop_screen", "Back"),
            Binding("o", "noop", "Open"),
            Binding("y", "noop", "Copy link"),
            Binding("e", "noop", "Entities"),
        ]

        def compose(self) -> ComposeResult:
            yield Static("Article  A story about a partnership", markup=False)
            yield Static(("A sentence of the article's body. " * 100).strip(), markup=False)
            yield OptionList(*(f"Company {n}  organisation" for n in range(10)))
            yield Footer()

        def action_noop(self) -> None:
            """Nothing: the key is there to be shown."""

    class Floor(App[None]):
        CSS = "Grid { grid-size: 2 2; } DataTable { height: 1fr; }"
        BINDINGS: ClassVar[list[BindingType]] = [
            Binding("enter", "open", "Open"),
            Binding("c", "filter", "Company"),
            Binding("t", "noop", "Topic"),
            Binding("slash", "noop", "Search"),
            Binding("n", "noop", "New"),
            Binding("s", "noop", "Sort"),
            Binding("question_mark", "noop", "Help"),
            Binding("r", "noop", "Refresh"),
            Binding("f", "noop", "Feeds"),
            Binding("q", "quit", "Quit"),
        ]

        def compose(self) -> ComposeResult:
            yield Static("all articles", id="header", markup=False)
            with Grid():
                for panel in PANELS:
                    table: DataTable[str] = DataTable(cursor_type="row")
                    table.border_title = panel
                    yield table
            yield Static("Ready.", markup=False)
            yield Footer()

        def on_mount(self) -> None:
            self._fill(0)

        def _fill(self, generation: int) -> None:
            for panel, table in zip(PANELS, self.query(DataTable), strict=True):
                table.clear(columns=generation == 0)
                if generation == 0:
                    table.add_columns(*COLUMNS)
                table.add_rows(_rows(panel, generation))
            header = self.query_one("#header", Static)
            where = "all articles" if generation == 0 else f"company: Company {generation}"
            header.update(f"{where}  {ROWS} partnerships · {ROWS} products · {ROWS} cases")

        def action_filter(self) -> None:
            self._fill(int(time.time() * 1000) % 1000 + 1)

        def action_open(self) -> None:
            self.push_screen(Detail())

        def on_data_table_row_selected(self) -> None:
            self.push_screen(Detail())

        def action_noop(self) -> None:
            """Nothing: the key is there to be shown."""

    Floor().run()


def one_launch() -> dict[str, float]:
    term = Terminal([sys.executable, "-m", "benchmarks.textual_floor", "--app"], terminal_env())
    try:
        painted = term.wait_for(COUNTS, 0) - term.started
        time.sleep(1.0)
        mark = term.mark()
        sent = term.send("c")
        filtered = term.wait_for("company: Company", mark) - sent
        time.sleep(0.3)
        mark = term.mark()
        sent = term.send("\r")
        opened = term.wait_for("Article  A story", mark) - sent
        peak = term.peak_mib()
    finally:
        term.close()
    return {"first paint": painted, "filter": filtered, "open": opened, "peak MiB": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--app", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.app:
        run_app()
        return
    runs = [one_launch() for _ in range(args.runs)]
    print_medians(f"bare Textual dashboard, {SIZE[0]}×{SIZE[1]}", runs)


if __name__ == "__main__":
    main()
