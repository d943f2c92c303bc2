"""One line of a table cell, rendered without Rich's layout.

`textual.widgets.DataTable` renders each cell through
``console.render_lines(Styled(Padding(cell)))``: a layout that wraps, pads and
crops the cell's text in several passes, ~0.25 ms a cell on this machine, which
made drawing a dashboard of four panels (a frame after each filter, and again
whenever a dialog closes over them) cost more than reading it. A cell of the
dashboard's tables is one `Text` line with no tab or line break, and for that the
same segments come from one `Text.render` and two pads (`one_line`;
`tests/test_table_cells.py` checks it against DataTable's own rendering).
"""

from __future__ import annotations

from typing import TypeGuard

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_JOINER = Text("\n")


def renders_alone(cell: object) -> TypeGuard[Text]:
    """Whether `one_line` renders ``cell`` in a row one line high (else Rich must)."""
    return (
        isinstance(cell, Text)
        and cell.overflow in (None, "ellipsis", "crop", "fold")
        and cell.justify in (None, "default")
        and "\n" not in cell.plain
        and "\t" not in cell.plain
    )


def one_line(
    console: Console, cell: Text, width: int, padding: int, pre_style: Style, post_style: Style
) -> list[Segment]:
    """``cell`` as the segments of one line ``width`` cells wide, ``padding`` blank each side.

    The same segments as DataTable's ``Styled(Padding(cell, (0, padding)), pre_style,
    post_style)`` rendered one line high, for a cell `renders_alone` accepts:
    cut to fit with the cell's overflow, padded with unstyled blanks, then
    ``pre_style`` under every segment's own style and ``post_style`` over it.
    """
    inner = width - 2 * padding
    if cell.cell_len > inner:
        cell = cell.copy()
        cell.truncate(inner, overflow=cell.overflow)
    if cell.style:  # Rich renders a line's own style as a span under the others (`Text.join`)
        cell = _JOINER.join([cell])
    segments = list(cell.render(console, end=""))
    short = inner - cell.cell_len
    if short > 0:
        segments.append(Segment(" " * short))
    if padding:
        pad = Segment(" " * padding)
        segments = [pad, *segments, pad]
    return list(Segment.apply_style(segments, pre_style, post_style))
