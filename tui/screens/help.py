"""Every key that works on the screen the user came from, and where it is defined."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from aiwatch.tui.text import assemble, cell
from aiwatch.tui.widgets.record_table import Cells, ColumnSpec, RecordTable

HELP_COLUMNS = (
    ColumnSpec("key", "Key", 10),
    ColumnSpec("description", "Does", min_width=20, weight=3),
    ColumnSpec("where", "Where", min_width=10, min_table=90),
    ColumnSpec("id", "Binding id", 20, min_table=96),
)


def _where(node: object) -> str:
    if isinstance(node, App):
        return "everywhere"
    if isinstance(node, Screen):
        return "this screen"
    if isinstance(node, Widget):
        return f"{node.id or type(node).__name__.lower()}"
    return "?"


def binding_rows(screen: Screen[object]) -> list[tuple[str, Cells]]:
    """One row per binding of ``screen`` (itself, its focused widget, then the app), as mapped now.

    Bindings ``[keys]`` remapped show their new key; keys offered only sometimes
    (``x`` while a filter is set) are listed too.

    Within a group, keys keep the order they are declared in. Hidden built-ins
    (copy, scrolling by page) are left out unless aiwatch gave them an id.
    """
    rows: list[tuple[str, Cells]] = []
    order = {"this screen": 0, "everywhere": 2}
    chain: dict[str, tuple[DOMNode, Binding]] = {}
    for node, bindings in screen._modal_binding_chain:  # every binding, offered now or not
        for key, binding in bindings:
            chain.setdefault(key, (node, binding))
    entries = sorted(
        enumerate(chain.items()),
        key=lambda item: (order.get(_where(item[1][1][0]), 1), item[0]),
    )
    for _, (key, (node, binding)) in entries:
        if not (binding.id or (binding.show and binding.description)):
            continue
        if binding.key in ("tab", "shift+tab") and not binding.id:
            continue  # listed below, once
        rows.append(
            (
                key,
                (
                    cell(screen.app.get_key_display(binding), "bold"),
                    cell(binding.tooltip or binding.description or binding.action),
                    cell(_where(node)),
                    cell(binding.id or "—", "dim"),
                ),
            )
        )
    for key, does in ALWAYS:
        rows.append((key, (cell(key, "bold"), cell(does), cell("everywhere"), cell("—", "dim"))))
    return rows


ALWAYS = (
    ("Tab", "Move to the next panel or field"),
    ("Shift+Tab", "Move to the previous panel or field"),
    ("Ctrl+P", "Command palette: jump to any record, saved view or command; pick a theme"),
)
"""Keys Textual itself provides, listed so that ``?`` shows every key."""


class HelpScreen(ModalScreen[None]):
    """A table of the keys of ``screen``; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="close-help"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__(classes="dialog")
        self.rows = binding_rows(screen)
        self.screen_name = type(screen).__name__.removesuffix("Screen") or "Screen"

    def compose(self) -> ComposeResult:
        """Title and the table."""
        yield Static(
            assemble(
                ("Keys", "bold"),
                (f" · {self.screen_name} screen · remap any id in [keys] of config.toml", "dim"),
            ),
            id="help-title",
        )
        yield RecordTable(HELP_COLUMNS, id="help-table", openable=False)

    def on_mount(self) -> None:
        """Fill the table."""
        self.query_one(RecordTable).sync(self.rows)

    def action_close(self) -> None:
        """Back to where the user was."""
        self.dismiss()
